#!/usr/bin/env bash
# Installs the Debian packages the image suite (tests/image/) and tests/image/benchImage.ts
# need: buildah builds app/Dockerfile without a Docker engine, docker-registry is the
# local registry the images are pushed to, and qemu-user-static runs arm64 code on this
# x86 host. Safe to run again: packages already present are left alone, and nothing is
# printed but errors and one closing line.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
    echo "install-tools.sh: must run as root (it calls apt-get install)" >&2
    exit 1
fi

packages=(
    buildah            # builds the Dockerfile (chroot isolation, vfs storage: no daemon, no overlay)
    docker-registry    # the CNCF distribution registry, served on 127.0.0.1 by the suite
    qemu-user-static   # qemu-aarch64-static: runs arm64 binaries on x86_64
    ca-certificates
    debian-archive-keyring   # signs the Debian lists the suite reads for its stand-in base images
)
# dpkg-query exits non-zero for an unknown package; count only the ones installed cleanly.
missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    if [ "$status" != "installed" ]; then
        missing+=("$package")
    fi
done

if [ "${#missing[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    # docker-registry ships an init script; keep its postinst from starting a registry on
    # port 5000 that nobody asked for. Only a policy file this script created is removed.
    policy=/usr/sbin/policy-rc.d
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' > "$policy"
        chmod 755 "$policy"
        trap 'rm -f "$policy"' EXIT
    fi
    log=$(mktemp)
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "install-tools.sh: apt-get failed installing: ${missing[*]}" >&2
        exit 1
    fi
    rm -f "$log"
fi

# Fail here, loudly, rather than in the middle of a test.
for tool in buildah docker-registry qemu-aarch64-static dpkg-deb apt-get chroot tar mount; do
    command -v "$tool" >/dev/null || { echo "install-tools.sh: $tool still missing after install" >&2; exit 1; }
done
echo "install-tools.sh: buildah $(buildah --version | awk '{print $3}'), docker-registry, qemu-aarch64-static ready"
