"""Embargo and drafts from the comms team's side: what goes live when, a preview, a branch to publish."""

import os
import shutil
import subprocess
import sys

from conftest import ROOT


def test_schedule_lists_embargoed_stories_by_date_then_drafts(make_site):
    from stem4all.schedule import upcoming

    s = make_site()
    s.write("stories/later.md", (s.content / "stories" / "future-embargo.md").read_text()
            .replace("2099-10-11", "2098-03-08 09:30").replace("Embargoed future story", "Later story"))
    rows = upcoming(s.settings())
    assert [(when, path.split("/")[-1]) for when, path, _ in rows] == [
        ("2098-03-08 09:30 Asia/Bishkek", "later.md"),
        ("2099-10-11 00:00 Asia/Bishkek", "future-embargo.md"),
        ("draft", "secret-draft.md"),
    ]


def test_preview_build_shows_drafts_and_embargoed_stories_with_a_banner(make_site):
    s = make_site()
    assert s.build(STEM4ALL_PREVIEW_DRAFTS=True) == 0
    draft = s.page("stories/secret-draft/index.html")
    embargoed = s.page("stories/future-embargo/index.html")
    assert "This story is a draft. It is not on the public site." in draft
    assert "This story is embargoed until October 11, 2099" in embargoed
    assert '<meta name="robots" content="noindex">' in draft
    assert "s4a-tag--preview" in s.page("index.html")


def test_story_goes_live_at_its_hour_in_the_site_time_zone(make_site, monkeypatch):
    s = make_site()
    s.write("stories/dawn.md", (s.content / "stories" / "future-embargo.md").read_text()
            .replace("2099-10-11", "2026-10-11 06:00").replace("future-embargo", "dawn"))
    six_in_bishkek = 1791676800  # 2026-10-11 06:00 in Bishkek is 00:00 UTC
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(six_in_bishkek - 60))
    assert s.build() == 0
    assert "stories/dawn/index.html" not in s.files()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(six_in_bishkek))
    assert s.build() == 0
    assert "stories/dawn/index.html" in s.files()


def test_gh_pages_task_pushes_the_production_site_to_a_branch(tmp_path):
    remote = tmp_path / "remote.git"
    clone = tmp_path / "clone"
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    shutil.copytree(ROOT, clone, ignore=shutil.ignore_patterns(".git", ".venv", "output*", ".cache", ".build-*"))
    subprocess.run([*git, "-C", str(clone), "init", "-q"], check=True)
    subprocess.run([*git, "-C", str(clone), "remote", "add", "origin", str(remote)], check=True)
    env = {**os.environ, "SITEURL": "https://org.github.io/repo", "GIT_AUTHOR_NAME": "Test",
           "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    result = subprocess.run([sys.executable, "-m", "invoke", "gh-pages"], cwd=clone, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    files = subprocess.run([*git, "-C", str(remote), "ls-tree", "-r", "--name-only", "gh-pages"],
                           capture_output=True, text=True, check=True).stdout.split()
    assert ".nojekyll" in files and "index.html" in files and "sitemap.xml" in files
    assert not [f for f in files if "letters-to-the-girls" in f], "embargoed stories stay out of the branch"
