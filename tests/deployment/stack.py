"""The production stack on loopback for tests/deployment: a private redis-server, Debian's nginx
with the site of deploy/nginx/ (paths and upstreams rewritten for a temporary folder, plain HTTP
on a free port), gunicorn instances, Celery workers and one beat, every one on the same database,
Redis and file folders. `Stack` stops every process it started, whatever happened."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEPLOY = PROJECT_ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_config(folder: Path, *, port: int, upstreams: list[int]) -> Path:
    """deploy/nginx's zones and locations, unchanged but for the paths, under a plain-HTTP server."""
    site = DEPLOY / "nginx"
    locations = (site / "training-locations.conf").read_text()
    locations = locations.replace("/srv/training/app/", f"{folder}/").replace("/srv/training/", f"{folder}/")
    (folder / "training-locations.conf").write_text(locations)
    shutil.copy(site / "training-limits.conf", folder / "training-limits.conf")
    servers = "\n".join(f"        server 127.0.0.1:{upstream};" for upstream in upstreams)
    config = folder / "nginx.conf"
    # Started as root (CI's container), nginx's workers would become `nobody`, who cannot read the
    # application's 0640 files under pytest's 0700 folder; in production nginx's user joins the
    # application's group instead (README). Otherwise the workers stay the user who started it.
    user = "user root root;" if os.geteuid() == 0 else ""
    config.write_text(
        f"""
{user}
worker_processes auto;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {folder}/nginx-body;
    proxy_temp_path {folder}/nginx-proxy;
    fastcgi_temp_path {folder}/nginx-fastcgi;
    uwsgi_temp_path {folder}/nginx-uwsgi;
    scgi_temp_path {folder}/nginx-scgi;
    include {folder}/training-limits.conf;
    upstream training_app {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        include {folder}/training-locations.conf;
    }}
}}
"""
    )
    return config


class Stack:
    def __init__(self, folder: Path, *, database_url: str, webs: int, workers: int):
        self.folder = folder
        self.database_url = database_url
        self.webs = webs
        self.workers = workers
        self.processes: list[subprocess.Popen] = []
        self.web_ports: list[int] = []
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.redis_port = free_port()

    def env(self) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on loopback: no redirect to https, no HSTS, cookies sent without TLS.
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_HSTS_SECONDS": "0",
            "DJANGO_SECURE_COOKIES": "false",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/1",
            "DJANGO_MEDIA_ROOT": str(self.folder / "media"),
            "DJANGO_PRIVATE_ROOT": str(self.folder / "private"),
            "DJANGO_STATIC_ROOT": str(self.folder / "staticfiles"),
            "PRIVATE_FILES_X_ACCEL_REDIRECT": "/_private/",
            "MEDIA_FILES_X_ACCEL_REDIRECT": "/_media/",
            "AXES_PROXY_COUNT": "1",
            "TRUSTED_PROXY_IPS": "127.0.0.1",
            "SITE_BASE_URL": self.url,
            # As in every other test: the scripted learner cannot study each step for minutes.
            "STUDY_TIME_MODE": "record-only",
            "DJANGO_LOG_LEVEL": "ERROR",
            "DJANGO_REQUEST_LOG_LEVEL": "ERROR",
        }

    def start_process(self, command: list[str], **kwargs) -> subprocess.Popen:
        """A process of the stack's, in its own session, its output in the stack's folder; stop() ends it."""
        log = open(self.folder / f"process-{len(self.processes)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
        )
        log.close()
        self.processes.append(process)
        return process

    def start(self, *, static_from: Path | None = None) -> None:
        env = self.env()
        (self.folder / "media").mkdir(exist_ok=True)
        (self.folder / "private").mkdir(exist_ok=True)
        if static_from is not None:
            (self.folder / "staticfiles").symlink_to(static_from)
        self.start_process(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        )
        web_ports = self.web_ports = [free_port() for _ in range(self.webs)]
        for port in web_ports:
            self.start_process(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--timeout",
                    "120",
                ],
                env=env,
            )
        for number in range(self.workers):
            self.start_process(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--pool=solo",
                    "--loglevel=WARNING",
                    "--without-gossip",
                    "--without-mingle",
                    "-n",
                    f"day{number}-{os.getpid()}@localhost",
                ],
                env=env,
            )
        self.start_process(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel=WARNING",
                f"--schedule={self.folder / 'celerybeat-schedule'}",
            ],
            env=env,
        )
        config = nginx_config(self.folder, port=self.port, upstreams=web_ports)
        self.start_process(
            [NGINX, "-p", str(self.folder), "-c", str(config), "-g", f"daemon off; pid {self.folder}/nginx.pid;"]
        )
        self.wait_until_ready(web_ports)

    def wait_until_ready(self, web_ports: list[int], timeout: float = 45) -> None:
        """Until /health/ready answers 200 through nginx (the database, migrations, cache, broker,
        storages and beat seen) and every gunicorn answers /health/live; else fail, naming the
        checks that still failed (the JSON body of the last answer)."""
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}:\n{self.logs()}")
            try:
                response = requests.get(f"{self.url}/health/ready", timeout=5)
                if response.status_code == 200:
                    if all(requests.get(f"http://127.0.0.1:{p}/health/live", timeout=5).ok for p in web_ports):
                        return
                    last = "a gunicorn does not answer /health/live"
                else:
                    try:
                        checks = response.json().get("checks", {})
                        last = f"{response.status_code}, failing: " + ", ".join(
                            f"{name}: {value}" for name, value in checks.items() if value != "ok"
                        )
                    except ValueError:
                        last = f"{response.status_code} {response.text[:200]}"
            except requests.RequestException as error:
                last = f"{type(error).__name__}"
            time.sleep(0.5)
        raise RuntimeError(f"the stack was not ready within {timeout:.0f} s ({last}):\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace")[-1500:] for path in sorted(self.folder.glob("*.log")))

    def stop(self) -> None:
        # Newest first: nginx, beat, workers, gunicorn, then Redis. Each in its own session, so its
        # children (gunicorn's and nginx's workers) are stopped with it.
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
