#!/usr/bin/env bash
# Compose smoke test: build and run the real docker-compose.yml, check the site, tear down.
#
# docker-compose.smoke.yml swaps in the stand-in images, with host networking on free
# loopback ports. Runs with Docker Compose v2 when installed, else (or with
# SMOKE_COMPOSE=docker-compose) with Debian's docker-compose 1.29, which the base file must
# keep working with. Twice: with the demo data, then, from empty volumes, SEED_DEMO=false.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

start_docker
if [ -n "${SMOKE_COMPOSE:-}" ]; then
    read -ra compose <<<"$SMOKE_COMPOSE"
elif docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
else
    compose=(docker-compose)
fi
SMOKE_OBJECTS_PORT=$(free_port)
SMOKE_SESSIONS_PORT=$(free_port)
SMOKE_WEB_PORT=$(free_port)
SMOKE_DEMO_PASSWORD=smoke-$(python3 -c 'import secrets; print(secrets.token_hex(8))')
export SMOKE_OBJECTS_PORT SMOKE_SESSIONS_PORT SMOKE_WEB_PORT SMOKE_DEMO_PASSWORD
compose+=(-p "refsite-smoke-$$" -f "$root/docker-compose.yml" -f "$here/docker-compose.smoke.yml")
log "using: ${compose[*]}"

log "building the web image"
"${compose[@]}" build --quiet web 2>&1 | tail -n 20
log "starting the services"
"${compose[@]}" up -d
wait_healthy
python3 "$here/check_site.py" "http://127.0.0.1:$SMOKE_WEB_PORT" "$SMOKE_DEMO_PASSWORD" demo

log "again from empty volumes, with SEED_DEMO=false"
"${compose[@]}" down -v >/dev/null 2>&1
SEED_DEMO=false "${compose[@]}" up -d
wait_healthy
python3 "$here/check_site.py" "http://127.0.0.1:$SMOKE_WEB_PORT" "$SMOKE_DEMO_PASSWORD" empty
"${compose[@]}" logs web | grep -F "SEED_DEMO is false: no demo data created." >/dev/null \
    || { log "the web service did not say it skipped the demo data"; exit 1; }
log "passed"
