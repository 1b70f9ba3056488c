"""Each file is parsed and rendered once per build, and kept between builds until it changes.

A rebuild must still report every problem: what depends on other files (champions, slugs, links,
pictures) is checked again each time, and a damaged cache costs time, never a wrong answer."""

import hashlib
import os
import pickle

import pytest

from stem4all import contentcache, markup, plugin


@pytest.fixture
def renders(monkeypatch):
    """The files Markdown rendered, in order (by their path in content/)."""
    seen = []
    real = markup.render

    def counting(body, source, *args, **kwargs):
        seen.append(source)
        return real(body, source, *args, **kwargs)

    monkeypatch.setattr(markup, "render", counting)
    return seen


def store_file(site):
    found = list((site.root / ".cache" / "pelican").glob(f"*/{contentcache.STORE_NAME}"))
    assert len(found) == 1, found
    return found[0]


def test_a_build_renders_each_file_once_and_a_rebuild_renders_none(make_site, renders):
    s = make_site()
    assert s.build() == 0
    files = sorted(str(p.relative_to(s.content)) for p in s.content.rglob("*.md"))
    assert sorted(renders) == files
    renders.clear()
    assert s.build() == 0
    assert renders == []


def test_the_reader_shows_the_same_page_whether_or_not_the_check_rendered_it(make_site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760000000")
    s = make_site()
    assert s.build() == 0
    shared = {f: (s.output / f).read_bytes() for f in s.files()}
    monkeypatch.setattr(contentcache, "recall", lambda *args: None)
    assert s.build(CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False) == 0
    assert {f: (s.output / f).read_bytes() for f in s.files()} == shared


def test_a_changed_file_is_checked_again(make_site, renders):
    s = make_site()
    assert s.check() == s.check()
    renders.clear()
    story = s.content / "stories" / "robots.md"
    story.write_text(story.read_text(encoding="utf-8").replace("consent: true", "consent: true\ntitel: x"),
                     encoding="utf-8")
    assert any("content/stories/robots.md:8: unknown field 'titel'" in p for p in s.check())
    assert renders == ["stories/robots.md"]


def test_a_change_of_settings_checks_everything_again(make_site, renders):
    s = make_site()
    s.check()
    renders.clear()
    s.check(DEFAULT_LANG="ru")
    assert len(renders) == len(list(s.content.rglob("*.md")))


def test_a_rebuild_still_finds_a_champion_that_an_unchanged_story_names_is_gone(make_site, capsys):
    s = make_site()
    assert s.build() == 0
    (s.content / "champions" / "gulsen-test.md").unlink()
    assert s.build() == 1
    assert "content/stories/air.md:3: there is no champion 'gulsen-test'" in capsys.readouterr().err


def test_a_rebuild_still_checks_a_photo_that_changed_under_an_unchanged_story(make_site):
    s = make_site()
    assert not [p for p in s.check() if "cover.jpg" in p]
    (s.content / "images" / "cover.jpg").write_bytes(b"not a picture")
    assert any(p.startswith("content/stories/robots.md:") and "is not a picture we can read" in p for p in s.check())


@pytest.mark.parametrize("damage", [lambda kept: b"\x80\x05 not a pickle", lambda kept: kept[: len(kept) // 2]])
def test_a_damaged_cache_is_ignored(make_site, renders, damage):
    s = make_site()
    first = s.check()
    store_file(s).write_bytes(damage(store_file(s).read_bytes()))
    renders.clear()
    assert s.check() == first
    assert renders  # checked again from the files
    with open(store_file(s), "rb") as f:
        assert pickle.load(f) and pickle.load(f)["files"]  # and written anew


def test_the_cache_is_written_atomically(make_site, monkeypatch):
    s = make_site()
    s.check()
    before = store_file(s).read_bytes()
    story = s.content / "stories" / "robots.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")

    def dies_half_way(obj, f, protocol=None):
        f.write(b"\x80\x05half")
        raise KeyboardInterrupt

    monkeypatch.setattr(pickle, "dump", dies_half_way)
    with pytest.raises(KeyboardInterrupt):
        s.check()
    assert store_file(s).read_bytes() == before
    assert [p.name for p in store_file(s).parent.iterdir() if p.name.startswith(".part-")] == []


def test_a_photo_is_decoded_once_per_build_and_not_again_until_it_changes(make_site, monkeypatch):
    from stem4all import images

    opened = []
    real = images._check_pixels
    monkeypatch.setattr(images, "_check_pixels", lambda path, *args: opened.append(path) or real(path, *args))
    s = make_site()
    first = s.check()
    assert len(opened) == len(set(opened)) > 0
    opened.clear()
    assert s.check() == first
    assert opened == []
    cover = s.content / "images" / "cover.jpg"
    cover.write_bytes(cover.read_bytes() + b"\0")
    s.check()
    assert opened == [str(cover)]


def test_checking_on_all_cores_finds_and_renders_what_checking_on_one_does(make_site, monkeypatch):
    from stem4all import validation

    s = make_site()
    s.write("stories/bad.md", "---\ntitel: x\ncover: images/missing.jpg\n---\n[x](../champions/nobody.md)\n")

    def check():
        problems, entries = validation.check(s.settings(LOAD_CONTENT_CACHE=False, CACHE_CONTENT=False), root=str(s.root))
        return [str(p) for p in problems], [(e.rel, e.meta, e.rendered.html) for e in entries]

    serial = check()
    monkeypatch.setattr(validation, "PARALLEL_FROM", 1)
    monkeypatch.setattr(validation.os, "cpu_count", lambda: 2)
    pids = s.root / "pids"
    real_examine = validation.Checker.examine

    def examine(self, f):
        with open(pids, "a") as out:
            out.write(f"{os.getpid()}\n")
        return real_examine(self, f)

    monkeypatch.setattr(validation.Checker, "examine", examine)
    assert check() == serial
    # The files were examined in worker processes, not in this one.
    assert str(os.getpid()) not in pids.read_text().split()
    assert any("unknown field 'titel'" in p for p in serial[0])
    assert any("<a href=" in html for _, _, html in serial[1])


def test_pelican_keeps_what_it_read_when_the_pages_are_written_or_the_check_stops_the_build(make_site):
    site = make_site()
    assert site.build() == 0
    kept = list(site.root.glob(".cache/pelican/*/ArticlesGenerator-Readers"))
    assert len(kept) == 1 and kept[0].stat().st_size > 0
    kept[0].unlink()
    site.write("stories/broken.md", "---\ntitle: Broken\n---\nNo champion, no consent.\n")
    assert site.build() == 1
    assert kept[0].is_file() and kept[0].stat().st_size > 0
    assert not plugin._later


def test_pelican_stamps_each_file_with_the_digest_the_build_has_without_hashing_it_again(make_site, monkeypatch):
    """Pelican's reader cache keeps, for each file, the SHA-256 of its bytes (CHECK_MODIFIED_METHOD);
    the build hands it the digests the check and the reader computed, so Pelican hashes no story."""
    hashed_by_pelican = []
    real_stamp = contentcache.stamp_with_known_digests

    def watch(cacher, settings):
        pelicans = getattr(cacher, "_filestamp_func", None)
        if pelicans is not None and not getattr(pelicans, "knows_digests", False):
            cacher._filestamp_func = lambda name: hashed_by_pelican.append(name) or pelicans(name)
        real_stamp(cacher, settings)

    monkeypatch.setattr(contentcache, "stamp_with_known_digests", watch)
    site = make_site()
    assert site.build() == 0
    [kept] = site.root.glob(".cache/pelican/*/ArticlesGenerator-Readers")
    stamps = {path: stamp for path, (stamp, _) in pickle.loads(kept.read_bytes()).items()}
    stories = sorted(str(p) for p in (site.content / "stories").glob("*.md"))
    assert sorted(stamps) == stories
    for path, stamp in stamps.items():
        assert stamp == hashlib.sha256(open(path, "rb").read()).digest(), path
    assert not set(hashed_by_pelican) & set(stories)


def test_a_file_the_build_has_no_digest_for_is_hashed_by_pelican_as_before():
    read = []
    cacher = type("Cacher", (), {})()
    cacher._filestamp_func = lambda name: read.append(name) or b"read"
    contentcache.start_build()
    contentcache.note_digest("/content/stories/known.md", "ab" * 32)
    contentcache.stamp_with_known_digests(cacher, {"CHECK_MODIFIED_METHOD": "sha256"})
    assert cacher._filestamp_func("/content/stories/known.md") == bytes.fromhex("ab" * 32)
    assert cacher._filestamp_func("/content/stories/other.md") == b"read"
    assert read == ["/content/stories/other.md"]
    # Wrapped once however often asked; left alone for another way of stamping.
    once = cacher._filestamp_func
    contentcache.stamp_with_known_digests(cacher, {"CHECK_MODIFIED_METHOD": "sha256"})
    assert cacher._filestamp_func is once
    other = type("Cacher", (), {})()
    other._filestamp_func = os.path.getmtime
    contentcache.stamp_with_known_digests(other, {"CHECK_MODIFIED_METHOD": "mtime"})
    assert other._filestamp_func is os.path.getmtime
    contentcache.start_build()
