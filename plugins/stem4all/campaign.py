"""The International Day of the Girl Child campaign: its next date, and whether it is running now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .settings import now


@dataclass(frozen=True)
class Campaign:
    date: date  # this year's day, or next year's once this year's campaign is over
    running: bool


def _on(year: int, month_day: str) -> date:
    month, day = (int(part) for part in month_day.split("-"))
    return date(year, month, day)


def current(settings: dict) -> Campaign:
    today = now(settings).date()
    start, end = (_on(today.year, settings[k]) for k in ("STEM4ALL_CAMPAIGN_START", "STEM4ALL_CAMPAIGN_END"))
    day = _on(today.year, settings["STEM4ALL_CAMPAIGN_DATE"])
    if today > end:
        day = _on(today.year + 1, settings["STEM4ALL_CAMPAIGN_DATE"])
    return Campaign(date=day, running=start <= today <= end)
