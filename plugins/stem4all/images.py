"""Images: check the sources contributors add, and publish only the ones live content shows, stripped."""

from __future__ import annotations

import logging
import os
import posixpath

from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
GPS_IFD = 0x8825


def check_source(content_path: str, rel: str, images_dir: str, max_bytes: int, max_pixels: int) -> str | None:
    """What is wrong with the image `rel` (relative to content/), or None."""
    norm = posixpath.normpath(str(rel))
    if rel.startswith("/") or norm.startswith("..") or not norm.startswith(images_dir + "/"):
        return f"'{rel}' must be a file inside content/{images_dir}/ — write it as {images_dir}/<file name>"
    path = os.path.join(content_path, norm)
    if not os.path.isfile(path):
        return f"there is no file content/{norm} — add the picture there or correct the name (it is case-sensitive)"
    size = os.path.getsize(path)
    if size > max_bytes:
        return f"content/{norm} is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit — save it smaller"
    try:
        with Image.open(path) as img:
            if img.format not in FORMATS:
                return f"content/{norm} is a {img.format} file — save it as JPEG or PNG"
            if img.width * img.height > max_pixels:
                return (f"content/{norm} is {img.width}×{img.height} pixels, over the "
                        f"{max_pixels / 1e6:.0f}-megapixel limit — resize it to at most 4000 pixels on its longest side")
            if img.getexif().get_ifd(GPS_IFD):
                return (f"content/{norm} carries the GPS position where it was taken — share the photo again "
                        "from your phone with the location switched off, or ask the comms team to run "
                        "invoke scrub-images on it")
    except Image.DecompressionBombError:
        return f"content/{norm} declares an enormous size and looks like a decompression bomb — use another file"
    except (UnidentifiedImageError, OSError):
        return f"content/{norm} is not a picture we can read — save it as JPEG or PNG"
    return None


def pixels_only(img: Image.Image) -> Image.Image:
    """The picture upright, as a new image that carries no EXIF, XMP, GPS or text chunks."""
    upright = ImageOps.exif_transpose(img)
    pixels = Image.new(upright.mode, upright.size)
    if upright.mode == "P" and upright.getpalette():
        pixels.putpalette(upright.getpalette())
    pixels.paste(upright)
    return pixels


def publish(content_path: str, output_path: str, images: set[str]) -> None:
    """Write each image live content shows, upright and with every piece of metadata removed."""
    for rel in sorted(images):
        target = os.path.join(output_path, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with Image.open(os.path.join(content_path, rel)) as img:
            fmt, pixels = img.format, pixels_only(img)
        if fmt == "JPEG":
            pixels.convert("RGB").save(target, "JPEG", quality=82, optimize=True, progressive=True)
        else:
            pixels.save(target, fmt)
        logger.debug("[stem4all] image %s written without metadata", rel)


def shown_by(items) -> set[str]:
    """The images (relative to content/) that these published items show."""
    shown = set()
    for item in items:
        for key in ("cover", "photo"):
            if getattr(item, key, None):
                shown.add(posixpath.normpath(getattr(item, key)))
        shown.update(getattr(item, "body_images", []))
    return shown


def scrub(path: str) -> bool:
    """Rewrite a source photo upright and without metadata, in place; True if it changed."""
    with Image.open(path) as img:
        exif = img.getexif()
        has_meta = bool(exif) or any(k in img.info for k in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile")) \
            or (img.format == "PNG" and any(isinstance(v, str) for v in img.info.values()))
        if not has_meta:
            return False
        fmt, pixels = img.format, pixels_only(img)
    if fmt == "JPEG":
        pixels.convert("RGB").save(path, "JPEG", quality=92)
    else:
        pixels.save(path, fmt)
    return True
