"""Old addresses keep working: redirect pages for a story's aliases, notes where content was withdrawn."""

from __future__ import annotations

import os

import yaml

from .fields import as_list
from .frontmatter import _Loader
from .settings import url_for

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


def page_urls(entries, settings) -> dict[str, str]:
    """Every address content gets, mapped to the file (as shown to contributors) that owns it."""
    urls, default = {}, settings["DEFAULT_LANG"]
    for e in entries:
        if e.schema.kind == "story":
            pattern = settings["ARTICLE_URL"] if e.lang == default else settings["ARTICLE_LANG_URL"]
            urls[pattern.format(slug=e.slug, lang=e.lang)] = e.display
        elif not e.suffixed:
            for lang in settings["STEM4ALL_LANGUAGES"]:
                urls[url_for(settings, e.schema.kind, e.slug, lang)] = e.display
    return urls


def address_problems(entries, settings, content_path) -> list[tuple[str, int, str]]:
    """(file, line, message): old addresses (aliases, withdrawn pages) must not hide a page that exists."""
    urls, seen, problems = page_urls(entries, settings), {}, []
    for e in entries:
        for alias in as_list(e.meta.get("aliases") or []):
            if not isinstance(alias, str) or not alias.startswith("/"):
                continue
            key = alias_path(alias).removesuffix("index.html")
            if key in urls:
                problems.append((e.rel, e.doc.line_of("aliases"), f"the old address {alias} is the address of "
                                 f"{urls[key]} — remove it from aliases, or rename that page first"))
            elif key in seen:
                problems.append((e.rel, e.doc.line_of("aliases"), f"{seen[key]} already uses the old address "
                                 f"{alias} — an old address can lead to only one story"))
            seen.setdefault(key, e.display)
    broken = check_withdrawn(content_path)
    problems += [(WITHDRAWN_FILE, line, message) for line, message in broken]
    withdrawn = [] if broken else load_withdrawn(content_path)
    if withdrawn:
        with open(os.path.join(content_path, WITHDRAWN_FILE), encoding="utf-8") as f:
            lines = f.read().split("\n")
    for entry in withdrawn:
        key = alias_path(entry["url"]).removesuffix("index.html")
        line = next((i for i, text in enumerate(lines, 1) if entry["url"] in text), 1)
        if key in urls:
            problems.append((WITHDRAWN_FILE, line, f"{entry['url']} was withdrawn, but {urls[key]} publishes it "
                             "again — if she agreed to publish again, remove this entry"))
    return problems


def write(generator, writer) -> None:
    ctx, settings = generator.context, generator.settings
    for story in ctx["articles"] + ctx["story_translations"]:
        for alias in getattr(story, "aliases", []) or []:
            writer.write_file(alias_path(alias), generator.get_template("redirect"), ctx, target=story,
                              page_lang=story.lang, relative_urls=settings["RELATIVE_URLS"])
    for entry in load_withdrawn(generator.path):
        writer.write_file(alias_path(entry["url"]), generator.get_template("withdrawn"), ctx,
                          withdrawn=entry, page_lang=settings["DEFAULT_LANG"], relative_urls=settings["RELATIVE_URLS"])
