# One image for web, worker and beat (docker-compose.yml runs it three ways).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings

# CJK font so PDF credit reports embed a Chinese font; poppler for report checks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-wqy-microhei fontconfig poppler-utils curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY . .
RUN pip install -e . && useradd --system --home /app credit && mkdir -p /app/var && chown -R credit /app/var

USER credit
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--logger-class", "credit_platform.gunicorn_logging.MaskingLogger"]
