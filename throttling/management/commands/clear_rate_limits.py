from django.core.management.base import BaseCommand

from throttling.services import clear


class Command(BaseCommand):
    help = "Forget every rate-limit and mail-cap counter (everyone may try again at once)."

    def handle(self, *args, **options):
        clear()
        self.stdout.write("Rate-limit counters cleared.")
