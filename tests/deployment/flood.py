"""A burst of anonymous requests, in a process of its own so that the client measuring a learner's
page does not share an interpreter (and its GIL) with the flood:

    python -m tests.deployment.flood URL RATE THREADS STOP_FILE RESULT_FILE

THREADS clients ask for URL without cookies, RATE requests a second in all (a crawler or a class
opening the page at once; without a ceiling the flood itself would take this small machine's
cores from the servers it floods), until STOP_FILE exists (or a minute has passed); the count of
each status is then written to RESULT_FILE as JSON."""

import json
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import requests


def main(url: str, rate: float, threads: int, stop_file: Path, result_file: Path) -> None:
    statuses: Counter = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + 60
    interval = threads / rate  # each thread's share of the rate

    def anonymous():
        session = requests.Session()
        due = time.monotonic()
        while not stop_file.exists() and time.monotonic() < deadline:
            due += interval
            time.sleep(max(0.0, due - time.monotonic()))
            try:
                status = session.get(url, timeout=30).status_code
            except requests.RequestException:
                status = "error"
            session.cookies.clear()
            with lock:
                statuses[status] += 1

    workers = [threading.Thread(target=anonymous) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    result_file.write_text(json.dumps({str(status): count for status, count in statuses.items()}))


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5]))
