"""The settings as an operator meets them: chosen by environment variables alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7Vq-production-like-secret-key-for-the-deploy-check-0123456789abcdef",
    "ALLOWED_HOSTS": "serambi.example.id",
    "TRUST_PROXY_HEADERS": "1",
}


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run Python with config.settings and exactly the environment given (plus PATH)."""
    environment = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_django("import django; django.setup()", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION.items() if k != "ALLOWED_HOSTS"}
    result = run_django("import django; django.setup()", **env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_development_runs_without_any_secret():
    result = run_django(
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_deploy_check_passes_under_production_settings():
    result = run_django(
        "from django.core.management import execute_from_command_line as run;"
        "run(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_services_are_chosen_by_urls():
    code = """
import django, json; django.setup()
from django.conf import settings
print(json.dumps({
    "db": settings.DATABASES["default"]["ENGINE"],
    "db_name": settings.DATABASES["default"]["NAME"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "sessions": settings.SESSION_ENGINE,
    "tasks": settings.TASKS["default"]["BACKEND"],
    "search": settings.SEARCH_BACKEND,
    "email": settings.EMAIL_BACKEND,
    "email_host": settings.EMAIL_HOST,
    "secure_cookie": settings.SESSION_COOKIE_SECURE,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "proxy_header": settings.SECURE_PROXY_SSL_HEADER,
}))
"""
    result = run_django(
        code,
        **PRODUCTION,
        DATABASE_URL="postgres://serambi:pw@db:5432/serambi",
        REDIS_URL="redis://redis:6379/0",
        ELASTICSEARCH_URL="https://elastic:pw@search:9200",
        EMAIL_URL="submission://mailer:pw@mail.example.id:587",
    )
    assert result.returncode == 0, result.stderr
    chosen = json.loads(result.stdout)
    assert chosen == {
        "db": "django.db.backends.postgresql",
        "db_name": "serambi",
        "cache": "config.cache.ResilientRedisCache",
        "layer": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "sessions": "django.contrib.sessions.backends.cached_db",
        "tasks": "django_tasks_db.DatabaseBackend",
        "search": "elasticsearch",
        "email": "django.core.mail.backends.smtp.EmailBackend",
        "email_host": "mail.example.id",
        "secure_cookie": True,
        "hsts": 31536000,
        "proxy_header": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_embedded_defaults_need_no_services():
    code = """
import django, json; django.setup()
from django.conf import settings
print(json.dumps([settings.DATABASES["default"]["ENGINE"], settings.CACHES["default"]["BACKEND"],
    settings.CHANNEL_LAYERS["default"]["BACKEND"], settings.TASKS["default"]["BACKEND"],
    settings.SEARCH_BACKEND, settings.EMAIL_BACKEND]))
"""
    result = run_django(code, DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "channels.layers.InMemoryChannelLayer",
        "django_tasks.backends.immediate.ImmediateBackend",
        "database",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_a_malformed_yes_no_value_names_the_variable():
    result = run_django("import django; django.setup()", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a yes/no value" in result.stderr


def test_an_email_url_of_unknown_scheme_is_refused():
    # dj-email-url would quietly drop it, and mail would leave unencrypted.
    result = run_django(
        "import django; django.setup()", DEBUG="1", EMAIL_URL="smtp+tls://u:p@mail.example.id:587"
    )
    assert result.returncode != 0
    assert "EMAIL_URL has an unknown scheme 'smtp+tls'" in result.stderr


def test_email_over_submission_uses_starttls():
    code = """
import django; django.setup(); from django.conf import settings
print(settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT)
"""
    result = run_django(code, DEBUG="1", EMAIL_URL="submission://u:p@mail.example.id:587")
    assert result.stdout.split() == ["mail.example.id", "587", "True", "10"]


# CI's second pass sets these variables: the suite must then really run on those services.


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs DATABASE_URL")
@pytest.mark.django_db
def test_the_suite_runs_on_the_database_of_database_url():
    expected = os.environ["DATABASE_URL"].split(":", 1)[0]
    vendor = {"postgres": "postgresql", "postgresql": "postgresql"}.get(expected, expected)
    assert connection.vendor == vendor


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_the_suite_runs_on_the_redis_of_redis_url():
    from django.core.cache import cache

    assert settings.CACHES["default"]["BACKEND"] == "config.cache.ResilientRedisCache"
    cache.ping()  # Redis itself answers, not the fallback
    layer = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    assert layer == "channels_redis.pubsub.RedisPubSubChannelLayer"
