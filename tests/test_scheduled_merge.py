"""The scheduled merge decides from recorded `gh pr list --json` output which pull requests are due."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from conftest import FIXTURES
from stem4all.scheduled_merge import decide

BISHKEK = ZoneInfo("Asia/Bishkek")


def story(date):
    return f"---\ntitle: x\nchampions: a\npillars: research\ndate: {date}\nsummary: s\nconsent: true\n---\nBody.\n"


FILES = {
    ("a1", "content/stories/day-robots.md"): story("2026-10-11"),
    ("b2", "content/stories/twins.md"): story("2026-10-11"),
    ("b2", "content/stories/twins.ru.md"): story("2026-10-12"),
    ("c3", "content/stories/broken.md"): story("2026-10-01"),
    ("d4", "content/stories/day-robots.md"): story("2026-10-01"),
    ("e5", "content/stories/day-robots.md"): story("2026-10-01"),
    ("f6", "content/stories/day-robots.md"): story("2026-10-01"),
    ("h8", "content/stories/morning.md"): story("2026-10-11 09:00"),
}


def decisions_at(when):
    prs = json.loads((FIXTURES / "gh" / "pr-list.json").read_text())
    return {n: (due, reason) for n, due, reason in
            decide(prs, lambda pr, path: FILES[(pr["headRefOid"], path)], when, "Asia/Bishkek")}


def test_on_the_day_only_prs_whose_stories_are_all_due_and_whose_checks_pass_are_merged():
    result = decisions_at(datetime(2026, 10, 11, 0, 2, tzinfo=BISHKEK))
    assert [n for n, (due, _) in result.items() if due] == [41]
    assert result[42] == (False, "content/stories/twins.ru.md waits until 2026-10-12 00:00")
    assert result[43][1] == result[44][1] == "its checks have not all passed"
    assert result[45][1] == "it is a draft pull request"
    assert result[46][1] == "it cannot be merged cleanly (conflicts?)"
    assert result[47][1] == "it adds no story"
    assert result[48] == (False, "content/stories/morning.md waits until 2026-10-11 09:00")


def test_the_day_before_nothing_is_merged_and_the_day_after_the_two_language_story_is():
    assert not any(due for due, _ in decisions_at(datetime(2026, 10, 10, 23, 59, tzinfo=BISHKEK)).values())
    later = decisions_at(datetime(2026, 10, 12, 0, 10, tzinfo=BISHKEK))
    assert sorted(n for n, (due, _) in later.items() if due) == [41, 42, 48]


def test_a_story_without_a_readable_date_is_never_merged():
    prs = json.loads((FIXTURES / "gh" / "pr-list.json").read_text())[:1]
    result = decide(prs, lambda pr, path: "no front matter", datetime(2030, 1, 1, tzinfo=BISHKEK), "Asia/Bishkek")
    assert result == [(41, False, "content/stories/day-robots.md has no readable date")]
