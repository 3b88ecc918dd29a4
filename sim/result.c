/*
 * result.c - the result type: construction helpers, the canonical JSON form
 * (writer and strict reader) and files.
 *
 * The canonical text is produced by our own emitter rather than
 * json_dumps() so that it is stable by construction: fixed key order (the
 * order res_to_json() inserts keys), 2-space indent, arrays of scalars on
 * one line, doubles in the shortest form that reads back to the same bits,
 * non-finite doubles as null, a final newline.  Counts that do not fit in a
 * JSON integer (above 2^63 - 1) are written as decimal strings.
 * The reader rejects unknown keys, wrong types and other schema versions,
 * naming the offending path.
 */
#include "result.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const res_source_names[RES__NSOURCE] = {"measured", "modeled", "declared"};
const char *const res_mode_names[RES__NMODE] = {"simulate", "compare", "drill"};

/* ---- construction ------------------------------------------------------ */

res_result *res_new(res_mode mode)
{
	res_result *r = dr_calloc(1, sizeof(*r));
	r->schema_version = RES_SCHEMA_VERSION;
	r->mode = mode;
	r->tool_version = dr_strdup(DR_VERSION);
	if (mode == RES_MODE_DRILL) {
		r->measured = dr_calloc(1, sizeof(*r->measured));
		r->measured->rpo_s = NAN;
		r->measured->rto_s = NAN;
	}
	return r;
}

static void cdf_release(res_cdf *c)
{
	free(c->x);
	free(c->p);
	memset(c, 0, sizeof(*c));
}

static void disaster_release(res_disaster *d)
{
	free(d->kind);
	free(d->objectives_source);
	free(d->unrecoverable_reason);
	cdf_release(&d->rpo_cdf);
	cdf_release(&d->rto_cdf);
	cdf_release(&d->fleet_cdf);
	for (size_t i = 0; i < d->n_steps; i++) {
		free(d->steps[i].name);
		free(d->steps[i].detail);
		free(d->steps[i].error);
	}
	free(d->steps);
	free(d->fleet);
}

static void measured_free(res_measured *m)
{
	if (!m)
		return;
	free(m->clock);
	free(m->driver);
	free(m->driver_version);
	free(m->server_version);
	free(m->verification);
	free(m->journal);
	free(m);
}

void res_free(res_result *r)
{
	if (!r)
		return;
	free(r->tool_version);
	free(r->run_id);
	free(r->scenario_name);
	free(r->scenario_file);
	free(r->scenario_sha256);
	free(r->strategy);
	free(r->started_at);
	free(r->finished_at);
	free(r->host);
	for (size_t i = 0; i < r->n_disasters; i++)
		disaster_release(&r->disasters[i]);
	free(r->disasters);
	free(r->cost.currency);
	for (size_t i = 0; i < r->cost.n_items; i++)
		free(r->cost.items[i].item);
	free(r->cost.items);
	for (size_t i = 0; i < r->n_findings; i++) {
		free(r->findings[i].id);
		free(r->findings[i].severity);
		free(r->findings[i].message);
	}
	free(r->findings);
	measured_free(r->measured);
	for (size_t i = 0; i < r->n_variants; i++) {
		free(r->variants[i].strategy);
		res_free(r->variants[i].result);
	}
	free(r->variants);
	free(r->recommended);
	free(r);
}

res_disaster *res_add_disaster(res_result *r)
{
	r->disasters = dr_realloc(r->disasters, (r->n_disasters + 1) * sizeof(*r->disasters));
	res_disaster *d = &r->disasters[r->n_disasters++];
	memset(d, 0, sizeof(*d));
	d->source = r->mode == RES_MODE_DRILL ? RES_MEASURED : RES_MODELED;
	return d;
}

res_step *res_add_step(res_disaster *d)
{
	d->steps = dr_realloc(d->steps, (d->n_steps + 1) * sizeof(*d->steps));
	res_step *s = &d->steps[d->n_steps++];
	memset(s, 0, sizeof(*s));
	s->source = RES_MODELED;
	s->measured_s = -1;
	return s;
}

void res_add_finding(res_result *r, const char *id, const char *severity, const char *msg)
{
	r->findings = dr_realloc(r->findings, (r->n_findings + 1) * sizeof(*r->findings));
	res_finding *f = &r->findings[r->n_findings++];
	f->id = dr_strdup(id);
	f->severity = dr_strdup(severity);
	f->message = dr_strdup(msg);
}

void res_cost_add(res_cost *c, const char *item, double per_month)
{
	c->items = dr_realloc(c->items, (c->n_items + 1) * sizeof(*c->items));
	c->items[c->n_items].item = dr_strdup(item);
	c->items[c->n_items].per_month = per_month;
	c->n_items++;
	c->per_month += per_month;
}

res_prob res_wilson(uint64_t successes, uint64_t trials)
{
	res_prob p = {.p = 0, .lo = 0, .hi = 1, .successes = successes, .trials = trials};
	if (trials == 0)
		return p;
	const double z = 1.959963984540054; /* two-sided 95 % */
	double n = (double)trials, ph = (double)successes / n;
	double denom = 1 + z * z / n;
	double centre = (ph + z * z / (2 * n)) / denom;
	double half = z * sqrt(ph * (1 - ph) / n + z * z / (4 * n * n)) / denom;
	p.p = ph;
	p.lo = fmax(0, centre - half);
	p.hi = fmin(1, centre + half);
	return p;
}

/* ---- writer ------------------------------------------------------------ */

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *ju64(uint64_t v)
{
	if (v <= (uint64_t)INT64_MAX)
		return json_integer((json_int_t)v);
	char s[24];
	snprintf(s, sizeof s, "%" PRIu64, v);
	return json_string(s);
}

static void set(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(o, key, v);
}

static json_t *summary_json(const res_summary *s)
{
	json_t *o = json_object();
	set(o, "n", ju64(s->n));
	set(o, "mean", jnum(s->mean));
	set(o, "p50", jnum(s->p50));
	set(o, "p90", jnum(s->p90));
	set(o, "p95", jnum(s->p95));
	set(o, "p99", jnum(s->p99));
	set(o, "max", jnum(s->max));
	return o;
}

static json_t *prob_json(const res_prob *p)
{
	json_t *o = json_object();
	set(o, "p", jnum(p->p));
	set(o, "lo", jnum(p->lo));
	set(o, "hi", jnum(p->hi));
	set(o, "successes", ju64(p->successes));
	set(o, "trials", ju64(p->trials));
	return o;
}

static json_t *cdf_json(const res_cdf *c)
{
	json_t *o = json_object(), *x = json_array(), *p = json_array();
	for (size_t i = 0; i < c->n; i++) {
		json_array_append_new(x, jnum(c->x[i]));
		json_array_append_new(p, jnum(c->p[i]));
	}
	set(o, "x", x);
	set(o, "p", p);
	return o;
}

static json_t *step_json(const res_step *s)
{
	json_t *o = json_object();
	set(o, "name", jstr(s->name));
	set(o, "source", json_string(res_source_names[s->source]));
	set(o, "modeled", summary_json(&s->modeled));
	set(o, "measured_s", jnum(s->measured_s));
	set(o, "start_s", jnum(s->start_s));
	set(o, "share", jnum(s->share));
	set(o, "flagged", json_boolean(s->flagged));
	set(o, "detail", jstr(s->detail));
	set(o, "error", jstr(s->error));
	return o;
}

static json_t *fleet_json(const res_fleet_tier *t)
{
	json_t *o = json_object();
	set(o, "tier", json_integer(t->tier));
	set(o, "databases", ju64(t->databases));
	set(o, "t50_s", summary_json(&t->t50_s));
	set(o, "t100_s", summary_json(&t->t100_s));
	return o;
}

static json_t *annual_json(const res_annual *a)
{
	json_t *o = json_object();
	set(o, "downtime_s_per_year", jnum(a->downtime_s_per_year));
	set(o, "data_loss_s_per_year", jnum(a->data_loss_s_per_year));
	set(o, "availability", jnum(a->availability));
	set(o, "p_breach_per_year", jnum(a->p_breach_per_year));
	set(o, "events_per_year", jnum(a->events_per_year));
	return o;
}

static json_t *disaster_json(const res_disaster *d)
{
	json_t *o = json_object(), *steps = json_array(), *fleet = json_array();
	set(o, "kind", jstr(d->kind));
	set(o, "source", json_string(res_source_names[d->source]));
	set(o, "rpo_target_s", jnum(d->rpo_target_s));
	set(o, "rto_target_s", jnum(d->rto_target_s));
	set(o, "percentile", jnum(d->percentile));
	set(o, "objectives_source", jstr(d->objectives_source));
	set(o, "met_rpo", json_boolean(d->met_rpo));
	set(o, "met_rto", json_boolean(d->met_rto));
	set(o, "met", json_boolean(d->met));
	set(o, "rpo_s", summary_json(&d->rpo_s));
	set(o, "rto_s", summary_json(&d->rto_s));
	set(o, "p_meet_rpo", prob_json(&d->p_meet_rpo));
	set(o, "p_meet_rto", prob_json(&d->p_meet_rto));
	set(o, "rpo_cdf", cdf_json(&d->rpo_cdf));
	set(o, "rto_cdf", cdf_json(&d->rto_cdf));
	set(o, "unrecoverable", ju64(d->unrecoverable));
	set(o, "unrecoverable_reason", jstr(d->unrecoverable_reason));
	for (size_t i = 0; i < d->n_steps; i++)
		json_array_append_new(steps, step_json(&d->steps[i]));
	set(o, "steps", steps);
	for (size_t i = 0; i < d->n_fleet; i++)
		json_array_append_new(fleet, fleet_json(&d->fleet[i]));
	set(o, "fleet", fleet);
	set(o, "fleet_cdf", cdf_json(&d->fleet_cdf));
	set(o, "annual", annual_json(&d->annual));
	return o;
}

static json_t *measured_json(const res_measured *m)
{
	if (!m)
		return json_null();
	json_t *o = json_object();
	set(o, "rpo_s", jnum(m->rpo_s));
	set(o, "rto_s", jnum(m->rto_s));
	set(o, "acked_writes_lost", ju64(m->acked_writes_lost));
	set(o, "acked_writes", ju64(m->acked_writes));
	set(o, "canary_interval_s", jnum(m->canary_interval_s));
	set(o, "clock", jstr(m->clock));
	set(o, "event_at", jnum(m->event_at));
	set(o, "recovered_at", jnum(m->recovered_at));
	set(o, "technical_rto_s", jnum(m->technical_rto_s));
	set(o, "modeled_rto_s", jnum(m->modeled_rto_s));
	set(o, "driver", jstr(m->driver));
	set(o, "driver_version", jstr(m->driver_version));
	set(o, "server_version", jstr(m->server_version));
	set(o, "data_verified", json_boolean(m->data_verified));
	set(o, "verification", jstr(m->verification));
	set(o, "cleanup_ok", json_boolean(m->cleanup_ok));
	set(o, "journal", jstr(m->journal));
	return o;
}

static json_t *cost_json(const res_cost *c)
{
	json_t *o = json_object(), *items = json_array();
	set(o, "currency", jstr(c->currency));
	set(o, "per_month", jnum(c->per_month));
	for (size_t i = 0; i < c->n_items; i++) {
		json_t *it = json_object();
		set(it, "item", jstr(c->items[i].item));
		set(it, "per_month", jnum(c->items[i].per_month));
		json_array_append_new(items, it);
	}
	set(o, "items", items);
	return o;
}

json_t *res_to_json(const res_result *r)
{
	json_t *o = json_object(), *sc = json_object(), *dis = json_array(), *fnd = json_array(),
	       *var = json_array();
	set(o, "schema_version", json_integer(r->schema_version));
	set(o, "mode", json_string(res_mode_names[r->mode]));
	set(o, "tool_version", jstr(r->tool_version));
	set(o, "run_id", jstr(r->run_id));
	set(sc, "name", jstr(r->scenario_name));
	set(sc, "file", jstr(r->scenario_file));
	set(sc, "sha256", jstr(r->scenario_sha256));
	set(o, "scenario", sc);
	set(o, "strategy", jstr(r->strategy));
	set(o, "seed", ju64(r->seed));
	set(o, "trials", ju64(r->trials));
	set(o, "horizon_s", jnum(r->horizon_s));
	set(o, "started_at", jstr(r->started_at));
	set(o, "finished_at", jstr(r->finished_at));
	set(o, "host", jstr(r->host));
	set(o, "met", json_boolean(r->met));
	set(o, "recommended", jstr(r->recommended));
	for (size_t i = 0; i < r->n_disasters; i++)
		json_array_append_new(dis, disaster_json(&r->disasters[i]));
	set(o, "disasters", dis);
	set(o, "cost", cost_json(&r->cost));
	for (size_t i = 0; i < r->n_findings; i++) {
		json_t *f = json_object();
		set(f, "id", jstr(r->findings[i].id));
		set(f, "severity", jstr(r->findings[i].severity));
		set(f, "message", jstr(r->findings[i].message));
		json_array_append_new(fnd, f);
	}
	set(o, "findings", fnd);
	set(o, "measured", measured_json(r->measured));
	for (size_t i = 0; i < r->n_variants; i++) {
		json_t *v = json_object();
		set(v, "strategy", jstr(r->variants[i].strategy));
		set(v, "result", res_to_json(r->variants[i].result));
		json_array_append_new(var, v);
	}
	set(o, "variants", var);
	return o;
}

/* ---- canonical text ---------------------------------------------------- */

/* Integers as such, otherwise the shortest "%.*g" that reads back to
 * exactly v. */
static void put_real(dr_buf *b, double v)
{
	if (!isfinite(v)) {
		dr_buf_puts(b, "null");
		return;
	}
	if (v == 0) {
		dr_buf_puts(b, "0"); /* also -0: JSON readers differ on it */
		return;
	}
	char s[40];
	if (v == trunc(v) && fabs(v) < 1e16) {
		dr_buf_printf(b, "%.0f", v); /* 60, not 6e+01 */
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(s, sizeof s, "%.*g", prec, v);
		if (strtod(s, NULL) == v)
			break;
	}
	dr_buf_puts(b, s);
}

static void put_string(dr_buf *b, const char *s)
{
	dr_buf_add(b, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			dr_buf_puts(b, "\\\"");
			break;
		case '\\':
			dr_buf_puts(b, "\\\\");
			break;
		case '\n':
			dr_buf_puts(b, "\\n");
			break;
		case '\r':
			dr_buf_puts(b, "\\r");
			break;
		case '\t':
			dr_buf_puts(b, "\\t");
			break;
		default:
			if (*p < 0x20)
				dr_buf_printf(b, "\\u%04x", *p);
			else
				dr_buf_add(b, (const char *)p, 1);
		}
	}
	dr_buf_add(b, "\"", 1);
}

static void indent(dr_buf *b, int depth)
{
	dr_buf_add(b, "\n", 1);
	for (int i = 0; i < depth; i++)
		dr_buf_add(b, "  ", 2);
}

static bool is_container(const json_t *j)
{
	return json_is_object(j) || json_is_array(j);
}

static void emit(dr_buf *b, const json_t *j, int depth)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		if (json_object_size(j) == 0) {
			dr_buf_puts(b, "{}");
			break;
		}
		dr_buf_puts(b, "{");
		const char *key;
		json_t *v;
		size_t i = 0;
		json_object_foreach((json_t *)j, key, v) {
			dr_buf_puts(b, i++ ? "," : "");
			indent(b, depth + 1);
			put_string(b, key);
			dr_buf_puts(b, ": ");
			emit(b, v, depth + 1);
		}
		indent(b, depth);
		dr_buf_puts(b, "}");
		break;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(j);
		bool flat = true;
		for (size_t i = 0; i < n && flat; i++)
			flat = !is_container(json_array_get(j, i));
		dr_buf_puts(b, "[");
		for (size_t i = 0; i < n; i++) {
			if (flat) {
				dr_buf_puts(b, i ? ", " : "");
			} else {
				dr_buf_puts(b, i ? "," : "");
				indent(b, depth + 1);
			}
			emit(b, json_array_get(j, i), depth + 1);
		}
		if (!flat && n)
			indent(b, depth);
		dr_buf_puts(b, "]");
		break;
	}
	case JSON_STRING:
		put_string(b, json_string_value(j));
		break;
	case JSON_INTEGER:
		dr_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
		break;
	case JSON_REAL:
		put_real(b, json_real_value(j));
		break;
	case JSON_TRUE:
		dr_buf_puts(b, "true");
		break;
	case JSON_FALSE:
		dr_buf_puts(b, "false");
		break;
	case JSON_NULL:
		dr_buf_puts(b, "null");
		break;
	}
}

char *res_dump(const res_result *r)
{
	json_t *j = res_to_json(r);
	dr_buf b = {0};
	emit(&b, j, 0);
	dr_buf_puts(&b, "\n");
	json_decref(j);
	return dr_buf_take(&b);
}

dr_err res_save(const res_result *r, const char *path)
{
	char *text = res_dump(r);
	dr_err err = dr_write_atomic(path, text, strlen(text));
	if (err != DR_OK)
		dr_error("cannot write '%s': %s", path, strerror(errno));
	free(text);
	return err;
}

/* ---- reader ------------------------------------------------------------ */

/* Reader state: the first error wins; path names where we are. */
typedef struct {
	char *err;
	size_t errlen;
	bool bad;
	char path[256];
} rd;

static void rd_fail(rd *c, const char *key, const char *fmt, ...) DR_PRINTF(3, 4);
static void rd_fail(rd *c, const char *key, const char *fmt, ...)
{
	if (c->bad)
		return;
	c->bad = true;
	char what[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	const char *sep = (*c->path && key) ? "." : "";
	if (*c->path || key)
		snprintf(c->err, c->errlen, "'%s%s%s' %s", c->path, sep, key ? key : "", what);
	else
		snprintf(c->err, c->errlen, "result %s", what);
}

static size_t rd_push(rd *c, const char *key, long index)
{
	size_t old = strlen(c->path);
	const char *sep = (old && key) ? "." : "";
	if (index >= 0)
		snprintf(c->path + old, sizeof c->path - old, "%s%s[%ld]", sep, key ? key : "", index);
	else
		snprintf(c->path + old, sizeof c->path - old, "%s%s", sep, key ? key : "");
	return old;
}

static void rd_pop(rd *c, size_t old)
{
	c->path[old] = '\0';
}

/* Every key of o must be one of keys[] (which also must all be present). */
static void rd_keys(rd *c, const json_t *o, const char *const *keys, size_t n)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)o, key, v) {
		bool known = false;
		for (size_t i = 0; i < n && !known; i++)
			known = strcmp(key, keys[i]) == 0;
		if (!known) {
			const char *s = dr_suggest(key, keys, n);
			if (s)
				rd_fail(c, key, "is not a known key; did you mean '%s'?", s);
			else
				rd_fail(c, key, "is not a known key");
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!json_object_get(o, keys[i]))
			rd_fail(c, keys[i], "is missing");
}
#define RD_KEYS(c, o, arr) rd_keys(c, o, arr, sizeof(arr) / sizeof(arr[0]))

static const json_t *rd_get(rd *c, const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	if (!v) {
		rd_fail(c, key, "is missing");
		return json_null();
	}
	return v;
}

static double rd_num(rd *c, const json_t *o, const char *key)
{
	const json_t *v = rd_get(c, o, key);
	if (json_is_null(v))
		return NAN;
	if (!json_is_number(v)) {
		rd_fail(c, key, "must be a number");
		return NAN;
	}
	return json_number_value(v);
}

static uint64_t rd_u64(rd *c, const json_t *o, const char *key)
{
	const json_t *v = rd_get(c, o, key);
	if (json_is_integer(v) && json_integer_value(v) >= 0)
		return (uint64_t)json_integer_value(v);
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;
		errno = 0;
		unsigned long long u = strtoull(s, &end, 10);
		if (*s >= '0' && *s <= '9' && !*end && errno == 0 && u > (unsigned long long)INT64_MAX)
			return (uint64_t)u;
	}
	rd_fail(c, key, "must be a non-negative integer");
	return 0;
}

static bool rd_bool(rd *c, const json_t *o, const char *key)
{
	const json_t *v = rd_get(c, o, key);
	if (!json_is_boolean(v))
		rd_fail(c, key, "must be true or false");
	return json_is_true(v);
}

static char *rd_str(rd *c, const json_t *o, const char *key)
{
	const json_t *v = rd_get(c, o, key);
	if (json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		rd_fail(c, key, "must be a string or null");
		return NULL;
	}
	return dr_strdup(json_string_value(v));
}

static int rd_enum(rd *c, const json_t *o, const char *key, const char *const *names, int n)
{
	const json_t *v = rd_get(c, o, key);
	const char *s = json_string_value(v);
	for (int i = 0; s && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	const char *hint = s ? dr_suggest(s, names, (size_t)n) : NULL;
	if (hint)
		rd_fail(c, key, "has unknown value '%s'; did you mean '%s'?", s, hint);
	else
		rd_fail(c, key, "must be one of '%s', '%s', '%s'", names[0], names[1], names[2]);
	return 0;
}

/* The object at key, or NULL (with an error) when it is not one. */
static const json_t *rd_obj(rd *c, const json_t *o, const char *key)
{
	const json_t *v = rd_get(c, o, key);
	if (!json_is_object(v)) {
		rd_fail(c, key, "must be an object");
		return NULL;
	}
	return v;
}

static const json_t *rd_arr(rd *c, const json_t *o, const char *key)
{
	const json_t *v = rd_get(c, o, key);
	if (!json_is_array(v)) {
		rd_fail(c, key, "must be an array");
		return NULL;
	}
	return v;
}

static const char *const K_SUMMARY[] = {"n", "mean", "p50", "p90", "p95", "p99", "max"};
static const char *const K_PROB[] = {"p", "lo", "hi", "successes", "trials"};
static const char *const K_CDF[] = {"x", "p"};
static const char *const K_STEP[] = {"name", "source", "modeled", "measured_s", "start_s",
				     "share", "flagged", "detail", "error"};
static const char *const K_FLEET[] = {"tier", "databases", "t50_s", "t100_s"};
static const char *const K_ANNUAL[] = {"downtime_s_per_year", "data_loss_s_per_year",
				       "availability", "p_breach_per_year", "events_per_year"};
static const char *const K_DISASTER[] = {
	"kind", "source", "rpo_target_s", "rto_target_s", "percentile", "objectives_source",
	"met_rpo", "met_rto", "met", "rpo_s", "rto_s", "p_meet_rpo", "p_meet_rto", "rpo_cdf",
	"rto_cdf", "unrecoverable", "unrecoverable_reason", "steps", "fleet", "fleet_cdf", "annual"};
static const char *const K_MEASURED[] = {
	"rpo_s", "rto_s", "acked_writes_lost", "acked_writes", "canary_interval_s", "clock",
	"event_at", "recovered_at", "technical_rto_s", "modeled_rto_s", "driver",
	"driver_version", "server_version", "data_verified", "verification", "cleanup_ok",
	"journal"};
static const char *const K_COST[] = {"currency", "per_month", "items"};
static const char *const K_COST_ITEM[] = {"item", "per_month"};
static const char *const K_FINDING[] = {"id", "severity", "message"};
static const char *const K_SCENARIO[] = {"name", "file", "sha256"};
static const char *const K_VARIANT[] = {"strategy", "result"};
static const char *const K_RESULT[] = {
	"schema_version", "mode", "tool_version", "run_id", "scenario", "strategy", "seed",
	"trials", "horizon_s", "started_at", "finished_at", "host", "met", "recommended",
	"disasters", "cost", "findings", "measured", "variants"};

static res_summary rd_summary(rd *c, const json_t *o, const char *key)
{
	res_summary s = {0};
	const json_t *v = rd_obj(c, o, key);
	if (!v)
		return s;
	size_t old = rd_push(c, key, -1);
	RD_KEYS(c, v, K_SUMMARY);
	s.n = rd_u64(c, v, "n");
	s.mean = rd_num(c, v, "mean");
	s.p50 = rd_num(c, v, "p50");
	s.p90 = rd_num(c, v, "p90");
	s.p95 = rd_num(c, v, "p95");
	s.p99 = rd_num(c, v, "p99");
	s.max = rd_num(c, v, "max");
	rd_pop(c, old);
	return s;
}

static res_prob rd_prob(rd *c, const json_t *o, const char *key)
{
	res_prob p = {0};
	const json_t *v = rd_obj(c, o, key);
	if (!v)
		return p;
	size_t old = rd_push(c, key, -1);
	RD_KEYS(c, v, K_PROB);
	p.p = rd_num(c, v, "p");
	p.lo = rd_num(c, v, "lo");
	p.hi = rd_num(c, v, "hi");
	p.successes = rd_u64(c, v, "successes");
	p.trials = rd_u64(c, v, "trials");
	rd_pop(c, old);
	return p;
}

static double *rd_numbers(rd *c, const json_t *o, const char *key, size_t *n)
{
	const json_t *a = rd_arr(c, o, key);
	*n = a ? json_array_size(a) : 0;
	double *v = dr_calloc(*n ? *n : 1, sizeof(double));
	for (size_t i = 0; i < *n; i++) {
		const json_t *e = json_array_get(a, i);
		if (json_is_number(e))
			v[i] = json_number_value(e);
		else if (json_is_null(e))
			v[i] = NAN;
		else
			rd_fail(c, key, "must hold numbers only");
	}
	return v;
}

static res_cdf rd_cdf(rd *c, const json_t *o, const char *key)
{
	res_cdf cdf = {0};
	const json_t *v = rd_obj(c, o, key);
	if (!v)
		return cdf;
	size_t old = rd_push(c, key, -1);
	RD_KEYS(c, v, K_CDF);
	size_t nx, np;
	cdf.x = rd_numbers(c, v, "x", &nx);
	cdf.p = rd_numbers(c, v, "p", &np);
	cdf.n = nx < np ? nx : np;
	if (nx != np)
		rd_fail(c, NULL, "has %zu x values but %zu p values", nx, np);
	rd_pop(c, old);
	return cdf;
}

static void rd_step(rd *c, const json_t *o, res_step *s)
{
	RD_KEYS(c, o, K_STEP);
	s->name = rd_str(c, o, "name");
	s->source = (res_source)rd_enum(c, o, "source", res_source_names, RES__NSOURCE);
	s->modeled = rd_summary(c, o, "modeled");
	s->measured_s = rd_num(c, o, "measured_s");
	s->start_s = rd_num(c, o, "start_s");
	s->share = rd_num(c, o, "share");
	s->flagged = rd_bool(c, o, "flagged");
	s->detail = rd_str(c, o, "detail");
	s->error = rd_str(c, o, "error");
}

static void rd_fleet(rd *c, const json_t *o, res_fleet_tier *t)
{
	RD_KEYS(c, o, K_FLEET);
	const json_t *tier = rd_get(c, o, "tier");
	if (!json_is_integer(tier))
		rd_fail(c, "tier", "must be an integer");
	t->tier = (int)json_integer_value(tier);
	t->databases = rd_u64(c, o, "databases");
	t->t50_s = rd_summary(c, o, "t50_s");
	t->t100_s = rd_summary(c, o, "t100_s");
}

static res_annual rd_annual(rd *c, const json_t *o, const char *key)
{
	res_annual a = {0};
	const json_t *v = rd_obj(c, o, key);
	if (!v)
		return a;
	size_t old = rd_push(c, key, -1);
	RD_KEYS(c, v, K_ANNUAL);
	a.downtime_s_per_year = rd_num(c, v, "downtime_s_per_year");
	a.data_loss_s_per_year = rd_num(c, v, "data_loss_s_per_year");
	a.availability = rd_num(c, v, "availability");
	a.p_breach_per_year = rd_num(c, v, "p_breach_per_year");
	a.events_per_year = rd_num(c, v, "events_per_year");
	rd_pop(c, old);
	return a;
}

/* Calls each(c, element, i) for every object in the array at key. */
static size_t rd_each(rd *c, const json_t *o, const char *key,
		      void (*each)(rd *c, const json_t *e, size_t i, void *ctx), void *ctx)
{
	const json_t *a = rd_arr(c, o, key);
	size_t n = a ? json_array_size(a) : 0;
	for (size_t i = 0; i < n && !c->bad; i++) {
		size_t old = rd_push(c, key, (long)i);
		const json_t *e = json_array_get(a, i);
		if (json_is_object(e))
			each(c, e, i, ctx);
		else
			rd_fail(c, NULL, "must be an object");
		rd_pop(c, old);
	}
	return n;
}

static void each_step(rd *c, const json_t *e, size_t i, void *ctx)
{
	rd_step(c, e, res_add_step(ctx));
}

static void each_fleet(rd *c, const json_t *e, size_t i, void *ctx)
{
	res_disaster *d = ctx;
	d->fleet = dr_realloc(d->fleet, (d->n_fleet + 1) * sizeof(*d->fleet));
	memset(&d->fleet[d->n_fleet], 0, sizeof(*d->fleet));
	rd_fleet(c, e, &d->fleet[d->n_fleet++]);
}

static void each_disaster(rd *c, const json_t *o, size_t i, void *ctx)
{
	res_disaster *d = res_add_disaster(ctx);
	RD_KEYS(c, o, K_DISASTER);
	d->kind = rd_str(c, o, "kind");
	d->source = (res_source)rd_enum(c, o, "source", res_source_names, RES__NSOURCE);
	d->rpo_target_s = rd_num(c, o, "rpo_target_s");
	d->rto_target_s = rd_num(c, o, "rto_target_s");
	d->percentile = rd_num(c, o, "percentile");
	d->objectives_source = rd_str(c, o, "objectives_source");
	d->met_rpo = rd_bool(c, o, "met_rpo");
	d->met_rto = rd_bool(c, o, "met_rto");
	d->met = rd_bool(c, o, "met");
	d->rpo_s = rd_summary(c, o, "rpo_s");
	d->rto_s = rd_summary(c, o, "rto_s");
	d->p_meet_rpo = rd_prob(c, o, "p_meet_rpo");
	d->p_meet_rto = rd_prob(c, o, "p_meet_rto");
	d->rpo_cdf = rd_cdf(c, o, "rpo_cdf");
	d->rto_cdf = rd_cdf(c, o, "rto_cdf");
	d->unrecoverable = rd_u64(c, o, "unrecoverable");
	d->unrecoverable_reason = rd_str(c, o, "unrecoverable_reason");
	rd_each(c, o, "steps", each_step, d);
	rd_each(c, o, "fleet", each_fleet, d);
	d->fleet_cdf = rd_cdf(c, o, "fleet_cdf");
	d->annual = rd_annual(c, o, "annual");
}

static void each_cost_item(rd *c, const json_t *e, size_t i, void *ctx)
{
	res_cost *cost = ctx;
	RD_KEYS(c, e, K_COST_ITEM);
	char *item = rd_str(c, e, "item");
	double pm = rd_num(c, e, "per_month");
	double total = cost->per_month;
	res_cost_add(cost, item, pm);
	cost->per_month = total; /* the total is read, not recomputed */
	free(item);
}

static void rd_cost(rd *c, const json_t *o, res_cost *cost)
{
	const json_t *v = rd_obj(c, o, "cost");
	if (!v)
		return;
	size_t old = rd_push(c, "cost", -1);
	RD_KEYS(c, v, K_COST);
	cost->currency = rd_str(c, v, "currency");
	cost->per_month = rd_num(c, v, "per_month");
	rd_each(c, v, "items", each_cost_item, cost);
	rd_pop(c, old);
}

static void each_finding(rd *c, const json_t *e, size_t i, void *ctx)
{
	RD_KEYS(c, e, K_FINDING);
	char *id = rd_str(c, e, "id"), *sev = rd_str(c, e, "severity"), *msg = rd_str(c, e, "message");
	res_add_finding(ctx, id, sev, msg);
	free(id);
	free(sev);
	free(msg);
}

static void rd_measured(rd *c, const json_t *o, res_result *r)
{
	const json_t *v = rd_get(c, o, "measured");
	measured_free(r->measured);
	r->measured = NULL;
	if (json_is_null(v))
		return;
	if (!json_is_object(v)) {
		rd_fail(c, "measured", "must be an object or null");
		return;
	}
	size_t old = rd_push(c, "measured", -1);
	res_measured *m = r->measured = dr_calloc(1, sizeof(*m));
	RD_KEYS(c, v, K_MEASURED);
	m->rpo_s = rd_num(c, v, "rpo_s");
	m->rto_s = rd_num(c, v, "rto_s");
	m->acked_writes_lost = rd_u64(c, v, "acked_writes_lost");
	m->acked_writes = rd_u64(c, v, "acked_writes");
	m->canary_interval_s = rd_num(c, v, "canary_interval_s");
	m->clock = rd_str(c, v, "clock");
	m->event_at = rd_num(c, v, "event_at");
	m->recovered_at = rd_num(c, v, "recovered_at");
	m->technical_rto_s = rd_num(c, v, "technical_rto_s");
	m->modeled_rto_s = rd_num(c, v, "modeled_rto_s");
	m->driver = rd_str(c, v, "driver");
	m->driver_version = rd_str(c, v, "driver_version");
	m->server_version = rd_str(c, v, "server_version");
	m->data_verified = rd_bool(c, v, "data_verified");
	m->verification = rd_str(c, v, "verification");
	m->cleanup_ok = rd_bool(c, v, "cleanup_ok");
	m->journal = rd_str(c, v, "journal");
	rd_pop(c, old);
}

static res_result *rd_result(rd *c, const json_t *o, int depth);

static void each_variant(rd *c, const json_t *e, size_t i, void *ctx)
{
	res_result *r = ctx;
	RD_KEYS(c, e, K_VARIANT);
	r->variants = dr_realloc(r->variants, (r->n_variants + 1) * sizeof(*r->variants));
	res_variant *v = &r->variants[r->n_variants++];
	v->strategy = rd_str(c, e, "strategy");
	v->result = NULL;
	const json_t *sub = rd_obj(c, e, "result");
	if (sub) {
		size_t old = rd_push(c, "result", -1);
		v->result = rd_result(c, sub, 1);
		rd_pop(c, old);
	}
}

static res_result *rd_result(rd *c, const json_t *o, int depth)
{
	const json_t *ver = json_object_get(o, "schema_version");
	if (!json_is_integer(ver)) {
		rd_fail(c, "schema_version", "must be an integer");
		return NULL;
	}
	if (json_integer_value(ver) != RES_SCHEMA_VERSION) {
		rd_fail(c, "schema_version", "is %" JSON_INTEGER_FORMAT "; this drsim reads version %d",
			json_integer_value(ver), RES_SCHEMA_VERSION);
		return NULL;
	}
	res_mode mode = (res_mode)rd_enum(c, o, "mode", res_mode_names, RES__NMODE);
	res_result *r = res_new(mode);
	RD_KEYS(c, o, K_RESULT);
	free(r->tool_version);
	r->tool_version = rd_str(c, o, "tool_version");
	r->run_id = rd_str(c, o, "run_id");
	const json_t *sc = rd_obj(c, o, "scenario");
	if (sc) {
		size_t old = rd_push(c, "scenario", -1);
		RD_KEYS(c, sc, K_SCENARIO);
		r->scenario_name = rd_str(c, sc, "name");
		r->scenario_file = rd_str(c, sc, "file");
		r->scenario_sha256 = rd_str(c, sc, "sha256");
		rd_pop(c, old);
	}
	r->strategy = rd_str(c, o, "strategy");
	r->seed = rd_u64(c, o, "seed");
	r->trials = rd_u64(c, o, "trials");
	r->horizon_s = rd_num(c, o, "horizon_s");
	r->started_at = rd_str(c, o, "started_at");
	r->finished_at = rd_str(c, o, "finished_at");
	r->host = rd_str(c, o, "host");
	r->met = rd_bool(c, o, "met");
	r->recommended = rd_str(c, o, "recommended");
	rd_each(c, o, "disasters", each_disaster, r);
	rd_cost(c, o, &r->cost);
	rd_each(c, o, "findings", each_finding, r);
	rd_measured(c, o, r);
	if (depth > 0 && json_array_size(json_object_get(o, "variants")) > 0)
		rd_fail(c, "variants", "must be empty in a variant's result");
	else
		rd_each(c, o, "variants", each_variant, r);
	return r;
}

res_result *res_from_json(const json_t *j, char *err, size_t errlen)
{
	rd c = {.err = err, .errlen = errlen};
	if (!json_is_object(j)) {
		snprintf(err, errlen, "result must be a JSON object");
		return NULL;
	}
	res_result *r = rd_result(&c, j, 0);
	if (c.bad) {
		res_free(r);
		return NULL;
	}
	return r;
}

res_result *res_load(const char *path, char *err, size_t errlen)
{
	json_error_t je;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		if (je.line <= 0)
			snprintf(err, errlen, "cannot read '%s': %s", path, je.text);
		else
			snprintf(err, errlen, "%s:%d:%d: %s", path, je.line, je.column, je.text);
		return NULL;
	}
	char inner[512];
	res_result *r = res_from_json(j, inner, sizeof inner);
	json_decref(j);
	if (!r)
		snprintf(err, errlen, "%s: %s", path, inner);
	return r;
}
