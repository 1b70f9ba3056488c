"""Trust: withdrawal, old addresses that keep working, trust pages, security.txt, licence and credits."""

import re

from conftest import ROOT


def alias_story(s, aliases):
    path = s.content / "stories" / "robots.md"
    path.write_text(path.read_text().replace("featured: true\n", f"featured: true\naliases: {aliases}\n"))


def test_an_alias_becomes_a_redirect_page_under_the_base_path(make_site):
    s = make_site()
    alias_story(s, "[/stories/old-robots/, /2025/robots.html]")
    assert s.build("publishconf.py", SITEURL="https://org.github.io/repo") == 0
    for rel in ("stories/old-robots/index.html", "2025/robots.html"):
        html = s.page(rel)
        assert '<meta http-equiv="refresh" content="0; url=https://org.github.io/repo/stories/robots/">' in html
        assert '<link rel="canonical" href="https://org.github.io/repo/stories/robots/">' in html
        assert '<a href="https://org.github.io/repo/stories/robots/">Robots in the village</a>' in html
        assert '<meta name="robots" content="noindex">' in html
    assert "old-robots" not in s.page("sitemap.xml")


def test_an_alias_that_collides_with_a_page_is_refused(make_site):
    s = make_site()
    alias_story(s, "[/stories/air/]")
    assert any(p.startswith("content/stories/robots.md:12: the old address /stories/air/ is the address of "
                            "content/stories/air.md") for p in s.check())


def test_withdrawing_a_story_removes_it_and_leaves_a_note_at_its_addresses(make_site, monkeypatch):
    from stem4all.withdrawal import withdraw

    s = make_site()
    monkeypatch.chdir(s.root)
    result = withdraw(s.settings(), "robots")
    assert sorted(result.removed) == ["images/cover.jpg", "stories/robots.md", "stories/robots.ru.md"]
    assert not (s.content / "stories" / "robots.md").exists()
    assert result.linking == ["content/champions/ada-test.md"], "the team is told which links to remove"
    bio = s.content / "champions" / "ada-test.md"
    bio.write_text(bio.read_text().replace(" See [her story](../stories/robots.md).", ""))
    assert [p for p in s.check() if ": warning: " not in p] == []
    assert s.build() == 0
    for rel in ("stories/robots/index.html", "ru/stories/robots/index.html"):
        html = s.page(rel)
        assert "withdrawn" in html and '<meta name="robots" content="noindex">' in html
        assert "Robots in the village" not in html
    for rel in s.files():
        if rel.endswith((".html", ".xml")) and "stories/robots/" not in rel:
            assert "Robots in the village" not in s.page(rel), rel
    assert "images/cover.jpg" not in s.files()


def test_withdrawing_a_champion_removes_her_profile_and_stories_that_name_only_her(make_site, monkeypatch):
    from stem4all.withdrawal import withdraw

    s = make_site()
    monkeypatch.chdir(s.root)
    result = withdraw(s.settings(), "gulsen-test")
    assert "champions/gulsen-test.md" in result.removed and "stories/future-embargo.md" in result.removed
    assert result.shared == ["content/stories/air.md"], "a story with another champion is left for the team to edit"
    assert any("there is no champion 'gulsen-test'" in p for p in s.check())


def test_content_published_again_at_a_withdrawn_address_is_refused(make_site, monkeypatch):
    from stem4all.withdrawal import withdraw

    s = make_site()
    monkeypatch.chdir(s.root)
    text = (s.content / "stories" / "air.md").read_text()
    withdraw(s.settings(), "air")
    s.write("stories/air.md", text)
    problems = s.check()
    assert any(p.startswith("content/withdrawn.yml:3: stories/air/ was withdrawn, but content/stories/air.md")
               for p in problems), problems


def test_trust_pages_are_linked_from_every_page_in_every_language(make_site):
    s = make_site()
    for slug in ("privacy", "accessibility", "contact", "disclaimer"):
        s.write(f"pages/{slug}.md", f"---\ntitle: {slug.title()} page\n---\nText.\n")
    assert s.build(STEM4ALL_CONTACTS=[{"role": "Coordinator", "email": "team@example.org"}]) == 0
    for rel in ("index.html", "ru/index.html", "stories/robots/index.html"):
        html = s.page(rel)
        prefix = "/ru" if rel.startswith("ru/") else ""
        for slug in ("privacy", "accessibility", "contact", "disclaimer"):
            assert f'href="{prefix}/{slug}/"' in html, (rel, slug)
    assert 'href="mailto:team@example.org"' in s.page("contact/index.html")
    assert "Stories are the champions' own views." in s.page("stories/robots/index.html")


def test_security_txt_has_a_contact_and_an_expiry_a_year_ahead(make_site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760000000")  # 2025-10-09
    s = make_site()
    assert s.build(STEM4ALL_SECURITY_CONTACT="mailto:security@example.org") == 0
    text = s.page(".well-known/security.txt")
    assert "Contact: mailto:security@example.org" in text
    assert re.search(r"Expires: 2026-10-09T\d\d:\d\d:\d\dZ", text)


def test_the_code_has_a_licence_file():
    assert "Permission is hereby granted" in (ROOT / "LICENSE").read_text()
