#!/usr/bin/env bash
# bench/run.sh - run every benchmark and print its figures; asserts nothing.
# Benchmarks are the compiled $BUILD/bench/bench_* binaries (from
# bench/bench_*.c) and the bench/*.sh scripts other than this one; each
# prints lines like "engine.events_per_s pending=1000 median_of_5=1.23e7".
# Environment: BUILD (the build directory), DRSIM (the drsim binary).
# Exit status is non-zero only when a benchmark itself failed to run.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-$PWD/build}
DRSIM=${DRSIM:-$PWD/drsim}
export BUILD DRSIM
status=0

run() {
  echo "# $1"
  shift
  "$@"
  rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "# failed with exit $rc"
    status=1
  fi
}

for b in "$BUILD"/bench/bench_*; do
  [ -x "$b" ] && [ -f "$b" ] || continue
  case "$b" in *.d|*.o) continue;; esac
  run "$(basename "$b")" "$b"
done
for s in bench/*.sh; do
  [ -f "$s" ] || continue
  [ "$(basename "$s")" = run.sh ] && continue
  run "$(basename "$s" .sh)" bash "$s"
done
exit $status
