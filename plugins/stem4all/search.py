"""Search: Pagefind indexes the built stories (one index per <html lang>) before the site goes live."""

from __future__ import annotations

import ctypes
import gc
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile

import pagefind_bin

from . import contentcache


# Only story pages carry data-pagefind-body, so only they are indexed (ARTICLE_SAVE_AS and
# ARTICLE_LANG_SAVE_AS in pelicanconf.py). Pointing Pagefind at them alone gives the same index
# without reading every listing, profile and tag page: at 5,000 stories that was 11,000 files and
# most of the build's memory.
STORY_PAGES = "{stories,*/stories}/*/index.html"
STORY_PAGE_PATTERNS = ("stories/*/index.html", "*/stories/*/index.html")  # the same, for Python's glob
BUNDLE = "pagefind"
# Raise when what index() does to Pagefind's bundle changes, so kept bundles are not reused.
BUNDLE_FORMAT = "2"


class SearchIndexError(Exception):
    pass


def index(site_dir: str, cache_dir: str | None = None) -> None:
    """Index the story pages in `site_dir`; the bundle lands in site_dir/pagefind/.

    With a `cache_dir`, the bundle is kept there under a hash of every story page, and the next
    build whose story pages are byte for byte the same reuses it instead of running Pagefind: a
    rebuild that changed no story (a champion's bio, a listing, a setting) gets its search for the
    cost of linking its files."""
    release_memory()
    start(site_dir, cache_dir).finish()


def is_story_page(name: str) -> bool:
    """Whether Pagefind reads this page (a path relative to the site, as STORY_PAGES matches it)."""
    return STORY_PAGE_NAME.fullmatch(name.replace(os.sep, "/")) is not None


STORY_PAGE_NAME = re.compile(r"(?:[^/]+/)?stories/[^/]+/index\.html")


class Indexing:
    """Pagefind indexing the story pages, started by `start` and waited for by `finish`, so the
    build can go on meanwhile (write the listings) once every story page is written."""

    def __init__(self, site_dir: str, cache_dir: str | None):
        self.site_dir, self.cache_dir = site_dir, cache_dir
        self.process = None
        # The key is needed now only to look for a kept bundle; with none kept (a cold build) it
        # is worked out in finish(), while Pagefind runs.
        self.key = _pages_key(site_dir) if cache_dir and _kept_any(cache_dir) else None
        kept = os.path.join(cache_dir, self.key) if self.key else None
        if kept and os.path.isfile(os.path.join(kept, "pagefind-entry.json")):
            shutil.copytree(kept, os.path.join(site_dir, BUNDLE), copy_function=_link_or_copy)
            return
        # Everything Pagefind indexes is inside the story's data-pagefind-body element; naming it as
        # the root spares Pagefind the rest of each page (the same bundle, a tenth less work).
        self.process = subprocess.Popen(
            [_executable(), "--site", site_dir, "--output-subdir", BUNDLE, "--glob", STORY_PAGES,
             "--root-selector", "[data-pagefind-body]", "--silent"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    def finish(self) -> None:
        """Wait for Pagefind; the bundle is complete (and kept) when this returns."""
        if self.process is None:
            return
        if self.cache_dir and self.key is None:
            self.key = _pages_key(self.site_dir)
        out, err = self.process.communicate()
        if self.process.returncode != 0:
            raise SearchIndexError(f"the search index could not be built: {err.strip() or out.strip()}")
        self.process = None
        bundle = os.path.join(self.site_dir, BUNDLE)
        _stable_entry(os.path.join(bundle, "pagefind-entry.json"))
        if self.key:
            _keep(bundle, self.cache_dir, self.key)

    def cancel(self) -> None:
        """Stop Pagefind: the build failed and its folder is going away."""
        if self.process is not None:
            self.process.kill()
            self.process.communicate()
            self.process = None


def start(site_dir: str, cache_dir: str | None = None) -> Indexing:
    """Start indexing the story pages in `site_dir` (every one of them must be written); with
    a `cache_dir`, a bundle kept for the same story pages is linked in instead (see `index`)."""
    return Indexing(site_dir, cache_dir)


def _executable() -> str:
    """Pagefind's own program, which the pagefind[bin] wheel ships (nothing is downloaded). Run
    directly rather than through `python -m pagefind`, which starts a Python only to exec it."""
    return str(pagefind_bin.get_executable())


def _kept_any(cache_dir: str) -> bool:
    try:
        return any(os.path.isfile(os.path.join(cache_dir, name, "pagefind-entry.json")) for name in os.listdir(cache_dir))
    except OSError:
        return False


def _pages_key(site_dir: str) -> str:
    """A hash of what Pagefind would read: its version, the pages it indexes and their bytes."""
    digest = hashlib.sha256()
    for name in ("pagefind", "pagefind-bin"):
        digest.update(f"{name}={contentcache.package_version(name)}\n".encode())
    digest.update(f"{BUNDLE_FORMAT}\n{STORY_PAGES}\n".encode())
    pages = sorted({os.path.relpath(path, site_dir).replace(os.sep, "/")
                    for pattern in STORY_PAGE_PATTERNS
                    for path in glob.glob(os.path.join(glob.escape(site_dir), pattern))})
    for page in pages:
        with open(os.path.join(site_dir, page), "rb") as f:
            digest.update(f"{page}\n{contentcache.digest(f.read())}\n".encode())
    return digest.hexdigest()


def _keep(bundle: str, cache_dir: str, key: str) -> None:
    """Keep the bundle (its files linked, not copied) as the only one in cache_dir; a failure here costs a later build
    one Pagefind run, never this build."""
    try:
        os.makedirs(cache_dir, exist_ok=True)
        partial = tempfile.mkdtemp(prefix=".partial-", dir=cache_dir)
        shutil.copytree(bundle, os.path.join(partial, key), copy_function=_link_or_copy)
        for old in os.listdir(cache_dir):
            if old != os.path.basename(partial):
                shutil.rmtree(os.path.join(cache_dir, old), ignore_errors=True)
        os.rename(os.path.join(partial, key), os.path.join(cache_dir, key))
        shutil.rmtree(partial, ignore_errors=True)
    except OSError:
        pass


def _link_or_copy(src: str, dst: str) -> None:
    """Share the file rather than copy it: nothing writes into a bundle once it is made (the
    build replaces output/ whole), so the kept one and the published one can be the same file."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def release_memory() -> None:
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
