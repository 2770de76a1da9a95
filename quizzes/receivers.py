"""Publishing a question stores its version (issue 14 item 4): whatever published it (a reviewer's
Publish, an approval in the "Course review" workflow, a save that publishes, a scheduled publish),
Wagtail sends `published` after writing the row, and the one service that stores versions runs
there: inside the publishing transaction for the admin's publish (QuestionReviewMixin.publish_action)
and a workflow approval (Wagtail's WorkflowState.finish is atomic)."""

from django.dispatch import receiver
from wagtail.signals import published

from .models import Question
from .services import question_version_save


@receiver(published, sender=Question, dispatch_uid="quizzes_question_published_version")
def store_published_question_version(sender, instance, revision=None, **kwargs):
    # The version's author is the revision's (who wrote the change), as the audit log keeps the publisher.
    question_version_save(question=instance, user=revision.user if revision is not None else None)
