from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from demo.loader import load_demo_city


class Command(BaseCommand):
    help = "Load the demo city (departments, ~1,500 civil servants, courses, progress). Safe to run again."

    def handle(self, *args, **options):
        report = load_demo_city()
        if report.created:
            summary = ", ".join(f"{what}: {count}" for what, count in report.created.items())
            self.stdout.write(self.style.SUCCESS(_("Demo city loaded (created %(summary)s).") % {"summary": summary}))
        else:
            self.stdout.write(_("Demo city already loaded; nothing changed."))
