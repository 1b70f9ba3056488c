"""Atom feeds with full, sanitised stories and absolute links: all, per language, pillar and champion."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from pelican.writers import Writer

from .i18n import localise

RELATIVE_URL = re.compile(r'(?P<attr>\s(?:href|src))="(?P<url>(?![a-z][a-z0-9+.-]*:|#|//)[^"]*)"', re.I)
SRCSET = re.compile(r'(?P<attr>\ssrcset)="(?P<value>[^"]*)"', re.I)


def absolute_srcset(base: str, value: str) -> str:
    """Each candidate of a srcset ("url 480w, url 800w") made absolute against base."""
    candidates = []
    for candidate in value.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        candidates.append(f"{urljoin(base, url)} {descriptor}".strip())
    return ", ".join(candidates)


class FeedWriter(Writer):
    """Pelican's writer, with every link in a feed entry made absolute against the story's own URL.

    Story bodies link relatively (so they work under any base path); a feed reader has no page
    to resolve them against."""

    def _add_item_to_the_feed(self, feed, item):
        super()._add_item_to_the_feed(feed, item)
        entry = feed.items[-1]
        base = entry["link"]
        for key in ("content", "description"):
            if entry.get(key):
                text = RELATIVE_URL.sub(lambda m: f'{m["attr"]}="{urljoin(base, m["url"])}"', entry[key])
                entry[key] = SRCSET.sub(lambda m: f'{m["attr"]}="{absolute_srcset(base, m["value"])}"', text)


def newest_first(stories):
    return sorted(stories, key=lambda s: (s.date, s.slug), reverse=True)


def feed_paths(settings, ctx) -> list[tuple[str, str, list]]:
    """(path, title, stories) for the feeds we add to Pelican's own feed of all stories."""
    name = settings["SITENAME"]
    feeds = []
    everything = ctx["articles"] + ctx["story_translations"]
    for lang in settings["STEM4ALL_LANGUAGES"]:
        feeds.append((f"feeds/{lang}.atom.xml", f"{name} ({lang})", [s for s in everything if s.lang == lang]))
    for pillar in ctx["pillars"]:
        feeds.append((f"feeds/pillars/{pillar.slug}.atom.xml", f"{name}: {pillar.title}", pillar.stories))
    for champion in ctx["champions"]:
        feeds.append((f"feeds/champions/{champion.slug}.atom.xml", f"{name}: {champion.title}", champion.stories))
    return feeds


def write(generator, writer) -> None:
    settings, ctx = generator.settings, generator.context
    if not settings.get("FEED_ALL_ATOM"):
        return
    for path, title, stories in feed_paths(settings, ctx):
        writer.write_feed(newest_first(stories), ctx, path, feed_type="atom", feed_title=title)


def feed_for(settings, item) -> str | None:
    """The feed URL (relative to the site) that belongs on a pillar or champion page."""
    if not settings.get("FEED_ALL_ATOM"):
        return None
    kind = getattr(item, "kind", None)
    return f"feeds/{kind}s/{localise(item, settings['DEFAULT_LANG']).slug}.atom.xml" if kind in ("pillar", "champion") else None
