"""Completions written before they followed their steps (courses.services.step_completions_follow):
a completion of a step that was later moved into another course is brought under the step's
course, where the outline, the progress and the reports look for it. The progress rows are then
recomputed by the next `records_verify --repair` or outline change; run `records_verify` after
migrating, as the README's upgrade steps say."""

from django.db import migrations

STEPLEN = 4  # wagtail.models.Page.steplen


def completions_follow_steps(apps, schema_editor):
    StepCompletion = apps.get_model("courses", "StepCompletion")
    CoursePage = apps.get_model("courses", "CoursePage")
    Page = apps.get_model("wagtailcore", "Page")
    course_at = dict(CoursePage.objects.values_list("path", "pk"))
    completed_steps = StepCompletion.objects.values("step_id")
    for step_id, path in Page.objects.filter(pk__in=completed_steps).values_list("pk", "path"):
        course_id = course_at.get(path[:-STEPLEN])
        if course_id is not None:
            StepCompletion.objects.filter(step_id=step_id).exclude(course_id=course_id).update(course_id=course_id)


class Migration(migrations.Migration):
    dependencies = [("courses", "0007_makeup_passed")]

    operations = [migrations.RunPython(completions_follow_steps, migrations.RunPython.noop)]
