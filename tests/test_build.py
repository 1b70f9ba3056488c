"""The commands CI and the comms team rely on: check, build, publish, scrub-images."""

import logging
import os
import subprocess
import sys
import threading
import time

import pytest

from conftest import ROOT
from stem4all import contentcache, validation
from stem4all.contentcache import FileResult


def run_invoke(args, cwd, env=None):
    return subprocess.run([sys.executable, "-m", "invoke", "-r", str(ROOT), *args], cwd=cwd,
                          capture_output=True, text=True, env={**os.environ, **(env or {})})


def test_failed_build_leaves_previous_output_untouched(make_site):
    s = make_site()
    assert s.build() == 0
    before = {f: (s.output / f).read_bytes() for f in s.files()}
    s.write("stories/robots.md", "---\ntitle: broken\n---\n")
    assert s.build() == 1
    assert {f: (s.output / f).read_bytes() for f in s.files()} == before
    assert not [p for p in s.root.iterdir() if p.name.startswith(".build-")]


def test_build_reports_all_problems_as_path_line_message(make_site, capsys):
    s = make_site()
    s.write("stories/a.md", "no front matter\n")
    s.write("stories/b.md", "---\ntitle: x\n---\n")
    assert s.build() == 1
    err = capsys.readouterr().err
    assert "content/stories/a.md:1: the file does not start with a front matter block" in err
    assert "content/stories/b.md:3: the required field 'champions' is missing" in err


def test_github_annotations_are_printed_in_actions(make_site, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    s = make_site()
    s.write("stories/a.md", "---\ntitel: x\n---\n")
    assert s.build() == 1
    assert "::error file=content/stories/a.md,line=2,title=Story check::unknown field 'titel'" in capsys.readouterr().err


def test_invoke_check_on_the_real_content_passes_and_writes_nothing(tmp_path):
    result = run_invoke(["check"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "content files are valid" in result.stdout
    assert not (tmp_path / "output").exists()


def test_invoke_check_exits_1_on_bad_content(make_site):
    s = make_site()
    s.write("stories/a.md", "---\ntitel: x\n---\n")
    conf = s.root / "pelicanconf.py"
    conf.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
                    f"PATH = {str(s.content)!r}\n")
    result = subprocess.run([sys.executable, "-c", (
        "import sys; sys.path.insert(0, %r); from stem4all import build as b; "
        "raise SystemExit(b.run_check(b.load(%r)))") % (str(ROOT / "plugins"), str(conf))],
        cwd=s.root, capture_output=True, text=True)
    assert result.returncode == 1
    assert "content/stories/a.md:2: unknown field 'titel' — did you mean 'title'?" in result.stderr


def test_build_is_byte_identical_for_the_same_content(make_site, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760000000")
    s = make_site()
    assert s.build() == 0
    first = {f: (s.output / f).read_bytes() for f in s.files()}
    assert s.build(CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False) == 0
    assert {f: (s.output / f).read_bytes() for f in s.files()} == first


def test_new_story_scaffolds_files_that_pass_the_check_once_consent_is_given(make_site, monkeypatch):
    s = make_site()
    conf = s.root / "pelicanconf.py"
    conf.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\nPATH = 'content'\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    code = ("import sys, tasks; from invoke import Context; tasks.DEV = sys.argv[1]; tasks.ROOT = sys.argv[2]; "
            "tasks.new_story(Context(), title='Mi prueba: «test»', champion='Aida B.', pillars='research, communications', "
            "summary='A test.', country='Kyrgyzstan', role='Chemist', minor=True, date='2025-05-01')")
    result = subprocess.run([sys.executable, "-c", code, str(conf), str(s.root)], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    story = s.content / "stories" / "mi-prueba-test.md"
    champion = s.content / "champions" / "aida-b.md"
    assert story.exists() and champion.exists()
    errors = [p for p in s.check() if ": warning: " not in p]
    assert any("stories/mi-prueba-test.md" in p and "'consent' must be true" in p for p in errors)
    assert any("champions/aida-b.md" in p and "guardian_consent" in p for p in errors)
    story.write_text(story.read_text().replace("consent: false", "consent: true"))
    champion.write_text(champion.read_text().replace("consent: false", "consent: true")
                        .replace("guardian_consent: false", "guardian_consent: true"))
    assert [p for p in s.check() if ": warning: " not in p] == []
    assert s.build() == 0
    assert "Mi prueba: «test»" in s.page("stories/mi-prueba-test/index.html")


def test_a_finished_build_lets_its_stories_go(make_site):
    """Pelican memoizes each story's HTML on its class; a build must not keep them alive after it
    ends (Pagefind runs beside the build, and `invoke livereload` rebuilds in one process)."""
    import gc

    from pelican.contents import Article
    from stem4all.validation import Entry

    s = make_site()
    assert s.build() == 0
    assert s.build() == 0
    gc.collect()
    alive = [o for o in gc.get_objects() if isinstance(o, (Article, Entry))]
    assert alive == []


@pytest.fixture(params=["check on one core", "check on every core"])
def check_cores(request, monkeypatch):
    """The check runs beside the build either way: in its own thread, or with forked workers."""
    monkeypatch.setattr(validation, "PARALLEL_FROM", 10**6 if request.param == "check on one core" else 1)


def test_the_site_is_the_same_whether_the_check_renders_on_one_core_or_all(make_site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760000000")
    s = make_site()
    monkeypatch.setattr(validation, "PARALLEL_FROM", 10**6)
    assert s.build(STEM4ALL_SEARCH=False) == 0
    alone = {f: (s.output / f).read_bytes() for f in s.files()}
    monkeypatch.setattr(validation, "PARALLEL_FROM", 1)
    assert s.build(STEM4ALL_SEARCH=False, CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False) == 0
    assert {f: (s.output / f).read_bytes() for f in s.files()} == alone


def test_a_file_the_check_refuses_is_reported_by_the_check_alone(make_site, capsys, caplog, check_cores):
    """Pelican reads the stories while the check is still running; when the check refuses a
    file, the contributor sees the check's message, not Pelican's own about the same file."""
    s = make_site()
    assert s.build() == 0
    before = {f: (s.output / f).read_bytes() for f in s.files()}
    s.write("stories/robots.md", "---\ntitle: [unclosed\n---\nBody.\n")
    s.write("stories/zz-last-in-line.md", "---\ntitel: x\n---\n")
    caplog.clear()
    assert s.build() == 1
    err = capsys.readouterr().err
    assert "content/stories/robots.md:" in err and "content/stories/zz-last-in-line.md:2: unknown field 'titel'" in err
    assert "The site was not built; the previous output is unchanged." in err
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith("pelican")]
    assert {f: (s.output / f).read_bytes() for f in s.files()} == before
    assert not [p for p in s.root.iterdir() if p.name.startswith(".build-")]


def test_a_problem_found_across_files_stops_the_build_before_it_writes(make_site, capsys, check_cores):
    s = make_site()
    story = (s.content / "stories" / "robots.md").read_text(encoding="utf-8")
    assert "\nchampions: ada-test\n" in story
    s.write("stories/robots.md", story.replace("champions: ada-test", "champions: [ada-test, nobody-by-that-name]", 1))
    assert s.build() == 1
    err = capsys.readouterr().err
    assert "there is no champion 'nobody-by-that-name'" in err
    assert not s.output.exists()


def test_the_reader_waits_until_the_check_hands_the_file_over(tmp_path):
    settings = {"DEFAULT_LANG": "en", "STEM4ALL_IMAGES_DIR": "images"}
    path, other = str(tmp_path / "a.md"), str(tmp_path / "b.md")
    result = FileResult(doc=None, rendered=None)
    contentcache.start_build()
    contentcache.expect([path])
    assert contentcache.recall(other, "sha", settings) is None  # not the check's: no wait

    def hand_over():
        time.sleep(0.2)
        contentcache.remember(path, "sha", settings, result)
        contentcache.handed_over(path)

    threading.Thread(target=hand_over).start()
    began = time.perf_counter()
    assert contentcache.recall(path, "sha", settings) is result
    assert time.perf_counter() - began >= 0.15
    contentcache.expect([path])
    contentcache.stop_expecting()  # a check that ends, however, releases every reader
    assert contentcache.recall(path, "other sha", settings) is None
    contentcache.start_build()


def test_pelican_reads_the_stories_in_the_order_the_check_hands_them_over(make_site, monkeypatch):
    from stem4all.reader import StoryReader

    read = []
    original = StoryReader.read

    def recording(self, source_path):
        read.append(os.path.relpath(source_path, s.content))
        return original(self, source_path)

    monkeypatch.setattr(StoryReader, "read", recording)
    s = make_site()
    assert s.build(STEM4ALL_SEARCH=False) == 0
    stories = [r for r in read if r.startswith("stories" + os.sep)]
    assert len(stories) >= 5 and stories == sorted(stories)
