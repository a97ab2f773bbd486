#!/usr/bin/env bash
# Compose smoke test: build and run the real docker-compose.yml, check the site, tear down.
#
# Runs where no container registry is reachable: stand-in base images come from Debian
# packages (build-standin-image.sh), and docker-compose.smoke.yml swaps them in with host
# networking on free loopback ports. Starts dockerd when none runs, and stops what it started.
# Needs root with docker.io, docker-compose (or the compose v2 plugin) and debootstrap.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export STANDIN_IMAGE=${STANDIN_IMAGE:-reference-site-standin:bookworm}
project=refsite-smoke-$$
started_dockerd=""
compose=()

log() { printf '[compose-smoke] %s\n' "$*"; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

cleanup() {
    local status=$?
    if [ ${#compose[@]} -gt 0 ]; then
        if [ $status -ne 0 ]; then
            log "failed; the services' logs follow"
            "${compose[@]}" logs --no-color --tail=60 || true
        fi
        "${compose[@]}" down -v --rmi local --remove-orphans >/dev/null 2>&1 || true
    fi
    if [ -n "$started_dockerd" ]; then
        log "stopping the dockerd this test started"
        kill "$started_dockerd" 2>/dev/null || true
        wait "$started_dockerd" 2>/dev/null || true
    fi
    exit $status
}
trap cleanup EXIT

for tool in docker debootstrap; do
    command -v "$tool" >/dev/null || { log "$tool is missing: apt-get install docker.io docker-compose debootstrap"; exit 1; }
done

if ! docker info >/dev/null 2>&1; then
    log "starting dockerd (no iptables, no bridge: containers use host networking)"
    dockerd --iptables=false --bridge=none >/tmp/compose-smoke-dockerd.log 2>&1 &
    started_dockerd=$!
    for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
    docker info >/dev/null 2>&1 || { log "dockerd did not start"; cat /tmp/compose-smoke-dockerd.log; exit 1; }
fi

"$here/build-standin-image.sh" "$STANDIN_IMAGE"

if docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
else
    compose=(docker-compose)
fi
SMOKE_OBJECTS_PORT=$(free_port)
SMOKE_SESSIONS_PORT=$(free_port)
SMOKE_WEB_PORT=$(free_port)
SMOKE_DEMO_PASSWORD=smoke-$(python3 -c 'import secrets; print(secrets.token_hex(8))')
export SMOKE_OBJECTS_PORT SMOKE_SESSIONS_PORT SMOKE_WEB_PORT SMOKE_DEMO_PASSWORD
compose+=(-p "$project" -f "$root/docker-compose.yml" -f "$here/docker-compose.smoke.yml")
log "using: ${compose[*]}"

log "building the web image"
"${compose[@]}" build --quiet web 2>&1 | tail -n 20
log "starting the services"
"${compose[@]}" up -d

web=$("${compose[@]}" ps -q web)
log "waiting for the web service to be healthy"
health=""
for _ in $(seq 120); do
    health=$(docker inspect --format '{{.State.Health.Status}}' "$web")
    [ "$health" = healthy ] && break
    [ "$(docker inspect --format '{{.State.Running}}' "$web")" = true ] || break
    sleep 1
done
[ "$health" = healthy ] || { log "web is $health"; exit 1; }
for service in memcached-objects memcached-sessions; do
    state=$(docker inspect --format '{{.State.Health.Status}}' "$("${compose[@]}" ps -q "$service")")
    [ "$state" = healthy ] || { log "$service is $state"; exit 1; }
done
log "all three services are healthy"

python3 "$here/check_site.py" "http://127.0.0.1:$SMOKE_WEB_PORT" "$SMOKE_DEMO_PASSWORD"
log "passed"
