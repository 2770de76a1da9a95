"""Writes of the credit-hour ledger. Entries are written in the transaction of the event that
earns them (hours.receivers), so a completion and its hours commit or roll back together."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts.scope import user_scope
from assignments.models import LearnerAssignment
from courses.models import CoursePage, QuizStepPage

from .models import DECLARED_ONCE_MESSAGE, HourEntry, IntegrityReview, OfflineTraining
from .rules import EARNED, HourRules, course_completion_hours, final_exam_bonus, make_rules, verified_time_review
from .signals import offline_training_decided

REVOKED_ACTION = "hours.revoked"
RESTORED_ACTION = "hours.restored"
OFFLINE_APPROVED_ACTION = "hours.offline_approved"
OFFLINE_REJECTED_ACTION = "hours.offline_rejected"
REVIEW_APPROVED_ACTION = "hours.review_approved"
REVIEW_REJECTED_ACTION = "hours.review_rejected"
INTEGRITY_ACTION = "hours.integrity_reviewed"


def hour_rules() -> HourRules:
    """The city's rules from the settings (config/settings/base.py, HOURS_*)."""
    return make_rules(
        annual_target=getattr(settings, "HOURS_ANNUAL_TARGET", 50),
        length_bands=getattr(settings, "HOURS_LENGTH_BANDS", [(30, "1"), (15, "0.5"), (0, "0.25")]),
        final_quiz_bonus=getattr(settings, "HOURS_FINAL_QUIZ_BONUS", "0.5"),
        use_course_value=getattr(settings, "HOURS_USE_COURSE_VALUE", True),
    )


def _required_user_ids(*, course_id: int, user_ids=None) -> set[int]:
    rows = LearnerAssignment.objects.filter(assignment__course_id=course_id, assignment__active=True)
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    return set(rows.values_list("user_id", flat=True).distinct())


def course_kind(*, user_id: int, course: CoursePage) -> str:
    """Required when the course is required of the person (an active assignment gave it to
    them), elective otherwise."""
    if _required_user_ids(course_id=course.pk, user_ids=[user_id]):
        return HourEntry.Kind.REQUIRED
    return HourEntry.Kind.ELECTIVE


def hours_reclassify_course(*, course_id: int) -> int:
    """After a course is assigned (or an assignment is withdrawn), the course's entries follow:
    required for the people it is required of, elective for the rest. Two updates; idempotent."""
    sources = [HourEntry.Source.COURSE_COMPLETION, HourEntry.Source.QUIZ_BONUS]
    required = LearnerAssignment.objects.filter(assignment__course_id=course_id, assignment__active=True).values(
        "user_id"
    )
    entries = HourEntry.objects.filter(course_id=course_id, source__in=sources)
    changed = (
        entries.filter(user_id__in=required).exclude(kind=HourEntry.Kind.REQUIRED).update(kind=HourEntry.Kind.REQUIRED)
    )
    changed += (
        entries.exclude(user_id__in=required).exclude(kind=HourEntry.Kind.ELECTIVE).update(kind=HourEntry.Kind.ELECTIVE)
    )
    return changed


def hours_reclassify_person(*, user_id: int, course_ids) -> int:
    """A person's required courses changed: their entries of those courses follow (the same rule as
    hours_reclassify_course, for one person)."""
    changed = 0
    for course_id in course_ids:
        kind = (
            HourEntry.Kind.REQUIRED
            if _required_user_ids(course_id=course_id, user_ids=[user_id])
            else HourEntry.Kind.ELECTIVE
        )
        changed += (
            HourEntry.objects.filter(
                user_id=user_id,
                course_id=course_id,
                source__in=[HourEntry.Source.COURSE_COMPLETION, HourEntry.Source.QUIZ_BONUS],
            )
            .exclude(kind=kind)
            .update(kind=kind)
        )
    return changed


def _hours_share() -> float:
    return float(getattr(settings, "STUDY_TIME_HOURS_SHARE", 0.5))


def completion_review_fields(*, course: CoursePage, active_seconds: int) -> dict:
    """The verified-time rule for a course completion's entry: its review (earned, or pending the
    head's review) and the figures behind it, kept on the entry for the ledger and the head."""
    share = _hours_share()
    expected = int(course.estimated_minutes or 0) * 60
    review = verified_time_review(active_seconds=active_seconds, expected_seconds=expected, share=share)
    return {
        "review": HourEntry.Review.EARNED if review == EARNED else HourEntry.Review.PENDING,
        "active_seconds": active_seconds,
        "expected_seconds": expected,
        "share_percent": round(share * 100),
    }


def _completion_review(*, user_id: int, course: CoursePage) -> dict:
    from courses.selectors import live_step_ids
    from studytime.selectors import course_verified_seconds

    active = course_verified_seconds(user_id=user_id, course_id=course.pk, step_ids=live_step_ids(course=course))
    return completion_review_fields(course=course, active_seconds=active)


def _year(moment: datetime.datetime) -> int:
    return timezone.localtime(moment).year


def hours_course_completed(*, user_id: int, course: CoursePage, completed_at: datetime.datetime) -> HourEntry:
    """The entry for a completed course: created once (the unique constraint makes a second
    completion the same row); a revoked one is restored, with an audit entry. Its hours count only
    when the verified active time meets the rule (completion_review_fields); otherwise the entry
    waits for the head's review (hours_review_decide). A restored entry the head has not decided
    on is judged again with the time studied since; a head's decision stands."""
    with transaction.atomic():
        entry, created = HourEntry.objects.select_for_update().get_or_create(
            user_id=user_id,
            course=course,
            source=HourEntry.Source.COURSE_COMPLETION,
            defaults={
                "year": _year(completed_at),
                "earned_on": timezone.localdate(completed_at),
                "hours": course_completion_hours(
                    credit_hours=course.credit_hours, estimated_minutes=course.estimated_minutes, rules=hour_rules()
                ),
                "kind": course_kind(user_id=user_id, course=course),
                **_completion_review(user_id=user_id, course=course),
            },
        )
        if not created and entry.revoked_at is not None:
            entry.revoked_at = None
            entry.revoke_reason = ""
            entry.year = _year(completed_at)
            entry.earned_on = timezone.localdate(completed_at)
            fields = ["revoked_at", "revoke_reason", "year", "earned_on"]
            if entry.review in (HourEntry.Review.EARNED, HourEntry.Review.PENDING):
                for name, value in _completion_review(user_id=user_id, course=course).items():
                    setattr(entry, name, value)
                fields += ["review", "active_seconds", "expected_seconds", "share_percent"]
            entry.save(update_fields=fields)
            log(instance=entry, action=RESTORED_ACTION, data={"course": course.pk, "hours": str(entry.hours)})
    return entry


def hours_course_completion_revoked(*, user_id: int, course_id: int, reason: str = "") -> HourEntry | None:
    """A completion set back to not completed: its entry no longer counts (kept, marked revoked),
    and Wagtail's audit log says so."""
    with transaction.atomic():
        entry = (
            HourEntry.objects.select_for_update()
            .filter(
                user_id=user_id,
                course_id=course_id,
                source=HourEntry.Source.COURSE_COMPLETION,
                revoked_at__isnull=True,
            )
            .first()
        )
        if entry is None:
            return None
        entry.revoked_at = timezone.now()
        entry.revoke_reason = (reason or _("The course completion was revoked."))[:250]
        entry.save(update_fields=["revoked_at", "revoke_reason"])
        log(
            instance=entry,
            action=REVOKED_ACTION,
            data={"course": course_id, "hours": str(entry.hours), "reason": entry.revoke_reason},
        )
    return entry


def hours_final_exam_passed(
    *, user_id: int, course: CoursePage, passed_at: datetime.datetime, kind: str | None = None
) -> HourEntry | None:
    """The bonus for passing a course's final exam, once per person and course. `kind`: the
    person's kind of the course (course_kind), when the caller has it."""
    bonus = final_exam_bonus(passed=True, rules=hour_rules())
    if bonus <= 0:
        return None
    entry, _created = HourEntry.objects.get_or_create(
        user_id=user_id,
        course=course,
        source=HourEntry.Source.QUIZ_BONUS,
        defaults={
            "year": _year(passed_at),
            "earned_on": timezone.localdate(passed_at),
            "hours": bonus,
            # Called only when the bonus is created: a pass after the completion found it.
            "kind": kind or (lambda: course_kind(user_id=user_id, course=course)),
        },
    )
    return entry


def hours_final_exam_bonus_at_completion(
    *, user_id: int, course: CoursePage, kind: str | None = None
) -> HourEntry | None:
    """The bonus of a final exam the learner passed before the course was completed. When the final
    exam is the last step, its pass completes the course before hours hears of the pass, and the
    certificate is issued at completion: awarding the bonus here puts it in the ledger first, so
    the certificate and every page show the same hours. Idempotent (one bonus per course)."""
    from quizzes.selectors import first_pass_at

    final_quiz_ids = QuizStepPage.objects.live().child_of(course).filter(kind=QuizStepPage.Kind.FINAL_EXAM)
    passed_at = first_pass_at(user_id=user_id, quiz_ids=final_quiz_ids.values("quiz_id"))
    if passed_at is None:
        return None
    return hours_final_exam_passed(user_id=user_id, course=course, passed_at=passed_at, kind=kind)


def hours_final_exam_bonuses_sync(*, course_id: int) -> int:
    """Bonuses of completed learners who passed one of the course's live final exams and have
    none: after the outline changed (a final exam published again, or moved in from another
    course). The same rule as the bonus at completion; idempotent. Returns the bonuses written."""
    from courses.models import CourseProgress
    from quizzes.selectors import first_pass_at

    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None or final_exam_bonus(passed=True, rules=hour_rules()) <= 0:
        return 0
    final_quiz_ids = list(
        QuizStepPage.objects.live()
        .child_of(course)
        .filter(kind=QuizStepPage.Kind.FINAL_EXAM)
        .values_list("quiz_id", flat=True)
    )
    if not final_quiz_ids:
        return 0
    with_bonus = HourEntry.objects.filter(course_id=course_id, source=HourEntry.Source.QUIZ_BONUS).values("user_id")
    candidates = CourseProgress.objects.filter(course_id=course_id, completed_at__isnull=False).exclude(
        user_id__in=with_bonus
    )
    written = 0
    for user_id in candidates.values_list("user_id", flat=True):
        passed_at = first_pass_at(user_id=user_id, quiz_ids=final_quiz_ids)
        if passed_at is not None:
            hours_final_exam_passed(user_id=user_id, course=course, passed_at=passed_at)
            written += 1
    return written


def hours_sync_course_completions(*, course_id: int) -> int:
    """Entries for completed progress rows that have none: a recompute writes progress in bulk
    (no post_save), and it may complete a course when a step is removed. Two queries."""
    from courses.models import CourseProgress

    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        return 0
    has_entry = HourEntry.objects.filter(course_id=course_id, source=HourEntry.Source.COURSE_COMPLETION).values(
        "user_id"
    )
    missing = CourseProgress.objects.filter(course_id=course_id, completed_at__isnull=False).exclude(
        user_id__in=has_entry
    )
    rules = hour_rules()
    hours = course_completion_hours(
        credit_hours=course.credit_hours, estimated_minutes=course.estimated_minutes, rules=rules
    )
    completions = list(missing.values_list("user_id", "completed_at"))
    required = _required_user_ids(course_id=course_id) if completions else set()
    # Flushed time only (a recompute, not a completion in this request): one grouped query.
    from studytime.selectors import verified_seconds_by_course

    active = (
        verified_seconds_by_course(course_id=course_id, user_ids=[user_id for user_id, _at in completions])
        if completions
        else {}
    )
    entries = [
        HourEntry(
            user_id=user_id,
            course_id=course_id,
            source=HourEntry.Source.COURSE_COMPLETION,
            year=_year(completed_at),
            earned_on=timezone.localdate(completed_at),
            hours=hours,
            kind=HourEntry.Kind.REQUIRED if user_id in required else HourEntry.Kind.ELECTIVE,
            **completion_review_fields(course=course, active_seconds=active.get(user_id, 0)),
        )
        for user_id, completed_at in completions
    ]
    HourEntry.objects.bulk_create(entries, ignore_conflicts=True)
    return len(entries)


# Offline training -------------------------------------------------------------------------------


def offline_declare(
    *,
    user,
    course_name: str,
    start_date: datetime.date,
    end_date: datetime.date,
    hours: Decimal,
    attachment,
) -> OfflineTraining:
    declaration = OfflineTraining(
        user=user,
        course_name=course_name,
        start_date=start_date,
        end_date=end_date,
        hours=hours,
        attachment=attachment,
    )
    declaration.full_clean()  # the same training declared before is refused here, with its message
    try:
        with transaction.atomic():
            declaration.save()
    except IntegrityError:
        # The same form sent twice at once: both passed full_clean, the constraint let one in.
        declaration.attachment.delete(save=False)
        raise ValidationError(DECLARED_ONCE_MESSAGE) from None
    return declaration


def is_learners_head(*, approver, learner) -> bool:
    """Who decides on a learner's hours: the learner's own heads (the learner's department lies in
    the head's subtree) and city administrators; never the learner themself. One rule for offline
    declarations, hours pending review and integrity findings."""
    if approver.pk == learner.pk:
        return False
    scope = user_scope(approver)
    if scope.everything:
        return True
    return bool(approver.is_department_head) and scope.contains(learner.department)


def can_decide(*, approver, declaration: OfflineTraining) -> bool:
    return is_learners_head(approver=approver, learner=declaration.user)


def _require_reason_to_reject(*, rejected: bool, reason: str) -> None:
    if rejected and not reason:
        raise ValidationError({"reason": _("Give a reason for the rejection.")})


def _offline_entry_fields(declaration: OfflineTraining) -> dict:
    """The hour entry an approved declaration earns."""
    return {
        "user_id": declaration.user_id,
        "year": declaration.end_date.year,
        "earned_on": declaration.end_date,
        "hours": declaration.hours,
        "kind": HourEntry.Kind.ELECTIVE,
        "source": HourEntry.Source.OFFLINE,
    }


def offline_decide(*, declaration: OfflineTraining, approver, approve: bool, reason: str = "") -> OfflineTraining:
    """Approve (an entry of source offline is written) or reject (a reason is required) a
    pending declaration, and announce the decision (hours.signals) in the same transaction."""
    reason = (reason or "").strip()
    if not can_decide(approver=approver, declaration=declaration):
        raise PermissionDenied(_("Only the learner's own heads may decide on this declaration."))
    _require_reason_to_reject(rejected=not approve, reason=reason)
    with transaction.atomic():
        locked = OfflineTraining.objects.select_for_update().get(pk=declaration.pk)
        if locked.status != OfflineTraining.Status.PENDING:
            raise ValidationError(_("This declaration has already been decided."))
        locked.status = OfflineTraining.Status.APPROVED if approve else OfflineTraining.Status.REJECTED
        locked.decided_by = approver
        locked.decided_at = timezone.now()
        locked.reason = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        if approve:
            HourEntry.objects.get_or_create(offline=locked, defaults=_offline_entry_fields(locked))
        log(
            instance=locked,
            action=OFFLINE_APPROVED_ACTION if approve else OFFLINE_REJECTED_ACTION,
            user=approver,
            data={"hours": str(locked.hours), "reason": reason},
        )
        # Inside the transaction: the learner's notification commits with the decision.
        offline_training_decided.send(sender=OfflineTraining, declaration=locked)
    return locked


# Completions waiting for review ----------------------------------------------------------------


def can_review(*, approver, entry: HourEntry) -> bool:
    return is_learners_head(approver=approver, learner=entry.user)


def _record_review(*, entry: HourEntry, approver, approve: bool, reason: str) -> None:
    """The one write of a decision on a completion's hours (locked by the caller), audited."""
    entry.review = HourEntry.Review.APPROVED if approve else HourEntry.Review.REJECTED
    entry.reviewed_by, entry.reviewed_at, entry.review_reason = approver, timezone.now(), reason
    entry.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_reason"])
    log(
        instance=entry,
        action=REVIEW_APPROVED_ACTION if approve else REVIEW_REJECTED_ACTION,
        user=approver,
        data={
            "course": entry.course_id,
            "hours": str(entry.hours),
            "active_seconds": entry.active_seconds,
            "expected_seconds": entry.expected_seconds,
            "reason": reason,
        },
    )


def hours_review_decide(*, entry: HourEntry, approver, approve: bool, reason: str = "") -> HourEntry:
    """Approve (the hours count from now on) or reject (a reason is required; the hours never
    count) a completion whose verified time fell short of the rule. Audited like every decision
    on the ledger."""
    reason = (reason or "").strip()
    if not can_review(approver=approver, entry=entry):
        raise PermissionDenied(_("Only the learner's own heads may decide on these hours."))
    _require_reason_to_reject(rejected=not approve, reason=reason)
    with transaction.atomic():
        locked = HourEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.review != HourEntry.Review.PENDING:
            raise ValidationError(_("These hours have already been decided."))
        _record_review(entry=locked, approver=approver, approve=approve, reason=reason)
    return locked


def integrity_decide(*, approver, finding, decision: str, reason: str = "") -> IntegrityReview:
    """A head's decision on an integrity finding (hours.integrity.Finding of a learner in their
    scope, checked by the caller): accepted, or hours rejected, which marks the completion entries
    of the finding's courses rejected (counted nowhere). Decided once; audited."""
    from django.contrib.auth import get_user_model

    reason = (reason or "").strip()
    learner = get_user_model().objects.select_related("department").get(pk=finding.user_id)
    if not is_learners_head(approver=approver, learner=learner):
        raise PermissionDenied(_("Only the learner's own heads may decide on these hours."))
    if decision not in IntegrityReview.Decision.values:
        raise ValidationError({"decision": _("Choose a decision.")})
    _require_reason_to_reject(rejected=decision == IntegrityReview.Decision.HOURS_REJECTED, reason=reason)
    with transaction.atomic():
        review, created = IntegrityReview.objects.get_or_create(
            user=learner,
            kind=finding.kind,
            key=finding.key,
            defaults={"course_ids": finding.course_ids, "decision": decision, "reason": reason, "decided_by": approver},
        )
        if not created:
            raise ValidationError(_("This finding has already been decided."))
        if decision == IntegrityReview.Decision.HOURS_REJECTED:
            entries = HourEntry.objects.select_for_update().filter(
                user=learner,
                course_id__in=finding.course_ids,
                source=HourEntry.Source.COURSE_COMPLETION,
                revoked_at__isnull=True,
            )
            for entry in entries.exclude(review=HourEntry.Review.REJECTED):
                _record_review(entry=entry, approver=approver, approve=False, reason=reason)
        log(
            instance=review,
            action=INTEGRITY_ACTION,
            user=approver,
            data={"kind": finding.kind, "courses": finding.course_ids, "decision": decision, "reason": reason},
        )
    return review


def hours_records_repair(*, key: tuple) -> int:
    """Bring one part of the ledger back to what the facts say (hours.verify names the parts):
    ("course", user, course) a completion entry follows the completion, ("bonus", user, course)
    the final-exam bonus, ("kind", course) required or elective, ("offline", declaration) the
    entry of an approved declaration. Idempotent; the services write their own audit entries."""
    from courses.models import CourseProgress

    what = key[0]
    with transaction.atomic():
        if what == "course":
            _what, user_id, course_id = key
            completed_at = (
                CourseProgress.objects.filter(user_id=user_id, course_id=course_id, completed_at__isnull=False)
                .values_list("completed_at", flat=True)
                .first()
            )
            course = CoursePage.objects.filter(pk=course_id).first()
            if completed_at is not None and course is not None:
                hours_course_completed(user_id=user_id, course=course, completed_at=completed_at)
                return 1
            return int(hours_course_completion_revoked(user_id=user_id, course_id=course_id) is not None)
        if what == "bonus":
            _what, user_id, course_id = key
            course = CoursePage.objects.filter(pk=course_id).first()
            return int(
                course is not None and hours_final_exam_bonus_at_completion(user_id=user_id, course=course) is not None
            )
        if what == "kind":
            return hours_reclassify_course(course_id=key[1])
        if what == "offline":
            declaration = OfflineTraining.objects.get(pk=key[1])
            if declaration.status == OfflineTraining.Status.APPROVED:
                _entry, created = HourEntry.objects.get_or_create(
                    offline=declaration, defaults=_offline_entry_fields(declaration)
                )
                return int(created)
            deleted, _detail = HourEntry.objects.filter(offline=declaration).delete()
            return deleted
    raise ValueError(f"Unknown part of the ledger: {key!r}")
