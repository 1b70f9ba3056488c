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
import sys
import tempfile

from . import contentcache


# Only story pages carry data-pagefind-body, so only they are indexed (ARTICLE_SAVE_AS and
# ARTICLE_LANG_SAVE_AS in pelicanconf.py). Pointing Pagefind at them alone gives the same index
# without reading every listing, profile and tag page: at 5,000 stories that was 11,000 files and
# most of the build's memory.
STORY_PAGES = "{stories,*/stories}/*/index.html"
STORY_PAGE_PATTERNS = ("stories/*/index.html", "*/stories/*/index.html")  # the same, for Python's glob
STORY_PAGE_RE = re.compile(r"(?:[^/]+/)?stories/[^/]+/index\.html")  # and for a path the writer is given
BUNDLE = "pagefind"
# Raise when what index() does to Pagefind's bundle changes, so kept bundles are not reused.
BUNDLE_FORMAT = "1"


class SearchIndexError(Exception):
    pass


class Indexing:
    """Pagefind's run over the story pages of `site_dir`; the bundle lands in site_dir/pagefind/.

    start() may come as soon as every story page is written (writing.py announces it), so that
    Pagefind indexes them while the listings and profiles are still being written; finish() waits
    for it. With a `cache_dir`, the bundle is kept there under a hash of every story page, and the
    next build whose story pages are byte for byte the same reuses it instead of running Pagefind:
    a rebuild that changed no story (a champion's bio, a listing, a setting) gets its search for
    the cost of linking its files."""

    def __init__(self, site_dir: str, cache_dir: str | None = None):
        self.site_dir, self.cache_dir = site_dir, cache_dir
        self._started = False
        self._key: str | None = None
        self._pagefind: subprocess.Popen | None = None

    def start(self) -> None:
        """Index the story pages now on disk, in the background (once; after it succeeded, later calls do nothing)."""
        if self._started:
            return
        shutil.rmtree(self._bundle(), ignore_errors=True)  # what an attempt that failed half-way left
        self._key = _pages_key(self.site_dir) if self.cache_dir else None
        kept = self._kept()
        if kept and os.path.isfile(os.path.join(kept, "pagefind-entry.json")):
            shutil.copytree(kept, self._bundle(), copy_function=_link_or_copy)
        else:
            # Pagefind ships its binary inside the wheel, so nothing is downloaded here.
            self._pagefind = subprocess.Popen(
                [sys.executable, "-m", "pagefind", "--site", self.site_dir, "--output-subdir", BUNDLE,
                 "--glob", STORY_PAGES, "--silent"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
        self._started = True

    def finish(self) -> None:
        """Wait for the bundle and keep it for later builds. Starts Pagefind now if nothing did, or
        if the start in the writer's thread failed (so that its error is raised here)."""
        self.start()
        if self._pagefind is None:
            return  # a kept bundle was linked in
        out, err = self._pagefind.communicate()
        if self._pagefind.returncode != 0:
            raise SearchIndexError(f"the search index could not be built: {err.strip() or out.strip()}")
        _stable_entry(os.path.join(self._bundle(), "pagefind-entry.json"))
        if self._key:
            _keep(self._bundle(), self.cache_dir, self._key)

    def stop(self) -> None:
        """Stop Pagefind if it is still running (the build failed)."""
        if self._pagefind is not None and self._pagefind.poll() is None:
            self._pagefind.kill()
            self._pagefind.communicate()

    def _bundle(self) -> str:
        return os.path.join(self.site_dir, BUNDLE)

    def _kept(self) -> str | None:
        return os.path.join(self.cache_dir, self._key) if self._key else None


def index(site_dir: str, cache_dir: str | None = None) -> None:
    """Index the story pages of a site already written (see Indexing)."""
    _release_memory()
    Indexing(site_dir, cache_dir).finish()


def is_story_page(name: str) -> bool:
    """Whether the page saved as `name` is one that Pagefind indexes (STORY_PAGES)."""
    return STORY_PAGE_RE.fullmatch(name) is not None


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
