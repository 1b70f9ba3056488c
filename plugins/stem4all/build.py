"""Check and build in-process: report every problem at once, and swap output/ only on success."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile

from pelican import Pelican, signals
from pelican.contents import Content
from pelican.settings import read_settings
from pelican.utils import memoized

from . import ahead, contentcache, plugin, schedule, search, uptodate, validation, writing
from .settings import apply_defaults
from .validation import Problem, check

logger = logging.getLogger(__name__)


class _ErrorCounter(logging.Handler):
    """Pelican logs unreadable files and skips them; for us any logged error fails the build."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def load(settings_file: str, **overrides) -> dict:
    settings = read_settings(settings_file, override=overrides or None)
    apply_defaults(settings)
    return settings


def report(problems: list[Problem], stream=None) -> None:
    stream = stream or sys.stderr
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        print(problem, file=stream)
        if annotate:
            print(problem.annotation(), file=stream)
    errors = sum(p.level == "error" for p in problems)
    if errors:
        noun = "problem" if errors == 1 else "problems"
        print(f"\n{errors} {noun} found — fix them and run the check again.", file=stream)


def run_check(settings: dict) -> int:
    problems, entries = check(settings)
    report(problems)
    if not any(p.level == "error" for p in problems):
        print(f"All {len(entries)} content files are valid.")
        return 0
    return 1


def build(settings: dict, force: bool = False) -> int:
    """Build into a fresh folder beside OUTPUT_PATH and put it in place only if all went well.

    Unless `force`, a build whose inputs and output/ are as the last build left them does nothing
    (uptodate.py); Pelican's LOAD_CONTENT_CACHE = False also builds in full."""
    # Hashed before anything is read, so a file edited while the site builds is built again next time.
    digest = uptodate.inputs(settings)
    kept = None if force else uptodate.is_fresh(settings, digest)
    if kept is not None:
        report(kept)
        print(f"The site is up to date: nothing changed since the last build of {settings['OUTPUT_PATH']} "
              "(`invoke build --force` builds it again anyway).")
        return 0
    running = validation.RunningCheck(settings)
    output = os.path.abspath(settings["OUTPUT_PATH"])
    parent = os.path.dirname(output)
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".build-", dir=parent)
    indexing = _SearchBeside(settings)
    try:
        errors, reported = _run_pelican(settings, staging, running, indexing)
        problems, entries = running.outcome()
    except BaseException:
        indexing.cancel()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    passed = running.passed()
    # Only the release dates: the check's files and results would outlive the build.
    releases = [date for date, _ in schedule.embargoed(settings, entries)] if passed else []
    del entries
    running.keep()
    running.close()
    _forget_pages()
    if not reported:
        report(problems)
    if not passed:
        indexing.cancel()
        shutil.rmtree(staging, ignore_errors=True)
        print("The site was not built; the previous output is unchanged.", file=sys.stderr)
        return 1
    files = None  # the output as the build's state lists it (uptodate.record)
    if not errors and settings.get("STEM4ALL_SEARCH"):
        # Everything but Pagefind's bundle is final: listed while Pagefind runs.
        files = uptodate.listing(staging, skip=search.BUNDLE)
        try:
            indexing.finish(staging)
            files += uptodate.listing(staging, under=search.BUNDLE)
        except search.SearchIndexError as exc:
            errors.append(logging.makeLogRecord({"msg": str(exc), "levelno": logging.ERROR}))
    if errors:
        indexing.cancel()
        shutil.rmtree(staging, ignore_errors=True)
        for record in errors:
            print(f"error: {record.getMessage()}", file=sys.stderr)
        print("The site was not built; the previous output is unchanged.", file=sys.stderr)
        return 1
    uptodate.forget(settings)
    _swap(staging, output)
    uptodate.record(settings, digest, releases, problems, files)
    return 0


def _run_pelican(settings: dict, staging: str, running: validation.RunningCheck,
                 indexing: _SearchBeside) -> tuple[list[logging.LogRecord], bool]:
    """Pelican, writing into `staging` while the check runs beside it; the errors it logged or
    raised, and whether the check's problems were reported (before the first page).

    Nothing is written before the check has passed (_Checkpoint); if it fails, Pelican stops there
    and its own messages, held meanwhile, are dropped: a file the check refuses is reported once,
    by the check, in its words. Pagefind starts once the story pages are written (_SearchBeside)."""
    counter = _ErrorCounter()
    held = _HeldMessages()
    checked = _Checkpoint(running, held)
    logging.getLogger().addHandler(counter)
    held.start()
    signals.all_generators_finalized.connect(checked, weak=False)
    writing.after_story_pages = indexing.start if settings.get("STEM4ALL_SEARCH") else None
    try:
        Pelican({**settings, "OUTPUT_PATH": staging, "STEM4ALL_VALIDATE_ON_BUILD": False,
                 "DELETE_OUTPUT_DIRECTORY": False}).run()
    except validation.CheckFailed:
        pass
    except Exception as exc:  # noqa: BLE001 - any failure must leave output/ as it was
        counter.records.append(logging.makeLogRecord({"msg": str(exc), "levelno": logging.ERROR}))
    finally:
        ahead.stop_all()
        plugin.save_reader_caches()  # if Pelican stopped before its end
        writing.after_story_pages = None
        signals.all_generators_finalized.disconnect(checked)
        logging.getLogger().removeHandler(counter)
        held.stop(show=running.passed())
    return counter.records, checked.reported


class _SearchBeside:
    """The search index of this build: started by the writer as soon as every story page is
    written (writing.after_story_pages), so that Pagefind indexes them while the listings are
    written, or after Pelican if the writer never got there."""

    def __init__(self, settings: dict):
        self.cache = os.path.join(settings["CACHE_PATH"], "search")
        self.indexing: search.Indexing | None = None

    def start(self, site_dir: str) -> bool:
        # The story pages are written: their HTML (Pelican's memo) and the check's results are
        # not needed by the pages left, and Pagefind is about to need its own memory.
        _forget_pages(summaries=False)
        search.release_memory()
        self.indexing = search.start(site_dir, self.cache)
        return self.indexing.running

    def finish(self, site_dir: str) -> None:
        if self.indexing is None:
            search.index(site_dir, self.cache)
            return
        self.indexing.finish()

    def cancel(self) -> None:
        if self.indexing is not None:
            self.indexing.cancel()


class _Checkpoint:
    """Before Pelican writes the first page: wait for the check running beside it, print its
    problems, and stop the build if it found errors (Pelican's all_generators_finalized)."""

    def __init__(self, running: validation.RunningCheck, held: _HeldMessages):
        self.running, self.held = running, held
        self.reported = False

    def __call__(self, *args, **kwargs) -> None:
        problems, _ = self.running.outcome()
        report(problems)
        self.reported = True
        if not self.running.passed():
            raise validation.CheckFailed()
        self.held.stop(show=True)


class _HeldMessages(logging.Filter):
    """Holds what the handlers of the root logger would show until `stop`, then shows it or not."""

    def __init__(self):
        super().__init__()
        self.records: dict[int, logging.LogRecord] = {}  # each record once, though every handler asks
        self.handlers: list[logging.Handler] = []

    def filter(self, record):
        self.records.setdefault(id(record), record)
        return False

    def start(self) -> None:
        self.handlers = [h for h in logging.getLogger().handlers if not isinstance(h, _ErrorCounter)]
        for handler in self.handlers:
            handler.addFilter(self)

    def stop(self, show: bool) -> None:
        for handler in self.handlers:
            handler.removeFilter(self)
        records, self.records, handlers, self.handlers = self.records.values(), {}, self.handlers, []
        for record in records if show else ():
            for handler in handlers:
                if record.levelno >= handler.level:
                    handler.handle(record)


def _forget_pages(summaries: bool = True) -> None:
    """Let the build's stories go before Pagefind starts beside this process (their HTML once the
    story pages are written; their summaries too once every page is).

    Pelican memoizes every story's HTML and summary on the Content class itself
    (pelican.utils.memoized), so without this each build keeps all its pages alive: at 5,000
    stories that is over a hundred megabytes while Pagefind needs its own, and in `invoke livereload`
    it grows with every rebuild."""
    for name in ("get_content", "get_summary") if summaries else ("get_content",):
        memo = vars(Content).get(name)
        if isinstance(memo, memoized):
            memo.cache.clear()
    contentcache.start_build()


def _swap(staging: str, output: str) -> None:
    os.chmod(staging, 0o755)
    old = None
    if os.path.exists(output):
        old = output + ".old"
        shutil.rmtree(old, ignore_errors=True)
        os.rename(output, old)
    os.rename(staging, output)
    if old:
        shutil.rmtree(old, ignore_errors=True)
