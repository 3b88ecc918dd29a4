"""aws_sig.py - check AWS SigV4 signatures with Debian's python3-botocore.

Used by tests/fake_rds.py (every request it receives) and by
tests/sigv4_botocore.py (the fixed-clock cross-check of what drsim sends).
The signature is recomputed by botocore's own SigV4Auth / S3SigV4Auth /
SigV4QueryAuth with the clock pinned to the request's X-Amz-Date, over the
headers the request lists in SignedHeaders, and compared with what the
client sent.
"""
import datetime
import hmac
import types
import urllib.parse

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

_real_datetime = datetime.datetime


def _pinned(amz_date):
    fixed = _real_datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ")

    class Fixed(_real_datetime):
        @classmethod
        def utcnow(cls):
            return fixed

    return types.SimpleNamespace(datetime=Fixed)


def _parse_authorization(value):
    algo, _, rest = value.partition(" ")
    fields = {}
    for part in rest.split(","):
        k, _, v = part.strip().partition("=")
        fields[k] = v
    return algo, fields


def botocore_authorization(method, url, headers, body, access_key, secret, token, region, service,
                           amz_date, signed_headers):
    """The Authorization value botocore computes for this request."""
    keep = {}
    skip = {"x-amz-date", "x-amz-security-token", "authorization"}
    if service == "s3":
        skip.add("x-amz-content-sha256")
    lower = {k.lower(): v for k, v in headers.items()}
    for name in signed_headers:
        if name not in skip:
            keep[name] = lower.get(name, "")
    req = AWSRequest(method=method, url=url, data=body, headers=keep)
    cls = botocore.auth.S3SigV4Auth if service == "s3" else botocore.auth.SigV4Auth
    signer = cls(Credentials(access_key, secret, token), service, region)
    saved = botocore.auth.datetime
    botocore.auth.datetime = _pinned(amz_date)
    try:
        signer.add_auth(req)
    finally:
        botocore.auth.datetime = saved
    return req.headers["Authorization"]


def verify_header_signed(method, url, headers, body, secrets):
    """(ok, reason, fields).  secrets maps access key id -> secret key."""
    lower = {k.lower(): v for k, v in headers.items()}
    auth = lower.get("authorization")
    if not auth:
        return False, "missing Authorization", {}
    algo, f = _parse_authorization(auth)
    if algo != "AWS4-HMAC-SHA256":
        return False, "unsupported algorithm", {}
    try:
        access_key, day, region, service, term = f["Credential"].split("/")
    except (KeyError, ValueError):
        return False, "malformed Credential", {}
    if access_key not in secrets:
        return False, "unknown access key", {}
    amz_date = lower.get("x-amz-date", "")
    if not amz_date.startswith(day):
        return False, "X-Amz-Date does not match the credential scope", {}
    want = botocore_authorization(method, url, headers, body, access_key, secrets[access_key],
                                  lower.get("x-amz-security-token"), region, service, amz_date,
                                  f.get("SignedHeaders", "").split(";"))
    ok = hmac.compare_digest(want, auth)
    return ok, "" if ok else "signature mismatch", {"region": region, "service": service,
                                                    "access_key": access_key}


def verify_presigned(method, url, secrets):
    """Check a presigned URL (X-Amz-* query parameters) with SigV4QueryAuth."""
    parts = urllib.parse.urlsplit(url)
    pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    q = dict(pairs)
    try:
        access_key, day, region, service, term = q["X-Amz-Credential"].split("/")
        amz_date, expires, sig = q["X-Amz-Date"], int(q["X-Amz-Expires"]), q["X-Amz-Signature"]
    except (KeyError, ValueError):
        return False, "malformed presigned url", {}
    if access_key not in secrets:
        return False, "unknown access key", {}
    rest = [(k, v) for k, v in pairs if not k.startswith("X-Amz-")]
    base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path,
                                    urllib.parse.urlencode(rest, quote_via=urllib.parse.quote), ""))
    req = AWSRequest(method=method, url=base, data=b"", headers={})
    signer = botocore.auth.SigV4QueryAuth(Credentials(access_key, secrets[access_key],
                                                      q.get("X-Amz-Security-Token")),
                                          service, region, expires=expires)
    saved = botocore.auth.datetime
    botocore.auth.datetime = _pinned(amz_date)
    try:
        signer.add_auth(req)
    finally:
        botocore.auth.datetime = saved
    got = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(req.url).query))
    ok = hmac.compare_digest(got.get("X-Amz-Signature", ""), sig)
    return ok, "" if ok else "presigned signature mismatch", dict(rest, region=region)
