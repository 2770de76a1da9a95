import io
import re

import pytest
from pypdf import PdfReader

from courses.services import step_complete
from tests.factories import UserFactory, build_course, course_steps


@pytest.fixture(autouse=True)
def _private_files(settings, file_roots):
    settings.SITE_BASE_URL = "https://training.example.gov.cn"


@pytest.fixture
def zhang(db):
    return UserFactory(username="zhangwei", display_name="张伟", employee_id="E20261234")


@pytest.fixture
def security_course(catalogue):
    return build_course(catalogue, steps=2, title="信息安全基础", slug="security-basics")


@pytest.fixture
def complete(django_capture_on_commit_callbacks):
    """Completes every step of a course as the services do, running the on-commit tasks
    (the PDF is rendered by eager Celery)."""

    def run(user, course):
        with django_capture_on_commit_callbacks(execute=True):
            for step in course_steps(course):
                step_complete(user=user, step=step)

    return run


def pdf_text(data: bytes) -> str:
    """The PDF's text without whitespace: pypdf reads fpdf2's two-byte glyph codes with a NUL
    (or a space) before each character, which poppler's pdftotext does not."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"[\s\x00]+", "", "".join(page.extract_text() for page in reader.pages))


def pdf_font_names(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    return [str(font.get_object()["/BaseFont"]) for font in fonts.values()]
