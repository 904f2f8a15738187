from django.core.management.base import BaseCommand

from rounds.services import finalise_due_rounds


class Command(BaseCommand):
    help = "Publish the results of named rounds whose grace period has ended (for a daily job)."

    def handle(self, *args, **options):
        closed = finalise_due_rounds()
        for round_ in closed:
            self.stdout.write(f"Closed and published: {round_.municipality_id} round#{round_.pk}")
        self.stdout.write(f"Rounds closed: {len(closed)}")
