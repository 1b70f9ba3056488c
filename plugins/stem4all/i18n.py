"""Interface strings: one Babel catalog per language, chosen by the language of the page being written."""

from __future__ import annotations

import os
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.support import NullTranslations, Translations
from jinja2 import pass_context

LOCALE_DIR = os.path.join(os.path.dirname(__file__), "locale")
DOMAIN = "messages"


@lru_cache(maxsize=None)
def catalog(lang: str) -> NullTranslations:
    return Translations.load(LOCALE_DIR, [lang], DOMAIN)


def page_lang(ctx) -> str:
    """The language of the page being rendered: set by our writers, else that of its content."""
    if ctx.get("page_lang"):
        return ctx["page_lang"]
    for key in ("article", "page"):
        item = ctx.get(key)
        if getattr(item, "lang", None):
            return item.lang
    return ctx.get("DEFAULT_LANG", "en")


@pass_context
def gettext(ctx, message):
    return catalog(page_lang(ctx)).ugettext(message)


@pass_context
def ngettext(ctx, singular, plural, n):
    return catalog(page_lang(ctx)).ungettext(singular, plural, n)


def localise(item, lang):
    """The version of a story or profile in `lang` if there is one, else the item itself."""
    if getattr(item, "lang", lang) == lang:
        return item
    return next((t for t in getattr(item, "translations", []) if t.lang == lang), item)


def language_name(code: str, in_lang: str) -> str:
    """'ru' -> 'Russian' for an English page, 'русский' for a Russian one."""
    try:
        name = Locale.parse(code).get_display_name(in_lang) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def install(env) -> None:
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.filters["language_name"] = language_name
    env.filters["date_in"] = lambda value, lang, fmt="long": format_date(value, format=fmt, locale=lang)
