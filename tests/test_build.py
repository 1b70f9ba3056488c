"""The commands CI and the comms team rely on: check, build, publish, scrub-images."""

import os
import subprocess
import sys

from conftest import ROOT


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
