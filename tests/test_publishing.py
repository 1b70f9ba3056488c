"""A production build: feeds, sitemap, robots, link previews and structured data under a base path."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

BASE = "https://org.github.io/repo"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    import shutil

    from conftest import FIXTURES, Site

    root = tmp_path_factory.mktemp("published")
    shutil.copytree(FIXTURES / "site", root / "content")
    site = Site(root)
    assert site.build("publishconf.py", SITEURL=BASE, FEED_DOMAIN=BASE, STEM4ALL_CNAME="stories.example.org") == 0
    return site


def test_feeds_are_valid_atom_with_absolute_links_and_full_content(published):
    for rel in ["feeds/all.atom.xml", "feeds/en.atom.xml", "feeds/ru.atom.xml", "feeds/pillars/research.atom.xml",
                "feeds/champions/ada-test.atom.xml"]:
        feed = ET.fromstring(published.page(rel))
        entries = feed.findall(f"{ATOM}entry")
        assert entries, rel
        for entry in entries:
            assert entry.find(f"{ATOM}link").get("href").startswith(BASE + "/")
            content = entry.find(f"{ATOM}content").text or ""
            for url in re.findall(r'(?:href|src)="([^"]+)"', content):
                assert re.match(r"(https?|mailto):", url), (rel, url)
            for srcset in re.findall(r'srcset="([^"]+)"', content):
                for candidate in srcset.split(","):
                    assert candidate.strip().startswith(BASE + "/"), (rel, candidate)


def test_pictures_in_feed_entries_point_at_published_files(published):
    content = published.page("feeds/all.atom.xml")
    urls = re.findall(r'src(?:set)?="([^"]+)"', content.replace("&quot;", '"'))
    files = [part.strip().split(" ")[0] for url in urls for part in url.split(",")]
    assert any(url.endswith(".webp") for url in files), "a story body with a picture is in the feed"
    for url in files:
        if url.startswith(BASE + "/"):
            assert (published.output / url[len(BASE) + 1:]).is_file(), url


def test_feed_of_a_champion_holds_her_stories_only(published):
    feed = published.page("feeds/champions/gulsen-test.atom.xml")
    assert "/stories/air/" in feed and "/stories/robots/" not in feed
    assert "Embargoed" not in feed and "Secret draft" not in feed


def test_sitemap_lists_every_page_with_hreflang_and_lastmod(published):
    sitemap = ET.fromstring(published.page("sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = [u.find("s:loc", ns).text for u in sitemap.findall("s:url", ns)]
    assert f"{BASE}/stories/robots/" in locs and f"{BASE}/ru/stories/robots/" in locs
    assert f"{BASE}/ru/champions/ada-test/" in locs and f"{BASE}/countries/kyrgyzstan/" in locs
    assert not [loc for loc in locs if "secret" in loc or "embargo" in loc]
    robots = next(u for u in sitemap.findall("s:url", ns) if u.find("s:loc", ns).text == f"{BASE}/stories/robots/")
    assert robots.find("s:lastmod", ns).text == "2025-10-11"
    assert {link.get("hreflang") for link in robots.findall("x:link", ns)} == {"en", "ru"}


def test_robots_nojekyll_and_cname_are_written(published):
    assert f"Sitemap: {BASE}/sitemap.xml" in published.page("robots.txt")
    assert (published.output / ".nojekyll").exists()
    assert published.page("CNAME") == "stories.example.org\n"


def test_story_has_canonical_link_previews_and_structured_data(published):
    html = published.page("stories/robots/index.html")
    assert f'<link rel="canonical" href="{BASE}/stories/robots/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:image" content="{BASE}/cards/stories/robots.jpg">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    article, crumbs = data["@graph"]
    assert article["@type"] == "Article" and article["author"][0] == {
        "@type": "Person", "name": "Ada Test", "jobTitle": "Robotics engineer", "url": f"{BASE}/champions/ada-test/"}
    assert article["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert article["image"] == f"{BASE}/cards/stories/robots.jpg"
    assert (published.output / "cards/stories/robots.jpg").is_file()
    assert [c["item"] for c in crumbs["itemListElement"]] == [f"{BASE}/", f"{BASE}/pillars/research/", f"{BASE}/stories/robots/"]


def test_404_page_links_and_styles_work_at_any_depth(published):
    html = published.page("404.html")
    for url in re.findall(r'(?:href|src)="([^"]+)"', html):
        assert url.startswith((BASE + "/", "#", "https://")), url


def test_every_link_and_asset_stays_under_the_base_path(published):
    for rel in published.files():
        if not rel.endswith(".html"):
            continue
        for url in re.findall(r'(?:href|src)="([^"]+)"', published.page(rel)):
            assert not (url.startswith("/") and not url.startswith("//")), (rel, url)
