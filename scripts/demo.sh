#!/usr/bin/env bash
# The tour: what "make demo" runs.
set -euo pipefail
cd "$(dirname "$0")/.."
./drsim --version
