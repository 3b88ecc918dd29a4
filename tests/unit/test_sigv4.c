/*
 * test_sigv4.c - the SigV4 signer against every case of the AWS SigV4 test
 * suite (classic .req/.creq/.sts/.authz/.sreq layout and the aws-c-auth
 * context.json layout, header and presigned variants), byte for byte.
 *
 * The suite is found through $DRSIM_SIGV4_SUITE, else at
 * ../shared/testdata/aws-sig-v4-test-suite relative to the repository root
 * (the working directory of tests/run.sh).  A missing suite is a failure.
 */
#define _GNU_SOURCE
#include "testutil.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dr.h"
#include "sigv4.h"

#define SUITE_DEFAULT "../shared/testdata/aws-sig-v4-test-suite"
#define SUITE_TIME 1440938160 /* 20150830T123600Z */

static const char *suite_dir(void)
{
	const char *d = getenv("DRSIM_SIGV4_SUITE");
	return d && *d ? d : SUITE_DEFAULT;
}

/* A whole file with '\r' removed, or NULL. */
static char *slurp(const char *dir, const char *name, const char *ext)
{
	char *path = dr_asprintf("%s/%s%s", dir, name, ext);
	char *s = dr_read_file(path, NULL);
	free(path);
	if (!s) return NULL;
	char *o = s;
	for (char *i = s; *i; i++)
		if (*i != '\r') *o++ = *i;
	*o = '\0';
	return s;
}

/* A parsed raw request; header lines kept verbatim for the signed copy. */
typedef struct {
	char *method, *uri, *version, *path, *query;
	char **names, **values; /* values of folded headers keep their newlines */
	size_t n;
	char *head_lines;       /* every header line as in the file, '\n'-terminated */
	char *body;
	bool has_body;
} raw_req;

static void req_parse(raw_req *r, const char *text)
{
	memset(r, 0, sizeof(*r));
	const char *sep = strstr(text, "\n\n");
	char *head = sep ? dr_strndup(text, (size_t)(sep - text)) : dr_strdup(text);
	r->has_body = sep != NULL;
	r->body = dr_strdup(sep ? sep + 2 : "");
	/* drop one trailing newline of a head without body */
	size_t hl = strlen(head);
	if (hl && head[hl - 1] == '\n') head[--hl] = '\0';
	char *nl = strchr(head, '\n');
	char *line = nl ? dr_strndup(head, (size_t)(nl - head)) : dr_strdup(head);
	char *sp1 = strchr(line, ' '), *sp2 = strrchr(line, ' ');
	if (!sp1 || sp1 == sp2) sp1 = sp2 = line + strlen(line); /* malformed: compared and reported later */
	r->method = dr_strndup(line, (size_t)(sp1 - line));
	r->uri = sp1 == sp2 ? dr_strdup("") : dr_strndup(sp1 + 1, (size_t)(sp2 - sp1 - 1));
	r->version = dr_strdup(*sp2 ? sp2 + 1 : "");
	char *q = strchr(r->uri, '?');
	r->path = q ? dr_strndup(r->uri, (size_t)(q - r->uri)) : dr_strdup(r->uri);
	r->query = dr_strdup(q ? q + 1 : "");
	free(line);
	dr_buf lines = {0};
	size_t cap = 0;
	for (char *l = nl ? nl + 1 : NULL; l && *l;) {
		char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) : strlen(l);
		char *one = dr_strndup(l, len);
		dr_buf_printf(&lines, "%s\n", one);
		if ((*one == ' ' || *one == '\t') && r->n) {
			char *v = dr_asprintf("%s\n%s", r->values[r->n - 1], one);
			free(r->values[r->n - 1]);
			r->values[r->n - 1] = v;
		} else {
			char *colon = strchr(one, ':');
			size_t capv = cap;
			DR_GROW(r->names, r->n, cap);
			DR_GROW(r->values, r->n, capv);
			r->names[r->n] = colon ? dr_strndup(one, (size_t)(colon - one)) : dr_strdup(one);
			r->values[r->n] = dr_strdup(colon ? colon + 1 : "");
			r->n++;
		}
		free(one);
		l = e ? e + 1 : NULL;
	}
	r->head_lines = dr_buf_take(&lines);
	free(head);
}

static void req_free(raw_req *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->names[i]);
		free(r->values[i]);
	}
	free(r->names);
	free(r->values);
	free(r->method);
	free(r->uri);
	free(r->version);
	free(r->path);
	free(r->query);
	free(r->head_lines);
	free(r->body);
}

static dr_err sign(const raw_req *r, const drv_aws_creds *c, const drv_sigv4_params *p, drv_sigv4_out *out)
{
	drv_http_header *h = dr_calloc(r->n + 1, sizeof(*h));
	for (size_t i = 0; i < r->n; i++) h[i] = (drv_http_header){r->names[i], r->values[i]};
	drv_sigv4_request req = {.method = r->method, .path = r->path, .query = r->query, .headers = h,
				 .n_headers = r->n, .body = r->body, .body_len = strlen(r->body)};
	dr_err err = drv_sigv4_sign(&req, c, p, out);
	free(h);
	return err;
}

static int mismatches;

static void expect_same(const char *cas, const char *what, const char *got, const char *want)
{
	if (!want) {
		fprintf(stderr, "%s: %s: expected file missing\n", cas, what);
		mismatches++;
	} else if (!got || strcmp(got, want)) {
		fprintf(stderr, "%s: %s differs\n--- got\n%s\n--- want\n%s\n", cas, what, got ? got : "(null)", want);
		mismatches++;
	}
}

static const char *sts_token_value(const char *dir)
{
	static char token[1024];
	char *readme = slurp(dir, "/../readme", ".txt");
	token[0] = '\0';
	if (!readme) return NULL;
	for (char *l = strtok(readme, "\n"); l; l = strtok(NULL, "\n"))
		if (!strncmp(l, "AQoD", 4)) snprintf(token, sizeof(token), "%s", l);
	free(readme);
	return token[0] ? token : NULL;
}

static char *creq_token(const char *creq)
{
	const char *t = creq ? strstr(creq, "x-amz-security-token:") : NULL;
	if (!t) return NULL;
	t += strlen("x-amz-security-token:");
	return dr_strndup(t, strcspn(t, "\n"));
}

/* One classic case: DIR/NAME.{req,creq,sts,authz,sreq}. */
static void classic_case(const char *dir, const char *name)
{
	char *reqt = slurp(dir, name, ".req"), *creq = slurp(dir, name, ".creq"), *sts = slurp(dir, name, ".sts");
	char *authz = slurp(dir, name, ".authz"), *sreq = slurp(dir, name, ".sreq");
	drv_aws_creds c = {.access_key_id = "AKIDEXAMPLE",
			   .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"};
	drv_sigv4_params p = {.region = "us-east-1", .service = "service", .when = SUITE_TIME,
			      .normalize_path = true, .double_encode = true};
	char *token = NULL;
	if (!strcmp(name, "get-vanilla-with-session-token")) token = creq_token(creq);
	if (!strncmp(name, "post-sts-header-", 16)) {
		const char *t = sts_token_value(dir);
		token = t ? dr_strdup(t) : NULL;
		p.token_unsigned = !strcmp(name, "post-sts-header-after");
	}
	c.session_token = token;
	raw_req r;
	req_parse(&r, reqt ? reqt : "");
	drv_sigv4_out o;
	if (!reqt || sign(&r, &c, &p, &o) != DR_OK) {
		fprintf(stderr, "%s: cannot sign\n", name);
		mismatches++;
		goto done;
	}
	expect_same(name, "canonical request", o.canonical_request, creq);
	expect_same(name, "string to sign", o.string_to_sign, sts);
	expect_same(name, "authorization", o.authorization, authz);
	dr_buf sr = {0};
	dr_buf_printf(&sr, "%s %s %s\n%s", r.method, r.uri, r.version, r.head_lines);
	for (size_t i = 0; i < o.n_add; i++)
		dr_buf_printf(&sr, "%s:%s%s%s", o.add[i].name, strcmp(o.add[i].name, "Authorization") ? "" : " ",
			      o.add[i].value, i + 1 < o.n_add ? "\n" : "");
	if (r.has_body) dr_buf_printf(&sr, "\n\n%s", r.body);
	if (!strcmp(name, "get-vanilla-with-session-token")) {
		/* Suite erratum: this .sreq carries the signature computed without
		 * the token (the .authz carries the right one).  Check exactly that. */
		drv_aws_creds plain = c;
		plain.session_token = NULL;
		drv_sigv4_out o2;
		if (sign(&r, &plain, &p, &o2) != DR_OK) {
			mismatches++;
		} else {
			char *fixed = dr_strdup(sr.s);
			char *at = strstr(fixed, o.signature);
			if (at) memcpy(at, o2.signature, 64);
			expect_same(name, "signed request (erratum)", fixed, sreq);
			free(fixed);
			drv_sigv4_out_release(&o2);
		}
	} else {
		expect_same(name, "signed request", sr.s, sreq);
	}
	dr_buf_release(&sr);
	drv_sigv4_out_release(&o);
done:
	req_free(&r);
	free(token);
	free(reqt);
	free(creq);
	free(sts);
	free(authz);
	free(sreq);
}

static int classic_walk(const char *dir)
{
	int n = 0;
	DIR *d = opendir(dir);
	if (!d) return 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "aws-c-auth-v4")) continue;
		char *sub = dr_asprintf("%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
			char *req = dr_asprintf("%s/%s.req", sub, e->d_name);
			if (access(req, R_OK) == 0) {
				classic_case(sub, e->d_name);
				n++;
			} else {
				n += classic_walk(sub);
			}
			free(req);
		}
		free(sub);
	}
	closedir(d);
	return n;
}

static void test_classic_layout(void **state)
{
	mismatches = 0;
	int n = classic_walk(suite_dir());
	if (n == 0) fail_msg("sigv4 test suite not found at \"%s\" (set DRSIM_SIGV4_SUITE)", suite_dir());
	assert_int_equal(n, 34);
	assert_int_equal(mismatches, 0);
}

/* One aws-c-auth case, header (presign false) or query (presign true). */
static void cauth_case(const char *dir, const char *name, bool presign)
{
	char *base = dr_asprintf("%s/%s", dir, name);
	const char *pre = presign ? "query-" : "header-";
	char *ctx = slurp(base, "context", ".json"), *reqt = slurp(base, "request", ".txt");
	char *f_cr = dr_asprintf("%scanonical-request", pre), *f_sts = dr_asprintf("%sstring-to-sign", pre);
	char *f_sig = dr_asprintf("%ssignature", pre), *f_sr = dr_asprintf("%ssigned-request", pre);
	char *creq = slurp(base, f_cr, ".txt"), *sts = slurp(base, f_sts, ".txt");
	char *sig = slurp(base, f_sig, ".txt"), *sreq = slurp(base, f_sr, ".txt");
	char *label = dr_asprintf("aws-c-auth-v4/%s (%s)", name, presign ? "presigned" : "header");
	json_error_t jerr;
	json_t *j = ctx ? json_loads(ctx, 0, &jerr) : NULL;
	raw_req r;
	req_parse(&r, reqt ? reqt : "");
	if (!j || !reqt) {
		fprintf(stderr, "%s: unreadable case\n", label);
		mismatches++;
		goto done;
	}
	json_t *cr = json_object_get(j, "credentials");
	drv_aws_creds c = {
		.access_key_id = (char *)json_string_value(json_object_get(cr, "access_key_id")),
		.secret_access_key = (char *)json_string_value(json_object_get(cr, "secret_access_key")),
		.session_token = (char *)json_string_value(json_object_get(cr, "token")),
	};
	bool normalize = json_is_true(json_object_get(j, "normalize"));
	drv_sigv4_params p = {
		.region = json_string_value(json_object_get(j, "region")),
		.service = json_string_value(json_object_get(j, "service")),
		.normalize_path = normalize,
		.double_encode = normalize,
		.content_sha256_header = json_is_true(json_object_get(j, "sign_body")),
		.token_unsigned = json_is_true(json_object_get(j, "omit_session_token")),
		.expires_s = presign ? (long)json_integer_value(json_object_get(j, "expiration_in_seconds")) : 0,
	};
	struct tm tm = {0};
	const char *ts = json_string_value(json_object_get(j, "timestamp"));
	if (!ts || !strptime(ts, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		mismatches++;
		goto done;
	}
	p.when = timegm(&tm);
	drv_sigv4_out o;
	if (sign(&r, &c, &p, &o) != DR_OK) {
		fprintf(stderr, "%s: cannot sign\n", label);
		mismatches++;
		goto done;
	}
	expect_same(label, "canonical request", o.canonical_request, creq);
	expect_same(label, "string to sign", o.string_to_sign, sts);
	expect_same(label, "signature", o.signature, sig);
	dr_buf sr = {0};
	if (presign)
		dr_buf_printf(&sr, "%s %s?%s %s\n%s", r.method, r.path, o.query, r.version, r.head_lines);
	else
		dr_buf_printf(&sr, "%s %s %s\n%s", r.method, r.uri, r.version, r.head_lines);
	for (size_t i = 0; i < o.n_add; i++) dr_buf_printf(&sr, "%s:%s\n", o.add[i].name, o.add[i].value);
	dr_buf_printf(&sr, "\n%s", r.body);
	expect_same(label, "signed request", sr.s, sreq);
	dr_buf_release(&sr);
	drv_sigv4_out_release(&o);
done:
	req_free(&r);
	json_decref(j);
	free(label);
	free(base);
	free(ctx);
	free(reqt);
	free(f_cr);
	free(f_sts);
	free(f_sig);
	free(f_sr);
	free(creq);
	free(sts);
	free(sig);
	free(sreq);
}

static void test_aws_c_auth_layout(void **state)
{
	mismatches = 0;
	char *dir = dr_asprintf("%s/aws-c-auth-v4", suite_dir());
	DIR *d = opendir(dir);
	if (!d) {
		free(dir);
		fail_msg("sigv4 test suite not found at \"%s\" (set DRSIM_SIGV4_SUITE)", suite_dir());
	}
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		char *ctx = dr_asprintf("%s/%s/context.json", dir, e->d_name);
		if (e->d_name[0] != '.' && access(ctx, R_OK) == 0) {
			cauth_case(dir, e->d_name, false);
			cauth_case(dir, e->d_name, true);
			n++;
		}
		free(ctx);
	}
	closedir(d);
	free(dir);
	assert_int_equal(n, 38);
	assert_int_equal(mismatches, 0);
}

/* Secrets are wiped from the output on release and the signer refuses a
 * request without Host. */
static void test_no_host_refused(void **state)
{
	drv_aws_creds c = {.access_key_id = "AKID", .secret_access_key = "secret"};
	drv_sigv4_params p = {.region = "us-east-1", .service = "rds", .when = SUITE_TIME};
	drv_http_header h = {"Content-Type", "text/plain"};
	drv_sigv4_request r = {.method = "GET", .path = "/", .headers = &h, .n_headers = 1};
	drv_sigv4_out o;
	assert_int_equal(drv_sigv4_sign(&r, &c, &p, &o), DR_PARSE);
	assert_null(o.authorization);
}

/* S3 style: no normalisation, no double encoding, the payload header. */
static void test_s3_path_kept(void **state)
{
	drv_aws_creds c = {.access_key_id = "AKID", .secret_access_key = "secret"};
	drv_sigv4_params p = {.region = "us-east-1", .service = "s3", .when = SUITE_TIME,
			      .content_sha256_header = true};
	drv_http_header h = {"Host", "bucket.example"};
	drv_sigv4_request r = {.method = "PUT", .path = "/b/my-object//ex%20a/./photo", .headers = &h,
			       .n_headers = 1, .body = "x", .body_len = 1};
	drv_sigv4_out o;
	assert_int_equal(drv_sigv4_sign(&r, &c, &p, &o), DR_OK);
	assert_non_null(strstr(o.canonical_request, "\n/b/my-object//ex%20a/./photo\n"));
	assert_non_null(strstr(o.canonical_request, "x-amz-content-sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881\n"));
	drv_sigv4_out_release(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classic_layout),
		cmocka_unit_test(test_aws_c_auth_layout),
		cmocka_unit_test(test_no_host_refused),
		cmocka_unit_test(test_s3_path_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
