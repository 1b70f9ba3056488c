"""Profile our cold build of a synthetic campaign with pyinstrument and list the hot spots.

    .venv/bin/pip install pyinstrument      # a local tool, not in requirements.txt
    .venv/bin/python benchmarks/profile_build.py --size 1000 [--out DIR]

After a warm-up build (which fills the image cache), profiles a cold build (content cache
empty, image cache warm) and a rebuild with nothing changed, forced ("built anyway", so that it writes the pages). Writes the full profiles (.txt tree,
.html to open in a browser) and prints: the call tree of the cold build, our own functions by
inclusive time, and all functions by self time. The
profiler slows the build down (it hooks every call), so compare shares, not seconds, with bench.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402
from bench import EPOCH  # noqa: E402

OURS = ("stem4all/", "templates/")


def walk(frame, seen=()):
    """Every frame under `frame`, with the keys of its ancestors (to skip recursion when summing)."""
    key = (frame.function, frame.file_path_short or "")
    yield frame, key, seen
    for child in frame.children:
        yield from walk(child, seen + (key,))


def summarise(session_path: Path, top: int, label: str = "cold build") -> str:
    from pyinstrument.session import Session

    root = Session.load(str(session_path)).root_frame()
    total = root.time
    inclusive: dict[tuple, float] = {}
    self_time: dict[tuple, float] = {}
    for frame, key, ancestors in walk(root):
        if frame.is_synthetic:
            continue
        if key not in ancestors:
            inclusive[key] = inclusive.get(key, 0) + frame.time
        self_time[key] = self_time.get(key, 0) + frame.total_self_time
    lines = [f"Profiled {label}: {total:.1f} s (with the profiler's overhead)", "",
             "Our code (plugins/stem4all, theme templates) by inclusive time:"]
    ours = sorted(((t, k) for k, t in inclusive.items() if any(o in k[1] for o in OURS)), reverse=True)
    for t, (function, path) in ours[:top]:
        lines.append(f"  {t / total:6.1%} {t:7.2f} s  {function:<36} {path}")
    lines += ["", "All functions by self time (where the processor actually is):"]
    for t, (function, path) in sorted(((t, k) for k, t in self_time.items()), reverse=True)[:top]:
        lines.append(f"  {t / total:6.1%} {t:7.2f} s  {function:<36} {path}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1011)
    parser.add_argument("--search", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--out", type=Path, help="folder for the profile files (default: a temporary one)")
    args = parser.parse_args()
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        raise SystemExit("pyinstrument is not installed — run .venv/bin/pip install pyinstrument") from None
    with tempfile.TemporaryDirectory(prefix="s4a-profile-") as tmp:
        project = Path(tmp) / "project"
        campaign = synthetic.generate(args.size, args.seed)
        synthetic.write_ours(campaign, project / "content", args.seed)
        out = (args.out or Path(tmp)).resolve()
        out.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
        worker = [sys.executable, str(HERE / "worker.py"), "ours", str(project)] + ([] if args.search else ["--no-search"])
        # A warm-up build fills the image cache; then, as bench.py compares builds, a cold build
        # (content cache and output emptied, image cache kept), then a rebuild with no change, made
        # with --force: without it the build finds nothing changed and does nothing to profile.
        subprocess.run(worker, capture_output=True, env=env, check=True)
        shutil.rmtree(project / "output")
        shutil.rmtree(project / ".cache" / "pelican")
        for label in ("cold build", "rebuild built anyway (--force, nothing changed)"):
            stem = out / f"profile-{args.size}-{label.split()[0]}"
            force = ["--force"] if label != "cold build" else []
            result = subprocess.run(worker + force + ["--profile", str(stem)], capture_output=True, text=True, env=env)
            if result.returncode:
                raise SystemExit(result.stdout[-3000:] + result.stderr[-3000:])
            if label == "cold build":
                print(stem.with_suffix(".txt").read_text(encoding="utf-8"))
            print(f"\n{summarise(stem.with_suffix('.pyisession'), args.top, label)}")
            if args.out:
                print(f"Full profile: {stem}.html (open in a browser), {stem}.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
