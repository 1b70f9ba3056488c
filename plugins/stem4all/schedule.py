"""What goes live when: embargoed stories by date and time in the site's zone, then drafts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from .fields import parse_date
from .settings import now
from .validation import check


def embargoed(settings: dict, entries: list) -> list[tuple[datetime, object]]:
    """(when it goes live, entry) for every story dated after the build's "now" that is not a draft."""
    zone, current = ZoneInfo(settings["TIMEZONE"]), now(settings)
    found = []
    for e in entries:
        if e.schema.kind != "story" or e.meta.get("status") == "draft":
            continue
        date = parse_date(e.meta.get("date"))
        if date and date.replace(tzinfo=zone) > current:
            found.append((date.replace(tzinfo=zone), e))
    return found


def upcoming(settings: dict) -> list[tuple[str, str, str]]:
    """(when, file, title) for every story that is not public yet, soonest first."""
    _, entries = check(settings)
    later = sorted((d, e.display, str(e.meta.get("title", ""))) for d, e in embargoed(settings, entries))
    drafts = sorted(("draft", e.display, str(e.meta.get("title", ""))) for e in entries
                    if e.schema.kind == "story" and e.meta.get("status") == "draft")
    return [(f"{d:%Y-%m-%d %H:%M} {settings['TIMEZONE']}", path, title) for d, path, title in later] + drafts
