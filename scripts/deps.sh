#!/bin/sh
# Install the Debian packages drsim needs to build, test and demo.
# Idempotent and quiet when everything is already present.
set -eu
PKGS="build-essential pkg-config clang libclang-rt-14-dev libyaml-dev libgsl-dev \
libcurl4-openssl-dev libssl-dev libjansson-dev libxml2-dev libpq-dev libcmocka-dev \
postgresql postgresql-contrib python3 python3-yaml python3-jsonschema python3-botocore chromium \
procps iproute2 util-linux curl"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
# node and npm (for the s3rver test peer) normally come with the machine;
# Debian's own packages only where they are missing, since they conflict
# with a node installed otherwise.
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: missing Debian packages:$missing (run as root to install them)" >&2
  exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends $missing >/dev/null
