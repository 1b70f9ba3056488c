"""Write every page that lists stories, once per interface language: home, champions, pillars, countries, tags."""

from __future__ import annotations

from .i18n import localise
from .settings import lang_prefix


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
