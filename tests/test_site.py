"""The built site: every page exists, links where it should, and drafts leave no trace."""

import json
import re

import pytest


def links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "404.html",
        "stories/robots/index.html",
        "stories/air/index.html",
        "ru/stories/robots/index.html",
        "ky/stories/code-on-phone/index.html",
        "champions/index.html",
        "champions/ada-test/index.html",
        "champions/gulsen-test/index.html",
        "champions/malika-q/index.html",
        "ru/champions/ada-test/index.html",
        "pillars/index.html",
        "pillars/research/index.html",
        "pillars/communications/index.html",
        "ru/pillars/research/index.html",
        "countries/index.html",
        "countries/kyrgyzstan/index.html",
        "countries/azerbaijan/index.html",
        "countries/kazakhstan/index.html",
        "tags/robotics/index.html",
    ],
)
def test_every_page_is_written_with_one_main_and_one_h1(built_site, page):
    html = built_site.page(page)
    assert html.count("<main") == 1
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert 'class="s4a-skip-link" href="#main"' in html


def test_multi_champion_multi_pillar_story_is_listed_on_each_of_their_pages(built_site):
    for page in ("champions/ada-test/index.html", "champions/gulsen-test/index.html",
                 "pillars/research/index.html", "pillars/communications/index.html",
                 "countries/azerbaijan/index.html", "index.html"):
        assert "/stories/air/" in links(built_site.page(page)), page


def test_story_links_to_its_champions_pillars_country_and_tags(built_site):
    found = links(built_site.page("stories/air/index.html"))
    assert {"/champions/gulsen-test/", "/champions/ada-test/", "/pillars/research/",
            "/pillars/communications/", "/countries/azerbaijan/"} <= found
    assert {"/tags/robotics/", "/tags/schools/"} <= links(built_site.page("stories/robots/index.html"))


def test_champion_page_shows_profile_and_her_stories_newest_first(built_site):
    html = built_site.page("champions/ada-test/index.html")
    assert "Robotics engineer" in html and "Ada builds robots" in html
    assert 'href="/countries/kyrgyzstan/"' in html and 'href="https://example.org/lab"' in html
    assert re.search(r'<img class="s4a-avatar" src="/images/portrait-[0-9a-f]{8}-200\.jpg" [^>]*alt="A drawn portrait"', html)
    assert html.index("/stories/robots/") < html.index("/stories/air/")


def test_translations_link_to_each_other_both_ways(built_site):
    en, ru = built_site.page("stories/robots/index.html"), built_site.page("ru/stories/robots/index.html")
    assert 'hreflang="ru" href="/ru/stories/robots/"' in en
    assert 'hreflang="en" href="/stories/robots/"' in ru
    assert '<html lang="ru">' in ru and '<html lang="en">' in en


def test_translated_champion_inherits_fields_from_the_original(built_site):
    html = built_site.page("ru/champions/ada-test/index.html")
    assert '<html lang="ru">' in html
    assert "Инженер-робототехник" in html and "Ada Test" in html and "Ада строит роботов" in html
    assert 'href="/champions/ada-test/"' in html


def test_story_only_in_kyrgyz_is_a_story_with_a_language_label(built_site):
    html = built_site.page("ky/stories/code-on-phone/index.html")
    assert '<html lang="ky">' in html
    home = built_site.page("index.html")
    assert "/ky/stories/code-on-phone/" in home
    assert re.search(r'class="s4a-tag s4a-tag--lang"[^>]*>Kyrgyz<', home)


def test_pillar_page_has_description_co_chairs_join_link_and_stories(built_site):
    html = built_site.page("pillars/research/index.html")
    assert "The research working group gathers evidence" in html
    assert "Test Chair" in html and 'href="https://example.org/join"' in html
    assert {"/stories/robots/", "/stories/air/"} <= links(html)


def test_minor_without_photo_consent_gets_initials_not_a_photo(built_site):
    html = built_site.page("champions/malika-q/index.html")
    assert "s4a-avatar--initials" in html and "<img class=\"s4a-avatar\"" not in html


def test_sample_content_says_it_is_fictional(built_site):
    assert "fictional" in built_site.page("stories/robots/index.html")
    assert "fictional" in built_site.page("champions/ada-test/index.html")
    assert "fictional" not in built_site.page("champions/gulsen-test/index.html")


@pytest.mark.parametrize("secret", ["Secret draft", "secret-draft", "Embargoed", "future-embargo", "embargotag", "draft-only"])
def test_drafts_and_future_stories_leave_no_trace(built_site, secret):
    for rel in built_site.files():
        assert secret not in rel
        if rel.endswith((".html", ".xml", ".txt", ".json")):
            assert secret not in built_site.page(rel), rel
    assert not (built_site.output / "drafts").exists()


def test_embargoed_story_appears_once_its_date_has_come(make_site, monkeypatch):
    s = make_site()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4102444800")  # 2100-01-01
    assert s.build() == 0
    assert "stories/future-embargo/index.html" in s.files()
    assert "/stories/future-embargo/" in s.page("champions/gulsen-test/index.html")


def test_story_body_links_work_as_written_for_github(built_site):
    html = built_site.page("stories/robots/index.html")
    assert 'href="/stories/air/"' in html
    assert 'href="/champions/ada-test/"' in html
    assert 'href="../../champions/"' in html
    assert re.search(r'src="\.\./\.\./images/cover-[0-9a-f]{8}-320\.jpg"', html)


def test_story_body_is_sanitised(built_site):
    html = built_site.page("stories/air/index.html")
    body = html[html.index('class="s4a-prose"'):]
    assert "<script>alert(1)" not in body and "javascript:" not in body


def test_every_page_carries_a_content_security_policy(built_site):
    for rel in built_site.files():
        if rel.endswith(".html"):
            assert 'http-equiv="Content-Security-Policy"' in built_site.page(rel), rel


def test_listings_paginate_with_rel_next_and_prev(make_site):
    s = make_site()
    assert s.build(DEFAULT_PAGINATION=1) == 0
    first, second = s.page("index.html"), s.page("page/2/index.html")
    assert '<link rel="next" href="/page/2/">' in first
    assert '<link rel="prev" href="/">' in second
    assert "champions/ada-test/page/2/index.html" in s.files()


def test_internal_links_resolve_to_written_pages(built_site):
    written = set(built_site.files())
    for rel in written:
        if not rel.endswith(".html"):
            continue
        for href in links(built_site.page(rel)):
            if href.startswith("/") and not href.startswith("//"):
                target = href.split("#")[0].lstrip("/")
                assert target == "" or target in written or target + "index.html" in written, (rel, href)


def test_publish_build_puts_every_link_under_the_base_path(make_site, monkeypatch):
    s = make_site()
    monkeypatch.setenv("SITEURL", "https://org.github.io/repo")
    assert s.build("publishconf.py", SITEURL="https://org.github.io/repo") == 0
    html = s.page("stories/robots/index.html")
    for href in links(html):
        assert not (href.startswith("/") and not href.startswith("//")), href
    assert 'href="https://org.github.io/repo/champions/ada-test/"' in html


@pytest.mark.parametrize("lang", ["ru", "ky"])
def test_every_listing_is_written_in_each_interface_language(built_site, lang):
    for path in ("", "champions/", "pillars/", "countries/", "countries/kyrgyzstan/", "tags/robotics/",
                 "champions/gulsen-test/", "pillars/communications/"):
        html = built_site.page(f"{lang}/{path}index.html")
        assert f'<html lang="{lang}">' in html, path
        assert f'href="/{lang}/champions/"' in html, "navigation stays in the reader's language"


def test_listing_in_russian_shows_the_russian_version_and_labels_the_rest(built_site):
    html = built_site.page("ru/index.html")
    assert 'href="/ru/stories/robots/"' in html and 'href="/stories/robots/"' not in html
    assert 'href="/stories/air/"' in html
    assert re.search(r'class="s4a-tag s4a-tag--lang"[^>]*>Английский<', html)


def test_untranslated_profile_in_another_interface_keeps_its_own_language(built_site):
    html = built_site.page("ru/champions/gulsen-test/index.html")
    assert '<article class="s4a-profile" lang="en">' in html
    assert '<link rel="canonical"' in html


def test_language_switcher_leads_to_the_same_page_or_the_translation(built_site):
    listing = built_site.page("champions/index.html")
    assert 'href="/ru/champions/" hreflang="ru"' in listing and 'href="/ky/champions/" hreflang="ky"' in listing
    story = built_site.page("stories/robots/index.html")
    assert 'href="/ru/stories/robots/" hreflang="ru"' in story
    assert 'href="/ky/" hreflang="ky"' in story, "no Kyrgyz version: the switcher leads to the Kyrgyz home"


def test_campaign_page_shows_featured_stories_and_the_date(built_site):
    html = built_site.page("day-of-the-girl/index.html")
    assert "/stories/robots/" in html and "/stories/air/" not in html
    assert re.search(r'<time datetime="\d{4}-10-11">', html)
    assert 'href="/ru/stories/robots/"' in built_site.page("ru/day-of-the-girl/index.html")


def test_join_page_lists_the_working_groups_with_co_chairs_and_join_links(built_site):
    html = built_site.page("join/index.html")
    assert "Write to the coordinator" in html
    assert "Test Chair" in html and 'href="https://example.org/join"' in html
    assert 'href="/pillars/research/"' in html and 'href="/pillars/communications/"' in html
    assert "Присоединяйтесь" in built_site.page("ru/join/index.html")


@pytest.mark.parametrize("epoch, leads", [("1760140800", True), ("1769904000", False)])  # 2025-10-11 / 2026-02-01
def test_home_leads_with_the_campaign_while_it_runs(make_site, monkeypatch, epoch, leads):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    s = make_site()
    assert s.build() == 0
    html = s.page("index.html")
    assert (html.index('id="featured-heading"') < html.index('id="latest-heading"')) is leads


def test_titles_and_names_are_escaped(make_site):
    s = make_site()
    text = (s.content / "stories" / "robots.md").read_text()
    s.write("stories/robots.md", text.replace("title: Robots in the village", 'title: "<script>alert(1)</script> Robots"'))
    assert s.build() == 0
    html = s.page("stories/robots/index.html")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Robots" in html


def test_story_shows_reading_time_licence_share_links_and_neighbours(built_site):
    html = built_site.page("stories/air/index.html")
    assert re.search(r"\d+ minute(s)? read", html)
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license' in html
    for host in ("https://t.me/share/url?url=", "https://wa.me/?text=", "https://www.facebook.com/sharer/",
                 "https://x.com/intent/post?url=", "https://www.linkedin.com/sharing/", "mailto:?subject="):
        assert host in html
    assert "<script src=\"https://" not in html, "no third-party script"
    assert 'id="related-heading"' in html and 'href="/stories/robots/"' in html


def test_previous_and_next_stay_within_the_working_group(built_site):
    robots = built_site.page("stories/robots/index.html")
    assert re.search(r'rel="prev" href="/stories/air/"', robots)
    assert 'rel="next"' not in robots.split('class="s4a-neighbours"')[1]


def test_corrections_show_the_updated_date(make_site):
    s = make_site()
    path = s.content / "stories" / "robots.md"
    path.write_text(path.read_text().replace("date: 2025-10-11\n", "date: 2025-10-11\nupdated: 2025-10-20\n"))
    assert s.build() == 0
    assert "Updated October 20, 2025" in s.page("stories/robots/index.html")


def test_home_shows_the_newest_featured_stories_and_links_to_all_of_them(make_site):
    s = make_site()
    for day in range(1, 9):  # with robots.md, nine featured stories: more than the home page shows
        s.write(f"stories/featured-{day}.md", f"""---
title: Featured story {day}
champions: ada-test
pillars: research
date: 2025-09-{day:02d}
summary: One of many featured stories.
consent: true
featured: true
---
A story for the campaign.
""")
    assert s.build() == 0
    for lang, prefix in (("en", ""), ("ru", "ru/")):
        home = s.page(f"{prefix}index.html")
        featured = home[home.index('id="featured-heading"'):]
        featured = featured[:featured.index("</section>")]
        shown = re.findall(r'href="/(?:ru/)?stories/([^/]+)/"', featured)
        assert shown == ["robots", "featured-8", "featured-7", "featured-6", "featured-5", "featured-4"], lang
        assert f'href="/{prefix}day-of-the-girl/"' in featured
        campaign = s.page(f"{prefix}day-of-the-girl/index.html")
        assert all(f"/stories/featured-{day}/" in campaign for day in range(1, 9))


def test_home_without_more_featured_stories_than_it_shows_has_no_link_to_all(built_site):
    home = built_site.page("index.html")
    featured = home[home.index('id="featured-heading"'):]
    assert "/stories/robots/" in featured[:featured.index("</section>")]
    assert "day-of-the-girl/" not in featured[:featured.index("</section>")]


def test_a_story_card_is_the_same_on_every_listing_but_keeps_its_heading_level_and_language(built_site):
    def card(rel):
        html = built_site.page(rel)
        link = re.search(r'class="s4a-story-card__link" href="/(ru/)?stories/robots/"', html).start()
        start = html.rindex('<article class="s4a-story-card">', 0, link)
        return html[start:html.index("</article>", start)]

    home, pillar, tag = card("index.html"), card("pillars/research/index.html"), card("tags/robotics/index.html")
    assert home == pillar and '<h3 class="s4a-story-card__title"' in home
    assert tag == home.replace("<h3 ", "<h2 ").replace("</h3>", "</h2>")
    assert card("ru/pillars/research/index.html") != pillar


def test_search_indexes_every_story_page_in_each_language(built_site):
    entry = json.loads(built_site.page("pagefind/pagefind-entry.json"))
    stories = list(built_site.output.glob("stories/*/index.html")) + list(built_site.output.glob("*/stories/*/index.html"))
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == len(stories) > 0
    assert {"en", "ru", "ky"} <= set(entry["languages"])


def test_footer_and_navigation_are_the_same_on_every_page_of_a_language(make_site, small_is_enough):
    """They are drawn once per language, from the site's context, and reused on every page of it,
    whichever page and process draws them first (here with listings of one item a page)."""
    site = make_site()
    assert site.build(DEFAULT_PAGINATION=1, STEM4ALL_PAGE_PROCESSES=2) == 0
    assert (site.output / "pillars" / "page" / "2" / "index.html").exists()  # the pillars listing is paginated
    for prefix in ("", "ru/", "ky/"):
        footers, navs = set(), set()
        for name in site.files():
            if not name.endswith(".html") or not name.startswith(prefix) or (
                    not prefix and name.startswith(("ru/", "ky/"))):
                continue
            html = site.page(name)
            footer = re.search(r'<footer class="s4a-footer">.*?</footer>', html, re.S)
            nav = re.search(r'<nav class="s4a-nav".*?</nav>', html, re.S)
            if footer and nav:
                footers.add(footer.group())
                navs.add(nav.group())
        assert len(footers) == 1 and len(navs) == 1, prefix
        footer = footers.pop()
        assert f'href="/{prefix}pillars/communications/"' in footer
        assert f'href="/{prefix}pillars/research/"' in footer
        assert f'href="/{prefix}champions/"' in navs.pop()


def test_templates_read_the_environment_s_globals_directly():
    """Our environment gives a template without globals of its own the environment's globals dict
    (Jinja would chain an empty map in front of it), and keeps every template in a plain dict."""
    from collections import ChainMap
    from types import SimpleNamespace

    import jinja2

    from stem4all import plugin
    from stem4all.settings import DEFAULTS

    from pathlib import Path

    from pelican.settings import read_settings

    conf = read_settings(str(Path(__file__).resolve().parent.parent / "pelicanconf.py"))
    env = jinja2.Environment(loader=jinja2.DictLoader({"page.html": "{{ _x }} {{ story_card is defined }}"}),
                             **conf["JINJA_ENVIRONMENT"])
    plugin.setup_templates(SimpleNamespace(context={}, settings=dict(DEFAULTS), env=env))
    env.globals["_x"] = "set later"
    template = env.get_template("page.html")
    assert template.globals is env.globals
    assert template.render() == "set later True"
    own = env.from_string("{{ y }}", globals={"y": "own"})
    assert isinstance(own.globals, ChainMap) and own.render() == "own"
    assert "y" not in env.globals
    assert type(env.cache) is dict


def test_the_reader_gives_stories_with_a_tag_one_tag_object():
    """Pelican slugifies a tag the first time it hashes it; one Tag per name spares that per story."""
    from pelican.urlwrappers import Category, Tag

    from stem4all.reader import StoryReader
    from stem4all.settings import DEFAULTS

    reader = StoryReader(dict(DEFAULTS, SLUGIFY_SOURCE="title", SLUG_REGEX_SUBSTITUTIONS=[]))
    first, second = reader.convert("tags", ["Robotics", "Girls in STEM"]), reader.convert("tags", "Robotics")
    assert first[0] is second[0] and isinstance(first[0], Tag) and str(first[0]) == "Robotics"
    assert first[1] is not first[0] and str(first[1]) == "Girls in STEM"
    assert reader._tag("stories", Category) is reader._tag("stories", Category)
    assert not isinstance(reader._tag("stories", Category), Tag) and reader._tag("stories") is not reader._tag("stories", Category)
