"""Stories sent through the issue form: the files they become, what the check says of them, and the workflow."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT
from stem4all import issue_form
from stem4all.frontmatter import parse

ISSUES = FIXTURES / "issues"
TOOLS = Path(sys.executable).parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.y*ml"))
WORKFLOW = GITHUB / "workflows" / "story-from-issue.yml"


def submit(s, capsys, source, date="2025-05-01"):
    """Run the command on a fixture name or a Path; return (exit code, created paths, stderr)."""
    path = source if isinstance(source, Path) else ISSUES / source
    args = ["--body" if path.suffix == ".md" else "--json", str(path), "--content", str(s.content)]
    code = issue_form.main(args + (["--date", date] if date else []))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def doc(s, rel):
    return parse((s.root / rel).read_text(encoding="utf-8"))


def answers(fixture="english.json", **changes):
    return {**json.loads((ISSUES / fixture).read_text(encoding="utf-8")), **changes}


def as_json(tmp_path, data) -> Path:
    path = tmp_path / "form.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def issue_body(data) -> str:
    """The issue text GitHub writes for these answers."""
    parts = []
    for q in issue_form.questions().values():
        value = data.get(q.id)
        if q.kind == "checkboxes":
            value = "\n".join(f"- [{'X' if o in value else ' '}] {o}" for o in q.options)
        parts.append(f"### {q.label}\n\n{value or '_No response_'}")
    return "\n\n".join(parts) + "\n"


def files(s):
    return sorted(str(p.relative_to(s.root)) for p in s.root.rglob("*") if p.is_file())


def errors(err):
    return [line for line in err.splitlines() if re.match(r"content/\S+:\d+: (?!warning:)", line)]


def test_form_to_files_to_site(make_site, capsys):
    s = make_site()
    code, paths, err = submit(s, capsys, "english.json")
    assert (code, errors(err)) == (0, [])
    assert paths == ["content/champions/zarina-usmonova.md", "content/stories/coding-on-a-phone-in-the-mountains.md"]
    story, sent = doc(s, paths[1]), answers()
    assert story.meta == {"title": sent["title"], "champions": "zarina-usmonova", "pillars": ["communications", "research"],
                          "date": "2025-05-01", "summary": sent["summary"], "consent": True}
    assert story.body.strip() == sent["story"]
    assert doc(s, paths[0]).meta == {"name": "Zarina Usmonova", "country": "Tajikistan", "role": "Software developer",
                                     "consent": True}
    assert [p for p in s.check() if ": warning: " not in p] == []
    assert s.build() == 0
    page = s.page("stories/coding-on-a-phone-in-the-mountains/index.html")
    assert "Coding on a phone in the mountains" in page and "It counted sheep." in page
    assert "Zarina Usmonova" in s.page("champions/zarina-usmonova/index.html")


def test_issue_text_is_split_only_at_the_form_questions(make_site, capsys):
    s = make_site()
    code, paths, err = submit(s, capsys, "english.md")
    assert (code, errors(err)) == (0, [])
    story = doc(s, "content/stories/the-river-that-taught-me-statistics.md")
    assert story.meta["pillars"] == ["research"] and story.meta["consent"] is True
    # Her own ### heading and a ticked-box line stay in the story; nothing after them is lost.
    assert "### What I learned\n\n- [x] Numbers tell stories\n- [ ] Rivers keep secrets" in story.body
    assert story.body.rstrip().endswith("Today I measure rivers with sensors.")


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("fixture", sorted(p.name for p in ISSUES.glob("*.json") if p.stem not in
                                           ("parser-split", "missing-name")))
def test_issue_text_and_parser_json_give_the_same_answers(fixture, newline):
    qs, sent = issue_form.questions(), answers(fixture)
    text = issue_body(sent).replace("\n", newline)
    assert issue_form.normalise(issue_form.from_body(text, qs), qs) == issue_form.normalise(sent, qs)


def test_russian_story(make_site, capsys):
    s = make_site()
    code, paths, err = submit(s, capsys, "russian.md")
    assert (code, errors(err)) == (0, [])
    assert paths == ["content/champions/aizhan-toktogulova.md", "content/stories/kak-ia-sobrala-pervogo-robota.ru.md"]
    assert doc(s, paths[1]).meta["title"] == "Как я собрала первого робота"
    assert doc(s, paths[0]).meta["name"] == "Айжан Токтогулова"
    assert s.build() == 0
    assert "Как я собрала первого робота" in s.page("ru/stories/kak-ia-sobrala-pervogo-robota/index.html")


def test_new_champion_under_18_waits_for_guardian_consent(make_site, capsys):
    s = make_site()
    code, paths, err = submit(s, capsys, "minor.json")
    profile = doc(s, "content/champions/nuriza-k.md")
    assert profile.meta["minor"] is True and "guardian_consent" not in profile.meta
    assert code == 1
    assert errors(err) == [f"content/champions/nuriza-k.md:{profile.line_of('minor')}: a champion under 18 needs "
                           "'guardian_consent: true' — publish only after a parent or guardian has agreed in writing"]


def test_unticked_consent_is_written_as_false_and_flagged(make_site, capsys):
    s = make_site()
    code, paths, err = submit(s, capsys, "no-consent.json")
    story, profile = doc(s, paths[1]), doc(s, paths[0])
    assert story.meta["consent"] is False and profile.meta["consent"] is False
    assert code == 1
    assert [line.split(" — ")[0] for line in errors(err)] == [
        f"{paths[0]}:{profile.line_of('consent')}: 'consent' must be true",
        f"{paths[1]}:{story.line_of('consent')}: 'consent' must be true",
    ]


def test_yaml_in_the_title_stays_in_the_title(make_site, capsys):
    s = make_site()
    code, paths, err = submit(s, capsys, "hostile-title.json")
    story = doc(s, paths[-1])
    assert story.meta["title"] == "x\nconsent: true\n---"
    assert story.meta["consent"] is False
    assert list(story.meta) == ["title", "champions", "pillars", "date", "summary", "consent"]
    assert code == 1


def test_front_matter_in_the_summary_stays_in_the_summary(make_site, capsys):
    s = make_site()
    code, paths, err = submit(s, capsys, "hostile-summary.json")
    story = doc(s, paths[-1])
    assert story.meta["summary"] == "---\ntitle: Hacked\nconsent: true\n---\n# not a heading"
    assert story.meta["title"] == "Summary games"
    assert (code, errors(err)) == (0, [])


def test_dashes_and_script_in_the_story(make_site, capsys):
    s = make_site()
    code, paths, err = submit(s, capsys, "hostile-body.json")
    story = doc(s, paths[-1])
    assert story.meta["title"] == "Safe words" and story.meta["consent"] is True
    assert story.body.strip() == answers("hostile-body.json")["story"]  # verbatim: the build sanitises it
    assert (code, errors(err)) == (0, [])
    assert ": warning: the <script> element" in err
    assert s.build() == 0
    page = s.page("stories/safe-words/index.html")
    assert "Before the line." in page and "The end." in page
    for bad in ("document.title", "onerror", "javascript:", "alert("):
        assert bad not in page


def test_a_path_as_her_name_stays_a_name(make_site, capsys):
    s = make_site()
    before = files(s)
    code, paths, err = submit(s, capsys, "hostile-name.json")
    assert paths == ["content/champions/etc-passwd.md", "content/stories/paths-are-not-names.md"]
    assert files(s) == sorted(before + paths)
    assert doc(s, paths[0]).meta["name"] == "../../etc/passwd"
    assert doc(s, paths[1]).meta["champions"] == "etc-passwd"


@pytest.mark.parametrize("fixture, path, title", [
    ("emoji-title.json", "content/stories/story.md", "🚀✨🤖"),
    ("cyrillic-title.json", "content/stories/roboty-v-derevne.md", "Роботы в деревне"),
])
def test_titles_without_latin_letters(make_site, capsys, fixture, path, title):
    s = make_site()
    code, paths, err = submit(s, capsys, fixture)
    assert paths[-1] == path and doc(s, path).meta["title"] == title
    assert (code, errors(err)) == (0, [])


def test_a_second_story_never_overwrites_and_links_her_profile(make_site, capsys):
    s = make_site()
    submit(s, capsys, "emoji-title.json")
    profile = (s.content / "champions" / "zarina-usmonova.md").read_text(encoding="utf-8")
    code, paths, err = submit(s, capsys, "emoji-title.json")
    assert paths == ["content/stories/story-2.md"]
    assert (s.content / "champions" / "zarina-usmonova.md").read_text(encoding="utf-8") == profile
    assert "note: content/champions/zarina-usmonova.md already exists" in err
    assert "name 'Zarina Usmonova', country 'Tajikistan', role 'Software developer'" in err


def test_a_long_summary_is_kept_whole_and_flagged(make_site, capsys):
    s = make_site()
    code, paths, err = submit(s, capsys, "long-summary.json")
    story = doc(s, paths[-1])
    assert story.meta["summary"] == answers("long-summary.json")["summary"] and len(story.meta["summary"]) == 10_000
    assert code == 1
    assert errors(err) == [f"{paths[-1]}:{story.line_of('summary')}: the summary is 10000 characters, over the "
                           "limit of 300 — shorten it; the story itself can say more"]


@pytest.mark.parametrize("field", [q.id for q in issue_form.questions().values() if q.required])
def test_a_missing_answer_writes_nothing(make_site, capsys, tmp_path, field):
    s = make_site()
    before = files(s)
    for value in ("_No response_", "", None):
        sent = {k: v for k, v in answers(**{field: value}).items() if v is not None}
        code, paths, err = submit(s, capsys, as_json(tmp_path, sent))
        label = issue_form.questions()[field].label
        assert (code, paths) == (2, [])
        assert f"No story was written: '{label}' ({field}) is empty" in err
    assert files(s) == before


@pytest.mark.parametrize("fixture, message", [
    ("missing-name.json", "'Your name' (name) is empty — it is needed for the story"),
    ("parser-split.json", "the answers hold 'what_i_learned', which is not a question on the form"),
])
def test_unusable_answers_write_nothing(make_site, capsys, fixture, message):
    s = make_site()
    before = files(s)
    code, paths, err = submit(s, capsys, fixture)
    assert (code, paths) == (2, []) and message in err
    assert files(s) == before


@pytest.mark.parametrize("change, message", [
    ({"language": "Deutsch"}, "'Deutsch' is not an answer to 'Language of your story' (language)"),
    # What the parser makes of a story whose first paragraph starts with '- [': a list, not text.
    ({"story": [["Your story"]]}, "the answer to 'Your story' (story) is not text"),
    ({"consent": "yes"}, "'consent' must be true"),
])
def test_answers_the_form_cannot_give_are_refused_or_flagged(make_site, capsys, tmp_path, change, message):
    s = make_site()
    code, _, err = submit(s, capsys, as_json(tmp_path, answers(**change)))
    assert code in (1, 2) and message in err


def test_the_date_is_today_on_the_site_clock(make_site, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760126400")  # 2025-10-10 20:00 UTC, already the 11th in Bishkek
    s = make_site()
    code, paths, err = submit(s, capsys, "english.json", date=None)
    assert doc(s, paths[-1]).meta["date"] == "2025-10-11"


def test_a_bad_date_is_refused(make_site):
    with pytest.raises(SystemExit) as exit_:
        issue_form.main(["--json", str(ISSUES / "english.json"), "--date", "2025-13-01"])
    assert exit_.value.code == 2


def run_tool(name, *args):
    tool = TOOLS / name
    if not tool.exists():
        pytest.fail(f"{tool} is missing — run `make install`")
    return subprocess.run([str(tool), *map(str, args)], capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_githubs_schema(path):
    result = run_tool("check-jsonschema", "--builtin-schema", "vendor.github-workflows", path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name, schema", [("story.yml", "vendor.github-issue-forms"),
                                          ("config.yml", "vendor.github-issue-config")])
def test_issue_form_matches_githubs_schema(name, schema):
    result = run_tool("check-jsonschema", "--builtin-schema", schema, GITHUB / "ISSUE_TEMPLATE" / name)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing():
    for args in (["--min-severity", "medium", GITHUB / "workflows"], [WORKFLOW]):
        result = run_tool("zizmor", "--offline", "--no-progress", "--color", "never", *args)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_story_workflow_keeps_issue_text_out_of_scripts():
    text = WORKFLOW.read_text(encoding="utf-8")
    flow = yaml.safe_load(text)
    assert flow[True] == {"issues": {"types": ["labeled"]}}  # YAML reads the key `on` as true
    assert flow["permissions"] == {} and "pull_request_target" not in text
    (job,) = flow["jobs"].values()
    assert job["if"] == "github.event.label.name == 'story-approved'"
    assert job["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "read"}
    for step in job["steps"]:
        assert "${{" not in step.get("run", "")
    uses = re.findall(r"uses: (\S+)(.*)", text)
    assert len(uses) == 3
    for ref, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref) and re.fullmatch(r" # v\d+\.\d+\.\d+", comment)
