#!/bin/sh
# The host name this proxy serves, from SITE_HOST (docker-compose.production.yml): site.conf's
# default server closes, unanswered, every request that names another Host. Writes
# /etc/nginx/site-host.conf, or the file its argument names (tests).
set -eu
host=${SITE_HOST:-localhost}
out=${1:-/etc/nginx/site-host.conf}
case "$host" in
    "" | *[!A-Za-z0-9.-]*)
        echo "$0: SITE_HOST is '$host'; expected one host name, such as www.example.com" >&2
        exit 1
        ;;
esac
echo "server_name $host;" > "$out"
echo "$0: serving $host"
