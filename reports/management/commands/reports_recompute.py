from django.core.management.base import BaseCommand, CommandError

from reports.services import summaries_compute, summaries_mismatches, summaries_store, summaries_stored


class Command(BaseCommand):
    help = (
        "Recompute every department course summary and monthly completion count from the raw "
        "CourseProgress rows. With --check, change nothing: compare the stored rows with the "
        "recompute and exit non-zero listing every mismatch."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Compare only; exit 1 on any mismatch.")

    def handle(self, *args, check=False, **options):
        expected = summaries_compute()
        if check:
            problems = summaries_mismatches(expected, summaries_stored())
            if problems:
                for problem in problems:
                    self.stderr.write(problem)
                raise CommandError(f"{len(problems)} stored rows differ from the recompute.")
            self.stdout.write(f"{len(expected.summaries)} summaries and {len(expected.months)} monthly rows match.")
            return
        summaries_store(expected)
        self.stdout.write(f"Stored {len(expected.summaries)} summaries and {len(expected.months)} monthly rows.")
