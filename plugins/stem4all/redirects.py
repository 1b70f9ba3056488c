"""Old addresses keep working: redirect pages for a story's aliases, notes where content was withdrawn."""

from __future__ import annotations

import os

import yaml

from .frontmatter import _Loader

WITHDRAWN_FILE = "withdrawn.yml"


def alias_path(alias: str) -> str:
    """The file an old address is served from: /stories/old/ -> stories/old/index.html."""
    path = alias.strip().lstrip("/")
    return path if path.endswith(".html") else path.rstrip("/") + "/index.html"


def load_withdrawn(content_path: str) -> list[dict]:
    """The withdrawn addresses, oldest first: [{url: 'stories/x/', date: 'YYYY-MM-DD'}]."""
    path = os.path.join(content_path, WITHDRAWN_FILE)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=_Loader) or []


def check_withdrawn(content_path: str) -> list[tuple[int, str]]:
    """(line, message) for each problem in content/withdrawn.yml."""
    try:
        entries = load_withdrawn(content_path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [((mark.line + 1) if mark else 1, "this file is not valid YAML — it is written by `invoke withdraw`; "
                 "restore it from git rather than editing it by hand")]
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and set(e) == {"url", "date"} and isinstance(e["url"], str) for e in entries):
        return [(1, "each entry must be `- {url: stories/x/, date: YYYY-MM-DD}` — restore the file from git")]
    return []


def write(generator, writer) -> None:
    ctx, settings = generator.context, generator.settings
    for story in ctx["articles"] + ctx["story_translations"]:
        for alias in getattr(story, "aliases", []) or []:
            writer.write_file(alias_path(alias), generator.get_template("redirect"), ctx, target=story,
                              page_lang=story.lang, relative_urls=settings["RELATIVE_URLS"])
    for entry in load_withdrawn(generator.path):
        writer.write_file(alias_path(entry["url"]), generator.get_template("withdrawn"), ctx,
                          withdrawn=entry, page_lang=settings["DEFAULT_LANG"], relative_urls=settings["RELATIVE_URLS"])
