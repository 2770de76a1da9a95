"""The project's Celery app for the worker-loss test, unchanged but for one thing: each department
summary refresh first sleeps SLOW_SUMMARY_SECONDS (environment), so that the test can kill the
worker in the middle of a task. Started as `celery -A tests.reports.slow_worker worker`."""

import os
import time

from celery.signals import task_prerun

from config.celery import app

__all__ = ["app"]


@task_prerun.connect
def _slow_summary_refreshes(**kwargs):
    from reports import services

    if getattr(services.summary_refresh, "slowed", False):
        return
    refresh = services.summary_refresh
    delay = float(os.environ.get("SLOW_SUMMARY_SECONDS", "0"))

    def slowed(**arguments):
        time.sleep(delay)
        return refresh(**arguments)

    slowed.slowed = True
    services.summary_refresh = slowed
