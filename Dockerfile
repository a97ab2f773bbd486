# The site's image: gunicorn serving the project as a non-root user. The "dev" target adds
# what docker-compose.dev.yml needs (Django's development server, the test tools).
#
# PYTHON_IMAGE lets a registry-less CI substitute a stand-in built from Debian packages
# (tests/smoke/build-standin-image.sh); everyone else gets the official image.
ARG PYTHON_IMAGE=python:3.12-slim-bookworm

# Build stage: install exactly what uv.lock pins, hashes checked, compiling pylibmc against
# libmemcached (docs/deployment.md says why from source). uv itself is pinned as in the lock,
# its hashes checked too (deploy/uv-requirement.py).
FROM ${PYTHON_IMAGE} AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev libmemcached-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
# uv verifies TLS against the image's certificate store, as pip does: a build behind a
# TLS-inspecting proxy trusts what the machine trusts.
ENV UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON_DOWNLOADS=never UV_NO_CACHE=1 UV_SYSTEM_CERTS=1
WORKDIR /src
COPY pyproject.toml uv.lock ./
COPY deploy/uv-requirement.py deploy/
RUN python3 deploy/uv-requirement.py > /tmp/uv-requirement.txt \
    && python3 -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --require-hashes -r /tmp/uv-requirement.txt \
    && /opt/venv/bin/uv sync --locked --no-dev --inexact \
    && /opt/venv/bin/pip uninstall --yes --quiet uv

# The dev target's virtualenv: the same, with the dev group (test and lint tools).
FROM build AS build-dev
RUN /opt/venv/bin/pip install --no-cache-dir --require-hashes -r /tmp/uv-requirement.txt \
    && /opt/venv/bin/uv sync --locked --inexact

# What both targets share: the virtualenv, libmemcached's runtime library, the app's user.
FROM ${PYTHON_IMAGE} AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends libmemcached11 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 site \
    && useradd --system --create-home --uid 10001 --gid site site \
    && mkdir /data && chown site:site /data
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite:////data/db.sqlite3
WORKDIR /app
EXPOSE 8000

# Development (docker-compose.dev.yml): the test and lint tools, memcached for the tests,
# and the code owned by the app's user, so that `docker compose up --watch` can sync edits.
FROM runtime AS dev
RUN apt-get update \
    && apt-get install -y --no-install-recommends memcached \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build-dev /opt/venv /opt/venv
RUN chown 10001:10001 /app
COPY --chown=10001:10001 . /app
# Numeric: tools that resolve the user outside the image (Compose's file sync, Kubernetes'
# runAsNonRoot) need no lookup of the name.
USER 10001
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]

# Production, the default target: the code belongs to root and only runs as the app's user.
FROM runtime
COPY . /app
# Collect static files at build time; whitenoise serves them. Settings need some secret to
# load; this one exists only during this RUN.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v0
USER 10001
CMD ["gunicorn", "project.wsgi"]
