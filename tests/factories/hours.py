"""An offline training declaration with a small PNG as its evidence, as a learner sends it."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from hours.models import OfflineTraining
from hours.services import offline_declare
from tests.factories.files import png_bytes


def offline_declaration(user, *, course_name: str = "保密培训", hours: str = "6") -> OfflineTraining:
    return offline_declare(
        user=user,
        course_name=course_name,
        start_date="2026-03-01",
        end_date="2026-03-02",
        hours=Decimal(hours),
        attachment=SimpleUploadedFile("attendance.png", png_bytes()),
    )
