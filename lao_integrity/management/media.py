"""Where `backup` reads and `restore` writes the uploaded files: a folder, or the storage itself.

`--media-root` names a folder; without it the files are where the portal keeps them: MEDIA_ROOT when
the default storage is the local disk, else (DJANGO_S3_BUCKET) the bucket, listed and read and
written through Django's storage API, never through a path. Both answer the same few questions, so
the commands' checks (hashes, no file replaced, nothing written outside) are the same for each.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, default_storage

CHUNK = 1024 * 1024


class OutsideRoot(ValueError):
    """A name that would land outside the folder (checked after resolving links)."""


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


class Folder:
    """Files under a folder on this host; links are never followed out of it."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.label = str(self.root)

    def holds(self, path: Path) -> bool:
        return path.resolve().is_relative_to(self.root.resolve())

    def files(self, warn: Callable[[str], None]) -> Iterator[tuple[str, Callable[[], bytes], float | None]]:
        """(relative posix name, reader, mtime) of every regular file; links are skipped with a warning."""
        if not self.root.is_dir():
            return
        for directory, dirnames, filenames in os.walk(self.root, followlinks=False):
            dirnames.sort()
            for filename in sorted(filenames):
                path = Path(directory) / filename
                relative = path.relative_to(self.root).as_posix()
                if path.is_symlink() or not path.is_file():
                    warn(f"ข้ามไฟล์ {relative}: เป็นลิงก์หรือไม่ใช่ไฟล์ปกติ")
                    continue
                yield relative, path.read_bytes, path.stat().st_mtime

    def target(self, relative: str) -> Path:
        root = self.root.resolve()
        target = (self.root / relative).resolve()
        if not target.is_relative_to(root) or target == root:
            raise OutsideRoot(relative)
        return target

    def state(self, relative: str) -> str | None:
        """None when nothing has the name; the SHA-256 of a regular file; "" for anything else."""
        target = self.target(relative)
        if not (target.exists() or target.is_symlink()):
            return None
        if target.is_symlink() or not target.is_file():
            return ""
        return self.sha256(relative) or ""

    def sha256(self, relative: str) -> str | None:
        try:
            with open(self.root / relative, "rb") as handle:
                return _sha256(handle)
        except OSError:
            return None

    def has(self, relative: str) -> bool:
        return (self.root / relative).is_file()

    def write(self, relative: str, source, mtime: float | None) -> Callable[[], None]:
        """Write a new file (never replacing one); returns what removes it again."""
        target = self.target(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.parent.resolve().is_relative_to(self.root.resolve()):
            raise OutsideRoot(relative)
        with open(target, "xb") as handle:  # never follows or replaces an existing file or link
            while chunk := source.read(CHUNK):
                handle.write(chunk)
        if mtime is not None:
            os.utime(target, (mtime, mtime))
        return lambda: target.unlink(missing_ok=True)


class Stored:
    """Files of a Django storage that is not this host's disk (an S3-compatible bucket)."""

    def __init__(self, storage):
        self.storage = storage
        bucket = getattr(storage, "bucket_name", "")
        location = getattr(storage, "location", "")
        self.label = f"{type(storage).__name__} {bucket}/{location}".rstrip("/")

    def holds(self, path: Path) -> bool:
        return False  # a bucket holds no file of this host

    def _walk(self, directory: str) -> Iterator[str]:
        dirs, files = self.storage.listdir(directory)
        for name in sorted(files):
            yield f"{directory}/{name}" if directory else name
        for sub in sorted(dirs):
            yield from self._walk(f"{directory}/{sub}" if directory else sub)

    def files(self, warn: Callable[[str], None]) -> Iterator[tuple[str, Callable[[], bytes], float | None]]:
        for name in self._walk(""):
            yield name, lambda name=name: self._read(name), None

    def _read(self, name: str) -> bytes:
        with self.storage.open(name, "rb") as handle:
            return handle.read()

    def state(self, relative: str) -> str | None:
        return self.sha256(relative) if self.storage.exists(relative) else None

    def sha256(self, relative: str) -> str | None:
        try:
            with self.storage.open(relative, "rb") as handle:
                return _sha256(handle)
        except (OSError, ValueError):
            return None

    def has(self, relative: str) -> bool:
        return self.storage.exists(relative)

    def write(self, relative: str, source, mtime: float | None) -> Callable[[], None]:
        saved = self.storage.save(relative, File(source, name=relative))
        if saved != relative:  # the storage chose another name: something took this one meanwhile
            self.storage.delete(saved)
            raise FileExistsError(relative)
        return lambda: self.storage.delete(relative)


def media_of(media_root: str | None) -> Folder | Stored:
    """The folder given, else where the portal keeps its uploads."""
    if media_root:
        return Folder(Path(media_root))
    if isinstance(default_storage, FileSystemStorage):  # the lazy object answers for the storage it wraps
        return Folder(Path(settings.MEDIA_ROOT))
    return Stored(default_storage)
