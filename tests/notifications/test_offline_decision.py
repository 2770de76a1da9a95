"""A learner hears of their head's decision on an offline-training declaration: on the site and by
e-mail (after the commit), in the learner's language, with the reason of a rejection, once.
hours announces the decision (hours.signals) and notifications listens: hours never imports it."""

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from wagtail.users.models import UserProfile

from hours.models import OfflineTraining
from hours.services import offline_decide
from hours.signals import offline_training_decided
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(file_roots):
    pass


def declare(learner) -> OfflineTraining:
    return OfflineTraining.objects.create(
        user=learner,
        course_name="电子政务培训班",
        start_date="2026-03-01",
        end_date="2026-03-02",
        hours=Decimal("6"),
        attachment=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%test\n"),
    )


@pytest.fixture
def learner(city):
    return city.learners["budget"][0]


@pytest.fixture
def decide(client, django_capture_on_commit_callbacks):
    """The head decides through the page, as a browser would; the commit's e-mails run."""

    def run(head, declaration, **data):
        client.force_login(head)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("hours:decide", args=[declaration.pk]), data)

    return run


def test_an_approval_notifies_the_learner_on_the_site_and_by_email(city, learner, decide):
    declaration = declare(learner)
    assert decide(city.finance_head, declaration, decision="approve").status_code == 302
    notification = Notification.objects.get(recipient=learner)
    assert notification.kind == "offline_decision" and notification.dedupe_key == f"offline:{declaration.pk}"
    assert notification.title == "Your offline training “电子政务培训班” was approved"
    assert f"{city.finance_head.get_full_name()} approved it: 6 hours were added" in notification.body
    assert notification.link == reverse("hours:mine")
    (message,) = mail.outbox
    assert message.to == [learner.email]
    assert "Your offline training “电子政务培训班” was approved" in message.subject
    assert f"{settings.SITE_BASE_URL}/hours/" in message.body
    assert Notification.objects.get(pk=notification.pk).emailed_at is not None


def test_a_rejection_tells_the_reason(city, learner, decide):
    declaration = declare(learner)
    decide(city.finance_head, declaration, decision="reject", reason="缺少出勤证明")
    notification = Notification.objects.get(recipient=learner)
    assert notification.title == "Your offline training “电子政务培训班” was not approved"
    assert "Reason: 缺少出勤证明" in notification.body
    assert "Reason: 缺少出勤证明" in mail.outbox[0].body
    assert "缺少出勤证明" in mail.outbox[0].alternatives[0][0]


def test_the_learner_reads_it_in_their_language_whatever_the_heads(city, learner, decide, settings):
    settings.LANGUAGE_CODE = "en"
    profile = UserProfile.get_for_user(learner)
    profile.preferred_language = "zh-hans"
    profile.save()
    decide(city.finance_head, declare(learner), decision="reject", reason="缺少出勤证明")
    notification = Notification.objects.get(recipient=learner)
    assert notification.language == "zh-hans"
    assert notification.title == "您的线下培训“电子政务培训班”未通过审核"
    assert "原因：缺少出勤证明" in notification.body
    assert "未通过审核" in mail.outbox[0].subject


def test_a_decision_notifies_once_even_if_decided_or_announced_again(city, learner, django_capture_on_commit_callbacks):
    declaration = declare(learner)
    with django_capture_on_commit_callbacks(execute=True):
        decided = offline_decide(declaration=declaration, approver=city.finance_head, approve=True)
        with pytest.raises(ValidationError):  # already decided
            offline_decide(declaration=declaration, approver=city.admin, approve=False, reason="重复")
        offline_training_decided.send(sender=OfflineTraining, declaration=decided)  # a second announcement
    assert Notification.objects.filter(recipient=learner).count() == 1
    assert len(mail.outbox) == 1


def test_a_decision_rolled_back_notifies_nobody(city, learner, django_capture_on_commit_callbacks):
    declaration = declare(learner)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        with transaction.atomic():
            offline_decide(declaration=declaration, approver=city.finance_head, approve=True)
            assert Notification.objects.filter(recipient=learner).exists()  # written with the decision
            assert mail.outbox == []  # but nothing leaves before the commit
            raise RuntimeError("the request failed after deciding")
    assert callbacks == []
    assert not Notification.objects.exists() and mail.outbox == []
    assert OfflineTraining.objects.get(pk=declaration.pk).status == "pending"


def test_the_notification_page_shows_it_with_a_link_to_my_hours(client, city, learner, decide):
    decide(city.finance_head, declare(learner), decision="reject", reason="<b>缺少</b>出勤证明")
    client.force_login(learner)
    html = client.get(reverse("notifications:list")).content.decode()
    assert f'<a href="{reverse("hours:mine")}">Your offline training “电子政务培训班” was not approved</a>' in html
    assert "Reason: &lt;b&gt;缺少&lt;/b&gt;出勤证明" in html


def test_hours_does_not_import_notifications():
    # README: hours is below notifications; it announces, notifications listens.
    hours = Path(settings.BASE_DIR) / "hours"
    importers = []
    for path in hours.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            modules = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(module.split(".")[0] == "notifications" for module in modules):
                importers.append(path.name)
    assert importers == []
