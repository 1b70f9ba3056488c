"""Our settings, defaulted in one place and checked when Pelican starts."""

from __future__ import annotations

import hashlib
import os
import time
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PIL import features

# The folder that holds pelicanconf.py and plugins/: relative cache paths start there.
PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DEFAULTS = {
    "STEM4ALL_IMAGES_DIR": "images",
    "STEM4ALL_IMAGE_MAX_BYTES": 20_000_000,
    "STEM4ALL_IMAGE_MAX_PIXELS": 40_000_000,
    # Derived images and share cards, kept between builds; relative to the project root.
    "STEM4ALL_IMAGE_CACHE": ".cache/images",
    # Widths of every published picture (never wider than its source), and the modern formats
    # offered before the JPEG (PNG with transparency) fallback, best first: "avif", "webp".
    "STEM4ALL_IMAGE_WIDTHS": [480, 800, 1200, 1600],
    "STEM4ALL_IMAGE_FORMATS": ["webp"],
    "STEM4ALL_IMAGE_QUALITY": {"avif": 50, "webp": 75, "jpeg": 80},
    # Share cards are drawn with these fonts; they must cover Cyrillic and Azerbaijani Latin.
    "STEM4ALL_CARD_FONT": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "STEM4ALL_CARD_FONT_BOLD": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "STEM4ALL_CHAMPION_URL": "champions/{slug}/",
    "STEM4ALL_PILLAR_URL": "pillars/{slug}/",
    "STEM4ALL_COUNTRY_URL": "countries/{slug}/",
    "STEM4ALL_TAG_URL": "tags/{slug}/",
    "STEM4ALL_PAGE_URL": "{slug}/",
    # Pages whose slug has a template of its own; any other page uses page.html.
    "STEM4ALL_PAGE_TEMPLATES": {"join": "join", "day-of-the-girl": "campaign", "contact": "contact"},
    "STEM4ALL_CONTACTS": [],
    "STEM4ALL_SECURITY_CONTACT": "",
    # Pages linked from every footer when they exist.
    "STEM4ALL_FOOTER_PAGES": ["privacy", "accessibility", "contact", "disclaimer"],
    # The campaign leads the home page from its start to its end each year (month-day).
    "STEM4ALL_CAMPAIGN_START": "09-20",
    "STEM4ALL_CAMPAIGN_END": "10-31",
    "STEM4ALL_LANG_PREFIX": "{lang}/",
    "STEM4ALL_LANGUAGES": {"en": "English", "ru": "Русский", "ky": "Кыргызча"},
    "STEM4ALL_CAMPAIGN_DATE": "10-11",
    # The home page shows this many featured stories, newest first; the campaign page shows them all.
    "STEM4ALL_FEATURED_ON_HOME": 6,
    "STEM4ALL_VALIDATE_ON_BUILD": True,
    "STEM4ALL_SEARCH": True,
    # Up to this many story pages, Pagefind indexes them while the other pages are written
    # (writing.py); above it, after the last page, so that the build and Pagefind, whose memory
    # grows with the pages, are not in memory together (about 1 GB at 5,000 stories).
    "STEM4ALL_SEARCH_BESIDE_UP_TO": 3000,
    # Processes that render the pages (writing.py); 0: one per processor core the build may use.
    "STEM4ALL_PAGE_PROCESSES": 0,
    "STEM4ALL_PREVIEW_DRAFTS": False,
    "STEM4ALL_LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
}


def apply_defaults(settings: dict) -> None:
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    # The interface catalogs travel with the theme: adding a language is one <lang>.po there.
    settings.setdefault("STEM4ALL_LOCALE_DIR", os.path.join(settings.get("THEME", "theme"), "locale"))
    try:
        ZoneInfo(settings.get("TIMEZONE", "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"TIMEZONE {settings.get('TIMEZONE')!r} is not a time zone name, e.g. Asia/Bishkek") from None
    if not settings.get("STEM4ALL_CACHE_KEYED"):
        settings["CACHE_PATH"] = os.path.join(settings.get("CACHE_PATH", "cache"), reader_fingerprint())
        settings["STEM4ALL_CACHE_KEYED"] = True
    settings["STEM4ALL_IMAGE_CACHE"] = os.path.join(PROJECT_ROOT, settings["STEM4ALL_IMAGE_CACHE"])
    check_images(settings)
    for key in ("STEM4ALL_CHAMPION_URL", "STEM4ALL_PILLAR_URL", "STEM4ALL_COUNTRY_URL", "STEM4ALL_PAGE_URL"):
        if not settings[key].endswith("/") or "{slug}" not in settings[key]:
            raise ValueError(f"{key} must contain {{slug}} and end with '/', e.g. 'champions/{{slug}}/'")


def check_images(settings: dict) -> None:
    widths, formats = settings["STEM4ALL_IMAGE_WIDTHS"], settings["STEM4ALL_IMAGE_FORMATS"]
    if not widths or not all(isinstance(w, int) and w > 0 for w in widths):
        raise ValueError(f"STEM4ALL_IMAGE_WIDTHS must be a list of pixel widths, e.g. [480, 800, 1200, 1600], not {widths!r}")
    unknown = set(formats) - {"avif", "webp"}
    if unknown:
        raise ValueError(f"STEM4ALL_IMAGE_FORMATS may hold 'avif' and 'webp' only, not {sorted(unknown)}")
    if "avif" in formats and not features.check("avif"):
        raise ValueError("this Pillow cannot write AVIF — remove 'avif' from STEM4ALL_IMAGE_FORMATS or upgrade Pillow")
    missing = (set(formats) | {"jpeg"}) - set(settings["STEM4ALL_IMAGE_QUALITY"])
    if missing:
        raise ValueError(f"STEM4ALL_IMAGE_QUALITY needs a quality (0–100) for {sorted(missing)}, e.g. {{'webp': 75}}")


def reader_fingerprint() -> str:
    """A short hash of the code that turns a file into cached metadata and HTML.

    Pelican's content cache is keyed by the content file only; keying its folder by this hash
    means a change to how we read files can never serve stale results."""
    here = os.path.dirname(os.path.abspath(__file__))
    digest = hashlib.sha256()
    for name in ("reader.py", "markup.py", "frontmatter.py", "fields.py", "schema.py"):
        with open(os.path.join(here, name), "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()[:12]


def now(settings: dict) -> datetime:
    """The build's "now": SOURCE_DATE_EPOCH when set (reproducible builds), else the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.strip().isdigit() else time.time()
    return datetime.fromtimestamp(seconds, ZoneInfo(settings.get("TIMEZONE", "UTC")))


def lang_prefix(settings: dict, lang: str) -> str:
    """'' for the default language, 'ru/' for Russian: where that language's pages live."""
    return "" if lang == settings["DEFAULT_LANG"] else settings["STEM4ALL_LANG_PREFIX"].format(lang=lang)


def url_for(settings: dict, kind: str, slug: str, lang: str) -> str:
    """The URL (relative to the site) of a champion, pillar, country or tag page in a language."""
    return lang_prefix(settings, lang) + settings[f"STEM4ALL_{kind.upper()}_URL"].format(slug=slug)
