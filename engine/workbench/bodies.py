"""The JSON bodies the workbench's API accepts, one model per endpoint.

Every body is validated before the API reads it: a wrong shape (`{"fields": 1}`, a number where
text belongs, an unknown key) is the page's mistake and is answered 400 with the key path and what
to send instead, never a 500 from deep inside the façade.

Every part of a body is bounded before any work is done on it, so that no request can keep a
server thread busy for long: pasted or uploaded facts as a facts file is (1 MB), the form to a
few times the vocabulary's size (100,000 made-up field names took 19 s to be refused one by one).
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from .. import messages
from ..facts import MAX_FACTS_BYTES
from ..policy_files import MAX_POLICY_BYTES
from ..values import parse_date

# A policy at its size limit, JSON-escaped (a newline or quote becomes two bytes), with room to spare.
MAX_BODY_BYTES = 2 * MAX_POLICY_BYTES + 65_536

# The largest feature file of the measures is 15 kB. The Gherkin parser needed 10 s for 2 MB of
# scenarios and 21 s for a 2 MB example table, at every save, listing and run after.
MAX_FEATURE_BYTES = 200_000
MAX_FORM_FIELDS = 2_000  # the measures' vocabulary has 103 fields; a county's may add some
MAX_FORM_ITEMS = 1_000  # words of a list, or records of a record list (a project has a few dozen 变更 at most)
MAX_FORM_TEXT_BYTES = 65_535  # the rules engine's own limit for one text

FieldPath = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^.\s]+(\.[^.\s]+)*$")]


class BodyError(ValueError):
    """A request body the API cannot use; its message is shown on the page."""


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _policy_sized(text: str) -> str:
    # The loader refuses a larger file; saving one would leave a policy no one can open.
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_POLICY_BYTES:
        raise ValueError(messages.POLICY_TEXT_TOO_LARGE.format(size=size, limit=MAX_POLICY_BYTES))
    return text


class _PolicyText(_Body):
    text: str

    @field_validator("text")
    @classmethod
    def _size(cls, text: str) -> str:
        return _policy_sized(text)


class CheckBody(_PolicyText):
    pass


class SaveBody(_PolicyText):
    version: str
    force: bool = False


class MergeBody(_Body):
    """A draft to merge with the file as it is now: the text it was based on, and the draft."""

    base: str
    mine: str

    @field_validator("base", "mine")
    @classmethod
    def _size(cls, text: str) -> str:
        return _policy_sized(text)


class _AsOfBody(_Body):
    """A request that may name the 评估日期 (as-of day) it asks about."""

    as_of: str | None = None

    @field_validator("as_of")
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        if value:
            try:
                parse_date(value)
            except ValueError:
                raise ValueError(messages.FORM_BAD_DATE) from None
        return value

    def as_of_date(self) -> dt.date | None:
        return parse_date(self.as_of) if self.as_of else None


def _is_record(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in value.items())


def _texts(value: Any) -> list[str]:
    """Every text of a form value (a text, a list of texts, a list of records)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in ((item.values() if isinstance(item, dict) else [item])) if isinstance(text, str)]
    return []


def _check_form_values(fields: dict | None) -> dict | None:
    """The form sends text, a list of texts (词列表, 日期列表, 年份列表) or a list of records (field
    name → text) for a record list; the facts model checks the rest. Each part within its bound."""
    if fields is not None and len(fields) > MAX_FORM_FIELDS:
        raise ValueError(messages.FORM_TOO_MANY_FIELDS.format(limit=MAX_FORM_FIELDS, count=len(fields)))
    for path, value in (fields or {}).items():
        if not (value is None or isinstance(value, str) or (isinstance(value, list) and (
                all(isinstance(v, str) for v in value) or all(_is_record(v) for v in value)))):
            raise ValueError(messages.FORM_BAD_VALUE.format(path=path))
        if isinstance(value, list) and (len(value) > MAX_FORM_ITEMS or any(len(v) > MAX_FORM_FIELDS for v in value if isinstance(v, dict))):
            raise ValueError(messages.FORM_TOO_MANY_ITEMS.format(path=path, count=len(value), limit=MAX_FORM_ITEMS))
        for text in _texts(value):
            size = len(text.encode("utf-8", errors="surrogatepass"))
            if size > MAX_FORM_TEXT_BYTES:
                raise ValueError(messages.FORM_TEXT_TOO_LONG.format(path=path, size=size, limit=MAX_FORM_TEXT_BYTES))
    # nest() turns key paths into a tree: 「项目」 and 「项目.编号」 cannot both be leaves.
    for path in fields or {}:
        for end in range(len(path)):
            if path[end] == "." and path[:end] in fields:
                raise ValueError(messages.FORM_FIELD_INSIDE_FIELD.format(parent=path[:end], path=path))
    return fields


def _facts_sized(text: str | None) -> str | None:
    # The same bound as a facts file on disk (facts.MAX_FACTS_BYTES): a 1.9 MB pasted text took 7.5 s.
    size = len(text.encode("utf-8", errors="surrogatepass")) if text else 0
    if size > MAX_FACTS_BYTES:
        raise ValueError(messages.FACTS_TEXT_TOO_LARGE.format(size=size, limit=MAX_FACTS_BYTES))
    return text


class EvaluateBody(_AsOfBody):
    sample: str | None = None
    facts_text: str | None = None
    fields: dict[FieldPath, Any] | None = None

    @field_validator("facts_text")
    @classmethod
    def _facts_size(cls, text: str | None) -> str | None:
        return _facts_sized(text)

    @field_validator("fields")
    @classmethod
    def _form_values(cls, fields: dict | None) -> dict | None:
        return _check_form_values(fields)


class FormFileBody(_Body):
    """A facts file to show in the 试算 form: a sample by name, or an uploaded file's text and name."""

    sample: str | None = None
    facts_text: str | None = None
    name: str = Field(default="上传的文件", min_length=1, max_length=200)

    @field_validator("facts_text")
    @classmethod
    def _facts_size(cls, text: str | None) -> str | None:
        return _facts_sized(text)


class FormSaveBody(_AsOfBody):
    """The 试算 form's values, to be written as a facts file."""

    fields: dict[FieldPath, Any]

    @field_validator("fields")
    @classmethod
    def _form_values(cls, fields: dict | None) -> dict | None:
        return _check_form_values(fields)


class RegisterListBody(_AsOfBody):
    pass


class RegisterProjectBody(_AsOfBody):
    id: str = Field(min_length=1, max_length=100)


class RegisterSetBody(_Body):
    id: str = Field(min_length=1, max_length=100)
    field: FieldPath
    value: str = Field(max_length=2000)  # "" makes the field unknown again


class ScenarioBody(_Body):
    """What to run: everything (all empty), one article's scenarios (`article`: 28, 第28条,
    第二十八条, 第四十七条之一 …), or those of `file` (a feature file as GET /api/scenarios names
    it), only the one written at `line` when it is given."""

    article: str = Field(default="", max_length=20)
    file: str = Field(default="", max_length=300)
    line: int | None = Field(default=None, ge=1, le=1_000_000)


class EmptyBody(_Body):
    """A request that names nothing: the action is the endpoint (copy the bundled scenarios)."""


class FeatureSaveBody(_Body):
    """A feature file's new text, saved only over the version the page read (`version`)."""

    file: str = Field(min_length=1, max_length=300)
    text: str
    version: str
    force: bool = False  # save a text the Gherkin parser rejects (the staffer's explicit choice)

    @field_validator("text")
    @classmethod
    def _size(cls, text: str) -> str:
        size = len(text.encode("utf-8", errors="surrogatepass"))
        if size > MAX_FEATURE_BYTES:
            raise ValueError(messages.FEATURE_TEXT_TOO_LARGE.format(size=size, limit=MAX_FEATURE_BYTES))
        return text


class StepUpdateBody(_Body):
    """The one-click update of a failed step's expected value: on `line` of `file` (at `version`),
    the step's value `written` (at the end of the line) becomes `found`. A failed run's 失败.更新
    carries file, line, written (原值) and found (新值)."""

    file: str = Field(min_length=1, max_length=300)
    version: str
    line: int = Field(ge=1, le=1_000_000)
    written: str = Field(min_length=1, max_length=200, pattern=r"^[^\r\n]+$")  # one line: the end of a step
    found: str = Field(min_length=1, max_length=200, pattern=r"^[^\r\n]+$")
    column: int | None = Field(default=None, ge=0, le=200)  # a scenario outline's example row: that cell


def parse_body(raw: bytes, model: type[_Body]) -> Any:
    """Bytes of a request → the endpoint's model, or BodyError in Chinese."""
    try:
        data = json.loads(raw.decode("utf-8") or "{}")
    except UnicodeDecodeError:
        raise BodyError(messages.BODY_NOT_UTF8) from None
    except json.JSONDecodeError as error:
        raise BodyError(messages.BODY_NOT_JSON.format(line=error.lineno, column=error.colno, problem=error.msg)) from None
    except RecursionError:
        raise BodyError(messages.BODY_TOO_DEEP) from None
    if not isinstance(data, dict):
        kind = {list: "数组", str: "文字", int: "数字", float: "数字", bool: "true/false"}.get(type(data), "null")
        raise BodyError(messages.BODY_NOT_OBJECT.format(kind=kind))
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise BodyError(messages.BODY_LONE_SURROGATE) from None
    except RecursionError:
        raise BodyError(messages.BODY_TOO_DEEP) from None
    return validate_body(data, model)


def validate_body(data: dict, model: type[_Body]) -> Any:
    """A decoded body → the endpoint's model, or BodyError in Chinese."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise BodyError("；".join(_describe(item) for item in error.errors()[:5])) from None
    except RecursionError:
        raise BodyError(messages.BODY_TOO_DEEP) from None


def _describe(item: dict) -> str:
    where = ".".join(str(part) for part in item["loc"] if part != "[key]") or "（整个请求）"
    kind = item["type"]
    if kind == "extra_forbidden":
        return messages.BODY_UNKNOWN_KEY.format(where=where)
    if kind == "missing":
        return messages.BODY_MISSING_KEY.format(where=where)
    if kind == "value_error":
        return messages.BODY_VALUE_PROBLEM.format(where=where, problem=item["ctx"]["error"])
    wanted = messages.BODY_EXPECTED.get(kind)
    return messages.BODY_WRONG_TYPE.format(where=where, wanted=wanted) if wanted else messages.BODY_WRONG_VALUE.format(where=where, kind=kind)
