/*
 * prom.c - Prometheus text exposition format (for a node_exporter textfile
 * collector or a push gateway): RPO and RTO as summaries with quantiles,
 * P(meet), objective verdicts, targets, annualised figures, drill
 * measurements and cost.  Every series carries scenario, and source says
 * whether the figure was measured, modeled or declared.
 */
#include "rpt_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	dr_buf *b;
	const res_result *r;
	const char *strategy;
} pm;

static void esc_label(dr_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\' || *s == '"')
			dr_buf_add(b, "\\", 1);
		if (*s == '\n')
			dr_buf_puts(b, "\\n");
		else
			dr_buf_add(b, s, 1);
	}
}

static void value(dr_buf *b, double v)
{
	if (isnan(v))
		dr_buf_puts(b, " NaN\n");
	else if (isinf(v))
		dr_buf_puts(b, v > 0 ? " +Inf\n" : " -Inf\n");
	else
		dr_buf_printf(b, " %.17g\n", v);
}

static void help(dr_buf *b, const char *name, const char *type, const char *text)
{
	dr_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
}

/* name{scenario,strategy[,disaster][,extra]} value */
static void sample(pm *p, const char *name, const res_disaster *d, const char *extra_k,
		   const char *extra_v, const char *source, double v)
{
	dr_buf_printf(p->b, "%s{scenario=\"", name);
	esc_label(p->b, p->r->scenario_name ? p->r->scenario_name : "");
	dr_buf_puts(p->b, "\",strategy=\"");
	esc_label(p->b, p->strategy ? p->strategy : "");
	dr_buf_puts(p->b, "\"");
	if (d) {
		dr_buf_puts(p->b, ",disaster=\"");
		esc_label(p->b, d->kind);
		dr_buf_puts(p->b, "\"");
	}
	if (extra_k) {
		dr_buf_printf(p->b, ",%s=\"", extra_k);
		esc_label(p->b, extra_v);
		dr_buf_puts(p->b, "\"");
	}
	if (source)
		dr_buf_printf(p->b, ",source=\"%s\"", source);
	dr_buf_puts(p->b, "}");
	value(p->b, v);
}

static void summary_series(pm *p, const char *name, const res_disaster *d, const res_summary *s)
{
	static const char *const q[] = {"0.5", "0.9", "0.95", "0.99", "1"};
	double v[] = {s->p50, s->p90, s->p95, s->p99, s->max};
	const char *src = res_source_names[d->source];
	for (int i = 0; i < 5; i++)
		sample(p, name, d, "quantile", q[i], src, v[i]);
	char *sum = dr_asprintf("%s_sum", name), *count = dr_asprintf("%s_count", name);
	sample(p, sum, d, NULL, NULL, src, s->mean * (double)s->n);
	sample(p, count, d, NULL, NULL, src, (double)s->n);
	free(sum);
	free(count);
}

typedef void (*series_fn)(pm *p, const res_disaster *d);

static void s_rto(pm *p, const res_disaster *d) { summary_series(p, "drsim_rto_seconds", d, &d->rto_s); }
static void s_rpo(pm *p, const res_disaster *d) { summary_series(p, "drsim_rpo_seconds", d, &d->rpo_s); }
static void s_met(pm *p, const res_disaster *d)
{
	sample(p, "drsim_objective_met", d, "objective", "rpo", res_source_names[d->source], d->met_rpo);
	sample(p, "drsim_objective_met", d, "objective", "rto", res_source_names[d->source], d->met_rto);
}
static void s_target(pm *p, const res_disaster *d)
{
	sample(p, "drsim_objective_target_seconds", d, "objective", "rpo", "declared", d->rpo_target_s);
	sample(p, "drsim_objective_target_seconds", d, "objective", "rto", "declared", d->rto_target_s);
}
static void s_pmeet(pm *p, const res_disaster *d)
{
	sample(p, "drsim_objective_probability", d, "objective", "rpo", res_source_names[d->source], d->p_meet_rpo.p);
	sample(p, "drsim_objective_probability", d, "objective", "rto", res_source_names[d->source], d->p_meet_rto.p);
}
static void s_downtime(pm *p, const res_disaster *d)
{
	sample(p, "drsim_annual_downtime_seconds", d, NULL, NULL, "modeled", d->annual.downtime_s_per_year);
}
static void s_loss(pm *p, const res_disaster *d)
{
	sample(p, "drsim_annual_data_loss_seconds", d, NULL, NULL, "modeled", d->annual.data_loss_s_per_year);
}
static void s_unrec(pm *p, const res_disaster *d)
{
	sample(p, "drsim_unrecoverable_trials", d, NULL, NULL, res_source_names[d->source], (double)d->unrecoverable);
}
static void s_step(pm *p, const res_disaster *d)
{
	for (size_t i = 0; i < d->n_steps; i++)
		sample(p, "drsim_step_seconds", d, "step", d->steps[i].name, res_source_names[d->steps[i].source],
		       rpt_step_duration(&d->steps[i]));
}

static const struct {
	const char *name, *type, *help;
	series_fn fn;
} series[] = {
	{"drsim_rto_seconds", "summary", "Recovery time (event to service restored) per disaster kind.", s_rto},
	{"drsim_rpo_seconds", "summary", "Recovery point (data lost, as time) per disaster kind.", s_rpo},
	{"drsim_objective_met", "gauge", "1 when the objective is met at its percentile, else 0.", s_met},
	{"drsim_objective_target_seconds", "gauge", "The objective's target from the scenario.", s_target},
	{"drsim_objective_probability", "gauge", "Share of trials meeting the objective.", s_pmeet},
	{"drsim_annual_downtime_seconds", "gauge", "Expected downtime per year from this disaster kind.", s_downtime},
	{"drsim_annual_data_loss_seconds", "gauge", "Expected data loss (as time) per year.", s_loss},
	{"drsim_unrecoverable_trials", "gauge", "Trials with no surviving recovery point.", s_unrec},
	{"drsim_step_seconds", "gauge", "Runbook step duration (measured, or the model's mean).", s_step},
};

static void one_result(pm *p, size_t which)
{
	for (size_t i = 0; i < p->r->n_disasters; i++)
		series[which].fn(p, &p->r->disasters[i]);
}

static dr_err render_prom(const res_result *r, dr_buf *out, bool color)
{
	pm p = {.b = out, .r = r, .strategy = r->strategy};
	help(out, "drsim_info", "gauge", "Provenance of the result (value is always 1).");
	dr_buf_puts(out, "drsim_info{scenario=\"");
	esc_label(out, r->scenario_name);
	dr_buf_printf(out, "\",mode=\"%s\",version=\"", res_mode_names[r->mode]);
	esc_label(out, r->tool_version);
	dr_buf_puts(out, "\",scenario_sha256=\"");
	esc_label(out, r->scenario_sha256);
	dr_buf_printf(out, "\",seed=\"%llu\",trials=\"%llu\",run_id=\"", (unsigned long long)r->seed,
		      (unsigned long long)r->trials);
	esc_label(out, r->run_id);
	dr_buf_puts(out, "\",host=\"");
	esc_label(out, r->host);
	dr_buf_puts(out, "\",started=\"");
	esc_label(out, r->started_at);
	dr_buf_puts(out, "\",finished=\"");
	esc_label(out, r->finished_at);
	dr_buf_puts(out, "\"} 1\n");
	for (size_t s = 0; s < sizeof series / sizeof series[0]; s++) {
		help(out, series[s].name, series[s].type, series[s].help);
		p.r = r;
		p.strategy = r->strategy;
		one_result(&p, s);
		for (size_t v = 0; v < r->n_variants; v++) {
			p.r = r->variants[v].result;
			p.strategy = r->variants[v].strategy;
			one_result(&p, s);
		}
	}
	p.r = r;
	p.strategy = r->strategy;
	help(out, "drsim_cost_per_month", "gauge", "Modeled monthly cost of the strategy (currency label).");
	sample(&p, "drsim_cost_per_month", NULL, "currency", r->cost.currency ? r->cost.currency : "", "modeled",
	       r->cost.per_month);
	for (size_t v = 0; v < r->n_variants; v++) {
		const res_result *vr = r->variants[v].result;
		p.r = vr;
		p.strategy = r->variants[v].strategy;
		sample(&p, "drsim_cost_per_month", NULL, "currency", vr->cost.currency ? vr->cost.currency : "",
		       "modeled", vr->cost.per_month);
	}
	p.r = r;
	p.strategy = r->strategy;
	help(out, "drsim_result_met", "gauge", "1 when every objective is met, else 0.");
	sample(&p, "drsim_result_met", NULL, NULL, NULL, NULL, r->met);
	if (r->measured) {
		const res_measured *m = r->measured;
		help(out, "drsim_drill_rpo_seconds", "gauge", "RPO measured by the canary writer.");
		sample(&p, "drsim_drill_rpo_seconds", NULL, NULL, NULL, "measured", m->rpo_s);
		help(out, "drsim_drill_rto_seconds", "gauge", "RTO of the drill by part.");
		sample(&p, "drsim_drill_rto_seconds", NULL, "part", "technical", "measured", m->technical_rto_s);
		sample(&p, "drsim_drill_rto_seconds", NULL, "part", "manual", "declared", m->modeled_rto_s);
		sample(&p, "drsim_drill_rto_seconds", NULL, "part", "total", "measured", m->rto_s);
		help(out, "drsim_drill_acked_writes_lost", "gauge", "Acknowledged canary writes missing after recovery.");
		sample(&p, "drsim_drill_acked_writes_lost", NULL, NULL, NULL, "measured", (double)m->acked_writes_lost);
		help(out, "drsim_drill_data_verified", "gauge", "1 when recovered data passed verification.");
		sample(&p, "drsim_drill_data_verified", NULL, NULL, NULL, "measured", m->data_verified);
		help(out, "drsim_drill_cleanup_ok", "gauge", "1 when cleanup removed everything the drill created.");
		sample(&p, "drsim_drill_cleanup_ok", NULL, NULL, NULL, "measured", m->cleanup_ok);
		help(out, "drsim_drill_timestamp_seconds", "gauge", "Epoch seconds of the disaster injection.");
		sample(&p, "drsim_drill_timestamp_seconds", NULL, NULL, NULL, "measured", m->event_at);
	}
	return DR_OK;
}

const rpt_format rpt_prom_format = {
	.name = "prom",
	.extension = "prom",
	.summary = "Prometheus text format (drsim_rto_seconds, drsim_rpo_seconds, drsim_objective_met, ...)",
	.render = render_prom,
};
