"""Settings for the test suite: production's settings (DEBUG off), with only what a test run
needs changed. DATABASE_URL and REDIS_URL pass through, so CI's second pass runs the suite on
PostgreSQL and Redis."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The test client and the live server speak plain HTTP.
os.environ.setdefault("HTTPS", "0")
# Background tasks run at once so that tests see their effects; the worker path is tested
# on its own with the database backend.
os.environ.setdefault("TASKS_BACKEND", "immediate")
# The browser tests' live server speaks WSGI (no websockets); the live forum's browser tests run
# their own Daphne with LIVE_UPDATES=1 (tests/browser/test_live_journey.py).
os.environ.setdefault("LIVE_UPDATES", "0")

from config.settings import *  # noqa: F403

# What a test run writes goes to a directory of its own, never into the checkout's var/:
# uploads and renditions, and on SQLite the test database itself, a file rather than memory,
# so that a server process (Daphne, for the live forum's browser tests) can share it.
RUN_DIR = Path(tempfile.mkdtemp(prefix="serambi-test-"))
atexit.register(shutil.rmtree, RUN_DIR, ignore_errors=True)
MEDIA_ROOT = RUN_DIR / "media"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(RUN_DIR / "test.sqlite3")}  # noqa: F405
    # A database thrown away at the end of the run needs no durability: no waiting on the disk.
    DATABASES["default"]["OPTIONS"]["init_command"] = (  # noqa: F405
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
    )

# Hashing with PBKDF2's full cost makes every sign-in in a test take ~0.3 s.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Collected, fingerprinted static files are a deployment step; tests read the sources.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

if REDIS_URL:  # noqa: F405
    # Keep the suite's keys apart from anything else on the same Redis.
    CACHES["default"]["KEY_PREFIX"] = "serambi-test"  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = "serambi-test"  # noqa: F405

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
