"""Signal receivers: each does one thing and hands the work to the module that owns it."""

from __future__ import annotations

import functools
from collections import ChainMap

from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from pelican.urlwrappers import Tag

from . import contentcache, feeds, i18n, listings, seo
from .i18n import localise
from .picture import picture
from .profiles import ProfilesGenerator
from .reader import ContentError, StoryReader
from .settings import apply_defaults, lang_prefix, now, url_for
from .validation import check
from .writing import SiteWriter


def prepare_settings(pelican):
    settings = pelican.settings
    apply_defaults(settings)
    # Our embargo honours SOURCE_DATE_EPOCH; Pelican's own check would read the clock instead.
    settings["WITH_FUTURE_DATES"] = True
    if settings["STEM4ALL_VALIDATE_ON_BUILD"]:
        problems, _ = check(settings)
        errors = [str(p) for p in problems if p.level == "error"]
        if errors:
            raise ContentError("\n".join(errors))


def read_in_name_order(generator):
    """Pelican gathers the files a generator reads in a set, so it reads them in an order that
    changes from one run to the next. The content check hands its results over in name order
    (validation.RunningCheck), so reading in that order lets Pelican take each story as soon as
    it is checked instead of waiting for one the check reaches last."""
    if not isinstance(generator, ArticlesGenerator):
        return  # the static files' generator combines these sets with others
    get_files = generator.get_files
    generator.get_files = lambda *args, **kwargs: sorted(get_files(*args, **kwargs))


def stamp_from_digests(generator):
    """Pelican's content caches, of the generator and of its readers, stamp each file with the
    SHA-256 the build already has instead of reading and hashing it again (contentcache.py)."""
    for cacher in (getattr(generator, "readers", None), generator):
        if cacher is not None:
            contentcache.stamp_with_known_digests(cacher, generator.settings)


_later: list = []  # the reader caches to save once the pages are written


def save_reader_cache_later(generator):
    """Pelican saves the articles' reader cache (every story it read, pickled) at the end of
    their context, a moment when one core works and the other waits for it; saved once the
    pages are written instead (Pelican's `finalized`, or the build's end if it stops first),
    it is written while Pagefind indexes the site."""
    readers = getattr(generator, "readers", None)
    if not isinstance(generator, ArticlesGenerator) or readers is None:
        return
    readers.save_cache = functools.partial(_later.append, readers.save_cache)


def save_reader_caches(*args) -> None:
    while _later:
        _later.pop(0)()


def add_reader(readers):
    readers.reader_classes["md"] = StoryReader


def apply_embargo(content):
    """A story dated in the future is a draft until its date, whatever the cache holds.

    In a preview build (`invoke livereload --drafts`) drafts and embargoed stories are shown,
    each marked with a banner; such a build is never published."""
    if not isinstance(content, Article):
        return
    embargoed = getattr(content, "date", None) and content.date > now(content.settings)
    if content.settings.get("STEM4ALL_PREVIEW_DRAFTS") and (embargoed or content.status == "draft"):
        content.preview = "embargo" if embargoed else "draft"
        content.status = "published"
    elif embargoed:
        content.status = "draft"


def add_writer(pelican):
    return SiteWriter


def add_generators(pelican):
    return ProfilesGenerator


SHARED_ENV = "stem4all_jinja_env"  # the build context's key of the template environment its generators share


def setup_templates(generator):
    """Our filters and functions on the generator's Jinja environment; every generator after the
    first takes the first one's environment instead of its own.

    Pelican gives each generator an environment of its own, made the same way from the same
    settings, and each compiled every template it used: the base template and a dozen partials
    were compiled once for the story pages and again for the listings, a tenth of a second at
    every build. One environment per build compiles each template once."""
    shared = generator.context.get(SHARED_ENV)
    if shared is not None:
        generator.env = shared
        return
    generator.context[SHARED_ENV] = generator.env
    settings, env = generator.settings, generator.env
    env.make_globals = functools.partial(_globals_of, env)
    i18n.install(env)
    env.filters["in_lang"] = localise
    env.filters["initials"] = lambda name: "".join(w[0] for w in str(name).split()[:2]).upper()
    env.globals["url_in"] = functools.partial(url_in, settings)
    env.globals["prefix"] = functools.partial(lang_prefix, settings)
    env.globals["feed_for"] = functools.partial(feeds.feed_for, settings)
    env.globals["story_jsonld"] = functools.partial(seo.story_jsonld, settings)
    env.globals["picture"] = picture
    env.globals["story_card"] = listings.card_renderer(env, generator.context.setdefault(listings.CARDS, {}))
    env.globals["champion_card"] = listings.champion_card_renderer(env, generator.context[listings.CARDS])
    env.globals["once_per_language"] = listings.partial_renderer(env, generator.context)


def _globals_of(env, template_globals):
    """Environment.make_globals for our environment: a template without globals of its own (none
    of ours has any) reads the environment's globals dict itself.

    Jinja gives every template a ChainMap of its own globals and the environment's, and each time
    a page or a partial is rendered it lists that ChainMap's keys twice (to copy them into the new
    context and to note which names are globals), which walks both maps and builds a dict: about
    a tenth of a second per thousand stories. A plain dict lists them at once, as in Jinja 2. The
    one difference: a change made through one template's `globals` would reach every template;
    neither Pelican nor this plugin changes a template's globals."""
    if template_globals:
        return ChainMap(template_globals, env.globals)
    return env.globals


def url_in(settings, item, lang):
    """The URL of a story, champion, pillar, country or tag page in the reader's language."""
    if isinstance(item, Tag):
        return url_for(settings, "tag", item.slug, lang)
    kind = getattr(item, "kind", None)
    if kind in ("champion", "pillar", "country"):
        return url_for(settings, kind, item.slug, lang)
    return localise(item, lang).url
