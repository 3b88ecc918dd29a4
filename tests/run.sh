#!/usr/bin/env bash
# tests/run.sh - run every test this machine can run and print one final
# "N passed, N failed" line.  Tiers:
#   unit         build/tests/test_* (cmocka), each test case counted
#   cli          tests/cli/cases.txt golden cases (args -> exit code -> pattern)
#   bad-input    tests/bad/*.yaml, each must fail with its exact "# expect:" line
#   integration  tests/integration/*.sh, TAP lines ("ok"/"not ok") counted
# Environment: DRSIM (the binary), BUILD (the build directory),
# TESTS=unit,cli,bad,integration to run a subset.
set -u
cd "$(dirname "$0")/.."
DRSIM=${DRSIM:-$PWD/drsim}
BUILD=${BUILD:-$PWD/build}
TESTS=${TESTS:-unit,cli,bad,integration}
export DRSIM BUILD
passed=0
failed=0
failures=()
log=$BUILD/test-logs
mkdir -p "$log"

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); failures+=("$1"); echo "FAIL: $1" >&2; }
want() { case ",$TESTS," in *",$1,"*) return 0;; esac; return 1; }

if want unit; then
  for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    out="$log/$name.log"
    "$t" >"$out" 2>&1
    rc=$?
    p=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$out" | awk '{s+=$4} END {print s+0}')
    f=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$out" | awk '{s+=$4} END {print s+0}')
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$f" -gt 0 ]; then
      failures+=("$name ($f failed)"); grep -E '^\[  FAILED  \]|^\[  ERROR   \]' "$out" >&2
    elif [ "$rc" -ne 0 ] || [ "$p" -eq 0 ]; then
      fail "$name (exit $rc, see $out)"; tail -n 20 "$out" >&2
    fi
    echo "unit: $name: $p passed, $f failed"
  done
fi

if want cli && [ -f tests/cli/cases.txt ]; then
  # Each case: "EXIT | REGEX | ARGS" (ARGS word-split by the shell; run from the repo root).
  while IFS= read -r line; do
    case "$line" in ''|'#'*) continue;; esac
    code=$(printf '%s' "$line" | awk -F' \\| ' '{print $1}')
    pat=$(printf '%s' "$line" | awk -F' \\| ' '{print $2}')
    args=$(printf '%s' "$line" | awk -F' \\| ' '{for (i=3;i<=NF;i++) printf "%s%s", (i>3?" | ":""), $i}')
    out=$(eval "\"\$DRSIM\" $args" 2>&1 </dev/null)
    rc=$?
    if [ "$rc" = "$code" ] && printf '%s' "$out" | grep -Eq -- "$pat"; then pass
    else fail "cli: drsim $args (exit $rc, want $code; pattern /$pat/)"; printf '%s\n' "$out" | head -n 5 >&2; fi
  done < tests/cli/cases.txt
  echo "cli: done"
fi

if want bad; then
  n=0
  for f in tests/bad/*.yaml; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    expect=$(sed -n 's/^# expect: //p' "$f" | head -n 1)
    out=$("$DRSIM" validate "$f" 2>&1 </dev/null)
    rc=$?
    if [ "$rc" = 2 ] && printf '%s\n' "$out" | grep -qxF -- "$expect"; then pass
    else fail "bad: $f (exit $rc) want: $expect"; printf '%s\n' "$out" | head -n 3 >&2; fi
  done
  echo "bad-input: $n cases"
fi

if want integration; then
  for t in tests/integration/*.sh; do
    [ -f "$t" ] || continue
    name=$(basename "$t" .sh)
    out="$log/integration-$name.log"
    timeout 900 bash "$t" >"$out" 2>&1
    rc=$?
    p=$(grep -cE '^ok ' "$out"); f=$(grep -cE '^not ok ' "$out")
    passed=$((passed + p)); failed=$((failed + f))
    [ "$f" -gt 0 ] && { failures+=("$name: $f failed"); grep -E '^not ok ' "$out" >&2; }
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then fail "integration $name (exit $rc, see $out)"; tail -n 30 "$out" >&2; fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$rc" -eq 0 ]; then fail "integration $name ran no test"; fi
    echo "integration: $name: $p passed, $f failed"
  done
fi

if [ ${#failures[@]} -gt 0 ]; then
  echo "failures:"; printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
