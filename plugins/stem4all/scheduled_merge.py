"""Which `scheduled` pull requests are due: every story they touch has reached its date, and checks pass.

The workflow runs `python -m stem4all.scheduled_merge` and merges the numbers it prints; the
decision is here, tested offline on recorded `gh pr list --json` output."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from .fields import parse_date
from .frontmatter import FrontMatterError, parse

PR_FIELDS = "number,title,isDraft,mergeable,headRefOid,files,statusCheckRollup"
PASSING = {"SUCCESS", "NEUTRAL", "SKIPPED"}


def checks_pass(pr: dict) -> bool:
    rollup = pr.get("statusCheckRollup") or []
    # A check run reports `conclusion`; a commit status reports `state`.
    return bool(rollup) and all((c.get("conclusion") or c.get("state") or "").upper() in PASSING for c in rollup)


def decide(prs: list[dict], read_file, now: datetime, zone: str) -> list[tuple[int, bool, str]]:
    """(number, due, reason) for each pull request; read_file(pr, path) returns the file's text at its head."""
    decisions = []
    for pr in prs:
        number = int(pr["number"])
        stories = [f["path"] for f in pr.get("files") or []
                   if f["path"].startswith("content/stories/") and f["path"].endswith(".md")]
        if pr.get("isDraft"):
            decisions.append((number, False, "it is a draft pull request"))
        elif pr.get("mergeable") != "MERGEABLE":
            decisions.append((number, False, "it cannot be merged cleanly (conflicts?)"))
        elif not checks_pass(pr):
            decisions.append((number, False, "its checks have not all passed"))
        elif not stories:
            decisions.append((number, False, "it adds no story"))
        else:
            waiting = [reason for reason in (_not_yet(pr, path, read_file, now, zone) for path in stories) if reason]
            decisions.append((number, not waiting, "; ".join(waiting) or "every story has reached its date"))
    return decisions


def _not_yet(pr, path, read_file, now, zone) -> str | None:
    text = read_file(pr, path)
    if text is None:  # the pull request deletes this file
        return None
    try:
        date = parse_date(parse(text).meta.get("date"))
    except FrontMatterError:
        date = None
    if date is None:
        return f"{path} has no readable date"
    when = date.replace(tzinfo=ZoneInfo(zone))
    return None if when <= now else f"{path} waits until {when:%Y-%m-%d %H:%M}"


def _gh(*args: str) -> str:
    return subprocess.run(["gh", *args], capture_output=True, text=True, check=True).stdout


def _read_with_gh(pr: dict, path: str) -> str | None:
    try:
        data = json.loads(_gh("api", f"repos/{{owner}}/{{repo}}/contents/{path}?ref={pr['headRefOid']}"))
    except subprocess.CalledProcessError:
        return None
    return base64.b64decode(data["content"]).decode("utf-8")


def main() -> int:
    sys.path.insert(0, ".")
    from pelican.settings import read_settings

    from .settings import apply_defaults, now

    settings = read_settings("pelicanconf.py")
    apply_defaults(settings)
    prs = json.loads(_gh("pr", "list", "--label", "scheduled", "--state", "open", "--json", PR_FIELDS))
    for number, due, reason in decide(prs, _read_with_gh, now(settings), settings["TIMEZONE"]):
        print(f"#{number}: {'due' if due else 'not yet'} — {reason}", file=sys.stderr)
        if due:
            print(number)
    return 0


if __name__ == "__main__":
    sys.exit(main())
