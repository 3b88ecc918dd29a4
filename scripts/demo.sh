#!/usr/bin/env bash
# The tour that "make demo" runs: validate and lint every shipped scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
DRSIM=${DRSIM:-./drsim}
out=${DEMO_OUT:-build/demo}
mkdir -p "$out"
say() { printf '\n== %s\n' "$*"; }

say "drsim $($DRSIM --version | cut -d' ' -f2): validating the shipped scenarios"
$DRSIM validate scenarios/*.yaml

say "posture lint of every scenario (findings are explained in each file's header)"
for f in scenarios/*.yaml; do
  printf '%-36s %s\n' "$f" "$($DRSIM lint "$f" | tail -n 1)"
done
$DRSIM lint scenarios/warm-standby.yaml || true

say "JSON Schema for editors: $out/drsim-scenario.schema.json"
$DRSIM schema > "$out/drsim-scenario.schema.json"
