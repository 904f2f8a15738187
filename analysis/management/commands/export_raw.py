from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from analysis.raw import raw_csv, raw_rows
from audit.services import record
from instrument.models import InstrumentVersion


class Command(BaseCommand):
    help = (
        "Write the pseudonymised raw export (one row per answer; no name, address, department, area, role "
        "or note) to a CSV file, for administrators' scheduled jobs. Every run is audit-logged."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="CSV file to write; '-' for standard output.")
        parser.add_argument("--instrument-version", help="Only this version (default: all).")

    def handle(self, *args, output, instrument_version, **options):
        version = None
        if instrument_version:
            version = InstrumentVersion.objects.filter(version=instrument_version).first()
            if version is None:
                raise CommandError(f"No instrument version {instrument_version!r}.")
        rows = list(raw_rows(version))
        text = raw_csv(rows)
        if output == "-":
            self.stdout.write(text, ending="")
        else:
            Path(output).write_text(text, encoding="utf-8")
        record("export.raw", actor="command export_raw", target=instrument_version or "all", rows=len(rows))
        if output != "-":
            self.stdout.write(f"Rows written: {len(rows)}")
