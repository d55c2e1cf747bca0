"""lao_integrity/staticstorage.py: the address of a static file as WhiteNoise's manifest storage
gives it, worked out once; a name missing from the manifest is an error every time."""

import json

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from lao_integrity.staticstorage import ManifestStorage


@pytest.fixture
def manifest(tmp_path):
    (tmp_path / "staticfiles.json").write_text(json.dumps(
        {"version": "1.1", "hash": "x", "paths": {"css/portal.css": "css/portal.0123abcd.css",
                                                  "img/ตรา.svg": "img/ตรา.4567cdef.svg"}}))
    return tmp_path


def test_the_same_address_as_whitenoise(manifest):
    ours = ManifestStorage(location=str(manifest), base_url="/static/")
    theirs = CompressedManifestStaticFilesStorage(location=str(manifest), base_url="/static/")
    for name in ["css/portal.css", "img/ตรา.svg", "css/portal.css"]:
        assert ours.url(name) == theirs.url(name) and "0123abcd" in ours.url("css/portal.css")


def test_a_missing_name_is_an_error_every_time(manifest):
    storage = ManifestStorage(location=str(manifest), base_url="/static/")
    for _ in range(2):
        with pytest.raises(ValueError):
            storage.url("css/missing.css")
