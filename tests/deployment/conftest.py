# The demo city of the journeys, loaded once per session and kept, outside a rolled-back transaction.
from tests.journeys.conftest import _django_db_helper, demo_city  # noqa: F401

# Seconds each run of the scripted day took, printed at the end of the run (tests/conftest.py).
DAY_SECONDS: dict[str, float] = {}
# A signed-in learner's lesson page, p95 in seconds, without and during an anonymous burst.
LESSON_P95: dict[str, float] = {}
