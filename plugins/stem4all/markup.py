"""Markdown to safe HTML: links written for GitHub's preview become site links, then nh3 cleans."""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from markdown import blockprocessors, util
from markdown.blockparser import BlockParser
from markdown.extensions import Extension, abbr, def_list, footnotes
from markdown.treeprocessors import InlineProcessor, Treeprocessor

try:
    import re._parser as regex_parser  # Python 3.11 and later
except ImportError:  # pragma: no cover - older Pythons
    import sre_parse as regex_parser

ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "em", "strong", "b", "i", "s", "del", "ins",
    "sub", "sup", "mark", "small", "abbr", "ul", "ol", "li", "dl", "dt", "dd", "a", "img",
    "blockquote", "q", "cite", "figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr",
    "th", "td", "caption", "code", "pre", "kbd", "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "blockquote": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["extra", "sane_lists", "smarty", "pymdownx.tilde"]


@dataclass
class Rendered:
    html: str
    links: list[str] = field(default_factory=list)  # content files linked, relative to content/
    images: list[str] = field(default_factory=list)  # images shown, relative to content/
    removed: list[tuple[str, str]] = field(default_factory=list)  # (what, text to find it by)


def resolve(source: str, target: str) -> str | None:
    """The content-relative path a relative link in `source` points to, or None if it leaves content/."""
    if target.startswith("/"):
        joined = posixpath.normpath(target.lstrip("/"))
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
    if joined.startswith("..") or joined == ".":
        return None
    return joined


class _LinkRewriter(Treeprocessor):
    """Rewrite relative links so that what previews on GitHub also works on the site.

    The Markdown instance is reused for every file, so the file being rendered and its result are
    set on it (`stem4all_source`, `stem4all_result`) before each conversion."""

    def __init__(self, md, depth: int, images_dir: str):
        super().__init__(md)
        self.depth, self.images_dir = depth, images_dir

    @property
    def source(self) -> str:
        return self.md.stem4all_source

    @property
    def result(self) -> Rendered:
        return self.md.stem4all_result

    def run(self, root):
        for el in root.iter():
            attr = {"a": "href", "img": "src"}.get(el.tag)
            if attr and el.get(attr):
                el.set(attr, self.rewrite(el.get(attr)))

    def rewrite(self, url: str) -> str:
        for prefix in ("{filename}", "{static}", "{attach}"):
            if url.startswith(prefix):
                url = url[len(prefix):]
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path:
            return url
        path = unquote(parts.path)
        suffix = ("#" + parts.fragment) if parts.fragment else ""
        up = "../" * self.depth
        if path.endswith(".md"):
            target = resolve(self.source, path)
            self.result.links.append(target or path)
            return "{filename}/" + (target or path) + suffix
        if path.startswith("/"):
            # Root-relative links to the site are made relative so they survive any base path.
            target = resolve(self.source, path)
            if target and target.startswith(self.images_dir + "/"):
                self.result.images.append(target)
            return up + path.lstrip("/") + suffix
        target = resolve(self.source, path)
        if target and target.startswith(self.images_dir + "/"):
            self.result.images.append(target)
            return up + target + suffix
        return url


class _Links(Extension):
    def __init__(self, **kwargs):
        self.args = kwargs
        super().__init__()

    def extendMarkdown(self, md):
        md.treeprocessors.register(_LinkRewriter(md, **self.args), "stem4all_links", 1)


def plain_markdown(depth: int, images_dir: str) -> markdown.Markdown:
    """Our Markdown as Python-Markdown sets it up, every inline pattern tried everywhere."""
    return markdown.Markdown(extensions=[*EXTENSIONS, _Links(depth=depth, images_dir=images_dir)],
                             output_format="html")


@functools.lru_cache(maxsize=None)
def _markdown(depth: int, images_dir: str) -> markdown.Markdown:
    """One Markdown per configuration: setting up its extensions cost more than many a short story."""
    md = plain_markdown(depth, images_dir)
    for proc in md.treeprocessors:
        if isinstance(proc, InlineProcessor):
            _try_only_what_can_match(proc)
    _try_only_blocks_that_can_match(md.parser)
    _look_for_html_only_where_there_is_some(md)
    return md


def _look_for_html_only_where_there_is_some(md: markdown.Markdown) -> None:
    """Skip the HTML-block preprocessor on a document without a `<`.

    It runs Python's HTML parser over every document to set raw HTML blocks aside, a tenth of a
    second for the N=1000 campaign; raw HTML starts with `<`, and without one its parser only sees
    text and gives the lines back as they were (tests/test_markup.py compares the HTML)."""
    if "html_block" not in md.preprocessors:
        return
    processor = md.preprocessors["html_block"]
    run = processor.run

    def run_where_there_is_html(lines: list[str]) -> list[str]:
        return run(lines) if any("<" in line for line in lines) else lines

    processor.run = run_where_there_is_html


# Text the inline processors themselves put into the tree while they work (their placeholders).
_GENERATED = frozenset(util.STX + util.ETX + util.INLINE_PLACEHOLDER_PREFIX + "0123456789")


def _try_only_what_can_match(proc: InlineProcessor) -> None:
    """Let `proc` try, on each document and each run of text in it, only the inline patterns that
    can match there.

    Python-Markdown tries every inline pattern (34 with smarty and extra) on every run of text,
    and that was half of rendering a story. Every match of a pattern contains certain characters
    (the `[` of a link, the `~` of strikethrough, the `'` of a smart quote, a `*` or a `_` for
    emphasis: `_clauses`), so a pattern is left out of a document whose text lacks them, and then
    skipped on each run of text that lacks them. The HTML is the same, byte for byte
    (tests/test_markup.py compares with an unpruned Markdown)."""
    every = [(pattern, _clauses(pattern)) for pattern in proc.inlinePatterns]
    kept: list[tuple] = []
    run = proc.run

    def run_pruned(root, *args, **kwargs):
        seen = set(_GENERATED)
        for element in root.iter():
            seen.update(element.text or "")
            seen.update(element.tail or "")
        kept[:] = [(pattern, clauses) for pattern, clauses in every if all(c & seen for c in clauses)]
        # InlineProcessor reads its patterns by position and count only, so a list serves.
        proc.inlinePatterns = [pattern for pattern, _ in kept]
        return run(root, *args, **kwargs)

    proc.run = run_pruned
    # Each run of text goes through InlineProcessor.__handleInline, which tries the patterns in
    # order from a given one (a match's inner text starts after the pattern that matched). This
    # is that loop, skipping a pattern when the text lacks what it needs: the text it looks at
    # is `data` itself, placeholders included. Without these (private) methods, as in another
    # version of Python-Markdown, each document is still pruned as a whole.
    apply = getattr(proc, "_InlineProcessor__applyPattern", None)
    if apply is None or not hasattr(proc, "_InlineProcessor__handleInline"):
        return

    def handle_inline(data: str, patternIndex: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        start = 0
        while patternIndex < len(kept):
            pattern, clauses = kept[patternIndex]
            # Whether the text holds a character of each clause, written as loops: all(any(...))
            # made two generators per pattern and run of text, which cost as much as the matching.
            holds = True
            for clause in clauses:
                for c in clause:
                    if c in data:
                        break
                else:
                    holds = False
                    break
            if holds:
                data, matched, start = apply(pattern, data, patternIndex, start)
                if matched:
                    continue
            patternIndex += 1
            start = 0
        return data

    proc._InlineProcessor__handleInline = handle_inline


def _clauses(pattern) -> tuple[frozenset[str], ...]:
    """What every match of an inline pattern's regex contains, as clauses: each match holds at
    least one character of each clause (`\\*|_` gives one clause, {*, _}; a link's `\\[` gives
    {[}). Read from the literals it consumes or looks ahead or behind for, outside optional
    parts, and from the alternatives of a branch. None (always tried) when the regex cannot be
    read or ignores case."""
    return tuple(c for c in _regex_clauses(getattr(pattern, "compiled_re", None)) if not c <= _GENERATED)


def _regex_clauses(regex) -> tuple[frozenset[str], ...]:
    """What every match of `regex` contains, as clauses (see `_clauses`); () if it cannot be read."""
    if regex is None or regex.flags & re.IGNORECASE:
        return ()
    try:
        parsed = regex_parser.parse(regex.pattern, regex.flags)
    except Exception:  # noqa: BLE001 - an unknown pattern is simply always tried
        return ()

    def walk(items) -> list[frozenset[str]]:
        found = []
        for op, arg in items:
            if op is regex_parser.LITERAL:
                found.append(frozenset(chr(arg)))
            elif op is regex_parser.IN and arg and all(o is regex_parser.LITERAL for o, _ in arg):
                found.append(frozenset(chr(a) for _, a in arg))
            elif op is regex_parser.SUBPATTERN:
                found += walk(arg[-1])
            elif op is regex_parser.ASSERT:  # a positive lookahead or lookbehind: also in the text
                found += walk(arg[1])
            elif op in (regex_parser.MAX_REPEAT, regex_parser.MIN_REPEAT, regex_parser.POSSESSIVE_REPEAT) and arg[0] >= 1:
                found += walk(arg[2])
            elif op is regex_parser.BRANCH:
                branches = [walk(branch) for branch in arg[1]]
                if all(branches):
                    common = set.intersection(*(set(b) for b in branches))
                    found += sorted(common, key=sorted) or [frozenset().union(*(b[0] for b in branches))]
        return found

    return tuple(dict.fromkeys(walk(parsed)))


# Block processors whose test is a search (or match) of one regex in the block, or whose test
# always passes and whose run, when that regex is not found, puts the block back and returns
# False: skipping them on a block without what the regex needs changes nothing.
_REGEX_TESTED = {
    blockprocessors.HashHeaderProcessor: "RE", blockprocessors.SetextHeaderProcessor: "RE",
    blockprocessors.HRProcessor: "SEARCH_RE", blockprocessors.OListProcessor: "RE",
    blockprocessors.UListProcessor: "RE", blockprocessors.BlockQuoteProcessor: "RE",
    def_list.DefListProcessor: "RE",
}
_REGEX_RUN = {
    blockprocessors.ReferenceProcessor: "RE", footnotes.FootnoteBlockProcessor: "RE", abbr.AbbrBlockprocessor: "RE",
}


def _block_clauses(processor) -> tuple[frozenset[str], ...]:
    """What a block must contain for `processor` to take it (() if it may take any block)."""
    for base, attribute in (*_REGEX_TESTED.items(), *_REGEX_RUN.items()):
        if isinstance(processor, base):
            same = type(processor).test is base.test and (base not in _REGEX_RUN or type(processor).run is base.run)
            return _regex_clauses(getattr(processor, attribute, None)) if same else ()
    return ()


def _try_only_blocks_that_can_match(parser: BlockParser) -> None:
    """Let `parser` try on each block only the block processors that can take it.

    Python-Markdown tries its block processors (17 with extra) in order on every block until one
    takes it, and a paragraph, the most common block, is tried by all of them: a third of
    rendering the check's Markdown. Ten of them look for one regex (a `#` for a heading, a `>`
    for a quote, a `[` and a `:` for a link reference...), so a block that lacks what the regex
    needs is not offered to them. The HTML is the same, byte for byte (tests/test_markup.py).
    This is BlockParser.parseBlocks with that test added."""
    processors = [(processor, _block_clauses(processor)) for processor in parser.blockprocessors]

    def parse_blocks(parent, blocks: list[str]) -> None:
        while blocks:
            block, chars = None, frozenset()
            for processor, clauses in processors:
                if clauses:
                    if blocks[0] is not block:
                        block = blocks[0]
                        chars = frozenset(block)
                    if not all(clause & chars for clause in clauses):
                        continue
                if processor.test(parent, blocks[0]):
                    if processor.run(parent, blocks) is not False:
                        break

    parser.parseBlocks = parse_blocks


def render(body: str, source: str, depth: int, images_dir: str = "images") -> Rendered:
    """Render a story or profile body; `depth` is how many folders deep its page is written."""
    result = Rendered(html="")
    md = _markdown(depth, images_dir)
    # reset() forgets the previous file's footnotes, abbreviations and link references.
    md.reset()
    md.stem4all_source, md.stem4all_result = source, result
    raw = md.convert(body)
    result.html = sanitise(raw)
    result.removed = _Removals.find(raw)
    return result


def sanitise(html: str) -> str:
    # h1 is the page title; a body heading of level 1 is demoted rather than dropped.
    html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


class _Removals(HTMLParser):
    """Lists what the sanitiser will take out, so the check can tell the contributor."""

    DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "form", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    @classmethod
    def find(cls, html: str) -> list[tuple[str, str]]:
        html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
        if _keeps_all(html):
            return []
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.found

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            what = f"the <{tag}> element" + (" and what is inside it" if tag in self.DROPPED_WITH_CONTENT else "")
            self.found.append((what, f"<{tag}"))
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                self.found.append((f"the attribute {name}= on <{tag}>", f"{name}="))
            elif name in ("href", "src") and value and not _safe_url(value):
                self.found.append((f"the address {value[:40]!r}", value[:40]))

    def handle_comment(self, data):
        self.found.append(("an HTML comment", "<!--"))


# A tag as Python-Markdown writes one: a lower-case name and quoted attributes with neither < nor >
# in their values (it escapes them), nothing else.
_PLAIN_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)((?:\s+[a-z][a-z0-9-]*="[^"<>]*")*)\s*/?>')
_PLAIN_ATTRIBUTE = re.compile(r'([a-z][a-z0-9-]*)="([^"]*)"')


def _keeps_all(html: str) -> bool:
    """Whether the sanitiser leaves every tag of `html` as it is, shown without parsing it.

    Parsing each page with html.parser to find what the sanitiser removes was a tenth of the
    check's time, and most stories have nothing to remove. When every `<` in the HTML opens a tag
    of the plain form Python-Markdown writes, those are exactly the tags a parser finds (text and
    code have their `<` escaped), so if each is allowed, with allowed attributes and safe
    addresses, nothing is removed. Anything else (a comment, raw HTML, an attribute not allowed)
    goes to the parser, which says what is removed and where."""
    tags = 0
    for match in _PLAIN_TAG.finditer(html):
        tags += 1
        closing, tag, attributes = match.groups()
        if closing:
            continue
        if tag not in ALLOWED_TAGS:
            return False
        allowed = ALLOWED_ATTRIBUTES.get(tag, ())
        for name, value in _PLAIN_ATTRIBUTE.findall(attributes):
            if name not in allowed or (name in ("href", "src") and value and not _safe_url(unescape(value))):
                return False
    return tags == html.count("<")


def _safe_url(url: str) -> bool:
    scheme = urlsplit(url.strip()).scheme.lower()
    return not scheme or scheme in URL_SCHEMES or url.startswith(("{filename}", "{static}"))
