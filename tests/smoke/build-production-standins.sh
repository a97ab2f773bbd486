#!/usr/bin/env bash
# Build stand-ins for the official images docker-compose.production.yml names (python,
# memcached, nginx, postgres), tagged with those names, from Debian packages: where no
# registry is reachable (standins/Dockerfile). Does nothing for a tag that exists.
#
# Usage: build-production-standins.sh   (after build-standin-image.sh: it builds on that image)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
compose="$here/../../docker-compose.production.yml"

# The official names, as the compose file and the Dockerfiles pin them.
pinned() { grep -m1 -oE "$1:[0-9][A-Za-z0-9.-]*-bookworm" "$compose"; }
declare -A targets=(
    [python]=$(pinned python)
    [memcached]=$(pinned memcached)
    [nginx]=$(pinned nginx)
    [postgres]=$(pinned postgres)
)
for target in python memcached nginx postgres; do
    tag=${targets[$target]}
    if docker image inspect "$tag" >/dev/null 2>&1; then
        echo "stand-in $tag exists"
        continue
    fi
    docker build --quiet --network host --target "$target" \
        --build-arg BASE_IMAGE="${STANDIN_IMAGE:-reference-site-standin:bookworm}" \
        -t "$tag" "$here/standins" >/dev/null
    echo "built stand-in $tag"
done
