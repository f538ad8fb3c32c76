# SEND Tracker's production image (README "Deployment"): gunicorn on port 8000, static files served by
# WhiteNoise, configuration from the environment. Build: docker build -t send-tracker .
#
# BASE_IMAGE is the official Python image by default; `make image-check` passes a stand-in built from
# Debian's own packages where Docker Hub cannot be reached (deploy/image-check.sh). Either way the base must
# put a `python` (3.11) with `venv` and `pip` first on PATH.
ARG BASE_IMAGE=python:3.11-slim-bookworm

# ---- build stage: the virtual environment, with pip's build tools and caches left behind ----
FROM ${BASE_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /venv
WORKDIR /src
# The runtime dependencies from pyproject.toml at the exact versions in requirements.lock (no test tools).
COPY pyproject.toml requirements.lock README.md ./
RUN /venv/bin/pip install --constraint requirements.lock . \
    && /venv/bin/pip uninstall --yes send-tracker

# ---- final stage: the base, WeasyPrint's libraries, the venv and the code; no compilers or headers ----
FROM ${BASE_IMAGE}

# DEBUG off for every process in the container, manage.py commands included (manage.py defaults it on).
# STATIC_ROOT is outside the source tree's static/ (STATICFILES_DIRS): collectstatic refuses to copy a
# folder into itself (staticfiles.E002).
ENV DEBUG=0 \
    PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media \
    XDG_CACHE_HOME=/app/var/cache

# WeasyPrint (committee paper PDFs) needs GLib, Pango, HarfBuzz's subsetter and fonts: the one list that
# `make run` installs too (deploy/debian-packages-run.txt). Fontconfig keeps its cache under
# XDG_CACHE_HOME, the one place besides the media that the app's user may write.
COPY deploy/debian-packages-run.txt /tmp/
RUN apt-get update \
    && sed 's/#.*//' /tmp/debian-packages-run.txt | xargs apt-get install -y --no-install-recommends \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /tmp/debian-packages-run.txt

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home app

COPY --from=build /venv /venv

WORKDIR /app
COPY . .

# Hashed, compressed static files are built into the image; WhiteNoise serves them. The key only lets the
# settings load for this command: it is not in the running container's environment.
# The app's own modules are compiled here too (the venv's were by pip): the app's user cannot write them.
RUN SECRET_KEY=collectstatic-only-build-time-key-not-used-at-run-time-0123456789 \
        python manage.py collectstatic --no-input \
    && python -m compileall -q /app \
    && mkdir -p /app/var/media /app/var/cache \
    && chown -R app:app /app/var

USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python", "deploy/healthcheck.py"]
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
