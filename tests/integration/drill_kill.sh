#!/usr/bin/env bash
# drill_kill.sh - kill a drill with SIGKILL at several points and show that
# `drsim cleanup JOURNAL` then leaves no process, port or directory of the
# run behind, and that a second cleanup is a no-op.  Also: SIGTERM makes the
# drill clean up by itself.  Uses the dry-run driver (no server needed).
set -u
DRSIM=${DRSIM:-$PWD/drsim}
T=$(mktemp -d /tmp/drsim-kill-XXXXXX)
trap '[ -n "${KEEP_T:-}" ] || rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }

cat >"$T/s.yaml" <<'YAML'
drsim: 1
name: kill test
objectives: { rpo: 10s, rto: 1m, percentile: 95 }
sites:
  primary: { region: a }
  dr: { region: b }
databases:
  - { name: app, engine: postgres, size: 16MiB, write_rate: 64KiB/s }
protection:
  automated_backups: { retention: 1d, log_upload: 5s }
strategy: backup-restore
disasters:
  - { kind: instance-failure, rate: 1/10y, detect: 0s }
runbooks:
  instance-failure:
    - { step: restore, model: "uniform(1s, 2s)", action: { driver: db, op: restore } }
    - { step: long-command, model: "uniform(1s, 30s)", action: { driver: shell, run: "sleep 60" } }
drill: { driver: dry-run, cleanup: always, params: { step_time: 1500ms } }
YAML

# Processes whose environment carries the run's tag.
tagged_pids() {
  grep -lsa "DRSIM_RUN=$1" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 | grep -vx "$$" || true
}
ports_of() { grep '"kind":"port"' "$1" | sed -n 's/.*"id":"\([0-9]*\)".*/\1/p' | sort -u; }
port_free() { ! ss -Hltn "sport = :$1" | grep -q .; }

# kill_at PATTERN: start a drill, SIGKILL it once PATTERN shows on stderr.
kill_at() {
  local pat=$1 tag=$2 J="$T/$2.journal" W="$T/$2.work"
  TMPDIR=$T "$DRSIM" drill --journal "$J" "$T/s.yaml" >"$T/$tag.out" 2>"$T/$tag.err" &
  local pid=$!
  for _ in $(seq 1 200); do grep -q "$pat" "$T/$tag.err" 2>/dev/null && break; sleep 0.05; done
  sleep 0.2
  kill -KILL $pid; wait $pid 2>/dev/null
  local run; run=$(sed -n 's/.*"run":"\([^"]*\)".*/\1/p' "$J" | head -n 1)
  check "$tag: journal names the run" '[ -n "$run" ]'
  check "$tag: something was left behind before cleanup" '[ -n "$(tagged_pids "$run")" ] || ls -d "$T"/drsim-"$run" >/dev/null 2>&1'
  "$DRSIM" cleanup "$J" >"$T/$tag.c1" 2>&1
  check "$tag: cleanup exits 0" '[ $? -eq 0 ]'
  sleep 0.1
  check "$tag: no process of the run" '[ -z "$(tagged_pids "$run")" ]'
  check "$tag: no directory of the run" '! ls -d "$T"/drsim-"$run"* 2>/dev/null | grep -v journal | grep -q .'
  local p all=0
  for p in $(ports_of "$J"); do port_free "$p" || all=1; done
  check "$tag: every port of the run is free" '[ $all -eq 0 ]'
  "$DRSIM" cleanup "$J" >"$T/$tag.c2" 2>&1
  check "$tag: second cleanup is a no-op" '[ $? -eq 0 ] && ! grep -q removed "$T/$tag.c2"'
}

kill_at "setup " after-setup
kill_at "event at" after-inject
kill_at "restore .*running" during-restore
kill_at "long-command .*running" during-shell-step

# SIGTERM: the drill cleans up by itself and exits 3.
J="$T/term.journal"
TMPDIR=$T "$DRSIM" drill --journal "$J" "$T/s.yaml" >"$T/term.out" 2>"$T/term.err" &
pid=$!
for _ in $(seq 1 200); do grep -q "long-command .*running" "$T/term.err" 2>/dev/null && break; sleep 0.05; done
sleep 0.3
kill -TERM $pid; wait $pid; rc=$?
run=$(sed -n 's/.*"run":"\([^"]*\)".*/\1/p' "$J" | head -n 1)
check "sigterm: drill exits 3" '[ $rc -eq 3 ]'
check "sigterm: no process of the run" '[ -z "$(tagged_pids "$run")" ]'
check "sigterm: no directory of the run" '! ls -d "$T"/drsim-"$run" 2>/dev/null | grep -q .'
"$DRSIM" cleanup "$J" >"$T/term.c" 2>&1
check "sigterm: nothing left for cleanup" '[ $? -eq 0 ] && ! grep -q removed "$T/term.c"'
echo "1..$n"
