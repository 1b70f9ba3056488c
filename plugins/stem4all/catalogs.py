"""Keep the interface catalogs in step with the templates: extract, then update each <lang>.po."""

from __future__ import annotations

import os

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from .i18n import EXTRACT_OPTIONS, catalog_path


def template_messages(theme: str) -> Catalog:
    """Every string the templates pass to _() or ngettext(), with where it is used."""
    template = Catalog(project="STEM4ALL Stories", fuzzy=False)
    folder = os.path.join(theme, "templates")
    method_map = [("**.html", "jinja2.ext:babel_extract")]
    for filename, lineno, message, comments, context in extract_from_dir(
        folder, method_map, options_map={"**.html": EXTRACT_OPTIONS}
    ):
        template.add(message, locations=[(f"templates/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def update(settings: dict) -> dict[str, int]:
    """Bring every language's catalog up to date; return how many strings each still lacks."""
    template = template_messages(settings["THEME"])
    missing = {}
    for lang in settings["STEM4ALL_LANGUAGES"]:
        if lang == settings["DEFAULT_LANG"]:
            continue
        path = catalog_path(settings, lang)
        if os.path.exists(path):
            with open(path, "rb") as f:
                catalog = read_po(f, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="STEM4ALL Stories")
        catalog.update(template, update_header_comment=False)
        catalog.obsolete.clear()
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            write_po(f, catalog, width=100, omit_header=False, sort_output=False, ignore_obsolete=True)
        missing[lang] = sum(1 for m in catalog if m.id and (not m.string or m.fuzzy or (
            isinstance(m.string, tuple) and not all(m.string))))
    return missing
