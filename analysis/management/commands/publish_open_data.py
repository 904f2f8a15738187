import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import translation

from analysis import exports
from analysis.figures import current_period
from analysis.opendata import all_groups, datapackage, open_data_json, published_municipalities
from audit.services import record
from instrument.models import InstrumentVersion


class Command(BaseCommand):
    help = (
        "Write the open data set: per instrument version and period the national and peer-group aggregates as "
        "CSV and JSON, with a datapackage.json holding the licence and the column descriptions."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Writes <directory>/<version>/<period>/{aggregates.csv,...}.")
        parser.add_argument("--language", default="nl", choices=["nl", "en"], help="Language of names and texts.")

    def handle(self, *args, directory, language, **options):
        period = current_period()
        written = []
        with translation.override(language):
            for version in InstrumentVersion.objects.order_by("published_at", "id"):
                folder = Path(directory) / version.version / period.key
                folder.mkdir(parents=True, exist_ok=True)
                many = all_groups(version, period)
                municipalities = published_municipalities(version)
                (folder / "aggregates.csv").write_text(exports.csv_text(many + municipalities), encoding="utf-8")
                (folder / "aggregates.json").write_text(
                    json.dumps(open_data_json(version, many), ensure_ascii=False, indent=2), encoding="utf-8"
                )
                (folder / "datapackage.json").write_text(
                    json.dumps(datapackage(version, "", period), ensure_ascii=False, indent=2), encoding="utf-8"
                )
                written.append(str(folder))
        for folder in written:
            self.stdout.write(f"Wrote {folder}")
        record("export.open_data", actor="manage.py publish_open_data", target=str(directory), folders=len(written))
