#!/bin/sh
# As the official nginx image's entrypoint: the scripts of /docker-entrypoint.d, then nginx.
set -e
for script in /docker-entrypoint.d/*.sh; do
    [ -x "$script" ] && "$script"
done
exec "$@"
