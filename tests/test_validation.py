"""Each content rule: a bad file gets one clear message at the right file and line."""

import pytest

STORY = """---
title: A story
champions: ada-test
pillars: research
date: 2025-05-01
summary: Short.
consent: true
{extra}---
Body.
"""

CHAMPION = """---
name: {name}
country: Kyrgyzstan
role: Engineer
consent: true
{extra}---
Bio.
"""


def errors(problems):
    return [p for p in problems if ": warning: " not in p]


def story(extra="", **replace):
    text = STORY.format(extra=extra)
    for key, value in replace.items():
        text = text.replace(f"{key}: ", f"{key}: {value} #", 1) if value is not None else "\n".join(
            line for line in text.split("\n") if not line.startswith(f"{key}:"))
    return text


@pytest.mark.parametrize(
    "rel, text, expected",
    [
        ("stories/x.md", story("titel: Oops\n"), "content/stories/x.md:8: unknown field 'titel' — did you mean 'title'?"),
        ("stories/x.md", story(consent=None), "content/stories/x.md:7: the required field 'consent' is missing"),
        ("stories/x.md", story(consent="false"), "content/stories/x.md:7: 'consent' must be true"),
        ("stories/x.md", story(date="2025-13-45"), "content/stories/x.md:5: 'date': '2025-13-45' is not a date"),
        ("stories/x.md", story(champions="ada-tset"), "content/stories/x.md:3: there is no champion 'ada-tset' — did you mean 'ada-test'?"),
        ("stories/x.md", story(pillars="[research, science]"), "content/stories/x.md:4: there is no pillar 'science' — choose from: communications, research"),
        ("stories/x.md", story(summary="x" * 301), "content/stories/x.md:6: the summary is 301 characters, over the limit of 300"),
        ("stories/x.md", story(summary="<b>bold</b>"), "content/stories/x.md:6: 'summary' must be plain text without HTML"),
        ("stories/x.md", story("cover: images/cover.jpg\n"), "content/stories/x.md:8: 'cover' needs 'cover_alt'"),
        ("stories/x.md", story("cover: images/nope.jpg\ncover_alt: x\n"), "content/stories/x.md:8: 'cover': there is no file content/images/nope.jpg"),
        ("stories/x.md", story("cover: ../secret.jpg\ncover_alt: x\n"), "content/stories/x.md:8: 'cover': '../secret.jpg' must be a file inside content/images/"),
        ("stories/x.md", story("status: later\n"), "content/stories/x.md:8: 'status' must be published or draft"),
        ("stories/x.md", story("lang: ru\n"), "content/stories/x.md:8: lang is 'ru' but the file name says 'en' — make them agree: a 'ru' file is named <slug>.ru.md"),
        ("stories/x.md", story("tags: {a: b}\n"), "content/stories/x.md:8: 'tags' must be a list of words"),
        ("stories/x.md", story("video: https://vimeo.com/1\n"), "content/stories/x.md:8: 'video' must be a YouTube link"),
        ("stories/x.md", story("country: Kyrgystan\n"), "content/stories/x.md:8: 'country': 'Kyrgystan' is not a country we know — did you mean Kyrgyzstan?"),
        ("stories/x.md", story("title: Again\n"), "content/stories/x.md:8: the field 'title' appears twice (first on line 2) — keep only one"),
        ("stories/x.md", story() + "[gone](missing.md)\n", "content/stories/x.md:10: the link points to content/stories/missing.md, which does not exist"),
        ("stories/x.md", story() + "![pic](../images/none.png)\n", "content/stories/x.md:10: there is no file content/images/none.png"),
        ("stories/x.md", "title: no front matter\n", "content/stories/x.md:1: the file does not start with a front matter block"),
        ("stories/x.md", "", "content/stories/x.md:1: the file is empty"),
        ("stories/x.md", "---\ntitle: x\n", "content/stories/x.md:1: the front matter block is never closed"),
        ("stories/x.md", "---\ntitle: a: b\n---\n", "content/stories/x.md:2: the front matter is not valid YAML"),
        ("stories/My Story.md", story(), "content/stories/My Story.md:1: the file name 'My Story.md' must be lower-case"),
        ("stories/x.zz.md", story(), "content/stories/x.zz.md:1: '.zz.md' is not a language code we know"),
        ("stories/robots-again.md", story("slug: robots\n"), "content/stories/robots.md:1: content/stories/robots-again.md already has the slug 'robots'"),
        ("stories/photo.jpg", "", "content/stories/photo.jpg:1: only Markdown (.md) files belong in content/stories/"),
        ("champions/new.md", CHAMPION.format(name="Aida Bekova", extra="minor: true\nguardian_consent: true\n"),
         "content/champions/new.md:2: 'Aida Bekova' looks like a full name"),
        ("champions/new.md", CHAMPION.format(name="Aida B.", extra="minor: true\n"),
         "content/champions/new.md:6: a champion under 18 needs 'guardian_consent: true'"),
        ("champions/new.md", CHAMPION.format(name="Aida B.", extra="minor: true\nguardian_consent: true\nphoto: images/portrait.png\nphoto_alt: x\n"),
         "content/champions/new.md:8: a photo of a champion under 18 needs 'guardian_consent_photo: true'"),
        ("champions/new.md", CHAMPION.format(name="Aida", extra="links: [https://example.org]\n"),
         "content/champions/new.md:6: 'links' each link needs exactly a label and a url"),
        ("champions/new.ru.md", "---\nrole: Инженер\n---\n", "content/champions/new.ru.md:1: this translation has no original"),
        ("champions/ada-test.ky.md", "---\ncountry: Kazakhstan\n---\n", "content/champions/ada-test.ky.md:2: 'country' cannot be translated"),
        ("pillars/x.md", "---\ntitle: X\nsummary: Y\norder: first\ncolor: \"#ffee00\"\n---\n", "content/pillars/x.md:4: 'order' must be a whole number"),
        ("pillars/x.md", "---\ntitle: X\nsummary: Y\norder: 3\ncolor: \"#ffee00\"\n---\n", "content/pillars/x.md:5: 'color' #ffee00 is too light for white text"),
    ],
)
def test_bad_content_gets_a_message_at_the_right_line(make_site, rel, text, expected):
    s = make_site()
    s.write(rel, text)
    problems = s.check()
    assert any(p.startswith(expected) for p in problems), problems
    assert all(" — " in p for p in problems), "every message says how to fix it"


def test_not_utf8_is_reported_at_its_line(make_site):
    s = make_site()
    (s.content / "stories" / "x.md").write_bytes(STORY.format(extra="").encode() + "Bad \xe9 byte\n".encode("latin-1"))
    assert errors(s.check()) == ["content/stories/x.md:10: this line is not UTF-8 text — save the file as UTF-8 in your editor"]


def test_all_problems_are_reported_in_one_run(make_site):
    s = make_site()
    s.write("stories/a.md", story("titel: x\n"))
    s.write("stories/b.md", story(consent="no"))
    s.write("champions/c.md", "no front matter")
    assert len(errors(s.check())) == 3


def test_the_fixture_has_no_errors_only_warnings_about_its_raw_html(make_site):
    problems = make_site().check()
    assert problems and all(": warning: " in p for p in problems)


@pytest.mark.parametrize(
    "body, warning",
    [
        ("<script>alert(1)</script>", "the <script> element and what is inside it will be removed"),
        ('<img src="x.png" onerror="alert(1)">', "the attribute onerror= on <img> will be removed"),
        ('<a href="javascript:alert(1)">x</a>', "the address 'javascript:alert(1)' will be removed"),
        ('<iframe src="https://evil.example"></iframe>', "the <iframe> element and what is inside it"),
        ('<p style="color:red">x</p>', "the attribute style= on <p> will be removed"),
    ],
)
def test_check_warns_about_html_the_sanitiser_removes(make_site, body, warning):
    s = make_site()
    s.write("stories/x.md", story() + "\nSome text.\n\n" + body + "\n")
    problems = s.check()
    assert any(p.startswith("content/stories/x.md:13: warning: " + warning) for p in problems), problems


def test_gps_in_a_source_photo_is_refused(make_site):
    from PIL import Image

    s = make_site()
    img = Image.new("RGB", (40, 40))
    exif = Image.Exif()
    exif.get_ifd(0x8825)[2] = (42.0, 52.0, 0.0)  # GPSLatitude
    img.save(s.content / "images" / "gps.jpg", exif=exif)
    s.write("stories/x.md", story("cover: images/gps.jpg\ncover_alt: x\n"))
    assert any("carries the GPS position" in p and p.startswith("content/stories/x.md:8:") for p in s.check())


def test_a_fake_image_is_refused(make_site):
    s = make_site()
    (s.content / "images" / "fake.jpg").write_text("not a picture")
    s.write("stories/x.md", story("cover: images/fake.jpg\ncover_alt: x\n"))
    assert any("is not a picture we can read" in p for p in s.check())
