#!/usr/bin/env bash
# aws_s3.sh - drsim's S3 client (PUT, GET, HEAD, LIST, DELETE, multipart,
# x-amz-content-sha256) against s3rver from the npm registry on 127.0.0.1.
# s3rver wants the access key S3RVER but does not check SigV4 signatures
# (tests/integration/sigv4_botocore.sh checks the S3 signatures).  The
# npm install goes to $BUILD/npm and is reused by later runs.
set -u
. "$(dirname "$0")/../aws_common.sh"
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
unset AWS_SESSION_TOKEN
NPMDIR=$BUILD/npm
if [ ! -x "$NPMDIR/node_modules/.bin/s3rver" ]; then
	mkdir -p "$NPMDIR" && (cd "$NPMDIR" && npm install --no-audit --no-fund --silent s3rver@3 >/dev/null 2>&1)
fi
[ -x "$NPMDIR/node_modules/.bin/s3rver" ]; tap $? "s3rver installed from npm (cached in $NPMDIR)"
build_tool; tap $? "aws_tool builds against libdrsim.a"
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/s3data"
"$NPMDIR/node_modules/.bin/s3rver" -d "$WORK/s3data" -a 127.0.0.1 -p "$port" --silent \
	--configure-bucket drsim-evidence >"$WORK/s3rver.log" 2>&1 &
S3_PID=$!
trap 'kill $S3_PID 2>/dev/null; wait $S3_PID 2>/dev/null; stop_all' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$port"
"$WORK/aws_tool" s3 "t$$" drsim-evidence 2>"$WORK/tool.err" >"$WORK/tool.out"
rc=$?
while IFS= read -r l; do
	case "$l" in ok*) tap 0 "s3: ${l#ok * - }";; "not ok"*) tap 1 "s3: ${l#not ok * - }";; esac
done < "$WORK/tool.out"
tap $rc "s3 flow exit status"
! grep -q "SignatureDoesNotMatch" "$WORK/tool.err"; tap $? "s3rver accepted every request"
no_secrets "$WORK/tool.err" "$WORK/tool.out"; tap $? "no key or signature in the output"

# Evidence kept in S3: a signed bundle uploaded with "drsim upload", fetched
# back with "drsim download", still verifies; a byte changed in the store is
# caught by "drsim verify".
export AWS_REGION=${AWS_REGION:-us-east-1}
"$DRSIM" keygen --out "$WORK/key" >/dev/null 2>&1
"$DRSIM" report tests/data/results/drill.json --format md -o "$WORK/rep" \
	--evidence "$WORK/bundle" --scenario scenarios/pg-sandbox-drill.yaml --key "$WORK/key.pem" >/dev/null 2>"$WORK/ev.err"
[ -f "$WORK/bundle/manifest.sig" ]; tap $? "a signed evidence bundle to store"
"$DRSIM" upload "$WORK/bundle" "s3://drsim-evidence/bundles/t$$" >"$WORK/up.out" 2>"$WORK/up.err"
tap $? "drsim upload stores the bundle ($(cat "$WORK/up.out"))"
"$DRSIM" download "s3://drsim-evidence/bundles/t$$" "$WORK/fetched" >"$WORK/down.out" 2>"$WORK/down.err"
tap $? "drsim download fetches it back ($(cat "$WORK/down.out"))"
[ "$(cd "$WORK/bundle" && find . -type f | sort | xargs sha256sum)" = "$(cd "$WORK/fetched" && find . -type f | sort | xargs sha256sum)" ]
tap $? "every file is byte-identical after the round trip"
"$DRSIM" verify "$WORK/fetched" --pubkey "$WORK/key.pub.pem" >/dev/null 2>&1; tap $? "the fetched bundle verifies"
mkdir -p "$WORK/tamper" && cp "$WORK/bundle/result.json" "$WORK/tamper/" && printf ' ' >> "$WORK/tamper/result.json"
"$DRSIM" upload "$WORK/tamper" "s3://drsim-evidence/bundles/t$$" >/dev/null 2>&1 \
	&& "$DRSIM" download "s3://drsim-evidence/bundles/t$$" "$WORK/fetched2" >/dev/null 2>&1
tap $? "one object replaced in the store, the bundle fetched again"
! "$DRSIM" verify "$WORK/fetched2" --pubkey "$WORK/key.pub.pem" >/dev/null 2>&1; tap $? "the changed object is caught by verify"
"$DRSIM" download "s3://drsim-evidence/nothing-here" "$WORK/none" >/dev/null 2>&1; [ $? -eq 3 ]; tap $? "downloading an empty prefix fails (exit 3)"
"$DRSIM" upload "$WORK/bundle" "http://not-s3" >/dev/null 2>&1; [ $? -eq 2 ]; tap $? "a location that is not s3:// is a usage error"
no_secrets "$WORK/up.err" "$WORK/down.err" "$WORK/up.out" "$WORK/down.out"; tap $? "no key or signature in upload/download output"
