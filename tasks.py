"""Tasks for STEM4ALL Stories: `invoke --list` shows them."""

import os
import shutil
import sys

from invoke import task

ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(ROOT, "plugins"))

from stem4all import build as site  # noqa: E402

DEV = os.path.join(ROOT, "pelicanconf.py")
PROD = os.path.join(ROOT, "publishconf.py")


def _settings(conf, **overrides):
    os.chdir(ROOT)
    return site.load(conf, **overrides)


def _exit(code):
    if code:
        sys.exit(code)


@task
def check(c):
    """Validate all content without writing the site; problems as path:line: message."""
    _exit(site.run_check(_settings(DEV)))


@task(help={"force": "build even if nothing changed since the last build"})
def build(c, force=False):
    """Build the site into output/ with development settings (nothing to do if nothing changed)."""
    _exit(site.build(_settings(DEV), force=force))


@task(help={"force": "build even if nothing changed since the last build"})
def publish(c, force=False):
    """Build the production site (publishconf.py; SITEURL from the environment) into output/."""
    settings = _settings(PROD)
    if not settings["SITEURL"].startswith(("https://", "http://")):
        sys.exit("SITEURL is not set — feeds, the sitemap and link previews need the site's full address: "
                 "SITEURL=https://org.github.io/repo invoke publish")
    _exit(site.build(settings, force=force))


@task
def clean(c):
    """Remove the generated site and the caches."""
    for path in ("output", ".cache"):
        shutil.rmtree(os.path.join(ROOT, path), ignore_errors=True)


@task(help={"port": "port to serve on (default 8000)",
            "drafts": "build a preview with drafts and embargoed stories, each with a banner, first"})
def serve(c, port=8000, drafts=False):
    """Serve output/ at http://127.0.0.1:8000 (with --drafts: build a preview first)."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    if drafts:
        _exit(site.build(_settings(DEV, STEM4ALL_PREVIEW_DRAFTS=True)))
    server = RootedHTTPServer(os.path.join(ROOT, "output"), ("127.0.0.1", int(port)), ComplexHTTPRequestHandler)
    print(f"Serving the site at http://127.0.0.1:{port}/ — press Ctrl+C to stop")
    server.serve_forever()


@task(help={"port": "port to serve on (default 8000)", "drafts": "show drafts and embargoed stories, with a banner"})
def livereload(c, port=8000, drafts=False):
    """Build, serve at http://127.0.0.1:8000 and rebuild when content, theme or plugins change."""
    from livereload import Server

    def rebuild():
        code = site.build(_settings(DEV, STEM4ALL_PREVIEW_DRAFTS=drafts))
        print("Rebuilt." if code == 0 else "Fix the problems above; the last good site is still served.")

    rebuild()
    server = Server()
    for folder in ("content", "theme", "plugins"):
        server.watch(os.path.join(ROOT, folder, "**", "*"), rebuild)
    server.watch(DEV, rebuild)
    print(f"Serving the site at http://127.0.0.1:{port}/ — it rebuilds when you save a file")
    server.serve(host="127.0.0.1", port=int(port), root=os.path.join(ROOT, "output"))


@task(name="scrub-images")
def scrub_images(c):
    """Remove GPS, EXIF and other metadata from the photos in content/images/, in place."""
    from stem4all.images import scrub

    settings = _settings(DEV)
    folder = os.path.join(settings["PATH"], settings["STEM4ALL_IMAGES_DIR"])
    changed = [name for name in sorted(os.listdir(folder)) if scrub(os.path.join(folder, name))]
    for name in changed:
        print(f"cleaned {os.path.join(folder, name)}")
    print(f"{len(changed)} of the photos carried metadata; it is gone now. Commit the cleaned files.")


def _ask(label, value, default=None):
    """The flag's value, or else a question on the terminal (Enter takes the default)."""
    if value:
        return value
    if not sys.stdin.isatty():
        if default is not None:
            return default
        sys.exit(f"--{label.replace(' ', '-')} is needed (no terminal to ask on)")
    answer = input(f"{label}{f' [{default}]' if default else ''}: ").strip()
    return answer or default


@task(
    name="new-story",
    help={
        "title": "the headline", "champion": "her file name in content/champions/, or her full name if she is new",
        "pillars": "comma-separated: communications, research, project-activities, opportunities-for-girls",
        "summary": "one or two sentences", "date": "YYYY-MM-DD (default: today)",
        "lang": "en, ru, ky … (default en)", "country": "her country, if she is new",
        "role": "what she does, if she is new",
        "minor": "she is under 18: first name and initial only, and a guardian's consent is needed",
    },
)
def new_story(c, title=None, champion=None, pillars=None, summary=None, date=None, lang=None,
              country=None, role=None, minor=None):
    """Start a story file (and a champion profile if she is new) with every field explained."""
    from stem4all import scaffold
    from stem4all.settings import now

    settings = _settings(DEV)
    content = settings["PATH"]
    title = _ask("title", title)
    champion = _ask("champion", champion)
    pillars = [p.strip() for p in _ask("pillars", pillars).split(",") if p.strip()]
    summary = _ask("summary", summary, "")
    lang = _ask("lang", lang, settings["DEFAULT_LANG"])
    date = _ask("date", date, now(settings).strftime("%Y-%m-%d"))
    champion_slug = scaffold.slug_for(champion)
    created = []
    if not os.path.exists(os.path.join(content, "champions", f"{champion_slug}.md")):
        values = {"name": champion, "country": _ask("country", country), "role": _ask("role", role), "consent": False}
        if minor is None and sys.stdin.isatty():
            minor = input("Is she under 18? [y/N]: ").strip().lower().startswith(("y", "д"))
        if minor:
            # The repository is public: `invoke check` refuses a surname for a girl under 18.
            values.update(minor=True, guardian_consent=False)
        path = os.path.join(content, "champions", f"{champion_slug}.md")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(scaffold.champion_file(values))
        created.append(path)
    slug, path = scaffold.free_path(os.path.join(content, "stories"), scaffold.slug_for(title), lang,
                                    settings["DEFAULT_LANG"])
    values = {"title": title, "champions": champion_slug, "pillars": pillars, "date": date,
              "summary": summary, "consent": False}
    with open(path, "w", encoding="utf-8") as f:
        f.write(scaffold.story_file(values))
    created.append(path)
    for p in created:
        print(f"created {os.path.relpath(p, ROOT)}")
    print("Write the story, set consent: true once everyone named has agreed, then run: invoke check")


@task
def translations(c):
    """Update theme/locale/<lang>.po from the templates and say how many strings each lacks."""
    from stem4all.catalogs import update

    for lang, missing in update(_settings(DEV)).items():
        print(f"{lang}: {missing} strings to translate" if missing else f"{lang}: complete")


@task
def schedule(c):
    """List the stories that are not public yet: embargoed ones by date, then drafts."""
    from stem4all.schedule import upcoming

    settings = _settings(DEV)
    rows = upcoming(settings)
    if not rows:
        print("Every story is public: nothing is embargoed and there are no drafts.")
    for when, path, title in rows:
        print(f"{when:<28} {path}  {title}")


@task(name="gh-pages")
def gh_pages(c):
    """Publish to the gh-pages branch (for teams that publish from a branch, not the Pages workflow)."""
    from ghp_import import ghp_import

    publish(c)
    ghp_import(os.path.join(ROOT, "output"), mesg="Publish the site", branch="gh-pages", push=True, force=True,
               nojekyll=True, cname=os.environ.get("STEM4ALL_CNAME") or None)
    print("Pushed output/ to the gh-pages branch.")


@task(help={"slug": "the story's or champion's file name without .md"})
def withdraw(c, slug):
    """Take a story, or a champion with the stories that name only her, off the site; old addresses say why."""
    from stem4all.withdrawal import withdraw as take_down

    try:
        result = take_down(_settings(DEV), slug)
    except LookupError as exc:
        sys.exit(str(exc))
    for rel in result.removed:
        print(f"removed content/{rel}")
    for url in result.urls:
        print(f"/{url} now says the page was withdrawn at the champion's request")
    for path in result.linking:
        print(f"{path} links to what was withdrawn: remove that link")
    for path in result.shared:
        print(f"{path} also names other champions: remove '{slug}' from its champions and its text by hand")
    print("Next: run `invoke check`, commit, and publish. To erase the files from the repository's history too, "
          "follow 'Withdrawing a story' in docs/comms-guide.md.")


@task(name="story-from-issue", help={"body": "a file with the issue's text", "json": "or the answers as JSON",
                                     "date": "the story's date, YYYY-MM-DD (default: today)"})
def story_from_issue(c, body=None, json=None, date=None):
    """Turn a story sent through the "Share your story" issue form into content files, then check them."""
    from stem4all.issue_form import main

    args = ["--body", body] if body else ["--json", json] if json else []
    if not args:
        sys.exit("give the issue's text with --body FILE (or the answers with --json FILE)")
    _exit(main(args + (["--date", date] if date else [])))


@task(help={"sizes": "numbers of stories, comma-separated (default 100,1000,5000)",
            "runs": "rounds per size; the tables show medians (default 3)",
            "json": "also write the figures to this JSON file"})
def bench(c, sizes="100,1000,5000", runs=3, json=None):
    """Benchmark: our build against stock Pelican on synthetic campaigns, plus the page budgets."""
    args = [sys.executable, os.path.join(ROOT, "benchmarks", "bench.py"), "--sizes", sizes, "--runs", str(runs)]
    _exit(c.run(" ".join(args + (["--json", json] if json else [])), warn=True, pty=False).exited)


@task(help={"runs": "Lighthouse runs per page; the median counts (default 1)"})
def lighthouse(c, runs=1):
    """Lighthouse (mobile) on the home, a story, a champion and a pillar page; installs Lighthouse on first use."""
    tool = os.path.join(ROOT, "benchmarks", "lighthouse-tool")
    if not os.path.exists(os.path.join(tool, "node_modules", "lighthouse")):
        c.run(f"npm ci --prefix {tool} --ignore-scripts --no-audit --no-fund")
    script = os.path.join(ROOT, "benchmarks", "lighthouse.py")
    _exit(c.run(f"{sys.executable} {script} --runs {int(runs)}", warn=True).exited)
