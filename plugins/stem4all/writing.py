"""Pages rendered on every core: the writer collects the pages Pelican's generators ask for, then
forks so that each core renders and writes its share.

Rendering the templates is most of a build (over 2,000 pages for 1,000 stories, every listing in
three languages), and Pelican does it on one core. Once the generators have built the context,
every page depends only on it, so forked processes, which start with the same context in memory,
write the same bytes as one process would, with nothing to send between them. The processes take
pages a few at a time as they become free, each keeping to one language as long as it can (_Lanes).
A path asked for twice is written twice by the same process, in order. A process that logs an
error or raises fails the build, like the main process would."""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import pickle
import sys
import traceback
import zlib
from collections.abc import Callable

from . import listings, search
from .feeds import FeedWriter
from .settings import lang_prefix

logger = logging.getLogger(__name__)

# Pages per process below which a fork costs more than it saves. At 100 stories (about 110 story
# pages, written before Pagefind starts) two processes made the cold build 0.86 s instead of 0.89 s.
PARALLEL_FROM = 50
# Pages a process takes at a time.
BATCH = 8
# Seconds a process waits for its turn to take pages (each turn takes microseconds).
LOCK_TIMEOUT = 60
# What to do when a process writing pages fails between pages rather than on one page.
ONE_PROCESS_HINT = ("build again; if it happens again, set STEM4ALL_PAGE_PROCESSES = 1 in pelicanconf.py "
                    "to write every page in one process")


# Set by build.py while a build with search runs: called with the output folder once every story
# page is written, it starts the search index and says whether it runs beside the other pages.
after_story_pages: Callable[[str], bool] | None = None


class PageWriteError(Exception):
    pass


class _Errors(logging.Handler):
    """The errors a child process logs (Pelican logs some instead of raising)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def processes(settings: dict, pages: int) -> int:
    """How many processes write `pages` pages: STEM4ALL_PAGE_PROCESSES, or one per core the build may use."""
    wanted = settings.get("STEM4ALL_PAGE_PROCESSES") or len(os.sched_getaffinity(0))
    return max(1, min(wanted, pages // PARALLEL_FROM or 1)) if hasattr(os, "fork") else 1


def page_order(names: list[str], settings: dict) -> list[str]:
    """Each page once, by language, then by a hash of its path (so that any run of pages mixes
    stories, profiles and listings): the order in which the processes take pages."""
    prefixes = [(lang_prefix(settings, lang), lang) for lang in settings["STEM4ALL_LANGUAGES"]
                if lang != settings["DEFAULT_LANG"]]

    def language(name: str) -> str:
        return next((lang for prefix, lang in prefixes if name.startswith(prefix)), settings["DEFAULT_LANG"])

    return sorted(set(names), key=lambda name: (language(name), zlib.crc32(name.encode("utf-8")), name))


class _Lanes:
    """Hands out the pages in `page_order`, a few at a time, to `count` processes.

    Processes work in pairs on equal stretches of the order, one from the front and one from the
    back, so a pair ends together however long its pages take, and a process keeps to one language
    until the two meet: a story's card is drawn once per language and process, then reused, so a
    process that wrote every language would draw nearly every card again. Each process's first
    pages are set aside before it starts (the first and the last of its stretch)."""

    def __init__(self, pages: int, count: int):
        pairs = (count + 1) // 2
        shared = multiprocessing.get_context("fork")  # the processes that take pages are forked
        self._lock = shared.Lock()
        # For each pair: the next page from the front, and one past the next page from the back.
        self._ends = shared.RawArray("q", 2 * pairs)
        for pair in range(pairs):
            self._ends[2 * pair] = pages * (2 * pair) // count
            self._ends[2 * pair + 1] = pages * min(2 * pair + 2, count) // count
        self.first = [self._take(process) for process in range(count)]

    def _take(self, process: int) -> range:
        front, back = 2 * (process // 2), 2 * (process // 2) + 1
        # Held for a few microseconds; if it stays taken, a process died holding it, and every
        # other one ends with an error instead of waiting forever.
        if not self._lock.acquire(timeout=LOCK_TIMEOUT):
            raise PageWriteError(f"no pages handed out for {LOCK_TIMEOUT} s: another process writing pages "
                                 f"stopped — {ONE_PROCESS_HINT}")
        try:
            start, end = self._ends[front], self._ends[back]
            if start >= end:
                return range(0)
            if process % 2:
                self._ends[back] = max(start, end - BATCH)
                return range(self._ends[back], end)
            self._ends[front] = min(end, start + BATCH)
            return range(start, self._ends[front])
        finally:
            self._lock.release()

    def pages(self, process: int):
        """The indexes (into page_order) of the pages `process` writes, as it becomes free for them."""
        batch = self.first[process]
        while batch:
            yield from batch
            batch = self._take(process)


class SiteWriter(FeedWriter):
    """Pelican's writer (with our feeds) that keeps pages until write_pending() writes them on every core."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self._pending: list[tuple] | None = []

    def write_file(self, name, template, context, *args, **kwargs):
        if self._pending is None:
            return super().write_file(name, template, context, *args, **kwargs)
        self._pending.append((name, template, context, args, kwargs))
        return None

    def write_pending(self, then: Callable[[], None] | None = None) -> None:
        """Write every page asked for so far, and those `then` asks for; pages asked for later are
        written at once.

        With `after_story_pages` set (a build with search) and no more than
        STEM4ALL_SEARCH_BESIDE_UP_TO story pages, the story pages come first; then the search index
        starts on them, and while it runs this process asks for the pages `then` adds (the
        listings) and writes them and the other pages alone: Pagefind takes the other cores, and
        the memory of a second writing process is not added to Pagefind's."""
        jobs, self._pending = self._pending or [], None
        stories, others = [], []
        for job in jobs if after_story_pages else ():
            (stories if search.is_story_page(job[0]) else others).append(job)
        if after_story_pages is None or len(stories) > self.settings["STEM4ALL_SEARCH_BESIDE_UP_TO"]:
            self._write_shared(jobs + self._asked_by(then))  # the build starts the search index after Pelican
            return
        self._write_shared(stories, keep_cards=True)
        beside = after_story_pages(self.output_path)
        self._write_shared(others + self._asked_by(then), alone=beside)

    def _asked_by(self, then: Callable[[], None] | None) -> list[tuple]:
        """The pages `then` asks for, kept to be written with the others."""
        self._pending = []
        try:
            if then is not None:
                then()
            return self._pending
        finally:
            self._pending = None

    def _write_shared(self, jobs: list[tuple], alone: bool = False, keep_cards: bool = False) -> None:
        """Write `jobs` on every core (or in this process if `alone` or there are few); with
        `keep_cards`, this process takes over the story and champion cards the others drew
        (listings.py), for the pages it writes next."""
        count = 1 if alone else processes(self.settings, len(jobs))
        logger.info("[stem4all] %d pages written by %d process%s", len(jobs), count, "" if count == 1 else "es")
        if count == 1:
            self._write(jobs)
            return
        copies: dict[str, list[tuple]] = {}
        for job in jobs:
            copies.setdefault(job[0], []).append(job)  # a path asked for twice: written twice, in order
        order = page_order(list(copies), self.settings)
        # Every page's context is the build's own, where the cards drawn so far are kept.
        cards = jobs[0][2].setdefault(listings.CARDS, {})
        lanes = _Lanes(len(order), count)

        def share(process: int):
            for index in lanes.pages(process):
                yield from copies[order[index]]

        # Objects that exist now are left alone by the collector, so the children do not copy
        # the memory they share with this process just by looking at it.
        gc.freeze()
        children = []
        try:
            for process in range(1, count):
                read, write = os.pipe()
                pid = os.fork()
                if pid == 0:
                    os.close(read)
                    self._child(share(process), write, cards if keep_cards else None)
                os.close(write)
                children.append((pid, read))
            self._write(share(0))
        finally:
            reports = [_collect(pid, read) for pid, read in children]
            gc.unfreeze()
        problems = [problem for problem, _ in reports if problem]
        for _, drawn in reports if not problems else ():
            for key, card in drawn.items():
                cards.setdefault(key, card)
        if problems:
            raise PageWriteError(f"{len(problems)} of the {count} processes writing pages failed:\n" + "\n".join(problems))

    def _write(self, jobs) -> None:
        for name, template, context, args, kwargs in jobs:
            super().write_file(name, template, context, *args, **kwargs)

    def _child(self, share, pipe: int, cards: dict | None) -> None:
        """Write this share of the pages, tell the parent what went wrong (and, given the `cards`
        kept so far, the cards it drew), and leave: never return into the build."""
        errors = _Errors()
        logging.getLogger().addHandler(errors)
        report = []
        finished = False
        known = set(cards) if cards is not None else set()
        try:
            for job in share:
                try:
                    self._write([job])
                except Exception as exc:  # noqa: BLE001 - each page's error is reported, then the build fails
                    traceback.print_exc()
                    report.append(f"{job[0]}: {type(exc).__name__}: {exc}")
            report += errors.messages
            finished = True
        except BaseException as exc:  # noqa: BLE001 - taking the next pages failed: the rest are not written
            traceback.print_exc()
            report.append(f"the process stopped before writing all its pages: {type(exc).__name__}: {exc} — "
                          f"{ONE_PROCESS_HINT}")
        finally:
            # The cards' keys name stories by id(): the same objects in the parent, forked before.
            drawn = {key: card for key, card in (cards or {}).items() if key not in known}
            try:
                with os.fdopen(pipe, "wb") as out:
                    pickle.dump(("\n".join(report), drawn), out, protocol=pickle.HIGHEST_PROTOCOL)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(0 if finished and not report else 1)


def _collect(pid: int, read: int) -> tuple[str, dict]:
    """What a child reported ('' if all went well) and the cards it drew; waits for it to end."""
    with os.fdopen(read, "rb") as f:
        data = f.read()
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    try:
        text, drawn = pickle.loads(data)
    except Exception:  # noqa: BLE001 - a child that died before reporting: its status says so
        text, drawn = "", {}
    if code and not text:
        text = f"the process writing pages ended with status {code}"
    return text, drawn
