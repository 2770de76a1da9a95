"""Writes of notifications: the daily reminders, the heads' weekly digest, marking read, and the
one e-mail each notification gets.

A notification is created at most once per person and key (a unique constraint), and its e-mail
is sent only for a newly created row, after the transaction commits. A failed e-mail leaves the
row (the person still sees it on the site) with `emailed_at` empty; the next daily run retries
that row, never a new one."""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.scope import Scope
from assignments import selectors as assignment_selectors
from config.language import plural_number
from outbox.services import enqueue_now

from . import rules, selectors
from .models import Notification

logger = logging.getLogger(__name__)

# A digest lists this many overdue courses; the rest are on the overdue page it links to.
DIGEST_MAX_LINES = 50


def _forget_unread(user_id: int) -> None:
    cache.delete(selectors.unread_cache_key(user_id))


def _after_create(notification_id: int, recipient_id: int) -> None:
    from .tasks import send_notification_email  # the tasks module imports this one

    _forget_unread(recipient_id)
    enqueue_now(send_notification_email, notification_id)


def notification_create(
    *,
    recipient_id: int,
    kind: str,
    dedupe_key: str,
    title: str,
    body: str = "",
    link: str = "",
    items: list[dict] | None = None,
    language: str,
) -> tuple[Notification, bool]:
    """The person's notification with this key: created (and e-mailed after commit) unless it
    exists. When two workers create it at once the unique constraint decides: the second insert
    waits for the first to commit, fails, and returns the first's row without an e-mail."""
    with transaction.atomic():
        existing = Notification.objects.filter(recipient_id=recipient_id, dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing, False
        notification = Notification(
            recipient_id=recipient_id,
            kind=kind,
            dedupe_key=dedupe_key,
            title=title[:255],
            body=body,
            link=link,
            items=items or [],
            language=language,
        )
        # The recipient exists (it was just read) and the database enforces the key.
        notification.full_clean(exclude=["recipient"], validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                notification.save(force_insert=True)
        except IntegrityError:
            return Notification.objects.get(recipient_id=recipient_id, dedupe_key=dedupe_key), False
        # robust: an e-mail that cannot even be queued must not undo or stop the job.
        transaction.on_commit(partial(_after_create, notification.pk, recipient_id), robust=True)
    return notification, True


def _absolute(link: str) -> str:
    return settings.SITE_BASE_URL.rstrip("/") + link if link.startswith("/") else link


def _email_message(notification: Notification) -> EmailMultiAlternatives:
    recipient = notification.recipient
    with translation.override(notification.language):
        site_name = _("City E-Government Training")
        context = {
            "name": recipient.get_full_name(),
            "kind": notification.kind,
            "title": notification.title,
            "body": notification.body,
            "items": [{**item, "link": _absolute(item.get("link") or "")} for item in notification.items],
            "link": _absolute(notification.link),
            "notifications_url": _absolute(reverse("notifications:list")),
            "site_name": site_name,
        }
        # A header may not contain line breaks; a course title might.
        subject = f"[{site_name}] {' '.join(notification.title.split())}"
        text = render_to_string("notifications/email/notification.txt", context)
        html = render_to_string("notifications/email/notification.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    return message


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail a notification that has not been e-mailed. The row stays locked while the message
    goes out, so a retry running at the same moment waits, then finds it sent. A failure is
    counted and logged and the row kept for the next daily run; True when the e-mail went."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not (notification.recipient.is_active and notification.recipient.email):
            return False
        sent = False
        try:
            _email_message(notification).send()
            sent = True
        except Exception:  # any backend failure: count it, keep the row for the retry
            logger.exception("notification %s: the e-mail could not be sent", notification_id)
        Notification.objects.filter(pk=notification_id).update(
            email_attempts=F("email_attempts") + 1, emailed_at=timezone.now() if sent else None
        )
    return sent


def notification_emails_retry(*, now: datetime.datetime | None = None) -> int:
    """Send the e-mails that failed (or were never queued) in the last NOTIFICATION_EMAIL_RETRY_DAYS,
    each at most NOTIFICATION_EMAIL_MAX_ATTEMPTS times in all. Returns how many went."""
    now = now or timezone.now()
    ids = selectors.unsent_email_ids(
        since=now - datetime.timedelta(days=settings.NOTIFICATION_EMAIL_RETRY_DAYS),
        max_attempts=settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS,
    )
    return sum(notification_email_send(notification_id=pk) for pk in ids)


def _reminder_text(*, course_title: str, due_on: datetime.date, today: datetime.date) -> tuple[str, str]:
    """Title and body in the active language; the days are counted from today, so a reminder
    sent a day late still says how long is really left."""
    days_left = (due_on - today).days
    values = {"course": course_title, "date": date_format(due_on, "DATE_FORMAT"), "days": abs(days_left)}
    if days_left > 0:
        title = _("Reminder: “%(course)s” is due on %(date)s") % values
        sentence = (
            ngettext(
                "The required course “%(course)s” is due in %(days)d day, on %(date)s.",
                "The required course “%(course)s” is due in %(days)d days, on %(date)s.",
                days_left,
            )
            % values
        )
    elif days_left == 0:
        title = _("Due today: “%(course)s”") % values
        sentence = _("The required course “%(course)s” is due today (%(date)s).") % values
    else:
        title = _("Overdue: “%(course)s”") % values
        sentence = (
            ngettext(
                "The required course “%(course)s” was due on %(date)s and is %(days)d day overdue.",
                "The required course “%(course)s” was due on %(date)s and is %(days)d days overdue.",
                -days_left,
            )
            % values
        )
    return title, "\n".join([sentence, _("Please finish it on the training platform.")])


def _course_link(course) -> str:
    # The course page; its list of required courses when the page cannot be routed.
    return course.url or reverse("assignments:mine")


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind every person with an open required course whose reminder day (REMINDER_DAYS before
    or after its due date) is today, or was missed within REMINDER_CATCH_UP_DAYS (rules). Running
    it again the same day, or on the days after, sends nothing twice. Returns how many were created."""
    today = today or timezone.localdate()
    offsets, catch_up = settings.REMINDER_DAYS, settings.REMINDER_CATCH_UP_DAYS
    due = []
    for row in assignment_selectors.open_rows_due_on(
        dates=rules.reminder_due_dates(today=today, offsets=offsets, catch_up_days=catch_up)
    ):
        offset = rules.reminder_offset(due_on=row.due_at, today=today, offsets=offsets, catch_up_days=catch_up)
        if offset is not None:
            due.append((row, rules.reminder_key(learner_assignment_id=row.pk, offset=offset)))
    # Skip the ones already sent without rendering them (the constraint would refuse them anyway).
    sent = selectors.existing_keys(keys=[key for _row, key in due])
    due = [(row, key) for row, key in due if (row.user_id, key) not in sent]
    languages = selectors.preferred_languages(user_ids={row.user_id for row, _key in due})
    links: dict[int, str] = {}
    created = 0
    for row, key in due:
        course = row.assignment.course
        if course.pk not in links:
            links[course.pk] = _course_link(course)
        language = languages[row.user_id]
        with translation.override(language):
            title, body = _reminder_text(course_title=course.title, due_on=row.due_at, today=today)
        _notification, was_created = notification_create(
            recipient_id=row.user_id,
            kind=Notification.Kind.REMINDER,
            dedupe_key=key,
            title=title,
            body=body,
            link=links[course.pk],
            language=language,
        )
        created += was_created
    return created


def _digest_text(*, rows: list, today: datetime.date) -> tuple[str, str, list[dict]]:
    """Title, body and list (one item per overdue person and course: their name linking to their
    learner report, then unit, course, due date and days overdue), in the active language."""
    people = len({row.user_id for row in rows})
    title = ngettext(
        "Weekly digest: %(count)d person in your units is overdue",
        "Weekly digest: %(count)d people in your units are overdue",
        people,
    ) % {"count": people}
    body = [_("These people in your units have not finished a required course by its due date:")]
    items = []
    for row in rows[:DIGEST_MAX_LINES]:
        days = (today - row.due_at).days
        text = ngettext(
            "%(unit)s · “%(course)s” · due %(date)s · %(days)d day overdue",
            "%(unit)s · “%(course)s” · due %(date)s · %(days)d days overdue",
            days,
        ) % {
            "unit": row.user.department.display_name,
            "course": row.assignment.course.title,
            "date": date_format(row.due_at, "DATE_FORMAT"),
            "days": days,
        }
        items.append(
            {
                "label": row.user.get_full_name(),
                "text": text,
                "link": reverse("reports:learner", args=[row.user_id]),
            }
        )
    if len(rows) > DIGEST_MAX_LINES:
        body.append(_("…and %(count)d more; see the full list on the site.") % {"count": len(rows) - DIGEST_MAX_LINES})
    return title, "\n".join(body), items


def digests_send(*, today: datetime.date | None = None) -> int:
    """Send each department head the overdue people of their department and every unit under it,
    once per ISO week; a head with nobody overdue gets nothing. Returns how many were created."""
    today = today or timezone.localdate()
    heads = list(selectors.digest_heads())
    keys = {head.pk: rules.digest_key(head_id=head.pk, today=today) for head in heads}
    sent = selectors.existing_keys(keys=keys.values())
    heads = [head for head in heads if (head.pk, keys[head.pk]) not in sent]
    if not heads:
        return 0
    # Every overdue row once, shared out by department path: a constant number of queries.
    rows = [
        row
        for row in assignment_selectors.overdue_rows(scope=Scope(everything=True), today=today)
        if row.user.department is not None
    ]
    languages = selectors.preferred_languages(user_ids=keys)
    link = reverse("assignments:overdue")
    created = 0
    for head in heads:
        theirs = [
            row for row in rows if rules.path_in_subtree(path=row.user.department.path, root_path=head.department.path)
        ]
        if not theirs:
            continue
        with translation.override(languages[head.pk]):
            title, body, items = _digest_text(rows=theirs, today=today)
        _notification, was_created = notification_create(
            recipient_id=head.pk,
            kind=Notification.Kind.DIGEST,
            dedupe_key=keys[head.pk],
            title=title,
            body=body,
            link=link,
            items=items,
            language=languages[head.pk],
        )
        created += was_created
    return created


def offline_decision_notify(*, declaration) -> tuple[Notification, bool]:
    """Tell the learner their head's decision on an offline-training declaration, in the learner's
    language, with the reason of a rejection. Called inside the deciding transaction (hours
    announces the decision), so the notification commits with it and its e-mail goes after the
    commit; the key makes a decision notify once whatever calls it again."""
    language = selectors.preferred_languages(user_ids=[declaration.user_id])[declaration.user_id]
    approved = declaration.status == declaration.Status.APPROVED
    values = {
        "course": declaration.course_name,
        "hours": f"{declaration.hours.normalize():f}",
        "head": declaration.decided_by.get_full_name() if declaration.decided_by else "",
        "reason": declaration.reason,
    }
    with translation.override(language):
        if approved:
            title = _("Your offline training “%(course)s” was approved") % values
            body = ngettext(
                "%(head)s approved it: %(hours)s hour was added to your credit hours.",
                "%(head)s approved it: %(hours)s hours were added to your credit hours.",
                plural_number(declaration.hours),
            ) % values
        else:
            title = _("Your offline training “%(course)s” was not approved") % values
            body = "\n".join(
                [
                    _("%(head)s did not approve it.") % values,
                    _("Reason: %(reason)s") % values,
                    _("You may declare it again with the missing details."),
                ]
            )
    return notification_create(
        recipient_id=declaration.user_id,
        kind=Notification.Kind.OFFLINE_DECISION,
        dedupe_key=rules.offline_decision_key(declaration_id=declaration.pk),
        title=title,
        body=body,
        link=reverse("hours:mine"),
        language=language,
    )


def notification_mark_read(*, user, notification_id: int) -> bool:
    """Mark one of the person's own notifications read. False when they have no such
    notification: someone else's is indistinguishable from one that does not exist."""
    own = Notification.objects.filter(pk=notification_id, recipient_id=user.pk)
    if not own.filter(read_at__isnull=True).update(read_at=timezone.now()) and not own.exists():
        return False
    transaction.on_commit(partial(_forget_unread, user.pk))
    return True


def notifications_mark_all_read(*, user) -> int:
    marked = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(read_at=timezone.now())
    transaction.on_commit(partial(_forget_unread, user.pk))
    return marked
