from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.demo import load_demo_data
from instrument.models import InstrumentVersion


class Command(BaseCommand):
    help = "Add fictional, flagged demo respondents (development only; they count only in demo mode)."

    def handle(self, *args, **options):
        if not settings.ZELFSCAN_DEMO_MODE:
            raise CommandError("Demo data is only loaded with ZELFSCAN_DEMO_MODE=1 (never in production).")
        version = InstrumentVersion.objects.current()
        if version is None:
            raise CommandError("Load the instrument first: manage.py load_instrument")
        created = load_demo_data(version)
        self.stdout.write(f"Demo respondents: {created} created" if created else "Demo respondents: already loaded")
