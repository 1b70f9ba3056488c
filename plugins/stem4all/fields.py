"""One check per kind of front-matter value; each returns what is wrong and how to fix it, or None."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

from . import countries
from .slugs import SLUG_RE

DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d")
COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
YOUTUBE_RE = re.compile(
    r"^https://(?:www\.|m\.)?(?:youtube\.com/watch\?(?:.*&)?v=|youtu\.be/|youtube\.com/shorts/"
    r"|youtube-nocookie\.com/embed/|youtube\.com/embed/)(?P<id>[A-Za-z0-9_-]{11})(?:[&?#].*)?$"
)
TAG_RE = re.compile(r"<[a-zA-Z/!]")


# The two DATE_FORMATS written with two-digit fields, as nearly every file has them: read without
# strptime, which takes as long as the rest of a story's front matter. Any other spelling, or a
# day that does not exist, goes to strptime as before.
_PLAIN_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?: ([0-9]{2}):([0-9]{2}))?")


def parse_date(value) -> datetime | None:
    text = str(value).strip()
    plain = _PLAIN_DATE.fullmatch(text)
    if plain:
        try:
            return datetime(*(int(part) for part in plain.groups() if part is not None))
        except ValueError:
            pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def youtube_id(url: str) -> str | None:
    m = YOUTUBE_RE.match(str(url).strip())
    return m.group("id") if m else None


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def contrast_with_white(color: str) -> float:
    hexa = color.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(c * 2 for c in hexa)
    channels = [int(hexa[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return 1.05 / (luminance + 0.05)


def _text(value):
    if not isinstance(value, str):
        return "must be text — put it in quotes, e.g. \"…\""
    if not value.strip():
        return "is empty — write the text after the colon"
    return None


def _plain(value):
    problem = _text(value)
    if problem:
        return problem
    if TAG_RE.search(value):
        return "must be plain text without HTML — remove the <…> tags"
    return None


def _slugs(value):
    items = as_list(value)
    if not items or not all(isinstance(i, str) for i in items):
        return "must be a file name without .md, or a list of them — e.g. [aigerim-sultanova]"
    bad = [i for i in items if not SLUG_RE.match(i)]
    if bad:
        return f"'{bad[0]}' is not a valid name — use lower-case letters, digits and hyphens, as in the file name"
    return None


def _date(value):
    if parse_date(value) is None:
        return f"'{value}' is not a date — write it as YYYY-MM-DD (e.g. 2025-10-11) or YYYY-MM-DD HH:MM"
    return None


def _consent(value):
    if value is not True:
        return ("must be true — publish only when everyone named has agreed; "
                "once they have, write consent: true")
    return None


def _bool(value):
    return None if isinstance(value, bool) else "must be true or false — write it without quotes"


def _int(value):
    return None if isinstance(value, int) and not isinstance(value, bool) else "must be a whole number — e.g. 1"


def _words(value):
    items = as_list(value)
    if not all(isinstance(i, (str, int)) and str(i).strip() for i in items):
        return "must be a list of words — e.g. [robotics, mentorship]"
    return None


def _names(value):
    items = as_list(value)
    if not all(isinstance(i, str) and i.strip() for i in items):
        return "must be a list of names — e.g. [\"Aigerim S.\", \"Gülşən Ə.\"]"
    return None


def _url(value):
    parts = urlsplit(str(value))
    if not isinstance(value, str) or parts.scheme not in ("http", "https", "mailto") or not (parts.netloc or parts.path):
        return "must be a full web address — start it with https://"
    return None


def _links(value):
    if not isinstance(value, list):
        return "must be a list of links — write each as - {label: My lab, url: https://…}"
    for item in value:
        if not isinstance(item, dict) or set(item) != {"label", "url"}:
            return "each link needs exactly a label and a url — write it as - {label: My lab, url: https://…}"
        if _text(item["label"]) or _url(item["url"]):
            return f"the link '{item.get('label')}' needs a label and a url starting with https://"
    return None


def _status(value):
    return None if value in ("published", "draft") else "must be published or draft — write status: draft to keep it hidden, or remove the line"


def _color(value):
    if not isinstance(value, str) or not COLOR_RE.match(value):
        return "must be a colour like \"#1f5fa8\" — in quotes, because # starts a comment"
    if contrast_with_white(value) < 4.5:
        return (f"{value} is too light for white text (contrast {contrast_with_white(value):.1f}:1, "
                "needs 4.5:1) — choose a darker colour")
    return None


def _slug(value):
    if not isinstance(value, str) or not SLUG_RE.match(value):
        return "must use lower-case letters, digits and hyphens only — e.g. my-story"
    return None


def _country(value):
    if not isinstance(value, str) or countries.resolve(value) is None:
        hint = countries.suggest(str(value))
        return (f"'{value}' is not a country we know — did you mean {hint}?" if hint
                else f"'{value}' is not a country we know — write its English name, e.g. Kyrgyzstan")
    return None


def _aliases(value):
    items = as_list(value)
    if not all(isinstance(i, str) and i.startswith("/") for i in items):
        return "must be a list of old addresses starting with / — e.g. [/stories/old-name/]"
    return None


def _youtube(value):
    return None if youtube_id(value) else "must be a YouTube link — e.g. https://www.youtube.com/watch?v=…"


CHECKS = {
    "text": _text, "plain": _plain, "slugs": _slugs, "date": _date, "consent": _consent,
    "bool": _bool, "int": _int, "words": _words, "names": _names, "url": _url, "links": _links,
    "status": _status, "color": _color, "slug": _slug, "country": _country, "aliases": _aliases,
    "youtube": _youtube, "alt": _text, "image": _text, "lang": _text,
}


def check(kind: str, value) -> str | None:
    return CHECKS[kind](value)
