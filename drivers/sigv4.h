/*
 * sigv4.h - AWS Signature Version 4 (AWS4-HMAC-SHA256) for the AWS drivers:
 * the canonical request, the string to sign, the signing key derivation
 * and the signature, either as an Authorization header or as a presigned
 * query string (X-Amz-* parameters).
 *
 * The signer is pure: it reads a request description and returns what must
 * be added to the request; it never sends anything and never logs.  The
 * secrets it handles (secret key, session token, signature) live only in
 * the returned drv_sigv4_out, which the caller releases with
 * drv_sigv4_out_release() (the memory is wiped first).
 *
 * Hashing and HMAC come from OpenSSL (SHA-256, HMAC-SHA256).
 */
#ifndef DRV_SIGV4_H
#define DRV_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "dr.h"

#define DRV_SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define DRV_SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"

/* Credentials.  session_token is NULL for long-term keys. */
typedef struct {
	char *access_key_id;
	char *secret_access_key;
	char *session_token;
} drv_aws_creds;

/* One HTTP header, borrowed strings. */
typedef struct {
	const char *name;
	const char *value;
} drv_http_header;

/* The request to sign.  Strings are borrowed. */
typedef struct {
	const char *method;             /* "GET", "POST", ... */
	const char *path;               /* as on the wire: raw or percent-encoded, never NULL */
	const char *query;              /* as on the wire, without '?'; NULL or "" when none */
	const drv_http_header *headers; /* every header to sign; must include Host */
	size_t n_headers;
	const void *body;               /* may be NULL when body_len is 0 */
	size_t body_len;
	const char *payload_hash;       /* NULL: hex SHA-256 of body; else used as is
					 * (e.g. DRV_SIGV4_UNSIGNED_PAYLOAD) */
} drv_sigv4_request;

/* How to sign. */
typedef struct {
	const char *region;
	const char *service;       /* "rds", "s3", ... */
	time_t when;               /* signing time, seconds since the epoch (UTC) */
	bool normalize_path;       /* remove dot segments and empty segments (not S3) */
	bool double_encode;        /* percent-encode '%' in the path again (not S3) */
	bool content_sha256_header;/* header mode: add and sign x-amz-content-sha256 (S3) */
	bool token_unsigned;       /* add the session token after signing (not signed) */
	long expires_s;            /* > 0: presign (query string) valid this long */
} drv_sigv4_params;

/* What signing produced.  add[] are the headers to append to the request in
 * this order (X-Amz-Security-Token, X-Amz-Date, x-amz-content-sha256,
 * Authorization in header mode; none in presign mode).  query is the query
 * string to send in presign mode (the request's own parameters first, then
 * the X-Amz-* ones), NULL in header mode. */
typedef struct {
	char *canonical_request;
	char *string_to_sign;
	char signature[65];
	char *authorization;      /* header mode: the Authorization value */
	char *signed_headers;     /* "host;x-amz-date" */
	struct {
		char *name, *value;
	} add[4];
	size_t n_add;
	char *query;
} drv_sigv4_out;

/* Sign r with c as p says, filling *out (zeroed first).  DR_PARSE when the
 * request lacks a Host header, its method or path is missing, or the time
 * cannot be represented; DR_INTERNAL when OpenSSL fails.  On error *out
 * holds nothing to release. */
dr_err drv_sigv4_sign(const drv_sigv4_request *r, const drv_aws_creds *c, const drv_sigv4_params *p,
		      drv_sigv4_out *out) DR_WUR;
/* Wipe and free what drv_sigv4_sign() returned. */
void drv_sigv4_out_release(drv_sigv4_out *out);

/* Lowercase hex SHA-256 of data into hex[65]. */
void drv_sha256_hex(const void *data, size_t len, char hex[65]);
/* Percent-encode s (n bytes) as SigV4 wants: unreserved characters
 * (A-Z a-z 0-9 - . _ ~) are kept, everything else becomes %XX (uppercase);
 * '/' is kept when keep_slash.  Appends to b. */
void drv_uri_encode(dr_buf *b, const char *s, size_t n, bool keep_slash);

/* Credentials: copy (strings duplicated) and wipe+free. */
void drv_aws_creds_copy(drv_aws_creds *dst, const drv_aws_creds *src);
void drv_aws_creds_release(drv_aws_creds *c);

#endif
