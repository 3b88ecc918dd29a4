#!/usr/bin/env python3
"""sigv4_botocore.py - fixed-clock cross-check of drsim's SigV4 signatures
against Debian's python3-botocore (SigV4Auth for RDS, S3SigV4Auth for S3).

A capture server on 127.0.0.1 answers the requests drsim's clients send
(tests/integration/aws_tool.c "send": an RDS CreateDBSnapshot and an S3
PutObject) with minimal success replies, and for each one recomputes the
Authorization header with botocore, the clock pinned to --time, over the
request's signed headers and body.  Prints one TAP line per request.
Usage: sigv4_botocore.py --port-file F --secret S --time EPOCH --count N
"""
import argparse
import datetime
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aws_sig  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--secret", required=True)
    ap.add_argument("--time", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    args = ap.parse_args()
    amz_date = datetime.datetime.fromtimestamp(args.time, datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    results = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def handle_any(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = dict(self.headers.items())
            auth = headers.get("Authorization", "")
            _, fields = aws_sig._parse_authorization(auth)
            access_key, _, region, service, _ = fields.get("Credential", "////").split("/")
            want = aws_sig.botocore_authorization(
                self.command, f"http://{headers.get('Host')}{self.path}", headers, body, access_key,
                args.secret, headers.get("X-Amz-Security-Token"), region, service, amz_date,
                fields.get("SignedHeaders", "").split(";"))
            ok = want == auth and headers.get("X-Amz-Date") == amz_date
            results.append((ok, f"{service} {self.command} {self.path.split('?')[0]}: Authorization "
                                f"{'identical to' if ok else 'differs from'} botocore's"))
            if service == "rds":
                reply = ('<CreateDBSnapshotResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">'
                         "<CreateDBSnapshotResult><DBSnapshot><DBSnapshotIdentifier>drsim-xcheck-snap"
                         "</DBSnapshotIdentifier><Status>creating</Status></DBSnapshot></CreateDBSnapshotResult>"
                         "</CreateDBSnapshotResponse>").encode()
            else:
                reply = b""
            self.send_response(200)
            self.send_header("Content-Length", str(len(reply)))
            self.send_header("ETag", '"0"')
            self.end_headers()
            self.wfile.write(reply)

        do_POST = do_PUT = do_GET = handle_any

    srv = HTTPServer(("127.0.0.1", 0), Handler)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    while len(results) < args.count:
        srv.handle_request()
    for i, (ok, what) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {what}", flush=True)


if __name__ == "__main__":
    main()
