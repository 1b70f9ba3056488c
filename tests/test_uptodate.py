"""A build with nothing changed does nothing; any change to what the site is built from builds it again."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pelican import Pelican

from conftest import ROOT
from stem4all import uptodate

EMBARGO = datetime(2099, 10, 11, tzinfo=ZoneInfo("Asia/Bishkek"))  # tests/fixtures/site/stories/future-embargo.md


@pytest.fixture
def runs(monkeypatch):
    """How many times Pelican really ran."""
    calls = []
    real = Pelican.run

    def counted(self):
        calls.append(self.settings["PATH"])
        return real(self)

    monkeypatch.setattr(Pelican, "run", counted)
    return calls


def state(site) -> dict:
    [path] = site.root.glob(f".cache/pelican/*/{uptodate.STATE_NAME}")
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_build_with_nothing_changed_leaves_output_as_it_is_and_says_so(make_site, runs, capsys):
    site = make_site()
    site.write("stories/air.md", (site.content / "stories" / "air.md").read_text(encoding="utf-8")
               + "\n<script>alert(1)</script>\n")
    assert site.build() == 0
    before = {f: (site.output / f).stat().st_mtime_ns for f in site.files()}
    first = capsys.readouterr()
    assert site.build() == 0
    again = capsys.readouterr()
    assert len(runs) == 1
    assert {f: (site.output / f).stat().st_mtime_ns for f in site.files()} == before
    assert "The site is up to date" in again.out
    # The contributor still sees what the check warned about, word for word.
    warnings = [line for line in first.err.splitlines() if ": warning: " in line]
    assert warnings and [line for line in again.err.splitlines() if ": warning: " in line] == warnings


def edit_story(site):
    story = site.content / "stories" / "air.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")


def add_picture(site):
    shutil.copy(site.content / "images" / "cover.jpg", site.content / "images" / "unused.jpg")


def remove_story(site):
    (site.content / "stories" / "robots.ru.md").unlink()


def touch_output(site):
    page = site.output / "stories" / "air" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<!-- edited --></body>"), encoding="utf-8")


def delete_output(site):
    (site.output / "stories" / "robots" / "index.html").unlink()


@pytest.mark.parametrize("change", [edit_story, add_picture, remove_story, touch_output, delete_output])
def test_a_change_to_content_or_to_output_builds_again(make_site, runs, change):
    site = make_site()
    assert site.build() == 0
    change(site)
    assert site.build() == 0
    assert len(runs) == 2
    assert "<!-- edited -->" not in site.page("stories/air/index.html")
    assert (site.output / "stories" / "robots" / "index.html").exists()


def test_a_changed_setting_theme_or_clock_variable_builds_again(make_site, runs, tmp_path, monkeypatch):
    site = make_site()
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    assert site.build(THEME=str(theme)) == 0
    assert site.build(THEME=str(theme), SITENAME="STEM4ALL Stories (preview)") == 0
    assert "STEM4ALL Stories (preview)" in site.page("index.html")
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- new theme --></body>"), encoding="utf-8")
    assert site.build(THEME=str(theme), SITENAME="STEM4ALL Stories (preview)") == 0
    assert "<!-- new theme -->" in site.page("index.html")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760000000")
    assert site.build(THEME=str(theme), SITENAME="STEM4ALL Stories (preview)") == 0
    assert len(runs) == 4
    assert site.build(THEME=str(theme), SITENAME="STEM4ALL Stories (preview)") == 0
    assert len(runs) == 4


def test_the_build_is_trusted_until_the_next_embargo_date_then_runs_again(make_site, runs, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EMBARGO.timestamp()) - 3600))
    site = make_site()
    assert site.build() == 0
    assert "future-embargo" not in " ".join(site.files())
    # An hour before the embargo lifts, that is sooner than the next midnight.
    assert state(site)["valid_until"] == EMBARGO.timestamp()
    assert site.build() == 0
    assert len(runs) == 1
    monkeypatch.setattr(uptodate, "now", lambda settings: EMBARGO)
    assert site.build() == 0
    assert len(runs) == 2


def test_without_an_embargo_ahead_the_build_is_trusted_until_midnight_in_the_sites_zone():
    zone = ZoneInfo("Asia/Bishkek")
    settings = {"TIMEZONE": "Asia/Bishkek"}
    evening = datetime(2026, 10, 10, 21, 15, tzinfo=zone)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(uptodate, "now", lambda s: evening)
        assert uptodate.valid_until(settings, []) == datetime(2026, 10, 11, tzinfo=zone).timestamp()
        soon = datetime(2026, 10, 10, 22, 0, tzinfo=zone)
        assert uptodate.valid_until(settings, [evening, soon]) == soon.timestamp()


def test_force_and_the_content_cache_switch_build_in_full(make_site, runs):
    site = make_site()
    assert site.build() == 0
    assert site.build(force=True) == 0
    assert site.build(LOAD_CONTENT_CACHE=False) == 0
    assert len(runs) == 3
    # A build that did not write its state cannot be taken for the output it left behind.
    assert site.build(CACHE_CONTENT=False) == 0
    assert site.build() == 0
    assert len(runs) == 5


def test_a_failed_build_keeps_the_last_good_site_and_is_not_taken_for_fresh(make_site, runs):
    site = make_site()
    assert site.build() == 0
    story = site.content / "stories" / "air.md"
    good = story.read_text(encoding="utf-8")
    story.write_text(good.replace("title:", "titel:", 1), encoding="utf-8")
    assert site.build() == 1
    assert site.build() == 1  # still wrong: checked again, not skipped
    story.write_text(good, encoding="utf-8")
    # Back as it was when output/ was built: that output stands.
    before = len(runs)
    assert site.build() == 0
    assert len(runs) == before


def test_a_damaged_state_file_means_a_full_build(make_site, runs, caplog):
    site = make_site()
    assert site.build() == 0
    [path] = site.root.glob(f".cache/pelican/*/{uptodate.STATE_NAME}")
    path.write_text("{not json", encoding="utf-8")
    assert site.build() == 0
    assert len(runs) == 2
    assert f"ignoring the unreadable build state {path}" in caplog.text


def test_settings_with_functions_hash_the_same_in_two_loads(make_site):
    site = make_site()
    assert uptodate.inputs(site.settings()) == uptodate.inputs(site.settings())
    assert uptodate.inputs(site.settings()) != uptodate.inputs(site.settings(SITENAME="Other"))
