# SEND Tracker's production image (README "Deployment"): gunicorn on port 8000, static files served by
# WhiteNoise, configuration from the environment. Build: docker build -t send-tracker .
FROM python:3.11-slim-bookworm

# DEBUG off for every process in the container, manage.py commands included (manage.py defaults it on).
ENV DEBUG=0 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/static \
    MEDIA_ROOT=/app/var/media \
    XDG_CACHE_HOME=/app/var/cache

# WeasyPrint (committee paper PDFs) needs Pango, and HarfBuzz's subsetter to embed fonts quickly; the fonts
# are the ones the PDFs fall back to on a server without Segoe UI or Roboto. Fontconfig keeps its cache
# under XDG_CACHE_HOME, the one place besides the media that the app's user may write.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home app

WORKDIR /app

# The runtime dependencies from pyproject.toml at the exact versions in requirements.lock (no test tools).
COPY pyproject.toml requirements.lock README.md ./
RUN pip install --constraint requirements.lock . && rm -rf build *.egg-info

COPY . .

# Hashed, compressed static files are built into the image; WhiteNoise serves them. The key only lets the
# settings load for this command: it is not in the running container's environment.
RUN SECRET_KEY=collectstatic-only-build-time-key-not-used-at-run-time-0123456789 \
        python manage.py collectstatic --no-input \
    && mkdir -p /app/var/media /app/var/cache \
    && chown -R app:app /app/var

USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python", "deploy/healthcheck.py"]
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
