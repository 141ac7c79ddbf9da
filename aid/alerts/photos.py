"""Photos sent with a report: re-encoded with Pillow from their pixels alone, so nothing of
the original file survives (no EXIF, GPS, camera, time, ICC profile or comment), at most
MAX_SIDE pixels on a side, then stored encrypted. Only staff and the responders asked to
check the report can open them (`can_see`), and every opening is audited."""

from __future__ import annotations

import base64
from io import BytesIO

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from aid.alerts.models import Dispatch, Report, ReportPhoto
from aid.auth.models import Role, Status, User
from aid.errors import Invalid, NotFound
from aid.extensions import db
from aid.security import audit

MAX_BYTES = 5 * 1024 * 1024  # per photo, as uploaded
MAX_PHOTOS = 3
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
UPLOAD_LIMIT = MAX_PHOTOS * MAX_BYTES + 64 * 1024  # the whole form, photos and words


class BadPhoto(Invalid):
    """Not a photo we take; `message` says why, in the sender's language."""


def clean(raw: bytes) -> tuple[bytes, int, int]:
    """JPEG bytes made from the pixels of `raw` only, with its width and height."""
    if len(raw) > MAX_BYTES:
        raise BadPhoto("too big", message=_l("A photo can be at most 5 MB."))
    try:
        with Image.open(BytesIO(raw)) as original:
            if original.format not in FORMATS:
                raise BadPhoto("format", message=_l("Send a photo (JPEG, PNG or WebP)."))
            if original.width * original.height > MAX_PIXELS:
                raise BadPhoto("too many pixels", message=_l("This photo is too large."))
            # Turn the picture upright first: the orientation tag goes with the rest.
            upright = ImageOps.exif_transpose(original).convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise BadPhoto("unreadable", message=_l("This file is not a photo we can read.")) \
            from exc
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    # A new image from the raw pixels: no `info` (EXIF, XMP, ICC, comments) can come along.
    bare = Image.frombytes("RGB", upright.size, upright.tobytes())
    out = BytesIO()
    bare.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue(), bare.width, bare.height


def add(report: Report, raw: bytes) -> ReportPhoto:
    """Clean and attach one photo (not committed: the report's creation commits)."""
    data, width, height = clean(raw)
    photo = ReportPhoto(report_id=report.id, data=base64.b64encode(data).decode("ascii"),
                        width=width, height=height, size=len(data))
    db.session.add(photo)
    return photo


def of(report: Report) -> list[ReportPhoto]:
    return list(db.session.scalars(select(ReportPhoto).where(
        ReportPhoto.report_id == report.id).order_by(ReportPhoto.id)))


def can_see(report: Report, user: User) -> bool:
    """Staff, and the responders asked to check this report."""
    if user.role in (Role.COORDINATOR, Role.ADMIN):
        return True
    return user.status == Status.VETTED and db.session.scalar(select(Dispatch.id).where(
        Dispatch.report_id == report.id, Dispatch.user_id == user.id)) is not None


def open_photo(report_id: int, photo_id: int, user: User) -> bytes:
    """The photo's bytes for someone allowed to see it; audited. Anyone else learns nothing,
    not even that it exists (NotFound)."""
    photo = db.session.get(ReportPhoto, photo_id)
    report = db.session.get(Report, report_id)
    if photo is None or report is None or photo.report_id != report.id \
            or not can_see(report, user):
        raise NotFound("no such photo")
    audit.viewed("report_photo", photo.id)
    db.session.commit()
    return base64.b64decode(photo.data)
