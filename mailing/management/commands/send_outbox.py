import time

from django.core.management.base import BaseCommand

from mailing.outbox import send_due


class Command(BaseCommand):
    help = "Send queued e-mail that is due (run every minute, or with --loop as a worker)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, checking every --interval seconds")
        parser.add_argument("--interval", type=int, default=30)

    def handle(self, *args, **options):
        while True:
            sent, failed = send_due()
            if sent or failed:
                self.stdout.write(f"sent {sent}, not sent {failed}")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
