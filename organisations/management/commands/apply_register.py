from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from organisations.register import RegisterError, apply_register, read_merges


class Command(BaseCommand):
    help = (
        "Apply a new CBS municipality register. Municipalities that disappear must be listed in a merge map "
        "(CSV with old_code,new_code); they stay in the database, inactive and linked to their successor."
    )

    def add_arguments(self, parser):
        parser.add_argument("register", type=Path, help="the new gemeenten.csv (same columns as the bundled one)")
        parser.add_argument("--merges", type=Path, help="CSV with old_code,new_code")

    def handle(self, *args, register: Path, merges: Path | None, **options):
        try:
            result = apply_register(register, read_merges(merges) if merges else {})
        except (RegisterError, OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Register applied: {created} created, {updated} updated, {merged} merged".format(**result))
