from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from organisations.register import REGISTER_FILE, RegisterError, load_register


class Command(BaseCommand):
    help = "Load or update the municipality register from a CBS CSV (default: organisations/data/gemeenten.csv)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=REGISTER_FILE)

    def handle(self, *args, path: Path, **options):
        try:
            created, updated = load_register(path)
        except (RegisterError, OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Municipalities: {created} created, {updated} updated")
