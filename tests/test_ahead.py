"""The related stories and the templates worked out ahead in a forked process give the same site
as the build working them out itself, and the build does the work itself if that process fails."""

from __future__ import annotations

import jinja2
import pytest

from conftest import ROOT
from stem4all import ahead, profiles


def pages(site) -> dict[str, bytes]:
    return {f: (site.output / f).read_bytes() for f in site.files() if not f.startswith("pagefind/")}


@pytest.fixture
def built_alone(make_site, monkeypatch):
    """The fixture site built with no work ahead, and a rebuild of it with the work ahead."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760000000")
    site = make_site()
    monkeypatch.setattr(profiles, "AHEAD_FROM", 10**9)
    assert site.build() == 0
    alone = pages(site)
    monkeypatch.setattr(profiles, "AHEAD_FROM", 1)
    return site, alone


@pytest.fixture
def compiled(monkeypatch):
    """The templates this process compiles (the forked one's are not seen here)."""
    names, compile_ = [], jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):
        names.append(name)
        return compile_(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def test_work_done_ahead_gives_the_same_site_and_the_build_compiles_no_theme_template(built_alone, compiled):
    site, alone = built_alone
    assert site.build(force=True) == 0
    assert pages(site) == alone
    theme = {name for batch in profiles.theme_templates(str(ROOT / "theme")) for name in batch}
    assert theme and not theme & set(compiled)
    assert not ahead._started  # the forked process was waited for


def test_if_the_work_ahead_fails_the_build_does_it_and_the_site_is_the_same(built_alone, compiled, monkeypatch):
    site, alone = built_alone

    def broken(stories, count=3):
        raise RuntimeError("the forked process fails")

    # Only the forked process calls related_stories through Ahead; the build calls its own.
    real = profiles.related_stories
    monkeypatch.setattr(profiles, "Ahead", lambda env, batches, stories, related: ahead.Ahead(env, batches, stories, broken))
    assert site.build(force=True) == 0
    assert pages(site) == alone
    assert "story.html" in compiled  # the build compiled its templates itself
    assert profiles.related_stories is real
    assert not ahead._started


def test_a_build_stopped_by_the_check_leaves_no_work_ahead_running(built_alone, monkeypatch):
    site, _ = built_alone
    started = []
    monkeypatch.setattr(profiles, "Ahead", lambda *args: started.append(ahead.Ahead(*args)) or started[-1])
    site.write("stories/broken.md", "---\ntitle: Broken\n---\nNo champion, no consent.\n")
    assert site.build(force=True) == 1
    assert started and started[0].pid  # it was started, then stopped and waited for
    assert not ahead._started
