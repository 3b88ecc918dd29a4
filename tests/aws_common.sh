# aws_common.sh - sourced by the AWS integration tests: builds
# tests/integration/aws_tool.c against $BUILD/libdrsim.a, starts and stops
# tests/fake_rds.py on 127.0.0.1 (Debian's /usr/bin/python3 and its
# python3-botocore), and fake credentials that never leave this machine.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
PY=/usr/bin/python3
WORK=$(mktemp -d /tmp/drsim-aws-XXXXXX)
export AWS_ACCESS_KEY_ID=AKIDDRSIMTEST0000001
export AWS_SECRET_ACCESS_KEY=drsimTestSecretKey/DoNotLeak+0000000001
export AWS_SESSION_TOKEN=drsimTestSessionToken/DoNotLeak+000000000000000002
export AWS_REGION=us-east-1
export HOME=$WORK
unset AWS_PROFILE AWS_ENDPOINT_URL_RDS AWS_ENDPOINT_URL_S3 AWS_MAX_ATTEMPTS
FAKE_PID=
n=0
tap() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

# a sanitizer build's library needs the same flags at link time
case "$BUILD" in *build-san*) SANFLAGS=${SANFLAGS:-"-fsanitize=address,undefined -fno-omit-frame-pointer"};; esac

build_tool() {
	local pkgs="yaml-0.1 gsl libcurl openssl jansson libxml-2.0 libpq"
	cc -std=gnu11 -g -Wall -Wextra -Werror -I"$ROOT/sim" -I"$ROOT/drivers" $(pkg-config --cflags $pkgs) \
		${SANFLAGS:-} -o "$WORK/aws_tool" "$ROOT/tests/integration/aws_tool.c" "$BUILD/libdrsim.a" \
		$(pkg-config --libs $pkgs) -lm -pthread
}

# start_fake ARGS...: run the fake, export AWS_ENDPOINT_URL to it.
start_fake() {
	"$PY" "$ROOT/tests/fake_rds.py" --port-file "$WORK/port" --access-key "$AWS_ACCESS_KEY_ID" \
		--secret "$AWS_SECRET_ACCESS_KEY" "$@" >"$WORK/fake.log" 2>&1 &
	FAKE_PID=$!
	for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
	export AWS_ENDPOINT_URL="http://127.0.0.1:$(cat "$WORK/port")"
}

stop_all() {
	[ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null && wait "$FAKE_PID" 2>/dev/null
	rm -rf "$WORK"
}
trap stop_all EXIT

# no_secrets FILE...: 0 when no key, token or signature appears in them.
no_secrets() {
	! grep -l -e "$AWS_SECRET_ACCESS_KEY" -e "${AWS_SESSION_TOKEN:-drsimTestSessionToken}" -e 'Signature=' -e 'X-Amz-Signature' \
		-e 'X-Amz-Credential' -e 'PreSignedUrl=' "$@"
}
