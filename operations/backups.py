"""`manage.py backup` and `manage.py restore`: the database, the public media and the private files
of one instance, as a folder that can be copied off the machine and restored on another.

A backup folder holds `database.dump` (pg_dump's custom format) or `database.sqlite3` (SQLite's
online backup API, consistent while the site writes), `media.tar` and `private.tar`, and
`manifest.json`: the format, when and from what it was made, each part's size and sha256, and
the migrations applied to the database. `restore` reads the manifest and checks every part's
checksum, the database engine and the migrations against this code *before* it touches
anything, then replaces the database and both folders. A folder is swapped in whole (extracted
beside it, then renamed), so a failed extraction leaves the old files in place.

The database parts are made by PostgreSQL's own tools (pg_dump, pg_restore) rather than
`dumpdata`/`loaddata`: they keep ids, sequences and constraints exactly, and are fast on a city."""

import dataclasses
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
# The folders that are backed up, by part name: read from settings on every use (tests move them).
FOLDERS = {"media": "MEDIA_ROOT", "private": "PRIVATE_ROOT"}
# The restored folders' own modes: media is published by the web server; private files are for the
# application's user and group only (privatefiles.storage).
FOLDER_MODES = {"media": 0o755, "private": 0o750}


class BackupError(Exception):
    """A backup that cannot be made or restored; the message says why, for the operator."""


@dataclasses.dataclass
class Outcome:
    folder: Path
    manifest: dict
    seconds: float


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def applied_migrations() -> dict[str, list[str]]:
    recorder = MigrationRecorder(connection)
    applied: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _pg_environment() -> tuple[list[str], dict]:
    """Connection options for pg_dump/pg_restore from the default database's settings (the
    password through the environment, never on the command line)."""
    db = settings.DATABASES["default"]
    options = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        options += ["--host", db["HOST"]]
    if db.get("PORT"):
        options += ["--port", str(db["PORT"])]
    if db.get("USER"):
        options += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return options, env


def _run(command: list[str], env: dict | None = None) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _dump_database(target: Path) -> str:
    vendor = connection.vendor
    if vendor == "postgresql":
        options, env = _pg_environment()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *options], env)
    elif vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    else:
        raise BackupError(f"backing up a {vendor} database is not supported")
    return vendor


def _tar_folder(root: Path, target: Path) -> int:
    """Every file under `root`, with paths relative to it; returns the number of files."""
    count = 0
    with tarfile.open(target, "w") as archive:
        if root.exists():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=str(path.relative_to(root)), recursive=False)
                    count += 1
    return count


def backup(destination: Path) -> Outcome:
    """Write a new backup folder `destination` (which must not exist yet)."""
    started = time.monotonic()
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"{destination} exists already: a backup is written into a new folder")
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=destination.parent))
    try:
        database_file = work / ("database.dump" if connection.vendor == "postgresql" else "database.sqlite3")
        vendor = _dump_database(database_file)
        parts = {"database": {"file": database_file.name}}
        for part, setting in FOLDERS.items():
            files = _tar_folder(Path(getattr(settings, setting)), work / f"{part}.tar")
            parts[part] = {"file": f"{part}.tar", "files": files}
        for part in parts.values():
            path = work / part["file"]
            part.update(size=path.stat().st_size, sha256=sha256_of(path))
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database_vendor": vendor,
            "parts": parts,
            "migrations": applied_migrations(),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        work.rename(destination)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Outcome(destination, manifest, time.monotonic() - started)


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise BackupError(f"{path} is missing: not a backup folder") from None
    except ValueError as error:
        raise BackupError(f"{path} is not valid JSON: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} (this code reads {FORMAT})")
    return manifest


def verify(folder: Path) -> dict:
    """Every check that can fail before anything is changed; returns the manifest."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    parts = manifest.get("parts", {})
    if set(parts) != {"database", *FOLDERS}:
        raise BackupError(f"the manifest lists parts {sorted(parts)}, expected database, media and private")
    for name, part in parts.items():
        path = folder / Path(part["file"]).name
        if not path.is_file():
            raise BackupError(f"part {name}: {path.name} is missing")
        if path.stat().st_size != part["size"] or sha256_of(path) != part["sha256"]:
            raise BackupError(f"part {name}: {path.name} does not match its checksum in the manifest")
    if manifest["database_vendor"] != connection.vendor:
        raise BackupError(
            f"the backup is of a {manifest['database_vendor']} database; this instance uses {connection.vendor}"
        )
    # A backup made by newer code has migrations this code does not know: restoring it would give a
    # schema the code cannot use. Older backups are fine (`migrate` brings them forward).
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names]
    unknown = [label for label in unknown if tuple(label.split(".", 1)) not in known]
    if unknown:
        raise BackupError(f"the backup has migrations this code does not know: {', '.join(unknown[:10])}")
    return manifest


def _restore_database(path: Path) -> None:
    connections.close_all()
    if connection.vendor == "postgresql":
        options, env = _pg_environment()
        # --clean --if-exists drops what the backup holds before creating it (an empty database as
        # well as the live one); one transaction, so a failed restore leaves the database as it was.
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
        _run([*command, *options, str(path)], env)
    else:
        source = sqlite3.connect(path)
        destination = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        try:
            source.backup(destination)
        finally:
            source.close()
            destination.close()


def _restore_folder(archive_path: Path, root: Path, *, mode: int) -> None:
    root = Path(root)
    root.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{root.name}-restoring-", dir=root.parent))
    try:
        with tarfile.open(archive_path) as archive:
            # The "data" filter refuses absolute paths, links out of the folder and device files.
            archive.extractall(fresh, filter="data")  # noqa: S202
        fresh.chmod(mode)
        if root.exists():
            old = root.with_name(f".{root.name}-replaced-{os.getpid()}")
            root.rename(old)
            fresh.rename(root)
            shutil.rmtree(old)
        else:
            fresh.rename(root)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise


def restore(folder: Path) -> Outcome:
    started = time.monotonic()
    folder = Path(folder)
    manifest = verify(folder)
    parts = manifest["parts"]
    _restore_database(folder / parts["database"]["file"])
    for part, setting in FOLDERS.items():
        _restore_folder(folder / parts[part]["file"], Path(getattr(settings, setting)), mode=FOLDER_MODES[part])
    return Outcome(folder, manifest, time.monotonic() - started)
