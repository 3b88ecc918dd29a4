#!/usr/bin/env bash
# aws_rds.sh - drsim's RDS client against tests/fake_rds.py: account id,
# snapshot (throttled, retried, idempotent), cross-region copy with a
# presigned URL, restore (capacity fault first), PITR to the latest
# restorable time, guarded and verified clean-up, no secret in any output.
set -u
. "$(dirname "$0")/../aws_common.sh"
build_tool; tap $? "aws_tool builds against libdrsim.a"
start_fake --fault CreateDBSnapshot:Throttling:2 --fault RestoreDBInstanceFromDBSnapshot:InsufficientDBInstanceCapacity:1 \
	--latency snapshot=0.6 --latency copy=1.0 --latency restore=1.0 --latency delete=0.3
run=t$$
"$WORK/aws_tool" rds "$run" 123456789012 2>"$WORK/tool.err" | tee "$WORK/tool.out" | sed "s/^\(not \)\{0,1\}ok [0-9]* - /&rds: /" | while IFS= read -r l; do echo "$l"; done > "$WORK/tap"
rc=${PIPESTATUS[0]}
# renumber the tool's TAP lines after ours
while IFS= read -r l; do
	case "$l" in ok*) tap 0 "${l#ok * - }";; "not ok"*) tap 1 "${l#not ok * - }";; esac
done < "$WORK/tap"
tap $rc "rds flow exit status"
grep -q "CreateDBSnapshot -> 400 Throttling" "$WORK/tool.err"; tap $? "throttling seen in the log"
"$PY" - "$AWS_ENDPOINT_URL" "$run" <<'PY'
import json, sys, urllib.request
state = json.load(urllib.request.urlopen(sys.argv[1] + "/__state"))
left = [r for k in ("instance", "cluster", "snapshot") for r in state[k]
        if any(t["Key"] == "drsim-run" and t["Value"] == sys.argv[2] for t in r["Tags"])]
bad = [c for c in state["calls"] if not c["ok_sig"]]
sys.exit(1 if left or bad else 0)
PY
tap $? "fake: nothing tagged with the run is left and every signature verified with botocore"
no_secrets "$WORK/tool.err" "$WORK/tool.out"; tap $? "no key, token, signature or presigned url in the output"
