#!/usr/bin/env bash
# The tour that "make demo" runs: check the shipped scenarios, simulate and
# compare strategies, plan and run a real PostgreSQL drill, render reports,
# sign and verify an evidence bundle.
# Everything it writes goes under build/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
DRSIM=${DRSIM:-./drsim}
out=${DEMO_OUT:-build/demo}
rm -rf "$out"
mkdir -p "$out"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# simulate/compare exit 1 when an objective is missed: that is a finding, not a failure
allow_missed() { "$@" || { rc=$?; [ "$rc" -eq 1 ] || exit "$rc"; }; }
show() { allow_missed $DRSIM report "$1" --format text; }

say "drsim $($DRSIM --version | cut -d' ' -f2): validating the shipped scenarios"
$DRSIM validate scenarios/*.yaml

say "posture lint (each scenario's header explains its findings)"
for f in scenarios/*.yaml; do
  printf '  %-36s %s\n' "$f" "$($DRSIM lint "$f" | tail -n 1)"
done

say "simulate: warm standby, 20 000 trials per disaster kind"
allow_missed $DRSIM simulate scenarios/warm-standby.yaml --trials 20000 --format text,json,html -o "$out/warm-standby"
show "$out/warm-standby/simulate.json" | sed -n '/^Objectives/,/^$/p'

say "fleet: 60 databases competing for 10 restore slots after a region outage"
allow_missed $DRSIM simulate scenarios/fleet.yaml --trials 5000 --format json,html -o "$out/fleet"
show "$out/fleet/simulate.json" | sed -n '/^Fleet/,/^$/p'

say "compare the four strategies on the same estate"
allow_missed $DRSIM compare scenarios/warm-standby.yaml --disaster region-outage --trials 5000 \
  --format text,html -o "$out/compare"
sed -n '/^Strategies/,$p' "$out/compare/compare.txt"

say "the exact actions of a drill, touching nothing"
$DRSIM plan scenarios/pg-sandbox-drill.yaml | sed -n '/^injection/,/^recovery/p'

say "a real drill: PostgreSQL sandbox, canary, SIGKILL, restore + WAL replay, measured RPO/RTO"
$DRSIM keygen --out "$out/demo-key" >/dev/null
allow_missed $DRSIM drill scenarios/pg-sandbox-drill.yaml --format text,json,html -o "$out/drill" \
  --evidence "$out/drill-evidence" --key "$out/demo-key.pem"
sed -n '/^Drill measurements/,/^Result/p' "$out/drill/drill.txt"

say "verify the drill's signed evidence bundle"
$DRSIM verify "$out/drill-evidence" --pubkey "$out/demo-key.pub.pem"

$DRSIM schema > "$out/drsim-scenario.schema.json"
say "written under $out/: HTML reports (open $out/drill/drill.html and $out/warm-standby/simulate.html), the evidence bundle, the schema"
