"""Front matter is parsed once, by libyaml when PyYAML has it, and reads exactly as the pure-Python parser reads it."""

from pathlib import Path

import pytest
import yaml

from stem4all import frontmatter
from stem4all.frontmatter import FrontMatterError, parse

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent

TRICKY = [
    "---\ntitle: Plain\ndate: 2025-10-11 09:30\n---\nBody\n",
    "---\ntitle: 'Quoted: with colon'\ntags: [a, b]\nsummary: >\n  folded\n  text\n---\n",
    "---\nbase: &b {x: 1}\nmerged:\n  <<: *b\n  y: 2\nyes: no\n1: one\n---\n",
    "---\ntitle: Кыргызча «текст»\nn: 0x1F\nf: 1.5e3\nnull_: ~\n---\n",
    "---\ntitle: a: b\n---\n",
    "---\ntitle: [unclosed\n---\n",
    "---\n- a list\n---\n",
    "---\ntitle: x\ntitle: y\n---\n",
    "---\ntitle: \"bad \\q escape\"\n---\n",
    "---\ntitle: x\n\tindent: tab\n---\n",
    "---\ntitle: x\n---\n---\n",
]


def outcome(text):
    try:
        doc = parse(text)
    except FrontMatterError as exc:
        return ("error", exc.line, exc.message)
    return (doc.meta, doc.lines, doc.body, doc.body_line, doc.end_line)


def samples():
    files = sorted(FIXTURES.rglob("*.md")) + sorted((ROOT / "content").rglob("*.md"))
    return TRICKY + [p.read_text(encoding="utf-8") for p in files]


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
@pytest.mark.parametrize("text", samples())
def test_libyaml_reads_front_matter_as_the_pure_python_parser_does(text, monkeypatch):
    fast = outcome(text)
    monkeypatch.setattr(frontmatter, "_FastLoader", frontmatter._Loader)
    assert fast == outcome(text)


def test_dates_stay_the_text_the_contributor_wrote():
    assert parse("---\ndate: 2025-10-11\n---\n").meta["date"] == "2025-10-11"


def test_a_yaml_error_names_the_line_and_the_parsers_own_words():
    with pytest.raises(FrontMatterError) as caught:
        parse("---\ntitle: ok\nsummary: [unclosed\n---\n")
    assert caught.value.line == 3
    assert "expected ',' or ']', but got '<stream end>'" in caught.value.message


def strptime_date(value):
    """parse_date as it was: each of DATE_FORMATS tried with strptime."""
    from datetime import datetime

    from stem4all.fields import DATE_FORMATS

    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(str(value).strip(), fmt)
        except ValueError:
            continue
    return None


def test_a_date_reads_as_strptime_reads_it():
    """Dates with two-digit fields are read without strptime; every date must read the same."""
    import datetime
    import random

    from stem4all.fields import parse_date

    values = ["2025-03-08", "2025-03-08 14:30", " 2025-03-08 ", "2025-3-8", "2025-03-08 9:05", "2025-02-30",
              "2024-02-29", "2023-02-29", "2025-13-01", "2025-00-10", "2025-01-00", "0000-01-01",
              "2025-03-08 24:00", "2025-03-08 23:60", "2025-03-08T14:30", "2025-03-08  14:30",
              "2025-03-08 14:30:00", "٢٠٢٥-03-08", "", "soon", datetime.date(2025, 10, 11)]
    rng = random.Random(11)
    for _ in range(3000):
        day = f"{rng.randint(0, 9999):04d}-{rng.randint(0, 14):02d}-{rng.randint(0, 33):02d}"
        values.append(day + (f" {rng.randint(0, 25):02d}:{rng.randint(0, 61):02d}" if rng.random() < 0.5 else ""))
    assert [parse_date(v) for v in values] == [strptime_date(v) for v in values]
    assert parse_date("2025-10-11 09:30") == datetime.datetime(2025, 10, 11, 9, 30)
