"""manage.py backup / restore: a manifest with a checksum per part, and a restore that checks
everything before it touches anything. The database round trip on PostgreSQL with the demo city
is the restore drill (.ci/restore-drill, run by .ci/run)."""

import json
import tarfile

import pytest
from django.core.management import CommandError, call_command

from operations import backups

# Outside a test transaction: SQLite's backup API waits forever on a database that a transaction
# of the same (shared in-memory) database holds; a backup is never made inside one in real use.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def roots(file_roots):
    media, private = file_roots
    (media / "original_images").mkdir(parents=True)
    (media / "original_images" / "a.png").write_bytes(b"png")
    (private / "exports").mkdir(parents=True)
    (private / "exports" / "token.xlsx").write_bytes(b"xlsx")
    return media, private


def test_a_backup_lists_every_part_with_its_checksum_and_the_migrations(roots, tmp_path):
    call_command("backup", tmp_path / "backup", stdout=open("/dev/null", "w"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert set(manifest["parts"]) == {"database", "media", "private"}
    for part in manifest["parts"].values():
        assert part["sha256"] == backups.sha256_of(tmp_path / "backup" / part["file"])
    assert "0001_initial" in manifest["migrations"]["accounts"]
    with tarfile.open(tmp_path / "backup" / "private.tar") as archive:
        assert archive.getnames() == ["exports/token.xlsx"]


def test_a_backup_is_never_written_over_an_existing_folder(roots, tmp_path):
    (tmp_path / "backup").mkdir()
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", tmp_path / "backup")


def test_restore_puts_back_media_and_private_files_and_removes_newer_ones(roots, tmp_path, monkeypatch):
    media, private = roots
    backups.backup(tmp_path / "backup")
    (private / "exports" / "token.xlsx").unlink()
    (private / "exports" / "later.xlsx").write_bytes(b"later")
    # The database part is the drill's (PostgreSQL); here the files.
    monkeypatch.setattr(backups, "_restore_database", lambda path: None)
    call_command("restore", tmp_path / "backup", "--noinput", stdout=open("/dev/null", "w"))
    assert (private / "exports" / "token.xlsx").read_bytes() == b"xlsx"
    assert not (private / "exports" / "later.xlsx").exists()
    assert (media / "original_images" / "a.png").read_bytes() == b"png"
    assert private.stat().st_mode & 0o777 == 0o750


def test_restore_refuses_a_part_that_does_not_match_its_checksum_and_changes_nothing(roots, tmp_path, monkeypatch):
    media, private = roots
    backups.backup(tmp_path / "backup")
    with open(tmp_path / "backup" / "media.tar", "ab") as stream:
        stream.write(b"x")
    (private / "exports" / "later.xlsx").write_bytes(b"later")
    touched = []
    monkeypatch.setattr(backups, "_restore_database", touched.append)
    with pytest.raises(CommandError, match="media.tar does not match its checksum"):
        call_command("restore", tmp_path / "backup", "--noinput")
    assert touched == []
    assert (private / "exports" / "later.xlsx").exists()


def test_restore_refuses_a_backup_with_migrations_this_code_does_not_know(roots, tmp_path):
    backups.backup(tmp_path / "backup")
    manifest_path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["migrations"]["accounts"].append("9999_from_the_future")
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="accounts.9999_from_the_future"):
        call_command("restore", tmp_path / "backup", "--check")


def test_restore_refuses_a_backup_of_another_database_engine(roots, tmp_path):
    backups.backup(tmp_path / "backup")
    manifest_path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["database_vendor"] = "oracle"
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="backup is of a oracle database"):
        call_command("restore", tmp_path / "backup", "--check")


def test_restore_refuses_a_folder_without_a_manifest(tmp_path):
    with pytest.raises(CommandError, match="not a backup folder"):
        call_command("restore", tmp_path, "--check")
