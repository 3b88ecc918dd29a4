#!/usr/bin/env bash
# pg_drills.sh - real PostgreSQL drills with the postgres-sandbox driver, one
# per strategy plus logical corruption (tests/data/pg/*.yaml).  Asserts what
# each strategy promises: multi-site loses no acknowledged write, backup and
# restore keeps its RPO within archive_timeout (log_upload, 2 s) plus a
# margin, the corrupted table comes back whole, data verified, nothing left.
# Prints TAP lines; skips (ok # SKIP) when no PostgreSQL server is installed.
set -u
cd "$(dirname "$0")/../.."
DRSIM=${DRSIM:-$PWD/drsim}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
n=0
tap() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

if ! "$DRSIM" drivers 2>/dev/null | grep -Eq '^postgres-sandbox +[^ ]+ +yes'; then
  echo "ok 1 - postgres-sandbox # SKIP not usable here"
  exit 0
fi

# field FILE EXPR: a value of the drill's JSON result
field() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); m=r['measured']; print($2)" "$1"; }

for s in backup-restore pilot-light warm-standby multi-site corruption; do
  j=$out/$s
  "$DRSIM" drill -f json -o "$j" --journal "$out/$s.journal" "tests/data/pg/$s.yaml" >"$out/$s.log" 2>&1
  rc=$?
  res=$(ls "$j"/*.json 2>/dev/null | head -n 1)
  if [ -z "$res" ]; then
    tap 1 "$s: drill wrote a result (exit $rc)"; tail -n 20 "$out/$s.log" | sed 's/^/# /'
    continue
  fi
  tap $([ "$rc" = 0 ] && echo 0 || echo 1) "$s: drill met its objectives (exit $rc)"
  [ "$rc" = 0 ] || tail -n 20 "$out/$s.log" | sed 's/^/# /'
  tap $([ "$(field "$res" "m['data_verified']")" = True ] && echo 0 || echo 1) "$s: data verified after recovery"
  tap $([ "$(field "$res" "m['cleanup_ok']")" = True ] && echo 0 || echo 1) "$s: cleanup left nothing"
  echo "# $s: $(field "$res" "'RPO %.3f s, RTO %.3f s, acked writes lost %d of %d' % (m['rpo_s'], m['rto_s'], m['acked_writes_lost'], m['acked_writes'])")"
  case $s in
    multi-site|pilot-light|warm-standby)
      lost=$(field "$res" "m['acked_writes_lost']")
      [ "$s" = multi-site ] && tap $([ "$lost" = 0 ] && echo 0 || echo 1) "multi-site: no acknowledged write lost ($lost)";;
    backup-restore)
      # archive_timeout 2 s: the archive lags the primary by at most that, plus a margin
      ok=$(field "$res" "0 if 0 <= m['rpo_s'] <= 2 + 1.5 else 1")
      tap "$ok" "backup-restore: RPO within archive_timeout + 1.5 s";;
    corruption)
      lost=$(field "$res" "m['acked_writes_lost']")
      tap $([ "$lost" = 0 ] && echo 0 || echo 1) "corruption: restored to just before the statement, no earlier write lost ($lost)"
      grep -q 'drsim_data: 26214 rows, expected 26214 (md5 identical)' "$res"
      tap $? "corruption: the deleted table is whole again";;
  esac
done
# nothing of any run is left: every journalled directory is gone and no
# journalled process still runs with its recorded start time
python3 - "$out"/*.journal <<'PY'
import json, os, sys
left = []
for path in sys.argv[1:]:
    for line in open(path):
        e = json.loads(line)
        if e.get("action") != "create" or e.get("phase") != "done":
            continue
        if e.get("kind") == "dir" and os.path.exists(e["id"]):
            left.append(e["id"])
        if e.get("kind") == "process" and "pid" in e:
            try:
                f = open("/proc/%d/stat" % e["pid"]).read()
                if int(f.rsplit(")", 1)[1].split()[19]) == e.get("pid_start"):
                    left.append("pid %d" % e["pid"])
            except OSError:
                pass
print("# left behind: %s" % (", ".join(left) or "nothing"))
sys.exit(1 if left else 0)
PY
tap $? "every journalled directory and process of the drills is gone"
