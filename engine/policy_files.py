"""Reading the files a policy is made of: the policy itself, the bases it inherits (继承), the
version a revision revises (修订) and the vocabulary extensions it names (词汇), all through one
reader — a size limit, UTF-8 with or without a BOM, a located message for a file that cannot be
read — and each file once per compile: one PolicyFiles is shared by the whole compile, the
previous version of a revision included (engine/policy.py). The language server and the register
read policy files through the same reader.
"""
from __future__ import annotations

from pathlib import Path

from . import messages
from .errors import FactsError, PolicyError, Span, UsageError, relative_name
from .plain_data import read_data_text, read_yaml

MAX_POLICY_BYTES = 2_000_000
MAX_VOCABULARY_BYTES = 1_000_000


class UnreadableFile(Exception):
    """Why a file could not be read, as a phrase (不是 UTF-8 编码的文本、文件不存在 …)."""


def read_text_file(path: Path, limit: int = MAX_POLICY_BYTES) -> str:
    """A policy-side text file (a policy, a base, the gazette source copy); raises UnreadableFile."""
    return _read(path, limit)


def _read(path: Path, limit: int) -> str:
    try:
        size = path.stat().st_size
        if size > limit:
            raise UnreadableFile(f"有 {size} 字节，超过 {limit} 字节的上限")
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("不是 UTF-8 编码的文本，请用 UTF-8 另存") from None
    except OSError as exc:
        raise UnreadableFile(f"无法读取（{messages.cannot_read(exc)}）") from None


def read_policy_text(path: Path) -> str:
    """The policy named on the command line (or opened by the workbench)."""
    display = relative_name(path)
    if not path.exists():
        raise UsageError(f"找不到政策文件 {display}", hint="默认的政策文件是 policies/jinxiang_2024.rules")
    try:
        return _read(path, MAX_POLICY_BYTES)
    except UnreadableFile as exc:
        raise UsageError(f"{display}: 政策文件{exc}") from None


class PolicyFiles:
    """The files one compile reads, each read once; a file that cannot be used is reported at the
    line of the policy that names it."""

    def __init__(self, texts: tuple[tuple[Path, str], ...] = ()) -> None:
        self._texts: dict[Path, str] = dict(texts)
        self._vocabularies: dict[Path, dict] = {}

    def policy_texts(self) -> tuple[tuple[Path, str], ...]:
        """The policy texts read so far, by resolved path (hashable, to seed another PolicyFiles)."""
        return tuple(self._texts.items())

    def policy_text(self, path: Path, named_at: Span, referrer_text: str) -> str:
        key = path.resolve()
        if key not in self._texts:
            try:
                self._texts[key] = _read(path, MAX_POLICY_BYTES)
            except UnreadableFile as exc:
                raise PolicyError.of("E171.read", named_at, source=referrer_text, what="继承的政策文件",
                                     name=path.name, problem=exc) from None
        return self._texts[key]

    def vocabulary_data(self, path: Path, named_at: Span, referrer_text: str) -> dict:
        """A vocabulary extension's tree, read like a facts file (aliases, repeated keys refused)."""
        key = path.resolve()
        if key not in self._vocabularies:
            try:
                data = read_yaml(read_data_text(path, MAX_VOCABULARY_BYTES, "词汇文件"), relative_name(path))
            except FactsError as error:
                raise vocabulary_error(error, path, named_at, referrer_text) from None
            self._vocabularies[key] = data if data is not None else {}
        return self._vocabularies[key]


def vocabulary_error(error: FactsError, path: Path, named_at: Span, referrer_text: str) -> PolicyError:
    """A mistake inside a vocabulary extension, reported at the 词汇 line that names it (the
    workbench shows errors in the policy being edited) and pointing into the extension's own line."""
    where = f"第 {error.line} 行" if error.line else ""
    key = f"「{error.key_path}」" if error.key_path else ""
    problem = f"{where}{key}{error.message}" + (f"（{error.hint}）" if error.hint else "")
    return PolicyError.of("E172.format", named_at, source=referrer_text, name=path.name, problem=problem)
