"""Champions, pillars and countries: read their files, and tie each story to them both ways."""

from __future__ import annotations

import base64
import hashlib
import logging
from dataclasses import dataclass, field

from pelican.contents import Page
from pelican.generators import Generator
from pelican.utils import process_translations

from . import campaign, feeds, images, listings, redirects, seo
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


def link_neighbours(stories, pillars, related_count=3):
    """Related stories (shared champion, pillar or tag) and the previous/next story in its first pillar."""
    for story in stories:
        def score(other):
            return (3 * len(set(story.champion_slugs) & set(other.champion_slugs))
                    + 2 * len(set(story.pillar_slugs) & set(other.pillar_slugs))
                    + len({t.slug for t in getattr(story, "tags", [])} & {t.slug for t in getattr(other, "tags", [])}))

        ranked = sorted((o for o in stories if o is not story and score(o)), key=lambda o: (-score(o), -o.date.timestamp(), o.slug))
        story.related = ranked[:related_count]
        home = pillars.get(story.pillar_slugs[0]) if story.pillar_slugs else None
        siblings = home.stories if home else []
        i = siblings.index(story) if story in siblings else -1
        story.newer = siblings[i - 1] if i > 0 else None
        story.older = siblings[i + 1] if 0 <= i < len(siblings) - 1 else None
        story.home_pillar = home
        for t in story.translations:
            t.related, t.newer, t.older, t.home_pillar = story.related, story.newer, story.older, home


class ProfilesGenerator(Generator):
    """Reads content/champions and content/pillars as Pelican pages and links stories to them."""

    def generate_context(self):
        for schema in (CHAMPION, PILLAR, PAGE):
            originals, translations = self.read_folder(schema)
            self.context[schema.folder] = originals
            self.context[f"{schema.folder}_by_slug"] = {p.slug: p for p in originals}
            self.context[f"{schema.folder}_translations"] = translations
        self.context["pillars"].sort(key=lambda p: (getattr(p, "order", 0), p.slug))
        self.context["champions"].sort(key=lambda c: (c.title.casefold(), c.slug))
        self.link_stories()
        self.published_images = images.prepare(self.settings, self.path, self.context, self.live())

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

    def link_stories(self):
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
        link_neighbours(ctx["articles"], pillars)
        for champion in ctx["champions"]:
            group(champion.country).champions.append(champion)
            for t in champion.translations:
                t.stories = champion.stories
        ctx["countries"] = sorted(countries.values(), key=lambda g: g.country.name)
        ctx["featured_stories"] = [s for s in ctx["articles"] if getattr(s, "featured", False)]
        ctx["campaign"] = campaign.current(self.settings)
        ctx["pillar_style"], ctx["pillar_style_hash"] = pillar_style(ctx["pillars"])

    def generate_output(self, writer):
        listings.write_all(self, writer)
        feeds.write(self, writer)
        redirects.write(self, writer)
        seo.write(self)
        images.publish(self.published_images, self.output_path, self.settings["STEM4ALL_IMAGE_CACHE"])
