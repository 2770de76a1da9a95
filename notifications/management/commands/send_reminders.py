import datetime

from django.core.management.base import BaseCommand, CommandError

from notifications import services


class Command(BaseCommand):
    help = (
        "Send today's reminders of required courses (what the daily beat job does), and with --digest "
        "the heads' weekly overdue digest. Nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as if today were this day (YYYY-MM-DD).")
        parser.add_argument("--digest", action="store_true", help="Also send the heads' weekly digest.")

    def handle(self, *args, date=None, digest=False, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}.") from None
        retried = services.notification_emails_retry()
        reminders = services.reminders_send(today=today)
        self.stdout.write(f"reminders: {reminders} created, e-mails retried: {retried}")
        if digest:
            self.stdout.write(f"digests: {services.digests_send(today=today)} created")
