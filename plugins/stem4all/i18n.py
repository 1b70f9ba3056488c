"""Interface strings: one Babel catalog per language, chosen by the language of the page being written."""

from __future__ import annotations

import io
import os
from datetime import date, datetime
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.support import NullTranslations, Translations
from jinja2 import pass_context

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

# Where CLDR's name is not the one its speakers use today.
PREFERRED_LANGUAGE_NAMES = {("ru", "ky"): "Кыргызский"}

EXTRACT_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}


def catalog_path(settings: dict, lang: str) -> str:
    return os.path.join(settings["STEM4ALL_LOCALE_DIR"], f"{lang}.po")


@lru_cache(maxsize=None)
def _load(path: str, mtime: float) -> NullTranslations:
    with open(path, "rb") as f:
        catalog = read_po(f)
    buffer = io.BytesIO()
    # Compiled in memory from the .po text, so no binary .mo file lives in the repository.
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


def catalog(settings: dict, lang: str) -> NullTranslations:
    path = catalog_path(settings, lang)
    if not os.path.exists(path):
        return NullTranslations()
    return _load(path, os.path.getmtime(path))


@lru_cache(maxsize=None)
def cldr(code: str) -> Locale:
    """Babel's data for a language, parsed once: pages ask for it thousands of times per build."""
    return Locale.parse(code)


def page_lang(ctx) -> str:
    """The language of the page being rendered: set by our writers, else that of its content."""
    if ctx.get("page_lang"):
        return ctx["page_lang"]
    for key in ("article", "page"):
        item = ctx.get(key)
        if getattr(item, "lang", None):
            return item.lang
    return ctx.get("DEFAULT_LANG", "en")


def _callables():
    """gettext and ngettext for one template environment. Pelican makes a new environment for
    every build, so each build looks at the catalogs' modification times once, not per string."""
    loaded: dict[tuple[str, str], NullTranslations] = {}

    def translations(ctx) -> NullTranslations:
        key = (ctx["STEM4ALL_LOCALE_DIR"], page_lang(ctx))
        if key not in loaded:
            loaded[key] = catalog(ctx, key[1])
        return loaded[key]

    @pass_context
    def gettext(ctx, message):
        return translations(ctx).ugettext(message)

    @pass_context
    def ngettext(ctx, singular, plural, n):
        return translations(ctx).ungettext(singular, plural, n)

    return gettext, ngettext


def localise(item, lang):
    """The version of a story or profile in `lang` if there is one, else the item itself."""
    if getattr(item, "lang", lang) == lang:
        return item
    return next((t for t in getattr(item, "translations", []) if t.lang == lang), item)


@lru_cache(maxsize=None)
def language_name(code: str, in_lang: str) -> str:
    """'ru' -> 'Russian' for an English page, 'русский' for a Russian one."""
    if (in_lang, code) in PREFERRED_LANGUAGE_NAMES:
        return PREFERRED_LANGUAGE_NAMES[in_lang, code]
    try:
        name = cldr(code).get_display_name(in_lang) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def install(env) -> None:
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(*_callables(), newstyle=True)
    env.globals["_"] = env.globals["gettext"] = _remembered(env.globals["gettext"])
    env.filters["language_name"] = language_name
    env.filters["date_in"] = date_in


def date_in(value: date, lang: str, fmt: str = "long") -> str:
    """A date as `lang` writes it ("8 марта 2025 г."); Babel's format_date, which reads only the
    day of a datetime, worked out once per day, language and format: every listing card and story
    page shows a date, and many stories share one."""
    return _day_in(value.date() if isinstance(value, datetime) else value, lang, fmt)


@lru_cache(maxsize=None)
def _day_in(day: date, lang: str, fmt: str) -> str:
    return format_date(day, format=fmt, locale=cldr(lang))


def _remembered(newstyle_gettext):
    """Jinja's gettext (newstyle: translated, escaped, formatted), answering a message without
    variables from memory after the first time, per catalog folder and language.

    A page asks for forty-odd interface strings, the same on every page of a language, and each
    answer went through Jinja's alias, its wrapper, our lookup of the page's catalog and a
    formatting step: a tenth of the time spent rendering pages. `_` calls it directly too."""
    answers: dict[tuple, str] = {}

    @pass_context
    def gettext(ctx, message, **variables):
        if variables:
            return newstyle_gettext(ctx, message, **variables)
        key = (ctx["STEM4ALL_LOCALE_DIR"], page_lang(ctx), ctx.eval_ctx.autoescape, message)
        if key not in answers:
            answers[key] = newstyle_gettext(ctx, message)
        return answers[key]

    return gettext
