"""Pages rendered on every core: the writer collects the pages Pelican's generators ask for, then
forks so that each core renders and writes its share.

Rendering the templates is most of a build (over 2,000 pages for 1,000 stories, every listing in
three languages), and Pelican does it on one core. Once the generators have built the context,
every page depends only on it, so forked processes, which start with the same context in memory,
write the same bytes as one process would, with nothing to send between them. Pages are shared
out by a hash of their path, so a path asked for twice is written twice by the same process, in order.
A process that logs an error or raises fails the build, like the main process would."""

from __future__ import annotations

import gc
import logging
import os
import sys
import traceback
import zlib

from .feeds import FeedWriter

logger = logging.getLogger(__name__)

# Below this many pages a fork costs more than it saves.
PARALLEL_FROM = 200


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


def share_of(name: str, count: int) -> int:
    """Which of `count` processes writes the page saved as `name` (the same on every build)."""
    return zlib.crc32(name.encode("utf-8")) % count


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

    def write_pending(self) -> None:
        """Write every page asked for so far; pages asked for later are written at once."""
        jobs, self._pending = self._pending or [], None
        count = processes(self.settings, len(jobs))
        logger.info("[stem4all] %d pages written by %d process%s", len(jobs), count, "" if count == 1 else "es")
        if count == 1:
            self._write(jobs)
            return
        shares = [[] for _ in range(count)]
        for job in jobs:
            shares[share_of(job[0], count)].append(job)
        # Objects that exist now are left alone by the collector, so the children do not copy
        # the memory they share with this process just by looking at it.
        gc.freeze()
        children = []
        try:
            for share in shares[1:]:
                read, write = os.pipe()
                pid = os.fork()
                if pid == 0:
                    os.close(read)
                    self._child(share, write)
                os.close(write)
                children.append((pid, read))
            self._write(shares[0])
        finally:
            problems = [_collect(pid, read) for pid, read in children]
            gc.unfreeze()
        problems = [p for p in problems if p]
        if problems:
            raise PageWriteError(f"{len(problems)} of the {count} processes writing pages failed:\n" + "\n".join(problems))

    def _write(self, jobs) -> None:
        for name, template, context, args, kwargs in jobs:
            super().write_file(name, template, context, *args, **kwargs)

    def _child(self, share, pipe: int) -> None:
        """Write this share of the pages, tell the parent what went wrong, and leave: never return into the build."""
        errors = _Errors()
        logging.getLogger().addHandler(errors)
        report = []
        try:
            for job in share:
                try:
                    self._write([job])
                except Exception as exc:  # noqa: BLE001 - each page's error is reported, then the build fails
                    traceback.print_exc()
                    report.append(f"{job[0]}: {type(exc).__name__}: {exc}")
            report += errors.messages
        finally:
            with os.fdopen(pipe, "w", encoding="utf-8") as out:
                out.write("\n".join(report))
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(1 if report else 0)


def _collect(pid: int, read: int) -> str:
    """What a child reported ('' if all went well); waits for it to end."""
    with os.fdopen(read, encoding="utf-8") as f:
        text = f.read()
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    if code and not text:
        text = f"the process writing pages ended with status {code}"
    return text
