"""/healthz: what an operator's probe sees, with every dependency up and with one down."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from tests.config.test_settings import PRODUCTION, run_django

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_all_dependencies_up_is_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {
        "database",
        "cache",
        "channel_layer",
        "search",
        "search_backlog",
    }
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["database"]["required"] is True


def test_redis_down_is_degraded_but_serving(client):
    redis_settings = {
        "CACHES": {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": UNREACHABLE_REDIS,
                "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
            }
        },
        "CHANNEL_LAYERS": {
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {"hosts": [UNREACHABLE_REDIS]},
            }
        },
    }
    with override_settings(**redis_settings):
        response = client.get("/healthz")
        home = client.get("/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["channel_layer"]["ok"] is False
    assert body["checks"]["channel_layer"]["ms"] < 5000
    assert body["checks"]["database"]["ok"] is True
    assert home.status_code == 200  # pages still work without Redis


def test_elasticsearch_down_is_degraded_and_says_so(client):
    with override_settings(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL="http://127.0.0.1:1"):
        body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["checks"]["search"]["backend"] == "elasticsearch"
    assert body["checks"]["search"]["ok"] is False
    assert "ELASTICSEARCH_URL" in body["checks"]["search"]["error"]
    assert body["checks"]["search_fallback"]["ok"] is True  # the database answers meanwhile


def test_database_down_answers_503():
    # A real unreachable PostgreSQL, in a process of its own so this suite's database stays.
    code = """
import django, json; django.setup()
from django.test import Client
response = Client().get("/healthz", HTTP_HOST="serambi.example.id")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""
    result = run_django(
        code,
        **{**PRODUCTION, "HTTPS": "0"},
        DATABASE_URL="postgres://serambi@127.0.0.1:1/serambi",
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["body"]["status"] == "down"
    assert answer["body"]["checks"]["database"]["ok"] is False
    assert "OperationalError" in answer["body"]["checks"]["database"]["error"]


def test_healthz_is_exempt_from_the_https_redirect(tmp_path):
    code = """
import django; django.setup()
from django.test import Client
client = Client(HTTP_HOST="serambi.example.id")
print(client.get("/healthz").status_code, client.get("/").status_code)
"""
    result = run_django(code, **PRODUCTION, DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    assert result.returncode == 0, result.stderr
    healthz, home = result.stdout.split()
    assert home == "301"  # plain HTTP is redirected to HTTPS…
    assert healthz == "200"  # …but the probe inside the stack is answered
