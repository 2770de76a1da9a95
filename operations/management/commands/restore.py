from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, restore, verify


class Command(BaseCommand):
    help = (
        "Replace this instance's database, media and private files by a backup made with "
        "`manage.py backup`. Every checksum, the database engine and the migrations are checked "
        "before anything is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="The backup folder.")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")
        parser.add_argument("--check", action="store_true", help="Only verify the backup; change nothing.")

    def handle(self, *args, folder, interactive=True, check=False, **options):
        try:
            manifest = verify(folder)
            if check:
                self.stdout.write(self.style.SUCCESS(f"{folder}: every part matches its checksum."))
                return
            if interactive:
                answer = input(
                    f"This replaces the database and the files of this instance with the backup of "
                    f"{manifest['created_at']}. Type 'yes' to continue: "
                )
                if answer != "yes":
                    raise CommandError("Restore cancelled.")
            outcome = restore(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} in {outcome.seconds:.1f} s. "
                "Run `manage.py migrate` if this code has newer migrations, then `manage.py records_verify`."
            )
        )
