/*
 * drill.c - the drill executor: preflight, set-up, canary, injection,
 * runbook steps with timeouts, recovery check, measurement, verification,
 * clean-up and the result; and the journal replay behind `drsim cleanup`.
 * The dry run is plan.c.  Only driver wrappers (driver.h) are called.
 */
#define _GNU_SOURCE
#include "drill.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "canary.h"
#include "journal.h"

#define MAX_DRIVERS 8

const scn_runbook *sim_drill_runbook(const scenario *s, const char *disaster)
{
	if (!disaster) {
		if (s->n_runbooks == 0) {
			dr_error("scenario '%s' has no runbook", s->file);
			return NULL;
		}
		return &s->runbooks[0];
	}
	int k = scn_disaster_kind_parse(disaster);
	if (k < 0) {
		dr_error("unknown disaster kind '%s'", disaster);
		return NULL;
	}
	const scn_runbook *rb = scn_runbook_for(s, (scn_disaster_kind)k);
	if (!rb)
		dr_error("scenario '%s' has no runbook for '%s'", s->file, scn_disaster_names[k]);
	return rb;
}

void sim_drill_vars(const scenario *s, double vars[SCN__NVAR])
{
	memset(vars, 0, sizeof(double) * SCN__NVAR);
	vars[SCN_VAR_SIZE] = s->drill.size;
	vars[SCN_VAR_COUNT] = 1;
	if (s->n_dbs > 0 && s->dbs[0].write_rate)
		vars[SCN_VAR_WRITE_RATE] = dr_expr_mean(s->dbs[0].write_rate, vars);
	double upload = s->protection.automated.log_upload_s > 0 ? s->protection.automated.log_upload_s : 300;
	vars[SCN_VAR_REPLAY] = vars[SCN_VAR_WRITE_RATE] * upload;
	if (s->protection.n_replicas > 0 && s->protection.replicas[0].lag)
		vars[SCN_VAR_LAG] = dr_expr_mean(s->protection.replicas[0].lag, vars);
}

const drv_ops *sim_drill_step_driver(const scenario *s, const scn_step *st)
{
	const char *name = st->action.driver;
	if (strcmp(name, "db") == 0)
		name = s->drill.driver;
	const drv_ops *ops = drv_find(name);
	if (!ops) {
		dr_error("step '%s': driver '%s' is not built into this drsim (see 'drsim drivers')", st->name, name);
		return NULL;
	}
	if (!(ops->caps & DRV_CAP_STEP)) {
		dr_error("step '%s': driver '%s' cannot perform runbook steps", st->name, name);
		return NULL;
	}
	return ops;
}

double sim_drill_step_timeout(const scn_step *st, const double *vars)
{
	if (st->timeout_s > 0)
		return st->timeout_s;
	double t = 10 * dr_expr_quantile(st->model, vars, 0.95);
	return t > 1 ? t : 1;
}

/* --- one drill ------------------------------------------------------------ */

typedef struct {
	const scenario *s;
	const sim_drill_opts *o;
	const scn_runbook *rb;
	char run[64];
	char *workdir, *journal_path;
	sim_journal *journal;
	drv_ctx *ctx[MAX_DRIVERS]; /* ctx[0] is the drill's driver */
	size_t n_ctx;
	drv_canary *canary;
	unsigned canary_gen;
	double t0_mono;
	double event_real, event_mono;
	double recovery_point;       /* newest recovery point a step reported (no canary) */
	char recovery_point_source[256];
	double vars[SCN__NVAR];
	res_result *r;
	res_disaster *d;
	bool failed;
} drill;

static void progress(drill *dl, const char *what, const char *fmt, ...) DR_PRINTF(3, 4);
static void progress(drill *dl, const char *what, const char *fmt, ...)
{
	if (!dl->o->progress)
		return;
	va_list ap;
	va_start(ap, fmt);
	dr_buf b = {0};
	dr_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	char *safe = drv_redact(b.s ? b.s : "");
	fprintf(dl->o->progress, "drsim: [%8.3fs] %-22s %s\n", dr_now_mono() - dl->t0_mono, what, safe);
	fflush(dl->o->progress);
	free(safe);
	dr_buf_release(&b);
}

static void new_run_id(char out[64])
{
	unsigned char rnd[3] = {0};
	if (getrandom(rnd, sizeof rnd, 0) != sizeof rnd) {
		uint64_t x = dr_mix64((uint64_t)getpid() ^ (uint64_t)(dr_now_mono() * 1e9));
		memcpy(rnd, &x, sizeof rnd);
	}
	char iso[32];
	dr_iso8601(dr_now_real(), iso);
	/* 2026-11-23T20:01:02.345Z -> 20261123T200102 */
	char compact[32];
	size_t n = 0;
	for (const char *p = iso; *p && *p != '.' && n < sizeof compact - 1; p++)
		if (*p != '-' && *p != ':')
			compact[n++] = *p;
	compact[n] = '\0';
	snprintf(out, 64, "drill-%s-%02x%02x%02x", compact, rnd[0], rnd[1], rnd[2]);
}

static drv_ctx *ctx_for(drill *dl, const drv_ops *ops)
{
	for (size_t i = 0; i < dl->n_ctx; i++)
		if (dl->ctx[i]->ops == ops)
			return dl->ctx[i];
	if (dl->n_ctx == MAX_DRIVERS)
		DR_BUG("more than %d drivers in one drill", MAX_DRIVERS);
	drv_ctx_init init = {.run_id = dl->run, .scn = dl->s, .disaster = dl->rb->kind,
			     .workdir = dl->workdir, .journal = dl->journal, .log = dl->o->progress};
	drv_ctx *c = drv_ctx_new(ops, &init);
	c->event_at = dl->event_real;
	dl->ctx[dl->n_ctx++] = c;
	return c;
}

/* Preflight: everything checked before anything is touched. */
static dr_err preflight(drill *dl)
{
	const scenario *s = dl->s;
	if (!s->drill.set || !s->drill.driver) {
		dr_error("scenario '%s' has no 'drill' section", s->file);
		return DR_USAGE;
	}
	dl->rb = sim_drill_runbook(s, dl->o->disaster);
	if (!dl->rb)
		return DR_USAGE;
	const drv_ops *main_ops = drv_find(s->drill.driver);
	if (!main_ops) {
		dr_error("drill driver '%s' is not built into this drsim (see 'drsim drivers')", s->drill.driver);
		return DR_UNSUPPORTED;
	}
	if (!(main_ops->caps & DRV_CAP_INJECT)) {
		dr_error("drill driver '%s' cannot inject disasters", main_ops->name);
		return DR_UNSUPPORTED;
	}
	const drv_ops *used[MAX_DRIVERS] = {main_ops};
	size_t n_used = 1;
	for (size_t i = 0; i < dl->rb->n_steps; i++) {
		const scn_step *st = &dl->rb->steps[i];
		if (st->action.manual)
			continue;
		const drv_ops *ops = sim_drill_step_driver(s, st);
		if (!ops)
			return DR_UNSUPPORTED;
		bool seen = false;
		for (size_t k = 0; k < n_used; k++)
			seen = seen || used[k] == ops;
		if (!seen && n_used < MAX_DRIVERS)
			used[n_used++] = ops;
	}
	for (size_t k = 0; k < n_used; k++) {
		char why[256] = "";
		if (!drv_supported(used[k], why, sizeof why)) {
			dr_error("driver '%s' is not usable here: %s", used[k]->name, why);
			return DR_UNSUPPORTED;
		}
	}
	if (access(dl->workdir, F_OK) == 0) {
		dr_error("refusing to use work directory '%s': it already exists", dl->workdir);
		return DR_GUARD;
	}
	if (access(dl->journal_path, F_OK) == 0) {
		dr_error("refusing to reuse journal '%s'", dl->journal_path);
		return DR_GUARD;
	}
	return DR_OK;
}

static void on_signal(int sig)
{
	(void)sig;
	drv_interrupt();
}

static void step_prediction(drill *dl, const scn_step *st, res_step *rs)
{
	rs->modeled.n = 0;
	rs->modeled.mean = dr_expr_mean(st->model, dl->vars);
	rs->modeled.p50 = dr_expr_quantile(st->model, dl->vars, 0.50);
	rs->modeled.p90 = dr_expr_quantile(st->model, dl->vars, 0.90);
	rs->modeled.p95 = dr_expr_quantile(st->model, dl->vars, 0.95);
	rs->modeled.p99 = dr_expr_quantile(st->model, dl->vars, 0.99);
	double lo, hi;
	dr_expr_bounds(st->model, dl->vars, &lo, &hi);
	rs->modeled.max = hi;
}

static dr_err manual_step(drill *dl, const scn_step *st, res_step *rs, double *modeled)
{
	if (!dl->o->interactive) {
		rs->source = RES_DECLARED;
		rs->measured_s = rs->modeled.p50;
		rs->detail = dr_asprintf("manual: %s (not performed: modeled p50 declared)", st->action.manual);
		*modeled += rs->modeled.p50;
		progress(dl, st->name, "manual, declared %.3fs (modeled p50)", rs->modeled.p50);
		return DR_OK;
	}
	if (dl->o->progress)
		fprintf(dl->o->progress, "drsim: manual step '%s': %s\ndrsim: press Enter when done: ",
			st->name, st->action.manual);
	double t = dr_now_mono();
	char line[256];
	if (!fgets(line, sizeof line, dl->o->in ? dl->o->in : stdin)) {
		rs->error = dr_strdup(drv_interrupted() ? "interrupted" : "no confirmation (end of input)");
		return drv_interrupted() ? DR_INTERRUPTED : DR_IO;
	}
	rs->source = RES_MEASURED;
	rs->measured_s = dr_now_mono() - t;
	rs->detail = dr_asprintf("manual: %s (confirmed by the operator)", st->action.manual);
	return DR_OK;
}

static void maybe_retarget(drill *dl, drv_ctx *c)
{
	if (!dl->canary || c != dl->ctx[0])
		return;
	char conninfo[1024];
	if (drv_endpoint(c, conninfo, sizeof conninfo) == DR_OK)
		dl->canary_gen = drv_canary_retarget(dl->canary, conninfo);
}

/* Run the runbook; *healthy_at gets the latest health moment a step saw. */
static dr_err run_steps(drill *dl, double *modeled, double *healthy_at)
{
	for (size_t i = 0; i < dl->rb->n_steps; i++) {
		const scn_step *st = &dl->rb->steps[i];
		res_step *rs = res_add_step(dl->d);
		rs->name = dr_strdup(st->name);
		step_prediction(dl, st, rs);
		rs->start_s = dr_now_mono() - dl->event_mono;
		if (drv_interrupted()) {
			rs->error = dr_strdup("interrupted");
			return DR_INTERRUPTED;
		}
		if (st->action.manual) {
			dr_err err = manual_step(dl, st, rs, modeled);
			if (err != DR_OK)
				return err;
			continue;
		}
		drv_ctx *c = ctx_for(dl, sim_drill_step_driver(dl->s, st));
		double timeout = sim_drill_step_timeout(st, dl->vars);
		progress(dl, st->name, "running (%s %s, timeout %.1fs)", c->ops->name,
			 st->action.op ? st->action.op : "", timeout);
		double t = dr_now_mono();
		c->deadline_mono = t + timeout;
		drv_step_out out;
		dr_err err = drv_step(c, st, &out);
		c->deadline_mono = 0;
		rs->measured_s = dr_now_mono() - t;
		rs->source = RES_MEASURED;
		rs->detail = dr_strdup(out.detail[0] ? out.detail : c->ops->name);
		double p5 = dr_expr_quantile(st->model, dl->vars, 0.05);
		rs->flagged = rs->measured_s < p5 || rs->measured_s > rs->modeled.p95;
		if (out.healthy_at_mono > *healthy_at)
			*healthy_at = out.healthy_at_mono;
		if (out.recovery_point > dl->recovery_point) {
			dl->recovery_point = out.recovery_point;
			snprintf(dl->recovery_point_source, sizeof dl->recovery_point_source, "%s",
				 out.recovery_point_source);
		}
		if (err != DR_OK) {
			rs->error = dr_asprintf("%s", dr_strerror(err));
			progress(dl, st->name, "failed after %.3fs: %s", rs->measured_s, dr_strerror(err));
			return err;
		}
		progress(dl, st->name, "done in %.3fs (model p50 %.3fs, p95 %.3fs)%s", rs->measured_s,
			 rs->modeled.p50, rs->modeled.p95, rs->flagged ? " outside [p5, p95]" : "");
		if (out.endpoint_changed)
			maybe_retarget(dl, c);
	}
	return DR_OK;
}

/* The recovery check: when did the recovered endpoint first work? */
static dr_err recovery_check(drill *dl, double runbook_end, double step_healthy, double *recovered)
{
	double limit = dl->o->recovery_timeout_s > 0 ? dl->o->recovery_timeout_s : 60;
	drv_ctx *main_ctx = dl->ctx[0];
	dr_err err = DR_OK;
	double at = 0;
	if (dl->canary) {
		maybe_retarget(dl, main_ctx);
		err = drv_canary_wait_success(dl->canary, dl->canary_gen, 0, runbook_end + limit, &at);
	} else if (step_healthy > 0) {
		at = step_healthy;
	} else {
		drv_ctx *c = main_ctx;
		const drv_ops *http = drv_find("http");
		bool http_url = false;
		for (size_t i = 0; i < dl->s->drill.n_params; i++)
			http_url = http_url || strcmp(dl->s->drill.params[i].key, "url") == 0;
		if (http_url && http)
			c = ctx_for(dl, http);
		else if (!(c->ops->caps & DRV_CAP_HEALTH)) {
			dr_error("no recovery check: driver '%s' has neither a canary endpoint nor a health check",
				 c->ops->name);
			return DR_UNSUPPORTED;
		}
		c->deadline_mono = runbook_end + limit;
		err = drv_health(c, &at);
		c->deadline_mono = 0;
	}
	if (err != DR_OK)
		return err;
	*recovered = at > runbook_end ? at : runbook_end;
	return DR_OK;
}

static void fill_objectives(drill *dl)
{
	const scn_objectives *ob = scn_objectives_for(dl->s, dl->rb->kind);
	res_disaster *d = dl->d;
	d->kind = dr_strdup(scn_disaster_names[dl->rb->kind]);
	d->rpo_target_s = ob->rpo_s;
	d->rto_target_s = ob->rto_s;
	d->percentile = ob->percentile;
	int di = scn_disaster_index(dl->s, dl->rb->kind);
	bool override = di >= 0 && dl->s->disasters[di].objectives.set;
	d->objectives_source = dr_strdup(override ? "scenario: disaster override" : "scenario");
	d->source = RES_MEASURED;
}

static res_summary one_value(double v)
{
	res_summary s = {.n = 1, .mean = v, .p50 = v, .p90 = v, .p95 = v, .p99 = v, .max = v};
	return s;
}

static void set_times(res_result *r, bool start)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char iso[32];
	dr_iso8601(sde && *sde ? strtod(sde, NULL) : dr_now_real(), iso);
	if (start) {
		r->started_at = dr_strdup(iso);
		char host[256] = "unknown";
		gethostname(host, sizeof host);
		host[sizeof host - 1] = '\0';
		r->host = dr_strdup(sde && *sde ? "reproducible" : host);
	} else {
		r->finished_at = dr_strdup(iso);
	}
}

static void new_result(drill *dl)
{
	res_result *r = dl->r = res_new(RES_MODE_DRILL);
	r->run_id = dr_strdup(dl->run);
	r->scenario_name = dr_strdup(dl->s->name);
	r->scenario_file = dr_strdup(dl->s->file);
	r->scenario_sha256 = dr_strdup(dl->s->sha256);
	r->strategy = dr_strdup(scn_strategy_names[dl->s->strategy]);
	r->trials = 1;
	set_times(r, true);
	dl->d = res_add_disaster(r);
	fill_objectives(dl);
	res_measured *m = r->measured;
	const drv_ops *ops = dl->ctx[0]->ops;
	m->driver = dr_strdup(ops->name);
	m->driver_version = dr_strdup(ops->version);
	m->clock = dr_strdup("CLOCK_REALTIME (event and ack instants) + CLOCK_MONOTONIC (durations)");
	m->canary_interval_s = dl->s->drill.canary_interval_s;
	m->journal = dr_strdup(dl->journal_path);
}

static dr_err start_canary(drill *dl)
{
	drv_ctx *c = dl->ctx[0];
	if (!(c->ops->caps & DRV_CAP_CANARY)) {
		progress(dl, "canary", "skipped: driver '%s' offers no database endpoint", c->ops->name);
		return DR_OK;
	}
	char conninfo[1024];
	dr_err err = drv_endpoint(c, conninfo, sizeof conninfo);
	if (err != DR_OK)
		return err;
	double interval = dl->s->drill.canary_interval_s;
	err = drv_canary_start(conninfo, dl->run, interval, 30, &dl->canary);
	if (err != DR_OK)
		return err;
	/* Warm-up: one second of acknowledged writes (at least 10). */
	uint64_t warm = (uint64_t)ceil(1.0 / interval);
	err = drv_canary_wait_acked(dl->canary, warm < 10 ? 10 : warm, dr_now_mono() + 30);
	progress(dl, "canary", "%s: %llu writes acknowledged every %.0f ms", err == DR_OK ? "warm" : "not warm",
		 (unsigned long long)drv_canary_acked(dl->canary), interval * 1000);
	return err;
}

static dr_err inject(drill *dl)
{
	drv_ctx *c = dl->ctx[0];
	progress(dl, "inject", "%s", scn_disaster_names[dl->rb->kind]);
	double before_real = dr_now_real(), before_mono = dr_now_mono();
	double at = 0;
	dr_err err = drv_inject(c, dl->rb->kind, &at);
	if (err != DR_OK)
		return err;
	dl->event_real = at;
	/* The event instant on the monotonic clock, from the wall-clock offset. */
	dl->event_mono = before_mono + (at - before_real);
	for (size_t i = 0; i < dl->n_ctx; i++)
		dl->ctx[i]->event_at = at;
	dl->r->measured->event_at = at;
	char iso[32];
	dr_iso8601(at, iso);
	progress(dl, "inject", "event at %s", iso);
	return DR_OK;
}

static void measure(drill *dl, double recovered_mono, double modeled)
{
	res_measured *m = dl->r->measured;
	m->recovered_at = dl->event_real + (recovered_mono - dl->event_mono);
	m->technical_rto_s = recovered_mono - dl->event_mono;
	m->modeled_rto_s = modeled;
	m->rto_s = m->technical_rto_s + modeled;
	if (dl->canary) {
		drv_canary_stop(dl->canary);
		drv_canary_stats st;
		if (drv_canary_measure(dl->canary, dl->event_mono, &st) == DR_OK) {
			m->rpo_s = st.rpo_s;
			m->acked_writes_lost = st.acked_lost;
			m->acked_writes = st.acked;
			progress(dl, "measure", "RPO %.3fs (newest seq %llu), %llu of %llu acked writes lost", st.rpo_s,
				 (unsigned long long)st.newest_seq, (unsigned long long)st.acked_lost,
				 (unsigned long long)st.acked);
		} else {
			res_add_finding(dl->r, "DRILL-RPO-READBACK", "error",
					"the canary rows could not be read back: RPO not measured");
		}
	} else if (dl->recovery_point > 0) {
		/* a restore may also hold writes made after the event: nothing
		 * committed before it was lost then.  The driver's own timestamps
		 * (a restore's newest replayed commit, a snapshot's creation
		 * time, a LatestRestorableTime) say how recent its data is. */
		m->rpo_s = fmax(0, dl->event_real - dl->recovery_point);
		char *msg = dr_asprintf("RPO %.3fs from the recovered data's own timestamps, not a canary: %s",
					m->rpo_s, dl->recovery_point_source[0] ? dl->recovery_point_source
										 : "newest recovery point");
		char *safe = drv_redact(msg);
		res_add_finding(dl->r, "DRILL-RPO-SOURCE", "info", safe);
		progress(dl, "measure", "%s", safe);
		free(safe);
		free(msg);
	} else {
		res_add_finding(dl->r, "DRILL-RPO-UNMEASURED", "warning",
				"the drill driver offers no canary endpoint and found no recovery point: "
				"RPO was not measured");
	}
	progress(dl, "measure", "RTO %.3fs (technical %.3fs + declared %.3fs)", m->rto_s, m->technical_rto_s,
		 modeled);
}

static void verify(drill *dl)
{
	drv_ctx *c = dl->ctx[0];
	res_measured *m = dl->r->measured;
	if (!c->ops->verify) {
		m->verification = dr_asprintf("driver '%s' has no data verification", c->ops->name);
		return;
	}
	dr_buf rep = {0};
	dr_err err = drv_verify(c, &rep);
	m->data_verified = err == DR_OK;
	m->verification = dr_buf_take(&rep);
	if (err != DR_OK)
		res_add_finding(dl->r, "DRILL-DATA-VERIFY", "error", m->verification[0] ? m->verification
											 : dr_strerror(err));
	progress(dl, "verify", "%s: %s", err == DR_OK ? "ok" : "failed", m->verification);
}

static bool should_clean(const drill *dl)
{
	const char *policy = dl->s->drill.cleanup ? dl->s->drill.cleanup : "always";
	if (dl->o->keep || strcmp(policy, "never") == 0)
		return false;
	if (strcmp(policy, "on-success") == 0)
		return !dl->failed;
	return true;
}

static bool cleanup(drill *dl)
{
	if (dl->canary)
		drv_canary_stop(dl->canary);
	if (!should_clean(dl)) {
		progress(dl, "cleanup", "skipped (%s): remove later with 'drsim cleanup %s'",
			 dl->o->keep ? "--keep" : dl->s->drill.cleanup, dl->journal_path);
		return false;
	}
	bool ok = true;
	for (size_t i = dl->n_ctx; i-- > 0;)
		if (drv_cleanup(dl->ctx[i]) != DR_OK)
			ok = false;
	if (dl->n_ctx > 0 && access(dl->workdir, F_OK) == 0 && drv_rmdir(dl->ctx[0], dl->workdir) != DR_OK)
		ok = false;
	size_t left = 0;
	if (sim_cleanup_journal(dl->journal_path, &left, NULL) != DR_OK || left > 0)
		ok = false;
	progress(dl, "cleanup", "%s", ok ? "done: nothing of the run is left" : "incomplete");
	return ok;
}

static void decide(drill *dl)
{
	res_disaster *d = dl->d;
	res_measured *m = dl->r->measured;
	d->rto_s = one_value(m->rto_s);
	d->met_rto = !dl->failed && m->rto_s <= d->rto_target_s;
	if (!isnan(m->rpo_s)) {
		d->rpo_s = one_value(m->rpo_s);
		d->met_rpo = !dl->failed && m->rpo_s <= d->rpo_target_s;
	}
	d->met = d->met_rpo && d->met_rto && (m->data_verified || !dl->ctx[0]->ops->verify);
	dl->r->met = d->met;
	/* one drill is one trial: the odds say 1 of 1 (or 0 of 1), with the
	 * Wilson interval that a single observation deserves */
	d->p_meet_rto = res_wilson(d->met_rto ? 1 : 0, 1);
	if (!isnan(m->rpo_s))
		d->p_meet_rpo = res_wilson(d->met_rpo ? 1 : 0, 1);
	/* waterfall: each step's share of the whole RTO, measured or declared */
	for (size_t i = 0; i < d->n_steps && m->rto_s > 0; i++) {
		res_step *st = &d->steps[i];
		double dur = st->measured_s >= 0 ? st->measured_s : st->modeled.p50;
		st->share = dur > 0 ? dur / m->rto_s : 0;
	}
}

static dr_err execute(drill *dl)
{
	dr_err err = drv_mkdir(dl->ctx[0], dl->workdir, 0700);
	if (err != DR_OK)
		return err;
	progress(dl, "setup", "driver '%s', work directory %s", dl->ctx[0]->ops->name, dl->workdir);
	err = drv_setup(dl->ctx[0]);
	if (dl->ctx[0]->server_version[0]) {
		free(dl->r->measured->server_version);
		dl->r->measured->server_version = dr_strdup(dl->ctx[0]->server_version);
	}
	if (err != DR_OK)
		return err;
	if (drv_interrupted())
		return DR_INTERRUPTED;
	err = start_canary(dl);
	if (err != DR_OK)
		return err;
	if (drv_interrupted())
		return DR_INTERRUPTED;
	err = inject(dl);
	if (err != DR_OK)
		return err;
	double modeled = 0, step_healthy = 0;
	int di = scn_disaster_index(dl->s, dl->rb->kind);
	if (di >= 0 && dl->s->disasters[di].detect) {
		res_step *rs = res_add_step(dl->d);
		rs->name = dr_strdup("detect");
		rs->source = RES_DECLARED;
		rs->modeled.p50 = dr_expr_quantile(dl->s->disasters[di].detect, dl->vars, 0.5);
		rs->modeled.p95 = dr_expr_quantile(dl->s->disasters[di].detect, dl->vars, 0.95);
		rs->measured_s = rs->modeled.p50;
		rs->detail = dr_strdup("detection is not part of a drill: modeled p50 declared");
		modeled += rs->modeled.p50;
	}
	err = run_steps(dl, &modeled, &step_healthy);
	if (err != DR_OK)
		return err;
	double recovered = 0;
	err = recovery_check(dl, dr_now_mono(), step_healthy, &recovered);
	if (err != DR_OK)
		return err;
	measure(dl, recovered, modeled);
	verify(dl);
	return DR_OK;
}

static void open_paths(drill *dl)
{
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (dl->o->workdir)
		dl->workdir = dr_strdup(dl->o->workdir);
	else if (dl->s->drill.workdir)
		dl->workdir = dr_asprintf("%s/%s", dl->s->drill.workdir, dl->run);
	else
		dl->workdir = dr_asprintf("%s/drsim-%s", tmp, dl->run);
	dl->journal_path = dl->o->journal ? dr_strdup(dl->o->journal) : dr_asprintf("%s/drsim-%s.journal", tmp, dl->run);
}

dr_err sim_drill_run(const scenario *s, const sim_drill_opts *o, res_result **out)
{
	*out = NULL;
	drill dl = {.s = s, .o = o, .t0_mono = dr_now_mono()};
	new_run_id(dl.run);
	sim_drill_vars(s, dl.vars);
	open_paths(&dl);
	dr_err err = preflight(&dl);
	if (err != DR_OK)
		goto done;
	setenv(DRV_RUN_ENV, dl.run, 1);
	err = sim_journal_open(dl.journal_path, dl.run, &dl.journal);
	if (err != DR_OK)
		goto done;
	err = sim_journal_log(dl.journal, "note", "start", NULL, NULL, NULL,
			      json_pack("{s:s, s:s, s:s}", "scenario", s->file, "driver", s->drill.driver,
					"disaster", scn_disaster_names[dl.rb->kind]));
	if (err != DR_OK)
		goto done;
	progress(&dl, "start", "run %s, journal %s", dl.run, dl.journal_path);
	struct sigaction sa = {.sa_handler = on_signal}, old_int, old_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	ctx_for(&dl, drv_find(s->drill.driver));
	new_result(&dl);
	err = execute(&dl);
	if (err == DR_OK && drv_interrupted())
		err = DR_INTERRUPTED;
	if (err != DR_OK) {
		dl.failed = true;
		res_add_finding(dl.r, "DRILL-FAILED", "error", dr_strerror(err));
		progress(&dl, "drill", "failed: %s", dr_strerror(err));
	}
	dl.r->measured->cleanup_ok = cleanup(&dl);
	decide(&dl);
	set_times(dl.r, false);
	dr_err jerr = sim_journal_log(dl.journal, "note", "finish", NULL, NULL, NULL,
				      json_pack("{s:s, s:b}", "status", dr_strerror(err), "met", dl.r->met));
	if (err == DR_OK)
		err = jerr;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	*out = dl.r;
done:
	drv_canary_free(dl.canary);
	for (size_t i = 0; i < dl.n_ctx; i++)
		drv_ctx_free(dl.ctx[i]);
	sim_journal_close(dl.journal);
	free(dl.workdir);
	free(dl.journal_path);
	return err;
}

/* --- drsim cleanup JOURNAL --------------------------------------------- */

dr_err sim_cleanup_journal(const char *path, size_t *left, FILE *prog)
{
	*left = 0;
	json_t *entries = NULL;
	char *run = NULL;
	sim_journal *j = NULL;
	dr_err err = sim_journal_read(path, &entries, &run);
	if (err != DR_OK)
		return err;
	json_t *todo = sim_journal_outstanding(entries, run);
	if (json_array_size(todo) > 0) {
		/* first the run's processes, journalled or not, so nothing still
		 * writes into a directory while it is removed */
		size_t stopped = 0;
		if (drv_stop_run_processes(run, &stopped) == DR_OK && stopped && prog)
			fprintf(prog, "drsim: cleanup: stopped %zu process%s of run %s\n", stopped,
				stopped == 1 ? "" : "es", run);
		err = sim_journal_open(path, run, &j);
	}
	size_t i;
	json_t *e;
	dr_err first = DR_OK;
	json_array_foreach(todo, i, e) {
		if (err != DR_OK)
			break;
		const char *kind = json_string_value(json_object_get(e, "kind"));
		const char *id = json_string_value(json_object_get(e, "id"));
		const char *dname = json_string_value(json_object_get(e, "driver"));
		const drv_ops *ops = dname ? drv_find(dname) : NULL;
		dr_err jerr = sim_journal_log(j, "begin", "destroy", kind, id, dname, NULL);
		if (jerr != DR_OK) {
			err = jerr;
			break;
		}
		dr_err rerr = ops ? drv_cleanup_entry(ops, e, run) : drv_remove_entry(e, run);
		jerr = sim_journal_log(j, rerr == DR_OK ? "done" : "failed", "destroy", kind, id, dname, NULL);
		if (prog)
			fprintf(prog, "drsim: cleanup: %s %s: %s\n", kind ? kind : "?", id ? id : "?",
				rerr == DR_OK ? "removed" : dr_strerror(rerr));
		if (rerr != DR_OK) {
			(*left)++;
			if (first == DR_OK || rerr == DR_GUARD)
				first = rerr;
		}
		if (jerr != DR_OK)
			err = jerr;
	}
	sim_journal_close(j);
	json_decref(todo);
	json_decref(entries);
	free(run);
	return err != DR_OK ? err : first;
}
