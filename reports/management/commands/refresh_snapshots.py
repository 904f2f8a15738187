from django.conf import settings
from django.core.management.base import BaseCommand

from assessments.models import Response
from organisations.models import Municipality
from reports.aggregates import current_snapshot


class Command(BaseCommand):
    help = "Take a new snapshot for every municipality that has K or more new counted responses (for a daily job)."

    def handle(self, *args, **options):
        codes = Response.objects.counted().values_list("municipality_id", flat=True).distinct()
        municipalities = {m.successor() for m in Municipality.objects.filter(pk__in=codes)}
        taken = 0
        for municipality in sorted(municipalities, key=lambda m: m.pk):
            before = municipality.snapshots.filter(include_demo=settings.ZELFSCAN_DEMO_MODE).count()
            current_snapshot(municipality)
            taken += municipality.snapshots.filter(include_demo=settings.ZELFSCAN_DEMO_MODE).count() - before
        self.stdout.write(f"Snapshots taken: {taken} (of {len(municipalities)} municipalities with responses)")
