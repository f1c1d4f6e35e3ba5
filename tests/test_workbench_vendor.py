"""The workbench's vendored CodeMirror: the committed bundle is the one editors/codemirror/build.sh
makes from the pinned versions, carries every bundled package's licence, and is served with the
content types a browser accepts for a module script, a favicon and a text file."""
from __future__ import annotations

import json
import re
import urllib.request

from helpers import ROOT
from workbench_client import running_workbench

BUILD = ROOT / "editors" / "codemirror"
VENDOR = ROOT / "engine" / "workbench" / "static" / "vendor"


def test_the_bundle_names_the_locked_versions_and_their_licences():
    manifest = json.loads((BUILD / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((BUILD / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    locked = {path.removeprefix("node_modules/"): entry["version"] for path, entry in lock.items() if path}
    # Exact versions only: a range would let a rebuild bring in other code than the committed bundle.
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in manifest["devDependencies"].values())
    assert {name: locked[name] for name in manifest["devDependencies"]} == manifest["devDependencies"]
    licences = (VENDOR / "codemirror.LICENSE.txt").read_text(encoding="utf-8")
    bundled = dict(re.findall(r"^(\S+) (\d+\.\d+\.\d+) \(MIT\)$", licences, re.M))
    assert {"@codemirror/view", "@codemirror/state", "@codemirror/language", "@lezer/highlight"} <= bundled.keys()
    assert all(locked[name] == version for name, version in bundled.items())
    assert licences.count("Permission is hereby granted, free of charge") == len(bundled)
    assert (VENDOR / "codemirror.js").read_text(encoding="utf-8").startswith("// CodeMirror 6 (MIT), bundled by editors/codemirror/build.sh")


def test_the_editor_s_files_are_served_with_their_types(tmp_path):
    with running_workbench(tmp_path) as workbench:
        for path, content_type in [("/static/vendor/codemirror.js", "text/javascript"), ("/static/favicon.svg", "image/svg+xml"),
                                   ("/favicon.ico", "image/svg+xml"),
                                   ("/static/vendor/codemirror.LICENSE.txt", "text/plain")]:
            with urllib.request.urlopen(workbench.url + path, timeout=30) as response:
                assert (response.status, response.headers["Content-Type"].split(";")[0]) == (200, content_type), path
