"""Each content file is parsed and rendered once per build: the check does it, the reader reuses it.

The check must read every file before Pelican starts (so every problem is reported at once and
the old site stays up), and Pelican's reader then needs the same front matter and HTML. Handing
the check's result over, keyed by the file's path and the SHA-256 of its bytes, halves the work
of a cold build without changing what either of them produces."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from .frontmatter import Document
from .markup import Rendered


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


def start_build() -> None:
    """Forget the previous build's files, so that a long-running `livereload` does not grow."""
    _memo.clear()


def remember(path: str, sha: str, settings: dict, result: FileResult) -> None:
    _memo[(os.path.abspath(path), sha, _render_key(settings))] = result


def recall(path: str, sha: str, settings: dict) -> FileResult | None:
    """The check's result for this very file content in this build, or None."""
    return _memo.get((os.path.abspath(path), sha, _render_key(settings)))
