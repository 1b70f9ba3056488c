"""Run ONE build in this process and print its time and peak memory as a JSON line.

bench.py starts a fresh interpreter for every build, so no build profits from another's imports
or caches in memory, and each one's peak memory (ru_maxrss) is its own.

    worker.py ours  PROJECT [--no-search] [--force] [--profile OUT]
    worker.py stock PROJECT
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

# bench.py points this at a snapshot of plugins/, theme/ and the settings files, so that edits
# made while a long benchmark runs cannot change the code half-way through it.
ROOT = Path(os.environ.get("STEM4ALL_BENCH_CODE") or Path(__file__).resolve().parent.parent)
MARK = "BENCH-RESULT "

# Stock Pelican: its defaults and its default theme (notmyidea), no plugins. Pagination and the
# content cache are set like ours so that both sides do the same work.
STOCK_CONF = """\
SITENAME = "STEM4ALL Stories"
SITEURL = ""
TIMEZONE = "Asia/Bishkek"
DEFAULT_LANG = "en"
PLUGINS = []
DEFAULT_PAGINATION = 24
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
"""


def ours(project: Path, search: bool, force: bool = False) -> int:
    sys.path.insert(0, str(ROOT / "plugins"))
    from stem4all import build as site

    os.chdir(project)
    overrides = {}
    if image_cache_setting():
        # Kept between builds like .cache/images/: a "cold" build empties only the content cache.
        overrides[image_cache_setting()] = str(project / ".cache" / "images")
    settings = site.load(str(ROOT / "pelicanconf.py"), PATH=str(project / "content"),
                         OUTPUT_PATH=str(project / "output"), CACHE_PATH=str(project / ".cache" / "pelican"),
                         THEME=str(ROOT / "theme"), PLUGIN_PATHS=[str(ROOT / "plugins")], STEM4ALL_SEARCH=search,
                         **overrides)
    return site.build(settings, force=force)


def image_cache_setting() -> str | None:
    """Our image-cache setting, if the site has one yet (SPEC: derived images in .cache/images/)."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from stem4all.settings import DEFAULTS

    names = [k for k in DEFAULTS if "IMAGE" in k and "CACHE" in k]
    return names[0] if names else None


def stock(project: Path) -> int:
    from pelican import Pelican
    from pelican.settings import read_settings

    conf = project / "pelicanconf.py"
    conf.write_text(STOCK_CONF, encoding="utf-8")
    os.chdir(project)
    settings = read_settings(str(conf), override={
        "PATH": str(project / "content"), "OUTPUT_PATH": str(project / "output"),
        "CACHE_PATH": str(project / ".cache" / "pelican")})
    Pelican(settings).run()
    return 0


def cpu_seconds() -> float:
    """Processor time (user + system) of this process and of the children it waited for (Pagefind).

    Less sensitive than the clock to other work on the machine; on 2 cores it can exceed it."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM), in MiB.

    Not ru_maxrss: after fork() that also counts the parent's memory at the time of the fork."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["ours", "stock"])
    parser.add_argument("project", type=Path)
    parser.add_argument("--no-search", action="store_true")
    parser.add_argument("--force", action="store_true", help="build even if the last build still stands")
    parser.add_argument("--profile", help="write a pyinstrument profile of the build to this path (.html or .txt)")
    args = parser.parse_args()
    project = args.project.resolve()
    profiler = None
    if args.profile:
        from pyinstrument import Profiler  # a local tool: .venv/bin/pip install pyinstrument

        profiler = Profiler(interval=0.001)
        profiler.start()
    start, cpu_start = time.perf_counter(), cpu_seconds()
    rc = ours(project, not args.no_search, args.force) if args.kind == "ours" else stock(project)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
    if profiler:
        profiler.stop()
        Path(args.profile).with_suffix(".txt").write_text(
            profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8")
        Path(args.profile).with_suffix(".html").write_text(profiler.output_html(), encoding="utf-8")
        Path(args.profile).with_suffix(".pyisession").write_text(
            json.dumps(profiler.last_session.to_json()), encoding="utf-8")
    print(MARK + json.dumps({"rc": rc, "seconds": seconds, "cpu": cpu, "rss_mb": peak_rss_mb()}), flush=True)
    sys.exit(rc)


if __name__ == "__main__":
    main()
