"""Each content file is parsed and rendered once per build, and not again until it changes.

Within a build the check does it and the reader reuses it. Between builds, the part of the check
that depends on a file alone (its front matter, fields, rendered body) is kept in CACHE_PATH by
the file's SHA-256, so a rebuild renders only what changed; the checks across files (slugs,
champions, links, aliases) still run over everything every time.

The check must read every file before Pelican starts (so every problem is reported at once and
the old site stays up), and Pelican's reader then needs the same front matter and HTML. Handing
the check's result over, keyed by the file's path and the SHA-256 of its bytes, halves the work
of a cold build without changing what either of them produces."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import tempfile
import threading
from dataclasses import dataclass
from importlib import metadata

import yaml

from .frontmatter import Document
from .markup import Rendered
from .settings import reader_fingerprint

logger = logging.getLogger(__name__)


@dataclass
class FileResult:
    """What one file gives the check and the reader: its front matter and its rendered body."""

    doc: Document
    rendered: Rendered


_memo: dict[tuple[str, str, tuple], FileResult] = {}


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def depth(settings: dict, lang: str) -> int:
    """How many folders deep a file's page is written: translations live under /<lang>/."""
    return 2 if lang == settings.get("DEFAULT_LANG", "en") else 3


def _render_key(settings: dict) -> tuple:
    # The settings the HTML of a file depends on besides its path and bytes.
    return settings.get("DEFAULT_LANG", "en"), settings.get("STEM4ALL_IMAGES_DIR", "images")


# When the check runs beside Pelican (build.py), the files it has yet to hand over: the reader
# waits for a file's result instead of rendering the file a second time.
_awaited: set[str] = set()
_handed_over = threading.Condition()


def start_build() -> None:
    """Forget the previous build's files, so that a long-running `livereload` does not grow."""
    _memo.clear()
    _digests.clear()


# Each content file's SHA-256, from the bytes this build last read of it: the check's, then the
# reader's (which are the ones rendered).
_digests: dict[str, str] = {}


def note_digest(path: str, sha: str) -> None:
    _digests[os.path.abspath(path)] = sha


def stamp_with_known_digests(cacher, settings: dict) -> None:
    """Let one of Pelican's content caches (a FileStampDataCacher) take a file's stamp from the
    digest this build already has, instead of reading and hashing the file again.

    With CHECK_MODIFIED_METHOD = "sha256" the stamp is the SHA-256 of the file's bytes, and Pelican
    asks for it four times per file in a build: its reader cache looks before reading and stamps
    what it stores after, and the articles generator does the same for a cache this site leaves
    off (CONTENT_CACHING_LAYER is "reader"), a tenth of a second per thousand stories. The check
    hashes every file before Pelican reads any, and the reader hashes the bytes it renders, so
    the digest is the one Pelican would compute; a file the build has not read is hashed as before."""
    read_and_hash = getattr(cacher, "_filestamp_func", None)
    if settings.get("CHECK_MODIFIED_METHOD") != "sha256" or read_and_hash is None \
            or getattr(read_and_hash, "knows_digests", False):
        return

    def stamp(filename: str) -> bytes:
        sha = _digests.get(os.path.abspath(filename))
        return bytes.fromhex(sha) if sha else read_and_hash(filename)

    stamp.knows_digests = True
    cacher._filestamp_func = stamp


def expect(paths) -> None:
    """The check now running will hand over these files (or say it has none for them)."""
    with _handed_over:
        _awaited.clear()
        _awaited.update(os.path.abspath(path) for path in paths)


def handed_over(path: str) -> None:
    """The check is done with this file, whether or not it has a result for it."""
    with _handed_over:
        _awaited.discard(os.path.abspath(path))
        _handed_over.notify_all()


def stop_expecting() -> None:
    """The check has ended, however it ended: nobody waits for it any more."""
    with _handed_over:
        _awaited.clear()
        _handed_over.notify_all()


def remember(path: str, sha: str, settings: dict, result: FileResult) -> None:
    _memo[(os.path.abspath(path), sha, _render_key(settings))] = result


def recall(path: str, sha: str, settings: dict) -> FileResult | None:
    """The check's result for this very file content in this build, or None; waits while a check
    running beside the build has yet to reach the file."""
    path = os.path.abspath(path)
    with _handed_over:
        _handed_over.wait_for(lambda: path not in _awaited)
    return _memo.get((path, sha, _render_key(settings)))


@dataclass
class Checked:
    """One file's own check, which depends on nothing but its bytes: kept between builds.

    `problems` holds validation's Found (a problem in the file alone) and ImageField (a picture the
    front matter names, checked again on every build because the photo can change on its own)."""

    result: FileResult | None  # None when the file could not be parsed
    problems: list


STORE_NAME = "stem4all-checked.pickle"


def fingerprint(settings: dict, context: str = "") -> str:
    """What, besides a file's bytes, decides its check: our code, the libraries, the settings."""
    here = os.path.dirname(os.path.abspath(__file__))
    sha = hashlib.sha256(reader_fingerprint().encode())
    for name in ("validation.py", "contentcache.py", "images.py", "slugs.py", "countries.py"):
        with open(os.path.join(here, name), "rb") as f:
            sha.update(f.read())
    versions = [package_version(name) for name in ("markdown", "pymdown-extensions", "nh3", "PyYAML", "babel",
                                            "pillow", "pillow-heif")]
    sha.update(repr((versions, yaml.__with_libyaml__, _render_key(settings), context)).encode())
    return sha.hexdigest()


def package_version(distribution: str) -> str:
    """The installed version of a distribution, or "" when it is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


class Store:
    """Each file's Checked, by its path in content/ and SHA-256, in CACHE_PATH between builds.

    Follows Pelican's own switches: LOAD_CONTENT_CACHE to read it, CACHE_CONTENT to write it.
    A file that cannot be read (corrupt, from another version) is ignored: it is only a cache."""

    def __init__(self, settings: dict, context: str = ""):
        folder = settings.get("CACHE_PATH")
        self.path = os.path.join(folder, STORE_NAME) if folder else None
        self.key = fingerprint(settings, context)
        self.writable = bool(self.path and settings.get("CACHE_CONTENT", True))
        loadable = self.path and settings.get("LOAD_CONTENT_CACHE", True)
        stored = self._load() if loadable else {}
        self.old: dict[str, tuple[str, Checked]] = stored.get("files", {})
        self.new: dict[str, tuple[str, Checked]] = {}
        # Photos' verdicts (images.check_source) by their hash: a photo is decoded when it changes.
        self.old_verdicts: dict[str, str | None] = stored.get("verdicts", {})
        self.new_verdicts: dict[str, str | None] = {}

    def _load(self) -> dict:
        # The key comes first in the file, so results kept by other code or settings are not even unpickled.
        try:
            with open(self.path, "rb") as f:
                if pickle.load(f) != self.key:
                    return {}
                stored = pickle.load(f)
        except FileNotFoundError:
            return {}
        except Exception as exc:  # noqa: BLE001 - a damaged cache costs one full check, never the build
            logger.warning("[stem4all] ignoring the unreadable check cache %s (%s)", self.path, exc)
            return {}
        if not (isinstance(stored, dict) and isinstance(stored.get("files"), dict)
                and isinstance(stored.get("verdicts"), dict)):
            return {}
        return stored

    def get(self, rel: str, sha: str) -> Checked | None:
        found = self.old.get(rel)
        if found and found[0] == sha and isinstance(found[1], Checked):
            self.new[rel] = found
            return found[1]
        return None

    def put(self, rel: str, sha: str, checked: Checked) -> None:
        self.new[rel] = (sha, checked)

    def verdict(self, key: str, work) -> str | None:
        """The stored verdict on a photo, or what `work()` finds now (and is then stored)."""
        if key not in self.new_verdicts:
            self.new_verdicts[key] = self.old_verdicts[key] if key in self.old_verdicts else work()
        return self.new_verdicts[key]

    def save(self) -> None:
        """Write what this build used, if anything changed; atomically, so a crash never leaves half a file."""
        if not self.writable or (self.new == self.old and self.new_verdicts == self.old_verdicts):
            return
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        fd, part = tempfile.mkstemp(prefix=".part-", dir=os.path.dirname(self.path))
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(self.key, f, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump({"files": self.new, "verdicts": self.new_verdicts}, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(part, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(part)
            raise
