"""WhiteNoise's compressed manifest storage, each static file's address worked out once per process.

The page frame names five static files on every page; each {% static %} looked its name up in the
manifest and rebuilt the address. The manifest is read when the storage is made and does not
change while the process runs (collectstatic writes a new one for the next start), so the address
of a name is the same every time; a name missing from the manifest still raises every time.
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses: dict[tuple, str] = {}

    def url(self, name, force=False):
        key = (name, force, settings.DEBUG)
        address = self._addresses.get(key)
        if address is None:
            if len(self._addresses) >= 4096:  # a name with a query string ("a.css?v=…") is a new key
                self._addresses.clear()
            address = self._addresses[key] = super().url(name, force)
        return address
