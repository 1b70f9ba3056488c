"""The real sample site in headless Chromium: accessible, keyboard-usable, no errors, fits a phone."""

import pytest

from browser import CHROMIUM_FLAGS, StaticServer, chromium_path
from conftest import ROOT, Site

pytestmark = pytest.mark.browser

# Every page type, in every interface language.
PAGE_TYPES = ["", "champions/", "champions/aigerim-sultanova/", "champions/malika-q/", "pillars/", "pillars/research/",
              "countries/", "countries/kyrgyzstan/", "tags/robotics/", "search/", "join/", "day-of-the-girl/",
              "privacy/", "accessibility/", "contact/", "disclaimer/"]
STORIES = ["/stories/robotics-club-village-school/", "/ru/stories/mapping-air-quality-bishkek/",
           "/ky/stories/open-door-for-parents/", "/ru/stories/night-shift-in-the-biotech-lab/"]
PAGES = [prefix + path for prefix in ("/", "/ru/", "/ky/") for path in PAGE_TYPES] + STORIES + ["/404.html"]


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("real")
    site = Site(root)
    site.content = ROOT / "content"
    assert site.build() == 0
    with StaticServer(site.output) as server:
        yield server.url


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_accessibility_violations_and_no_console_errors(browser, site_url, path):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(site_url + path)
    assert response.status == 200
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert violations == [], violations
    assert errors == [], errors
    context.close()


@pytest.mark.parametrize("path", ["/", "/stories/robotics-club-village-school/", "/champions/aigerim-sultanova/",
                                  "/pillars/research/", "/ru/", "/ky/stories/open-door-for-parents/", "/search/",
                                  "/countries/"])
def test_page_fits_a_phone_without_sideways_scrolling(phone, site_url, path):
    phone.goto(site_url + path)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_keyboard_user_reaches_the_skip_link_first_and_it_moves_focus_to_main(phone, site_url):
    phone.goto(site_url + "/stories/robotics-club-village-school/")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.className") == "s4a-skip-link"
    assert phone.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.id") == "main"


def test_reader_follows_a_story_to_its_champion_and_to_its_translation(phone, site_url):
    phone.goto(site_url + "/stories/mapping-air-quality-bishkek/")
    phone.get_by_role("navigation", name="Language").get_by_role("link", name="Русский").click()
    assert phone.evaluate("document.documentElement.lang") == "ru"
    assert phone.url.endswith("/ru/stories/mapping-air-quality-bishkek/")
    phone.go_back()
    phone.locator(".s4a-story__byline a").first.click()
    assert "/champions/" in phone.url
    assert phone.locator("h1").count() == 1


def _search(page, url, words):
    page.goto(url)
    page.locator("#search-query").fill(words)
    page.locator(".s4a-search__result").first.wait_for(timeout=10000)
    return page.locator(".s4a-search__link").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def test_search_finds_an_english_word(phone, site_url):
    hrefs = _search(phone, site_url + "/search/", "robotics")
    assert "/stories/robotics-club-village-school/" in hrefs
    assert all("/champions/" not in h and h != "/" for h in hrefs), "only stories are indexed"


def test_search_finds_a_cyrillic_word_in_the_russian_index(phone, site_url):
    hrefs = _search(phone, site_url + "/ru/search/", "любопытство")
    assert "/ru/stories/night-shift-in-the-biotech-lab/" in hrefs


def test_search_filters_by_working_group(phone, site_url):
    unfiltered = _search(phone, site_url + "/search/", "girls")
    assert "/stories/robotics-club-village-school/" in unfiltered
    phone.locator("select[data-filter=pillars]").select_option(label="Research")
    phone.locator('.s4a-search__link[href="/stories/robotics-club-village-school/"]').wait_for(state="detached")
    hrefs = phone.locator(".s4a-search__link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "/stories/where-the-pipeline-leaks/" in hrefs
    assert "/stories/robotics-club-village-school/" not in hrefs


def test_search_page_without_javascript_says_so_and_links_to_listings(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/search/")
    assert page.locator(".s4a-notice", has_text="Search needs JavaScript").is_visible()
    assert page.locator(".s4a-search a[href='/champions/']").is_visible()
    assert not page.locator(".s4a-search__form").is_visible()
    context.close()


def test_keyboard_user_can_reach_every_menu_link_with_a_visible_focus(phone, site_url):
    phone.goto(site_url + "/")
    seen = []
    for _ in range(14):
        phone.keyboard.press("Tab")
        seen.append(phone.evaluate("document.activeElement.getAttribute('href')"))
        # A card shows the ring around the whole card while its link has the focus.
        outline = phone.evaluate("""(() => { const el = document.activeElement;
            const card = el.closest('.s4a-story-card, .s4a-champion-card, .s4a-pillar-card, .s4a-country-list__item');
            return getComputedStyle(card || el).outlineStyle; })()""")
        assert outline not in ("none", ""), seen[-1]
    assert {"/champions/", "/pillars/", "/countries/", "/search/", "/ru/", "/ky/"} <= set(seen)


def test_keyboard_user_can_search(phone, site_url):
    phone.goto(site_url + "/search/")
    phone.locator("#search-query").wait_for()
    phone.locator("#search-query").focus()
    phone.keyboard.type("robotics")
    phone.keyboard.press("Enter")
    phone.locator(".s4a-search__result").first.wait_for()
    phone.keyboard.press("Shift+Tab")
    assert phone.locator(".s4a-search__link").count() > 0


def test_copy_link_button_works_with_the_keyboard(browser, site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_url + "/stories/robotics-club-village-school/")
    button = page.get_by_role("button", name="Copy link")
    button.focus()
    page.keyboard.press("Enter")
    page.locator(".s4a-share__status", has_text="Link copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()").endswith("/stories/robotics-club-village-school/")
    context.close()
