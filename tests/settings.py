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

from config.settings import *  # noqa: F403

# Uploads and image renditions that tests make go to a directory of this run, never into the
# checkout's var/media; it is removed when the run ends.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="serambi-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

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
