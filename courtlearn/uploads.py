"""Uploads done right, for every app: images and documents are checked by content.

Images: at most UPLOAD_MAX_BYTES and UPLOAD_MAX_PIXELS (checked from the header before
any decoding, so a decompression bomb is refused fast and cheaply), verified by Pillow,
then re-encoded, which drops EXIF and anything hidden after the image data. No SVG.
Documents: an allow-list of types recognised by their first bytes, with the extension
matching what the bytes say. Files are served only through views that check access,
as attachments with nosniff.
"""

from __future__ import annotations

import io
import logging
import mimetypes
import os
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

log = logging.getLogger(__name__)

IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    # Phones save photos as MPO (a JPEG with a second, depth or preview, image): keep the first.
    "MPO": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("png", "image/png"),
}
# Pillow tries only these decoders: nothing exotic (EPS would run Ghostscript), and never SVG.
# (MPO has no opener of its own: the JPEG opener recognises it.)
PILLOW_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")


@dataclass(frozen=True)
class DocumentKind:
    extensions: tuple[str, ...]
    content_type: str


DOCUMENT_KINDS = {
    "pdf": DocumentKind(("pdf",), "application/pdf"),
    "docx": DocumentKind(("docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": DocumentKind(("xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": DocumentKind(("pptx",), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "ole": DocumentKind(("doc", "xls", "ppt"), "application/octet-stream"),
    "txt": DocumentKind(("txt",), "text/plain; charset=utf-8"),
}


MARKUP_MARKERS = ("<html", "<script", "<svg", "<?xml", "<!doctype", "<iframe", "<body", "<object", "<embed")


def _check_size(upload) -> None:
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is too large: %(size)s MB; at most %(limit)s MB.")
            % {"size": round(upload.size / 1048576, 1), "limit": settings.UPLOAD_MAX_BYTES // 1048576},
            code="too_large",
        )


def clean_image(upload) -> ContentFile:
    """Check an uploaded image by its content and return a clean re-encoded copy.

    The pixel count is read from the header before anything is decoded, so a small file that
    claims to be 50000×50000 pixels is refused at once, without the memory it would need.
    Re-encoding drops EXIF (GPS, camera), comments and anything hidden after the image data.
    """
    _check_size(upload)
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data), formats=PILLOW_FORMATS) as probe:
            fmt = probe.format
            width, height = probe.size
            if fmt not in IMAGE_FORMATS:
                raise ValidationError(_("Only JPEG, PNG, WebP or GIF images are accepted."), code="format")
            if width * height > settings.UPLOAD_MAX_PIXELS:
                raise ValidationError(
                    _("The image is too large: %(w)s×%(h)s pixels; at most %(mp)s megapixels.")
                    % {"w": width, "h": height, "mp": settings.UPLOAD_MAX_PIXELS // 1_000_000},
                    code="too_many_pixels",
                )
            probe.verify()
        with Image.open(io.BytesIO(data), formats=PILLOW_FORMATS) as opened:
            opened.load()
            icc_profile = opened.info.get("icc_profile")
            image = ImageOps.exif_transpose(opened)
            # Keep only what drawing needs: transparency. EXIF, XMP and comments stay behind.
            image.info = {key: value for key, value in image.info.items() if key == "transparency"}
            extension, _content_type = IMAGE_FORMATS[fmt]
            out = io.BytesIO()
            if extension == "jpg":
                image.convert("RGB").save(out, "JPEG", quality=88, optimize=True, icc_profile=icc_profile)
            elif fmt == "WEBP":
                image.save(out, "WEBP", quality=88, icc_profile=icc_profile)
            else:
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, "PNG", optimize=True)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(
            _("The image is too large: at most %(mp)s megapixels.") % {"mp": settings.UPLOAD_MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        ) from None
    except Exception as exc:  # noqa: BLE001 - whatever a damaged or hostile file makes Pillow raise
        log.info("image upload refused: %s: %s", type(exc).__name__, exc)
        raise ValidationError(_("This file is not a valid image, or it is damaged."), code="invalid_image") from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office files, and new ones encrypted with a password
ZIP_MAGIC = b"PK\x03\x04"


def detect_document_kind(head: bytes, upload) -> str | None:
    """What a document is by its content (`head`: its first bytes): "pdf", "ole", "docx", "xlsx",
    "pptx", "zip" (an archive that is no Office document), or None (anything else, a damaged zip,
    an Office package without its Word, Excel or PowerPoint part). Leaves the upload at its start."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(ZIP_MAGIC):
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" not in names:
            return "zip"
        for prefix, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(name.startswith(prefix) for name in names):
                return kind
        return None
    return None


def clean_document(upload, allowed: tuple[str, ...] = ("pdf", "docx", "xlsx", "pptx", "ole")) -> ContentFile:
    """Check an uploaded document by its first bytes against an allow-list."""
    _check_size(upload)
    upload.seek(0)
    head = upload.read(8)
    kind = detect_document_kind(head, upload)
    if kind is None and "txt" in allowed:
        upload.seek(0)
        raw = upload.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        lowered = (text or "")[:4096].lower()
        # Plain text only: markup (HTML, SVG, XML) a browser could render is refused.
        if text is not None and "\x00" not in text and not any(tag in lowered for tag in MARKUP_MARKERS):
            kind = "txt"
    allowed_extensions = sorted({ext for k in allowed for ext in DOCUMENT_KINDS[k].extensions})
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("This file type is not accepted. Accepted: %(types)s.") % {"types": ", ".join(allowed_extensions)},
            code="document_type",
        )
    extension = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
    if extension not in DOCUMENT_KINDS[kind].extensions:
        raise ValidationError(
            _("The file's name (.%(ext)s) does not match its content.") % {"ext": extension or "?"},
            code="extension_mismatch",
        )
    upload.seek(0)
    return ContentFile(upload.read(), name=f"{uuid.uuid4().hex}.{extension}")


def _checked_copy(value, initial, check: Callable[[object], ContentFile]):
    """A new upload's checked copy (`check`), keeping the name it came with; anything else as it is."""
    if value and value is not initial and hasattr(value, "read"):
        original = getattr(value, "name", "") or ""
        cleaned = check(value)
        cleaned.original_name = os.path.basename(original)[:200]
        return cleaned
    return value


class ImageUploadField(forms.FileField):
    """A form field whose cleaned value is a safe re-encoded image (ContentFile)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", _("JPEG, PNG or WebP, at most 10 MB."))
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/webp,image/gif")

    def clean(self, data, initial=None):
        return _checked_copy(super().clean(data, initial), initial, clean_image)


class DocumentUploadField(forms.FileField):
    """A form field whose cleaned value is a document checked by content (ContentFile)."""

    def __init__(self, *args, allowed: tuple[str, ...] = ("pdf", "docx", "xlsx", "pptx", "ole"), **kwargs):
        self.allowed = allowed
        kwargs.setdefault("help_text", _("PDF or Office documents, at most 10 MB."))
        super().__init__(*args, **kwargs)
        extensions = sorted({ext for k in allowed for ext in DOCUMENT_KINDS[k].extensions})
        self.widget.attrs.setdefault("accept", ",".join("." + e for e in extensions))

    def clean(self, data, initial=None):
        return _checked_copy(super().clean(data, initial), initial, lambda upload: clean_document(upload, self.allowed))


def protected_file_response(file: FieldFile, *, download_name: str = "", inline: bool = False) -> FileResponse:
    """Serve a stored file after the view has checked access: attachment and nosniff."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = download_name or os.path.basename(file.name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if content_type in {"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml"}:
        content_type, inline = "application/octet-stream", False
    response = FileResponse(handle, as_attachment=not inline, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
