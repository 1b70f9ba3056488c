"""`invoke withdraw`: take a story, or a champion and the stories that name only her, off the site."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from . import fields, markup, redirects
from .settings import now, url_for
from .validation import Checker


@dataclass
class Withdrawal:
    removed: list[str] = field(default_factory=list)  # files deleted, relative to content/
    urls: list[str] = field(default_factory=list)  # addresses that now say "withdrawn"
    shared: list[str] = field(default_factory=list)  # stories that also name other champions: edit by hand
    linking: list[str] = field(default_factory=list)  # files whose text links to what was removed


def _uses(entry) -> set[str]:
    return {entry.meta.get(k) for k in ("cover", "photo") if isinstance(entry.meta.get(k), str)}


def withdraw(settings: dict, slug: str) -> Withdrawal:
    """Delete the content of `slug` (story or champion), its unshared images, and record its addresses."""
    checker = Checker(settings)
    checker.run()
    entries = checker.entries
    stories = [e for e in entries if e.schema.kind == "story"]
    champion = [e for e in entries if e.schema.kind == "champion" and e.slug == slug]
    story = [e for e in stories if e.slug == slug]
    if not champion and not story:
        raise LookupError(f"there is no story or champion '{slug}' in {settings['PATH']} — check the file name")
    result = Withdrawal()
    doomed = list(story)
    if champion:
        doomed += champion
        for e in stories:
            named = fields.as_list(e.meta.get("champions") or [])
            if slug in named and len(named) == 1:
                doomed.append(e)
            elif slug in named:
                result.shared.append(e.display)
    kept_images = set().union(*(_uses(e) for e in entries if e not in doomed))
    for e in doomed:
        if e.schema.kind == "story":
            pattern = settings["ARTICLE_URL"] if e.lang == settings["DEFAULT_LANG"] else settings["ARTICLE_LANG_URL"]
            result.urls.append(pattern.format(slug=e.slug, lang=e.lang))
        elif not e.suffixed:
            result.urls += [url_for(settings, "champion", e.slug, lang) for lang in settings["STEM4ALL_LANGUAGES"]]
        os.remove(os.path.join(checker.content, e.rel))
        result.removed.append(e.rel)
        for image in _uses(e) - kept_images:
            path = os.path.join(checker.content, image)
            if os.path.exists(path):
                os.remove(path)
                result.removed.append(image)
                kept_images.add(image)
    gone = {e.rel for e in doomed}
    result.linking = sorted({e.display for e in entries if e not in doomed
                             and gone & set(markup.render(e.doc.body, e.rel, 2).links)})
    _record(checker.content, sorted(set(result.urls)), now(settings).strftime("%Y-%m-%d"))
    return result


def _record(content: str, urls: list[str], date: str) -> None:
    path = os.path.join(content, redirects.WITHDRAWN_FILE)
    known = {e["url"] for e in redirects.load_withdrawn(content)}
    new = [u for u in urls if u not in known]
    header = "" if os.path.exists(path) else (
        "# Addresses of content withdrawn at the champion's request. Written by `invoke withdraw`;\n"
        "# each address shows a short note, out of every listing, feed, sitemap and search index.\n")
    with open(path, "a", encoding="utf-8") as f:
        f.write(header + "".join(f"- {{url: {u}, date: '{date}'}}\n" for u in new))
