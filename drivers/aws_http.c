/*
 * aws_http.c - signed AWS requests over libcurl with standard-mode
 * retries and the retry quota.  Service semantics (RDS actions, S3
 * objects) live in rds.c and s3.c.
 */
#include "aws_http.h"

#include <ctype.h>
#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <strings.h>

struct drv_aws {
	drv_aws_config cfg;
	CURL *curl;
	time_t fixed_time;
	FILE *log;
	int quota;
	unsigned retries;
};

static const char *const throttle_codes[] = {
	"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
	"TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
	"RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
	"SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
};
static const char *const transient_codes[] = {"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static bool in_list(const char *code, const char *const *list, size_t n)
{
	for (size_t i = 0; code && i < n; i++)
		if (!strcmp(code, list[i])) return true;
	return false;
}

bool drv_aws_is_throttle(const char *code)
{
	return in_list(code, throttle_codes, sizeof(throttle_codes) / sizeof(*throttle_codes));
}

double drv_aws_backoff(int attempt, double u)
{
	double d = u * pow(2.0, attempt - 1);
	return d < DRV_AWS_MAX_BACKOFF_S ? d : DRV_AWS_MAX_BACKOFF_S;
}

drv_aws *drv_aws_new(drv_aws_config *cfg)
{
	pthread_once(&curl_once, curl_init_once);
	drv_aws *a = dr_calloc(1, sizeof(*a));
	a->cfg = *cfg;
	memset(cfg, 0, sizeof(*cfg));
	a->curl = curl_easy_init();
	if (!a->curl) DR_BUG("curl_easy_init failed");
	a->quota = DRV_AWS_RETRY_QUOTA;
	return a;
}

void drv_aws_free(drv_aws *a)
{
	if (!a) return;
	curl_easy_cleanup(a->curl);
	drv_aws_config_release(&a->cfg);
	free(a);
}

const drv_aws_config *drv_aws_cfg(const drv_aws *a)
{
	return &a->cfg;
}

void drv_aws_set_fixed_time(drv_aws *a, time_t t)
{
	a->fixed_time = t;
}

void drv_aws_set_log(drv_aws *a, FILE *f)
{
	a->log = f;
}

int drv_aws_retry_quota(const drv_aws *a)
{
	return a->quota;
}

unsigned drv_aws_retries(const drv_aws *a)
{
	return a->retries;
}

void drv_aws_form_add(dr_buf *b, const char *key, const char *value)
{
	if (b->len) dr_buf_puts(b, "&");
	drv_uri_encode(b, key, strlen(key), false);
	dr_buf_puts(b, "=");
	drv_uri_encode(b, value, strlen(value), false);
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	dr_buf_add(ud, p, size * n);
	return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	drv_aws_resp *r = ud;
	size_t len = size * n;
	char *line = dr_strndup(p, len);
	char *colon = strchr(line, ':');
	if (colon) {
		*colon = '\0';
		char *v = colon + 1;
		while (*v == ' ') v++;
		v[strcspn(v, "\r\n")] = '\0';
		if (!strcasecmp(line, "etag")) {
			free(r->etag);
			r->etag = dr_strdup(v);
		} else if (!strcasecmp(line, "content-length")) {
			r->content_length = strtoll(v, NULL, 10);
		} else if (!strcasecmp(line, "x-amzn-requestid") || !strcasecmp(line, "x-amz-request-id")) {
			free(r->request_id);
			r->request_id = dr_strdup(v);
		}
	}
	free(line);
	return len;
}

xmlNode *drv_xml_find(xmlNode *node, const char *name)
{
	for (xmlNode *n = node; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name)) return n;
		xmlNode *c = drv_xml_find(n->children, name);
		if (c) return c;
	}
	return NULL;
}

char *drv_xml_text(xmlNode *n)
{
	if (!n) return NULL;
	xmlChar *t = xmlNodeGetContent(n);
	char *s = dr_strdup((const char *)t);
	xmlFree(t);
	return s;
}

/* Error Code/Message from an XML error body (RDS <ErrorResponse>, S3 <Error>). */
static void parse_error(drv_aws_resp *r)
{
	if (!r->body.len) return;
	xmlDoc *doc = xmlReadMemory(r->body.s, (int)r->body.len, "error.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) return;
	xmlNode *root = xmlDocGetRootElement(doc);
	r->error_code = drv_xml_text(drv_xml_find(root, "Code"));
	r->error_message = drv_xml_text(drv_xml_find(root, "Message"));
	if (!r->request_id) r->request_id = drv_xml_text(drv_xml_find(root, "RequestId"));
	xmlFreeDoc(doc);
}

static double uniform01(void)
{
	uint64_t x;
	if (RAND_bytes((unsigned char *)&x, sizeof(x)) != 1) x = (uint64_t)random() << 31 ^ (uint64_t)random();
	return (double)(x >> 11) / 9007199254740992.0;
}

static void sleep_s(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - floor(s)) * 1e9)};
	while (nanosleep(&ts, &ts) != 0) {
	}
}

static void resp_reset(drv_aws_resp *r)
{
	dr_buf_release(&r->body);
	free(r->error_code);
	free(r->error_message);
	free(r->request_id);
	free(r->etag);
	int attempts = r->attempts;
	memset(r, 0, sizeof(*r));
	r->attempts = attempts;
	r->content_length = -1;
}

/* One attempt: sign now and send.  Returns the curl code. */
static CURLcode attempt(drv_aws *a, const drv_aws_req *r, drv_aws_resp *out)
{
	const char *region = r->region ? r->region : a->cfg.region;
	char *endpoint = drv_aws_endpoint(&a->cfg, r->service, region);
	char *host = drv_aws_url_host(endpoint);
	bool s3 = !strcmp(r->service, "s3");
	size_t nh = r->n_headers + 1;
	drv_http_header *hs = dr_calloc(nh, sizeof(*hs));
	hs[0] = (drv_http_header){"Host", host};
	for (size_t i = 0; i < r->n_headers; i++) hs[i + 1] = r->headers[i];
	drv_sigv4_request sr = {.method = r->method, .path = r->path, .query = r->query, .headers = hs,
				.n_headers = nh, .body = r->body, .body_len = r->body_len};
	drv_sigv4_params sp = {.region = region, .service = r->service,
			       .when = a->fixed_time ? a->fixed_time : time(NULL), .normalize_path = !s3,
			       .double_encode = !s3, .content_sha256_header = s3};
	drv_sigv4_out so;
	CURLcode cc = CURLE_OK;
	struct curl_slist *list = NULL;
	char *url = NULL;
	if (drv_sigv4_sign(&sr, &a->cfg.creds, &sp, &so) != DR_OK) {
		cc = CURLE_BAD_FUNCTION_ARGUMENT;
		goto out;
	}
	for (size_t i = 0; i < r->n_headers; i++) {
		char *h = dr_asprintf("%s: %s", r->headers[i].name, r->headers[i].value);
		list = curl_slist_append(list, h);
		free(h);
	}
	for (size_t i = 0; i < so.n_add; i++) {
		char *h = dr_asprintf("%s: %s", so.add[i].name, so.add[i].value);
		list = curl_slist_append(list, h);
		OPENSSL_cleanse(h, strlen(h));
		free(h);
	}
	list = curl_slist_append(list, "Accept:");
	list = curl_slist_append(list, "Expect:");
	url = dr_asprintf("%s%s%s%s", endpoint, r->path, r->query && *r->query ? "?" : "", r->query ? r->query : "");
	CURL *c = a->curl;
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "drsim/" DR_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &out->body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (!strcmp(r->method, "HEAD")) {
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	} else if (!strcmp(r->method, "POST") || !strcmp(r->method, "PUT")) {
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r->method);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->body ? (const char *)r->body : "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
	} else if (strcmp(r->method, "GET")) {
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r->method);
	}
	cc = curl_easy_perform(c);
	if (cc == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	drv_sigv4_out_release(&so);
out:
	curl_slist_free_all(list);
	free(url);
	free(hs);
	free(host);
	free(endpoint);
	return cc;
}

dr_err drv_aws_send(drv_aws *a, const drv_aws_req *r, drv_aws_resp *out)
{
	memset(out, 0, sizeof(*out));
	int cost_paid = 0;
	for (int n = 1;; n++) {
		resp_reset(out);
		out->attempts = n;
		double t0 = dr_now_mono();
		CURLcode cc = attempt(a, r, out);
		double ms = (dr_now_mono() - t0) * 1000;
		if (cc == CURLE_OK && out->status >= 300) parse_error(out);
		if (a->log) {
			if (cc != CURLE_OK)
				fprintf(a->log, "  [aws] %s %s %s %s: %s (%.0f ms, attempt %d)\n", r->method, r->service,
					r->region ? r->region : a->cfg.region, r->what ? r->what : r->path,
					curl_easy_strerror(cc), ms, n);
			else
				fprintf(a->log, "  [aws] %s %s %s %s -> %ld%s%s (%.0f ms, attempt %d)\n", r->method,
					r->service, r->region ? r->region : a->cfg.region, r->what ? r->what : r->path,
					out->status, out->error_code ? " " : "", out->error_code ? out->error_code : "",
					ms, n);
		}
		if (cc == CURLE_BAD_FUNCTION_ARGUMENT) return DR_INTERNAL;
		if (cc == CURLE_OK && out->status >= 200 && out->status < 300) {
			a->quota += cost_paid ? cost_paid : 1;
			if (a->quota > DRV_AWS_RETRY_QUOTA) a->quota = DRV_AWS_RETRY_QUOTA;
			return DR_OK;
		}
		bool transport = cc != CURLE_OK;
		bool timeout = cc == CURLE_OPERATION_TIMEDOUT;
		bool throttled = !transport && (out->status == 429 || drv_aws_is_throttle(out->error_code));
		bool transient = transport || (!transport && (out->status == 500 || out->status == 502 ||
							      out->status == 503 || out->status == 504)) ||
				 in_list(out->error_code, transient_codes, sizeof(transient_codes) / sizeof(*transient_codes));
		dr_err fail = transport ? DR_IO : (throttled || transient) ? DR_RETRY : DR_REMOTE;
		if (!(throttled || transient) || n >= a->cfg.max_attempts) return fail;
		int cost = timeout ? DRV_AWS_TIMEOUT_RETRY_COST : DRV_AWS_RETRY_COST;
		if (a->quota < cost) return fail;
		a->quota -= cost;
		cost_paid += cost;
		a->retries++;
		sleep_s(drv_aws_backoff(n, uniform01()));
	}
}

void drv_aws_resp_release(drv_aws_resp *r)
{
	resp_reset(r);
}

char *drv_aws_presign(drv_aws *a, const char *service, const char *region, const char *query, long expires_s)
{
	char *endpoint = drv_aws_endpoint(&a->cfg, service, region);
	char *host = drv_aws_url_host(endpoint);
	drv_http_header h = {"Host", host};
	drv_sigv4_request sr = {.method = "GET", .path = "/", .query = query, .headers = &h, .n_headers = 1};
	drv_sigv4_params sp = {.region = region, .service = service,
			       .when = a->fixed_time ? a->fixed_time : time(NULL), .normalize_path = true,
			       .double_encode = true, .expires_s = expires_s};
	drv_sigv4_out so;
	char *url = NULL;
	if (drv_sigv4_sign(&sr, &a->cfg.creds, &sp, &so) == DR_OK) {
		url = dr_asprintf("%s/?%s", endpoint, so.query);
		drv_sigv4_out_release(&so);
	}
	free(host);
	free(endpoint);
	return url;
}
