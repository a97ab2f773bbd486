# Shared by the compose smoke tests (compose-smoke.sh, compose-dev-smoke.sh); sourced.
#
# They run where no container registry is reachable: stand-in base images come from Debian
# packages (build-standin-image.sh). Each starts dockerd when none runs, and stops what it
# started. Needs root with docker.io and debootstrap.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
export STANDIN_IMAGE=${STANDIN_IMAGE:-reference-site-standin:bookworm}
started_dockerd=""
compose=()
cleanups=()

log() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*"; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Run on exit, after the services are down.
on_exit() { cleanups+=("$*"); }

cleanup() {
    local status=$?
    if [ ${#compose[@]} -gt 0 ]; then
        if [ $status -ne 0 ]; then
            log "failed; the services' logs follow"
            "${compose[@]}" logs --no-color --tail=60 || true
        fi
        "${compose[@]}" down -v --rmi local --remove-orphans >/dev/null 2>&1 || true
    fi
    for command in "${cleanups[@]}"; do eval "$command" || true; done
    if [ -n "$started_dockerd" ]; then
        log "stopping the dockerd this test started"
        kill "$started_dockerd" 2>/dev/null || true
        wait "$started_dockerd" 2>/dev/null || true
    fi
    exit $status
}
trap cleanup EXIT

start_docker() {
    for tool in docker debootstrap; do
        command -v "$tool" >/dev/null || { log "$tool is missing: apt-get install docker.io debootstrap"; exit 1; }
    done
    if ! docker info >/dev/null 2>&1; then
        log "starting dockerd (no iptables, no default bridge: nothing leaves this machine)"
        dockerd --iptables=false --bridge=none >/tmp/compose-smoke-dockerd.log 2>&1 &
        started_dockerd=$!
        for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
        docker info >/dev/null 2>&1 || { log "dockerd did not start"; cat /tmp/compose-smoke-dockerd.log; exit 1; }
    fi
    "$here/build-standin-image.sh" "$STANDIN_IMAGE"
}

# Wait until the web container's healthcheck passes, then check the memcached services'.
wait_healthy() {
    local web="" health="" service state
    log "waiting for the web service to be healthy"
    for _ in $(seq 120); do
        web=$("${compose[@]}" ps -q web 2>/dev/null)
        [ -n "$web" ] && break
        sleep 1
    done
    [ -n "$web" ] || { log "no web container"; exit 1; }
    for _ in $(seq 180); do
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
}
