# press-toolkit as an office service: `presskit serve` behind the office's reverse proxy.
#   docker build -t press-toolkit .
#   docker run -p 8000:8000 -e PRESSKIT_API_KEYS=<a key of 16+ characters> \
#     -v presskit-models:/data/models -v presskit-output:/data/output press-toolkit
# Models are installed into the models volume with
#   docker run --rm -v presskit-models:/data/models -v "$PWD":/in press-toolkit presskit models install-file /in/translate-de_en.argosmodel
FROM python:3.11-slim-bookworm

# WeasyPrint's system libraries (Pango, HarfBuzz's subsetter for embedded fonts); nothing else.
# hadolint ignore=DL3008  # Debian stable only ships security fixes; pinning would block them
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 presskit
WORKDIR /app
COPY --chown=presskit:presskit . /app/src
# The versions the tests passed with (constraints.txt); the service extra for FastAPI and uvicorn.
RUN pip install --no-cache-dir -c /app/src/constraints.txt "/app/src[service]" \
 && rm -rf /app/src

ENV PRESSKIT_DATA_DIR=/data/state \
    ARGOS_PACKAGES_DIR=/data/models \
    PYTHONUNBUFFERED=1
RUN mkdir -p /data/state /data/models /data/output && chown -R presskit:presskit /data
VOLUME ["/data/models", "/data/output"]
USER 10001
WORKDIR /data/output
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health', timeout=4).status == 200 else 1)"]

# Listening beyond the container needs API keys ($PRESSKIT_API_KEYS); without them the service refuses to start.
CMD ["presskit", "serve", "--host", "0.0.0.0", "--port", "8000"]
