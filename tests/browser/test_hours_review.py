"""The decision buttons on course hours waiting for review (hours:review_decide), pressed in
Chromium: a completion whose verified study time fell short of the rule waits for the learner's
head, who approves it (the hours count) or rejects it with a reason (they never count), on the
pending page and on the integrity report. A reject without a reason comes back with the error on
the page it was sent from and decides nothing; a head of another department gets neither the card
nor the decision. Each test checks the entry, the audit log and the learner's hours in the database."""

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.services import step_complete
from hours import selectors
from hours.models import HourEntry
from notifications.models import Notification
from tests.browser.test_study_time import PASSWORD
from tests.factories.reports import build_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PENDING_PAGE = "/hours/offline/pending/"
INTEGRITY_PAGE = "/hours/integrity/"


@pytest.fixture
def city(settings, catalogue):
    # The test settings switch the verified-time rule off; these tests need it on.
    settings.STUDY_TIME_HOURS_SHARE = 0.5
    return build_city(catalogue, per_unit=2, courses=1)


def complete_without_study(learner, city) -> HourEntry:
    """The learner marks every step done with no verified study time: the hours wait for review."""
    course = city.courses[0]
    for step in city.steps[course.pk]:
        step_complete(user=learner, step=step)
    entry = HourEntry.objects.get(user=learner, course=course, source=HourEntry.Source.COURSE_COMPLETION)
    assert entry.review == HourEntry.Review.PENDING
    return entry


def card(page, entry):
    return page.locator("section.card", has=page.locator(f"#review-{entry.pk}"))


def review_logs(entry):
    return ModelLogEntry.objects.filter(action__startswith="hours.review_", object_id=str(entry.pk))


def counted_hours(learner) -> dict:
    """What the learner's hours count, by course and as the year's total (My hours' one rule)."""
    year = timezone.localdate().year
    return {
        "by_course": selectors.learner_course_hours(user_id=learner.pk),
        "total": selectors.learner_year(user=learner, year=year, target=50).total,
    }


def test_a_head_approves_one_completion_and_rejects_another_on_the_pending_page(visitor, city):
    approved_learner, rejected_learner = city.learners["budget"]
    to_approve = complete_without_study(approved_learner, city)
    to_reject = complete_without_study(rejected_learner, city)
    course = city.courses[0]
    # Pending hours count nowhere yet.
    assert counted_hours(approved_learner) == {"by_course": {}, "total": 0}

    visitor.log_in("head.finance", PASSWORD)
    visitor.goto(PENDING_PAGE)
    page = visitor.page
    assert "Verified study time 0 min of 30 min expected; the rule asks for 50%." in card(page, to_approve).inner_text()

    visitor.click(card(page, to_approve).get_by_role("button", name="Approve"))
    assert page.url.endswith(PENDING_PAGE)
    assert page.get_by_role("status").get_by_text("The decision was saved.").is_visible()
    assert card(page, to_approve).count() == 0  # decided: no longer waiting
    to_approve.refresh_from_db()
    assert (to_approve.review, to_approve.reviewed_by_id, to_approve.review_reason) == (
        HourEntry.Review.APPROVED,
        city.finance_head.pk,
        "",
    )
    assert to_approve.reviewed_at is not None and to_approve.revoked_at is None
    assert counted_hours(approved_learner) == {"by_course": {course.pk: to_approve.hours}, "total": to_approve.hours}
    [approved_log] = review_logs(to_approve)
    assert (approved_log.action, approved_log.user_id, approved_log.data["reason"]) == (
        "hours.review_approved",
        city.finance_head.pk,
        "",
    )

    card(page, to_reject).get_by_label("Reason (required to reject)").fill("两分钟学完全部课程")
    visitor.click(card(page, to_reject).get_by_role("button", name="Reject"))
    assert page.url.endswith(PENDING_PAGE)
    assert page.get_by_role("status").get_by_text("The decision was saved.").is_visible()
    assert page.get_by_text("No course hours are waiting for review.").is_visible()
    to_reject.refresh_from_db()
    assert (to_reject.review, to_reject.reviewed_by_id, to_reject.review_reason) == (
        HourEntry.Review.REJECTED,
        city.finance_head.pk,
        "两分钟学完全部课程",
    )
    # Rejected hours are kept on the ledger (the learner sees them) but count nowhere.
    assert to_reject.revoked_at is None
    assert counted_hours(rejected_learner) == {"by_course": {}, "total": 0}
    [rejected_log] = review_logs(to_reject)
    assert (rejected_log.action, rejected_log.user_id, rejected_log.data["reason"]) == (
        "hours.review_rejected",
        city.finance_head.pk,
        "两分钟学完全部课程",
    )
    # The first decision stands, written once.
    to_approve.refresh_from_db()
    assert to_approve.review == HourEntry.Review.APPROVED and review_logs(to_approve).count() == 1
    # The product notifies learners of offline decisions only; a review decision writes no notification.
    assert not Notification.objects.exists()


def test_a_reject_without_a_reason_comes_back_with_the_error_and_decides_nothing(visitor, city):
    learner, other = city.learners["budget"]
    entry = complete_without_study(learner, city)
    untouched = complete_without_study(other, city)

    visitor.log_in("head.finance", PASSWORD)
    visitor.goto(PENDING_PAGE)
    page = visitor.page
    visitor.click(card(page, entry).get_by_role("button", name="Reject"), expect_status=400)
    assert page.get_by_role("heading", name="Offline training to decide", level=1).is_visible()
    assert card(page, entry).get_by_role("alert").inner_text().strip() == "Give a reason for the rejection."
    assert card(page, untouched).get_by_role("alert").count() == 0
    assert page.get_by_role("status").count() == 0  # no "saved" message
    for waiting in (entry, untouched):
        waiting.refresh_from_db()
        assert (waiting.review, waiting.reviewed_by_id, waiting.reviewed_at) == (HourEntry.Review.PENDING, None, None)
    assert not ModelLogEntry.objects.filter(action__startswith="hours.review_").exists()

    # The form that came back works: with a reason the rejection is saved.
    card(page, entry).get_by_label("Reason (required to reject)").fill("学习时间不足")
    visitor.click(card(page, entry).get_by_role("button", name="Reject"))
    assert page.url.endswith(PENDING_PAGE)
    entry.refresh_from_db()
    assert (entry.review, entry.review_reason) == (HourEntry.Review.REJECTED, "学习时间不足")
    assert review_logs(entry).count() == 1


def test_a_head_rejects_pending_hours_on_the_integrity_report(visitor, city):
    learner = city.learners["treasury"][0]
    entry = complete_without_study(learner, city)

    visitor.log_in("head.finance", PASSWORD)
    visitor.goto(INTEGRITY_PAGE)
    page = visitor.page

    # Without a reason: the integrity report comes back with the error, nothing is decided.
    visitor.click(card(page, entry).get_by_role("button", name="Reject"), expect_status=400)
    assert page.get_by_role("heading", name="Study integrity", level=1).is_visible()
    assert card(page, entry).get_by_role("alert").inner_text().strip() == "Give a reason for the rejection."
    entry.refresh_from_db()
    assert entry.review == HourEntry.Review.PENDING
    assert review_logs(entry).count() == 0

    card(page, entry).get_by_label("Reason (required to reject)").fill("内容未实际学习")
    visitor.click(card(page, entry).get_by_role("button", name="Reject"))
    # Back on the integrity report, where the decision was made.
    assert page.url.endswith(INTEGRITY_PAGE)
    assert page.get_by_role("status").get_by_text("The decision was saved.").is_visible()
    assert card(page, entry).count() == 0
    entry.refresh_from_db()
    assert (entry.review, entry.reviewed_by_id, entry.review_reason) == (
        HourEntry.Review.REJECTED,
        city.finance_head.pk,
        "内容未实际学习",
    )
    assert counted_hours(learner) == {"by_course": {}, "total": 0}
    [log] = review_logs(entry)
    assert (log.action, log.user_id) == ("hours.review_rejected", city.finance_head.pk)


def test_a_head_of_another_department_can_neither_see_nor_decide_the_hours(visitor, city):
    entry = complete_without_study(city.learners["budget"][0], city)

    visitor.log_in("head.police", PASSWORD)
    visitor.goto(PENDING_PAGE)
    page = visitor.page
    assert card(page, entry).count() == 0
    assert page.get_by_text("No course hours are waiting for review.").is_visible()

    # The same form a finance head gets, sent from the police head's browser with their own
    # CSRF token: the server answers 404 and changes nothing.
    page.evaluate(
        """([action]) => {
          const form = document.createElement("form");
          form.method = "post";
          form.action = action;
          const fields = {
            csrfmiddlewaretoken: document.querySelector("input[name=csrfmiddlewaretoken]").value,
            decision: "approve",
            reason: "",
          };
          for (const [name, value] of Object.entries(fields)) {
            const input = document.createElement("input");
            input.type = "hidden";
            input.name = name;
            input.value = value;
            form.append(input);
          }
          document.body.append(form);
          form.id = "forged";
        }""",
        [f"/hours/reviews/{entry.pk}/decide/"],
    )
    with page.expect_navigation():
        page.evaluate("() => document.getElementById('forged').submit()")
    visitor.settle(expect_status=404)
    entry.refresh_from_db()
    assert (entry.review, entry.reviewed_by_id) == (HourEntry.Review.PENDING, None)
    assert review_logs(entry).count() == 0
