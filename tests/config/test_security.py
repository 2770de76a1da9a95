import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import path

from tests.factories import UserFactory

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "-production-like-secret-for-the-check-0123456789",
        "DJANGO_ALLOWED_HOSTS": "training.example.gov.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_a_missing_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "DJANGO_SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client, site_tree):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "object-src 'none'" in policy


@pytest.mark.django_db
def test_our_pages_have_no_inline_scripts_or_styles(client, course):
    client.force_login(UserFactory())
    from tests.factories import course_steps

    for url in ["/", "/accounts/login/", course.url, course_steps(course)[0].url, "/learn/my/", "/courses/"]:
        html = client.get(url).content.decode()
        assert "<style" not in html, url
        assert ' style="' not in html, url
        assert "<script>" not in html and "<script " not in html.replace('<script src="', ""), url
        assert " onclick=" not in html and " onchange=" not in html, url


def boom(request):
    raise RuntimeError("secret internals: password=hunter2")


urlpatterns = [path("boom/", boom)]


@pytest.mark.django_db
def test_server_error_page_reveals_nothing(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "hunter2" not in body and "Traceback" not in body and "RuntimeError" not in body


@pytest.mark.django_db
def test_not_found_page_is_ours(client, site_tree):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode() and "Traceback" not in response.content.decode()
