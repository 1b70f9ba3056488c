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
