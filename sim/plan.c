/*
 * plan.c - the drill's dry run: the ordered actions `drsim drill` would
 * take, from each driver's describe() (which needs no server), with each
 * step's modeled duration.  Nothing is created, started or contacted.
 */
#include "drill.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DRIVERS 8

typedef struct {
	const scenario *s;
	const scn_runbook *rb;
	drv_ctx *ctx[MAX_DRIVERS];
	size_t n_ctx;
	size_t n_action;
	dr_buf *out;
} planner;

static drv_ctx *plan_ctx(planner *p, const drv_ops *ops)
{
	for (size_t i = 0; i < p->n_ctx; i++)
		if (p->ctx[i]->ops == ops)
			return p->ctx[i];
	if (p->n_ctx == MAX_DRIVERS)
		DR_BUG("more than %d drivers in one plan", MAX_DRIVERS);
	drv_ctx_init init = {.run_id = "RUN", .scn = p->s, .disaster = p->rb->kind,
			     .workdir = "$TMPDIR/drsim-RUN", .dry_run = true};
	return p->ctx[p->n_ctx++] = drv_ctx_new(ops, &init);
}

static void heading(planner *p, const char *title, const char *timing)
{
	dr_buf_printf(p->out, "\n%s%s%s\n", title, timing ? "  " : "", timing ? timing : "");
}

/* Append each line of text as a numbered action. */
static void actions(planner *p, const char *text)
{
	while (*text) {
		size_t n = strcspn(text, "\n");
		if (n > 0)
			dr_buf_printf(p->out, "  %3zu. %.*s\n", ++p->n_action, (int)n, text);
		text += n + (text[n] ? 1 : 0);
	}
}

static dr_err describe(planner *p, drv_ctx *c, drv_phase phase, const scn_step *st)
{
	dr_buf b = {0};
	dr_err err = drv_describe(c, phase, st, &b);
	if (err == DR_OK) {
		char *safe = drv_redact(b.s ? b.s : "");
		actions(p, safe);
		free(safe);
	}
	dr_buf_release(&b);
	return err;
}

static void timing(const dr_expr *model, const double *vars, char *out, size_t n)
{
	char p50[32], p95[32];
	dr_fmt_duration(dr_expr_quantile(model, vars, 0.50), p50, sizeof p50);
	dr_fmt_duration(dr_expr_quantile(model, vars, 0.95), p95, sizeof p95);
	snprintf(out, n, "[modeled p50 %s, p95 %s]", p50, p95);
}

static dr_err plan_steps(planner *p, const double *vars)
{
	for (size_t i = 0; i < p->rb->n_steps; i++) {
		const scn_step *st = &p->rb->steps[i];
		char t[96], title[160], tmo[32];
		timing(st->model, vars, t, sizeof t);
		if (st->action.manual) {
			snprintf(title, sizeof title, "step %zu: %s (manual)", i + 1, st->name);
			heading(p, title, t);
			dr_buf_printf(p->out, "  %3zu. note operator: %s (timed with --interactive, else p50 declared)\n",
				      ++p->n_action, st->action.manual);
			continue;
		}
		const drv_ops *ops = sim_drill_step_driver(p->s, st);
		if (!ops)
			return DR_UNSUPPORTED;
		dr_fmt_duration(sim_drill_step_timeout(st, vars), tmo, sizeof tmo);
		snprintf(title, sizeof title, "step %zu: %s (%s%s%s, timeout %s)", i + 1, st->name, ops->name,
			 st->action.op ? " " : "", st->action.op ? st->action.op : "", tmo);
		heading(p, title, t);
		dr_err err = describe(p, plan_ctx(p, ops), DRV_PHASE_STEP, st);
		if (err != DR_OK)
			return err;
	}
	return DR_OK;
}

static dr_err plan_body(planner *p, const drv_ops *main_ops, const double *vars)
{
	const scenario *s = p->s;
	drv_ctx *mc = plan_ctx(p, main_ops);
	char why[256] = "";
	bool usable = drv_supported(main_ops, why, sizeof why);
	dr_buf_printf(p->out, "plan: %s\nscenario: %s\ndisaster: %s\ndriver: %s %s (%s)\n", s->name, s->file,
		      scn_disaster_names[p->rb->kind], main_ops->name, main_ops->version,
		      usable ? "usable here" : why);
	heading(p, "preflight", NULL);
	dr_buf_printf(p->out, "  %3zu. note validate the scenario; check every driver is usable here\n", ++p->n_action);
	dr_buf_printf(p->out, "  %3zu. note refuse a work directory or journal that already exists\n", ++p->n_action);
	heading(p, "set-up", NULL);
	dr_buf_printf(p->out, "  %3zu. create file $TMPDIR/drsim-RUN.journal (JSON lines, fsync'd)\n", ++p->n_action);
	dr_buf_printf(p->out, "  %3zu. create dir $TMPDIR/drsim-RUN (tagged %s)\n", ++p->n_action, DRV_TAG_FILE);
	dr_err err = describe(p, mc, DRV_PHASE_SETUP, NULL);
	if (err != DR_OK)
		return err;
	char title[96];
	snprintf(title, sizeof title, "canary (every %.0f ms: the RPO resolution)", s->drill.canary_interval_s * 1000);
	heading(p, title, NULL);
	if (main_ops->caps & DRV_CAP_CANARY)
		actions(p, "sql CREATE TABLE IF NOT EXISTS drsim_canary (run text, seq bigint, sent_at double precision, PRIMARY KEY (run, seq))\n"
			   "sql INSERT INTO drsim_canary VALUES (RUN, seq, now) + SELECT read-back, every interval; warm-up 1 s\n");
	err = describe(p, mc, DRV_PHASE_CANARY, NULL);
	if (err != DR_OK)
		return err;
	heading(p, "injection (the event time)", NULL);
	err = describe(p, mc, DRV_PHASE_INJECT, NULL);
	if (err != DR_OK)
		return err;
	int di = scn_disaster_index(s, p->rb->kind);
	if (di >= 0 && s->disasters[di].detect) {
		char t[96];
		timing(s->disasters[di].detect, vars, t, sizeof t);
		heading(p, "detection (not performed: p50 declared)", t);
	}
	err = plan_steps(p, vars);
	if (err != DR_OK)
		return err;
	heading(p, "recovery check", NULL);
	actions(p, main_ops->caps & DRV_CAP_CANARY
		       ? "note RTO ends at the first canary write + read-back on the recovered endpoint\n"
		       : "note RTO ends at the first health check success after the runbook\n");
	heading(p, "measurement and data verification", NULL);
	if (main_ops->caps & DRV_CAP_CANARY)
		actions(p, "sql SELECT seq FROM drsim_canary WHERE run = RUN (RPO and acked writes lost)\n");
	err = describe(p, mc, DRV_PHASE_VERIFY, NULL);
	if (err != DR_OK)
		return err;
	snprintf(title, sizeof title, "clean-up (policy: %s; --keep skips it)", s->drill.cleanup ? s->drill.cleanup : "always");
	heading(p, title, NULL);
	for (size_t i = p->n_ctx; i-- > 0;)
		if (p->ctx[i]->ops->cleanup && (err = describe(p, p->ctx[i], DRV_PHASE_CLEANUP, NULL)) != DR_OK)
			return err;
	dr_buf_printf(p->out, "  %3zu. remove dir $TMPDIR/drsim-RUN\n", ++p->n_action);
	return DR_OK;
}

dr_err sim_plan(const scenario *s, const char *disaster, dr_buf *out)
{
	if (!s->drill.set || !s->drill.driver) {
		dr_error("scenario '%s' has no 'drill' section", s->file);
		return DR_USAGE;
	}
	planner p = {.s = s, .out = out};
	p.rb = sim_drill_runbook(s, disaster);
	if (!p.rb)
		return DR_USAGE;
	const drv_ops *main_ops = drv_find(s->drill.driver);
	if (!main_ops) {
		dr_error("drill driver '%s' is not built into this drsim (see 'drsim drivers')", s->drill.driver);
		return DR_UNSUPPORTED;
	}
	double vars[SCN__NVAR];
	sim_drill_vars(s, vars);
	dr_err err = plan_body(&p, main_ops, vars);
	for (size_t i = 0; i < p.n_ctx; i++)
		drv_ctx_free(p.ctx[i]);
	return err;
}
