#!/usr/bin/env bash
# sigv4_botocore.sh - the RDS and S3 requests drsim's clients actually send,
# signed with a fixed clock, must carry byte for byte the Authorization
# header Debian's python3-botocore computes for them (tests/sigv4_botocore.py).
set -u
. "$(dirname "$0")/../aws_common.sh"
build_tool || { echo "not ok 1 - aws_tool builds"; exit 1; }
export DRSIM_AWS_FIXED_TIME=1795000000
"$PY" "$ROOT/tests/sigv4_botocore.py" --port-file "$WORK/port" --secret "$AWS_SECRET_ACCESS_KEY" \
	--time "$DRSIM_AWS_FIXED_TIME" --count 2 >"$WORK/check.tap" 2>"$WORK/check.err" &
CHECK_PID=$!
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
export AWS_ENDPOINT_URL="http://127.0.0.1:$(cat "$WORK/port")"
"$WORK/aws_tool" send 2>"$WORK/tool.err"
rc=$?
wait "$CHECK_PID"
cat "$WORK/check.tap" "$WORK/check.err"
[ "$rc" = 0 ] && echo "ok 3 - drsim's clients accepted the replies" || echo "not ok 3 - drsim's clients accepted the replies"
