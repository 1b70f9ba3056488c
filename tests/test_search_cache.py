"""The search bundle is reused while the story pages are unchanged, and rebuilt as soon as one changes."""

from __future__ import annotations

import json
import subprocess

import pytest

from stem4all import search


@pytest.fixture
def pagefind_runs(monkeypatch):
    """Count Pagefind runs while still running the real one."""
    runs, real_run = [], subprocess.run

    def run(args, **kwargs):
        if "pagefind" in args:
            runs.append(args)
        return real_run(args, **kwargs)

    monkeypatch.setattr(search.subprocess, "run", run)
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
