#!/usr/bin/env bash
# bench/run.sh - run every benchmark binary in $BUILD/bench and print its
# figures (what "make bench" runs).  Benchmarks assert nothing.
set -u
BUILD=${BUILD:-build}
rc=0
for b in "$BUILD"/bench/bench_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b" || rc=1
done
exit $rc
