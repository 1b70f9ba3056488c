"""The interface in every language: catalogs complete and in step with the templates, pages translated."""

import pytest
from babel.messages.pofile import read_po

from conftest import ROOT
from stem4all.catalogs import template_messages

LANGUAGES = ["ru", "ky"]


def catalog(lang):
    with open(ROOT / "theme" / "locale" / f"{lang}.po", "rb") as f:
        return read_po(f, locale=lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_string_is_in_the_catalog(lang):
    wanted = {m.id for m in template_messages(str(ROOT / "theme")) if m.id}
    have = {m.id for m in catalog(lang) if m.id}
    assert sorted(map(str, wanted - have)) == [], "run: invoke translations"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_in_the_catalog_is_translated(lang):
    missing = [m.id for m in catalog(lang) if m.id and (
        m.fuzzy or not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    assert missing == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_survive_translation(lang):
    import re

    for m in catalog(lang):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = set(re.findall(r"%\(\w+\)[sd]|\{n\}", " ".join(ids)))
        for string in strings:
            assert set(re.findall(r"%\(\w+\)[sd]|\{n\}", string)) == wanted, (m.id, string)


def test_pages_use_the_reader_s_language_for_interface_and_dates(built_site):
    ru, ky = built_site.page("ru/index.html"), built_site.page("ky/index.html")
    en = built_site.page("index.html")
    skip = {lang: catalog(lang).get("Skip to content").string for lang in LANGUAGES}
    assert skip["ru"] in ru and skip["ky"] in ky and "Skip to content" in en
    assert "октября 2025" in built_site.page("ru/stories/robots/index.html")


def test_a_date_in_each_language_is_babel_s():
    """date_in remembers each day's text; it must be what Babel writes for that day, time ignored."""
    from datetime import date, datetime, timedelta

    from babel.dates import format_date

    from stem4all.i18n import cldr, date_in

    for lang in ("en", "ru", "ky"):
        for offset in range(0, 400, 7):
            day = date(2025, 1, 1) + timedelta(days=offset)
            moment = datetime(day.year, day.month, day.day, 23, 59)
            for fmt in ("long", "medium"):
                expected = format_date(day, format=fmt, locale=cldr(lang))
                assert date_in(moment, lang, fmt) == date_in(day, lang, fmt) == expected
