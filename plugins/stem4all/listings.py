"""Write every page that lists stories, once per interface language: home, champions, pillars, countries, tags."""

from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup

from .i18n import localise
from .settings import lang_prefix

CARD_TEMPLATE = "partials/story_card.html"
CHAMPION_CARD_TEMPLATE = "partials/champion_card.html"
CARDS = "stem4all_story_cards"  # the build context's key of the story and champion cards drawn so far
PARTIALS = "stem4all_partials"  # and of the header's and footer's parts that each language shares


def forget_cards(context) -> None:
    """Let the cards (and shared partials) go once the last listing is written.

    Story pages hold on to the build's context; without this the cards would stay in memory while
    Pagefind indexes the site, which on a large campaign pushes the build towards 1 GB."""
    context.get(CARDS, {}).clear()
    context.get(PARTIALS, {}).clear()


def partial_renderer(env, site: dict):
    """A Jinja function that renders a partial whose HTML depends only on the page's language (the
    footer, the header's navigation) once per language, then reuses it on every page.

    The partial sees the site's context (`site`, where the rendered partials are kept too), not that
    of the page that happens to ask first, so nothing a page passes to its template can leak into
    every other page: only the language and the base URL (which differs by folder depth when links
    are relative) are in the key."""
    rendered = site.setdefault(PARTIALS, {})

    @pass_context
    def once_per_language(context, name, lang):
        key = (name, lang, context.get("SITEURL"))
        if key not in rendered:
            values = {**site, "SITEURL": context.get("SITEURL"), "lang": lang, "page_lang": lang}
            rendered[key] = Markup(env.get_template(name).render(values))
        return rendered[key]

    return once_per_language


def card_renderer(env, cards: dict):
    """A Jinja function that renders a story's card once per language and heading level, then reuses it.

    The same story appears on the home page, its pillars, its country, its tags, its champions'
    pages and as a related story: rendering its card anew each time was a tenth of the build.
    A card depends only on the story, the page's language, the heading level and the site's base
    URL, which is the key. `cards` is shared by the build's generators (story pages show related
    stories' cards too) and lives in the build's context, so it ends with the build.

    The heading level changes one element and nothing else, so a card is drawn once at level 3
    and its other levels are that card with its title element renamed (`_at_level`)."""

    @pass_context
    def story_card(context, story, lang, heading=3):
        key = (id(story), lang, heading, context.get("SITEURL"))
        if key not in cards:
            drawn = key[:2] + (CARD_LEVEL,) + key[3:]
            if drawn not in cards:
                cards[drawn] = _draw(env, CARD_TEMPLATE, context, story=story, lang=lang, page_lang=lang,
                                     card_heading=CARD_LEVEL)
            cards[key] = Markup(_at_level(cards[drawn], heading))
        return cards[key]

    return story_card


def champion_card_renderer(env, cards: dict):
    """A Jinja function that renders a champion's card once per language, heading level and base
    URL, then reuses it: a champion's card is on every story she tells, her country's page and
    the champions' pages, three thousand times at 1,000 stories. What the card shows depends on
    nothing else (the champion's name, role, country, photo or initials, and the link to her page)."""

    @pass_context
    def champion_card(context, champion, lang, heading=3):
        key = ("champion", id(champion), lang, heading, context.get("SITEURL"))
        if key not in cards:
            cards[key] = _draw(env, CHAMPION_CARD_TEMPLATE, context, champion=champion, lang=lang,
                               card_heading=heading)
        return cards[key]

    return champion_card


def _draw(env, template: str, context, **values) -> Markup:
    """A card: `template` rendered with the page's context and `values`, what the card's key names."""
    return Markup(env.get_template(template).render({**context.parent, **values}))


CARD_LEVEL = 3  # the level a card is drawn at; story_card.html's title element is <h{{ card_heading }}>
CARD_TITLE = ' class="s4a-story-card__title"'


def _at_level(card: str, level: int) -> str:
    """The card drawn at CARD_LEVEL with its title as <h{level}>. The title element is the card's
    only heading, and what is inside it is escaped text and a link, so its end tag is the first
    </h3> after it."""
    if level == CARD_LEVEL:
        return card
    card = str(card)  # plain text: Markup would escape the tags added below
    start = card.index(f"<h{CARD_LEVEL}{CARD_TITLE}")
    end = card.index(f"</h{CARD_LEVEL}>", start)
    return (card[:start] + f"<h{level}" + card[start + 3:end] + f"</h{level}>" + card[end + 5:])


def write_all(generator, writer):
    ctx, settings = generator.context, generator.settings
    languages = list(settings["STEM4ALL_LANGUAGES"])

    def write(path, template, lang, stories=None, paginate="articles", items=None, **kwargs):
        """Write `path` (without the language prefix) in `lang`; lists are paginated."""
        url = lang_prefix(settings, lang) + path
        paginated = {paginate: items if items is not None else [localise(s, lang) for s in stories or []]}
        writer.write_file(
            url + "index.html", generator.get_template(template), ctx, paginated=paginated,
            template_name=template, url=url, page_lang=lang, page_path=path,
            relative_urls=settings["RELATIVE_URLS"], **kwargs,
        )

    for lang in languages:
        write("", "index", lang, ctx["articles"])
        write("champions/", "champions", lang, paginate="champions", items=ctx["champions"])
        write("pillars/", "pillars", lang, paginate="pillars", items=ctx["pillars"])
        write("countries/", "countries", lang, paginate="countries", items=ctx["countries"])
        if settings["STEM4ALL_SEARCH"]:
            write("search/", "search", lang)
        for kind in ("champion", "pillar", "page"):
            for original in ctx[kind + "s"]:
                item = localise(original, lang)
                path = settings[f"STEM4ALL_{kind.upper()}_URL"].format(slug=original.slug)
                stories = ctx["featured_stories"] if original.template == "campaign" else getattr(original, "stories", [])
                write(path, original.template, lang, stories, **{"page": item, kind: item})
        for group in ctx["countries"]:
            write(settings["STEM4ALL_COUNTRY_URL"].format(slug=group.slug), "country", lang, group.stories,
                  country=group)
        for tag, stories in sorted(ctx["tags"], key=lambda pair: pair[0].slug):
            newest_first = sorted(stories, key=lambda s: (s.date, s.slug), reverse=True)
            write(settings["STEM4ALL_TAG_URL"].format(slug=tag.slug), "tag", lang, newest_first, tag=tag)
