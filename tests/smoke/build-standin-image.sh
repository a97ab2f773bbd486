#!/usr/bin/env bash
# Build a stand-in for the official python and memcached base images from Debian packages.
#
# The compose smoke test runs where no container registry is reachable, so `python:` and
# `memcached:` cannot be pulled. One debootstrapped Debian bookworm root file system with
# python3 (+ venv, headers) and memcached stands in for both; the Dockerfile takes it via its
# PYTHON_IMAGE build argument, and the smoke override runs memcached from it.
#
# Usage: build-standin-image.sh IMAGE_TAG   (does nothing when the image already exists)
set -euo pipefail

tag=${1:?usage: build-standin-image.sh IMAGE_TAG}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if docker image inspect "$tag" >/dev/null 2>&1; then
    echo "stand-in image $tag already exists"
    exit 0
fi

rootfs=$(mktemp -d /tmp/standin-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT

echo "debootstrap bookworm into $rootfs (a few minutes)"
debootstrap --variant=minbase \
    --include=python3,python3-venv,python3-dev,memcached,ca-certificates \
    bookworm "$rootfs" "$mirror" >/dev/null

# Trust the same extra CAs as the host, so HTTPS from inside a build (pip) verifies the
# same way it does here.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
    chroot "$rootfs" update-ca-certificates >/dev/null
fi
# The official python image answers to `python`; Debian's only to `python3`.
ln -sf python3 "$rootfs/usr/bin/python"
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin

tar -C "$rootfs" -c . | docker import - "$tag" >/dev/null
echo "built stand-in image $tag"
