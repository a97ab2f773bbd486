#!/usr/bin/env bash
# The production topology: docker-compose.production.yml as it is, on stand-in images tagged
# with the official names (build-production-standins.sh), brought up healthy, checked over
# HTTPS through the proxy, then the fault drills under load (production_drill.py).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

start_docker
"$here/build-production-standins.sh"
HTTP_PORT=$(free_port)
HTTPS_PORT=$(free_port)
DEMO_PASSWORD=drill-$(python3 -c 'import secrets; print(secrets.token_hex(8))')
# The drill signs in as the demo users: the production file seeds none unless asked.
SEED_DEMO=true
export HTTP_PORT HTTPS_PORT DEMO_PASSWORD SEED_DEMO
compose=(docker compose -p "refsite-production-$$" -f "$root/docker-compose.production.yml")
workdir=$(mktemp -d)
on_exit rm -rf "$workdir"

log "building the web and proxy images (compose then runs them without --build)"
docker build --quiet --network host -t refsite-production-web "$root" >/dev/null
docker build --quiet --network host -t refsite-production-proxy "$root/deploy/proxy" >/dev/null
log "starting the topology"
started=$(date +%s)
"${compose[@]}" up -d --wait --wait-timeout 300 >/dev/null
log "every service healthy after $(( $(date +%s) - started )) s"

"${compose[@]}" cp proxy:/etc/nginx/certs/site.crt "$workdir/site.crt" >/dev/null
redirect=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$HTTP_PORT/feeds/")
[ "$redirect" = "301 https://127.0.0.1/feeds/" ] || { log "HTTP answered: $redirect"; exit 1; }
# grep without -q reads to the end: with -q it stops at the match, and curl, still writing,
# fails with "Failed writing body", which pipefail reports (it did, once the page grew).
curl -fsS --cacert "$workdir/site.crt" --resolve "localhost:$HTTPS_PORT:127.0.0.1" \
    "https://localhost:$HTTPS_PORT/feeds/" | grep -F '<h1>Feeds</h1>' >/dev/null \
    || { log "/feeds/ over HTTPS does not answer"; exit 1; }
# The probes are for the deployment: asked inside a replica, refused through the proxy.
"${compose[@]}" exec -T web python -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=5).read().decode())" \
    | grep -F '"status": "ready"' >/dev/null || { log "/readyz inside a replica is not ready"; exit 1; }
# The only warning: no mail server here (password reset answers 503; project.W001).
checked=$("${compose[@]}" exec -T web python manage.py check --deploy 2>&1)
[ "$(grep -c '^?: (' <<<"$checked")" = 1 ] && grep -q '^?: (project.W001)' <<<"$checked" \
    || { log "check --deploy said: $checked"; exit 1; }
log "HTTP redirects to HTTPS; HTTPS answers with the generated certificate; /readyz is ready inside; check --deploy warns only that no mail server is set"

python3 "$here/production_drill.py" "$HTTPS_PORT" "$workdir/site.crt" "$DEMO_PASSWORD" -- "${compose[@]}"
log "passed"
