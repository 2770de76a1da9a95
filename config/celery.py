import os

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@beat_init.connect
def _beat_alive_at_start(sender, **kwargs):
    """beat runs an interval job only one interval after it starts: without this, /health/ready
    would say "beat not seen" for the first minute after a fresh start (a new Redis, a new machine)."""
    sender.app.send_task("operations.beat_alive")
