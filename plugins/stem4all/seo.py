"""What search engines and GitHub Pages read: sitemap.xml with hreflang, robots.txt, .nojekyll, CNAME."""

from __future__ import annotations

import os
from xml.sax.saxutils import escape, quoteattr

from datetime import timedelta, timezone

from .settings import lang_prefix, now


def _absolute(settings, url: str) -> str:
    return f"{settings['SITEURL']}/{url}"


def sitemap_entries(settings, ctx) -> list[tuple[str, str | None, dict[str, str]]]:
    """(url, lastmod, {lang: alternate url}) for every public page, stories first."""
    entries = []
    for story in ctx["articles"]:
        versions = [story, *story.translations]
        alternates = {v.lang: v.url for v in versions}
        for version in versions:
            changed = getattr(version, "updated", None) or version.date
            entries.append((version.url, changed.strftime("%Y-%m-%d"), alternates))
    listings = ["", "champions/", "pillars/", "countries/"]
    for kind, folder in (("champion", "champions"), ("pillar", "pillars"), ("page", "pages")):
        listings += [settings[f"STEM4ALL_{kind.upper()}_URL"].format(slug=item.slug) for item in ctx[folder]]
    listings += [settings["STEM4ALL_COUNTRY_URL"].format(slug=g.slug) for g in ctx["countries"]]
    listings += [settings["STEM4ALL_TAG_URL"].format(slug=tag.slug) for tag, _ in ctx["tags"]]
    for path in listings:
        alternates = {lang: lang_prefix(settings, lang) + path for lang in settings["STEM4ALL_LANGUAGES"]}
        entries.extend((url, None, alternates) for url in alternates.values())
    return entries


def sitemap_xml(settings, ctx) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for url, lastmod, alternates in sitemap_entries(settings, ctx):
        lines.append(f"<url><loc>{escape(_absolute(settings, url))}</loc>")
        if lastmod:
            lines.append(f"<lastmod>{lastmod}</lastmod>")
        if len(alternates) > 1:
            for lang, alt in sorted(alternates.items()):
                lines.append(f'<xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(_absolute(settings, alt))}/>')
        lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def security_txt(settings) -> str:
    """RFC 9116: where to report a problem; it expires a year after the build (SOURCE_DATE_EPOCH-aware)."""
    expires = (now(settings) + timedelta(days=365)).astimezone(timezone.utc).replace(microsecond=0)
    lines = [f"Contact: {settings['STEM4ALL_SECURITY_CONTACT']}",
             f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
             f"Preferred-Languages: {', '.join(settings['STEM4ALL_LANGUAGES'])}"]
    if settings["SITEURL"].startswith("http"):
        lines.append(f"Canonical: {_absolute(settings, '.well-known/security.txt')}")
    return "\n".join(lines) + "\n"


def write(generator) -> None:
    settings, ctx, out = generator.settings, generator.context, generator.output_path
    files = {
        "sitemap.xml": sitemap_xml(settings, ctx),
        "robots.txt": f"User-agent: *\nAllow: /\n\nSitemap: {_absolute(settings, 'sitemap.xml')}\n",
        # GitHub Pages would otherwise run the site through Jekyll, which hides folders starting with _.
        ".nojekyll": "",
    }
    if settings.get("STEM4ALL_SECURITY_CONTACT"):
        files[".well-known/security.txt"] = security_txt(settings)
    if settings.get("STEM4ALL_CNAME"):
        files["CNAME"] = settings["STEM4ALL_CNAME"].strip() + "\n"
    for name, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(out, name)), exist_ok=True)
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(text)


def story_jsonld(settings, story, lang) -> dict:
    """schema.org Article (authors as Person) and its BreadcrumbList, for search engines."""
    from markupsafe import Markup

    from .i18n import localise

    url = _absolute(settings, story.url)
    article = {
        "@type": "Article",
        "headline": Markup(story.title).striptags(),
        "description": Markup(story.summary).striptags(),
        "datePublished": story.date.isoformat(),
        "dateModified": (getattr(story, "updated", None) or story.date).isoformat(),
        "inLanguage": story.lang,
        "url": url,
        "mainEntityOfPage": url,
        "isAccessibleForFree": True,
        "license": settings["STEM4ALL_LICENSE"]["url"],
        "author": [{"@type": "Person", "name": c.title, "jobTitle": c.role, "url": _absolute(settings, c.url)}
                   for c in story.champions],
        "publisher": {"@type": "Organization", "name": settings["SITENAME"], "url": _absolute(settings, "")},
    }
    if getattr(story, "share_card", None):  # the original cover is never published; its card always is
        article["image"] = _absolute(settings, story.share_card)
    crumbs = [(settings["SITENAME"], _absolute(settings, lang_prefix(settings, lang)))]
    if story.pillars:
        pillar = localise(story.pillars[0], lang)
        crumbs.append((pillar.title, _absolute(settings, lang_prefix(settings, lang) + settings["STEM4ALL_PILLAR_URL"].format(slug=pillar.slug))))
    crumbs.append((article["headline"], url))
    breadcrumbs = {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": i, "name": name, "item": item} for i, (name, item) in enumerate(crumbs, 1)]}
    return {"@context": "https://schema.org", "@graph": [article, breadcrumbs]}
