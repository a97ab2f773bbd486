#!/usr/bin/env bash
# Dev-loop smoke test: `docker compose -f docker-compose.yml -f docker-compose.dev.yml up
# --watch` on a copy of the tree; edit a template, then Python code, then pyproject.toml, and
# time until the running site shows each. Needs Docker Compose v2 (2.22 or newer).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

TEMPLATE_SECONDS=10  # an edited template is served within this
CODE_SECONDS=20      # edited Python code, after the development server reloads
REBUILD_SECONDS=300  # a changed pyproject.toml, after the image is rebuilt

docker compose version >/dev/null 2>&1 || { log "Docker Compose v2 is needed (docker compose)"; exit 1; }
start_docker

# Work on a copy: the test edits files. Compose's log goes beside it, not in it: every line
# written into the watched tree would be a change to sync.
work=$(mktemp -d /tmp/refsite-devsmoke.XXXXXX)
on_exit "rm -rf '$work'"
tree=$work/tree
watch_log=$work/watch.log
mkdir "$tree"
tar -C "$root" --exclude=./.git --exclude=./.venv --exclude=./staticfiles \
    --exclude='./db.sqlite3*' --exclude=./.env -c . | tar -x -C "$tree"

# Some Docker daemons (Debian 12's 20.10 among them) look the container's user up on the
# host when Compose syncs a file in (moby/moby#34142): give the host that uid for the test.
if ! getent passwd 10001 >/dev/null; then
    log "this host has no uid 10001: adding refsite-sync for the test (moby/moby#34142)"
    useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin refsite-sync 2>/dev/null
    on_exit "userdel refsite-sync"
fi

export PORT=$(free_port)
url="http://127.0.0.1:$PORT"
compose=(docker compose -p "refsite-devsmoke-$$" --project-directory "$tree"
    -f "$tree/docker-compose.yml" -f "$tree/docker-compose.dev.yml"
    -f "$tree/tests/smoke/docker-compose.dev-smoke.yml")
log "using: ${compose[*]}"
log "building the dev image"
"${compose[@]}" build --quiet web 2>&1 | tail -n 20
"${compose[@]}" up --watch >"$watch_log" 2>&1 &
watcher=$!
on_exit "kill $watcher 2>/dev/null; wait $watcher 2>/dev/null"
wait_healthy

page() { python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' "$1" 2>/dev/null || true; }

# Wait until `page URL` contains TEXT; print the seconds it took, or fail after LIMIT (the
# caller exits: this runs in a $(...) subshell).
wait_for() {
    local url=$1 text=$2 limit=$3 start
    start=$(date +%s.%N)
    while ! page "$url" | grep -F -- "$text" >/dev/null; do
        if (( $(echo "$(date +%s.%N) - $start > $limit" | bc) )); then
            { log "not seen within ${limit} s: $text"; tail -n 30 "$watch_log"; } >&2
            exit 1
        fi
        sleep 0.2
    done
    printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)"
}

wait_for "$url/" "<h1>Django on two memcached clusters</h1>" 30 >/dev/null || exit 1
# Compose syncs what changed between the build and the start first: let that settle.
for _ in $(seq 60); do grep -q "Watch enabled" "$watch_log" && break; sleep 0.5; done
grep -q "Watch enabled" "$watch_log" || { log "compose did not start watching"; exit 1; }
sleep 3

sed -i 's#<h1>Django on two memcached clusters</h1>#<h1>Edited while it runs</h1>#' "$tree/templates/home.html"
seconds=$(wait_for "$url/" "<h1>Edited while it runs</h1>" $TEMPLATE_SECONDS) || exit 1
log "a template edit (templates/home.html) served after $seconds s"

sed -i 's/^ENTRIES_PER_PAGE = 20$/ENTRIES_PER_PAGE = 3/' "$tree/feeds/views.py"
seconds=$(wait_for "$url/entries/" "Page 1 of 6" $CODE_SECONDS) || exit 1
log "a code edit (feeds/views.py) served after $seconds s"

container=$("${compose[@]}" ps -q web)
image=$(docker inspect --format '{{.Image}}' "$container")
on_exit "docker rmi '$image' >/dev/null 2>&1"  # replaced by the rebuild: no service owns it
echo "# a dependency change would go here ($(date +%s%N))" >>"$tree/pyproject.toml"  # unlike any cached build
start=$(date +%s)
until now=$("${compose[@]}" ps -q web) && [ -n "$now" ] && [ "$now" != "$container" ]; do
    (( $(date +%s) - start < REBUILD_SECONDS )) || { log "no rebuild after a pyproject.toml change"; tail -n 30 "$watch_log"; exit 1; }
    sleep 1
done
[ "$(docker inspect --format '{{.Image}}' "$now")" != "$image" ] || { log "web was recreated from the same image"; exit 1; }
wait_for "$url/entries/" "Page 1 of 6" $REBUILD_SECONDS >/dev/null || exit 1
log "a pyproject.toml change: image rebuilt, web recreated and serving after $(( $(date +%s) - start )) s"
log "passed"
