#!/usr/bin/env bash
# drill_interactive.sh - manual steps: with --interactive the operator's
# confirmation on stdin is waited for and timed (source "measured"); without
# it the modeled p50 is declared (source "declared"), and a closed stdin is
# an error, not a hang.  Uses the dry-run driver (no server needed).
set -u
DRSIM=${DRSIM:-$PWD/drsim}
T=$(mktemp -d /tmp/drsim-interactive-XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
step() { # step RESULT_DIR NAME FIELD
  python3 -c 'import glob,json,sys
r = json.load(open(glob.glob(sys.argv[1] + "/*.json")[0]))
s = [s for s in r["disasters"][0]["steps"] if s["name"] == sys.argv[2]][0]
print(s[sys.argv[3]])' "$@"
}

(sleep 1.5; echo) | TMPDIR=$T "$DRSIM" drill scenarios/dry-run-drill.yaml --interactive -f json -o "$T/i" >"$T/i.out" 2>"$T/i.err"
check "interactive drill ran to the end (exit 0 or 1)" '[ $? -le 1 ]'
check "the prompt named the manual step" 'grep -q "manual step .declare." "$T/i.err"'
check "the confirmed manual step is measured" '[ "$(step "$T/i" declare source)" = measured ]'
check "its time is the operator's (>= 1 s, < 30 s)" 'python3 -c "import sys; v=float(sys.argv[1]); sys.exit(0 if 1.0 <= v < 30 else 1)" "$(step "$T/i" declare measured_s)"'

TMPDIR=$T "$DRSIM" drill scenarios/dry-run-drill.yaml -f json -o "$T/d" >"$T/d.out" 2>"$T/d.err" </dev/null
check "non-interactive drill ran to the end (exit 0 or 1)" '[ $? -le 1 ]'
check "the manual step is declared from the model" '[ "$(step "$T/d" declare source)" = declared ]'

TMPDIR=$T "$DRSIM" drill scenarios/dry-run-drill.yaml --interactive -f json -o "$T/c" >"$T/c.out" 2>"$T/c.err" </dev/null
rc=$?
check "interactive with stdin closed fails (exit 3), not hangs" '[ $rc -eq 3 ]'
check "and still cleans up" 'grep -q "cleanup .*done" "$T/c.err"'
echo "1..$n"
