"""The one Pillow pipeline for every published picture: upright, sRGB, no metadata, several widths.

`derive` runs in a worker process and writes into a folder of the image cache:
`<width>.<ext>` for each width and format, and `info.json` describing them."""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
from dataclasses import asdict, dataclass

import PIL
from PIL import Image, ImageCms, ImageOps

ORIENTATION = 0x0112
SWAPS_AXES = {5, 6, 7, 8}  # EXIF orientations that turn the picture a quarter
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
MIME = {"avif": "image/avif", "webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}


class ImageError(Exception):
    """A source picture that the pipeline cannot turn into published files."""


@dataclass(frozen=True)
class Recipe:
    """Everything that decides the bytes of a rendition; part of its cache key."""

    widths: tuple[int, ...]
    formats: tuple[str, ...]  # modern formats, best first; the fallback is always added
    quality: tuple[tuple[str, int], ...]
    max_pixels: int
    # This module's hash and Pillow's version: a changed pipeline or encoder must not reuse old files.
    version: str = ""

    def key(self, source_digest: str) -> str:
        return hashlib.sha256(f"{source_digest}|{json.dumps(asdict(self), sort_keys=True)}".encode()).hexdigest()


def recipe(settings: dict) -> Recipe:
    quality = settings["STEM4ALL_IMAGE_QUALITY"]
    formats = tuple(settings["STEM4ALL_IMAGE_FORMATS"])
    with open(__file__, "rb") as f:
        version = f"{hashlib.sha256(f.read()).hexdigest()[:16]}|{PIL.__version__}"
    return Recipe(tuple(sorted(set(settings["STEM4ALL_IMAGE_WIDTHS"]))), formats,
                  tuple(sorted((f, int(quality[f])) for f in (*formats, "jpeg"))), settings["STEM4ALL_IMAGE_MAX_PIXELS"],
                  version)


def widths_for(width: int, widths: tuple[int, ...]) -> list[int]:
    """The widths to publish: never wider than the source, whose own width stands in for larger ones."""
    return sorted({min(w, width) for w in widths})


def enable_heif() -> bool:
    """Let Pillow open iPhone HEIC photos when pillow-heif is installed."""
    try:
        import pillow_heif
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True


def open_upright(path: str, largest: int, max_pixels: int) -> Image.Image:
    """The picture turned as the camera meant it, decoded no larger than needed, in sRGB."""
    enable_heif()
    with Image.open(path) as img:
        if img.width * img.height > max_pixels:
            raise ImageError(f"it is {img.width}×{img.height} pixels, over the limit")
        orientation = img.getexif().get(ORIENTATION, 1)
        upright_width = img.height if orientation in SWAPS_AXES else img.width
        scale = min(1.0, largest / upright_width)
        if img.format == "JPEG" and scale < 1:
            # The JPEG decoder can scale by 1/2, 1/4, 1/8 for free: a phone photo decodes 3× faster.
            img.draft(img.mode, (math.ceil(img.width * scale), math.ceil(img.height * scale)))
        img.load()
        icc = img.info.get("icc_profile")
        upright = ImageOps.exif_transpose(img)
    return to_srgb(upright, icc)


def to_srgb(img: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB (or RGBA when the picture has transparency) in sRGB, the colours browsers assume."""
    alpha = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (img.mode == "P" and "transparency" in img.info)
    mode = "RGBA" if alpha else "RGB"
    if img.mode not in ("RGB", "RGBA", "L", "LA", "CMYK"):
        img = img.convert(mode)
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            return ImageCms.profileToProfile(img, source, ImageCms.createProfile("sRGB"), outputMode=mode,
                                             renderingIntent=ImageCms.Intent.PERCEPTUAL)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken or mismatched profile: the pixels are treated as sRGB, as browsers do
    return img.convert(mode)


def derive(folder: str, source: str, recipe: Recipe) -> None:
    """Write every width of `source` in every format into `folder`, with its info.json."""
    quality = dict(recipe.quality)
    img = open_upright(source, max(recipe.widths), recipe.max_pixels)
    if img.mode == "RGBA" and img.getchannel("A").getextrema()[0] == 255:
        img = img.convert("RGB")  # an alpha channel that hides nothing costs bytes and the JPEG fallback
    fallback = "png" if img.mode == "RGBA" else "jpg"
    sizes = []
    for width in reversed(widths_for(img.width, recipe.widths)):
        height = max(1, round(img.height * width / img.width))
        frame = img if (width, height) == img.size else img.resize((width, height), Image.Resampling.LANCZOS,
                                                                   reducing_gap=3.0)
        frame.info = {}  # nothing of the source's metadata may reach an encoder
        for fmt in recipe.formats:
            save(frame, os.path.join(folder, f"{width}.{EXTENSIONS[fmt]}"), fmt, quality[fmt])
        save(frame, os.path.join(folder, f"{width}.{fallback}"), fallback, quality["jpeg"])
        sizes.append([width, height])
        img = frame  # each smaller width is made from the one before: sharper and faster
    info = {"sizes": sorted(sizes), "formats": [EXTENSIONS[f] for f in recipe.formats], "fallback": fallback}
    with open(os.path.join(folder, "info.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, sort_keys=True)


def save(img: Image.Image, path: str, fmt: str, quality: int) -> None:
    if fmt == "webp":
        img.save(path, "WEBP", quality=quality, method=4)
    elif fmt == "avif":
        # One thread: the pool already uses every core, and the bytes then do not depend on the machine.
        img.save(path, "AVIF", quality=quality, speed=8, max_threads=1)
    elif fmt == "png":
        img.save(path, "PNG", compress_level=9)
    else:
        img.save(path, "JPEG", quality=quality, optimize=True, progressive=True)
