"""Read every content file once and report every problem as `path:line: what — how to fix`."""

from __future__ import annotations

import difflib
import multiprocessing
import os
import re
import threading
from collections.abc import Generator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError

from . import contentcache, countries, fields, images, markup, redirects
from .contentcache import Checked, FileResult
from .frontmatter import Document, FrontMatterError, parse
from .schema import SCHEMAS, SUMMARY_MAX, Schema
from .slugs import split_name

NAME_WITH_SURNAME = re.compile(r"^\S+(?:\s+\S\.)?$")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str
    level: str = "error"

    def __str__(self):
        prefix = "warning: " if self.level == "warning" else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"

    def annotation(self) -> str:
        text = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{self.level} file={self.path},line={self.line},title=Story check::{text}"


@dataclass(frozen=True)
class Found:
    """A problem one file has on its own, before we know where the contributor runs the check from."""

    line: int
    message: str
    level: str = "error"


@dataclass(frozen=True)
class ImageField:
    """A picture named in the front matter: checked on every build, as the photo can change on its own."""

    key: str
    line: int


@dataclass
class Source:
    """A content file whose name is valid: its bytes, and its own check once known."""

    rel: str
    folder: str
    slug: str
    suffix: str | None  # the language in the file name, if any
    sha: str
    raw: bytes
    checked: Checked | None = None


@dataclass
class Entry:
    """One content file: where it is, what it is, and its parsed front matter."""

    rel: str  # relative to content/
    display: str  # as shown to contributors: relative to the repository
    schema: Schema
    slug: str
    lang: str
    suffixed: bool
    doc: Document
    rendered: markup.Rendered  # the body, rendered at the depth its page is written

    @property
    def meta(self):
        return self.doc.meta


class Checker:
    def __init__(self, settings: dict, root: str | None = None):
        self.settings = settings
        self.content = os.path.abspath(settings["PATH"])
        self.root = os.path.abspath(root or os.getcwd())
        self.default_lang = settings.get("DEFAULT_LANG", "en")
        self.problems: list[Problem] = []
        self.entries: list[Entry] = []
        # Messages name other files as seen from `root`, so the kept results are keyed by it too.
        self.store = contentcache.Store(settings, context=os.path.relpath(self.content, self.root))
        self.photos: dict[str, str | None] = {}
        self.read_files: set[str] = set()  # content files read by begin(), relative to content/

    def display(self, rel: str) -> str:
        return os.path.relpath(os.path.join(self.content, rel), self.root).replace(os.sep, "/")

    def report(self, rel: str, line: int, message: str, level: str = "error") -> None:
        self.problems.append(Problem(self.display(rel), line, message, level))

    def run(self) -> list[Problem]:
        problems = self.finish(*self.begin())
        self.store.save()
        return problems

    def begin(self) -> tuple[list[Source], Generator[Checked, None, None]]:
        """Read every file and set the check of those not kept going (on all cores for many)."""
        files = []
        for folder, schema in SCHEMAS.items():
            base = os.path.join(self.content, folder)
            for dirpath, _, names in sorted(os.walk(base)):
                for name in sorted(names):
                    rel = os.path.relpath(os.path.join(dirpath, name), self.content).replace(os.sep, "/")
                    files.append(self.open(rel, name, schema))
        files = [f for f in files if f]
        self.read_files = {f.rel for f in files}
        return files, examine_all(self, [f for f in files if f.checked is None])

    def finish(self, files: list[Source], results: Generator[Checked, None, None]) -> list[Problem]:
        """Take each file's check as it comes, in order, and hand it over; then check across files.
        The results are kept for the next check by `store.save()`, which the caller does."""
        try:
            for f in files:
                if f.checked is None:
                    f.checked = next(results)
                    self.store.put(f.rel, f.sha, f.checked)
                self.read(f)
                contentcache.handed_over(os.path.join(self.content, f.rel))
        finally:
            results.close()  # stops the workers if a file could not be taken
        self.cross_check()
        return sorted(self.problems, key=lambda p: (p.path, p.line))

    def open(self, rel: str, name: str, schema: Schema) -> Source | None:
        """The file's bytes and what its name says, with its kept check if unchanged; None if unusable."""
        if name.startswith(".") or not name.endswith(".md"):
            if not name.startswith("."):
                self.report(rel, 1, f"only Markdown (.md) files belong in content/{schema.folder}/ — "
                            "move pictures to content/images/")
            return None
        parts = split_name(name)
        if parts is None or parts[0] != parts[0].lower() or not re.fullmatch(r"[a-z0-9-]+", parts[0]):
            self.report(rel, 1, f"the file name '{name}' must be lower-case letters, digits and hyphens — "
                        "e.g. aigerim-robotics.md (or aigerim-robotics.ru.md for Russian)")
            return None
        slug, lang = parts
        if lang:
            try:
                Locale.parse(lang)
            except (ValueError, UnknownLocaleError):
                self.report(rel, 1, f"'.{lang}.md' is not a language code we know — use e.g. .ru.md or .ky.md")
                return None
        try:
            with open(os.path.join(self.content, rel), "rb") as f:
                raw = f.read()
        except OSError as exc:
            self.report(rel, 1, f"the file cannot be read ({exc.strerror}) — check its permissions")
            return None
        sha = contentcache.digest(raw)
        contentcache.note_digest(os.path.join(self.content, rel), sha)
        return Source(rel, schema.folder, slug, lang, sha, raw, self.store.get(rel, sha))

    def read(self, f: Source) -> None:
        """Report the file's own problems, check the pictures it names, and keep it for the cross-checks."""
        schema = SCHEMAS[f.folder]
        checked = f.checked
        entry = self.entry(f.rel, schema, f.slug, f.suffix, checked.result) if checked.result else None
        for found in checked.problems:
            if isinstance(found, ImageField):
                self.check_image(entry, found.key, found.line)
            else:
                self.report(f.rel, found.line, found.message, found.level)
        if entry:
            contentcache.remember(os.path.join(self.content, f.rel), f.sha, self.settings, checked.result)
            self.entries.append(entry)

    def entry(self, rel: str, schema: Schema, slug: str, suffix: str | None, result: FileResult) -> Entry:
        return Entry(rel, self.display(rel), schema, result.doc.meta.get("slug") or slug,
                     suffix or self.default_lang, bool(suffix), result.doc, result.rendered)

    def examine(self, f: Source) -> Checked:
        """The check of one file on its own: what its bytes alone decide, so it can be kept by their hash."""
        rel, raw, schema, slug, suffix = f.rel, f.raw, SCHEMAS[f.folder], f.slug, f.suffix
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            return Checked(None, [Found(line, "this line is not UTF-8 text — save the file as UTF-8 in your editor")])
        try:
            doc = parse(text)
        except FrontMatterError as exc:
            return Checked(None, [Found(exc.line, exc.message)])
        lang = suffix or self.default_lang
        rendered = markup.render(doc.body, rel, contentcache.depth(self.settings, lang),
                                 self.settings["STEM4ALL_IMAGES_DIR"])
        result = FileResult(doc, rendered)
        found: list = []
        self.check_fields(self.entry(rel, schema, slug, suffix, result), found)
        return Checked(result, found)

    def check_fields(self, e: Entry, found: list) -> None:
        """Fields and rules of one file; problems go to `found`, pictures are noted to check each build."""
        def report(line, message, level="error"):
            found.append(Found(line, message, level))

        meta, schema = e.meta, e.schema
        is_translation = e.suffixed and schema.kind != "story"
        for key in meta:
            if key not in schema.by_name:
                close = difflib.get_close_matches(key, list(schema.by_name), n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else "remove it or check the spelling"
                report(e.doc.line_of(key), f"unknown field '{key}' — {hint}")
                continue
            field = schema.by_name[key]
            if is_translation and not field.translatable and key not in ("lang", "sample"):
                report(e.doc.line_of(key), f"'{key}' cannot be translated — "
                       f"set it only in the original file {self.display(e.rel.split('.')[0] + '.md')}")
                continue
            problem = fields.check(field.kind, meta[key])
            if problem:
                joiner = ": " if problem.startswith("'") else " "
                report(e.doc.line_of(key), f"'{key}'{joiner}{problem}")
            elif field.kind == "image":
                found.append(ImageField(key, e.doc.line_of(key)))
        if not is_translation:
            for key in schema.required:
                if key not in meta:
                    help_ = schema.by_name[key].help
                    report(e.doc.end_line, f"the required field '{key}' is missing — "
                           f"add a line '{key}: …' before this line ({help_})")
        self.check_rules(e, report)

    def check_photo(self, rel: str) -> str | None:
        """images.check_source, once per picture per build (a cover can head hundreds of stories);
        its look at the pixels is kept between builds by the picture's hash."""
        if rel not in self.photos:
            s = self.settings
            self.photos[rel] = images.check_source(self.content, rel, s["STEM4ALL_IMAGES_DIR"],
                                                   s["STEM4ALL_IMAGE_MAX_BYTES"], s["STEM4ALL_IMAGE_MAX_PIXELS"],
                                                   kept=self.store.verdict)
        return self.photos[rel]

    def check_image(self, e: Entry, key: str, line: int) -> None:
        problem = self.check_photo(e.meta[key])
        if problem:
            self.report(e.rel, line, f"'{key}': {problem}")

    def check_rules(self, e: Entry, report) -> None:
        meta, line = e.meta, e.doc.line_of
        if "lang" in meta and isinstance(meta["lang"], str) and meta["lang"] != e.lang:
            wanted = "<slug>.md" if meta["lang"] == self.default_lang else f"<slug>.{meta['lang']}.md"
            report(line("lang"), f"lang is '{meta['lang']}' but the file name says '{e.lang}' — "
                   f"make them agree: a '{meta['lang']}' file is named {wanted}, or remove the lang line")
        for image in ("cover", "photo"):
            if image in meta and f"{image}_alt" not in meta:
                report(line(image), f"'{image}' needs '{image}_alt' — add a line "
                       f"'{image}_alt:' describing the picture for readers who cannot see it")
        summary = meta.get("summary")
        if isinstance(summary, str) and len(summary) > SUMMARY_MAX:
            report(line("summary"), f"the summary is {len(summary)} characters, over the limit of "
                   f"{SUMMARY_MAX} — shorten it; the story itself can say more")
        if meta.get("minor") is True:
            if meta.get("guardian_consent") is not True:
                report(line("minor"), "a champion under 18 needs 'guardian_consent: true' — "
                       "publish only after a parent or guardian has agreed in writing")
            name = meta.get("name")
            if isinstance(name, str) and not NAME_WITH_SURNAME.match(name.strip()):
                report(line("name"), f"'{name}' looks like a full name — this repository is public, "
                       "so a champion under 18 is named by first name and initial only, e.g. 'Malika Q.'")
            if "photo" in meta and meta.get("guardian_consent_photo") is not True:
                report(line("photo"), "a photo of a champion under 18 needs "
                       "'guardian_consent_photo: true' — without it, remove the photo line and "
                       "do not add the photo to the repository")

    def cross_check(self) -> None:
        by_kind: dict[str, dict[tuple[str, str], Entry]] = {s.kind: {} for s in SCHEMAS.values()}
        for e in self.entries:
            key = (e.slug, e.lang)
            seen = by_kind[e.schema.kind]
            if key in seen:
                self.report(e.rel, e.doc.line_of("slug"), f"{seen[key].display} already has the slug '{e.slug}' "
                            f"in language '{e.lang}' — rename one of the files or set a different slug")
            else:
                seen[key] = e
        originals = {k: {e.slug for e in v.values() if not e.suffixed} for k, v in by_kind.items()}
        for e in self.entries:
            if e.schema.kind != "story" and e.suffixed and (e.slug, self.default_lang) not in by_kind[e.schema.kind]:
                self.report(e.rel, 1, f"this translation has no original — add content/{e.schema.folder}/"
                            f"{e.slug}.md with all the required fields")
        for e in self.entries:
            if e.schema.kind == "story":
                self.check_refs(e, "champions", originals["champion"])
                self.check_refs(e, "pillars", originals["pillar"])
            self.check_body(e)
        for rel, line, message in redirects.address_problems(self.entries, self.settings, self.content):
            self.report(rel, line, message)

    def check_refs(self, e: Entry, key: str, known: set[str]) -> None:
        value = e.meta.get(key)
        if value is None or fields.check("slugs", value):
            return
        for slug in fields.as_list(value):
            if slug not in known:
                close = difflib.get_close_matches(slug, sorted(known), n=1, cutoff=0.6)
                if close:
                    hint = f"did you mean '{close[0]}'?"
                elif key == "pillars":
                    hint = "choose from: " + ", ".join(sorted(known))
                else:
                    hint = f"add her profile as content/{key}/{slug}.md first"
                self.report(e.rel, e.doc.line_of(key), f"there is no {key[:-1]} '{slug}' — {hint}")

    def check_body(self, e: Entry) -> None:
        rendered = e.rendered
        body_lines = e.doc.body.split("\n")

        def line_of(fragment: str) -> int:
            name = os.path.basename(fragment) or fragment
            for i, text in enumerate(body_lines):
                if name.lower() in text.lower():
                    return e.doc.body_line + i
            return e.doc.body_line

        for what, fragment in rendered.removed:
            self.report(e.rel, line_of(fragment), f"{what} will be removed from the page, because raw HTML "
                        "can run code in readers' browsers — write it in Markdown; for a YouTube video "
                        "use the video field", level="warning")

        for target in rendered.links:
            # Most links name a story or a profile, read moments ago; anything else is looked for.
            if target not in self.read_files and not os.path.isfile(os.path.join(self.content, target)):
                self.report(e.rel, line_of(target), f"the link points to content/{target}, which does not exist "
                            "— check the file name; links are relative to this file, e.g. ../champions/x.md")
        for target in rendered.images:
            problem = self.check_photo(target)
            if problem:
                self.report(e.rel, line_of(target), problem)


# Below this many changed files, starting worker processes costs more than it saves.
PARALLEL_FROM = 50


def examine_all(checker: Checker, todo: list[Source]) -> Generator[Checked, None, None]:
    """Each file's own check, in order; on all cores when there are many (a cold build).

    Rendering Markdown is most of a cold build's check and each file is independent. The workers
    are forked, so they start with this very checker and file list (nothing to pickle but each
    file's result on the way back); where fork is missing, or the pool fails, it runs here. The
    workers are started and given all the files before this returns, in the calling thread (a
    process forked from another thread could inherit a lock held by this one); the results are
    read as they come, by whoever iterates."""
    workers = min(os.cpu_count() or 1, 8)
    if len(todo) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return _here(checker, todo)
    global _job
    _job = (checker, todo)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    try:
        results = pool.map(_examine, range(len(todo)), chunksize=max(1, len(todo) // (4 * workers)))
    except (OSError, BrokenProcessPool):
        pool.shutdown(cancel_futures=True)
        _job = None
        return _here(checker, todo)
    return _as_they_come(pool, results, checker, todo)


def _here(checker: Checker, todo: list[Source]) -> Generator[Checked, None, None]:
    """Each file's own check in this process, as it is asked for."""
    return (checker.examine(f) for f in todo)


def _as_they_come(pool: ProcessPoolExecutor, results, checker: Checker, todo: list[Source]) -> Generator[Checked, None, None]:
    global _job
    done = 0
    try:
        for checked in results:
            done += 1
            yield checked
    except (OSError, BrokenProcessPool):
        yield from _here(checker, todo[done:])
    finally:
        pool.shutdown(cancel_futures=True)
        _job = None


_job: tuple[Checker, list[Source]] | None = None


def _examine(index: int) -> Checked:
    checker, todo = _job
    return checker.examine(todo[index])


def check(settings: dict, root: str | None = None) -> tuple[list[Problem], list[Entry]]:
    """Validate all content; return the problems (sorted) and the files that could be read."""
    contentcache.start_build()
    checker = Checker(settings, root)
    return checker.run(), checker.entries


class CheckFailed(Exception):
    """The content check found errors: the build stops and reports them (and nothing else)."""


class RunningCheck:
    """The content check, running beside the build.

    The files are read and handed to the check's workers here; a thread takes their results in
    order, hands each to the reader (contentcache.recall waits for it), and checks across files at
    the end. Pelican reads the first stories while the workers render the last ones, instead of
    leaving a core idle after the check. The build asks for the `outcome()` before the first page
    is written (build._Checkpoint) and stops there if the check found errors."""

    def __init__(self, settings: dict, root: str | None = None):
        contentcache.start_build()
        self.checker = Checker(settings, root)
        files, results = self.checker.begin()
        contentcache.expect(os.path.join(self.checker.content, f.rel) for f in files)
        self._problems: list[Problem] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._finish, args=(files, results), name="content check", daemon=True)
        self._thread.start()

    def _finish(self, files, results) -> None:
        try:
            self._problems = self.checker.finish(files, results)
        except BaseException as exc:  # noqa: BLE001 - raised again by outcome(), in the build's thread
            self._error = exc
        finally:
            contentcache.stop_expecting()

    def outcome(self) -> tuple[list[Problem], list[Entry]]:
        """Wait for the check; its problems (sorted) and the files that could be read."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._problems, self.checker.entries

    def passed(self) -> bool:
        """Whether the check ended without errors (False if it could not end at all)."""
        self._thread.join()
        return self._error is None and not any(p.level == "error" for p in self._problems)

    def keep(self) -> None:
        """Keep each file's result for the next check: not before the first page (the build waits
        for the check there), but once Pelican is done, while Pagefind runs."""
        self._thread.join()
        if self._error is None:
            self.checker.store.save()

    def close(self) -> None:
        """Let the check's files and results go (the reader has them in contentcache until the build ends)."""
        self.checker = None


def country_of(meta: dict) -> countries.Country | None:
    code = countries.resolve(meta["country"]) if isinstance(meta.get("country"), str) else None
    return countries.Country(code) if code else None
