# The portal's image: gunicorn for the web, the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango; nodejs/npm fetch Bootstrap and axe-core from the npm registry at build time;
# `manage.py backup` and `restore` run pg_dump and pg_restore.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core nodejs npm \
    postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt package.json package-lock.json ./
RUN pip install --no-cache-dir -r requirements.txt && npm ci --no-audit --no-fund --omit=dev
COPY . .

# Static files are collected at build time and served by whitenoise.
RUN DEBUG=false SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --noinput

RUN useradd --create-home portal && mkdir -p /data/private_media && chown portal /data/private_media
USER portal
EXPOSE 8000
CMD ["gunicorn", "esafety.wsgi:application"]
