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


@task
def build(c):
    """Build the site into output/ with development settings."""
    _exit(site.build(_settings(DEV)))


@task
def publish(c):
    """Build the production site (publishconf.py; SITEURL from the environment) into output/."""
    _exit(site.build(_settings(PROD)))


@task
def clean(c):
    """Remove the generated site and the caches."""
    for path in ("output", ".cache"):
        shutil.rmtree(os.path.join(ROOT, path), ignore_errors=True)


@task(help={"port": "port to serve on (default 8000)"})
def serve(c, port=8000):
    """Serve output/ at http://127.0.0.1:8000 without rebuilding."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    server = RootedHTTPServer(os.path.join(ROOT, "output"), ("127.0.0.1", int(port)), ComplexHTTPRequestHandler)
    print(f"Serving the site at http://127.0.0.1:{port}/ — press Ctrl+C to stop")
    server.serve_forever()


@task(help={"port": "port to serve on (default 8000)"})
def livereload(c, port=8000):
    """Build, serve at http://127.0.0.1:8000 and rebuild when content, theme or plugins change."""
    from livereload import Server

    def rebuild():
        code = site.build(_settings(DEV))
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
