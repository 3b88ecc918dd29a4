/*
 * http.c - the "http" driver: wait until a URL answers 2xx (op
 * "wait-healthy", action "url: ..."), recording the first success on
 * CLOCK_MONOTONIC; the same check serves as the drill's recovery check when
 * the scenario names a health URL (drill params "url").  libcurl, TLS
 * verification on unless the step says "tls_verify: false" (then the report
 * says so).  URLs are redacted before they are printed or journalled.
 */
#include "driver.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "units.h"

static const drv_option http_options[] = {
	{"url", "string", NULL, "health URL used as the recovery check"},
	{"interval", "duration", "100ms", "time between two attempts"},
	{"request_timeout", "duration", "2s", "limit for one request"},
	{0},
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static bool http_supported(char *why, size_t n)
{
	pthread_once(&curl_once, curl_init);
	if (curl_init_rc != CURLE_OK) {
		snprintf(why, n, "libcurl did not initialise: %s", curl_easy_strerror(curl_init_rc));
		return false;
	}
	return true;
}

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

static double opt_seconds(const drv_ctx *c, const char *name)
{
	dr_qty q;
	const char *v = drv_opt(c, name);
	if (!v || dr_qty_parse(v, &q, NULL) != DR_OK || !dr_dim_eq(q.dim, DR_DIM_TIME) || q.v <= 0) {
		dr_warn("http option '%s' is not a positive duration ('%s'); using 1s", name, v ? v : "");
		return 1;
	}
	return q.v;
}

static void sleep_s(double s)
{
	struct timespec ts = {.tv_sec = (time_t)s, .tv_nsec = (long)((s - (double)(time_t)s) * 1e9)};
	while (nanosleep(&ts, &ts) != 0)
		;
}

/*
 * Poll url until it answers 2xx or the deadline passes.  *at gets the
 * monotonic time of the first success, *last_code the last HTTP status (0
 * when no answer), *attempts the number of requests.
 */
static dr_err wait_2xx(const drv_ctx *c, const char *url, bool insecure, double *at, long *last_code,
		       unsigned *attempts)
{
	dr_err err = DR_TIMEOUT;
	double interval = opt_seconds(c, "interval"), req = opt_seconds(c, "request_timeout");
	pthread_once(&curl_once, curl_init);
	CURL *h = curl_easy_init();
	if (!h)
		return DR_INTERNAL;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, insecure ? 0L : 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, insecure ? 0L : 2L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "drsim/" DR_VERSION);
	*last_code = 0;
	*attempts = 0;
	for (;;) {
		double left = c->deadline_mono > 0 ? c->deadline_mono - dr_now_mono() : req;
		if (left <= 0)
			break;
		long ms = (long)((left < req ? left : req) * 1000);
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, ms > 0 ? ms : 1L);
		(*attempts)++;
		long code = 0;
		if (curl_easy_perform(h) == CURLE_OK)
			curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		double now = dr_now_mono();
		*last_code = code;
		if (code >= 200 && code < 300) {
			*at = now;
			err = DR_OK;
			break;
		}
		if (c->deadline_mono <= 0)
			break;
		if (drv_interrupted()) {
			err = DR_INTERRUPTED;
			break;
		}
		double rest = c->deadline_mono - now;
		if (rest <= 0)
			break;
		sleep_s(rest < interval ? rest : interval);
	}
	curl_easy_cleanup(h);
	return err;
}

static const char *step_url(const drv_ctx *c, const scn_step *s)
{
	const char *url = scn_action_param(&s->action, "url");
	return url ? url : drv_opt(c, "url");
}

static bool step_insecure(const scn_step *s)
{
	const char *v = scn_action_param(&s->action, "tls_verify");
	return v && strcmp(v, "false") == 0;
}

static dr_err http_step(drv_ctx *c, const scn_step *s, drv_step_out *out)
{
	const char *op = s->action.op ? s->action.op : "wait-healthy";
	if (strcmp(op, "wait-healthy") != 0) {
		dr_error("step '%s': the http driver has no op '%s' (it has 'wait-healthy')", s->name, op);
		return DR_USAGE;
	}
	const char *url = step_url(c, s);
	if (!url) {
		dr_error("step '%s': the http driver needs 'url: URL'", s->name);
		return DR_USAGE;
	}
	bool insecure = step_insecure(s);
	long code;
	unsigned attempts;
	double at = 0;
	dr_err err = wait_2xx(c, url, insecure, &at, &code, &attempts);
	char *safe = drv_redact(url);
	if (err == DR_OK) {
		out->healthy_at_mono = at;
		snprintf(out->detail, sizeof out->detail, "GET %s: %ld after %u attempt%s%s", safe, code, attempts,
			 attempts == 1 ? "" : "s", insecure ? " (TLS verification off)" : "");
	} else {
		snprintf(out->detail, sizeof out->detail, "GET %s: no 2xx in %u attempts (last status %ld)", safe,
			 attempts, code);
		dr_error("step '%s': '%s' did not answer 2xx in time", s->name, safe);
	}
	free(safe);
	return err;
}

static dr_err http_health(drv_ctx *c, double *healthy_at_mono)
{
	const char *url = drv_opt(c, "url");
	if (!url) {
		dr_error("the http health check needs drill param 'url'");
		return DR_USAGE;
	}
	long code;
	unsigned attempts;
	return wait_2xx(c, url, false, healthy_at_mono, &code, &attempts);
}

static dr_err http_describe(drv_ctx *c, drv_phase phase, const scn_step *s, dr_buf *out)
{
	const char *url = phase == DRV_PHASE_STEP ? step_url(c, s) : drv_opt(c, "url");
	if (phase != DRV_PHASE_STEP && phase != DRV_PHASE_VERIFY) {
		dr_buf_printf(out, "note the http driver has no %s\n", drv_phase_names[phase]);
		return DR_OK;
	}
	if (!url) {
		dr_buf_printf(out, "note no health URL given\n");
		return DR_OK;
	}
	char *safe = drv_redact(url);
	dr_buf_printf(out, "http GET %s every %s until 2xx (TLS verification %s)\n", safe,
		      drv_opt(c, "interval"), phase == DRV_PHASE_STEP && step_insecure(s) ? "off" : "on");
	free(safe);
	return DR_OK;
}

const drv_ops drv_http_ops = {
	.abi_version = DRV_ABI_VERSION,
	.name = "http",
	.version = "1.0",
	.caps = DRV_CAP_STEP | DRV_CAP_HEALTH,
	.options = http_options,
	.priv_size = 0,
	.supported = http_supported,
	.step = http_step,
	.describe = http_describe,
	.health = http_health,
};
