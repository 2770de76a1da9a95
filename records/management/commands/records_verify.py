import time

from django.core.management.base import BaseCommand, CommandError

from records.services import records_verify


class Command(BaseCommand):
    help = (
        "Recompute every derived learning record from the raw facts (progress rows, best scores, "
        "required-learning completion, hour entries, certificate validity, department summaries and "
        "monthly counts), list every mismatch and exit non-zero if there is any. With --repair, fix "
        "each one (an audit entry per repair) and check again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Fix the mismatches, with an audit entry each.")

    def handle(self, *args, repair=False, **options):
        started = time.monotonic()
        result = records_verify(repair=repair)
        for problem in result.problems:
            self.stderr.write(problem)
        seconds = time.monotonic() - started
        if repair and result.repairs:
            self.stdout.write(f"Repaired {len(result.repairs)} records (see the audit log).")
            for problem in result.remaining:
                self.stderr.write(f"still wrong: {problem}")
        if not result.clean:
            raise CommandError(f"{len(result.remaining or result.problems)} mismatches ({seconds:.1f} s).")
        self.stdout.write(f"Every derived record matches the raw facts ({seconds:.1f} s).")
