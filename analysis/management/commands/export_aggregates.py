from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from analysis import exports
from analysis.catalogue import find_public_group, public_groups
from analysis.figures import current_period, many_group_aggregates
from analysis.opendata import open_data_json
from audit.services import record
from instrument.models import InstrumentVersion


class Command(BaseCommand):
    help = (
        "Write the public aggregates (the figures of the analysis page) to a CSV, XLSX or JSON file, for "
        "scheduled jobs. Default: every public group of the current instrument version."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="File to write; '-' writes CSV or JSON to standard output.")
        parser.add_argument("--format", choices=["csv", "xlsx", "json"], help="Default: from the file's extension.")
        parser.add_argument("--instrument-version", help="Instrument version (default: current).")
        parser.add_argument(
            "--group", action="append", dest="groups", help="Group key, e.g. national or province-PV26 (repeatable)."
        )
        parser.add_argument("--language", default="nl", choices=["nl", "en"], help="Language of names and topics.")

    def handle(self, *args, output, format, instrument_version, groups, language, **options):
        kind = format or Path(output).suffix.lstrip(".").lower()
        if kind not in ("csv", "xlsx", "json"):
            raise CommandError("Give --format csv, xlsx or json (or a file name ending in one of them).")
        if output == "-" and kind == "xlsx":
            raise CommandError("XLSX cannot go to standard output: give a file name.")
        with translation.override(language):
            version = self.version(instrument_version)
            chosen = self.groups(groups)
            period = current_period()
            many = many_group_aggregates(chosen, version, period)
            if kind == "csv":
                data = exports.csv_text(many).encode()
            elif kind == "xlsx":
                data = exports.xlsx_bytes(many)
            else:
                import json

                data = json.dumps(open_data_json(version, many), ensure_ascii=False, indent=2).encode()
        if output == "-":
            self.stdout.write(data.decode(), ending="")
        else:
            Path(output).write_bytes(data)
            self.stdout.write(f"Wrote {len(many)} group(s) of instrument {version.version} to {output}")
        record(
            "export.aggregates",
            actor="manage.py export_aggregates",
            target=output,
            version=version.version,
            groups=[group.key for group in chosen],
            format=kind,
        )

    def version(self, name: str | None) -> InstrumentVersion:
        version = (
            InstrumentVersion.objects.filter(version=name).first() if name else InstrumentVersion.objects.current()
        )
        if version is None:
            raise CommandError(f"No instrument version {name!r}." if name else "No instrument loaded yet.")
        return version

    def groups(self, keys: list[str] | None):
        if not keys:
            return public_groups()
        chosen = []
        for key in keys:
            group = find_public_group(key)
            if group is None:
                known = ", ".join(g.key for g in public_groups())
                raise CommandError(f"No group {key!r}. Known groups: {known}")
            chosen.append(group)
        return chosen
