import datetime

from django.core.management.base import BaseCommand

from assignments import services


class Command(BaseCommand):
    help = "Open the next cycle of yearly required-learning assignments whose due date has passed (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD")

    def handle(self, *args, today=None, **options):
        created = services.assignments_roll_over(today=today)
        self.stdout.write(f"{created}")
