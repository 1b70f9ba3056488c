"""Search: Pagefind indexes the built stories (one index per <html lang>) before the site goes live."""

from __future__ import annotations

import ctypes
import gc
import json
import os
import subprocess
import sys


# Only story pages carry data-pagefind-body, so only they are indexed (ARTICLE_SAVE_AS and
# ARTICLE_LANG_SAVE_AS in pelicanconf.py). Pointing Pagefind at them alone gives the same index
# without reading every listing, profile and tag page: at 5,000 stories that was 11,000 files and
# most of the build's memory.
STORY_PAGES = "{stories,*/stories}/*/index.html"


class SearchIndexError(Exception):
    pass


def index(site_dir: str) -> None:
    """Index the story pages in `site_dir`; the bundle lands in site_dir/pagefind/."""
    _release_memory()
    # Pagefind ships its binary inside the wheel, so nothing is downloaded here.
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", site_dir, "--output-subdir", "pagefind",
         "--glob", STORY_PAGES, "--silent"],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise SearchIndexError(f"the search index could not be built: {result.stderr.strip() or result.stdout.strip()}")
    _stable_entry(os.path.join(site_dir, "pagefind", "pagefind-entry.json"))


def _release_memory() -> None:
    """Hand the finished build's memory back to the system before Pagefind starts.

    Pagefind runs while this process is still alive; the pages, templates and Markdown of the
    build are garbage by then, but CPython and glibc keep freed memory for reuse unless asked, and
    the two together would pass 1 GB on a campaign of 5,000 stories."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)  # glibc only; elsewhere the memory stays reserved
    except (OSError, AttributeError):
        pass


def _stable_entry(path: str) -> None:
    """Pagefind writes its languages in hash-map order; sorted keys make the same site byte-identical."""
    with open(path, encoding="utf-8") as f:
        entry = json.load(f)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(entry, f, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
