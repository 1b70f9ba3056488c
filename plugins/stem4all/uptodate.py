"""A build whose inputs are all as they were at the last build, and whose output/ is untouched, has nothing to do.

Like `make`, but by content: the inputs are every file under content/, the theme and the plugins
(hashed; files over a mebibyte, i.e. photos, by size and modification time), the project's
settings files, every setting's value, the installed packages and SOURCE_DATE_EPOCH. The site also
depends on the clock: an embargoed story goes live at its date, and the campaign pages change
with the day. So a build is only trusted until the next embargo date or the next midnight in the
site's time zone, whichever comes first. The output folder is compared by each file's size and
modification time, so a deleted or edited file in output/ means a full build again.

What the check warned about last time is kept with the state and printed again, so a skipped
build shows the contributor the same warnings as the build it stands for."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import sys
import tempfile
from datetime import datetime, time, timedelta

from .settings import PROJECT_ROOT, now
from .validation import Problem

logger = logging.getLogger(__name__)

STATE_NAME = "stem4all-last-build.json"
HASHED_UP_TO = 1 << 20  # bytes; larger files (photos) are compared by size and modification time
SKIPPED_FOLDERS = {"__pycache__", ".git"}


def state_path(settings: dict) -> str | None:
    folder = settings.get("CACHE_PATH")
    return os.path.join(folder, STATE_NAME) if folder else None


def inputs(settings: dict) -> str:
    """A hash of everything the site is built from, clock aside."""
    sha = hashlib.sha256()
    sha.update(json.dumps(_stable(settings), sort_keys=True).encode())
    sha.update(repr((sys.version, os.environ.get("SOURCE_DATE_EPOCH"), _packages())).encode())
    here = os.path.dirname(os.path.abspath(__file__))
    folders = [settings["PATH"], settings["THEME"], here, *settings.get("PLUGIN_PATHS", [])]
    for folder in dict.fromkeys(os.path.abspath(f) for f in folders):
        sha.update(b"\0tree " + folder.encode())
        _hash_tree(sha, folder, contents=True)
    # The settings files themselves, for functions they define (a setting's value names them only).
    for name in sorted(os.listdir(PROJECT_ROOT)):
        if name.endswith(".py"):
            _hash_file(sha, os.path.join(PROJECT_ROOT, name), name, contents=True)
    # Files a setting points at outside those folders: the share cards' fonts, for instance.
    for key, value in sorted(settings.items()):
        if isinstance(value, str) and os.path.isabs(value) and os.path.isfile(value):
            _hash_file(sha, value, key, contents=False)
    return sha.hexdigest()


def output_manifest(output: str) -> str:
    """A hash of every file in the built site: its path, size and modification time."""
    return manifest(listing(output))


def listing(top: str, skip: str | None = None, under: str | None = None) -> list[str]:
    """Each file below `top` as its path, size and modification time, for `manifest`: all of them,
    all but those in the folder `skip`, or only those in the folder `under` (paths stay relative
    to `top`). A build lists its output in parts, each as soon as it is final."""
    start = os.path.join(top, under) if under else top
    files = []
    for folder, dirs, names in os.walk(start):
        dirs[:] = [d for d in dirs if d not in SKIPPED_FOLDERS and not (folder == top and d == skip)]
        prefix = os.path.join(os.path.relpath(folder, top), "") if folder != top else ""
        for name in names:
            try:
                stat = os.stat(os.path.join(folder, name))
            except FileNotFoundError:  # removed while we looked: the next build will see it
                continue
            files.append(f"{prefix}{name} {stat.st_size} {stat.st_mtime_ns}")
    return files


def manifest(files: list[str]) -> str:
    return hashlib.sha256("\0".join(sorted(files)).encode("utf-8", "surrogateescape")).hexdigest()


def valid_until(settings: dict, releases: list[datetime]) -> float:
    """When the clock alone changes the site: the next embargo date, or the next midnight."""
    current = now(settings)
    midnight = datetime.combine(current.date() + timedelta(days=1), time(), current.tzinfo)
    return min([midnight, *(r for r in releases if r > current)]).timestamp()


def is_fresh(settings: dict, digest: str) -> list[Problem] | None:
    """The last build's warnings if it stands for a build now (same inputs, same output/, clock in range), else None."""
    state = _load(settings)
    output = os.path.abspath(settings["OUTPUT_PATH"])
    if (state is None or state.get("inputs") != digest or now(settings).timestamp() >= state.get("valid_until", 0)
            or not os.path.isdir(output) or state.get("output") != output_manifest(output)):
        return None
    return [Problem(**p) for p in state.get("problems", [])]


def record(settings: dict, digest: str, releases: list[datetime], problems: list[Problem],
           files: list[str] | None = None) -> None:
    """Write the state of a build that has just put output/ in place (only when the content cache is written).

    `files` is the build's `listing` of its output if it made one on the way (output/ is read otherwise)."""
    path = state_path(settings)
    if not path:
        return
    if not settings.get("CACHE_CONTENT", True):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # output/ no longer matches what that state describes
        return
    output = manifest(files) if files is not None else output_manifest(os.path.abspath(settings["OUTPUT_PATH"]))
    state = {"inputs": digest, "output": output,
             "valid_until": valid_until(settings, releases),
             "problems": [{"path": p.path, "line": p.line, "message": p.message, "level": p.level} for p in problems]}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, part = tempfile.mkstemp(prefix=".part-", dir=os.path.dirname(path))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(state, f)
        os.replace(part, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(part)
        raise


def forget(settings: dict) -> None:
    """Drop the state before output/ is replaced, so a build that dies half-way is never taken for fresh."""
    path = state_path(settings)
    if path:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def _load(settings: dict) -> dict | None:
    path = state_path(settings)
    if not path or not settings.get("LOAD_CONTENT_CACHE", True):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            state = json.load(f)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        logger.warning("[stem4all] ignoring the unreadable build state %s (%s); building in full", path, exc)
        return None
    return state if isinstance(state, dict) else None


def _hash_tree(sha, top: str, contents: bool) -> None:
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS)
        for name in sorted(files):
            path = os.path.join(folder, name)
            _hash_file(sha, path, os.path.relpath(path, top), contents)


def _hash_file(sha, path: str, label: str, contents: bool) -> None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:  # removed while we looked: the next build will see it
        sha.update(b"\0gone " + label.encode("utf-8", "surrogateescape"))
        return
    sha.update(b"\0" + label.encode("utf-8", "surrogateescape"))
    if contents and stat.st_size <= HASHED_UP_TO:
        with open(path, "rb") as f:
            sha.update(hashlib.sha256(f.read()).digest())
    else:
        sha.update(f"{stat.st_size} {stat.st_mtime_ns}".encode())


def _packages() -> list[str]:
    """The installed distributions, by the names of their metadata folders (name and version,
    e.g. `Pelican-4.12.0.dist-info`): reading each one's metadata took 20 ms at every build."""
    found = set()
    for folder in sys.path:
        try:
            found.update(name for name in os.listdir(folder or ".") if name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return sorted(found)


_ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def _stable(value):
    """A setting's value as JSON that is the same from one run to the next (functions by name)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _stable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_stable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(_stable(v), sort_keys=True) for v in value)
    if isinstance(value, re.Pattern):
        return ["re", value.pattern, value.flags]
    name = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    if name:
        return ["named", getattr(value, "__module__", "") or "", name]
    return ["object", type(value).__qualname__, _ADDRESS.sub("", repr(value))]
