"""Images: check the sources contributors add; publish what live content shows, derived and stripped.

The pipeline itself is renditions.py, its cache imagecache.py, the HTML picture.py, share cards cards.py."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image, ImageOps, UnidentifiedImageError, features

from . import cards as cards_module
from . import imagecache, picture, renditions
from .imagecache import Job
from .picture import Derived

logger = logging.getLogger(__name__)

FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
GPS_IFD = 0x8825


def check_source(content_path: str, rel: str, images_dir: str, max_bytes: int, max_pixels: int,
                 kept: Callable[[str, Callable[[], str | None]], str | None] | None = None) -> str | None:
    """What is wrong with the image `rel` (relative to content/), or None.

    Decoding is the slow part; with `kept(key, work)`, a cache that returns the verdict stored
    under `key` or runs `work`, the pixels of a photo are looked at only when its bytes change."""
    norm = posixpath.normpath(str(rel))
    if rel.startswith("/") or norm.startswith("..") or not norm.startswith(images_dir + "/"):
        return f"'{rel}' must be a file inside content/{images_dir}/ — write it as {images_dir}/<file name>"
    path = os.path.join(content_path, norm)
    if not os.path.isfile(path):
        return f"there is no file content/{norm} — add the picture there or correct the name (it is case-sensitive)"
    size = os.path.getsize(path)
    if size > max_bytes:
        return f"content/{norm} is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit — save it smaller"
    heif = renditions.enable_heif()
    if not heif and _is_heic(path):
        return (f"content/{norm} is a HEIC photo (the iPhone format), which this site cannot read — "
                "convert it to JPEG (on the iPhone: Settings → Camera → Formats → Most Compatible; "
                "on a computer: open it and export or save it as JPEG)")
    readable = FORMATS | ({"HEIF"} if heif else set()) | ({"AVIF"} if features.check("avif") else set())
    if kept is None:
        return _check_pixels(path, norm, readable, max_pixels)
    key = f"{_digest(path)} {norm} {max_pixels} {Image.MAX_IMAGE_PIXELS} {','.join(sorted(readable))}"
    return kept(key, lambda: _check_pixels(path, norm, readable, max_pixels))


def _check_pixels(path: str, norm: str, readable: set[str], max_pixels: int) -> str | None:
    """The checks that open the picture: its format, size, GPS position, and whether it decodes."""
    try:
        with Image.open(path) as img:
            if img.format not in readable:
                return f"content/{norm} is a {img.format} file — save it as JPEG or PNG"
            if img.width * img.height > max_pixels:
                return (f"content/{norm} is {img.width}×{img.height} pixels, over the "
                        f"{max_pixels / 1e6:g}-megapixel limit — resize it to at most 4000 pixels on its longest side")
            if img.getexif().get_ifd(GPS_IFD):
                return (f"content/{norm} carries the GPS position where it was taken — share the photo again "
                        "from your phone with the location switched off, or ask the comms team to run "
                        "invoke scrub-images on it")
            # Decoding a small preview finds a file cut short, which the header alone does not show.
            img.draft(img.mode, (img.width // 8 or 1, img.height // 8 or 1))
            img.load()
    except Image.DecompressionBombError:
        return f"content/{norm} declares an enormous size and looks like a decompression bomb — use another file"
    except UnidentifiedImageError:
        return f"content/{norm} is not a picture we can read — save it as JPEG or PNG"
    except Exception:  # noqa: BLE001 - any decoder failure means the same to the contributor
        return f"content/{norm} is damaged or cut short — export it again from the original as JPEG or PNG"
    return None


def _is_heic(path: str) -> bool:
    with open(path, "rb") as f:
        head = f.read(12)
    return head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS


def pixels_only(img: Image.Image) -> Image.Image:
    """The picture upright, as a new image that carries no EXIF, XMP, GPS or text chunks."""
    upright = ImageOps.exif_transpose(img)
    pixels = Image.new(upright.mode, upright.size)
    if upright.mode == "P" and upright.getpalette():
        pixels.putpalette(upright.getpalette())
    pixels.paste(upright)
    return pixels


@dataclass
class Published:
    """What a build publishes: the derived files of each shown picture, the share cards, and what it cost."""

    derived: dict[str, Derived] = field(default_factory=dict)  # by source, relative to content/
    keys: dict[str, str] = field(default_factory=dict)  # cache key, by source
    cards: list[tuple[str, str]] = field(default_factory=list)  # (cache key, path in the site)
    encoded: list[str] = field(default_factory=list)  # sources and cards encoded by this build
    reused: int = 0  # pictures and cards taken from the cache


def prepare(settings: dict, content_path: str, ctx: dict, live: list) -> Published:
    """Derive every picture and share card live content shows (from the cache when unchanged).

    Also gives each page its share card and turns the pictures in bodies into <picture>s, because
    templates render before anything is written and need the real widths and heights."""
    cache, recipe = settings["STEM4ALL_IMAGE_CACHE"], renditions.recipe(settings)
    keys = {rel: recipe.key(_digest(os.path.join(content_path, rel))) for rel in sorted(shown_by(live))}
    jobs = [Job(key, renditions.derive, (os.path.join(content_path, rel), recipe), f"content/{rel}")
            for rel, key in keys.items()]
    planned = [(items, cards_module.job(card), card.path) for items, card in cards_module.plan(settings, ctx)]
    jobs += [job for _, job, _ in planned]
    ran = imagecache.fill(cache, jobs)
    result = Published(keys=keys, cards=[(job.key, path) for _, job, path in planned],
                       encoded=[job.label for job in ran], reused=len({j.key for j in jobs}) - len(ran))
    for rel, key in keys.items():
        with open(os.path.join(imagecache.folder(cache, key), "info.json"), encoding="utf-8") as f:
            info = json.load(f)
        stem = posixpath.splitext(rel)[0] + "-" + key[:8]
        result.derived[rel] = Derived(rel, stem, tuple(map(tuple, info["sizes"])), tuple(info["formats"]),
                                      info["fallback"])
    for items, _, path in planned:
        for item in items:
            item.share_card = path
    ctx["stem4all_images"] = result.derived
    for item in live:
        if "<img" in (getattr(item, "_content", None) or ""):
            item._content = picture.rewrite_body(item._content, result.derived)
    logger.info("[stem4all] images: %d encoded, %d from the cache", len(ran), result.reused,
                extra={"stem4all_images": result})
    return result


def publish(result: Published, output_path: str, cache: str) -> None:
    """Put the derived pictures and share cards into the site; the sources are never copied."""
    for rel, d in result.derived.items():
        folder = imagecache.folder(cache, result.keys[rel])
        for name, target in d.files():
            imagecache.link(os.path.join(folder, name), os.path.join(output_path, target))
    for key, target in result.cards:
        imagecache.link(os.path.join(imagecache.folder(cache, key), "card.jpg"), os.path.join(output_path, target))


def shown_by(items) -> set[str]:
    """The images (relative to content/) that these published items show."""
    shown = set()
    for item in items:
        for key in ("cover", "photo"):
            if getattr(item, key, None) and not (key == "photo" and withheld(item)):
                shown.add(posixpath.normpath(getattr(item, key)))
        shown.update(getattr(item, "body_images", []))
    return shown


def withheld(champion) -> bool:
    """A minor's photo without her guardian's consent to it is never published, whatever else went wrong."""
    return bool(getattr(champion, "minor", False)) and getattr(champion, "guardian_consent_photo", False) is not True


def _digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def scrub(path: str) -> bool:
    """Rewrite a source photo upright and without metadata, in place; True if it changed.

    The colour profile stays: it is not about the person, and the build needs it to show true colours."""
    renditions.enable_heif()
    with Image.open(path) as img:
        exif = img.getexif()
        has_meta = bool(exif) or any(k in img.info for k in ("exif", "xmp", "XML:com.adobe.xmp", "comment")) \
            or (img.format == "PNG" and any(isinstance(v, str) for v in img.info.values()))
        if not has_meta:
            return False
        fmt, icc, pixels = img.format, img.info.get("icc_profile"), pixels_only(img)
    keep = {"icc_profile": icc} if icc else {}
    if fmt == "JPEG":
        pixels.convert("RGB").save(path, "JPEG", quality=92, **keep)
    else:
        pixels.save(path, fmt, **keep)
    return True
