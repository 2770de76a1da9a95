"""After loading the demo city and producing every kind of file with personal data (each report
export in both formats, the compliance export, a people import, question imports, offline
evidence, certificates), MEDIA_ROOT holds only CMS images and documents, and every private file
sits under PRIVATE_ROOT with a random name that a row (or an upload's token) points to."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from accounts.models import PeopleImport
from accounts.services import people_import_check, people_import_confirm
from certificates.models import Certificate
from courses.models import CoursePage
from hours.models import OfflineTraining
from reports.models import ReportExport
from tests.factories.hours import offline_declaration

pytestmark = pytest.mark.django_db

PUBLIC_FOLDERS = {"original_images", "images", "documents"}
RANDOM_NAME = re.compile(r"[A-Za-z0-9_-]{43}\.(csv|xlsx|pdf|png|jpg|jpeg|bin)")
PEOPLE_CSV = "工号 Employee ID,姓名 Name,部门路径 Department path,职务 Position,角色 Role,邮箱 E-mail\nXT90001,赵新人,市财政局,科员,学员,\n"
GIFT = "$CATEGORY: $course$/top/信息安全\n\n::口令::下列哪个口令最安全？{=Xq7-v9Lp2!mZ ~123456}\n"


def export_requests(course, person):
    """Every background export kind with the parameters its page would send."""
    return {
        "overview_courses": {},
        "overview_units": {},
        "course_learners": {"course": course.pk},
        "learner": {"user": person.pk},
        "department_progress": {},
    }


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def demo_city(events):
    with events():
        call_command("load_demo_city", verbosity=0)


def test_no_personal_file_is_under_media_root_after_the_demo_and_every_export(
    client, demo_city, events, file_roots, settings
):
    media, private = file_roots
    User = get_user_model()
    admin, trainer = User.objects.get(username="cityadmin"), User.objects.get(username="trainer1")
    learner = User.objects.get(username="learner")
    course = CoursePage.objects.live().first()

    # Every report export, in the background (files) and at once (no file at all).
    client.force_login(admin)
    for file_format in ("csv", "xlsx"):
        for report, params in export_requests(course, learner).items():
            with events():
                response = client.post(reverse("reports:export", args=[report, file_format]), params)
            assert response.status_code == 302, (report, file_format)
            assert client.get(reverse("reports:export", args=[report, file_format]), params).status_code == 200
        assert client.get(reverse("hours:compliance_export", args=[file_format])).status_code == 200
    assert set(ReportExport.objects.values_list("status", flat=True)) == {ReportExport.Status.DONE}
    assert ReportExport.objects.count() == 10

    # A people import run to the end, and one left at its dry run.
    for confirm in (True, False):
        people_import = people_import_check(
            data=PEOPLE_CSV.encode(), filename="新进人员.csv", create_missing_departments=False, created_by=admin
        )
        if confirm:
            with events():
                people_import_confirm(people_import=people_import)

    # Question imports: one confirmed (its file is gone), one waiting for confirmation.
    client.force_login(trainer)
    for name in ("confirmed.gift", "waiting.gift"):
        preview = client.post(
            reverse("quizzes_admin:import"),
            {"file": SimpleUploadedFile(name, GIFT.encode()), "use_file_categories": "on"},
        )
        assert preview.status_code == 200 and preview.context["can_confirm"]
        if name == "confirmed.gift":
            confirmed = client.post(
                reverse("quizzes_admin:import_confirm"),
                {"token": preview.context["confirm_form"].initial["token"], "use_file_categories": "True"},
            )
            assert confirmed.status_code == 302 and "/question-bank/" not in confirmed["Location"]
    waiting_token = preview.context["confirm_form"].initial["token"]

    # Offline evidence, and every certificate drawn.
    offline_declaration(learner)
    client.force_login(learner)
    for certificate in Certificate.objects.filter(user=learner):
        assert client.get(reverse("certificates:download", args=[certificate.pk])).status_code == 200

    # MEDIA_ROOT: only what the CMS publishes.
    public = files_under(media)
    assert public, "the demo's images and documents are in public media"
    assert {path.relative_to(media).parts[0] for path in public} <= PUBLIC_FOLDERS

    # PRIVATE_ROOT: every file has a random name and belongs to a row or a waiting upload.
    named = {
        *ReportExport.objects.values_list("file", flat=True),
        *PeopleImport.objects.values_list("file", flat=True),
        *OfflineTraining.objects.values_list("attachment", flat=True),
        *Certificate.objects.exclude(pdf="").values_list("pdf", flat=True),
        f"question-imports/{waiting_token}.bin",
    }
    stored = {str(path.relative_to(private)) for path in files_under(private)}
    assert stored == named - {""}
    assert all(RANDOM_NAME.fullmatch(Path(name).name) for name in stored), stored
    assert {name.split("/")[0] for name in stored} == {
        "exports",
        "people-imports",
        "question-imports",
        "offline-evidence",
        "certificates",
    }
    learner_codes = set(Certificate.objects.filter(user=learner).values_list("code", flat=True))
    assert not any(code in name for code in learner_codes for name in stored)
