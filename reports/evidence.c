/*
 * evidence.c - evidence bundles (see evidence.h): building the files,
 * evidence.json, the manifest, the Ed25519 signature (OpenSSL EVP), the
 * atomic directory swap, verification and key generation.
 */
#define _GNU_SOURCE
#include "evidence.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <math.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

#define DAY 86400.0
#define TEST_INTERVAL_DAYS 90    /* quarterly, the usual DR test cadence */
#define RETENTION_DAYS 2555      /* 7 years */

void rpt_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int n = 0;
	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* ---- the files of a bundle -------------------------------------------- */

typedef struct {
	char *name;
	char *data;
	size_t len;
} ev_file;

typedef struct {
	ev_file *v;
	size_t n, cap;
} ev_files;

/* Consumes data. */
static void add_file(ev_files *f, const char *name, char *data, size_t len)
{
	DR_GROW(f->v, f->n, f->cap);
	f->v[f->n].name = dr_strdup(name);
	f->v[f->n].data = data;
	f->v[f->n].len = len;
	f->n++;
}

static void files_release(ev_files *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].data);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const ev_file *)a)->name, ((const ev_file *)b)->name);
}

/* ---- time helpers ------------------------------------------------------ */

/* Epoch seconds of an ISO 8601 UTC time ("2026-01-15T10:00:00.000Z"). */
static double parse_iso(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	if (!s || !strptime(s, "%Y-%m-%dT%H:%M:%S", &tm))
		return NAN;
	return (double)timegm(&tm);
}

static json_t *iso(double t)
{
	if (!isfinite(t))
		return json_null();
	char buf[32];
	dr_iso8601(t, buf);
	return json_string(buf);
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static long env_long(const char *name, long dflt)
{
	const char *v = getenv(name);
	char *end;
	long n = v ? strtol(v, &end, 10) : 0;
	return (v && *v && !*end && n > 0) ? n : dflt;
}

/* ---- environment.json -------------------------------------------------- */

static char *environment_json(const res_result *r)
{
	json_t *o = json_object();
	struct utsname u;
	json_object_set_new(o, "tool", json_string("drsim"));
	json_object_set_new(o, "tool_version", jstr(r->tool_version));
	if (uname(&u) == 0) {
		json_object_set_new(o, "host", json_string(u.nodename));
		char *os = dr_asprintf("%s %s %s", u.sysname, u.release, u.machine);
		json_object_set_new(o, "os", json_string(os));
		free(os);
	}
	json_object_set_new(o, "result_host", jstr(r->host));
	json_object_set_new(o, "libc", json_string(gnu_get_libc_version()));
	json_object_set_new(o, "openssl", json_string(OpenSSL_version(OPENSSL_VERSION)));
	json_object_set_new(o, "jansson", json_string(JANSSON_VERSION));
	const res_measured *m = r->measured;
	json_object_set_new(o, "driver", jstr(m ? m->driver : NULL));
	json_object_set_new(o, "driver_version", jstr(m ? m->driver_version : NULL));
	json_object_set_new(o, "server_version", jstr(m ? m->server_version : NULL));
	json_object_set_new(o, "clock", jstr(m && m->clock ? m->clock
						      : "CLOCK_REALTIME (timestamps) + CLOCK_MONOTONIC (durations)"));
	struct timespec res;
	if (clock_getres(CLOCK_MONOTONIC, &res) == 0)
		json_object_set_new(o, "monotonic_resolution_s", json_real((double)res.tv_sec + (double)res.tv_nsec * 1e-9));
	size_t n;
	char *cs = dr_read_file("/sys/devices/system/clocksource/clocksource0/current_clocksource", &n);
	if (cs) {
		cs[strcspn(cs, "\n")] = '\0';
		json_object_set_new(o, "kernel_clocksource", json_string(cs));
		free(cs);
	}
	json_object_set_new(o, "canary_interval_s", jnum(m ? m->canary_interval_s : NAN));
	json_object_set_new(o, "recorded_at", iso(dr_now_real()));
	char *text = json_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
	json_decref(o);
	char *withnl = dr_asprintf("%s\n", text);
	free(text);
	return withnl;
}

/* ---- evidence.json ----------------------------------------------------- */

static const struct {
	const char *framework, *control, *requirement;
	bool needs_drill; /* only a real recovery test satisfies it */
} controls[] = {
	{"SOC 2 (2017 TSC)", "A1.3", "Recovery plan procedures supporting system recovery are tested", true},
	{"ISO/IEC 27001:2022", "A.5.30", "ICT readiness for business continuity is planned, implemented, maintained and tested", false},
	{"ISO/IEC 27001:2022", "A.8.13", "Backup copies are maintained and regularly tested", true},
	{"DORA (EU 2022/2554)", "Art. 11", "ICT business continuity policy: response and recovery plans, tested", false},
	{"DORA (EU 2022/2554)", "Art. 12", "Backup policies, restoration and recovery procedures and methods, tested periodically", true},
	{"HIPAA Security Rule", "164.308(a)(7)(ii)(D)", "Testing and revision procedures for contingency plans", false},
	{"PCI DSS v4.0", "12.10.2", "The incident response plan is reviewed and tested at least once every 12 months", false},
};

static json_t *scope_json(const res_result *r)
{
	json_t *o = json_object(), *kinds = json_array(), *ctl = json_array();
	bool drill = r->mode == RES_MODE_DRILL;
	json_object_set_new(o, "scenario", jstr(r->scenario_name));
	json_object_set_new(o, "strategy", jstr(r->strategy));
	for (size_t i = 0; i < r->n_disasters; i++)
		json_array_append_new(kinds, jstr(r->disasters[i].kind));
	json_object_set_new(o, "disaster_kinds", kinds);
	for (size_t i = 0; i < sizeof controls / sizeof controls[0]; i++) {
		json_t *c = json_object();
		json_object_set_new(c, "framework", json_string(controls[i].framework));
		json_object_set_new(c, "control", json_string(controls[i].control));
		json_object_set_new(c, "requirement", json_string(controls[i].requirement));
		const char *cov = drill ? "tested: recovery performed and measured"
			       : controls[i].needs_drill ? "supporting analysis only: a simulation is not a recovery test"
							 : "planning evidence: recovery modeled against the objectives";
		json_object_set_new(c, "coverage", json_string(cov));
		json_array_append_new(ctl, c);
	}
	json_object_set_new(o, "controls", ctl);
	return o;
}

static json_t *design_json(const res_result *r)
{
	json_t *o = json_object(), *runbooks = json_array();
	json_object_set_new(o, "mode", json_string(res_mode_names[r->mode]));
	char *method;
	if (r->mode == RES_MODE_DRILL)
		method = dr_asprintf("real recovery with driver '%s': disaster injected, runbook executed and timed; "
				     "a canary writer measures RPO (newest acknowledged write present) and RTO (first "
				     "good write and read-back on the recovered endpoint)",
				     r->measured && r->measured->driver ? r->measured->driver : "n/a");
	else
		method = dr_asprintf("Monte Carlo simulation of the runbook models: %llu trials, seed %llu",
				     (unsigned long long)r->trials, (unsigned long long)r->seed);
	json_object_set_new(o, "method", json_string(method));
	free(method);
	json_object_set_new(o, "seed", json_integer((json_int_t)(r->seed & INT64_MAX)));
	json_object_set_new(o, "trials", json_integer((json_int_t)(r->trials & INT64_MAX)));
	for (size_t i = 0; i < r->n_disasters; i++) {
		const res_disaster *d = &r->disasters[i];
		json_t *rb = json_object(), *steps = json_array();
		json_object_set_new(rb, "disaster", jstr(d->kind));
		for (size_t k = 0; k < d->n_steps; k++) {
			json_t *s = json_object();
			json_object_set_new(s, "step", jstr(d->steps[k].name));
			json_object_set_new(s, "source", json_string(res_source_names[d->steps[k].source]));
			json_object_set_new(s, "detail", jstr(d->steps[k].detail));
			json_array_append_new(steps, s);
		}
		json_object_set_new(rb, "steps", steps);
		json_array_append_new(runbooks, rb);
	}
	json_object_set_new(o, "runbooks", runbooks);
	return o;
}

static json_t *schedule_json(const res_result *r)
{
	json_t *o = json_object();
	double start = parse_iso(r->started_at);
	if (!isfinite(start))
		start = dr_now_real();
	long days = env_long("DRSIM_TEST_INTERVAL_DAYS", TEST_INTERVAL_DAYS);
	json_object_set_new(o, "performed_at", jstr(r->started_at));
	json_object_set_new(o, "finished_at", jstr(r->finished_at));
	json_object_set_new(o, "interval_days", json_integer(days));
	json_object_set_new(o, "next_test_due", iso(start + (double)days * DAY));
	return o;
}

static json_t *objectives_json(const res_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->n_disasters; i++) {
		const res_disaster *d = &r->disasters[i];
		json_t *o = json_object();
		json_object_set_new(o, "disaster", jstr(d->kind));
		json_object_set_new(o, "rpo_target_s", jnum(d->rpo_target_s));
		json_object_set_new(o, "rto_target_s", jnum(d->rto_target_s));
		json_object_set_new(o, "percentile", jnum(d->percentile));
		json_object_set_new(o, "source", jstr(d->objectives_source));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *measurement(const char *disaster, const char *metric, double value, double target,
			   const char *source, bool met, json_t *at)
{
	json_t *o = json_object();
	json_object_set_new(o, "disaster", jstr(disaster));
	json_object_set_new(o, "metric", json_string(metric));
	json_object_set_new(o, "value_s", jnum(value));
	json_object_set_new(o, "target_s", jnum(target));
	json_object_set_new(o, "source", json_string(source));
	json_object_set_new(o, "met", json_boolean(met));
	json_object_set_new(o, "at", at);
	return o;
}

static double at_percentile(const res_disaster *d, const res_summary *s)
{
	double q = d->percentile;
	return q <= 50 ? s->p50 : q <= 90 ? s->p90 : q <= 95 ? s->p95 : q <= 99 ? s->p99 : s->max;
}

static json_t *measurements_json(const res_result *r)
{
	json_t *a = json_array();
	const res_measured *m = r->measured;
	double when = m ? m->recovered_at : parse_iso(r->finished_at);
	for (size_t i = 0; i < r->n_disasters; i++) {
		const res_disaster *d = &r->disasters[i];
		const char *src = res_source_names[d->source];
		json_array_append_new(a, measurement(d->kind, "rpo", at_percentile(d, &d->rpo_s), d->rpo_target_s, src,
						     d->met_rpo, iso(when)));
		json_array_append_new(a, measurement(d->kind, "rto", at_percentile(d, &d->rto_s), d->rto_target_s, src,
						     d->met_rto, iso(when)));
		for (size_t k = 0; m && k < d->n_steps; k++) {
			const res_step *s = &d->steps[k];
			char *metric = dr_asprintf("step:%s", s->name ? s->name : "?");
			json_array_append_new(a, measurement(d->kind, metric, s->measured_s >= 0 ? s->measured_s : NAN,
							     s->modeled.p95, res_source_names[s->source], !s->flagged,
							     iso(m->event_at + s->start_s)));
			free(metric);
		}
	}
	if (m) {
		json_array_append_new(a, measurement(NULL, "technical_rto", m->technical_rto_s, NAN, "measured", true,
						     iso(m->recovered_at)));
		json_array_append_new(a, measurement(NULL, "manual_rto", m->modeled_rto_s, NAN, "declared", true,
						     iso(m->recovered_at)));
	}
	return a;
}

static json_t *integrity_checks_json(const res_result *r)
{
	json_t *o = json_object();
	const res_measured *m = r->measured;
	if (!m) {
		json_object_set_new(o, "applicable", json_false());
		json_object_set_new(o, "note", json_string("simulation: no data was restored"));
		return o;
	}
	json_object_set_new(o, "applicable", json_true());
	json_object_set_new(o, "data_verified", json_boolean(m->data_verified));
	json_object_set_new(o, "method", jstr(m->verification));
	json_object_set_new(o, "acked_writes", json_integer((json_int_t)(m->acked_writes & INT64_MAX)));
	json_object_set_new(o, "acked_writes_lost", json_integer((json_int_t)(m->acked_writes_lost & INT64_MAX)));
	json_object_set_new(o, "canary_interval_s", jnum(m->canary_interval_s));
	return o;
}

static json_t *findings_json(const res_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->n_findings; i++) {
		json_t *f = json_object();
		json_object_set_new(f, "id", jstr(r->findings[i].id));
		json_object_set_new(f, "severity", jstr(r->findings[i].severity));
		json_object_set_new(f, "message", jstr(r->findings[i].message));
		json_array_append_new(a, f);
	}
	return a;
}

static json_t *guard(const char *name, bool evaluated, const char *outcome, const char *source)
{
	json_t *g = json_object();
	json_object_set_new(g, "guard", json_string(name));
	json_object_set_new(g, "evaluated", json_boolean(evaluated));
	json_object_set_new(g, "outcome", json_string(outcome));
	json_object_set_new(g, "source", json_string(source));
	return g;
}

/* Guards: what the result shows, plus any journal line with a "guard" key. */
static json_t *guards_json(const res_result *r, const char *journal, size_t *journal_lines)
{
	json_t *a = json_array();
	*journal_lines = 0;
	if (!r->measured)
		json_array_append_new(a, guard("no system touched", true, "simulation only", "result"));
	else
		json_array_append_new(a, guard("cleanup removed every resource the drill created", true,
						r->measured->cleanup_ok ? "passed" : "failed", "result"));
	if (r->measured)
		json_array_append_new(a, guard("journal written before every change", journal != NULL,
					       journal ? "journal included in this bundle" : "no journal supplied",
					       "bundle"));
	for (const char *line = journal; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		json_t *j = n ? json_loadb(line, n, 0, NULL) : NULL;
		*journal_lines += n > 0;
		const char *g = j ? json_string_value(json_object_get(j, "guard")) : NULL;
		if (g) {
			const char *out = json_string_value(json_object_get(j, "outcome"));
			json_array_append_new(a, guard(g, true, out ? out : "recorded", "journal"));
		}
		json_decref(j);
		line += n + (nl ? 1 : 0);
	}
	return a;
}

static json_t *cleanup_json(const res_result *r, bool journal)
{
	json_t *o = json_object();
	if (!r->measured) {
		json_object_set_new(o, "applicable", json_false());
		return o;
	}
	json_object_set_new(o, "applicable", json_true());
	json_object_set_new(o, "ok", json_boolean(r->measured->cleanup_ok));
	json_object_set_new(o, "journal", journal ? json_string("journal.jsonl") : json_null());
	return o;
}

static json_t *people_json(void)
{
	json_t *o = json_object(), *parts = json_array();
	const char *user = getenv("USER");
	json_object_set_new(o, "run_by", jstr(user));
	const char *list = getenv("DRSIM_PARTICIPANTS");
	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ",");
		char *name = dr_strndup(p, n);
		if (n)
			json_array_append_new(parts, json_string(name));
		free(name);
		p += n + (p[n] == ',');
	}
	json_object_set_new(o, "participants", parts);
	json_t *sign = json_object();
	json_object_set_new(sign, "name", json_null());
	json_object_set_new(sign, "role", json_null());
	json_object_set_new(sign, "signed_at", json_null());
	json_object_set_new(sign, "statement", json_string("I reviewed this test, its findings and their remediation."));
	json_object_set_new(o, "sign_off", sign);
	return o;
}

static char *evidence_json(const res_result *r, const char *scenario_sha, const char *result_sha,
			   const char *scenario_path, const char *journal, const char *pub_fpr)
{
	json_t *o = json_object(), *id = json_object(), *integ = json_object(), *ret = json_object();
	json_object_set_new(o, "evidence_version", json_integer(1));
	json_object_set_new(id, "run_id", jstr(r->run_id));
	json_object_set_new(id, "tool_version", jstr(r->tool_version));
	json_object_set_new(id, "scenario_name", jstr(r->scenario_name));
	json_object_set_new(id, "scenario_file", jstr(scenario_path));
	json_object_set_new(id, "scenario_sha256", json_string(scenario_sha));
	json_object_set_new(id, "scenario_matches_result",
			    json_boolean(r->scenario_sha256 && strcmp(r->scenario_sha256, scenario_sha) == 0));
	json_object_set_new(id, "result_sha256", json_string(result_sha));
	json_object_set_new(id, "verdict", json_string(r->met ? "objectives met" : "objectives missed"));
	json_object_set_new(o, "identity", id);
	json_object_set_new(o, "scope", scope_json(r));
	json_object_set_new(o, "test_design", design_json(r));
	json_object_set_new(o, "schedule", schedule_json(r));
	json_object_set_new(o, "objectives", objectives_json(r));
	json_object_set_new(o, "measurements", measurements_json(r));
	json_object_set_new(o, "data_integrity", integrity_checks_json(r));
	json_object_set_new(o, "findings", findings_json(r));
	json_object_set_new(o, "cleanup", cleanup_json(r, journal != NULL));
	size_t lines;
	json_object_set_new(o, "safety_guards", guards_json(r, journal, &lines));
	json_object_set_new(o, "people", people_json());
	json_object_set_new(integ, "manifest", json_string(RPT_MANIFEST));
	json_object_set_new(integ, "hash", json_string("SHA-256"));
	json_object_set_new(integ, "signature", pub_fpr ? json_string(RPT_SIGNATURE) : json_null());
	json_object_set_new(integ, "signature_algorithm", pub_fpr ? json_string("Ed25519") : json_null());
	json_object_set_new(integ, "public_key", pub_fpr ? json_string(RPT_PUBKEY) : json_null());
	json_object_set_new(integ, "public_key_sha256", jstr(pub_fpr));
	json_object_set_new(integ, "verify_with", json_string("drsim verify DIR --pubkey KEY.pub.pem"));
	json_object_set_new(o, "integrity", integ);
	long days = env_long("DRSIM_RETENTION_DAYS", RETENTION_DAYS);
	json_object_set_new(ret, "retention_days", json_integer(days));
	json_object_set_new(ret, "retain_until", iso(dr_now_real() + (double)days * DAY));
	json_object_set_new(o, "retention", ret);
	char *text = json_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
	json_decref(o);
	char *withnl = dr_asprintf("%s\n", text);
	free(text);
	return withnl;
}

/* ---- keys and signatures ----------------------------------------------- */

static EVP_PKEY *load_key(const char *path, bool private_key)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	EVP_PKEY *k = private_key ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	if (k && EVP_PKEY_id(k) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(k);
		return NULL;
	}
	return k;
}

static char *pem_public(EVP_PKEY *k, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	PEM_write_bio_PUBKEY(bio, k);
	char *p;
	long n = BIO_get_mem_data(bio, &p);
	char *out = dr_strndup(p, (size_t)n);
	*len = (size_t)n;
	BIO_free(bio);
	return out;
}

/* Base64 signature text with a final newline, or NULL. */
static char *sign(EVP_PKEY *k, const char *msg, size_t len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char sig[64];
	size_t siglen = sizeof sig;
	char *out = NULL;
	if (EVP_DigestSignInit(ctx, NULL, NULL, NULL, k) == 1 &&
	    EVP_DigestSign(ctx, sig, &siglen, (const unsigned char *)msg, len) == 1) {
		out = dr_malloc(4 * ((siglen + 2) / 3) + 2);
		int n = EVP_EncodeBlock((unsigned char *)out, sig, (int)siglen);
		out[n] = '\n';
		out[n + 1] = '\0';
	}
	EVP_MD_CTX_free(ctx);
	return out;
}

static bool verify_sig(EVP_PKEY *k, const char *msg, size_t len, const char *b64)
{
	size_t n = strcspn(b64, "\r\n");
	if (n == 0 || n % 4 || n > 200)
		return false;
	unsigned char raw[160];
	int got = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)n);
	if (got < 64)
		return false;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok = EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k) == 1 &&
		  EVP_DigestVerify(ctx, raw, 64, (const unsigned char *)msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

dr_err rpt_keygen(const char *prefix)
{
	dr_err err = DR_OK;
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	BIO *bio = BIO_new(BIO_s_mem());
	char *priv_path = dr_asprintf("%s.pem", prefix), *pub_path = dr_asprintf("%s.pub.pem", prefix);
	char *pub = NULL;
	if (!k || PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL) != 1) {
		dr_error("cannot generate an Ed25519 key");
		err = DR_INTERNAL;
		goto out;
	}
	char *p;
	long n = BIO_get_mem_data(bio, &p);
	mode_t old = umask(077); /* the private key is created 0600 */
	err = dr_write_atomic(priv_path, p, (size_t)n);
	umask(old);
	if (err != DR_OK) {
		dr_error("cannot write '%s': %s", priv_path, strerror(errno));
		goto out;
	}
	size_t len;
	pub = pem_public(k, &len);
	err = dr_write_atomic(pub_path, pub, len);
	if (err != DR_OK)
		dr_error("cannot write '%s': %s", pub_path, strerror(errno));
out:
	BIO_free(bio);
	EVP_PKEY_free(k);
	free(pub);
	free(priv_path);
	free(pub_path);
	return err;
}

/* ---- writing ------------------------------------------------------------ */

static void remove_flat_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char *p = dr_asprintf("%s/%s", dir, e->d_name);
			unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(dir);
}

static void fsync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* The parent directory of path ("." when none); caller frees. */
static char *parent_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return dr_strdup(".");
	if (slash == path)
		return dr_strdup("/");
	return dr_strndup(path, (size_t)(slash - path));
}

/* Move tmp into place as dir; an existing dir is swapped out atomically
 * and then removed. */
static dr_err install_dir(const char *tmp, const char *dir)
{
	if (rename(tmp, dir) == 0)
		return DR_OK;
	if (errno != ENOTEMPTY && errno != EEXIST)
		return DR_IO;
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE) != 0)
		return DR_IO;
	remove_flat_dir(tmp); /* now the old bundle */
	return DR_OK;
}

static void render_reports(const res_result *r, ev_files *files)
{
	static const char *const names[] = {"text", "md", "html", "junit", "prom"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const rpt_format *f = rpt_find(names[i]);
		dr_buf out = {0};
		if (f->render(r, &out, false) == DR_OK) {
			char *fname = dr_asprintf("report.%s", f->extension);
			size_t len = out.len;
			add_file(files, fname, dr_buf_take(&out), len);
			free(fname);
		}
		dr_buf_release(&out);
	}
}

static char *manifest_text(ev_files *files)
{
	qsort(files->v, files->n, sizeof *files->v, by_name);
	dr_buf m = {0};
	for (size_t i = 0; i < files->n; i++) {
		char hex[65];
		rpt_sha256_hex(files->v[i].data, files->v[i].len, hex);
		dr_buf_printf(&m, "%s  %s\n", hex, files->v[i].name);
	}
	return dr_buf_take(&m);
}

static dr_err write_files(const char *tmp, const ev_files *files)
{
	for (size_t i = 0; i < files->n; i++) {
		char *p = dr_asprintf("%s/%s", tmp, files->v[i].name);
		dr_err err = dr_write_atomic(p, files->v[i].data, files->v[i].len);
		if (err != DR_OK) {
			dr_error("cannot write '%s': %s", p, strerror(errno));
			free(p);
			return err;
		}
		free(p);
	}
	fsync_path(tmp);
	return DR_OK;
}

dr_err rpt_evidence_write(const char *dir, const char *scenario_path, const res_result *r,
			  const char *journal_path, const char *key_path)
{
	dr_err err = DR_OK;
	ev_files files = {0};
	EVP_PKEY *key = NULL;
	char *tmp = NULL, *parent = NULL, *journal = NULL;
	char pub_fpr[65];
	bool signed_bundle = false;
	if (!scenario_path)
		scenario_path = r->scenario_file;
	if (!key_path) {
		const char *env = getenv("DRSIM_SIGNING_KEY");
		key_path = env && *env ? env : NULL;
	}
	size_t len;
	char *scenario = scenario_path ? dr_read_file(scenario_path, &len) : NULL;
	if (!scenario) {
		dr_error("cannot read scenario '%s' for the evidence bundle", scenario_path ? scenario_path : "(none)");
		err = DR_NOTFOUND;
		goto out;
	}
	char scenario_sha[65];
	rpt_sha256_hex(scenario, len, scenario_sha);
	add_file(&files, "scenario.yaml", scenario, len);
	if (journal_path) {
		journal = dr_read_file(journal_path, &len);
		if (!journal) {
			dr_error("cannot read journal '%s': %s", journal_path, strerror(errno));
			err = DR_NOTFOUND;
			goto out;
		}
		add_file(&files, "journal.jsonl", dr_strndup(journal, len), len);
	}
	if (key_path) {
		key = load_key(key_path, true);
		if (!key) {
			dr_error("cannot read an Ed25519 private key from '%s'", key_path);
			err = access(key_path, R_OK) == 0 ? DR_PARSE : DR_NOTFOUND;
			goto out;
		}
		char *pub = pem_public(key, &len);
		rpt_sha256_hex(pub, len, pub_fpr);
		add_file(&files, RPT_PUBKEY, pub, len);
		signed_bundle = true;
	} else {
		dr_warn("no signing key (--key or DRSIM_SIGNING_KEY): evidence bundle '%s' is not signed", dir);
	}
	char *result = res_dump(r);
	char result_sha[65];
	rpt_sha256_hex(result, strlen(result), result_sha);
	add_file(&files, "result.json", result, strlen(result));
	render_reports(r, &files);
	char *env = environment_json(r);
	add_file(&files, "environment.json", env, strlen(env));
	char *ev = evidence_json(r, scenario_sha, result_sha, scenario_path, journal, signed_bundle ? pub_fpr : NULL);
	add_file(&files, "evidence.json", ev, strlen(ev));
	char *manifest = manifest_text(&files);
	char *sig = NULL;
	if (signed_bundle) {
		sig = sign(key, manifest, strlen(manifest));
		if (!sig) {
			dr_error("cannot sign the manifest with '%s'", key_path);
			free(manifest);
			err = DR_INTERNAL;
			goto out;
		}
	}
	add_file(&files, RPT_MANIFEST, manifest, strlen(manifest));
	if (sig)
		add_file(&files, RPT_SIGNATURE, sig, strlen(sig));
	parent = parent_of(dir);
	if (dr_mkdirs(parent, 0755) != DR_OK) {
		dr_error("cannot create directory '%s': %s", parent, strerror(errno));
		err = DR_IO;
		goto out;
	}
	tmp = dr_asprintf("%s.tmp.%ld", dir, (long)getpid());
	remove_flat_dir(tmp);
	if (mkdir(tmp, 0755) != 0) {
		dr_error("cannot create directory '%s': %s", tmp, strerror(errno));
		err = DR_IO;
		goto out;
	}
	err = write_files(tmp, &files);
	if (err == DR_OK && install_dir(tmp, dir) != DR_OK) {
		dr_error("cannot move the evidence bundle into '%s': %s", dir, strerror(errno));
		err = DR_IO;
	}
	if (err != DR_OK)
		remove_flat_dir(tmp);
	else
		fsync_path(parent);
out:
	EVP_PKEY_free(key);
	files_release(&files);
	free(journal);
	free(tmp);
	free(parent);
	return err;
}

/* ---- verification ------------------------------------------------------ */

typedef struct {
	char *name;
	char hex[65];
} mf_entry;

static dr_err problem_at(char *problem, size_t len, const char *fmt, ...) DR_PRINTF(3, 4);
static dr_err problem_at(char *problem, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(problem, len, fmt, ap);
	va_end(ap);
	return DR_VERIFY;
}

/* Parse "HEX  NAME" lines; false with *bad_line set on a malformed one. */
static bool parse_manifest(const char *text, mf_entry **out, size_t *n, size_t *bad_line)
{
	size_t cap = 0, line = 0;
	*out = NULL;
	*n = 0;
	for (const char *p = text; *p;) {
		line++;
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);
		bool ok = l > 66 && p[64] == ' ' && p[65] == ' ' && nl;
		for (size_t i = 0; ok && i < 64; i++)
			ok = (p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f');
		const char *name = p + 66;
		size_t nlen = ok ? l - 66 : 0;
		ok = ok && !memchr(name, '/', nlen) && !(nlen <= 2 && name[0] == '.');
		if (!ok) {
			*bad_line = line;
			return false;
		}
		DR_GROW(*out, *n, cap);
		memcpy((*out)[*n].hex, p, 64);
		(*out)[*n].hex[64] = '\0';
		(*out)[*n].name = dr_strndup(name, nlen);
		(*n)++;
		p += l + 1;
	}
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The bundle's entries except the manifest and signature, sorted. */
static char **list_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	if (!d)
		return NULL;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, RPT_MANIFEST) == 0 || strcmp(e->d_name, RPT_SIGNATURE) == 0)
			continue;
		DR_GROW(v, *n + 1, cap);
		v[(*n)++] = dr_strdup(e->d_name);
	}
	closedir(d);
	if (v)
		qsort(v, *n, sizeof *v, cmp_str);
	return v;
}

static dr_err check_signature(const char *dir, const char *pubkey_path, const char *manifest, char *problem,
			      size_t len)
{
	char *sig_path = dr_asprintf("%s/%s", dir, RPT_SIGNATURE);
	char *sig = dr_read_file(sig_path, NULL);
	char *own = dr_asprintf("%s/%s", dir, RPT_PUBKEY);
	const char *key_path = pubkey_path ? pubkey_path : own;
	EVP_PKEY *k = NULL;
	dr_err err = DR_OK;
	if (!sig) {
		err = problem_at(problem, len, "'%s' is missing: the bundle is not signed", RPT_SIGNATURE);
		goto out;
	}
	k = load_key(key_path, false);
	if (!k) {
		if (pubkey_path)
			err = access(pubkey_path, R_OK) == 0 ? DR_PARSE : DR_NOTFOUND;
		else
			err = DR_VERIFY;
		problem_at(problem, len, "cannot read an Ed25519 public key from '%s'", key_path);
		goto out;
	}
	if (!verify_sig(k, manifest, strlen(manifest), sig))
		err = problem_at(problem, len, "the signature in '%s' does not match '%s' with the key '%s'",
				 RPT_SIGNATURE, RPT_MANIFEST, key_path);
out:
	EVP_PKEY_free(k);
	free(sig);
	free(sig_path);
	free(own);
	return err;
}

dr_err rpt_evidence_verify(const char *dir, const char *pubkey_path, char *problem, size_t len)
{
	dr_err err = DR_OK;
	mf_entry *mf = NULL;
	size_t n_mf = 0, n_files = 0, bad_line = 0;
	char **files = NULL;
	char *mpath = dr_asprintf("%s/%s", dir, RPT_MANIFEST);
	char *manifest = dr_read_file(mpath, NULL);
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		err = problem_at(problem, len, "'%s' is not a directory", dir);
		goto out;
	}
	if (!manifest) {
		err = problem_at(problem, len, "'%s' is missing", RPT_MANIFEST);
		goto out;
	}
	err = check_signature(dir, pubkey_path, manifest, problem, len);
	if (err != DR_OK)
		goto out;
	if (!parse_manifest(manifest, &mf, &n_mf, &bad_line)) {
		err = problem_at(problem, len, "'%s' line %zu is malformed", RPT_MANIFEST, bad_line);
		goto out;
	}
	for (size_t i = 0; i < n_mf; i++) {
		char *p = dr_asprintf("%s/%s", dir, mf[i].name);
		size_t flen;
		char *data = dr_read_file(p, &flen);
		free(p);
		if (!data) {
			err = problem_at(problem, len, "'%s' is listed in the manifest but missing", mf[i].name);
			goto out;
		}
		char hex[65];
		rpt_sha256_hex(data, flen, hex);
		free(data);
		if (strcmp(hex, mf[i].hex) != 0) {
			err = problem_at(problem, len, "'%s' does not match its SHA-256 in the manifest", mf[i].name);
			goto out;
		}
	}
	files = list_dir(dir, &n_files);
	for (size_t i = 0; i < n_files; i++) {
		bool listed = false;
		for (size_t k = 0; k < n_mf && !listed; k++)
			listed = strcmp(files[i], mf[k].name) == 0;
		if (!listed) {
			err = problem_at(problem, len, "'%s' is not listed in the manifest", files[i]);
			goto out;
		}
	}
	snprintf(problem, len, "%zu files match the manifest; the signature is valid", n_mf);
out:
	for (size_t i = 0; i < n_mf; i++)
		free(mf[i].name);
	free(mf);
	for (size_t i = 0; i < n_files; i++)
		free(files[i]);
	free(files);
	free(manifest);
	free(mpath);
	return err;
}
