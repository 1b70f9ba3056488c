"""Rendering Markdown tries only the inline patterns that can match a document; the HTML must be
exactly what Python-Markdown gives when it tries them all."""

import markdown
import pytest

from conftest import FIXTURES, ROOT
from stem4all import markup

TRICKY = [
    "She said \"yes\" -- then 'no'... and in the '90s it was \"'quoted'\" --- really.",
    "Rock 'n' roll, the girls' club, it's 5 o'clock; \"Hello,\" she said. 'Single' and \"double\".",
    "Escapes: \\*not em\\*, \\'not smart\\', \\\"plain\\\", \\[not a link\\], 1\\. not a list",
    "A footnote[^1] and another[^note].\n\n[^1]: The first, with a [link](https://example.org).\n"
    "[^note]: The second -- with 'quotes'.",
    "*[STEM]: Science, technology, engineering and mathematics\n\nSTEM for all, STEM \"for\" girls.",
    "Entities &amp; &copy; &#8212; &#x41; and a lone & sign; 3 < 4 > 2.",
    "Autolinks <https://example.org/a?b=c> and <someone@example.org>, inline <span>html</span>.",
    "Two spaces at the end  \nmake a line break;\ta tab\t\nalso counts.",
    "~~struck~~ and ~~'quoted' strike~~ and a ~ tilde alone.",
    "`code with 'quotes' and -- dashes` and ``double `ticks` here``, \\`escaped tick\\`.",
    "![a photo](../images/a.jpg \"a 'title'\") and [ref link][r] and [short] and ![img ref][r].\n\n"
    "[r]: https://example.org \"Title\"\n[short]: ../champions/ada.md",
    "_underscore em_ and __strong__ and ***both*** and snake_case_word and 2*3*4.",
    "> A quote with \"quotes\" -- and...\n>\n> - a list 'item'\n> - another",
    "Term\n: Definition with 'quotes'\n\n| a | b |\n|---|---|\n| 'x' | \"y\" |",
    "«Кавычки» — по-русски... и 'одинарные', и \"двойные\"; Кыргызча: «Илим» -- өңүт.",
    "Nothing special here at all",
    "",
    "<div markdown=\"1\">*inside* 'html' block</div>\n\n<!-- a comment -- with 'quotes' -->",
    "Edge: \"'\" and '\"' and \"\" and '' and ' alone and \" alone.",
    "Dashes--joined and spaced -- and triple---joined; ellipsis.... and ..",
    # Blocks: every kind the block processors take, and blocks that nearly are one.
    "Setext heading\n==============\n\nAnother\n-------\n\nNot one\n= but text",
    "Rules:\n\n***\n\n- - -\n\n___\n\n* * *\n\n--\n\nThat last one is text.",
    "1. one\n2. two\n\n3) not sane\n\n10. ten\n    indented\n\n- dash\n+ plus\n* star\n\n-not a list",
    "> quote\n> > nested\n>\n> - list in quote\n\n>not spaced\n\na > b in text",
    "Text[^a] and more[^b].\n\n[^a]: First: note.\n    continued\n[^b]: Second.\n\n[^not]:\n",
    "*[HTML]: Hyper Text\n*[W3C]:  World Wide Web Consortium\n\nHTML and W3C, *[not]: abbr",
    "[ref]: https://example.org 'Title'\n[other]: <https://example.org/b> (Paren)\n\n[ref] and [other][] and [missing]",
    "Term\n:   Definition\n\nTerm two\n: Def: with colon\n\n: not a def",
    "# H1 #\n## H2\n###### H6 ######\n####### seven\n\nA #hashtag and C# in text",
    "    code block\n    # not heading\n\n```python\n# fenced\n> not quote\n```",
    "| a | b |\n|:--|--:|\n| 1 | 2 |\n\nNot | a table",
    "<div>\n# html block\n</div>\n\nAfter the block: 1. not a list",
    "No tags at all, only entities &amp; &copy; &#8212; &#x41; &nbsp; and & alone; AT&T, R&D.",
]


def convert(md: markdown.Markdown, body: str, source: str) -> str:
    md.reset()
    md.stem4all_source, md.stem4all_result = source, markup.Rendered(html="")
    return md.convert(body)


def bodies():
    yield from TRICKY
    yield from (p for p in (FIXTURES / "xss-payloads.txt").read_text(encoding="utf-8").split("\n") if p.strip())
    for path in sorted((ROOT / "content").rglob("*.md")):
        yield path.read_text(encoding="utf-8")


@pytest.mark.parametrize("depth", [1, 2])
def test_pruned_patterns_give_the_same_html_as_all_patterns(depth):
    everything = markup.plain_markdown(depth, "images")
    pruned = markup._markdown(depth, "images")
    compared = 0
    for body in bodies():
        assert convert(pruned, body, "stories/x.md") == convert(everything, body, "stories/x.md"), body
        compared += 1
    assert compared > 40


def test_a_document_is_not_held_back_by_the_one_before():
    # The patterns left out for a plain document must be back for the next one.
    md = markup._markdown(1, "images")
    assert "<em>" not in convert(md, "Plain words only", "stories/x.md")
    html = convert(md, "It's *here* -- [a link](https://example.org) ~~gone~~...", "stories/x.md")
    assert "<em>here</em>" in html and "&rsquo;" in html and "&ndash;" in html
    assert '<a href="https://example.org">a link</a>' in html and "<del>gone</del>" in html and "&hellip;" in html


def test_what_a_pattern_needs_is_read_from_its_regex():
    md = markup.plain_markdown(1, "images")
    needs = {name: set(markup._clauses(md.inlinePatterns[name])) for name in ("link", "entity", "em_strong", "backtick")}
    assert needs["link"] == {frozenset("[")}
    assert needs["entity"] == {frozenset("&"), frozenset(";")}
    assert needs["em_strong"] == {frozenset("*_")}  # "*" or "_": one of them is in every match
    assert needs["backtick"] == {frozenset("`")}  # both alternatives need a backtick


def test_what_a_block_processor_needs_is_read_from_its_regex():
    parser = markup.plain_markdown(1, "images").parser
    needs = {name: set(markup._block_clauses(parser.blockprocessors[name]))
             for name in ("hashheader", "quote", "reference", "footnote", "ulist", "paragraph", "table")}
    assert needs["hashheader"] == {frozenset("#")}
    assert needs["quote"] == {frozenset(">")}
    assert needs["reference"] == {frozenset("["), frozenset("]"), frozenset(":")}
    assert needs["footnote"] == {frozenset("["), frozenset("^"), frozenset("]"), frozenset(":")}
    assert needs["ulist"] == {frozenset("*+-"), frozenset(" ")}
    assert needs["paragraph"] == needs["table"] == set()  # tested by code, not a regex: always offered


def test_a_run_of_text_without_what_a_pattern_needs_skips_it_but_its_neighbours_do_not():
    md = markup._markdown(1, "images")
    body = "Plain heading\n\n## Also *plain*\n\n- `code`\n- _em_ and a [link](https://example.org) -- dash\n"
    assert convert(md, body, "stories/x.md") == convert(markup.plain_markdown(1, "images"), body, "stories/x.md")
    html = convert(md, body, "stories/x.md")
    assert "<code>code</code>" in html and "<em>em</em>" in html and "<em>plain</em>" in html and "&ndash;" in html


def parsed_removals(html: str) -> list[tuple[str, str]]:
    """What the sanitiser removes, found by parsing every page (as before the plain-tag shortcut)."""
    parser = markup._Removals()
    parser.feed(html.replace("<h1", "<h2").replace("</h1>", "</h2>"))
    parser.close()
    return parser.found


# Hand-written HTML the sanitiser leaves whole, and HTML it takes something out of.
KEPT_WHOLE = [
    '<p>plain</p><a href="https://example.org" title="t">x</a><br /><img src="a.jpg" alt="a" />',
    '<P>upper case</P>', '<p>a < b</p>', '<ol start="3"><li>x</li></ol>', '<a href="">empty</a>',
    '<a href="{filename}../stories/x.md">x</a>', '<h1>title</h1>',
]
CUT = [
    '<p class="x">a class</p>', '<a href="java&#115;cript:alert(1)">x</a>', '<a href="JavaScript:x">x</a>',
    '<p title="a>b">x</p>', "<p title='single'>x</p>", '<img src=x onerror=alert(1)>', '<!-- comment -->',
    '<p>x</p><script>alert(1)</script>', '<a href="https://example.org" onclick="x()">x</a>',
    '<td align="left">x</td>', '<svg><a href="x">y</a></svg>',
]


def test_a_page_shown_to_keep_every_tag_is_one_the_parser_finds_nothing_to_remove_in():
    md = markup.plain_markdown(1, "images")
    pages = [convert(md, body, "stories/x.md") for body in bodies()]
    shortcut = [page for page in pages if markup._keeps_all(page)]
    assert len(shortcut) > len(pages) // 2  # most stories take the shortcut
    for page in pages + KEPT_WHOLE + CUT:
        assert markup._Removals.find(page) == parsed_removals(page), page
    assert all(parsed_removals(page) == [] for page in shortcut)
    assert all(parsed_removals(page) == [] for page in KEPT_WHOLE)
    assert all(parsed_removals(page) and not markup._keeps_all(page) for page in CUT)
