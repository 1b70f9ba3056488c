"""Champions, pillars and countries: read their files, and tie each story to them both ways."""

from __future__ import annotations

import base64
import hashlib
import heapq
import itertools
import logging
import os
from dataclasses import dataclass, field

from pelican.contents import Page
from pelican.generators import Generator
from pelican.utils import process_translations

from . import campaign, feeds, images, listings, redirects, seo
from .ahead import Ahead
from .i18n import localise
from .countries import Country, resolve
from .schema import CHAMPION, PAGE, PILLAR
from .settings import url_for

logger = logging.getLogger(__name__)


@dataclass
class CountryGroup:
    """A country page: its champions and its stories."""

    country: Country
    url: str
    save_as: str
    champions: list = field(default_factory=list)
    stories: list = field(default_factory=list)

    kind = "country"

    @property
    def slug(self):
        return self.country.slug

    def name_in(self, lang):
        return self.country.name_in(lang)


def pillar_style(pillars) -> tuple[str, str]:
    """Each working group's colour as a CSS rule, and its hash for the Content-Security-Policy.

    An inline <style> allowed by its hash keeps the policy strict (no 'unsafe-inline') and costs
    no extra request."""
    css = "".join(f".s4a-pillar--{p.slug}{{--s4a-pillar:{p.color};--s4a-chip:{p.color}}}"
                  for p in pillars if getattr(p, "color", None))
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    return css, f"'sha256-{digest}'"


@dataclass(frozen=True)
class _Facets:
    """What a story shares with others, computed once: comparing stories is then set arithmetic."""

    champions: frozenset
    pillars: frozenset
    tags: frozenset
    rank: tuple  # newest first, then by slug: the order of stories that score the same


def _facets(story) -> _Facets:
    return _Facets(frozenset(story.champion_slugs), frozenset(story.pillar_slugs),
                   frozenset(t.slug for t in getattr(story, "tags", [])), (-story.date.timestamp(), story.slug))


def _postings(stories, facets, attribute) -> dict:
    """champion (or tag) slug -> the stories that have it: the only ones that can share it."""
    index: dict = {}
    for story in stories:
        for key in getattr(facets[id(story)], attribute):
            index.setdefault(key, []).append(story)
    return index


def _by_pillar_set(stories, facets) -> dict:
    """Stories grouped by their exact set of pillars, newest first in each group.

    Within a group every story shares the same pillars with a given story, so when nothing else
    is shared they score the same and the newest ones win: no need to look further down a group."""
    groups: dict = {}
    for story in stories:
        groups.setdefault(facets[id(story)].pillars, []).append(story)
    for group in groups.values():
        group.sort(key=lambda s: facets[id(s)].rank)
    return groups


def related_stories(stories, count=3) -> dict:
    """id(story) -> its `count` most related stories: 3 points a shared champion, 2 a pillar, 1 a tag.

    Ties go to the newest story, then by slug. Only stories sharing a champion or a tag (from
    inverted indexes) and the newest few of each pillar group are scored, so the cost grows with
    the number of stories, not with its square (every story against every other)."""
    facets = {id(s): _facets(s) for s in stories}
    champions, tags = _postings(stories, facets, "champions"), _postings(stories, facets, "tags")
    groups = _by_pillar_set(stories, facets)
    related = {}
    for story in stories:
        mine = facets[id(story)]
        shared = {id(story): story}
        for key in mine.champions:
            shared.update((id(o), o) for o in champions[key])
        for key in mine.tags:
            shared.update((id(o), o) for o in tags[key])
        candidates = [o for i, o in shared.items() if i != id(story)]
        for pillars, group in groups.items():
            if pillars & mine.pillars:
                candidates += itertools.islice((o for o in group if id(o) not in shared), count)

        def score(other, mine=mine):
            theirs = facets[id(other)]
            return (3 * len(mine.champions & theirs.champions) + 2 * len(mine.pillars & theirs.pillars)
                    + len(mine.tags & theirs.tags))

        scored = [(-points, facets[id(o)].rank, o) for o in candidates if (points := score(o))]
        related[id(story)] = [o for _, _, o in heapq.nsmallest(count, scored, key=lambda t: t[:2])]
    return related


def link_neighbours(stories, pillars, related_count=3, related=None):
    """Related stories (shared champion, pillar or tag; `related` if already worked out) and the
    previous/next story in its first pillar."""
    if related is None:
        related = related_stories(stories, related_count)
    positions = {slug: {id(s): i for i, s in enumerate(p.stories)} for slug, p in pillars.items()}
    for story in stories:
        story.related = related[id(story)]
        home = pillars.get(story.pillar_slugs[0]) if story.pillar_slugs else None
        siblings = home.stories if home else []
        i = positions[story.pillar_slugs[0]].get(id(story), -1) if home else -1
        story.newer = siblings[i - 1] if i > 0 else None
        story.older = siblings[i + 1] if 0 <= i < len(siblings) - 1 else None
        story.home_pillar = home
        for t in story.translations:
            t.related, t.newer, t.older, t.home_pillar = story.related, story.newer, story.older, home


# The context's lists of stories and profiles (originals and translations) whose pages link to each other.
URL_HOLDERS = ("articles", "story_translations", "translations", "drafts", "hidden_articles",
               "champions", "champions_translations", "pillars", "pillars_translations",
               "pages", "pages_translations", "hidden_pages")


def keep_urls(items) -> None:
    """Keep each story's and profile's URL as it is once the context is complete.

    Pelican works a URL out from the settings every time a template asks for it (copying the
    metadata and the source path each time), and a build asks tens of thousands of times: every
    card, link, alternate and feed entry names one. Its override_url, which Pelican reads first, holds
    the same answer."""
    for item in items:
        if not hasattr(item, "override_url"):
            item.override_url = item.url


# From this many stories, the related stories and the templates are worked out ahead (ahead.py).
AHEAD_FROM = 200


def theme_templates(theme: str) -> list[list[str]]:
    """The theme's templates by name, in two batches: what the story pages use (written first),
    then the rest."""
    folder = os.path.join(theme, "templates")
    names = sorted(os.path.relpath(os.path.join(path, name), folder).replace(os.sep, "/")
                   for path, _, files in os.walk(folder) for name in files if name.endswith(".html"))
    first = {"story.html", "base.html", "404.html", "tag.html"}
    stories = [n for n in names if n in first or n.startswith("partials/")]
    return [sorted(stories, key=lambda n: n != "story.html"), [n for n in names if n not in stories]]


class ProfilesGenerator(Generator):
    """Reads content/champions and content/pillars as Pelican pages and links stories to them."""

    work_ahead: Ahead | None = None  # set by generate_context when there is work to do ahead

    def generate_context(self):
        # The related stories and the templates, worked out meanwhile on a core that would wait.
        work = Ahead(self.env, theme_templates(self.theme), self.context["articles"], related_stories) \
            if len(self.context["articles"]) >= AHEAD_FROM else None
        self.work_ahead = work
        for schema in (CHAMPION, PILLAR, PAGE):
            originals, translations = self.read_folder(schema)
            self.context[schema.folder] = originals
            self.context[f"{schema.folder}_by_slug"] = {p.slug: p for p in originals}
            self.context[f"{schema.folder}_translations"] = translations
        self.context["pillars"].sort(key=lambda p: (getattr(p, "order", 0), p.slug))
        self.context["champions"].sort(key=lambda c: (c.title.casefold(), c.slug))
        self.link_stories(work.related() if work else None)
        self.published_images = images.prepare(self.settings, self.path, self.context, self.live())
        if work:
            work.templates()

    def live(self) -> list:
        """Everything a published build shows: stories, their translations, champions, pillars, pages."""
        ctx = self.context
        live = ctx["articles"] + ctx["story_translations"]
        for folder in ("champions", "pillars", "pages"):
            live += ctx[folder] + ctx[f"{folder}_translations"]
        return live

    def read_folder(self, schema):
        items = []
        for path in self.get_files([schema.folder]):
            item = self.readers.read_file(base_path=self.path, path=path, content_class=Page, context=self.context)
            items.append(item)
            self.add_source_path(item)
        originals, translations = process_translations(items, translation_id="slug")
        by_slug = {o.slug: o for o in originals}
        for item in translations:
            self.inherit(item, by_slug[item.slug])
        for item in items:
            item.kind = schema.kind
            item.override_url = url_for(self.settings, schema.kind, item.slug, item.lang)
            item.override_save_as = item.override_url + "index.html"
            item.template = self.settings["STEM4ALL_PAGE_TEMPLATES"].get(item.slug, "page") if schema is PAGE \
                else schema.kind
        return originals, translations

    @staticmethod
    def inherit(translation, original):
        """A translation carries only what it translates; everything else comes from the original."""
        for key, value in original.metadata.items():
            if key not in translation.metadata and key not in ("lang", "slug", "save_as", "url"):
                translation.metadata[key] = value
                setattr(translation, key, value)
        if "summary" not in translation.metadata or not getattr(translation, "_summary", None):
            translation._summary = getattr(original, "_summary", None)

    def link_stories(self, related: dict | None = None):
        ctx = self.context
        champions, pillars = ctx["champions_by_slug"], ctx["pillars_by_slug"]
        ctx["story_translations"] = [t for s in ctx["articles"] for t in s.translations]
        stories = ctx["articles"] + ctx["story_translations"]
        countries: dict[str, CountryGroup] = {}

        def group(country):
            if country.code not in countries:
                url = url_for(self.settings, "country", country.slug, self.settings["DEFAULT_LANG"])
                countries[country.code] = CountryGroup(country, url, url + "index.html")
            return countries[country.code]

        for champion in ctx["champions"] + ctx["champions_translations"]:
            champion.country = Country(resolve(champion.metadata["country"]))
            champion.stories = []
        for story in stories:
            story.champions = [localise(champions[s], story.lang) for s in story.champion_slugs if s in champions]
            story.pillars = [localise(pillars[s], story.lang) for s in story.pillar_slugs if s in pillars]
            code = resolve(story.metadata.get("country")) if "country" in story.metadata else None
            story.country = Country(code) if code else (story.champions[0].country if story.champions else None)
        for story in ctx["articles"]:
            for champion in story.champions:
                champions[champion.slug].stories.append(story)
            if story.country:
                group(story.country).stories.append(story)
        for pillar in ctx["pillars"] + ctx["pillars_translations"]:
            pillar.stories = [s for s in ctx["articles"] if pillar.slug in s.pillar_slugs]
        link_neighbours(ctx["articles"], pillars, related=related)
        for champion in ctx["champions"]:
            group(champion.country).champions.append(champion)
            for t in champion.translations:
                t.stories = champion.stories
        ctx["countries"] = sorted(countries.values(), key=lambda g: g.country.name)
        ctx["featured_stories"] = [s for s in ctx["articles"] if getattr(s, "featured", False)]
        ctx["campaign"] = campaign.current(self.settings)
        ctx["pillar_style"], ctx["pillar_style_hash"] = pillar_style(ctx["pillars"])

    def generate_output(self, writer):
        """Runs after Pelican's generators, whose pages the writer holds until the listings join them."""
        keep_urls(item for key in URL_HOLDERS for item in self.context.get(key, ()))
        redirects.write(self, writer)

        def ask_for_listings():
            if self.work_ahead:
                self.work_ahead.templates()  # the listings' templates, compiled ahead
            listings.write_all(self, writer)

        if hasattr(writer, "write_pending"):
            # Every page, stories included, on every core; with search, the listings are asked for
            # once the story pages are written and Pagefind has started on them (writing.py).
            writer.write_pending(then=ask_for_listings)
        else:
            ask_for_listings()
        listings.forget_cards(self.context)
        feeds.write(self, writer)
        seo.write(self)
        images.publish(self.published_images, self.output_path, self.settings["STEM4ALL_IMAGE_CACHE"])
