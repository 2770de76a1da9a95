"""Issue 16 item 2: JSON log lines that follow a request or a Celery task, a person only by id."""

import io
import json
import logging
import logging.config

import pytest
from celery import shared_task

from config.logs import logging_config
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """The root logger writes through the site's configured handler (filter and JSON formatter)
    into a buffer for the test; returns a function giving the lines written, parsed."""
    config = logging_config(level="INFO", request_level="INFO", json_lines=True)
    buffer = io.StringIO()
    factory = logging.config.dictConfigClass(config)
    formatter = factory.configure_custom(dict(config["formatters"]["main"]))
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(formatter)
    handler.addFilter(factory.configure_custom(dict(config["filters"]["context"])))
    root = logging.getLogger()
    request_logger = logging.getLogger("egov.request")
    old_levels = root.level, request_logger.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    request_logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(old_levels[0])
    request_logger.setLevel(old_levels[1])


def test_a_request_gets_one_line_with_its_id_path_status_duration_and_user_id(client, json_lines):
    person = UserFactory(username="lisi", display_name="李四", email="lisi@example.gov.cn")
    client.force_login(person)
    response = client.get("/notifications/", HTTP_X_REQUEST_ID="edge-42")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "edge-42"
    lines = [line for line in json_lines() if line["logger"] == "egov.request"]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == "edge-42"
    assert (line["method"], line["path"], line["status"], line["user_id"]) == ("GET", "/notifications/", 200, person.pk)
    assert line["level"] == "INFO" and isinstance(line["duration_ms"], float) and line["time"]
    text = json.dumps(lines)
    assert "lisi" not in text and "李四" not in text, "a person is their id, never their name"


def test_a_request_without_an_id_gets_one_and_a_forged_one_is_replaced(client, json_lines):
    made = client.get("/health/live")["X-Request-ID"]
    assert len(made) == 32 and int(made, 16) >= 0
    forged = client.get("/health/live", HTTP_X_REQUEST_ID="x" * 200)["X-Request-ID"]
    assert forged != "x" * 200 and len(forged) == 32
    lines = [line for line in json_lines() if line["logger"] == "egov.request"]
    assert [line["request_id"] for line in lines] == [made, forged]
    assert all(line["user_id"] is None for line in lines)


def test_lines_written_while_handling_a_request_carry_its_id_and_none_leaks_after(client, json_lines, monkeypatch):
    import operations.health

    real_beat_problem = operations.health.beat_problem

    def noisy_beat_problem(now=None):
        logging.getLogger("tests.inside").warning("inside the request")
        return real_beat_problem(now)

    monkeypatch.setattr(operations.health, "beat_problem", noisy_beat_problem)
    client.get("/health/ready", HTTP_X_REQUEST_ID="req-7")
    logging.getLogger("tests.outside").warning("after the request")
    lines = json_lines()
    inside = [line for line in lines if line["logger"] == "tests.inside"]
    outside = [line for line in lines if line["logger"] == "tests.outside"]
    assert [line["request_id"] for line in inside] == ["req-7"]
    assert [line["request_id"] for line in outside] == [None]


@shared_task(name="tests.logs.say_hello")
def say_hello():
    logging.getLogger("tests.task").warning("hello from a task")


def test_task_lines_carry_the_task_id_and_name(json_lines):
    result = say_hello.apply()
    line = [line for line in json_lines() if line["logger"] == "tests.task"][0]
    assert line["task_name"] == "tests.logs.say_hello"
    assert line["task_id"] == result.id
    assert line["message"] == "hello from a task"
    logging.getLogger("tests.task").warning("after the task")
    after = [line for line in json_lines() if line["message"] == "after the task"][0]
    assert after["task_id"] is None and after["task_name"] is None
