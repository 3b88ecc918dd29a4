/*
 * sigv4.c - AWS Signature Version 4: canonical request, string to sign,
 * signing key and signature, for header-signed and presigned requests.
 * What is sent and how retries happen lives in aws_http.c, not here.
 */
#include "sigv4.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

typedef struct {
	char *name;  /* lowercase */
	dr_buf value;/* canonical: trimmed, runs of whitespace collapsed, duplicates joined by ',' */
} canon_header;

typedef struct {
	char *key, *value; /* percent-encoded */
} query_param;

static bool is_unreserved(unsigned char ch)
{
	return isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~';
}

void drv_uri_encode(dr_buf *b, const char *s, size_t n, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (is_unreserved(ch) || (keep_slash && ch == '/')) {
			dr_buf_add(b, (const char *)&ch, 1);
		} else {
			char esc[3] = {'%', hex[ch >> 4], hex[ch & 15]};
			dr_buf_add(b, esc, 3);
		}
	}
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9') return ch - '0';
	if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
	return -1;
}

/* Decode %XX escapes (a malformed escape is kept literally). */
static char *uri_decode(const char *s, size_t n)
{
	char *out = dr_malloc(n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

static void to_hex(const unsigned char *d, size_t n, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[2 * n] = '\0';
}

void drv_sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (!EVP_Digest(data ? data : "", len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		DR_BUG("sha-256 failed");
	to_hex(md, 32, hex);
}

static bool hmac(const void *key, size_t keylen, const char *msg, unsigned char out[32])
{
	unsigned int n = 0;
	return HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)msg, strlen(msg), out, &n) &&
	       n == 32;
}

/* Path: optional dot-segment removal, then encoding of each byte. */
static void canonical_path(dr_buf *b, const char *path, const drv_sigv4_params *p)
{
	char *norm = NULL;
	if (p->normalize_path) {
		size_t n = strlen(path);
		char **segs = dr_calloc(n + 1, sizeof(*segs));
		size_t nseg = 0;
		char *copy = dr_strdup(path);
		char *save = NULL;
		for (char *seg = strtok_r(copy, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
			if (!strcmp(seg, "."))
				continue;
			if (!strcmp(seg, "..")) {
				if (nseg) nseg--;
				continue;
			}
			segs[nseg++] = seg;
		}
		dr_buf nb = {0};
		for (size_t i = 0; i < nseg; i++) {
			dr_buf_puts(&nb, "/");
			dr_buf_puts(&nb, segs[i]);
		}
		if (nseg && n && path[n - 1] == '/')
			dr_buf_puts(&nb, "/");
		if (!nseg)
			dr_buf_puts(&nb, "/");
		norm = dr_buf_take(&nb);
		free(segs);
		free(copy);
		path = norm;
	}
	if (!*path) path = "/";
	for (const char *s = path; *s; s++) {
		if (*s == '%' && !p->double_encode && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			char esc[3] = {'%', (char)toupper((unsigned char)s[1]), (char)toupper((unsigned char)s[2])};
			dr_buf_add(b, esc, 3);
			s += 2;
		} else {
			drv_uri_encode(b, s, 1, true);
		}
	}
	free(norm);
}

static int cmp_param(const void *a, const void *b)
{
	const query_param *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->value, y->value);
}

static void add_param(query_param **v, size_t *n, size_t *cap, const char *k, size_t kn, const char *val,
		      size_t vn, bool decode)
{
	DR_GROW(*v, *n, *cap);
	dr_buf kb = {0}, vb = {0};
	if (decode) {
		char *dk = uri_decode(k, kn), *dv = uri_decode(val, vn);
		drv_uri_encode(&kb, dk, strlen(dk), false);
		drv_uri_encode(&vb, dv, strlen(dv), false);
		free(dk);
		free(dv);
	} else {
		drv_uri_encode(&kb, k, kn, false);
		drv_uri_encode(&vb, val, vn, false);
	}
	(*v)[*n].key = dr_buf_take(&kb);
	(*v)[*n].value = dr_buf_take(&vb);
	(*n)++;
}

/* Split the wire query into decoded-then-encoded pairs. */
static void parse_query(const char *q, query_param **v, size_t *n, size_t *cap)
{
	if (!q) return;
	while (*q) {
		const char *amp = strchr(q, '&');
		size_t len = amp ? (size_t)(amp - q) : strlen(q);
		if (len) {
			const char *eq = memchr(q, '=', len);
			if (eq)
				add_param(v, n, cap, q, (size_t)(eq - q), eq + 1, len - (size_t)(eq - q) - 1, true);
			else
				add_param(v, n, cap, q, len, "", 0, true);
		}
		q += len;
		if (*q == '&') q++;
	}
}

static int cmp_header(const void *a, const void *b)
{
	return strcmp(((const canon_header *)a)->name, ((const canon_header *)b)->name);
}

/* Trim and collapse whitespace runs (including folded lines) to one space. */
static void canonical_value(dr_buf *b, const char *v)
{
	while (*v && isspace((unsigned char)*v)) v++;
	bool space = false;
	for (; *v; v++) {
		if (isspace((unsigned char)*v)) {
			space = true;
			continue;
		}
		if (space) dr_buf_puts(b, " ");
		space = false;
		dr_buf_add(b, v, 1);
	}
}

static void add_header(canon_header **v, size_t *n, size_t *cap, const char *name, const char *value)
{
	char *lower = dr_strdup(name);
	for (char *s = lower; *s; s++) *s = (char)tolower((unsigned char)*s);
	for (size_t i = 0; i < *n; i++) {
		if (!strcmp((*v)[i].name, lower)) {
			dr_buf_puts(&(*v)[i].value, ",");
			canonical_value(&(*v)[i].value, value);
			free(lower);
			return;
		}
	}
	DR_GROW(*v, *n, *cap);
	(*v)[*n].name = lower;
	memset(&(*v)[*n].value, 0, sizeof(dr_buf));
	canonical_value(&(*v)[*n].value, value);
	(*n)++;
}

static bool has_header(const drv_sigv4_request *r, const char *name)
{
	for (size_t i = 0; i < r->n_headers; i++)
		if (!strcasecmp(r->headers[i].name, name)) return true;
	return false;
}

static void out_add(drv_sigv4_out *o, const char *name, const char *value)
{
	o->add[o->n_add].name = dr_strdup(name);
	o->add[o->n_add].value = dr_strdup(value);
	o->n_add++;
}

static void wipe_free(char *s)
{
	if (!s) return;
	OPENSSL_cleanse(s, strlen(s));
	free(s);
}

dr_err drv_sigv4_sign(const drv_sigv4_request *r, const drv_aws_creds *c, const drv_sigv4_params *p,
		      drv_sigv4_out *out)
{
	dr_err err = DR_OK;
	canon_header *hs = NULL;
	size_t nh = 0, caph = 0;
	query_param *qs = NULL;
	size_t nq = 0, capq = 0;
	dr_buf cr = {0}, sh = {0}, tmp = {0}, scope = {0};
	char amzdate[17], day[9], payload[65], crhash[65];
	unsigned char k1[32], k2[32], k3[32], k4[32], sig[32];
	bool presign = p->expires_s > 0;
	bool sign_token = c->session_token && *c->session_token && !p->token_unsigned;

	memset(out, 0, sizeof(*out));
	struct tm tm;
	if (!r->method || !r->path || !gmtime_r(&p->when, &tm) || !has_header(r, "host")) {
		err = DR_PARSE;
		goto out;
	}
	strftime(amzdate, sizeof(amzdate), "%Y%m%dT%H%M%SZ", &tm);
	strftime(day, sizeof(day), "%Y%m%d", &tm);
	dr_buf_printf(&scope, "%s/%s/%s/aws4_request", day, p->region, p->service);

	if (r->payload_hash)
		snprintf(payload, sizeof(payload), "%s", r->payload_hash);
	else
		drv_sha256_hex(r->body, r->body_len, payload);

	for (size_t i = 0; i < r->n_headers; i++)
		add_header(&hs, &nh, &caph, r->headers[i].name, r->headers[i].value);
	if (!presign) {
		if (sign_token && !has_header(r, "x-amz-security-token")) {
			add_header(&hs, &nh, &caph, "X-Amz-Security-Token", c->session_token);
			out_add(out, "X-Amz-Security-Token", c->session_token);
		}
		if (!has_header(r, "x-amz-date")) {
			add_header(&hs, &nh, &caph, "X-Amz-Date", amzdate);
			out_add(out, "X-Amz-Date", amzdate);
		}
		if (p->content_sha256_header && !has_header(r, "x-amz-content-sha256")) {
			add_header(&hs, &nh, &caph, "x-amz-content-sha256", payload);
			out_add(out, "x-amz-content-sha256", payload);
		}
	}
	if (nh) qsort(hs, nh, sizeof(*hs), cmp_header);
	for (size_t i = 0; i < nh; i++)
		dr_buf_printf(&sh, "%s%s", i ? ";" : "", hs[i].name);

	parse_query(r->query, &qs, &nq, &capq);
	if (presign) {
		char num[32];
		dr_buf cred = {0};
		dr_buf_printf(&cred, "%s/%s", c->access_key_id, scope.s);
		snprintf(num, sizeof(num), "%ld", p->expires_s);
		add_param(&qs, &nq, &capq, "X-Amz-Algorithm", 15, DRV_SIGV4_ALGORITHM, strlen(DRV_SIGV4_ALGORITHM), false);
		add_param(&qs, &nq, &capq, "X-Amz-Credential", 16, cred.s, cred.len, false);
		add_param(&qs, &nq, &capq, "X-Amz-Date", 10, amzdate, strlen(amzdate), false);
		add_param(&qs, &nq, &capq, "X-Amz-Expires", 13, num, strlen(num), false);
		if (sign_token)
			add_param(&qs, &nq, &capq, "X-Amz-Security-Token", 20, c->session_token,
				  strlen(c->session_token), false);
		add_param(&qs, &nq, &capq, "X-Amz-SignedHeaders", 19, sh.s, sh.len, false);
		dr_buf_release(&cred);
	}
	if (nq) qsort(qs, nq, sizeof(*qs), cmp_param);

	dr_buf_printf(&cr, "%s\n", r->method);
	canonical_path(&cr, r->path, p);
	dr_buf_puts(&cr, "\n");
	for (size_t i = 0; i < nq; i++)
		dr_buf_printf(&cr, "%s%s=%s", i ? "&" : "", qs[i].key, qs[i].value);
	dr_buf_puts(&cr, "\n");
	for (size_t i = 0; i < nh; i++)
		dr_buf_printf(&cr, "%s:%s\n", hs[i].name, hs[i].value.s ? hs[i].value.s : "");
	dr_buf_printf(&cr, "\n%s\n%s", sh.s, payload);
	out->canonical_request = dr_buf_take(&cr);

	drv_sha256_hex(out->canonical_request, strlen(out->canonical_request), crhash);
	out->string_to_sign = dr_asprintf("%s\n%s\n%s\n%s", DRV_SIGV4_ALGORITHM, amzdate, scope.s, crhash);

	dr_buf_printf(&tmp, "AWS4%s", c->secret_access_key);
	if (!hmac(tmp.s, tmp.len, day, k1) || !hmac(k1, 32, p->region, k2) || !hmac(k2, 32, p->service, k3) ||
	    !hmac(k3, 32, "aws4_request", k4) || !hmac(k4, 32, out->string_to_sign, sig)) {
		err = DR_INTERNAL;
		goto out;
	}
	to_hex(sig, 32, out->signature);
	out->signed_headers = dr_strdup(sh.s);

	if (presign) {
		dr_buf q = {0}, v = {0};
		if (r->query && *r->query) dr_buf_printf(&q, "%s&", r->query);
		dr_buf_printf(&q, "X-Amz-Algorithm=%s&X-Amz-Credential=", DRV_SIGV4_ALGORITHM);
		dr_buf_printf(&v, "%s/%s", c->access_key_id, scope.s);
		drv_uri_encode(&q, v.s, v.len, false);
		dr_buf_printf(&q, "&X-Amz-Date=%s&X-Amz-SignedHeaders=", amzdate);
		drv_uri_encode(&q, sh.s, sh.len, false);
		dr_buf_printf(&q, "&X-Amz-Expires=%ld", p->expires_s);
		if (c->session_token && *c->session_token) {
			dr_buf_puts(&q, "&X-Amz-Security-Token=");
			drv_uri_encode(&q, c->session_token, strlen(c->session_token), false);
		}
		dr_buf_printf(&q, "&X-Amz-Signature=%s", out->signature);
		out->query = dr_buf_take(&q);
		dr_buf_release(&v);
	} else {
		if (c->session_token && *c->session_token && p->token_unsigned &&
		    !has_header(r, "x-amz-security-token")) {
			/* added after signing: goes first among the added headers */
			memmove(&out->add[1], &out->add[0], out->n_add * sizeof(out->add[0]));
			out->add[0].name = dr_strdup("X-Amz-Security-Token");
			out->add[0].value = dr_strdup(c->session_token);
			out->n_add++;
		}
		out->authorization = dr_asprintf("%s Credential=%s/%s, SignedHeaders=%s, Signature=%s",
						 DRV_SIGV4_ALGORITHM, c->access_key_id, scope.s, sh.s,
						 out->signature);
		out_add(out, "Authorization", out->authorization);
	}

out:
	OPENSSL_cleanse(k1, sizeof(k1));
	OPENSSL_cleanse(k2, sizeof(k2));
	OPENSSL_cleanse(k3, sizeof(k3));
	OPENSSL_cleanse(k4, sizeof(k4));
	OPENSSL_cleanse(sig, sizeof(sig));
	if (tmp.s) OPENSSL_cleanse(tmp.s, tmp.len);
	dr_buf_release(&tmp);
	for (size_t i = 0; i < nh; i++) {
		free(hs[i].name);
		dr_buf_release(&hs[i].value);
	}
	free(hs);
	for (size_t i = 0; i < nq; i++) {
		free(qs[i].key);
		wipe_free(qs[i].value);
	}
	free(qs);
	dr_buf_release(&cr);
	dr_buf_release(&sh);
	dr_buf_release(&scope);
	if (err) drv_sigv4_out_release(out);
	return err;
}

void drv_sigv4_out_release(drv_sigv4_out *out)
{
	wipe_free(out->canonical_request);
	wipe_free(out->string_to_sign);
	wipe_free(out->authorization);
	wipe_free(out->signed_headers);
	wipe_free(out->query);
	for (size_t i = 0; i < out->n_add; i++) {
		free(out->add[i].name);
		wipe_free(out->add[i].value);
	}
	OPENSSL_cleanse(out, sizeof(*out));
}

void drv_aws_creds_copy(drv_aws_creds *dst, const drv_aws_creds *src)
{
	dst->access_key_id = dr_strdup(src->access_key_id);
	dst->secret_access_key = dr_strdup(src->secret_access_key);
	dst->session_token = dr_strdup(src->session_token);
}

void drv_aws_creds_release(drv_aws_creds *c)
{
	wipe_free(c->access_key_id);
	wipe_free(c->secret_access_key);
	wipe_free(c->session_token);
	memset(c, 0, sizeof(*c));
}
