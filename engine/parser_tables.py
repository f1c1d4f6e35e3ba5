"""The policy parser's LALR tables kept in the cache folder as plain JSON, never as a pickle.

Lark's own `cache=` option pickles the tables, and unpickling runs whatever the file says: a file
planted in the cache folder (whose name anyone can compute from the grammar) ran its code at the
next `check`, `eval` or `serve`. Here the tables are Lark's own serialised form (`memo_serialize`,
the data its `standalone` tool writes into a Python file) encoded as JSON with tags for the shapes
JSON lacks (tuples, integer keys), and decoded back without evaluating anything. A file is used
only when the cache folder trusts it (cache_folder.trusted_file: ours, not writable by others), and
when it says it was built from this grammar by this version of Lark; anything else is ignored and
the tables are built afresh: a cache costs speed only, never a result.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

import lark
import orjson
from lark import Lark
from lark.grammar import Rule
from lark.lexer import TerminalDef

from .cache_folder import cache_folder, trusted_file

TABLES_FORMAT = 1
MAX_TABLES_BYTES = 20_000_000  # the measures' tables are ~0.2 MB; a larger file is not ours


def tables_file(grammar: str) -> Path | None:
    """Where the tables of `grammar` are kept (None: no cache folder). The name holds the grammar's
    hash and Lark's version, so forks' vocabularies do not take turns and an upgrade starts afresh."""
    folder = cache_folder()
    return None if folder is None else folder / f"parser-{_identity(grammar)[:20]}.json"


def _identity(grammar: str) -> str:
    digest = hashlib.sha256(f"{TABLES_FORMAT}\n{lark.__version__}\n".encode())
    digest.update(grammar.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def load_tables(path: Path, grammar: str) -> Lark | None:
    """The parser saved at `path` for `grammar`, or None when there is none we can trust and use."""
    try:
        if not trusted_file(path) or path.stat().st_size > MAX_TABLES_BYTES:
            return None
        saved = orjson.loads(path.read_bytes())
        if not isinstance(saved, dict) or saved.get("identity") != _identity(grammar):
            return None
        parser = Lark.load({"data": _decode(saved["data"]), "memo": _decode(saved["memo"])})
    except Exception:  # noqa: BLE001 - a torn, foreign or outdated file: build the tables again
        return None
    parser.source_grammar = grammar  # what Lark(grammar) keeps; the token parser is built from it
    return parser


def save_tables(parser: Lark, path: Path, grammar: str) -> None:
    """Keep the parser's tables at `path` (written whole, readable by this user only); a folder we
    cannot write costs the next start its speed, nothing else."""
    try:
        data, memo = parser.memo_serialize([TerminalDef, Rule])
        content = orjson.dumps({"identity": _identity(grammar), "data": _encode(data), "memo": _encode(memo)})
    except (TypeError, ValueError, orjson.JSONEncodeError):
        return
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as handle:  # mkstemp makes it 0600
            handle.write(content)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


# JSON has no tuples, only text keys and 64-bit integers; Lark's data has all three (a parse table is
# {state: {token: (action, arg)}}; an unbounded regex's width is sre's MAXREPEAT, 2**64).
def _encode(value: Any) -> Any:
    if value is None or type(value) in (str, bool) or (type(value) is int and -2**63 <= value < 2**63):
        return value
    if type(value) is int:
        return {"i": str(value)}
    if type(value) is list:
        return {"l": [_encode(item) for item in value]}
    if type(value) is tuple:
        return {"t": [_encode(item) for item in value]}
    if type(value) is dict:
        return {"d": [[_encode(key), _encode(item)] for key, item in value.items()]}
    raise TypeError(f"not kept in the tables file: {type(value).__name__}")


def _decode(value: Any) -> Any:
    if value is None or type(value) in (str, int, bool):
        return value
    if type(value) is dict and len(value) == 1:
        (tag, items), = value.items()
        if tag == "i" and type(items) is str and len(items) <= 40:
            return int(items)
        if type(items) is list:
            if tag == "l":
                return [_decode(item) for item in items]
            if tag == "t":
                return tuple(_decode(item) for item in items)
            if tag == "d":
                return {_decode(key): _decode(item) for key, item in items}
    raise ValueError("not a tables file")
