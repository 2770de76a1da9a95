"""The data migrations move files kept before the private storage existed: exports, people
imports and offline evidence out of public media, certificates out of CERTIFICATE_ROOT, waiting
question uploads out of media/quiz-imports/. Each row then names a random file under PRIVATE_ROOT
with the same content; nothing personal is left under MEDIA_ROOT; running it again moves nothing."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps

from accounts.models import PeopleImport
from certificates.models import Certificate
from hours.models import OfflineTraining
from reports.models import ReportExport

pytestmark = pytest.mark.django_db


def migration(label: str):
    return importlib.import_module(label).move_files


def put(root: Path, name: str, content: bytes) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def files_under(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()} if root.exists() else set()


@pytest.fixture
def migrate(events):
    def run(label: str):
        with events():  # the originals are deleted once the migration's transaction commits
            migration(label)(apps, None)

    return run


def test_exports_people_imports_and_evidence_leave_public_media(city, private_files, file_roots, migrate):
    media, private = file_roots
    old = {
        ReportExport: ("file", "exports/department_progress-20261201-101010.csv", b"name,score\n"),
        PeopleImport: ("file", "imports/0123456789abcdef0123456789abcdef.csv", b"employee_id\n"),
        OfflineTraining: ("attachment", "hours/offline/fedcba9876543210fedcba9876543210.png", b"\x89PNG"),
    }
    ReportExport.objects.filter(pk=private_files.export.pk).update(file=old[ReportExport][1])
    PeopleImport.objects.create(original_name="people.csv", file=old[PeopleImport][1], created_by=city.admin)
    OfflineTraining.objects.filter(pk=private_files.declaration.pk).update(attachment=old[OfflineTraining][1])
    for _field, name, content in old.values():
        put(media, name, content)
    put(media, "exports/overview_units-20261130-090000.csv", b"a deleted export's file")  # no row names it
    put(media, "original_images/diagram.png", b"\x89PNG")  # CMS content stays

    for label in ("reports", "accounts", "hours"):
        migrate(f"{label}.migrations.0003_private_files")

    assert files_under(media) == {"original_images/diagram.png"}
    moved = {
        ReportExport: ReportExport.objects.get(pk=private_files.export.pk).file.name,
        PeopleImport: PeopleImport.objects.get().file.name,
        OfflineTraining: OfflineTraining.objects.get(pk=private_files.declaration.pk).attachment.name,
    }
    folders = {ReportExport: "exports", PeopleImport: "people-imports", OfflineTraining: "offline-evidence"}
    for model, name in moved.items():
        folder, filename = name.split("/")
        assert folder == folders[model] and len(Path(filename).stem) == 43
        assert (private / name).read_bytes() == old[model][2]

    before = files_under(private)
    for label in ("reports", "accounts", "hours"):
        migrate(f"{label}.migrations.0003_private_files")
    assert files_under(private) == before
    assert ReportExport.objects.get(pk=private_files.export.pk).file.name == moved[ReportExport]


def test_certificates_leave_the_old_certificate_root(private_files, file_roots, migrate, monkeypatch, tmp_path):
    _media, private = file_roots
    legacy = tmp_path / "private-media" / "certificates"
    monkeypatch.setenv("CERTIFICATE_ROOT", str(legacy))
    certificate = private_files.certificate
    old_name = f"{certificate.code[:2]}/{certificate.code}.pdf"
    put(legacy, old_name, b"%PDF-1.4 old")
    Certificate.objects.filter(pk=certificate.pk).update(pdf=old_name)

    migrate("certificates.migrations.0002_private_files")

    certificate.refresh_from_db()
    assert certificate.pdf.name.startswith("certificates/") and certificate.code not in certificate.pdf.name
    assert (private / certificate.pdf.name).read_bytes() == b"%PDF-1.4 old"
    assert not (legacy / old_name).exists()


def test_waiting_question_uploads_keep_their_token(file_roots, migrate):
    media, private = file_roots
    token = "A" * 43
    put(media, f"quiz-imports/{token}.bin", b"::q:: 1+1? {=2 ~3}")
    migrate("quizzes.migrations.0003_private_question_imports")
    assert (private / "question-imports" / f"{token}.bin").read_bytes() == b"::q:: 1+1? {=2 ~3}"
    assert files_under(media) == set()
