"""An organisation's signing certificate: the PKCS#12 an administrator uploads, kept as its
certificate chain (public, PEM) and its private key sealed with DJANGO_SIGNING_KEY (sealing.py).

One per organisation rather than per signer: the announcement is the organisation's act, the
executive who signs changes with elections and acting posts, and one certificate per อปท. is what
an administrator can obtain and renew. The signer's name stays in the document and on the record.
"""

from django.db import models
from django.utils import timezone

from lao_integrity import records


class SigningCertificate(models.Model):
    organisation = models.OneToOneField("orgs.Organisation", on_delete=models.PROTECT,
                                        related_name="signing_certificate", verbose_name="อปท.")
    subject = models.CharField("ชื่อผู้ถือใบรับรอง", max_length=500)
    issuer = models.CharField("ผู้ออกใบรับรอง", max_length=500)
    serial_number = models.CharField("หมายเลขใบรับรอง", max_length=100)
    fingerprint_sha256 = models.CharField("ลายนิ้วมือใบรับรอง", max_length=95,
                                          help_text="ค่า SHA-256 ของใบรับรอง ใช้เทียบกับที่ผู้ออกใบรับรองแจ้ง")
    not_before = models.DateTimeField("ใช้ได้ตั้งแต่")
    not_after = models.DateTimeField("ใช้ได้ถึง")
    # The signing certificate first, then the rest of its chain: public, so kept as it is.
    certificate_chain_pem = models.TextField("ใบรับรองและสายใบรับรอง")
    # A Fernet token of the PKCS#8 private key: never the key itself.
    sealed_private_key = models.TextField("กุญแจส่วนตัว (เข้ารหัสแล้ว)")
    uploaded_by = records.acting_user("ผู้อัปโหลด")
    uploaded_at = models.DateTimeField("อัปโหลดเมื่อ", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "ใบรับรองสำหรับลงลายมือชื่อดิจิทัล"
        ordering = ["organisation__name"]

    def __str__(self):
        return f"{self.organisation.name}: {self.subject}"

    def is_valid_at(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.not_before <= moment <= self.not_after
