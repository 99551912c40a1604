"""Backups that can be proven: the database (``pg_dump`` custom format, or SQLite's own copy) and every
file of the private store, with a manifest of their SHA-256 sums and of the audit trail's last hash.

``restore`` checks the sums, loads the database into an empty one as the owner (then gives the
portal's role its grants), puts the files back and checks the audit trail from end to end.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connections
from django.utils import timezone

DUMP = "database.dump"
SQLITE = "database.sqlite3"
FILES = "private-files.tar"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env(settings_dict: dict) -> tuple[list[str], dict]:
    args = ["-h", settings_dict.get("HOST") or "localhost", "-p", str(settings_dict.get("PORT") or 5432)]
    if settings_dict.get("USER"):
        args += ["-U", settings_dict["USER"]]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _walk(storage, directory: str = ""):
    dirs, files = storage.listdir(directory)
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(dirs):
        yield from _walk(storage, f"{directory}/{sub}" if directory else sub)


def backup_write(target: Path, *, using: str) -> dict:
    """Write the database and the private files to the new directory ``target``."""
    from activity.models import ActivityEvent

    target.mkdir(parents=True, exist_ok=False)
    connection = connections[using]
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        args, env = _pg_env(settings_dict)
        subprocess.run(  # noqa: S603 - our own settings as arguments, no shell
            [_tool("pg_dump"), *args, "--format=custom", "--file", str(target / DUMP), settings_dict["NAME"]],
            env=env,
            check=True,
        )
        database = DUMP
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target / SQLITE) as copy:
            connection.connection.backup(copy)
        database = SQLITE
    else:
        raise BackupError(f"Backups of a {connection.vendor} database are not supported.")
    storage = storages["private"]
    count = 0
    with tarfile.open(target / FILES, "w") as archive:
        if storage.exists(""):
            for name in _walk(storage):
                with storage.open(name, "rb") as handle:
                    data = handle.read()
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
                count += 1
    head = ActivityEvent.objects.using(using).order_by("-pk").values("pk", "hash").first()
    manifest = {
        "made_at": timezone.now().isoformat(),
        "database": database,
        "files": count,
        "sha256": {name: _sha256(target / name) for name in (database, FILES)},
        "audit_trail_head": head,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return manifest


def backup_restore(source: Path, *, using: str) -> dict:
    """Restore a backup into the (empty) database of ``using`` and the private store."""
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{source} is not a backup: it has no {MANIFEST}.")
    manifest = json.loads(manifest_path.read_text())
    for name, expected in manifest["sha256"].items():
        if not (source / name).exists() or _sha256(source / name) != expected:
            raise BackupError(f"{source / name} is missing or does not match its checksum: nothing was restored.")
    connection = connections[using]
    settings_dict = connection.settings_dict
    if manifest["database"] == DUMP:
        if connection.vendor != "postgresql":
            raise BackupError("This backup is of a PostgreSQL database: set DATABASE_URL to an empty PostgreSQL one.")
        if connection.introspection.table_names():
            raise BackupError(f"The database {settings_dict['NAME']} is not empty: restore into a new, empty database.")
        args, env = _pg_env(settings_dict)
        subprocess.run(  # noqa: S603 - our own settings as arguments, no shell
            [
                _tool("pg_restore"),
                *args,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "-d",
                settings_dict["NAME"],
                str(source / DUMP),
            ],
            env=env,
            check=True,
        )
        from activity.privileges import grant_after_migrate

        grant_after_migrate(sender=None, using=using)
    else:
        if connection.vendor != "sqlite":
            raise BackupError("This backup is of a SQLite database: set DATABASE_URL to a SQLite file.")
        if connection.introspection.table_names():
            raise BackupError(f"The database {settings_dict['NAME']} is not empty: restore into a new file.")
        connection.close()
        shutil.copyfile(source / SQLITE, settings_dict["NAME"])
    storage = storages["private"]
    with tarfile.open(source / FILES) as archive:
        for member in archive.getmembers():
            if not member.isfile():
                continue
            if storage.exists(member.name):
                storage.delete(member.name)
            storage.save(member.name, ContentFile(archive.extractfile(member).read()))
    return manifest


def backup_name() -> str:
    return timezone.localtime().strftime("%Y-%m-%d-%H%M%S")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path
