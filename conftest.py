"""For the whole test run (tests/ and features/): the tool's cache folder is a temporary one,
removed at the end, for this process and every CLI it starts (cache_folder.py reads
XDG_CACHE_HOME), so that tests never fill or depend on the user's ~/.cache/jinxiang-policy."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile

_FOLDER = tempfile.mkdtemp(prefix="jinxiang-tests-cache-")
os.environ["XDG_CACHE_HOME"] = _FOLDER
atexit.register(shutil.rmtree, _FOLDER, True)
