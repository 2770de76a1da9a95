import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from certificates.models import Certificate
from courses.services import step_complete
from hours.models import OfflineTraining
from reports.models import ReportExport
from reports.services import export_request
from tests.factories.hours import offline_declaration
from tests.factories.reports import build_city


@pytest.fixture(autouse=True)
def _roots(file_roots, settings):
    settings.ROOT_URLCONF = "tests.privatefiles.urls"


@pytest.fixture
def events(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def city(catalogue, events):
    with events():
        return build_city(catalogue)


def png_upload(name: str = "attendance.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue())


@dataclass
class PrivateFiles:
    export: ReportExport  # of the finance head
    certificate: Certificate  # of a learner of the budget section (under finance)
    declaration: OfflineTraining  # of the same learner


@pytest.fixture
def private_files(city, events) -> PrivateFiles:
    owner = city.learners["budget"][0]
    with events():
        export = export_request(user=city.finance_head, report="overview_courses", file_format="csv", params={})
        for step in city.steps[city.courses[0].pk]:
            step_complete(user=owner, step=step)
    declaration = offline_declaration(owner)
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE and export.file
    certificate = Certificate.objects.get(user=owner)
    assert certificate.pdf
    return PrivateFiles(export=export, certificate=certificate, declaration=declaration)
