"""Page budgets for a reader on a phone, checked on a built site folder.

    .venv/bin/python benchmarks/budgets.py output/     # exit status 1 when a budget is over

A story page: HTML + CSS + JS ≤ 20 KB gzip; at most one render-blocking request besides the HTML;
no web fonts; no third-party request; the cover a 360-px phone downloads ≤ 60 KB. Listings:
no page over 30 KB gzip. KB here is 1,024 bytes; "gzip" is gzip -9 of each file on its own.
"""

from __future__ import annotations

import gzip
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

KB = 1024
STORY_WEIGHT, LISTING_WEIGHT, COVER_WEIGHT, BLOCKING = 20 * KB, 30 * KB, 60 * KB, 1
PHONE_PIXELS = 720  # 360 CSS px at a device pixel ratio of 2
AUTOLOAD_LINKS = {"stylesheet", "preload", "modulepreload", "icon", "apple-touch-icon", "manifest"}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)")


@dataclass
class Budget:
    name: str
    value: float
    limit: float
    unit: str
    worst: str = ""

    @property
    def ok(self) -> bool:
        return self.value <= self.limit

    def row(self) -> str:
        shown = f"{self.value / KB:.1f} KB" if self.unit == "KB" else f"{self.value:g}"
        limit = f"{self.limit / KB:.0f} KB" if self.unit == "KB" else f"{self.limit:g}"
        return f"{'ok  ' if self.ok else 'OVER'}  {self.name:<52} {shown:>10} / {limit:<7} {self.worst}"


@dataclass
class Page:
    """What a page loads by itself, read from its HTML."""

    head_blocking: list[str] = field(default_factory=list)
    stylesheets: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    autoload: list[str] = field(default_factory=list)  # every URL the browser fetches without a click
    inline_css: list[str] = field(default_factory=list)
    cover: dict | None = None


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page, self.stack, self.in_head, self.in_style = Page(), [], False, False
        self.picture_sources: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        self.stack.append((tag, a.get("class", "")))
        p = self.page
        if tag == "head":
            self.in_head = True
        elif tag == "style":
            self.in_style = True
        elif tag == "link":
            rels = set(a.get("rel", "").lower().split())
            if rels & AUTOLOAD_LINKS and a.get("href"):
                p.autoload.append(a["href"])
            if "stylesheet" in rels and a.get("href"):
                p.stylesheets.append(a["href"])
                if self.in_head and a.get("media", "all") not in ("print",):
                    p.head_blocking.append(a["href"])
        elif tag == "script" and a.get("src"):
            p.scripts.append(a["src"])
            p.autoload.append(a["src"])
            if self.in_head and "async" not in a and "defer" not in a and a.get("type") != "module":
                p.head_blocking.append(a["src"])
        elif tag in ("img", "iframe", "source", "video", "audio", "embed"):
            p.autoload.extend(a[key] for key in ("src", "poster", "data") if a.get(key))
            p.autoload.extend(url for url, _, _ in _candidates(a.get("srcset", "")))
            if tag == "source" and any(t == "picture" for t, _ in self.stack):
                self.picture_sources.append(a)
            if tag == "img" and p.cover is None and (
                    a.get("fetchpriority") == "high" or any("cover" in cls for _, cls in self.stack)):
                p.cover = {"img": a, "sources": list(self.picture_sources)}

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        elif tag == "style":
            self.in_style = False
        elif tag == "picture":
            self.picture_sources = []
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.in_style:
            self.page.inline_css.append(data)


def _candidates(srcset: str) -> list[tuple[str, float, str]]:
    """(url, number, 'w' or 'x') for each candidate of a srcset."""
    out = []
    for part in filter(None, (s.strip() for s in srcset.split(","))):
        bits = part.split()
        desc = bits[1] if len(bits) > 1 else "1x"
        out.append((bits[0], float(desc[:-1] or 1), desc[-1]))
    return out


def phone_choice(img: dict, sources: list[dict]) -> str:
    """The cover a 360-px phone at DPR 2 downloads: the smallest candidate ≥ 720w, else the largest."""
    srcset = next((s.get("srcset", "") for s in sources if s.get("type", "image/jpeg").split("/")[-1]
                   in ("avif", "webp", "jpeg", "png") and s.get("srcset")), img.get("srcset", ""))
    cands = _candidates(srcset)
    if not cands:
        return img.get("src", "")
    need = PHONE_PIXELS if cands[0][2] == "w" else 2
    wide = sorted((c for c in cands if c[1] >= need), key=lambda c: c[1])
    return (wide[0] if wide else max(cands, key=lambda c: c[1]))[0]


def read_page(path: Path) -> Page:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader.page


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9, mtime=0))


class Site:
    """A built site folder and the address it is published under."""

    def __init__(self, root: Path, siteurl: str = ""):
        self.root, self.base = root, urlsplit(siteurl)
        self._gz: dict[Path, int] = {}

    def local(self, page: Path, url: str) -> Path | None:
        """The file in the site for `url` as written on `page`, or None for another host."""
        parts = urlsplit(urljoin("http://site/" + str(page.relative_to(self.root)), url))
        if url.startswith(("http:", "https:", "//")):
            parts = urlsplit(url)
            if parts.netloc != self.base.netloc:
                return None
            path = parts.path[len(self.base.path):]
        else:
            path = parts.path
        file = self.root / path.lstrip("/")
        return file / "index.html" if path.endswith("/") else file

    def third_party(self, page: Path, url: str) -> bool:
        return not url.startswith(("data:", "#")) and self.local(page, url) is None

    def gzip_size(self, file: Path) -> int:
        if file not in self._gz:
            self._gz[file] = gz(file.read_bytes()) if file.is_file() else 0
        return self._gz[file]


def story_pages(root: Path) -> list[Path]:
    return sorted(root.glob("stories/*/index.html")) + sorted(root.glob("*/stories/*/index.html"))


def story_budgets(root: Path, siteurl: str = "") -> list[Budget]:
    """Each budget for the worst story page of the site."""
    site = Site(root, siteurl)
    worst = {"weight": (0, ""), "blocking": (0, ""), "fonts": (0, ""), "third": (0, ""), "cover": (0, "")}
    pages = story_pages(root)
    for path in pages:
        page, rel = read_page(path), str(path.relative_to(root).parent) + "/"
        css_files = [f for f in (site.local(path, u) for u in page.stylesheets) if f]
        js_files = [f for f in (site.local(path, u) for u in page.scripts) if f]
        weight = gz(path.read_bytes()) + sum(site.gzip_size(f) for f in css_files + js_files)
        css = "".join(page.inline_css) + "".join(f.read_text(encoding="utf-8") for f in css_files if f.is_file())
        fonts = css.count("@font-face")
        css_urls = [m.group(1) or m.group(2) for m in CSS_URL.finditer(css)]
        third = [u for u in page.autoload + css_urls if site.third_party(path, u)]
        cover = 0
        if page.cover:
            chosen = site.local(path, phone_choice(page.cover["img"], page.cover["sources"]))
            cover = chosen.stat().st_size if chosen and chosen.is_file() else 0
        for key, value, note in (("weight", weight, rel), ("blocking", len(page.head_blocking), rel),
                                 ("fonts", fonts, rel), ("third", len(third), f"{rel} {third[:2]}"),
                                 ("cover", cover, rel)):
            if value > worst[key][0]:
                worst[key] = (value, note)
    label = f"story page ({len(pages)} pages, worst shown)"
    return [
        Budget(f"{label}: HTML+CSS+JS gzip", *worst["weight"][:1], STORY_WEIGHT, "KB", worst["weight"][1]),
        Budget("story page: render-blocking requests", worst["blocking"][0], BLOCKING, "n", worst["blocking"][1]),
        Budget("story page: web fonts (@font-face)", worst["fonts"][0], 0, "n", worst["fonts"][1]),
        Budget("story page: third-party requests", worst["third"][0], 0, "n", worst["third"][1]),
        Budget("story page: cover sent to a 360-px phone", worst["cover"][0], COVER_WEIGHT, "KB", worst["cover"][1]),
    ]


LISTINGS = {"home": ["index.html", "page/*/index.html"],
            "champions": ["champions/index.html", "champions/page/*/index.html"],
            "pillar": ["pillars/*/index.html", "pillars/*/page/*/index.html"],
            "country": ["countries/*/index.html", "countries/*/page/*/index.html"],
            "tag": ["tags/*/index.html", "tags/*/page/*/index.html"]}


def listing_budgets(root: Path, languages=("en", "ru", "ky")) -> list[Budget]:
    """The largest page of each listing (every page of its pagination) in each language."""
    out = []
    for lang in languages:
        base = root if lang == "en" else root / lang
        for kind, patterns in LISTINGS.items():
            files = [f for pat in patterns for f in base.glob(pat)]
            if kind == "pillar":  # pillars/index.html is the index of working groups, not a story listing
                files = [f for f in files if f.parent != base / "pillars"]
            sizes = [(gz(f.read_bytes()), str(f.relative_to(root))) for f in files]
            value, worst = max(sizes, default=(0, "(no page)"))
            out.append(Budget(f"listing {lang} {kind} ({len(files)} pages)", value, LISTING_WEIGHT, "KB", worst))
    return out


def print_budgets(title: str, budgets: list[Budget]) -> bool:
    print(f"\n{title}")
    for b in budgets:
        print("  " + b.row())
    return all(b.ok for b in budgets)


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site folder, e.g. output/")
    parser.add_argument("--siteurl", default="", help="the SITEURL it was built with, if any")
    args = parser.parse_args(argv)
    ok = print_budgets(f"Story page budgets — {args.site}", story_budgets(args.site, args.siteurl))
    ok &= print_budgets(f"Listing budgets — {args.site}", listing_budgets(args.site))
    print("\nAll budgets met." if ok else "\nSome budgets are over (OVER above).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
