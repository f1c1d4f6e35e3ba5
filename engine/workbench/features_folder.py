"""Which feature files the 规格场景 tab reads and writes for a policy, and whether it may write them.

A policy's scenarios are the features/ folder beside it (or the folder `serve --features` names).
The tool's own policies (policies/ of the checkout or the installed package) have the tool's own
features/: those are theirs to edit. A copy of a policy elsewhere with no features/ beside it is
shown the tool's bundled scenarios read-only: a staffer editing them from the page would be
rewriting the tool's own files (every other user's, and what a reinstall puts back). One click
copies them beside the policy, and from then on the page edits the copy.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import messages
from ..errors import ToolError
from ..package_data import FEATURES, POLICIES

BESIDE = "features"  # the folder name looked for beside a policy file
_NOT_COPIED = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")


@dataclass(frozen=True)
class FeaturesFolder:
    path: Path
    writable: bool  # False: the tool's bundled scenarios shown for a policy copy elsewhere

    def copy_target(self, policy_path: Path) -> Path:
        """Where the copy of the bundled scenarios goes: features/ beside the policy file."""
        return policy_path.resolve().parent / BESIDE


def features_folder(policy_path: Path, chosen: Path | None = None) -> FeaturesFolder:
    """The folder the page uses for `policy_path` (`chosen`: named by `serve --features`)."""
    if chosen is not None:
        return FeaturesFolder(chosen, True)
    beside = policy_path.resolve().parent / BESIDE
    if beside.is_dir():
        return FeaturesFolder(beside, True)
    return FeaturesFolder(FEATURES, policy_path.resolve().parent == POLICIES.resolve())


def copy_bundled_features(folder: FeaturesFolder, policy_path: Path) -> FeaturesFolder:
    """Copy the scenarios of `policy_path` from the tool's bundled folder to features/ beside the
    policy (the step library and the base project with them, so the copy runs on its own); the
    copy is made in a scratch folder and renamed into place, so a failed copy leaves nothing half
    written. A features/ that appeared beside the policy meanwhile is used as it is, not overwritten."""
    target = folder.copy_target(policy_path)
    if target.is_dir():
        return FeaturesFolder(target, True)
    source = folder.path
    own = source / policy_path.stem  # a county's or a revision's own subfolder (features.policy_feature_files)
    try:
        scratch = Path(tempfile.mkdtemp(prefix=".features-", dir=target.parent))
        try:
            for path in source.iterdir():
                if path.is_file() and (path.suffix != ".feature" or not own.is_dir()):
                    shutil.copy2(path, scratch / path.name)  # the step library, the base project, the chapter files
            if own.is_dir():
                shutil.copytree(own, scratch / own.name, ignore=_NOT_COPIED)
            scratch.rename(target)
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
    except OSError as error:
        raise ToolError(messages.SCENARIO_COPY_FAILED.format(folder=target, problem=error.strerror or error),
                        hint=messages.SCENARIO_COPY_FAILED_HINT) from None
    return FeaturesFolder(target, True)
