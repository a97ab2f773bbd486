# The site's image: gunicorn serving the project as a non-root user.
#
# PYTHON_IMAGE lets a registry-less CI substitute a stand-in built from Debian packages
# (tests/smoke/build-standin-image.sh); everyone else gets the official image.
ARG PYTHON_IMAGE=python:3.12-slim-bookworm

# Build stage: compile pylibmc against libmemcached (requirements.txt says why from source).
FROM ${PYTHON_IMAGE} AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev libmemcached-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install --no-cache-dir --upgrade pip \
    && /opt/venv/bin/pip install --no-cache-dir -r /tmp/requirements.txt

# Runtime stage: the virtualenv, libmemcached's runtime library, the code.
FROM ${PYTHON_IMAGE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends libmemcached11 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --uid 10001 site \
    && mkdir /data && chown site /data
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite:////data/db.sqlite3
WORKDIR /app
COPY . /app
# Collect static files at build time; whitenoise serves them. Settings need some secret to
# load; this one exists only during this RUN.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v0
USER site
EXPOSE 8000
CMD ["gunicorn", "project.wsgi"]
