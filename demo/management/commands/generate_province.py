from django.core.management.base import BaseCommand, CommandError

from demo.province import ProvinceError, ProvinceSize, generate_province


class Command(BaseCommand):
    help = (
        "Generate a synthetic province for scale tests: a tree of units (one of them, province-big, with "
        "exactly --big-department people), --learners civil servants, --courses courses under the "
        "'province-courses' catalogue and progress for every learner. Needs the demo city's home page. "
        "Refuses to run twice unless --replace, which removes the previous province first."
    )

    def add_arguments(self, parser):
        defaults = ProvinceSize()
        parser.add_argument("--learners", type=int, default=defaults.learners)
        parser.add_argument("--departments", type=int, default=defaults.departments, help="units in the tree")
        parser.add_argument("--courses", type=int, default=defaults.courses)
        parser.add_argument("--big-department", type=int, default=defaults.big_department)
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument("--replace", action="store_true", help="remove a previously generated province first")

    def handle(self, *args, **options):
        size = ProvinceSize(
            learners=options["learners"],
            departments=options["departments"],
            courses=options["courses"],
            big_department=options["big_department"],
            seed=options["seed"],
        )
        verbose = options["verbosity"] > 1
        try:
            report = generate_province(
                size=size, replace=options["replace"], progress=self.stdout.write if verbose else None
            )
        except ProvinceError as error:
            raise CommandError(str(error)) from error
        for message in report.messages:
            self.stdout.write(message)
        created = ", ".join(f"{what}: {count}" for what, count in report.created.items())
        total = sum(report.seconds.values())
        self.stdout.write(self.style.SUCCESS(f"Province generated in {total:.1f} s ({created})."))
