"""Test settings for a worker that takes back a killed worker's tasks within seconds: Redis gives
an unacknowledged task to another worker after CELERY_VISIBILITY_TIMEOUT (set small by the test),
and this worker looks for such tasks every second instead of every ~100 s."""

from config.settings.test import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
