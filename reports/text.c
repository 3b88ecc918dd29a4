/*
 * text.c - the terminal summary: provenance, objectives with verdicts,
 * drill measurements, per-step waterfall, fleet, strategies, cost and
 * findings, in aligned columns.  Colours only when the caller allows them
 * (a terminal without NO_COLOR).
 */
#include "rpt_common.h"

#include <math.h>
#include <string.h>

typedef struct {
	dr_buf *b;
	bool color;
} tx;

static const char *c_on(const tx *t, const char *code)
{
	return t->color ? code : "";
}

#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RED "\033[1;31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define RESET "\033[0m"

static void heading(tx *t, const char *title)
{
	dr_buf_printf(t->b, "\n%s%s%s\n", c_on(t, BOLD), title, c_on(t, RESET));
}

static void verdict(tx *t, bool met)
{
	dr_buf_printf(t->b, "%s%s%s", c_on(t, met ? GREEN : RED), met ? "met" : "MISSED",
		      c_on(t, RESET));
}

static void provenance(tx *t, const res_result *r)
{
	rpt_provenance p;
	rpt_provenance_init(&p, r);
	dr_buf_printf(t->b, "%s%s%s\n", c_on(t, BOLD), r->scenario_name ? r->scenario_name : "(unnamed scenario)",
		      c_on(t, RESET));
	for (size_t i = 0; i < p.n; i++)
		if (strcmp(p.v[i].label, "scenario") != 0)
			dr_buf_printf(t->b, "  %s%-16s%s %s\n", c_on(t, DIM), p.v[i].label, c_on(t, RESET),
				      p.v[i].value);
	rpt_provenance_release(&p);
}

static void objective_row(tx *t, const res_disaster *d, const char *metric, const res_summary *s,
			  const res_cdf *cdf, double target, const res_prob *pm, bool met, bool first)
{
	char v[32], tg[32], pp[16], lo[16], hi[16], pn[16];
	rpt_pname(d, pn);
	rpt_dur(rpt_at_percentile(d, s, cdf), v);
	rpt_dur(target, tg);
	rpt_pct(pm->p, pp);
	rpt_pct(pm->lo, lo);
	rpt_pct(pm->hi, hi);
	char ci[64];
	snprintf(ci, sizeof ci, "%s [%s, %s]", pp, lo, hi);
	dr_buf_printf(t->b, "  %-20s %-4s %-6s %-10s %-9s %-28s %-9s ", first ? d->kind : "", metric, pn,
		      v, tg, ci, res_source_names[d->source]);
	verdict(t, met);
	dr_buf_puts(t->b, "\n");
}

static void objectives(tx *t, const res_result *r)
{
	heading(t, "Objectives");
	dr_buf_printf(t->b, "  %s%-20s %-4s %-6s %-10s %-9s %-28s %-9s %s%s\n", c_on(t, DIM), "disaster",
		      "", "at", "value", "target", "P(meet) [95% CI]", "source", "verdict", c_on(t, RESET));
	for (size_t i = 0; i < r->n_disasters; i++) {
		const res_disaster *d = &r->disasters[i];
		objective_row(t, d, "RPO", &d->rpo_s, &d->rpo_cdf, d->rpo_target_s, &d->p_meet_rpo,
			      d->met_rpo, true);
		objective_row(t, d, "RTO", &d->rto_s, &d->rto_cdf, d->rto_target_s, &d->p_meet_rto,
			      d->met_rto, false);
		if (d->unrecoverable)
			dr_buf_printf(t->b, "  %-20s %s%llu trial(s) unrecoverable%s: %s\n", "", c_on(t, YELLOW),
				      (unsigned long long)d->unrecoverable, c_on(t, RESET),
				      d->unrecoverable_reason ? d->unrecoverable_reason : "no recovery point");
	}
}

static void distributions(tx *t, const res_result *r)
{
	heading(t, "Distributions (seconds shown as durations)");
	dr_buf_printf(t->b, "  %s%-20s %-4s %-10s %-10s %-10s %-10s %-10s %s%s\n", c_on(t, DIM),
		      "disaster", "", "mean", "p50", "p90", "p99", "max", "annual downtime", c_on(t, RESET));
	for (size_t i = 0; i < r->n_disasters; i++) {
		const res_disaster *d = &r->disasters[i];
		for (int k = 0; k < 2; k++) {
			const res_summary *s = k ? &d->rto_s : &d->rpo_s;
			char m[32], a[32], b2[32], c[32], e[32], dt[32];
			rpt_dur(s->mean, m);
			rpt_dur(s->p50, a);
			rpt_dur(s->p90, b2);
			rpt_dur(s->p99, c);
			rpt_dur(s->max, e);
			rpt_dur(k ? d->annual.downtime_s_per_year : d->annual.data_loss_s_per_year, dt);
			dr_buf_printf(t->b, "  %-20s %-4s %-10s %-10s %-10s %-10s %-10s %s/year%s\n",
				      k ? "" : d->kind, k ? "RTO" : "RPO", m, a, b2, c, e, dt,
				      k ? "" : " data loss");
		}
	}
}

static void bar(tx *t, double share, int width)
{
	int n = (int)lround(fmin(fmax(share, 0), 1) * width);
	for (int i = 0; i < width; i++)
		dr_buf_puts(t->b, i < n ? "#" : ".");
}

static void steps(tx *t, const res_disaster *d, bool drill)
{
	if (!d->n_steps)
		return;
	char title[160];
	snprintf(title, sizeof title, "Runbook steps: %s (%s)", d->kind,
		 drill ? "measured vs predicted" : "mean share of RTO");
	heading(t, title);
	for (size_t i = 0; i < d->n_steps; i++) {
		const res_step *s = &d->steps[i];
		char dur[32], p50[32], p95[32];
		rpt_dur(rpt_step_duration(s), dur);
		rpt_dur(s->modeled.p50, p50);
		rpt_dur(s->modeled.p95, p95);
		dr_buf_printf(t->b, "  %-22s %-10s %-9s ", s->name, dur, res_source_names[s->source]);
		bar(t, s->share, 30);
		dr_buf_printf(t->b, " %5.1f%%", s->share * 100);
		if (drill && s->modeled.p50 > 0)
			dr_buf_printf(t->b, "  model p50 %s p95 %s", p50, p95);
		if (s->flagged)
			dr_buf_printf(t->b, "  %soutside model%s", c_on(t, YELLOW), c_on(t, RESET));
		if (s->error)
			dr_buf_printf(t->b, "  %serror: %s%s", c_on(t, RED), s->error, c_on(t, RESET));
		dr_buf_puts(t->b, "\n");
	}
}

static void fleet(tx *t, const res_disaster *d)
{
	if (!d->n_fleet)
		return;
	char title[160];
	snprintf(title, sizeof title, "Fleet: %s (time from event until restored, modeled)", d->kind);
	heading(t, title);
	dr_buf_printf(t->b, "  %s%-8s %-10s %-12s %-12s %-12s %s%s\n", c_on(t, DIM), "tier", "databases",
		      "50% mean", "50% p95", "100% mean", "100% p95", c_on(t, RESET));
	for (size_t i = 0; i < d->n_fleet; i++) {
		const res_fleet_tier *f = &d->fleet[i];
		char a[32], b2[32], c[32], e[32], tier[16];
		rpt_dur(f->t50_s.mean, a);
		rpt_dur(f->t50_s.p95, b2);
		rpt_dur(f->t100_s.mean, c);
		rpt_dur(f->t100_s.p95, e);
		snprintf(tier, sizeof tier, f->tier ? "%d" : "all", f->tier);
		dr_buf_printf(t->b, "  %-8s %-10llu %-12s %-12s %-12s %s\n", tier,
			      (unsigned long long)f->databases, a, b2, c, e);
	}
}

static void measured(tx *t, const res_measured *m)
{
	rpt_measured_text x;
	rpt_measured_format(m, &x);
	heading(t, "Drill measurements");
	dr_buf_printf(t->b, "  %-22s %s (measured; canary resolution %s)\n", "RPO", x.rpo, x.res);
	dr_buf_printf(t->b, "  %-22s %s = %s measured + %s declared/modeled\n", "RTO", x.rto, x.tech, x.mod);
	dr_buf_printf(t->b, "  %-22s %s%llu%s of %llu acknowledged\n", "acked writes lost",
		      c_on(t, m->acked_writes_lost ? RED : GREEN), (unsigned long long)m->acked_writes_lost,
		      c_on(t, RESET), (unsigned long long)m->acked_writes);
	dr_buf_printf(t->b, "  %-22s %s\n", "data verified", m->data_verified ? "yes" : "NO");
	if (m->verification)
		dr_buf_printf(t->b, "  %-22s %s\n", "verification", m->verification);
	dr_buf_printf(t->b, "  %-22s %s\n", "cleanup", m->cleanup_ok ? "ok" : "INCOMPLETE (see journal)");
	dr_buf_printf(t->b, "  %-22s %s %s, server %s\n", "driver", m->driver ? m->driver : "n/a",
		      m->driver_version ? m->driver_version : "", m->server_version ? m->server_version : "n/a");
	dr_buf_printf(t->b, "  %-22s %s\n", "clock", m->clock ? m->clock : "n/a");
	if (m->journal)
		dr_buf_printf(t->b, "  %-22s %s\n", "journal", m->journal);
}

static void variants(tx *t, const res_result *r)
{
	heading(t, "Strategies");
	dr_buf_printf(t->b, "  %s%-22s %-12s %-12s %-14s %-16s %s%s\n", c_on(t, DIM), "strategy",
		      "worst RPO", "worst RTO", "P(meet RTO)", "cost/month", "verdict", c_on(t, RESET));
	for (size_t i = 0; i < r->n_variants; i++) {
		const res_result *v = r->variants[i].result;
		double rpo = 0, rto = 0, pm = 1;
		for (size_t k = 0; k < v->n_disasters; k++) {
			const res_disaster *d = &v->disasters[k];
			rpo = fmax(rpo, rpt_at_percentile(d, &d->rpo_s, &d->rpo_cdf));
			rto = fmax(rto, rpt_at_percentile(d, &d->rto_s, &d->rto_cdf));
			pm = fmin(pm, d->p_meet_rto.p);
		}
		char a[32], b2[32], c[16], money[32], cost[48];
		rpt_dur(rpo, a);
		rpt_dur(rto, b2);
		rpt_pct(pm, c);
		rpt_money(v->cost.per_month, money);
		snprintf(cost, sizeof cost, "%s %s", v->cost.currency ? v->cost.currency : "", money);
		bool rec = r->recommended && r->variants[i].strategy &&
			   strcmp(r->recommended, r->variants[i].strategy) == 0;
		dr_buf_printf(t->b, "  %-22s %-12s %-12s %-14s %-16s ", r->variants[i].strategy, a, b2, c, cost);
		verdict(t, v->met);
		dr_buf_printf(t->b, "%s\n", rec ? "  <- recommended" : "");
	}
	dr_buf_puts(t->b, "  (modeled; worst over disaster kinds at each objective's percentile)\n");
}

static void cost(tx *t, const res_cost *c)
{
	if (!c->n_items && !c->currency)
		return;
	char money[32];
	rpt_money(c->per_month, money);
	heading(t, "Cost (declared prices, modeled usage)");
	dr_buf_printf(t->b, "  %-28s %s %s/month\n", "total", c->currency ? c->currency : "", money);
	for (size_t i = 0; i < c->n_items; i++) {
		rpt_money(c->items[i].per_month, money);
		dr_buf_printf(t->b, "  %-28s %s %s\n", c->items[i].item, c->currency ? c->currency : "", money);
	}
}

static void findings(tx *t, const res_result *r)
{
	if (!r->n_findings)
		return;
	heading(t, "Findings");
	for (size_t i = 0; i < r->n_findings; i++) {
		const res_finding *f = &r->findings[i];
		bool high = f->severity && (strcmp(f->severity, "high") == 0 || strcmp(f->severity, "critical") == 0);
		dr_buf_printf(t->b, "  %s[%s]%s %s: %s\n", c_on(t, high ? RED : YELLOW),
			      f->severity ? f->severity : "note", c_on(t, RESET), f->id ? f->id : "",
			      f->message ? f->message : "");
	}
}

static dr_err render_text(const res_result *r, dr_buf *out, bool color)
{
	tx t = {.b = out, .color = color};
	provenance(&t, r);
	if (r->measured)
		measured(&t, r->measured);
	if (r->n_disasters) {
		objectives(&t, r);
		distributions(&t, r);
	}
	for (size_t i = 0; i < r->n_disasters; i++) {
		steps(&t, &r->disasters[i], r->mode == RES_MODE_DRILL);
		fleet(&t, &r->disasters[i]);
	}
	if (r->n_variants)
		variants(&t, r);
	cost(&t, &r->cost);
	findings(&t, r);
	size_t total, missed;
	rpt_objective_counts(r, &total, &missed);
	dr_buf_printf(out, "\n%sResult:%s ", c_on(&t, BOLD), c_on(&t, RESET));
	verdict(&t, r->met);
	if (r->mode == RES_MODE_COMPARE)
		dr_buf_printf(out, " (recommended: %s)\n", r->recommended ? r->recommended : "none meets the objectives");
	else
		dr_buf_printf(out, " (%zu of %zu objectives missed)\n", missed, total);
	return DR_OK;
}

const rpt_format rpt_text_format = {
	.name = "text",
	.extension = "txt",
	.summary = "aligned terminal summary (coloured on a terminal, NO_COLOR honoured)",
	.render = render_text,
};
