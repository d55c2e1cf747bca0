"""The private key at rest: a Fernet token under a key derived from DJANGO_SIGNING_KEY.

The setting is any string (a passphrase); HKDF turns it into Fernet's 32-byte key, so an operator
need not produce a Fernet key by hand. Losing the setting loses the keys: upload the PKCS#12 again.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ValidationError


class UnsealError(ValidationError):
    """A ValidationError, so the upload or the signing that meets it is refused in Thai."""


def _fernet() -> Fernet:
    secret = settings.SIGNING_KEY
    if not secret:
        raise UnsealError("ยังไม่ได้ตั้งค่า DJANGO_SIGNING_KEY จึงเก็บหรือใช้กุญแจลงลายมือชื่อดิจิทัลไม่ได้ โปรดแจ้งผู้ดูแลระบบ")
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"lao-integrity signing key",
               info=b"fernet").derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def check_configured() -> None:
    """Refuse (in Thai) before anything is read when there is no key to seal with."""
    _fernet()


def seal(private_key_der: bytes) -> str:
    return _fernet().encrypt(private_key_der).decode("ascii")


def unseal(token: str) -> bytes:
    try:
        return _fernet().decrypt(token.encode("ascii"))
    except InvalidToken as error:
        raise UnsealError("ถอดรหัสกุญแจส่วนตัวไม่ได้: DJANGO_SIGNING_KEY ไม่ตรงกับตอนอัปโหลดใบรับรอง "
                          "โปรดแจ้งผู้ดูแลระบบให้อัปโหลดใบรับรองใหม่") from error
