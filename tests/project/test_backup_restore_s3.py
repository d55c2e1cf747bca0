"""Backup and restore with the uploads in S3-compatible object storage (DJANGO_S3_BUCKET).

The demo's backup (from the local folder, test_backup_restore's `source`) is restored by
`manage.py restore` into an installation whose uploads live in a bucket of a local moto server: a
move from disk to object storage. The restored installation must serve the same files through the
storage API (its MEDIA_ROOT stays empty), and `manage.py backup` there must list the bucket and
give back the same files with the same hashes. A restore never replaces a different object of the
same name.
"""

import json
import tarfile
import uuid

from .test_backup_restore import INSPECT, check_restored, environment, manage, source  # noqa: F401 (fixture)


def test_restore_into_object_storage_and_back_up_from_it(source, tmp_path, s3_server):  # noqa: F811
    s3 = s3_server["client"]
    bucket, prefix = f"lao-restore-{uuid.uuid4().hex[:12]}", "portal"
    s3.create_bucket(Bucket=bucket)
    media = tmp_path / "restored-media"
    env = environment(tmp_path, f"sqlite:///{tmp_path / 'restored.sqlite3'}", media)
    env.update(s3_server["env"], DJANGO_S3_BUCKET=bucket, DJANGO_S3_PREFIX=prefix)

    # A bucket that already holds a different object of the same name is refused, and left as it was.
    clash = f"{prefix}/{next(iter(source['files']))}"
    s3.put_object(Bucket=bucket, Key=clash, Body=b"another installation's file")
    refused = manage("restore", str(source["archive"]), env=env, check=False)
    assert refused.returncode != 0 and "มีไฟล์ชื่อเดียวกันแต่เนื้อไฟล์ต่างกัน" in refused.stderr
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == [clash]
    s3.delete_object(Bucket=bucket, Key=clash)

    restored = manage("restore", str(source["archive"]), env=env)
    assert "กู้คืนเรียบร้อย" in restored.stdout and bucket in restored.stdout
    with tarfile.open(source["archive"]) as archive:
        listed = json.loads(archive.extractfile("manifest.json").read())["files"]
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
    assert keys == {f"{prefix}/{name.removeprefix('media/')}" for name in listed} and keys
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))  # nothing on this host
    output = manage("shell", "--no-imports", "-c", INSPECT.replace("EVIDENCE_URL", repr(source["evidence_url"])),
                    env=env).stdout
    check_restored(json.loads(next(line for line in output.splitlines() if line.startswith("RESULT:"))[7:]), source)

    # Backed up again from the bucket: the same files, the same hashes.
    again = tmp_path / "again.tar.gz"
    manage("backup", "-o", str(again), env=env)
    with tarfile.open(again) as second:
        after = json.loads(second.extractfile("manifest.json").read())["files"]
        assert second.extractfile("media/" + next(iter(source["files"]))).read()
    assert after == listed
