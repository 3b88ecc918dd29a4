/*
 * aws_http.h - one signed AWS request over libcurl, with the SDKs'
 * "standard" retry mode: max_attempts (3 by default) attempts, full-jitter
 * exponential backoff (random(0,1) * 2^(attempt-1) s, capped at 20 s),
 * retrying throttling error codes, HTTP 429/500/502/503/504, transient
 * error codes and transport errors, under a client-wide retry quota
 * (500 tokens; a retry costs 5, 10 after a timeout; a success refunds the
 * cost of its retries, or adds 1 when it needed none).
 *
 * A client (drv_aws) carries the configuration (aws_config.h), a curl
 * handle, the retry quota and a call log.  Logging never includes
 * credentials, signatures or presigned URLs: only method, service,
 * region, action or path, status, error code and duration.
 * Not thread-safe: one client per thread.
 */
#ifndef DRV_AWS_HTTP_H
#define DRV_AWS_HTTP_H

#include <stdio.h>

#include <libxml/tree.h>

#include "aws_config.h"
#include "dr.h"
#include "sigv4.h"

#define DRV_AWS_MAX_BACKOFF_S 20.0
#define DRV_AWS_RETRY_QUOTA 500
#define DRV_AWS_RETRY_COST 5
#define DRV_AWS_TIMEOUT_RETRY_COST 10

typedef struct drv_aws drv_aws;

/* A request.  Strings borrowed. */
typedef struct {
	const char *service;            /* signing name: "rds", "s3", "sts" */
	const char *region;             /* NULL: the client's region */
	const char *method;
	const char *path;               /* wire form, starts with '/' */
	const char *query;              /* wire form without '?', may be NULL */
	const drv_http_header *headers; /* extra headers, signed and sent (Content-Type, ...) */
	size_t n_headers;
	const void *body;
	size_t body_len;
	const char *what;               /* for the log, e.g. "CreateDBSnapshot" or "PUT key" */
} drv_aws_req;

/* A response.  Release with drv_aws_resp_release. */
typedef struct {
	long status;          /* HTTP status, 0 after a transport error */
	dr_buf body;
	char *error_code;     /* parsed from an XML error body, NULL on success */
	char *error_message;
	char *request_id;
	char *etag;           /* ETag response header, quotes kept */
	long long content_length; /* Content-Length header, -1 when absent */
	int attempts;         /* attempts made */
} drv_aws_resp;

/* A new client for cfg (consumed: the client releases it). */
drv_aws *drv_aws_new(drv_aws_config *cfg);
void drv_aws_free(drv_aws *a);
const drv_aws_config *drv_aws_cfg(const drv_aws *a);
/* Sign with this fixed time instead of the clock (tests; 0 = clock). */
void drv_aws_set_fixed_time(drv_aws *a, time_t t);
/* Log each attempt as one line to f (NULL: silent). */
void drv_aws_set_log(drv_aws *a, FILE *f);
/* Retry quota left (tests, reports). */
int drv_aws_retry_quota(const drv_aws *a);
/* Total retries made by this client. */
unsigned drv_aws_retries(const drv_aws *a);

/*
 * Send r, retrying as standard mode says.  DR_OK for a 2xx; otherwise
 * out->status/error_code say what happened and the return is DR_RETRY
 * (throttled or 5xx after the last attempt), DR_IO (transport error after
 * the last attempt) or DR_REMOTE (any other error reply).  The message is
 * left to the caller, who knows what the call was for.
 */
dr_err drv_aws_send(drv_aws *a, const drv_aws_req *r, drv_aws_resp *out) DR_WUR;
void drv_aws_resp_release(drv_aws_resp *r);

/* Is code one of the standard-mode throttling error codes? */
bool drv_aws_is_throttle(const char *code);
/* Backoff before retry number attempt (1 = first retry) for a uniform
 * draw u in [0,1): min(u * 2^(attempt-1), 20). */
double drv_aws_backoff(int attempt, double u);

/* Append key=value to a form body ("&" between pairs), both encoded. */
void drv_aws_form_add(dr_buf *b, const char *key, const char *value);

/* Build a presigned GET URL on the endpoint of service in region with the
 * given query (wire form), valid expires_s seconds.  Caller frees (it is a
 * secret: never log it). */
char *drv_aws_presign(drv_aws *a, const char *service, const char *region, const char *query,
		      long expires_s);

/* The first element called name at or under node (depth first), or NULL. */
xmlNode *drv_xml_find(xmlNode *node, const char *name);
/* The text content of n as a new string (caller frees); NULL for NULL. */
char *drv_xml_text(xmlNode *n);

#endif
