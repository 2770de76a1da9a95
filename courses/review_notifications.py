"""One e-mail per course review, not one per step (courses.review).

Wagtail e-mails reviewers when something is submitted to them and the requester when it is
approved or rejected, once per page. A course review that carries five steps would send six of
each. These notifiers are Wagtail's own, quiet while courses.review is acting on the steps for
their course; they are connected under Wagtail's dispatch uids before wagtail.admin connects its
own (this app's ready() runs first: it is listed earlier in INSTALLED_APPS), so Wagtail's
connection is skipped as a duplicate. A test counts the e-mails, so a change of order shows."""

from wagtail.admin import mail
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

from .review import acting_for_course


class QuietForCarriedStepsMixin:
    def can_handle(self, instance, **kwargs):
        return not acting_for_course() and super().can_handle(instance, **kwargs)


class TaskSubmittedNotifier(QuietForCarriedStepsMixin, mail.GroupApprovalTaskStateSubmissionEmailNotifier):
    pass


class WorkflowSubmittedNotifier(QuietForCarriedStepsMixin, mail.WorkflowStateSubmissionEmailNotifier):
    pass


class WorkflowApprovedNotifier(QuietForCarriedStepsMixin, mail.WorkflowStateApprovalEmailNotifier):
    pass


class WorkflowRejectedNotifier(QuietForCarriedStepsMixin, mail.WorkflowStateRejectionEmailNotifier):
    pass


# The dispatch uids wagtail.admin.signal_handlers.register_signal_handlers uses.
NOTIFIERS = [
    (task_submitted, TaskState, TaskSubmittedNotifier, "group_approval_task_submitted_email_notification"),
    (workflow_submitted, WorkflowState, WorkflowSubmittedNotifier, "workflow_state_submitted_email_notification"),
    (workflow_rejected, WorkflowState, WorkflowRejectedNotifier, "workflow_state_rejected_email_notification"),
    (workflow_approved, WorkflowState, WorkflowApprovedNotifier, "workflow_state_approved_email_notification"),
]


def connect() -> None:
    for signal, sender, notifier_class, dispatch_uid in NOTIFIERS:
        # Strong references: nothing else holds these notifier instances.
        signal.connect(notifier_class(), sender=sender, dispatch_uid=dispatch_uid, weak=False)
