# omnihub: REST API and outbox workers on port 8000.
#
#   docker build -t omnihub .
#   docker run -p 8000:8000 \
#     -e OMNIHUB_DATABASE_URL=postgresql://user:password@db-host:5432/omnihub \
#     -e OMNIHUB_PUBLIC_URL=https://support.example.com \
#     -v omnihub-data:/data omnihub
#
# Without OMNIHUB_DATABASE_URL the hub starts an embedded PostgreSQL in /data/postgres (for trials
# only). Set OMNIHUB_PUBLIC_URL: otherwise attachment links handed to other systems point at
# http://0.0.0.0:8000. See docs/deployment.md.

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# An unprivileged user with a fixed uid, so that bind-mounted data directories can be prepared for it.
RUN groupadd --system --gid 10001 omnihub \
 && useradd --system --uid 10001 --gid omnihub --create-home --home-dir /home/omnihub omnihub

WORKDIR /app

COPY requirements.lock pyproject.toml setup.py MANIFEST.in README.md LICENSE ./
COPY src/ src/
COPY connectors/ connectors/
COPY migrations/ migrations/

# A regular (non-editable) install whose dependencies, and theirs, have the versions pinned in
# requirements.lock (used as constraints: the test tools it also pins stay out of the image). The
# package carries the migrations; the sources are removed afterwards.
RUN pip install --no-cache-dir -c requirements.lock . \
 && rm -rf /app/* \
 && mkdir -p /data \
 && chown omnihub:omnihub /data

ENV OMNIHUB_HOST=0.0.0.0 \
    OMNIHUB_PORT=8000 \
    OMNIHUB_DATA_DIR=/data

USER omnihub

# Attachments (and the embedded PostgreSQL when no OMNIHUB_DATABASE_URL is given).
VOLUME ["/data"]

EXPOSE 8000

# The slim image has no curl; urlopen raises (exit status 1) on a refused connection or a 503.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('OMNIHUB_PORT', '8000'), timeout=4)"]

CMD ["omnihub", "serve"]
