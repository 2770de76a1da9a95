"""Question text, options and feedback become sanitised HTML (see README Decisions): text
typed without markup is escaped (it shows exactly as before, line breaks kept); text that already
holds tags (Moodle imports, which showed their markup literally) is sanitised and now renders.
Versions are converted too, so attempts in progress and reviews show the same as the bank."""

from django.db import migrations

from quizzes.question_html import text_to_html

TEXT_FIELDS = ("stem", "general_feedback")
CHOICE_FIELDS = ("text", "feedback")


def _html(text):
    return text_to_html(text or "", "auto") if text else ""


def _spec_html(spec):
    spec = dict(spec)
    for name in TEXT_FIELDS:
        if spec.get(name):
            spec[name] = _html(spec[name])
    spec["choices"] = [
        {**choice, **{name: _html(choice.get(name, "")) for name in CHOICE_FIELDS}} for choice in spec.get("choices", [])
    ]
    return spec


def forwards(apps, schema_editor):
    from quizzes.question_html import sanitise_html

    def convert(model, fields):
        batch = []
        for row in model.objects.only("pk", *fields).iterator(chunk_size=500):
            for name in fields:
                setattr(row, name, sanitise_html(_html(getattr(row, name))))
            batch.append(row)
            if len(batch) >= 500:
                model.objects.bulk_update(batch, fields)
                batch = []
        if batch:
            model.objects.bulk_update(batch, fields)

    convert(apps.get_model("quizzes", "Question"), TEXT_FIELDS)
    convert(apps.get_model("quizzes", "QuestionChoice"), CHOICE_FIELDS)
    Version = apps.get_model("quizzes", "QuestionVersion")
    batch = []
    for version in Version.objects.only("pk", "spec").iterator(chunk_size=500):
        converted = _spec_html(version.spec)
        for name in TEXT_FIELDS:
            converted[name] = sanitise_html(converted.get(name, ""))
        for choice in converted["choices"]:
            for name in CHOICE_FIELDS:
                choice[name] = sanitise_html(choice[name])
        version.spec = converted
        batch.append(version)
        if len(batch) >= 500:
            Version.objects.bulk_update(batch, ["spec"])
            batch = []
    if batch:
        Version.objects.bulk_update(batch, ["spec"])


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0005_question_html")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
