from django.conf import settings
from django.core.management.base import BaseCommand

from dataprotection.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Erase name, e-mail address, domain, role and notes of everything last active more than "
        "ZELFSCAN_RETENTION_DAYS ago, in every table with personal data (run daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be erased; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        result = apply_retention(dry_run=dry_run)
        days = settings.ZELFSCAN_RETENTION_DAYS
        cutoff = f"{result.cutoff:%Y-%m-%d %H:%M %Z}"
        self.stdout.write(f"Retention period: {days} days; erasing what was last active before {cutoff}")
        for name, count in result.counts.items():
            self.stdout.write(f"  {name}: {count}")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        else:
            self.stdout.write(f"Erased {result.total} rows (logged as retention run {result.run.pk}).")
