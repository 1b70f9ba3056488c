"""Image pipeline benchmark: 50 phone photos through renditions.py, then a site built cold and warm.

    .venv/bin/python benchmarks/images.py [--photos 50] [--formats avif,webp]

Writes seeded 4032×3024 photos (noisy gradients with camera EXIF, every fifth one turned by the
camera) into a temporary folder and prints:
- the encode time per photo (median, one core): upright, sRGB, every width in WebP and JPEG;
- the bytes of the originals against what a phone 360 CSS px wide (at 2 device pixels per CSS px,
  720 px) downloads: the 800 px WebP;
- a site of one story per photo built with an empty image cache (cold), then again with the cache
  kept and the content cache emptied (warm): the warm build encodes nothing.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from stem4all import build as site  # noqa: E402
from stem4all import renditions  # noqa: E402

SIZE = (4032, 3024)


def photo(path: Path, rng: random.Random, turned: bool) -> None:
    """A phone-sized JPEG: two-colour gradient, soft texture and sensor noise, with the camera's EXIF."""
    a, b = (tuple(rng.randrange(256) for _ in range(3)) for _ in range(2))
    gradient = Image.linear_gradient("L").rotate(rng.randrange(360), fillcolor=128).resize(SIZE)
    img = Image.composite(Image.new("RGB", SIZE, a), Image.new("RGB", SIZE, b), gradient)
    texture = Image.effect_noise((SIZE[0] // 8, SIZE[1] // 8), 60).resize(SIZE, Image.Resampling.BICUBIC)
    grain = Image.effect_noise(SIZE, 24).filter(ImageFilter.GaussianBlur(0.5))
    img = Image.blend(img, Image.merge("RGB", (texture, grain, texture)), 0.25)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0132] = "PhoneMaker", "Phone 12", "2025:10:11 09:00:00"
    exif[0x0112] = 6 if turned else 1
    img.save(path, "JPEG", quality=94, exif=exif)


def write_site(content: Path, photos: list[str]) -> None:
    for folder in ("stories", "champions", "pillars"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    (content / "pillars" / "research.md").write_text(
        "---\ntitle: Research\nsummary: Evidence.\norder: 1\n---\nThe research group.\n", encoding="utf-8")
    (content / "champions" / "ada.md").write_text(
        "---\nname: Ada Bench\ncountry: Kyrgyzstan\nrole: Engineer\nconsent: true\n---\nBio.\n", encoding="utf-8")
    for i, name in enumerate(photos):
        (content / "stories" / f"story-{i:03d}.md").write_text(
            f"---\ntitle: Story {i}\nchampions: ada\npillars: research\ndate: 2025-05-01\nsummary: Bench.\n"
            f"consent: true\ncover: images/{name}\ncover_alt: A photo\n---\nText.\n", encoding="utf-8")


def build(project: Path, formats: list[str]) -> float:
    os.chdir(project)
    settings = site.load(str(ROOT / "pelicanconf.py"), PATH=str(project / "content"),
                         OUTPUT_PATH=str(project / "output"), CACHE_PATH=str(project / ".cache" / "pelican"),
                         STEM4ALL_IMAGE_CACHE=str(project / ".cache" / "images"), THEME=str(ROOT / "theme"),
                         PLUGIN_PATHS=[str(ROOT / "plugins")], STEM4ALL_SEARCH=False, STEM4ALL_IMAGE_FORMATS=formats)
    start = time.perf_counter()
    if site.build(settings):
        raise SystemExit("the benchmark site did not build")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--formats", help="modern formats to encode, e.g. avif,webp (default: the site's setting)")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    rng = random.Random(2025)
    with tempfile.TemporaryDirectory(prefix="s4a-images-") as tmp:
        project = Path(tmp)
        images = project / "content" / "images"
        images.mkdir(parents=True)
        names = [f"photo-{i:03d}.jpg" for i in range(args.photos)]
        for i, name in enumerate(names):
            photo(images / name, rng, turned=i % 5 == 0)
        write_site(project / "content", names)
        settings = site.load(str(ROOT / "pelicanconf.py"))
        formats = args.formats.split(",") if args.formats else settings["STEM4ALL_IMAGE_FORMATS"]
        recipe = renditions.recipe({**settings, "STEM4ALL_IMAGE_FORMATS": formats})

        times, phone, other = [], [], {}
        for name in names:
            out = project / "one" / name
            out.mkdir(parents=True)
            start = time.perf_counter()
            renditions.derive(str(out), str(images / name), recipe)
            times.append(time.perf_counter() - start)
            phone.append((out / "800.webp").stat().st_size)
            for ext in ("avif", "jpg"):
                if (out / f"800.{ext}").exists():
                    other.setdefault(ext, []).append((out / f"800.{ext}").stat().st_size)
        originals = [(images / n).stat().st_size for n in names]
        shutil.rmtree(project / "one")

        cold = build(project, formats)
        shutil.rmtree(project / ".cache" / "pelican")
        warm = build(project, formats)

    mb = 1_000_000
    print(f"photos: {args.photos} × {SIZE[0]}×{SIZE[1]} JPEG; widths {list(recipe.widths)}; "
          f"formats {list(recipe.formats)} + jpeg; {os.cpu_count()} cores")
    print(f"encode time per photo (median, one core): {statistics.median(times):.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f})")
    print(f"originals: {sum(originals) / mb:.1f} MB in all, {statistics.median(originals) / 1000:.0f} KB median per photo")
    print(f"a 360-px phone downloads (800 w WebP): {sum(phone) / mb:.2f} MB in all, "
          f"{statistics.median(phone) / 1000:.0f} KB median per photo — "
          f"{sum(originals) / sum(phone):.0f}× less")
    for ext, sizes in other.items():
        print(f"  the same 800 w as {ext.upper()}: {sum(sizes) / mb:.2f} MB in all, {statistics.median(sizes) / 1000:.0f} KB median")
    print(f"site build, {args.photos} stories: cold (empty image cache) {cold:.1f} s, "
          f"warm (image cache kept, content cache empty) {warm:.1f} s")


if __name__ == "__main__":
    main()
