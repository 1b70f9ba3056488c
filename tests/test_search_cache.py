"""The search bundle is reused while the story pages are unchanged, and rebuilt as soon as one changes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from stem4all import search


@pytest.fixture
def pagefind_runs(monkeypatch):
    """Count Pagefind runs while still running the real one."""
    runs, real_popen = [], subprocess.Popen

    def popen(args, **kwargs):
        if args and Path(args[0]).name == "pagefind":
            runs.append(args)
        return real_popen(args, **kwargs)

    monkeypatch.setattr(search.subprocess, "Popen", popen)
    return runs


def bundle(site) -> dict[str, bytes]:
    folder = site.output / "pagefind"
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def page_count(site) -> int:
    entry = json.loads(site.page("pagefind/pagefind-entry.json"))
    return sum(lang["page_count"] for lang in entry["languages"].values())


def kept_bundles(site) -> list[str]:
    return sorted(p.name for p in site.root.glob(".cache/pelican/*/search/*"))


def test_a_rebuild_with_the_same_story_pages_reuses_the_bundle(make_site, pagefind_runs):
    site = make_site()
    assert site.build() == 0
    first = bundle(site)
    assert len(pagefind_runs) == 1 and "pagefind-entry.json" in first
    # A champion's bio is not indexed: changing it leaves the story pages as they were.
    bio = site.content / "champions" / "ada-test.md"
    bio.write_text(bio.read_text(encoding="utf-8") + "\nShe also mentors at a summer camp.\n", encoding="utf-8")
    assert site.build() == 0
    assert len(pagefind_runs) == 1
    assert "summer camp" in site.page("champions/ada-test/index.html")
    assert bundle(site) == first
    assert len(kept_bundles(site)) == 1


def test_an_edited_or_new_story_is_indexed_again(make_site, pagefind_runs):
    site = make_site()
    assert site.build() == 0
    before = page_count(site)
    story = site.content / "stories" / "air.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nThe sensors now report every hour.\n", encoding="utf-8")
    assert site.build() == 0
    assert len(pagefind_runs) == 2
    site.write("stories/new-lab.md", (site.content / "stories" / "air.md").read_text(encoding="utf-8")
               .replace("\ntitle:", "\ntitle: A new lab —", 1))
    assert site.build() == 0
    assert len(pagefind_runs) == 3
    assert page_count(site) == before + 1
    # Only the newest bundle is kept.
    assert len(kept_bundles(site)) == 1


def test_a_damaged_kept_bundle_is_not_reused(make_site, pagefind_runs):
    site = make_site()
    assert site.build() == 0
    [kept] = site.root.glob(".cache/pelican/*/search/*")
    (kept / "pagefind-entry.json").unlink()
    assert site.build(force=True) == 0
    assert len(pagefind_runs) == 2
    assert page_count(site) > 0


def test_search_starts_once_every_story_page_is_written_and_runs_beside_the_listings(make_site, monkeypatch):
    seen, real_start = {}, search.start

    def start(site_dir, cache_dir=None):
        root = Path(site_dir)
        seen["stories"] = sorted(str(p.relative_to(root)) for p in root.glob("**/stories/*/index.html"))
        seen["home"] = (root / "index.html").exists()
        return real_start(site_dir, cache_dir)

    monkeypatch.setattr(search, "start", start)
    site = make_site()
    assert site.build() == 0
    assert seen["stories"] == [f for f in site.files() if search.is_story_page(f)] != []
    assert not seen["home"]  # the listings were still to be written
    assert page_count(site) == len(seen["stories"])


def test_a_build_that_fails_after_search_started_stops_pagefind(make_site, monkeypatch, pagefind_runs):
    from stem4all import writing

    cancelled, real_cancel, real_write = [], search.Indexing.cancel, writing.SiteWriter._write

    def cancel(self):
        cancelled.append(self.process)
        real_cancel(self)

    def write(self, jobs):
        for job in jobs:
            if job[0] == "index.html":
                raise RuntimeError("the home page could not be written")
            real_write(self, [job])

    monkeypatch.setattr(search.Indexing, "cancel", cancel)
    monkeypatch.setattr(writing.SiteWriter, "_write", write)
    site = make_site()
    assert site.build() == 1
    assert len(pagefind_runs) == 1 and len(cancelled) == 1
    assert cancelled[0] is None or cancelled[0].returncode is not None  # stopped, not left running
    assert not site.output.exists()
    assert not [p for p in site.root.iterdir() if p.name.startswith(".build-")]


def test_on_a_large_campaign_search_waits_for_the_last_page(make_site, monkeypatch):
    """Above STEM4ALL_SEARCH_BESIDE_UP_TO story pages, Pagefind would share the memory with the build."""
    seen, real_start = {}, search.start

    def start(site_dir, cache_dir=None):
        seen["home"] = (Path(site_dir) / "index.html").exists()
        return real_start(site_dir, cache_dir)

    monkeypatch.setattr(search, "start", start)
    site = make_site()
    assert site.build(STEM4ALL_SEARCH_BESIDE_UP_TO=2) == 0
    assert seen["home"]
    assert page_count(site) == len([f for f in site.files() if search.is_story_page(f)])


def test_pagefind_told_where_the_story_is_makes_the_bundle_it_makes_reading_whole_pages(make_site, tmp_path):
    site = make_site()
    assert site.build() == 0
    whole = tmp_path / "whole-pages"
    subprocess.run([search._executable(), "--site", str(site.output), "--output-path", str(whole),
                    "--glob", search.STORY_PAGES, "--silent"], check=True)
    search._stable_entry(str(whole / "pagefind-entry.json"))
    assert page_count(site) > 0
    assert bundle(site) == {str(p.relative_to(whole)): p.read_bytes() for p in sorted(whole.rglob("*")) if p.is_file()}
