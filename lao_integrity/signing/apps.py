from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "lao_integrity.signing"
    label = "signing"
    verbose_name = "ลายมือชื่อดิจิทัล"
    # The page cache (lao_integrity/pagecache/declarations.py): a certificate is its organisation's.
    organisation_paths = {"SigningCertificate": "organisation"}

    def ready(self):
        import warnings

        # cryptography warns on every parse of a Thai name over 64 UTF-8 bytes (RFC 5280 bounds
        # characters, not bytes: "องค์การบริหารส่วนตำบลบ้านแหง" is 29 characters, 87 bytes).
        warnings.filterwarnings("ignore", message="Attribute's length must be", category=UserWarning)
