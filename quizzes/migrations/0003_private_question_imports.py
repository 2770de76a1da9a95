from django.db import migrations


def move_files(apps, schema_editor):
    # Question-import uploads waiting for confirmation were kept in public media under
    # quiz-imports/<token>.bin; they keep their token (the uploader's session holds it).
    from privatefiles.moves import clear_folder, public_media
    from privatefiles.storage import private_storage

    source, target = public_media(), private_storage()
    try:
        _folders, files = source.listdir("quiz-imports")
    except FileNotFoundError:
        return
    for filename in files:
        if filename.endswith(".bin") and not target.exists(f"question-imports/{filename}"):
            with source.open(f"quiz-imports/{filename}", "rb") as handle:
                target.save(f"question-imports/{filename}", handle)
    clear_folder(source, "quiz-imports")


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0002_questiontag_question_tags")]

    operations = [migrations.RunPython(move_files, migrations.RunPython.noop)]
