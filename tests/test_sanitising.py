"""Stories are untrusted input: OWASP-style payloads are rendered in Chromium and nothing runs."""

import re
from html.parser import HTMLParser

import pytest

from browser import CHROMIUM_FLAGS, StaticServer, chromium_path
from conftest import FIXTURES

PAYLOADS = [p for p in (FIXTURES / "xss-payloads.txt").read_text(encoding="utf-8").split("\n") if p.strip()]

STORY = """---
title: Hostile story
champions: ada-test
pillars: research
date: 2025-05-01
summary: Payloads.
consent: true
---
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    import shutil

    from conftest import Site

    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(FIXTURES / "site", root / "content")
    site = Site(root)
    site.write("stories/hostile.md", STORY + "\n\n".join(f"Payload {i}:\n\n{p}" for i, p in enumerate(PAYLOADS)))
    assert site.build() == 0
    return site


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_no_script_handler_or_dangerous_url_survives_in_the_html(hostile_site):
    html = hostile_site.page("stories/hostile/index.html")
    parser = Tags()
    parser.feed(html[html.index('<div class="s4a-prose">'):html.index("</article>")])
    tags = {tag for tag, _ in parser.tags}
    assert not tags & {"script", "iframe", "object", "embed", "form", "style", "meta", "base", "link",
                       "svg", "math", "input", "frame", "frameset", "body", "noscript", "details"}
    for tag, attrs in parser.tags:
        assert not [a for a in attrs if a.startswith("on") or a == "style"], (tag, attrs)
        for url in (attrs.get("href"), attrs.get("src")):
            assert not (url and re.match(r"\s*(javascript|data|vbscript):", url, re.I)), (tag, url)


@pytest.mark.browser
def test_payloads_run_nothing_in_a_real_browser(hostile_site):
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    with StaticServer(hostile_site.output) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        dialogs, outside = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server.url) else None)
        page.goto(server.url + "/stories/hostile/")
        for element in page.locator(".s4a-prose *").all():
            for event in ("mouseover", "focus", "error", "load", "toggle"):
                element.dispatch_event(event)
        page.wait_for_timeout(300)
        assert page.url == server.url + "/stories/hostile/"
        assert page.evaluate("window.__xss") is None
        assert dialogs == [] and outside == []
        browser.close()


@pytest.mark.browser
def test_video_loads_nothing_from_youtube_until_the_reader_presses_play(make_site):
    from playwright.sync_api import sync_playwright

    site = make_site()
    assert site.build() == 0
    path = chromium_path()
    with StaticServer(site.output) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        outside = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server.url) else None)
        page.route("https://www.youtube-nocookie.com/**", lambda route: route.fulfill(body="<p>player</p>"))
        page.goto(server.url + "/stories/robots/")
        assert page.locator("iframe").count() == 0 and outside == []
        page.keyboard.press("Tab")
        play = page.get_by_role("button", name="Play the video")
        play.focus()
        page.keyboard.press("Enter")
        frame = page.locator("iframe")
        assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/aaaaaaaaaaa?autoplay=1"
        assert all(u.startswith("https://www.youtube-nocookie.com/") for u in outside) and outside
        browser.close()


def test_one_file_leaves_nothing_behind_for_the_next():
    from stem4all import markup

    first = markup.render("HTML[^1] and [ref]\n\n[^1]: a note\n\n*[HTML]: Hypertext\n\n[ref]: https://example.org/\n"
                          "\n![p](../images/a.jpg)\n", "stories/a.md", 2)
    second = markup.render("HTML [ref] text[^1]\n\n[b](../champions/b.md)\n", "stories/b.md", 2)
    assert "<abbr" in first.html and "footnote" in first.html and first.images == ["images/a.jpg"]
    assert second.html == '<p>HTML [ref] text[^1]</p>\n<p><a href="{filename}/champions/b.md" rel="noopener noreferrer">b</a></p>'
    assert second.links == ["champions/b.md"] and second.images == []
