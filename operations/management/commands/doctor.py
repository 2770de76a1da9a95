from django.core.management.base import BaseCommand, CommandError

from operations.doctor import PROBLEM, diagnose


class Command(BaseCommand):
    help = "Check this configuration for production and say plainly what is wrong (exit status 1 on a problem)."

    def handle(self, *args, **options):
        findings = diagnose()
        for finding in findings:
            style = self.style.ERROR if finding.level == PROBLEM else self.style.WARNING
            self.stdout.write(style(f"{finding.level.upper():8} {finding.topic}: {finding.message}"))
        problems = sum(finding.level == PROBLEM for finding in findings)
        warnings = len(findings) - problems
        if problems:
            raise CommandError(f"{problems} problem(s), {warnings} warning(s).")
        self.stdout.write(self.style.SUCCESS(f"No problem found ({warnings} warning(s))."))
