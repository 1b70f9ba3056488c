"""Search: Pagefind indexes the built stories (one index per <html lang>) before the site goes live."""

from __future__ import annotations

import json
import os
import subprocess
import sys


class SearchIndexError(Exception):
    pass


def index(site_dir: str) -> None:
    """Index the story pages in `site_dir`; the bundle lands in site_dir/pagefind/."""
    # Pagefind ships its binary inside the wheel, so nothing is downloaded here.
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", site_dir, "--output-subdir", "pagefind", "--silent"],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise SearchIndexError(f"the search index could not be built: {result.stderr.strip() or result.stdout.strip()}")
    _stable_entry(os.path.join(site_dir, "pagefind", "pagefind-entry.json"))


def _stable_entry(path: str) -> None:
    """Pagefind writes its languages in hash-map order; sorted keys make the same site byte-identical."""
    with open(path, encoding="utf-8") as f:
        entry = json.load(f)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(entry, f, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
