# syntax=docker/dockerfile:1
# Serambi's production image. compose.yaml runs every Serambi process from it, choosing the
# command: gunicorn (web), daphne (ws), db_worker (worker) and migrate.
FROM python:3.11-slim-bookworm

# No PYTHONDONTWRITEBYTECODE: collectstatic below imports the code and leaves its bytecode in
# the image, so containers start without compiling; at run time /app is read-only to the user.
ENV PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    SERAMBI_VAR_DIR=/var/lib/serambi \
    MEDIA_ROOT=/var/lib/serambi/media

# A fixed uid, so that files in the media volume keep their owner when the image is rebuilt.
RUN groupadd --system --gid 10001 serambi \
    && useradd --system --uid 10001 --gid serambi --create-home --home-dir /home/serambi \
        --shell /usr/sbin/nologin serambi

WORKDIR /app

# The runtime lock only (the test and lint tools of requirements-dev.lock stay out), copied on
# its own so that this layer is rebuilt only when the lock changes.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY . .

# Translations compile with Babel, a runtime dependency, so no system gettext is needed.
RUN set -eu; \
    for po in locale/*/LC_MESSAGES/*.po locale/wagtail/*/LC_MESSAGES/*.po; do \
        [ -e "$po" ] || continue; \
        pybabel compile --statistics --domain "$(basename "$po" .po)" \
            --input-file "$po" --output-file "${po%.po}.mo"; \
    done

# Static files are fingerprinted and compressed once, here; whitenoise serves them. With DEBUG
# off, settings refuse to load without SECRET_KEY and ALLOWED_HOSTS: this step alone gets
# throwaway values, which live only for this command and are not kept in the image.
RUN SECRET_KEY=collectstatic-at-build-time-only ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --no-input --verbosity 0

# The media volume takes this directory's owner when Docker first creates it.
RUN mkdir -p /var/lib/serambi/media && chown -R serambi:serambi /var/lib/serambi

USER serambi

# 8000: gunicorn (web); 8001: daphne (ws).
EXPOSE 8000 8001

CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "config.wsgi:application"]
