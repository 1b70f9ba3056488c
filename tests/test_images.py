"""Published pictures: one pipeline (upright, sRGB, no metadata, several widths), cached, checked, and share cards."""

import io
import logging
import re
import struct
import zlib

import pytest
from PIL import Image, ImageCms, ImageDraw, PngImagePlugin, features

from stem4all import cards, images, renditions

STORY = """---
title: "{title}"
champions: {champions}
pillars: research
date: 2025-05-01
summary: Short.
consent: true
cover: images/{cover}
cover_alt: A photo
---
Body. ![In the lab](../images/{cover})
"""
METADATA_MARKERS = (b"Exif", b"GPS", b"http://ns.adobe.com/xap", b"ICC_PROFILE", b"iCCP", b"home address", b"Secret camera")


def story(title="A story", cover="photo.jpg", champions="ada-test"):
    return STORY.format(title=title, cover=cover, champions=champions)


def derived(s, stem):
    """{(width, ext): path} of the files published for the source `stem`."""
    found = {}
    for rel in s.files():
        m = re.fullmatch(rf"images/{stem}-[0-9a-f]{{8}}-(\d+)\.(\w+)", rel)
        if m:
            found[int(m[1]), m[2]] = s.output / rel
    return found


def phone_photo(path, size=(1000, 500), orientation=6, gps=False, **save):
    """Left half red, right half blue as stored; the camera says to turn it (orientation 6: 90° clockwise)."""
    img = Image.new("RGB", size, "red")
    img.paste("blue", (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Secret camera"  # Make
    if gps:
        exif.get_ifd(0x8825)[2] = (42.0, 52.0, 0.0)
    img.save(path, exif=exif, comment=b"home address", xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>", **save)


def encodes(caplog):
    """What each build encoded, from the log record the image step leaves."""
    return [r.stem4all_images.encoded for r in caplog.records if hasattr(r, "stem4all_images")]


def test_published_images_carry_no_metadata_and_originals_are_not_copied(make_site):
    s = make_site()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    phone_photo(s.content / "images" / "photo.jpg", icc_profile=srgb)
    source = (s.content / "images" / "photo.jpg").read_bytes()
    assert {b"Exif", b"http://ns.adobe.com/xap", b"ICC_PROFILE", b"home address"} <= {m for m in METADATA_MARKERS if m in source}
    s.write("stories/x.md", story())
    assert s.build() == 0
    published = [f for f in s.files() if f.startswith("images/")]
    assert derived(s, "photo") and not {"images/photo.jpg", "images/portrait.png", "images/cover.jpg"} & set(published)
    for rel in published:
        data = (s.output / rel).read_bytes()
        assert not [m for m in METADATA_MARKERS if m in data], rel
        with Image.open(s.output / rel) as img:
            assert not img.getexif() and not {"exif", "xmp", "icc_profile", "comment"} & set(img.info), rel


def test_png_text_chunks_are_not_published(make_site):
    s = make_site()
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "home address")
    Image.new("RGB", (20, 20), "blue").save(s.content / "images" / "portrait.png", pnginfo=info)
    assert s.build() == 0
    for path in derived(s, "portrait").values():
        assert b"home address" not in path.read_bytes()
        with Image.open(path) as img:
            assert "Comment" not in img.info


def test_the_pipeline_strips_gps_and_applies_orientation_first(tmp_path):
    source = tmp_path / "gps.jpg"
    phone_photo(source, gps=True)
    recipe = renditions.Recipe((480, 800), ("webp",), (("jpeg", 80), ("webp", 75)), 40_000_000)
    renditions.derive(str(tmp_path), str(source), recipe)
    assert sorted(p.name for p in tmp_path.glob("[0-9]*")) == ["480.jpg", "480.webp", "500.jpg", "500.webp"]
    for name in ("480.jpg", "480.webp", "500.jpg"):
        assert not [m for m in METADATA_MARKERS if m in (tmp_path / name).read_bytes()]
        with Image.open(tmp_path / name) as img:
            img = img.convert("RGB")
            assert img.width * 2 == img.height, "turned upright: 1000×500 stored is 500×1000 shown"
            top, bottom = img.getpixel((img.width // 2, 5)), img.getpixel((img.width // 2, img.height - 6))
            assert top[0] > 200 > top[2] and bottom[2] > 200 > bottom[0], "turned clockwise, as the camera said"


def test_scrub_images_removes_the_gps_position_so_the_photo_passes_the_check(make_site):
    s = make_site()
    phone_photo(s.content / "images" / "photo.jpg", gps=True)
    s.write("stories/x.md", story())
    assert any("carries the GPS position" in p for p in s.check())
    assert images.scrub(str(s.content / "images" / "photo.jpg"))
    assert not [p for p in s.check() if "photo.jpg" in p]
    assert s.build() == 0
    with Image.open(derived(s, "photo")[500, "jpg"]) as img:
        assert img.size == (500, 1000) and not img.getexif()


def test_colours_are_converted_to_srgb_and_the_profile_dropped(tmp_path):
    # A profile whose red and green primaries are swapped: its pure red is sRGB's pure green.
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    count, tags = struct.unpack(">I", icc[128:132])[0], {}
    for i in range(count):
        sig, offset, size = struct.unpack(">4sII", icc[132 + 12 * i:144 + 12 * i])
        tags[sig] = (132 + 12 * i, offset, size)
    (r_at, r_off, r_size), (g_at, g_off, g_size) = tags[b"rXYZ"], tags[b"gXYZ"]
    icc[r_at + 4:r_at + 12], icc[g_at + 4:g_at + 12] = struct.pack(">II", g_off, g_size), struct.pack(">II", r_off, r_size)
    Image.new("RGB", (64, 64), (255, 0, 0)).save(tmp_path / "wide.jpg", icc_profile=bytes(icc), quality=95)
    recipe = renditions.Recipe((480,), ("webp",), (("jpeg", 90), ("webp", 90)), 10**8)
    renditions.derive(str(tmp_path), str(tmp_path / "wide.jpg"), recipe)
    for name in ("64.jpg", "64.webp"):
        with Image.open(tmp_path / name) as img:
            assert "icc_profile" not in img.info
            r, g, b = img.convert("RGB").getpixel((32, 32))
            assert g > 200 and r < 60 and b < 60, (name, (r, g, b))


@pytest.mark.parametrize("size, widths", [
    ((2400, 1200), [480, 800, 1200, 1600]),
    ((1000, 600), [480, 800, 1000]),
    ((300, 200), [300]),
])
def test_every_width_in_webp_and_jpeg_never_upscaled(make_site, size, widths):
    s = make_site()
    Image.new("RGB", size, "green").save(s.content / "images" / "photo.jpg")
    s.write("stories/x.md", story())
    assert s.build() == 0
    files = derived(s, "photo")
    assert sorted(files) == sorted((w, ext) for w in widths for ext in ("jpg", "webp"))
    for (width, _), path in files.items():
        with Image.open(path) as img:
            assert img.size == (width, round(size[1] * width / size[0]))


def test_transparent_png_falls_back_to_png_and_keeps_its_alpha(make_site):
    s = make_site()
    img = Image.new("RGBA", (600, 400), (0, 0, 255, 0))
    img.paste((255, 0, 0, 255), (0, 0, 300, 400))
    img.save(s.content / "images" / "logo.png")
    s.write("stories/x.md", story(cover="logo.png"))
    assert s.build() == 0
    assert sorted(derived(s, "logo")) == [(480, "png"), (480, "webp"), (600, "png"), (600, "webp")]
    with Image.open(derived(s, "logo")[480, "webp"]) as out:
        assert out.mode == "RGBA" and out.getpixel((400, 10))[3] == 0


def test_pages_use_picture_with_srcset_sizes_real_size_and_priority(make_site):
    s = make_site()
    Image.new("RGB", (2000, 1000), "green").save(s.content / "images" / "photo.jpg")
    s.write("stories/x.md", story())
    assert s.build() == 0
    html = s.page("stories/x/index.html")
    cover = re.search(r'<figure class="s4a-story__cover">\s*(<picture>.*?</picture>)', html, re.S)[1]
    assert re.search(r'<source type="image/webp" srcset="/images/photo-[0-9a-f]{8}-480\.webp 480w, '
                     r'.*-1600\.webp 1600w" sizes="[^"]+">', cover)
    img = re.search(r"<img [^>]+>", cover)[0]
    assert re.search(r'src="/images/photo-[0-9a-f]{8}-800\.jpg"', img) and 'srcset="/images/photo-' in img
    assert 'width="1600" height="800"' in img and 'alt="A photo"' in img
    assert 'fetchpriority="high"' in img and 'loading="lazy"' not in img
    # In the body, the URLs stay relative to the page, so they work under any base path.
    body = html[html.index('class="s4a-prose"'):]
    assert re.search(r'<picture><source type="image/webp" srcset="\.\./\.\./images/photo-[0-9a-f]{8}-480\.webp 480w', body)
    assert re.search(r'<img src="\.\./\.\./images/photo-[0-9a-f]{8}-800\.jpg" srcset="[^"]+" sizes="[^"]+" '
                     r'width="1600" height="800" alt="In the lab" loading="lazy" decoding="async">', body)
    card = re.search(r'<img class="s4a-story-card__image" src="/images/photo-[^>]*>', s.page("index.html"))[0]
    assert 'alt=""' in card and 'loading="lazy"' in card and 'width="1600"' in card
    avatar = re.search(r'<img class="s4a-avatar"[^>]*>', s.page("champions/ada-test/index.html"))[0]
    assert 'sizes="96px"' in avatar and 'alt="A drawn portrait"' in avatar


def test_a_rebuild_encodes_nothing_and_a_changed_photo_only_itself(make_site, caplog):
    caplog.set_level(logging.INFO, logger="stem4all.images")
    s = make_site()
    Image.new("RGB", (900, 600), "green").save(s.content / "images" / "photo.jpg")
    s.write("stories/x.md", story())
    assert s.build() == 0
    first = {f: (s.output / f).read_bytes() for f in s.files() if f.startswith(("images/", "cards/"))}
    assert s.build(force=True) == 0  # built again although nothing changed: every picture from the cache
    Image.new("RGB", (900, 600), "orange").save(s.content / "images" / "photo.jpg")
    assert s.build() == 0
    cold, warm, changed = encodes(caplog)
    assert "content/images/photo.jpg" in cold and len(cold) > 3
    assert warm == []
    assert changed == ["content/images/photo.jpg"]
    assert {f for f in s.files() if f.startswith("images/portrait")} == {f for f in first if f.startswith("images/portrait")}


def test_avif_is_offered_first_when_switched_on(make_site):
    if not features.check("avif"):
        pytest.skip("this Pillow has no AVIF encoder")
    s = make_site()
    assert s.build(STEM4ALL_IMAGE_FORMATS=["avif", "webp"]) == 0
    assert (320, "avif") in derived(s, "cover")
    html = s.page("stories/robots/index.html")
    assert html.index('<source type="image/avif"') < html.index('<source type="image/webp"')


def test_embargoed_and_draft_pictures_and_cards_are_not_published(built_site):
    files = built_site.files()
    assert not [f for f in files if "draft-only" in f or "secret-draft" in f or "future-embargo" in f]
    assert {"cards/stories/robots.jpg", "cards/stories/robots-ru.jpg", "cards/champions/ada-test.jpg"} <= set(files)
    assert sorted({re.sub(r"-[0-9a-f]{8}-\d+\.\w+$", "", f) for f in files if f.startswith("images/")}) == [
        "images/cover", "images/portrait"]


def test_a_minors_photo_is_never_published_without_her_guardians_consent():
    class Champion:
        photo, minor = "images/girl.jpg", True

    assert images.shown_by([Champion()]) == set()
    Champion.guardian_consent_photo = True
    assert images.shown_by([Champion()]) == {"images/girl.jpg"}


def png_claiming(width, height):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


@pytest.mark.parametrize("content, overrides, message", [
    (png_claiming(50000, 50000), {}, "declares an enormous size and looks like a decompression bomb"),
    (None, {"STEM4ALL_IMAGE_MAX_PIXELS": 1000}, "is 60×40 pixels, over the 0.001-megapixel limit"),
    (None, {"STEM4ALL_IMAGE_MAX_BYTES": 100}, "over the 0 MB limit — save it smaller"),
    (b"not a picture", {}, "is not a picture we can read — save it as JPEG or PNG"),
    (b"BM" + b"\0" * 60, {}, "is damaged or cut short"),
    ("truncated", {}, "is damaged or cut short"),
    ("tiff", {}, "is a TIFF file — save it as JPEG or PNG"),
])
def test_bad_pictures_are_refused_at_their_front_matter_line(make_site, content, overrides, message):
    s = make_site()
    path = s.content / "images" / "photo.jpg"
    if content == "truncated":
        buf = io.BytesIO()
        Image.effect_noise((400, 300), 50).save(buf, "JPEG")
        content = buf.getvalue()[:2000]
    if content == "tiff":
        Image.new("RGB", (60, 40)).save(path, "TIFF")
    elif content is None:
        Image.effect_noise((60, 40), 50).save(path, "JPEG")
    else:
        path.write_bytes(content)
    s.write("stories/x.md", story())
    problems = s.check(**overrides)
    assert any(p.startswith("content/stories/x.md:8: 'cover': content/images/photo.jpg ") and message in p
               for p in problems), problems
    assert any(p.startswith("content/stories/x.md:11: ") and message in p for p in problems), "and in the body"


def test_an_iphone_heic_photo_is_published_without_its_metadata(make_site):
    """(HEIF turns pictures with its own transforms, which pillow-heif applies when it opens one.)"""
    import pillow_heif

    pillow_heif.register_heif_opener()
    s = make_site()
    s.write("stories/x.md", story(cover="photo.heic"))
    phone_photo(s.content / "images" / "photo.heic", quality=90)
    assert b"Secret camera" in (s.content / "images" / "photo.heic").read_bytes()
    assert [p for p in s.check() if "photo.heic" in p] == []
    assert s.build() == 0
    files = derived(s, "photo")
    assert {(480, "webp"), (1000, "webp"), (1000, "jpg")} <= set(files) and not list(s.output.rglob("*.heic"))
    for path in files.values():
        data = path.read_bytes()
        assert not [m for m in METADATA_MARKERS if m in data], path


def test_scrubbing_an_iphone_heic_photo_removes_its_gps(make_site):
    import pillow_heif

    pillow_heif.register_heif_opener()
    s = make_site()
    s.write("stories/x.md", story(cover="photo.heic"))
    photo = s.content / "images" / "photo.heic"
    phone_photo(photo, gps=True, quality=90)
    assert any("carries the GPS position" in p for p in s.check())
    assert images.scrub(str(photo)) is True
    assert [p for p in s.check() if "photo.heic" in p] == []
    assert b"Secret camera" not in photo.read_bytes()


def test_a_heic_photo_is_refused_with_how_to_convert_where_pillow_heif_is_missing(make_site, monkeypatch):
    s = make_site()
    s.write("stories/x.md", story(cover="photo.heic"))
    (s.content / "images" / "photo.heic").write_bytes(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic")
    monkeypatch.setattr(renditions, "enable_heif", lambda: False)
    assert any("content/stories/x.md:8:" in p and "is a HEIC photo" in p and "convert it to JPEG" in p
               for p in s.check())


@pytest.mark.parametrize("title", [
    "Ночная смена в биотехнологической лаборатории, где девушки учатся доверять данным",
    "Кыздар үчүн ачык эшик: ңөүәқұһі",
    "Gülşən Əliyeva: ağıllı şəhərlər, açıq məlumat və qızlar üçün yeni imkanlar",
])
def test_share_cards_are_1200_by_630_under_300_kb_for_every_alphabet(make_site, title):
    s = make_site()
    s.write("stories/x.md", story(title=title, cover="cover.jpg", champions="gulsen-test"))
    assert s.build(SITEURL="https://org.github.io/repo") == 0
    path = s.output / "cards" / "stories" / "x.jpg"
    with Image.open(path) as img:
        assert img.size == (1200, 630) and img.format == "JPEG"
    assert path.stat().st_size < 300_000
    html = s.page("stories/x/index.html")
    assert '<meta property="og:image" content="https://org.github.io/repo/cards/stories/x.jpg">' in html
    assert '<meta property="og:image:width" content="1200">' in html and '<meta property="og:image:height" content="630">' in html
    assert f'<meta property="og:image:alt" content="{title}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert "https://org.github.io/repo/cards/champions/gulsen-test.jpg" in s.page("champions/gulsen-test/index.html")


def test_the_card_font_draws_every_letter_we_publish():
    font = cards._font(cards.fonts({"STEM4ALL_CARD_FONT": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                                    "STEM4ALL_CARD_FONT_BOLD": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"})[1], 40)

    def drawn(letter):
        img = Image.new("L", (60, 60))
        ImageDraw.Draw(img).text((5, 5), letter, font=font, fill=255)
        return img.tobytes()

    missing = drawn("\ue000")  # a private-use code point: the font's "no glyph" box
    for letter in "ңөүәқұһіҢӨҮӘҚҰҺІəğşıƏĞŞİЖЁЙЩЪЭЮЯ":
        assert drawn(letter) != missing, letter


def test_a_long_title_shrinks_and_never_overflows_the_card():
    font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
    width, height = 1040, 300
    short_font, _, _ = cards.fit("Short", font_path, width, height)
    font, lines, line_height = cards.fit("Верх " * 5 + "Antidisestablishmentarianismwithoutanyspaces" * 2 + " word" * 80,
                                         font_path, width, height)
    assert font.size < short_font.size
    assert len(lines) * line_height <= height and lines[-1].endswith("…")
    assert all(font.getlength(line) <= width for line in lines)


def test_a_missing_card_font_fails_the_build_saying_what_to_install(make_site, capsys):
    s = make_site()
    assert s.build(STEM4ALL_CARD_FONT="/nowhere/DejaVuSans.ttf") == 1
    assert "apt-get install fonts-dejavu-core" in capsys.readouterr().err
