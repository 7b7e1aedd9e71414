"""Uploads are checked by content: images re-encoded without metadata, bombs refused cheaply,
documents by an allow-list with matching extensions, files served as attachments with nosniff."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import Http404
from docx import Document
from openpyxl import Workbook
from PIL import Image

from courtlearn.uploads import (
    DocumentUploadField,
    ImageUploadField,
    clean_document,
    clean_image,
    protected_file_response,
)

# --- builders -------------------------------------------------------------------------------


def image_bytes(fmt: str = "PNG", size=(40, 30), mode: str = "RGB", **save_args) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 120 if mode in ("1", "L", "P") else (200, 30, 30)).save(out, fmt, **save_args)
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG whose header claims a huge size: a decompression bomb's shape."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", data) + png_chunk(b"IEND", b"")


def docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("点燃读书热情 创建书香法院")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "书目"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def error_code(excinfo) -> str:
    return excinfo.value.code


# --- images ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "extension"),
    [("PNG", "a.png", "png"), ("JPEG", "a.jpg", "jpg"), ("WEBP", "a.webp", "webp"), ("GIF", "a.gif", "png")],
)
def test_valid_images_are_reencoded_under_a_random_name(fmt, name, extension):
    cleaned = clean_image(upload(name, image_bytes(fmt, mode="P" if fmt == "GIF" else "RGB")))
    assert cleaned.name.endswith("." + extension)
    assert len(cleaned.name) == 32 + 1 + len(extension)  # uuid4 hex: the user's name is not used on disk
    with Image.open(io.BytesIO(cleaned.read())) as image:
        assert image.size == (40, 30)


def test_a_phone_photo_saved_as_mpo_is_accepted_as_jpeg():
    first, second = Image.new("RGB", (40, 30), "red"), Image.new("RGB", (40, 30), "blue")
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second])
    cleaned = clean_image(upload("IMG_0001.JPG", out.getvalue()))
    assert cleaned.name.endswith(".jpg")
    with Image.open(io.BytesIO(cleaned.read())) as image:
        assert image.format == "JPEG"
        assert getattr(image, "n_frames", 1) == 1


def test_exif_gps_and_comments_are_stripped_and_orientation_applied():
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 0.0)}  # GPS IFD
    raw = image_bytes("JPEG", size=(20, 10), exif=exif.tobytes(), comment=b"home address")
    with Image.open(io.BytesIO(raw)) as original:
        assert original.getexif()  # the test image really carries EXIF
    cleaned = clean_image(upload("photo.jpg", raw)).read()
    assert b"SecretCam" not in cleaned and b"home address" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert not image.getexif()
        assert "comment" not in image.info and "exif" not in image.info
        assert image.size == (10, 20)  # the orientation was applied to the pixels


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_exif_is_stripped_from_png_and_webp_too(fmt):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    cleaned = clean_image(upload("a." + fmt.lower(), image_bytes(fmt, exif=exif.tobytes()))).read()
    assert b"SecretCam" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert not image.getexif()


def test_palette_transparency_survives():
    image = Image.new("P", (10, 10), 0)
    image.putpalette([255, 255, 255, 200, 0, 0] + [0] * 762)
    image.info["transparency"] = 0
    out = io.BytesIO()
    image.save(out, "PNG", transparency=0)
    with Image.open(io.BytesIO(clean_image(upload("t.png", out.getvalue())).read())) as cleaned:
        assert cleaned.info.get("transparency") == 0


def test_data_hidden_after_the_image_is_dropped():
    raw = image_bytes("PNG") + b"<?php system($_GET['c']); ?>"
    assert b"<?php" not in clean_image(upload("a.png", raw)).read()


def test_truncated_image_is_refused():
    raw = image_bytes("PNG", size=(200, 200))
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload("cut.png", raw[: len(raw) // 2]))
    assert error_code(excinfo) == "invalid_image"


def test_truncated_jpeg_is_refused():
    raw = image_bytes("JPEG", size=(400, 300))
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload("cut.jpg", raw[:300]))
    assert error_code(excinfo) == "invalid_image"


def test_a_file_over_the_byte_limit_is_refused_before_reading(settings):
    data = b"\xff\xd8\xff" + b"\x00" * (settings.UPLOAD_MAX_BYTES + 1)
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload("huge.jpg", data))
    assert error_code(excinfo) == "too_large"
    assert "10" in excinfo.value.messages[0]


def test_an_image_with_too_many_pixels_is_refused():
    raw = image_bytes("PNG", size=(8000, 6000), mode="1")  # 48 megapixels in a small file
    assert len(raw) < 1_000_000
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload("big.png", raw))
    assert error_code(excinfo) == "too_many_pixels"
    assert "8000×6000" in excinfo.value.messages[0]


def test_decompression_bomb_is_refused_fast_with_little_memory():
    bomb = png_claiming(50_000, 50_000)  # 2.5 gigapixels: 7.5 GB once decoded
    assert len(bomb) < 200
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ValidationError) as excinfo:
            clean_image(upload("bomb.png", bomb))
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error_code(excinfo) == "too_many_pixels"
    assert elapsed < 1.0
    assert peak < 5 * 1024 * 1024


def test_html_renamed_png_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload("cat.png", HTML))
    assert error_code(excinfo) == "invalid_image"


def test_svg_is_refused_as_an_image_and_as_a_document():
    with pytest.raises(ValidationError):
        clean_image(upload("logo.svg", SVG))
    with pytest.raises(ValidationError):
        clean_image(upload("logo.png", SVG))
    with pytest.raises(ValidationError) as excinfo:
        clean_document(upload("logo.svg", SVG), allowed=("pdf", "docx", "txt"))
    assert error_code(excinfo) == "document_type"
    with pytest.raises(ValidationError) as excinfo:
        clean_document(upload("logo.txt", SVG), allowed=("txt",))
    assert error_code(excinfo) == "document_type"


def test_formats_outside_the_list_are_refused():
    with pytest.raises(ValidationError):
        clean_image(upload("a.bmp", image_bytes("BMP")))
    with pytest.raises(ValidationError):
        clean_image(upload("a.tif", image_bytes("TIFF")))


# --- documents ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"), [("方案.pdf", PDF), ("方案.docx", docx_bytes()), ("书目.XLSX", xlsx_bytes())]
)
def test_pdf_docx_and_xlsx_are_accepted(name, data):
    cleaned = clean_document(upload(name, data))
    assert cleaned.name.endswith("." + name.rsplit(".", 1)[1].lower())
    assert cleaned.read() == data


@pytest.mark.parametrize(
    ("name", "data"),
    [("plan.docx", PDF), ("plan.pdf", docx_bytes()), ("plan.xlsx", docx_bytes()), ("plan", PDF)],
)
def test_a_mismatched_extension_is_refused(name, data):
    with pytest.raises(ValidationError) as excinfo:
        clean_document(upload(name, data))
    assert error_code(excinfo) == "extension_mismatch"


def test_a_plain_zip_renamed_docx_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("evil.exe", b"MZ")
    with pytest.raises(ValidationError) as excinfo:
        clean_document(upload("plan.docx", out.getvalue()))
    assert error_code(excinfo) == "document_type"


def test_types_outside_the_allow_list_are_refused():
    with pytest.raises(ValidationError) as excinfo:
        clean_document(upload("plan.xlsx", xlsx_bytes()), allowed=("pdf", "docx"))
    assert error_code(excinfo) == "document_type"
    assert "docx, pdf" in excinfo.value.messages[0]
    with pytest.raises(ValidationError):
        clean_document(upload("page.html", HTML), allowed=("pdf", "txt"))
    with pytest.raises(ValidationError):
        clean_document(upload("run.pdf", b"MZ\x90\x00" + b"\x00" * 100))


def test_plain_text_only_where_allowed():
    assert clean_document(upload("笔记.txt", "读书笔记".encode()), allowed=("txt",)).name.endswith(".txt")
    with pytest.raises(ValidationError):
        clean_document(upload("笔记.txt", "读书笔记".encode()))


def test_a_document_over_the_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as excinfo:
        clean_document(upload("big.pdf", PDF + b"0" * 2048))
    assert error_code(excinfo) == "too_large"


# --- form fields ----------------------------------------------------------------------------


class UploadForm(forms.Form):
    cover = ImageUploadField(required=False)
    plan = DocumentUploadField(required=False, allowed=("pdf", "docx"))


def test_form_fields_return_clean_files_with_the_original_name():
    form = UploadForm(
        data={}, files={"cover": upload("封面.png", image_bytes()), "plan": upload("活动方案.docx", docx_bytes())}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["cover"].original_name == "封面.png"
    assert form.cleaned_data["plan"].original_name == "活动方案.docx"
    assert "accept" in form.fields["cover"].widget.attrs
    assert form.fields["plan"].widget.attrs["accept"] == ".docx,.pdf"


def test_form_fields_turn_bad_files_into_form_errors():
    form = UploadForm(data={}, files={"cover": upload("x.png", HTML), "plan": upload("x.pdf", docx_bytes())})
    assert not form.is_valid()
    assert set(form.errors) == {"cover", "plan"}


def test_empty_upload_is_a_form_error_not_a_crash():
    form = UploadForm(data={}, files={"cover": SimpleUploadedFile("x.png", b"")})
    assert not form.is_valid()
    assert "cover" in form.errors


# --- serving --------------------------------------------------------------------------------


def field_file(name: str) -> FieldFile:
    return FieldFile(instance=None, field=models.FileField(), name=name)


@pytest.fixture
def stored(media_root):
    def store(name: str, data: bytes) -> FieldFile:
        return field_file(default_storage.save(name, ContentFile(data)))

    return store


def test_files_are_served_as_attachments_with_nosniff(stored):
    response = protected_file_response(stored("plan.pdf", PDF), download_name="活动方案.pdf")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF


def test_html_is_never_served_inline(stored):
    response = protected_file_response(stored("x.html", HTML), download_name="x.html", inline=True)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_images_may_be_inline(stored):
    response = protected_file_response(stored("c.png", image_bytes()), download_name="c.png", inline=True)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")


def test_a_missing_file_is_a_404(media_root):
    with pytest.raises(Http404):
        protected_file_response(field_file("reading/gone.pdf"))
    with pytest.raises(Http404):
        protected_file_response(field_file(""))
