"""Checks for uploaded files, by content rather than by name."""

import io

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"PNG": ".png", "JPEG": ".jpg"}
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_SIDE = 4000


def validate_image(upload) -> str:
    """Raise a Thai ValidationError unless `upload` really is a PNG or JPEG of sane size.

    Returns the file extension that matches the content, so a file is stored under the
    name of what it is, whatever it was called.
    """
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError("รูปภาพต้องมีขนาดไม่เกิน 2 MB")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError("ไฟล์นี้ไม่ใช่รูปภาพ PNG หรือ JPEG ที่เปิดได้") from None
    if image_format not in IMAGE_FORMATS:
        raise ValidationError("รองรับเฉพาะรูปภาพ PNG หรือ JPEG")
    if max(width, height) > MAX_IMAGE_SIDE:
        raise ValidationError(f"รูปภาพใหญ่เกินไป (ไม่เกิน {MAX_IMAGE_SIDE} พิกเซลต่อด้าน)")
    return IMAGE_FORMATS[image_format]
