/*
 * md.c - the Markdown report: summary, provenance, objectives with
 * verdicts, per-disaster tables, the per-step waterfall, fleet, strategies,
 * cost and findings.  GitHub-flavoured tables; every figure names its
 * source (measured / modeled / declared).
 */
#include "rpt_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void cell(dr_buf *b, const char *s)
{
	dr_buf_puts(b, " ");
	rpt_esc_md(b, s ? s : "n/a");
	dr_buf_puts(b, " |");
}

static void summary_md(dr_buf *b, const res_result *r)
{
	size_t total, missed;
	rpt_objective_counts(r, &total, &missed);
	dr_buf_puts(b, "# drsim report: ");
	rpt_esc_md(b, r->scenario_name ? r->scenario_name : "(unnamed scenario)");
	dr_buf_printf(b, "\n\n**Result: %s**", r->met ? "objectives met" : "OBJECTIVES MISSED");
	if (r->mode == RES_MODE_COMPARE) {
		dr_buf_puts(b, " - recommended strategy: ");
		rpt_esc_md(b, r->recommended ? r->recommended : "none meets the objectives");
	} else {
		dr_buf_printf(b, " - %zu of %zu objectives missed", missed, total);
	}
	dr_buf_printf(b, " (%s).\n\n", r->mode == RES_MODE_DRILL ? "measured in a drill, with declared manual steps"
							     : "modeled by simulation");
	rpt_provenance p;
	rpt_provenance_init(&p, r);
	dr_buf_puts(b, "| provenance | |\n|---|---|\n");
	for (size_t i = 0; i < p.n; i++) {
		dr_buf_puts(b, "|");
		cell(b, p.v[i].label);
		cell(b, p.v[i].value);
		dr_buf_puts(b, "\n");
	}
	rpt_provenance_release(&p);
}

static void objectives_md(dr_buf *b, const res_result *r)
{
	dr_buf_puts(b, "\n## Objectives\n\n| disaster | objective | at | value | target | P(meet) [95% CI] | "
		       "source | objectives from | verdict |\n|---|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < r->n_disasters; i++) {
		const res_disaster *d = &r->disasters[i];
		for (int k = 0; k < 2; k++) {
			const res_prob *pm = k ? &d->p_meet_rto : &d->p_meet_rpo;
			char pn[16], v[32], tg[32], a[16], lo[16], hi[16], ci[64];
			rpt_pname(d, pn);
			rpt_dur(k ? rpt_at_percentile(d, &d->rto_s, &d->rto_cdf)
				  : rpt_at_percentile(d, &d->rpo_s, &d->rpo_cdf), v);
			rpt_dur(k ? d->rto_target_s : d->rpo_target_s, tg);
			rpt_pct(pm->p, a);
			rpt_pct(pm->lo, lo);
			rpt_pct(pm->hi, hi);
			snprintf(ci, sizeof ci, "%s [%s, %s]", a, lo, hi);
			bool met = k ? d->met_rto : d->met_rpo;
			dr_buf_puts(b, "|");
			cell(b, d->kind);
			cell(b, k ? "RTO" : "RPO");
			cell(b, pn);
			cell(b, v);
			cell(b, tg);
			cell(b, ci);
			cell(b, res_source_names[d->source]);
			cell(b, d->objectives_source);
			cell(b, met ? "met" : "**MISSED**");
			dr_buf_puts(b, "\n");
		}
	}
}

static void disaster_md(dr_buf *b, const res_result *r, const res_disaster *d)
{
	dr_buf_puts(b, "\n## ");
	rpt_esc_md(b, d->kind);
	dr_buf_printf(b, "\n\nFigures are %s.", res_source_names[d->source]);
	if (d->unrecoverable)
		dr_buf_printf(b, " %llu trial(s) had no surviving recovery point (%s).",
			      (unsigned long long)d->unrecoverable,
			      d->unrecoverable_reason ? d->unrecoverable_reason : "reason unknown");
	dr_buf_puts(b, "\n\n| | n | mean | p50 | p90 | p95 | p99 | max |\n|---|---|---|---|---|---|---|---|\n");
	for (int k = 0; k < 2; k++) {
		const res_summary *s = k ? &d->rto_s : &d->rpo_s;
		double v[6] = {s->mean, s->p50, s->p90, s->p95, s->p99, s->max};
		dr_buf_printf(b, "| %s | %llu |", k ? "RTO" : "RPO", (unsigned long long)s->n);
		for (int i = 0; i < 6; i++) {
			char t[32];
			rpt_dur(v[i], t);
			cell(b, t);
		}
		dr_buf_puts(b, "\n");
	}
	if (d->annual.events_per_year > 0) {
		char dt[32], dl[32], pb[16], av[16];
		rpt_dur(d->annual.downtime_s_per_year, dt);
		rpt_dur(d->annual.data_loss_s_per_year, dl);
		rpt_pct(d->annual.p_breach_per_year, pb);
		rpt_pct(d->annual.availability, av);
		dr_buf_printf(b, "\nAnnualised (modeled, %.3g events/year): downtime %s/year, data loss %s/year, "
				 "availability %s, P(breach in a year) %s.\n",
			      d->annual.events_per_year, dt, dl, av, pb);
	}
	if (d->n_steps) {
		bool drill = r->mode == RES_MODE_DRILL;
		dr_buf_printf(b, "\n### Runbook waterfall (%s)\n\n| step | start | duration | source | share of RTO | %s |\n"
				 "|---|---|---|---|---|---|\n",
			      drill ? "measured vs predicted" : "mean", drill ? "model p50 / p95" : "model p95");
		for (size_t i = 0; i < d->n_steps; i++) {
			const res_step *s = &d->steps[i];
			char st[32], du[32], p50[32], p95[32], share[64], model[96];
			rpt_dur(s->start_s, st);
			rpt_dur(rpt_step_duration(s), du);
			rpt_dur(s->modeled.p50, p50);
			rpt_dur(s->modeled.p95, p95);
			int n = (int)lround(fmin(fmax(s->share, 0), 1) * 20);
			snprintf(share, sizeof share, "`%.*s%.*s` %.1f%%", n, "####################", 20 - n,
				 "....................", s->share * 100);
			if (drill)
				snprintf(model, sizeof model, "%s / %s", p50, p95);
			else
				snprintf(model, sizeof model, "%s", p95);
			dr_buf_puts(b, "|");
			cell(b, s->name);
			cell(b, st);
			cell(b, du);
			cell(b, res_source_names[s->source]);
			dr_buf_printf(b, " %s |", share);
			if (s->flagged || s->error) {
				char *note = dr_asprintf("%s%s%s", model, s->flagged ? " (outside model)" : "",
							 s->error ? " - failed" : "");
				cell(b, note);
				free(note);
			} else {
				cell(b, model);
			}
			dr_buf_puts(b, "\n");
		}
	}
	if (d->n_fleet) {
		dr_buf_puts(b, "\n### Fleet (modeled time from event until restored)\n\n| tier | databases | 50 % mean | "
			       "50 % p95 | 100 % mean | 100 % p95 |\n|---|---|---|---|---|---|\n");
		for (size_t i = 0; i < d->n_fleet; i++) {
			const res_fleet_tier *f = &d->fleet[i];
			char a[32], c[32], e[32], g[32];
			rpt_dur(f->t50_s.mean, a);
			rpt_dur(f->t50_s.p95, c);
			rpt_dur(f->t100_s.mean, e);
			rpt_dur(f->t100_s.p95, g);
			if (f->tier)
				dr_buf_printf(b, "| %d |", f->tier);
			else
				dr_buf_puts(b, "| all |");
			dr_buf_printf(b, " %llu | %s | %s | %s | %s |\n", (unsigned long long)f->databases, a, c, e, g);
		}
	}
}

static void measured_md(dr_buf *b, const res_measured *m)
{
	rpt_measured_text x;
	rpt_measured_format(m, &x);
	dr_buf_printf(b, "\n## Drill measurements\n\n| measurement | value | source |\n|---|---|---|\n"
			 "| RPO | %s (canary resolution %s) | measured |\n"
			 "| RTO | %s | measured + declared |\n"
			 "| technical RTO | %s | measured |\n"
			 "| manual / modeled part | %s | declared |\n"
			 "| acknowledged writes lost | %llu of %llu | measured |\n"
			 "| event injected | %s | measured |\n"
			 "| first good read-back | %s | measured |\n",
		      x.rpo, x.res, x.rto, x.tech, x.mod, (unsigned long long)m->acked_writes_lost,
		      (unsigned long long)m->acked_writes, x.ev, x.rec);
	dr_buf_puts(b, "| data verified |");
	cell(b, m->data_verified ? (m->verification ? m->verification : "yes") : "NO");
	dr_buf_puts(b, " measured |\n| cleanup |");
	cell(b, m->cleanup_ok ? "ok" : "INCOMPLETE (see journal)");
	dr_buf_puts(b, " measured |\n| driver / server |");
	char *drv = dr_asprintf("%s %s / %s", m->driver ? m->driver : "n/a",
				m->driver_version ? m->driver_version : "", m->server_version ? m->server_version : "n/a");
	cell(b, drv);
	free(drv);
	dr_buf_puts(b, " declared |\n| clock |");
	cell(b, m->clock);
	dr_buf_puts(b, " declared |\n");
}

static void variants_md(dr_buf *b, const res_result *r)
{
	dr_buf_puts(b, "\n## Strategies (modeled)\n\n| strategy | disaster | RPO | RTO | P(meet RTO) | cost/month | "
		       "verdict |\n|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < r->n_variants; i++) {
		const res_result *v = r->variants[i].result;
		bool rec = r->recommended && r->variants[i].strategy &&
			   strcmp(r->recommended, r->variants[i].strategy) == 0;
		for (size_t k = 0; k < v->n_disasters; k++) {
			const res_disaster *d = &v->disasters[k];
			char pn[16], rpo[32], rto[32], pm[16], money[32], a[64], c[64];
			rpt_pname(d, pn);
			rpt_dur(rpt_at_percentile(d, &d->rpo_s, &d->rpo_cdf), rpo);
			rpt_dur(rpt_at_percentile(d, &d->rto_s, &d->rto_cdf), rto);
			rpt_pct(d->p_meet_rto.p, pm);
			rpt_money(v->cost.per_month, money);
			snprintf(a, sizeof a, "%s %s", pn, rpo);
			snprintf(c, sizeof c, "%s %s", pn, rto);
			dr_buf_puts(b, "|");
			char *name = dr_asprintf("%s%s", r->variants[i].strategy, rec ? " (recommended)" : "");
			cell(b, k ? "" : name);
			free(name);
			cell(b, d->kind);
			cell(b, a);
			cell(b, c);
			cell(b, pm);
			char *cost = dr_asprintf("%s %s", v->cost.currency ? v->cost.currency : "", money);
			cell(b, k ? "" : cost);
			free(cost);
			cell(b, d->met ? "met" : "**MISSED**");
			dr_buf_puts(b, "\n");
		}
	}
}

static void cost_md(dr_buf *b, const res_cost *c)
{
	if (!c->n_items && !c->currency)
		return;
	char money[32];
	rpt_money(c->per_month, money);
	dr_buf_printf(b, "\n## Cost (declared prices, modeled usage)\n\n| item | %s/month |\n|---|---|\n",
		      c->currency ? c->currency : "");
	for (size_t i = 0; i < c->n_items; i++) {
		char m[32];
		rpt_money(c->items[i].per_month, m);
		dr_buf_puts(b, "|");
		cell(b, c->items[i].item);
		cell(b, m);
		dr_buf_puts(b, "\n");
	}
	dr_buf_printf(b, "| **total** | **%s** |\n", money);
}

static dr_err render_md(const res_result *r, dr_buf *out, bool color)
{
	summary_md(out, r);
	if (r->n_disasters)
		objectives_md(out, r);
	if (r->measured)
		measured_md(out, r->measured);
	for (size_t i = 0; i < r->n_disasters; i++)
		disaster_md(out, r, &r->disasters[i]);
	if (r->n_variants)
		variants_md(out, r);
	cost_md(out, &r->cost);
	dr_buf_puts(out, "\n## Findings\n\n");
	if (!r->n_findings)
		dr_buf_puts(out, "None.\n");
	for (size_t i = 0; i < r->n_findings; i++) {
		const res_finding *f = &r->findings[i];
		dr_buf_puts(out, "- **");
		rpt_esc_md(out, f->severity ? f->severity : "note");
		dr_buf_puts(out, "** `");
		rpt_esc_md(out, f->id ? f->id : "");
		dr_buf_puts(out, "`: ");
		rpt_esc_md(out, f->message);
		dr_buf_puts(out, "\n");
	}
	return DR_OK;
}

const rpt_format rpt_md_format = {
	.name = "md",
	.extension = "md",
	.summary = "Markdown: summary, objectives, per-disaster tables, waterfall, findings",
	.render = render_md,
};
