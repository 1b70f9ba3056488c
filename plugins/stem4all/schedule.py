"""What goes live when: embargoed stories by date and time in the site's zone, then drafts."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from .fields import parse_date
from .settings import now
from .validation import check


def upcoming(settings: dict) -> list[tuple[str, str, str]]:
    """(when, file, title) for every story that is not public yet, soonest first."""
    zone = ZoneInfo(settings["TIMEZONE"])
    current = now(settings)
    _, entries = check(settings)
    embargoed, drafts = [], []
    for e in entries:
        if e.schema.kind != "story":
            continue
        title = str(e.meta.get("title", ""))
        date = parse_date(e.meta.get("date"))
        if e.meta.get("status") == "draft":
            drafts.append(("draft", e.display, title))
        elif date and date.replace(tzinfo=zone) > current:
            embargoed.append((date.replace(tzinfo=zone), e.display, title))
    embargoed.sort()
    return [(f"{d:%Y-%m-%d %H:%M} {settings['TIMEZONE']}", path, title) for d, path, title in embargoed] + sorted(drafts)
