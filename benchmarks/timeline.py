"""Where a cold build spends its time, phase by phase, and how many cores are busy meanwhile.

    .venv/bin/python benchmarks/timeline.py --size 1000 [--runs 3] [--no-search]
    TMPDIR=/dev/shm .venv/bin/python benchmarks/timeline.py --size 1000    # on a RAM disk

Writes the synthetic campaign of bench.py, builds it once to fill the image cache, then runs
`--runs` cold builds (content cache and output emptied, image cache kept, as bench.py does),
each in a fresh process. Each build times its phases (the check, which Pelican's reading
follows as it goes; the checks across files; Pelican's context; writing the pages; Pagefind) and samples
/proc/stat every 50 ms to count the busy cores. It prints the medians and, for one build, the
busy cores over time: the periods where only one core works are where the build waits on
itself. /proc/stat counts the whole machine, so run it on a quiet one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

MARK = "TIMELINE "
SAMPLE = 0.05  # seconds between two readings of /proc/stat


def busy_cores(samples: list, stop: threading.Event) -> None:
    """Append (time, busy cores) every SAMPLE seconds until `stop`."""
    cores = os.cpu_count() or 1
    previous = None
    while not stop.is_set():
        with open("/proc/stat", encoding="ascii") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        idle, total = values[3] + values[4], sum(values)
        if previous:
            samples.append((time.perf_counter(), cores * (1 - (idle - previous[0]) / max(1, total - previous[1]))))
        previous = (idle, total)
        stop.wait(SAMPLE)


def one_build(project: Path, search: bool) -> dict:
    """One cold build in this process, its phases timed (start, seconds)."""
    start = time.perf_counter()
    sys.path.insert(0, str(ROOT / "plugins"))
    import pelican.generators as generators

    from stem4all import build as site, contentcache, profiles, search as searching, validation, writing

    phases: list[tuple[str, float, float]] = []

    def timed(owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                phases.append((label, began - start, time.perf_counter() - began))

        setattr(owner, name, wrapper)

    timed(validation.Checker, "begin", "check: reading the files, starting its workers")
    timed(validation.Checker, "finish", "check: each file's result, in order (its own thread)")
    timed(validation.Checker, "cross_check", "check: across files")
    timed(contentcache.Store, "save", "check: keeping the results")
    timed(generators.ArticlesGenerator, "generate_context", "Pelican: reading the stories (as they are checked)")
    timed(profiles.ProfilesGenerator, "generate_context", "Pelican: profiles, related stories")
    timed(writing.SiteWriter, "write_pending", "writing the pages")
    timed(searching, "start", "Pagefind: started on the written story pages")
    timed(searching.Indexing, "finish", "Pagefind: waiting for it to end")
    timed(searching, "index", "Pagefind, after the last page (large campaigns)")
    imported = time.perf_counter() - start
    samples: list = []
    stop = threading.Event()
    sampler = threading.Thread(target=busy_cores, args=(samples, stop), daemon=True)
    sampler.start()
    os.chdir(project)
    settings = site.load(str(ROOT / "pelicanconf.py"), PATH=str(project / "content"), OUTPUT_PATH=str(project / "output"),
                         CACHE_PATH=str(project / ".cache" / "pelican"), THEME=str(ROOT / "theme"),
                         PLUGIN_PATHS=[str(ROOT / "plugins")], STEM4ALL_SEARCH=search,
                         STEM4ALL_IMAGE_CACHE=str(project / ".cache" / "images"))
    status = site.build(settings, force=True)
    total = time.perf_counter() - start
    stop.set()
    sampler.join()
    totals: dict[str, float] = {"importing Pelican, Markdown, Babel and our plugins": imported}
    for label, _, seconds in phases:
        totals[label] = totals.get(label, 0.0) + seconds
    return {"status": status, "total": total, "phases": totals,
            "first": {label: began for label, began, _ in reversed(phases)},
            "busy": [(t - start, b) for t, b in samples]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1011)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--search", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # a single build, in a fresh process
    args = parser.parse_args()
    if args.one:
        print(MARK + json.dumps(one_build(args.one, args.search)))
        return 0

    import synthetic
    from bench import EPOCH

    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    with tempfile.TemporaryDirectory(prefix="s4a-timeline-") as tmp:
        project = Path(tmp) / "project"
        campaign = synthetic.generate(args.size, args.seed)
        synthetic.write_ours(campaign, project / "content", args.seed)
        subprocess.run([sys.executable, str(HERE / "worker.py"), "ours", str(project)],
                       capture_output=True, env=env, check=True)  # fills the image cache
        builds = []
        for _ in range(args.runs):
            shutil.rmtree(project / "output", ignore_errors=True)
            shutil.rmtree(project / ".cache" / "pelican", ignore_errors=True)
            command = [sys.executable, __file__, "--one", str(project), "--search" if args.search else "--no-search"]
            result = subprocess.run(command, capture_output=True, text=True, env=env)
            lines = [line for line in result.stdout.splitlines() if line.startswith(MARK)]
            if result.returncode or not lines:
                raise SystemExit(result.stdout[-3000:] + result.stderr[-3000:])
            build = json.loads(lines[-1][len(MARK):])
            if build["status"]:
                raise SystemExit(f"the build failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
            builds.append(build)

    typical = sorted(builds, key=lambda b: b["total"])[len(builds) // 2]
    print(f"Cold build of N={args.size}, search {'on' if args.search else 'off'}, median of {len(builds)} "
          f"(seconds from the start of the process; phases in the order they start):")
    print(f"  {'total':<52} {statistics.median(b['total'] for b in builds):6.2f}")
    labels = sorted(typical["phases"], key=lambda label: typical["first"].get(label, 0))
    for label in labels:
        seconds = statistics.median(b["phases"].get(label, 0.0) for b in builds)
        begins = typical["first"].get(label)
        print(f"  {label:<52} {seconds:6.2f}" + (f"   from {begins:5.2f}" if begins is not None else ""))
    busy = typical["busy"]
    cores = os.cpu_count() or 1
    idle = sum(max(0.0, cores - b) for _, b in busy) * SAMPLE
    print(f"\nBusy cores (of {cores}) in the median build, every 0.1 s; idle core-seconds: {idle:.2f} "
          f"of {cores * typical['total']:.2f}:")
    pairs = [busy[i:i + 2] for i in range(0, len(busy), 2)]
    cells = [f"{chunk[0][0]:4.1f}:{sum(b for _, b in chunk) / len(chunk):3.1f}" for chunk in pairs]
    for i in range(0, len(cells), 10):
        print("  " + "  ".join(cells[i:i + 10]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
