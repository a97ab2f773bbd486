#!/bin/sh
# Make a self-signed certificate for localhost on first start, unless one is there: mount
# your own as /etc/nginx/certs/site.crt and site.key (docs/deployment.md).
set -eu
certs=/etc/nginx/certs
if [ -s "$certs/site.crt" ] && [ -s "$certs/site.key" ]; then
    exit 0
fi
mkdir -p "$certs"
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -sha256 \
    -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$certs/site.key" -out "$certs/site.crt" 2>/dev/null
chmod 600 "$certs/site.key"
echo "$0: made a self-signed certificate for localhost in $certs"
