"""Build-speed benchmark and page budgets: our site against stock Pelican on the same synthetic stories.

    .venv/bin/python benchmarks/bench.py --sizes 100,1000,5000 --runs 3

For each N it writes a seeded synthetic campaign (benchmarks/synthetic.py), then, in rounds that
alternate ours and stock, times: a cold build (empty content cache, warm image cache), a rebuild
with no change (and the same with --force, which writes every page again), and a rebuild after
one story changed — ours with search on and off, stock
Pelican (default theme, no plugins) on the same stories. Every build runs in a fresh process
(benchmarks/worker.py); the tables show medians. The page budgets (benchmarks/budgets.py) are
checked on the sample site and on each synthetic site; the exit status is 1 if one is over or a
build failed. docs/performance.md explains the method and records the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
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

import budgets  # noqa: E402
import synthetic  # noqa: E402
import worker  # noqa: E402
from worker import MARK, image_cache_setting  # noqa: E402

# "no change" is what `invoke build` does when nothing changed: ours finds the last build still
# stands and does nothing (uptodate.py). "built anyway" is the same rebuild with --force, every
# page written again from warm caches; for stock both are simply its rebuild.
SCENARIOS = ("cold", "no change", "built anyway", "one story edited")
VARIANTS = ("ours+search", "stock", "ours-search")
# A fixed "now" (2026-01-01): the synthetic stories are all in the past, and output is reproducible.
EPOCH = "1767225600"


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MiB (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total / 1024


def run_worker(args: list[str], log: Path, timeout: float, epoch: str | None = EPOCH) -> dict:
    """One build in a fresh interpreter; its figures, plus the peak memory of its process tree."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
    start = time.perf_counter()
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, str(HERE / "worker.py"), *args], stdout=out,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True)
        peak = [0.0]

        def sample():
            while proc.poll() is None:
                peak[0] = max(peak[0], tree_rss_mb(proc.pid))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise SystemExit(f"a build took over {timeout:.0f} s and was stopped — see {log}")
        sampler.join()
    wall = time.perf_counter() - start
    text = log.read_text(errors="replace")
    line = next((ln for ln in reversed(text.splitlines()) if ln.startswith(MARK)), None)
    if proc.returncode or line is None:
        raise SystemExit(f"build failed ({' '.join(args)}):\n" + "\n".join(text.splitlines()[-30:]))
    result = json.loads(line[len(MARK):])
    # Sampling every 20 ms can miss a short peak that the process's own high-water mark caught.
    return {**result, "wall": wall, "tree_mb": max(peak[0], result["rss_mb"])}


class Project:
    """One side of the comparison: a folder with content/, output/ and .cache/."""

    def __init__(self, root: Path, variant: str):
        self.root, self.variant = root, variant

    def args(self, scenario: str = "") -> list[str]:
        if self.variant == "stock":
            return ["stock", str(self.root)]
        return (["ours", str(self.root)] + (["--no-search"] if self.variant == "ours-search" else [])
                + (["--force"] if scenario == "built anyway" else []))

    def cold(self) -> None:
        """Empty the content cache and the output; an image cache, if any, stays warm."""
        shutil.rmtree(self.root / "output", ignore_errors=True)
        shutil.rmtree(self.root / ".cache" / "pelican", ignore_errors=True)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def bench_size(n: int, runs: int, seed: int, work: Path, timeout: float, results: dict) -> list[budgets.Budget]:
    base = work / f"n{n}"
    t = time.perf_counter()
    campaign = synthetic.generate(n, seed)
    synthetic.write_ours(campaign, base / "content-ours", seed)
    synthetic.write_stock(campaign, base / "content-ours", base / "content-stock")
    projects = {}
    for variant in VARIANTS:
        root = base / variant
        shutil.copytree(base / ("content-stock" if variant == "stock" else "content-ours"), root / "content")
        projects[variant] = Project(root, variant)
    edited = next(s.filename for s in campaign.stories if s.lang == "en")
    print(f"\nN={n}: {len(campaign.stories)} story files, {len(campaign.champions)} champions "
          f"(written in {time.perf_counter() - t:.1f} s) — {work}", flush=True)
    res = results.setdefault(n, {"stories": len(campaign.stories), "champions": len(campaign.champions),
                                 "builds": {}, "images": []})
    for variant, project in projects.items():  # warm-up: fills an image cache, the OS file cache, .pyc
        project.cold()
        r = run_worker(project.args(), base / f"{variant}-warmup.log", timeout)
        print(f"  warm-up {variant:<12} {r['seconds']:8.2f} s", flush=True)
    for i in range(runs):
        order = VARIANTS if i % 2 == 0 else VARIANTS[::-1]  # ours, stock, ours — then the other way round
        for variant in order:
            project = projects[variant]
            for scenario in SCENARIOS:
                if scenario == "cold":
                    project.cold()
                before = synthetic.touch_story(project.root / "content", edited) \
                    if scenario == "one story edited" else None
                try:
                    r = run_worker(project.args(scenario), base / f"{variant}-{scenario.replace(' ', '-')}-{i}.log", timeout)
                finally:
                    if before is not None:
                        synthetic.touch_story(project.root / "content", edited, restore=before)
                res["builds"].setdefault(f"{variant}|{scenario}", []).append(r)
                print(f"  run {i + 1}/{runs} {variant:<12} {scenario:<17} {r['seconds']:8.2f} s {r['cpu']:8.2f} s CPU "
                      f"{r['rss_mb']:6.0f} MiB build {r['tree_mb']:6.0f} MiB tree", flush=True)
    # Image encoding on its own: a build with the image cache emptied too, less a cold build. Its
    # output is the site a reader would get (ours, with search): the budgets are checked on it.
    projects["ours+search"].cold()
    shutil.rmtree(projects["ours+search"].root / ".cache" / "images", ignore_errors=True)
    res["images"].append(run_worker(projects["ours+search"].args(), base / "images-cold.log", timeout))
    print(f"  ours+search with the image cache emptied too {res['images'][-1]['seconds']:8.2f} s", flush=True)
    out = projects["ours+search"].root / "output"
    return budgets.story_budgets(out) + budgets.listing_budgets(out)


def sample_budgets(work: Path, timeout: float) -> list[budgets.Budget]:
    """The budgets on the real sample site in content/ (its real photos and covers)."""
    root = work / "sample"
    shutil.copytree(ROOT / "content", root / "content")
    run_worker(["ours", str(root)], work / "sample-build.log", timeout, epoch=None)  # the clock, as `invoke build`
    return budgets.story_budgets(root / "output") + budgets.listing_budgets(root / "output")


def table(n: int, res: dict) -> str:
    b = res["builds"]
    runs = len(next(iter(b.values()), []))
    lines = [f"N={n} — {res['stories']} story files, {res['champions']} champions; median of {runs} runs"]
    for measure, title in (("seconds", "wall-clock seconds"), ("cpu", "CPU seconds (user+sys, incl. Pagefind)")):
        m = {k: median([r[measure] for r in v]) for k, v in b.items()}
        lines.append(f"  {title:<38}{'ours+search':>12}{'ours-search':>12}{'stock':>9}{'ratio+s':>9}{'ratio-s':>9}")
        for s in SCENARIOS:
            on, off, st = m[f"ours+search|{s}"], m[f"ours-search|{s}"], m[f"stock|{s}"]
            lines.append(f"    {s:<36}{on:>12.2f}{off:>12.2f}{st:>9.2f}{on / st:>8.2f}x{off / st:>8.2f}x")
        spread = max(r[measure] for r in b["ours+search|cold"]) / min(r[measure] for r in b["ours+search|cold"])
        lines.append(f"    {'(ours+search cold: slowest / fastest run)':<60}{spread:>5.2f}")
    med = {k: median([r["seconds"] for r in v]) for k, v in b.items()}
    cold_stock = med["stock|cold"]
    lines.append(f"  rebuild with no change / stock's cold build: {med['ours+search|no change'] / cold_stock:.0%} "
                 f"(search on), {med['ours-search|no change'] / cold_stock:.0%} (search off); built anyway: "
                 f"{med['ours+search|built anyway'] / cold_stock:.0%} (search on), "
                 f"{med['ours-search|built anyway'] / cold_stock:.0%} (search off)")
    for v in VARIANTS:
        builds = [r for k, rs in b.items() if k.startswith(v + "|") for r in rs]
        lines.append(f"  peak memory {v:<12} build process {max(r['rss_mb'] for r in builds):6.0f} MiB, "
                     f"process tree {max(r['tree_mb'] for r in builds):6.0f} MiB; "
                     f"cold build wall time incl. Python start-up {median([r['wall'] for r in b[v + '|cold']]):.2f} s")
    if image_cache_setting():
        empty = res["images"][0]["seconds"]
        lines.append(f"  image encoding on its own: {empty - med['ours+search|cold']:.2f} s "
                     f"(a build with the image cache emptied too took {empty:.2f} s)")
    else:
        lines.append("  image encoding: inside every build above — the site has no image cache yet")
    return "\n".join(lines)


def targets(results: dict) -> list[tuple[str, bool | None, str]]:
    """The PERFORMANCE issue's build targets: (target, met or None if not measured, figure)."""
    out = []
    med = {n: {k: median([r["seconds"] for r in v]) for k, v in res["builds"].items()}
           for n, res in results.items()}
    if 1000 in med:
        m = med[1000]
        cpu = {k: median([r["cpu"] for r in v]) for k, v in results[1000]["builds"].items()}
        for v in ("ours+search", "ours-search"):
            ratio = m[f"{v}|cold"] / m["stock|cold"]
            out.append((f"cold build of 1000 stories ≤ stock ({v})", ratio <= 1.0,
                        f"{ratio:.2f}x wall-clock, {cpu[f'{v}|cold'] / cpu['stock|cold']:.2f}x CPU"))
    for n, m in med.items():
        share = m["ours+search|no change"] / m["stock|cold"]
        out.append((f"N={n}: rebuild with no change ≤ 50% of stock's cold build", share <= 0.5, f"{share:.0%}"))
    if 5000 in results:
        peak = max(r["tree_mb"] for k, rs in results[5000]["builds"].items() if k.startswith("ours") for r in rs)
        out.append(("memory < 1 GB at 5000 stories (process tree)", peak < 1024, f"{peak:.0f} MiB"))
    return out


def snapshot(work: Path) -> str:
    """Copy the code a build runs (plugins, theme, settings) aside; its short hash names it."""
    code = work / "code"
    digest = hashlib.sha256()
    for name in ("plugins", "theme", "pelicanconf.py", "publishconf.py"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, code / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, code / name)
    for path in sorted(p for p in code.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(code)).encode() + path.read_bytes())
    os.environ["STEM4ALL_BENCH_CODE"] = str(code)
    worker.ROOT = code
    return digest.hexdigest()[:12]


def machine() -> str:
    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    mem = next((int(ln.split()[1]) for ln in open("/proc/meminfo") if ln.startswith("MemTotal")), 0)
    return (f"{os.cpu_count()} CPUs ({cpu}), {mem / 1024 / 1024:.1f} GiB RAM, Python {platform.python_version()}, "
            f"{platform.platform()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="story counts, comma-separated (default 100,1000)")
    parser.add_argument("--runs", type=int, default=3, help="timed rounds per size (default 3); medians are shown")
    parser.add_argument("--seed", type=int, default=1011)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds one build may take (default 3600)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (sites, logs) for inspection")
    parser.add_argument("--json", type=Path, help="also write all measurements to this JSON file")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    work = Path(tempfile.mkdtemp(prefix="s4a-bench-"))
    code = snapshot(work)
    print(f"Machine: {machine()}\nCode: plugins/, theme/ and settings as of {time.strftime('%Y-%m-%d %H:%M %Z')}, "
          f"snapshot {code}\nImage cache: "
          f"{image_cache_setting() or 'none (no STEM4ALL_*IMAGE*CACHE* setting): images are re-encoded every build'}")
    ok = True
    results: dict = {}
    try:
        ok &= budgets.print_budgets("Budgets — the sample site (content/)", sample_budgets(work, args.timeout))
        for n in sizes:
            found = bench_size(n, args.runs, args.seed, work, args.timeout, results)
            print("\n" + table(n, results[n]))
            ok &= budgets.print_budgets(f"Budgets — synthetic site, N={n}", found)
            if not args.keep:
                shutil.rmtree(work / f"n{n}")  # 5000 stories take room: drop each size once measured
    finally:
        if args.json:
            args.json.write_text(json.dumps({"machine": machine(), "code": code, "results": results}, indent=1))
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("\n" + "=" * 78)
    for n in sizes:
        print("\n" + table(n, results[n]))
    print("\nTargets of the PERFORMANCE issue")
    for name, met, figure in targets(results):
        print(f"  {'met    ' if met else 'NOT met'}  {name}: {figure}")
    print("\nAll page budgets met." if ok else "\nSome page budgets are over (OVER above): exit status 1.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
