from django.core.management.base import BaseCommand

from rounds.models import Round
from rounds.services import send_reminders


class Command(BaseCommand):
    help = (
        "Remind invitees who have not finished (at most one every 3 days and 3 in all, never after an "
        "opt-out) in every round that takes answers (for a daily job)."
    )

    def handle(self, *args, **options):
        total = 0
        for round_ in Round.objects.filter(kind=Round.Kind.NAMED, closed_at__isnull=True).select_related(
            "municipality"
        ):
            if round_.accepts_answers():
                total += send_reminders(round_, by="send_reminders")
        self.stdout.write(f"Reminders queued: {total}")
