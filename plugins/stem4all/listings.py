"""Write the pages that list stories: champions, pillars, countries, and their indexes."""

from __future__ import annotations

def _in_lang(stories, lang):
    from .profiles import localise

    return [localise(s, lang) for s in stories]


def write_all(generator, writer):
    ctx, settings = generator.context, generator.settings
    default = settings["DEFAULT_LANG"]
    write = generator.get_template

    def page(save_as, url, template, lang, stories, **kwargs):
        writer.write_file(
            save_as, write(template), ctx, paginated={"articles": _in_lang(stories, lang)},
            template_name=template, url=url, page_lang=lang, relative_urls=settings["RELATIVE_URLS"], **kwargs,
        )

    for kind in ("champion", "pillar"):
        folder = kind + "s"
        for item in ctx[folder] + ctx[f"{folder}_translations"]:
            page(item.save_as, item.url, kind, item.lang, item.stories, page=item, **{kind: item})
        writer.write_file(
            f"{folder}/index.html", write(folder), ctx, paginated={folder: ctx[folder]},
            template_name=folder, url=f"{folder}/", page_lang=default,
            relative_urls=settings["RELATIVE_URLS"],
        )
    for group in ctx["countries"]:
        page(group.save_as, group.url, "country", default, group.stories, country=group)
    writer.write_file(
        "countries/index.html", write("countries"), ctx, template_name="countries",
        url="countries/", page_lang=default, relative_urls=settings["RELATIVE_URLS"],
    )
