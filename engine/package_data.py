"""Where the tool's own data is: the grammar, the policies, the facts vocabulary and holiday
calendar, the sample projects and the feature files.

A checkout keeps them in the repository's top-level folders (grammar/, policies/, facts/,
features/) beside the engine package; an installed wheel carries the same folders inside the
package, as engine/_data/grammar/ and so on (pyproject.toml maps each folder there). Both are
found from one anchor, importlib.resources.files("engine"), so no other module knows which
layout it runs from, nor the working directory.

The data is handed out as paths, not as resource streams: a fork names its base file as a
sibling, the language server and the workbench write policy files in place, and pip installs a
package as a folder (the wheel is not zip-safe), so every resource is a real file.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

INSTALLED_DATA = "_data"  # the folder inside the installed package that holds the repository's data folders


def _data_root() -> Path:
    package = files("engine")
    if not isinstance(package, Path):  # a zip import: the files could not be opened by path
        raise RuntimeError("engine 须安装为文件夹（pip install），不能从 zip 包中运行")
    installed = package / INSTALLED_DATA
    return installed if installed.is_dir() else package.parent


DATA_ROOT = _data_root()
GRAMMAR_FILE = DATA_ROOT / "grammar" / "policy.lark"
POLICIES = DATA_ROOT / "policies"
DEFAULT_POLICY = POLICIES / "jinxiang_2024.rules"
FACTS = DATA_ROOT / "facts"
VOCABULARY_FILE = FACTS / "vocabulary.yaml"
HOLIDAYS_FILE = FACTS / "holidays.yaml"
SAMPLES = FACTS / "示例"
FEATURES = DATA_ROOT / "features"
