"""Slugs and the file-name rules that tie a file to its slug and language."""

from __future__ import annotations

import re
import unicodedata

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FILE_RE = re.compile(r"^(?P<slug>[^.]+)(?:\.(?P<lang>[a-z]{2,3}))?\.md$")


def slugify(text: str) -> str:
    """ASCII slug of a name: 'Türkiye' -> 'turkiye'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def split_name(filename: str) -> tuple[str, str | None] | None:
    """('x', 'ru') for x.ru.md, ('x', None) for x.md, None when the name does not fit."""
    m = FILE_RE.match(filename)
    return (m.group("slug"), m.group("lang")) if m else None
