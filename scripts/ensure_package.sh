#!/usr/bin/env bash
# Make sure a Debian package's file exists, installing the package with apt-get if we can.
# Usage: scripts/ensure_package.sh FILE PACKAGE
# Without root (or passwordless sudo) or apt-get it only warns, unless CI=true: then it fails.
set -euo pipefail

file=$1
package=$2

if [ -e "$file" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    sudo=(none)
fi

if command -v apt-get >/dev/null && [ "${sudo[0]:-}" != none ]; then
    echo "$file is missing: installing the Debian package $package"
    export DEBIAN_FRONTEND=noninteractive
    if ! "${sudo[@]}" apt-get install -y -q "$package"; then
        "${sudo[@]}" apt-get update -q
        "${sudo[@]}" apt-get install -y -q "$package"
    fi
    if [ -e "$file" ]; then
        exit 0
    fi
    echo "error: installed $package but $file is still missing" >&2
    exit 1
fi

echo "$file is missing and cannot be installed here (needs root and apt-get):" \
    "install the Debian package $package" >&2
if [ "${CI:-}" = true ]; then
    exit 1
fi
echo "warning: continuing without $package" >&2
