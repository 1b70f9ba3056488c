"""Lighthouse (mobile) on the built sample site: home, a story, a champion and a pillar page.

    .venv/bin/python benchmarks/lighthouse.py [--runs 3] [--dev] [--site DIR]

Builds content/ with publishconf.py (SITEURL = the local address, so canonical links and feeds are
absolute as in production), serves it on 127.0.0.1 gzip-compressed (as GitHub Pages does), runs
Lighthouse 12.2.3 from benchmarks/lighthouse-tool (`invoke lighthouse` installs it) with Chromium, and prints the scores.
Exit status 1 when performance < 98 or accessibility, best practices or SEO < 100.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import mimetypes
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from worker import image_cache_setting  # noqa: E402

TOOL = ROOT / "benchmarks" / "lighthouse-tool"
LIGHTHOUSE = TOOL / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
                "--disable-sync --no-first-run")
CATEGORIES = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index")
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".webmanifest"}


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip for text and a short cache lifetime, as GitHub Pages serves them."""

    def do_GET(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if (os.path.isfile(path) and os.path.splitext(path)[1] in COMPRESSED
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            body = gzip.compress(Path(path).read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", (mimetypes.guess_type(path)[0] or "text/plain") + "; charset=utf-8")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=600")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


def serve(site: Path, port: int) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_sample(out: Path, siteurl: str, dev: bool) -> None:
    sys.path.insert(0, str(ROOT / "plugins"))
    from stem4all import build as site

    os.environ["SITEURL"] = siteurl  # publishconf.py reads it when it is loaded
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        overrides = {} if dev else {"SITEURL": siteurl, "FEED_DOMAIN": siteurl}
        if image_cache_setting():  # a cache of our own: leave the developers' .cache/images alone
            overrides[image_cache_setting()] = str(out.parent / ".cache" / "images")
        settings = site.load(str(ROOT / ("pelicanconf.py" if dev else "publishconf.py")),
                             PATH=str(ROOT / "content"), OUTPUT_PATH=str(out),
                             CACHE_PATH=str(out.parent / ".cache" / "pelican"), **overrides)
        if site.build(settings):
            raise SystemExit("the sample site did not build — run .venv/bin/invoke check")
    finally:
        os.chdir(cwd)


def pick_pages(site: Path) -> dict[str, str]:
    """Home, a story with a cover (its largest paint is a picture), a champion and a pillar page."""
    stories = sorted(site.glob("stories/*/index.html"))
    story = next((p for p in stories if 'fetchpriority="high"' in p.read_text(encoding="utf-8")), stories[0])
    champion = sorted(site.glob("champions/*/index.html"))[0]
    pillar = sorted(p for p in site.glob("pillars/*/index.html") if p.parent.name != "page")[0]
    return {"home": "/", **{name: "/" + str(p.parent.relative_to(site)) + "/"
                            for name, p in (("story", story), ("champion", champion), ("pillar", pillar))}}


def lighthouse(url: str, report: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    cmd = ["node", str(LIGHTHOUSE), url, "--quiet", f"--chrome-flags={CHROME_FLAGS}", "--form-factor=mobile",
           "--output=json", f"--output-path={report}"]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not report.exists():
        raise SystemExit(f"Lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def complaints(lhr: dict, category: str) -> list[str]:
    """The audits that cost this category points, with Lighthouse's own title."""
    out = []
    for ref in lhr["categories"][category]["auditRefs"]:
        audit = lhr["audits"][ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
            out.append(f"{audit['id']}: {audit['title']}{value}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page; the median score counts")
    parser.add_argument("--dev", action="store_true", help="build with pelicanconf.py instead of publishconf.py")
    parser.add_argument("--site", type=Path, help="test this already-built folder instead of building the sample")
    parser.add_argument("--keep", type=Path, help="copy the JSON reports into this folder")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed — run `invoke lighthouse` (or `npm ci --prefix benchmarks/lighthouse-tool`)")
    work = Path(tempfile.mkdtemp(prefix="s4a-lighthouse-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    site = args.site.resolve() if args.site else work / "output"
    if not args.site:
        build_sample(site, base, args.dev)
    server = serve(site, port)
    ok = True
    try:
        rows = []
        for name, path in pick_pages(site).items():
            lhrs = [lighthouse(base + path, work / f"{name}-{i}.json") for i in range(args.runs)]
            scores = {c: statistics.median(round(lhr["categories"][c]["score"] * 100) for lhr in lhrs)
                      for c in CATEGORIES}
            lhr = lhrs[-1]
            rows.append((name, path, scores, {m: lhr["audits"][m].get("displayValue", "") for m in METRICS},
                         {c: complaints(lhr, c) for c in CATEGORIES if scores[c] < 100}))
        print(f"Lighthouse {json.loads((LIGHTHOUSE.parent.parent / 'package.json').read_text())['version']}, "
              f"mobile (simulated slow 4G, 4x CPU slowdown), {args.runs} run(s) per page, median; {base}")
        print(f"\n  {'page':<9}{'perf':>6}{'a11y':>6}{'b-p':>6}{'seo':>6}  FCP / LCP / TBT / CLS / SI   path")
        for name, path, scores, metrics, _ in rows:
            marks = "".join(f"{scores[c]:>5}{'!' if scores[c] < limit else ' '}" for c, limit in CATEGORIES.items())
            print(f"  {name:<9}{marks}  {' / '.join(metrics.values())}   {path}")
            ok &= all(scores[c] >= limit for c, limit in CATEGORIES.items())
        for name, _, _, _, why in rows:
            for category, items in why.items():
                for item in items:
                    print(f"  {name} · {category}: {item}")
        print("\nThresholds: performance ≥ 98, accessibility, best practices and SEO = 100 — "
              + ("all met." if ok else "NOT all met (marked !)."))
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for report in work.glob("*.json"):
                shutil.copy(report, args.keep / report.name)
    finally:
        server.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
