from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from instrument.loader import ContentError, content_files, load_content, read_file, validate_content


class Command(BaseCommand):
    help = "Validate and load instrument content files (default: every file in instrument/content/)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="content files to load")
        parser.add_argument("--check", action="store_true", help="only validate, write nothing")

    def handle(self, *args, **options):
        paths = options["paths"] or content_files()
        if not paths:
            raise CommandError("No instrument content files found.")
        for path in paths:
            try:
                data = read_file(path)
                if options["check"]:
                    problems = validate_content(data)
                    if problems:
                        raise ContentError(str(path), problems)
                    self.stdout.write(f"{path.name}: valid")
                    continue
                result = load_content(data, source=str(path))
            except ContentError as exc:
                raise CommandError("\n".join([f"{path}:", *(f"  - {p}" for p in exc.problems)])) from exc
            state = "loaded" if result.created else ("updated" if result.changed else "unchanged")
            self.stdout.write(f"Instrument version {result.version}: {state}")
