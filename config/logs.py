"""Structured logs: one JSON object per line (python-json-logger), each carrying the request or
Celery task it was written for, so one learner's failed submit can be followed across the web
process and the worker. A person appears only as a user id, never by name.

- RequestLogMiddleware (first in MIDDLEWARE) takes the request id from `X-Request-ID` (set by
  nginx, deploy/nginx) or makes one, echoes it in the response, and writes one `egov.request`
  line per request: method, path, status, duration and the user id when the request knew it.
- Celery's task_prerun/task_postrun signals put the task's id and name on its lines.
- ContextFilter copies those values onto every record, whoever logs it."""

import contextvars
import logging
import re
import time
import uuid

from celery.signals import task_postrun, task_prerun

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
user_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("user_id", default=None)
task_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("task_id", default=None)
task_name_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("task_name", default=None)

# A request id from outside is kept only if it is short and plain (it is echoed into a header).
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

request_logger = logging.getLogger("egov.request")


class ContextFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        if getattr(record, "user_id", None) is None:
            record.user_id = user_id_var.get()
        record.task_id = task_id_var.get()
        record.task_name = task_name_var.get()
        return True


def _known_user_id(request) -> int | None:
    """The signed-in person's id if the request already loaded them: reading `request.user` here
    would cost a query on pages that never needed the user (and break their query budgets)."""
    user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _known_user_id(request),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


@task_prerun.connect
def _task_started(task_id=None, task=None, **kwargs):
    task_id_var.set(task_id)
    task_name_var.set(getattr(task, "name", None))


@task_postrun.connect
def _task_finished(**kwargs):
    task_id_var.set(None)
    task_name_var.set(None)


def logging_config(*, level: str, request_level: str, json_lines: bool) -> dict:
    """The LOGGING setting: JSON lines on stderr (or plain text for a developer's console)."""
    fields = ["asctime", "levelname", "name", "message"]
    if json_lines:
        formatter = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": fields,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        }
    else:
        formatter = {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "config.logs.ContextFilter"}},
        "formatters": {"main": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "main", "filters": ["context"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"egov.request": {"level": request_level}},
    }
