"""A story sent through the issue form (.github/ISSUE_TEMPLATE/story.yml) becomes content files.

    python -m stem4all.issue_form --json FILE | --body FILE [--content DIR] [--date YYYY-MM-DD]

--json: the answers as stefanbuck/github-issue-parser writes them; --body: the issue text as GitHub
writes it. The questions are read from the form itself, so the two cannot drift apart.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime
from pathlib import Path

import yaml
from unidecode import unidecode

from . import build, scaffold
from .settings import now
from .validation import check

ROOT = Path(__file__).resolve().parents[2]
FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "story.yml"
UNDER_18 = "Under 18"
HEADING = re.compile(r"^### (.+?)\s*$")
CHECKED = re.compile(r"^- \[[xX]\] (.+?)\s*$")
BODY_HINT = ("save the issue text in a file and run: "
             "PYTHONPATH=plugins .venv/bin/python -m stem4all.issue_form --body FILE")


class FormError(Exception):
    """A submission that cannot become a story; the message names the question and the fix."""


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    label: str
    required: bool
    options: tuple[str, ...]


def questions(form: Path = FORM) -> dict[str, Question]:
    """The form's questions by id, in the order GitHub writes them into the issue."""
    found = {}
    for item in yaml.safe_load(form.read_text(encoding="utf-8"))["body"]:
        if item["type"] == "markdown":
            continue
        attrs = item["attributes"]
        options = tuple(o["label"] if isinstance(o, dict) else str(o) for o in attrs.get("options", ()))
        required = bool((item.get("validations") or {}).get("required"))
        found[item["id"]] = Question(item["id"], item["type"], attrs["label"].strip(), required, options)
    return found


def from_body(text: str, qs: dict[str, Question]) -> dict:
    """Answers from the issue text: '### <label>', then the answer, for each question in order.

    A story may hold '### ' headings of its own, so only the form's labels count, and the questions
    after the last free-text one are looked for from the end of the issue.
    """
    lines = _text(text).split("\n")
    heads = [m.group(1) if (m := HEADING.match(line)) else None for line in lines]
    order = list(qs.values())
    free = [i for i, q in enumerate(order) if q.kind == "textarea"]
    split = free[-1] + 1 if free else len(order)
    found, start, end = {}, -1, len(lines)
    for q in order[:split]:
        hit = next((i for i in range(start + 1, end) if heads[i] == q.label), None)
        if hit is not None:
            found[q.id] = start = hit
    for q in reversed(order[split:]):
        hit = next((i for i in range(end - 1, start, -1) if heads[i] == q.label), None)
        if hit is not None:
            found[q.id] = end = hit
    marks = sorted(found.items(), key=lambda item: item[1]) + [(None, len(lines))]
    answers = {}
    for (qid, at), (_, stop) in zip(marks, marks[1:]):
        value = "\n".join(lines[at + 1 : stop]).strip()
        if qs[qid].kind == "checkboxes":
            answers[qid] = [m.group(1) for line in value.split("\n") if (m := CHECKED.match(line.strip()))]
        else:
            answers[qid] = value
    return answers


def from_json(text: str, qs: dict[str, Question]) -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        raise FormError("the answers are not a JSON object keyed by the form's field ids — "
                        "pass the jsonString output of github-issue-parser")
    unknown = sorted(set(data) - set(qs))
    if unknown:
        # The parser splits answers at any '###' and at paragraphs starting with '- ['.
        raise FormError(f"the answers hold '{unknown[0]}', which is not a question on the form, so an answer "
                        f"was probably cut at a line starting with ### — {BODY_HINT}")
    return dict(data)


def _text(value) -> str:
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def normalise(answers: dict, qs: dict[str, Question]) -> dict:
    """Every answer as text (or a list of ticked labels); a missing required answer is an error."""
    clean = {}
    for q in qs.values():
        value = answers.get(q.id)
        if q.kind == "checkboxes":
            value = [] if value in (None, "", "_No response_") else value
            value = [value] if isinstance(value, str) else value
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise FormError(f"the answer to '{q.label}' ({q.id}) is not a list of ticked boxes — {BODY_HINT}")
            clean[q.id] = [_text(v) for v in value]
            continue
        if not isinstance(value, (str, type(None))):
            raise FormError(f"the answer to '{q.label}' ({q.id}) is not text; a paragraph starting with '- [' "
                            f"confuses the form parser — {BODY_HINT}")
        value = _text(value or "")
        value = "" if value.lower() == "_no response_" else value
        if q.required and not value:
            raise FormError(f"'{q.label}' ({q.id}) is empty — it is needed for the story; fill it in on "
                            "the issue, then label the issue story-approved again")
        if value and q.options and value not in q.options:
            raise FormError(f"'{value}' is not an answer to '{q.label}' ({q.id}) — "
                            f"choose one of: {', '.join(q.options)}")
        clean[q.id] = value
    return clean


def _slug(text: str) -> str:
    # slug_for keeps only ASCII, which leaves nothing of a Cyrillic title or name.
    return scaffold.slug_for(text) or scaffold.slug_for(unidecode(text))


def story_files(answers: dict, qs: dict[str, Question], settings: dict,
                day: Date | None = None) -> tuple[list[tuple[str, str]], list[str]]:
    """The files to write, as (path, text), and notes for the reviewer; nothing is written here."""
    a = normalise(answers, qs)
    content, default_lang = settings["PATH"], settings["DEFAULT_LANG"]
    names = {name: code for code, name in settings["STEM4ALL_LANGUAGES"].items()}
    lang = names.get(a["language"].split(" (")[0]) if a["language"] else default_lang
    if not lang:
        raise FormError(f"the site has no language '{a['language']}' — add it to STEM4ALL_LANGUAGES "
                        "in pelicanconf.py, or choose another language on the form")
    champion = _slug(a["name"])
    if not champion:
        raise FormError(f"'{qs['name'].label}' (name) has no letters to make her profile's file name from — "
                        "write the name in letters")
    consent = qs["consent"].options[0] in a["consent"]
    files, notes = [], []
    profile = os.path.join(content, "champions", f"{champion}.md")
    if os.path.exists(profile):
        notes.append(f"{os.path.relpath(profile, os.path.dirname(content))} already exists, so the story is linked "
                     f"to her profile, which stays as it is. The form said: name '{a['name']}', country "
                     f"'{a['country']}', role '{a['role']}', age '{a['age']}' — check that it is the same person.")
    else:
        values = {"name": a["name"], "country": a["country"], "role": a["role"], "consent": consent}
        if a["age"] == UNDER_18:
            values["minor"] = True  # guardian_consent stays out, so the check asks for it
        files.append((profile, scaffold.champion_file(values, f"{a['role']}, {a['country']}.", comments=False)))
    slug = _slug(a["title"]) or "story"
    _, path = scaffold.free_path(os.path.join(content, "stories"), slug, lang, default_lang)
    values = {
        "title": a["title"], "champions": champion, "pillars": [scaffold.slug_for(p) for p in a["pillars"]],
        "date": day or now(settings).date(), "summary": a["summary"], "consent": consent,
    }
    files.append((path, scaffold.story_file(values, a["story"], comments=False)))
    return files, notes


def _day(text: str) -> Date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date — write it as YYYY-MM-DD, e.g. 2025-10-11") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stem4all.issue_form",
                                     description="Turn a story sent through the issue form into content files.")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--json", metavar="FILE", help="the answers as github-issue-parser writes them")
    source.add_argument("--body", metavar="FILE", help="the issue text as GitHub writes it")
    parser.add_argument("--content", metavar="DIR", help="default: content/ of this repository")
    parser.add_argument("--date", metavar="YYYY-MM-DD", type=_day, help="default: today on the site's clock")
    args = parser.parse_args(argv)
    overrides = {"PATH": os.path.abspath(args.content)} if args.content else {}
    settings = build.load(str(ROOT / "pelicanconf.py"), **overrides)
    root = os.path.dirname(settings["PATH"])
    qs = questions()
    try:
        text = Path(args.json or args.body).read_text(encoding="utf-8")
        answers = from_json(text, qs) if args.json else from_body(text, qs)
        files, notes = story_files(answers, qs, settings, args.date)
    except OSError as exc:
        print(f"No story was written: {exc.filename} cannot be read ({exc.strerror}) — check the path", file=sys.stderr)
        return 2
    except (UnicodeDecodeError, FormError) as exc:
        print(f"No story was written: {exc}", file=sys.stderr)
        return 2
    for path, text in files:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "x", encoding="utf-8") as f:  # "x": never overwrite what is there
            f.write(text)
        print(os.path.relpath(path, root))
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    problems, _ = check(settings, root=root)
    build.report(problems)
    return 1 if any(p.level == "error" for p in problems) else 0


if __name__ == "__main__":
    sys.exit(main())
