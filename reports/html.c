/*
 * html.c - the HTML report: one self-contained file (inline CSS and SVG,
 * no scripts, no external resources) with provenance, objectives, and per
 * disaster the CDFs of RPO and RTO (objective line and percentile marked),
 * the RTO waterfall per step, the drill timeline measured vs predicted, the
 * fleet's share restored over time, and for a compare the strategies side
 * by side with cost.  Every chart has role="img", <title> and <desc>.
 * Charts draw from summaries and thinned CDFs, never raw samples.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

#define CDF_POINTS 240

typedef struct {
	dr_buf *b;
	int next_id;
} hx;

static const char css[] =
	":root{--ink:#1d2430;--mute:#5b6678;--line:#d5dbe3;--bg:#fff;--ok:#1b7f3b;--bad:#c62828;"
	"--rpo:#7b3fbf;--rto:#1f6fb2;--measured:#1f4e9c;--modeled:#3a9d8f;--declared:#b59a4a}\n"
	"*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,"
	"'Helvetica Neue',Arial,sans-serif;color:var(--ink);background:#f4f6f9}\n"
	"main{max-width:1140px;margin:0 auto;padding:24px 28px 40px;background:var(--bg)}\n"
	"h1{font-size:1.55rem;margin:0 0 6px}h2{font-size:1.2rem;margin:30px 0 10px;padding-bottom:4px;"
	"border-bottom:2px solid var(--line)}h3{font-size:1rem;margin:18px 0 6px;color:var(--mute)}\n"
	".verdict{display:inline-block;padding:4px 12px;border-radius:14px;font-weight:600;color:#fff}"
	".verdict.met{background:var(--ok)}.verdict.missed{background:var(--bad)}\n"
	"table{border-collapse:collapse;margin:6px 0 12px;font-size:.92rem}th,td{padding:4px 10px;"
	"border-bottom:1px solid var(--line);text-align:left;vertical-align:top}th{color:var(--mute);"
	"font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"table.kv th{width:150px}table.kv td{font-family:ui-monospace,Menlo,Consolas,monospace;"
	"font-size:.85rem;word-break:break-all}\n"
	".ok{color:var(--ok);font-weight:600}.bad{color:var(--bad);font-weight:700}\n"
	".src{display:inline-block;font-size:.72rem;padding:0 6px;border-radius:8px;color:#fff;"
	"vertical-align:1px}.src.measured{background:var(--measured)}.src.modeled{background:var(--modeled)}"
	".src.declared{background:var(--declared)}\n"
	".charts{display:flex;flex-wrap:wrap;gap:14px}figure{margin:0 0 10px;flex:1 1 460px;min-width:0}.charts figure{max-width:calc(50% - 7px)}@media (max-width:900px){.charts figure{max-width:100%}}"
	"figcaption{font-size:.85rem;color:var(--mute);margin-top:2px}\n"
	"svg.chart{width:100%;height:auto;max-width:100%;display:block;background:#fff;"
	"border:1px solid var(--line);border-radius:6px}\n"
	"svg text{font:11px system-ui,sans-serif;fill:var(--ink)}svg text.tick{fill:var(--mute)}"
	"svg text.label{font-size:12px;fill:var(--mute)}svg text.inbar{fill:#fff;font-weight:600}svg text.title{font-size:13px;font-weight:600}\n"
	"svg .frame{fill:none;stroke:#9aa5b4}svg .grid{stroke:#eceff3}"
	"svg .cdf-rpo,svg .cdf-rto,svg .cdf-fleet{fill:none;stroke-width:2.2}"
	"svg .cdf-rpo{stroke:var(--rpo)}svg .cdf-rto{stroke:var(--rto)}svg .cdf-fleet{stroke:var(--measured)}\n"
	"svg line.target{stroke:var(--bad);stroke-width:1.6;stroke-dasharray:6 4}svg text.target{fill:var(--bad)}"
	"svg line.pct{stroke:#ef8f00;stroke-width:1.2;stroke-dasharray:2 3}svg text.pct{fill:#b86e00}"
	"svg circle.pct{fill:#ef8f00;stroke:#fff;stroke-width:1.5}\n"
	"svg line.mark{stroke:#5b6678;stroke-width:1;stroke-dasharray:3 3}svg text.mark{fill:#5b6678}\n"
	"svg rect.measured{fill:var(--measured)}svg rect.modeled{fill:var(--modeled)}"
	"svg rect.declared{fill:var(--declared)}svg rect.pred{fill:#c9d3df}svg rect.total{fill:#6c7a8d}"
	"svg rect.flagged{stroke:var(--bad);stroke-width:2}svg line.whisker{stroke:#7d8ba0;stroke-width:1.5}\n"
	"svg .v0{stroke:#1f6fb2;fill:#1f6fb2}svg .v1{stroke:#3a9d8f;fill:#3a9d8f}svg .v2{stroke:#d1762b;fill:#d1762b}"
	"svg .v3{stroke:#7b3fbf;fill:#7b3fbf}svg .v4{stroke:#8c6d1f;fill:#8c6d1f}svg .v5{stroke:#c2185b;fill:#c2185b}"
	"svg polyline.v0,svg polyline.v1,svg polyline.v2,svg polyline.v3,svg polyline.v4,svg polyline.v5"
	"{fill:none;stroke-width:2.2}\n"
	".legend{font-size:.8rem;color:var(--mute)}.legend i{display:inline-block;width:10px;height:10px;"
	"border-radius:2px;margin:0 4px 0 10px;vertical-align:-1px}\n"
	"footer{margin-top:34px;font-size:.8rem;color:var(--mute);border-top:1px solid var(--line);padding-top:8px}\n"
	"@media print{body{background:#fff;font-size:10pt}main{max-width:none;padding:0}"
	"section,figure,table{break-inside:avoid}h2{break-after:avoid}"
	".verdict,.src{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	"svg.chart{border:none}@page{margin:14mm}}\n";

static void esc(hx *h, const char *s)
{
	rpt_esc_xml(h->b, s ? s : "n/a");
}

static void src_badge(hx *h, res_source s)
{
	dr_buf_printf(h->b, "<span class=\"src %s\">%s</span>", res_source_names[s], res_source_names[s]);
}

static char *chart_id(hx *h, const char *kind)
{
	return dr_asprintf("%s-%d", kind, ++h->next_id);
}

/* ---- charts ------------------------------------------------------------ */

/* A single value (a drill's measurement) as a bar against the target. */
static void bullet_chart(hx *h, const res_disaster *d, bool rto)
{
	const res_summary *s = rto ? &d->rto_s : &d->rpo_s;
	double target = rto ? d->rto_target_s : d->rpo_target_s;
	double v = s->max;
	const char *metric = rto ? "RTO" : "RPO";
	char vs[32], tg[32];
	rpt_dur(v, vs);
	rpt_dur(target, tg);
	bool met = rto ? d->met_rto : d->met_rpo;
	char *id = chart_id(h, rto ? "value-rto" : "value-rpo");
	char *title = dr_asprintf("%s for %s (%s)", metric, d->kind, res_source_names[d->source]);
	char *desc = dr_asprintf("%s was %s against a target of %s: objective %s.", metric, vs, tg, met ? "met" : "missed");
	double xmax = fmax(isfinite(v) ? v * 1.1 : 0, isfinite(target) ? target * 1.15 : 0);
	rpt_svg_open(h->b, id, 520, 130, title, desc);
	rpt_plot p = {.b = h->b, .x = 58, .y = 30, .w = 440, .h = 56, .x0 = 0,
		      .x1 = rpt_nice_max(xmax, RPT_AXIS_TIME), .y0 = 0, .y1 = 1};
	rpt_svg_text(h->b, 10, 17, "start", "title", title);
	rpt_svg_axes(&p, RPT_AXIS_TIME, RPT_AXIS_NONE, NULL, NULL);
	rpt_svg_rect(&p, 0, isfinite(v) ? v : 0, 0.25, 0.75, res_source_names[d->source], desc);
	rpt_svg_text(h->b, rpt_px(&p, isfinite(v) ? v : 0) + 6, rpt_py(&p, 0.5) + 4, "start", NULL, vs);
	char *tl = dr_asprintf("target %s", tg);
	rpt_svg_vline(&p, target, "target", tl, true);
	free(tl);
	rpt_svg_close(h->b);
	free(id);
	free(title);
	free(desc);
}

/* CDF of RPO or RTO with the objective line and the percentile marked;
 * a single measurement is drawn as a bar instead. */
static void cdf_chart(hx *h, const res_disaster *d, bool rto)
{
	if ((rto ? d->rto_cdf.n : d->rpo_cdf.n) == 0) {
		bullet_chart(h, d, rto);
		return;
	}
	const res_cdf *c = rto ? &d->rto_cdf : &d->rpo_cdf;
	const res_summary *s = rto ? &d->rto_s : &d->rpo_s;
	double target = rto ? d->rto_target_s : d->rpo_target_s;
	double at = rpt_at_percentile(d, s, c);
	const char *metric = rto ? "RTO" : "RPO";
	double q = (d->percentile > 0 ? d->percentile : 95) / 100;
	char pn[16], v[32], tg[32], pm[16];
	rpt_pname(d, pn);
	rpt_dur(at, v);
	rpt_dur(target, tg);
	rpt_pct(rto ? d->p_meet_rto.p : d->p_meet_rpo.p, pm);
	double xmax = 0;
	for (size_t i = 0; i < c->n; i++)
		if (isfinite(c->x[i]))
			xmax = fmax(xmax, c->x[i]);
	xmax = fmax(xmax, fmax(isfinite(target) ? target * 1.15 : 0, isfinite(at) ? at * 1.1 : 0));
	char *id = chart_id(h, rto ? "cdf-rto" : "cdf-rpo");
	char *title = dr_asprintf("%s distribution for %s (%s)", metric, d->kind, res_source_names[d->source]);
	char *desc = dr_asprintf("Cumulative share of trials by %s. %s %s is %s against a target of %s; %s of "
				 "trials meet the target; %s.",
				 metric, metric, pn, v, tg, pm, (rto ? d->met_rto : d->met_rpo) ? "objective met" : "objective missed");
	rpt_svg_open(h->b, id, 520, 270, title, desc);
	rpt_plot p = {.b = h->b, .x = 58, .y = 28, .w = 440, .h = 190, .x0 = 0,
		      .x1 = rpt_nice_max(xmax, RPT_AXIS_TIME), .y0 = 0, .y1 = 1};
	rpt_svg_text(h->b, 10, 17, "start", "title", title);
	char *xl = dr_asprintf("%s (time)", metric);
	rpt_svg_axes(&p, RPT_AXIS_TIME, RPT_AXIS_SHARE, xl, "share of trials");
	free(xl);
	rpt_svg_cdf(&p, c, rto ? "cdf-rto" : "cdf-rpo", CDF_POINTS);
	rpt_svg_hline(&p, q, "pct");
	char *tl = dr_asprintf("target %s", tg);
	rpt_svg_vline(&p, target, "target", tl, false);
	free(tl);
	if (isfinite(at)) {
		dr_buf_printf(h->b, "<circle class=\"pct\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\"/>", rpt_px(&p, at), rpt_py(&p, q));
		char *pl = dr_asprintf("%s %s", pn, v);
		bool right = rpt_px(&p, at) > p.x + p.w * 0.3;
		rpt_svg_text(h->b, rpt_px(&p, at) + (right ? -8 : 8), rpt_py(&p, q) + 16, right ? "end" : "start", "pct", pl);
		free(pl);
	}
	rpt_svg_close(h->b);
	free(id);
	free(title);
	free(desc);
}

/* RTO waterfall: each step as a bar from its start, then the total. */
static void waterfall_chart(hx *h, const res_result *r, const res_disaster *d)
{
	size_t n = d->n_steps;
	double end = 0;
	for (size_t i = 0; i < n; i++)
		end = fmax(end, d->steps[i].start_s + rpt_step_duration(&d->steps[i]));
	double rto = rpt_at_percentile(d, &d->rto_s, &d->rto_cdf);
	double xmax = fmax(end, fmax(isfinite(rto) ? rto : 0, isfinite(d->rto_target_s) ? d->rto_target_s * 1.1 : 0));
	int height = 70 + (int)(n + 1) * 26;
	char pn[16], tv[32], tg[32];
	rpt_pname(d, pn);
	rpt_dur(rto, tv);
	rpt_dur(d->rto_target_s, tg);
	char *id = chart_id(h, "waterfall");
	char *title = dr_asprintf("RTO waterfall for %s", d->kind);
	dr_buf desc = {0};
	dr_buf_printf(&desc, "Runbook steps on a time line from the event (%s). ",
		      r->mode == RES_MODE_DRILL ? "measured durations, declared manual steps" : "mean start and duration per step");
	for (size_t i = 0; i < n; i++) {
		char du[32];
		rpt_dur(rpt_step_duration(&d->steps[i]), du);
		dr_buf_printf(&desc, "%s %s (%s, %.0f%% of RTO); ", d->steps[i].name, du,
			      res_source_names[d->steps[i].source], d->steps[i].share * 100);
	}
	dr_buf_printf(&desc, "RTO %s %s against a target of %s.", pn, tv, tg);
	rpt_svg_open(h->b, id, 1060, height, title, desc.s);
	rpt_plot p = {.b = h->b, .x = 170, .y = 28, .w = 860, .h = (double)(n + 1) * 26, .x0 = 0,
		      .x1 = rpt_nice_max(xmax, RPT_AXIS_TIME), .y0 = 0, .y1 = (double)(n + 1)};
	rpt_svg_text(h->b, 10, 17, "start", "title", title);
	rpt_svg_axes(&p, RPT_AXIS_TIME, RPT_AXIS_NONE, "time since the event", NULL);
	for (size_t i = 0; i < n; i++) {
		const res_step *s = &d->steps[i];
		double row = (double)(n + 1 - i);
		double dur = rpt_step_duration(s);
		char du[32], *tip;
		rpt_dur(dur, du);
		tip = dr_asprintf("%s: %s (%s)%s", s->name, du, res_source_names[s->source], s->flagged ? ", outside the model" : "");
		char cls[48];
		snprintf(cls, sizeof cls, "%s%s", res_source_names[s->source], s->flagged ? " flagged" : "");
		rpt_svg_rect(&p, s->start_s, s->start_s + dur, row - 0.8, row - 0.2, cls, tip);
		free(tip);
		rpt_svg_text(h->b, p.x - 8, rpt_py(&p, row - 0.5) + 4, "end", NULL, s->name);
		char *lab = dr_asprintf("%s  %.0f%%", du, s->share * 100);
		rpt_svg_text(h->b, rpt_px(&p, s->start_s + dur) + 5, rpt_py(&p, row - 0.5) + 4, "start", "tick", lab);
		free(lab);
	}
	char *tot = dr_asprintf("RTO %s", pn);
	rpt_svg_rect(&p, 0, isfinite(rto) ? rto : 0, 0.2, 0.8, "total", tot);
	rpt_svg_text(h->b, p.x - 8, rpt_py(&p, 0.5) + 4, "end", "title", tot);
	rpt_svg_text(h->b, rpt_px(&p, isfinite(rto) ? rto : 0) + 5, rpt_py(&p, 0.5) + 4, "start", "tick", tv);
	free(tot);
	char *tl = dr_asprintf("target %s", tg);
	rpt_svg_vline(&p, d->rto_target_s, "target", tl, true);
	free(tl);
	rpt_svg_close(h->b);
	dr_buf_release(&desc);
	free(id);
	free(title);
}

/* Drill timeline: per step the prediction (p50 bar, whisker to p95) above
 * the measured bar. */
static void timeline_chart(hx *h, const res_disaster *d)
{
	size_t n = d->n_steps;
	double end = 0, pred = 0;
	for (size_t i = 0; i < n; i++) {
		end = fmax(end, d->steps[i].start_s + rpt_step_duration(&d->steps[i]));
		pred += isfinite(d->steps[i].modeled.p50) ? d->steps[i].modeled.p50 : 0;
	}
	double pred_end = 0;
	for (size_t i = 0; i < n; i++)
		pred_end = fmax(pred_end, d->steps[i].start_s + fmax(0, d->steps[i].modeled.p95));
	double xmax = fmax(fmax(end, pred), fmax(pred_end, isfinite(d->rto_target_s) ? d->rto_target_s * 1.05 : 0));
	char *id = chart_id(h, "timeline");
	char *title = dr_asprintf("Drill timeline for %s: measured vs predicted", d->kind);
	char tend[32], tpred[32], tg[32];
	rpt_dur(end, tend);
	rpt_dur(pred, tpred);
	rpt_dur(d->rto_target_s, tg);
	dr_buf desc = {0};
	dr_buf_printf(&desc, "Each step's measured time (dark) under the model's prediction (light bar to the median, "
			     "whisker to p95). Recovery took %s; the model's medians add up to %s; target %s. ",
		      tend, tpred, tg);
	for (size_t i = 0; i < n; i++) {
		char m[32], pr[32];
		rpt_dur(d->steps[i].measured_s, m);
		rpt_dur(d->steps[i].modeled.p50, pr);
		dr_buf_printf(&desc, "%s measured %s, predicted %s%s; ", d->steps[i].name, m, pr,
			      d->steps[i].flagged ? " (outside the model)" : "");
	}
	int height = 80 + (int)n * 40;
	rpt_svg_open(h->b, id, 1060, height, title, desc.s);
	rpt_plot p = {.b = h->b, .x = 170, .y = 28, .w = 860, .h = (double)n * 40, .x0 = 0,
		      .x1 = rpt_nice_max(xmax, RPT_AXIS_TIME), .y0 = 0, .y1 = (double)n};
	rpt_svg_text(h->b, 10, 17, "start", "title", title);
	rpt_svg_axes(&p, RPT_AXIS_TIME, RPT_AXIS_NONE, "time since the disaster was injected", NULL);
	for (size_t i = 0; i < n; i++) {
		const res_step *s = &d->steps[i];
		double row = (double)(n - i);
		char m[32], pr[32], p95[32];
		rpt_dur(s->measured_s, m);
		rpt_dur(s->modeled.p50, pr);
		rpt_dur(s->modeled.p95, p95);
		if (s->modeled.p50 > 0) {
			char *tip = dr_asprintf("%s predicted: p50 %s, p95 %s (modeled)", s->name, pr, p95);
			rpt_svg_rect(&p, s->start_s, s->start_s + s->modeled.p50, row - 0.45, row - 0.12, "pred", tip);
			free(tip);
			double y = rpt_py(&p, row - 0.285);
			dr_buf_printf(h->b, "<line class=\"whisker\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
				      rpt_px(&p, s->start_s + s->modeled.p50), y, rpt_px(&p, s->start_s + s->modeled.p95), y);
		}
		if (s->measured_s >= 0) {
			char *tip = dr_asprintf("%s: %s (%s)", s->name, m, res_source_names[s->source]);
			char cls[48];
			snprintf(cls, sizeof cls, "%s%s", res_source_names[s->source], s->flagged ? " flagged" : "");
			rpt_svg_rect(&p, s->start_s, s->start_s + s->measured_s, row - 0.88, row - 0.52, cls, tip);
			free(tip);
			char *lab = dr_asprintf("%s%s", m, s->flagged ? "  outside model" : "");
			rpt_svg_text(h->b, rpt_px(&p, s->start_s + s->measured_s) + 5, rpt_py(&p, row - 0.7) + 4, "start",
				     "tick", lab);
			free(lab);
		}
		rpt_svg_text(h->b, p.x - 8, rpt_py(&p, row - 0.5) + 4, "end", NULL, s->name);
	}
	char *tl = dr_asprintf("target %s", tg);
	rpt_svg_vline(&p, d->rto_target_s, "target", tl, true);
	free(tl);
	char *rl = dr_asprintf("recovered %s", tend);
	rpt_svg_vline(&p, end, "mark", rl, false);
	free(rl);
	rpt_svg_close(h->b);
	dr_buf_release(&desc);
	free(id);
	free(title);
}

/* Share of the fleet restored over time, with 50 % / 100 % marks. */
static void fleet_chart(hx *h, const res_disaster *d)
{
	const res_fleet_tier *all = NULL;
	for (size_t i = 0; i < d->n_fleet; i++)
		if (d->fleet[i].tier == 0)
			all = &d->fleet[i];
	double xmax = 0;
	for (size_t i = 0; i < d->fleet_cdf.n; i++)
		if (isfinite(d->fleet_cdf.x[i]))
			xmax = fmax(xmax, d->fleet_cdf.x[i]);
	if (all)
		xmax = fmax(xmax, all->t100_s.mean);
	if (isfinite(d->rto_target_s))
		xmax = fmax(xmax, d->rto_target_s * 1.1);
	char t50[32] = "n/a", t100[32] = "n/a", tg[32];
	if (all) {
		rpt_dur(all->t50_s.mean, t50);
		rpt_dur(all->t100_s.mean, t100);
	}
	rpt_dur(d->rto_target_s, tg);
	char *id = chart_id(h, "fleet");
	char *title = dr_asprintf("Fleet restored over time for %s (modeled)", d->kind);
	char *desc = dr_asprintf("Share of %llu databases restored against time since the event. Half the fleet is back "
				 "after %s and all of it after %s on average; the RTO target is %s.",
				 all ? (unsigned long long)all->databases : 0ULL, t50, t100, tg);
	rpt_svg_open(h->b, id, 520, 270, title, desc);
	rpt_plot p = {.b = h->b, .x = 58, .y = 28, .w = 440, .h = 190, .x0 = 0,
		      .x1 = rpt_nice_max(xmax, RPT_AXIS_TIME), .y0 = 0, .y1 = 1};
	rpt_svg_text(h->b, 10, 17, "start", "title", title);
	rpt_svg_axes(&p, RPT_AXIS_TIME, RPT_AXIS_SHARE, "time since the event", "share restored");
	rpt_svg_cdf(&p, &d->fleet_cdf, "cdf-fleet", CDF_POINTS);
	if (all) {
		char *l50 = dr_asprintf("50%% %s", t50), *l100 = dr_asprintf("100%% %s", t100);
		rpt_svg_hline(&p, 0.5, "mark");
		rpt_svg_vline(&p, all->t100_s.mean, "mark", l100, true);
		dr_buf_printf(h->b, "<circle class=\"pct\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>", rpt_px(&p, all->t50_s.mean),
			      rpt_py(&p, 0.5));
		rpt_svg_text(h->b, rpt_px(&p, all->t50_s.mean) + 7, rpt_py(&p, 0.5) + 15, "start", "pct", l50);
		free(l50);
		free(l100);
	}
	char *tl = dr_asprintf("target %s", tg);
	rpt_svg_vline(&p, d->rto_target_s, "target", tl, false);
	free(tl);
	rpt_svg_close(h->b);
	free(id);
	free(title);
	free(desc);
}

/* Strategies side by side: worst RPO and RTO at the objective percentile
 * (with target lines) and monthly cost, one row per strategy. */
static void compare_chart(hx *h, const res_result *r)
{
	size_t n = r->n_variants;
	double rpo[n ? n : 1], rto[n ? n : 1], cost[n ? n : 1];
	double rpo_t = NAN, rto_t = NAN, mr = 0, mt = 0, mc = 0;
	for (size_t i = 0; i < n; i++) {
		const res_result *v = r->variants[i].result;
		rpo[i] = rto[i] = 0;
		for (size_t k = 0; k < v->n_disasters; k++) {
			const res_disaster *d = &v->disasters[k];
			rpo[i] = fmax(rpo[i], rpt_at_percentile(d, &d->rpo_s, &d->rpo_cdf));
			rto[i] = fmax(rto[i], rpt_at_percentile(d, &d->rto_s, &d->rto_cdf));
			rpo_t = isnan(rpo_t) ? d->rpo_target_s : fmin(rpo_t, d->rpo_target_s);
			rto_t = isnan(rto_t) ? d->rto_target_s : fmin(rto_t, d->rto_target_s);
		}
		cost[i] = v->cost.per_month;
		mr = fmax(mr, rpo[i]);
		mt = fmax(mt, rto[i]);
		mc = fmax(mc, cost[i]);
	}
	mr = fmax(mr, isfinite(rpo_t) ? rpo_t * 1.1 : 0);
	mt = fmax(mt, isfinite(rto_t) ? rto_t * 1.1 : 0);
	char *id = chart_id(h, "compare");
	const char *title = "Strategies side by side: RPO, RTO and cost";
	dr_buf desc = {0};
	dr_buf_puts(&desc, "For each strategy the worst RPO and RTO over disaster kinds at the objective percentile "
			   "(modeled), against the targets, and the modeled monthly cost. ");
	for (size_t i = 0; i < n; i++) {
		char a[32], b2[32], m[32];
		rpt_dur(rpo[i], a);
		rpt_dur(rto[i], b2);
		rpt_money(cost[i], m);
		dr_buf_printf(&desc, "%s: RPO %s, RTO %s, %s %s per month, %s; ", r->variants[i].strategy, a, b2,
			      r->variants[i].result->cost.currency ? r->variants[i].result->cost.currency : "", m,
			      r->variants[i].result->met ? "meets the objectives" : "misses an objective");
	}
	if (r->recommended)
		dr_buf_printf(&desc, "recommended: %s.", r->recommended);
	int height = 100 + (int)n * 34;
	rpt_svg_open(h->b, id, 1060, height, title, desc.s);
	rpt_svg_text(h->b, 10, 17, "start", "title", title);
	static const char *const heads[] = {"RPO", "RTO", "cost per month"};
	double maxes[] = {mr, mt, mc}, targets[] = {rpo_t, rto_t, NAN};
	double *vals[] = {rpo, rto, cost};
	for (int col = 0; col < 3; col++) {
		rpt_plot p = {.b = h->b, .x = 180 + col * 290, .y = 58, .w = 250, .h = (double)n * 34, .x0 = 0,
			      .x1 = rpt_nice_max(maxes[col], col == 2 ? RPT_AXIS_MONEY : RPT_AXIS_TIME), .y0 = 0,
			      .y1 = (double)n};
		rpt_svg_text(h->b, p.x + p.w / 2, 38, "middle", "title", heads[col]);
		rpt_svg_axes(&p, col == 2 ? RPT_AXIS_MONEY : RPT_AXIS_TIME, RPT_AXIS_NONE, NULL, NULL);
		for (size_t i = 0; i < n; i++) {
			double row = (double)(n - i);
			char cls[8], lab[40];
			snprintf(cls, sizeof cls, "v%zu", i % 6);
			if (col == 2)
				rpt_money(vals[col][i], lab);
			else
				rpt_dur(vals[col][i], lab);
			rpt_svg_rect(&p, 0, vals[col][i], row - 0.8, row - 0.2, cls, lab);
			bool inside = rpt_px(&p, vals[col][i]) > p.x + p.w * 0.7;
			rpt_svg_text(h->b, rpt_px(&p, vals[col][i]) + (inside ? -4 : 4), rpt_py(&p, row - 0.5) + 4,
				     inside ? "end" : "start", inside ? "inbar" : "tick", lab);
			if (col == 0) {
				bool rec = r->recommended && strcmp(r->recommended, r->variants[i].strategy) == 0;
				char *name = dr_asprintf("%s%s", r->variants[i].strategy, rec ? " \u2605" : "");
				rpt_svg_text(h->b, p.x - 8, rpt_py(&p, row - 0.5) + 4, "end", rec ? "title" : NULL, name);
				free(name);
			}
		}
		if (isfinite(targets[col])) {
			char tg[32];
			rpt_dur(targets[col], tg);
			char *tl = dr_asprintf("target %s", tg);
			rpt_svg_vline(&p, targets[col], "target", NULL, true);
			rpt_svg_text(h->b, rpt_px(&p, targets[col]) + 3, p.y - 4, "start", "target", tl);
			free(tl);
		}
	}
	rpt_svg_close(h->b);
	dr_buf_release(&desc);
	free(id);
}

/* RTO CDFs of every strategy for one disaster kind, overlaid. */
static void compare_cdf_chart(hx *h, const res_result *r, const char *kind)
{
	double xmax = 0, target = NAN;
	dr_buf desc = {0};
	dr_buf_printf(&desc, "Cumulative share of trials by RTO for %s, one line per strategy (modeled). ", kind);
	for (size_t i = 0; i < r->n_variants; i++) {
		const res_result *v = r->variants[i].result;
		for (size_t k = 0; k < v->n_disasters; k++) {
			const res_disaster *d = &v->disasters[k];
			if (!d->kind || strcmp(d->kind, kind) != 0)
				continue;
			for (size_t j = 0; j < d->rto_cdf.n; j++)
				if (isfinite(d->rto_cdf.x[j]))
					xmax = fmax(xmax, d->rto_cdf.x[j]);
			target = d->rto_target_s;
			char pn[16], val[32];
			rpt_pname(d, pn);
			rpt_dur(rpt_at_percentile(d, &d->rto_s, &d->rto_cdf), val);
			dr_buf_printf(&desc, "%s: RTO %s %s; ", r->variants[i].strategy, pn, val);
		}
	}
	if (isfinite(target))
		xmax = fmax(xmax, target * 1.15);
	char tg[32];
	rpt_dur(target, tg);
	dr_buf_printf(&desc, "target %s.", tg);
	char *id = chart_id(h, "compare-cdf");
	char *title = dr_asprintf("RTO by strategy for %s", kind);
	rpt_svg_open(h->b, id, 1060, 300, title, desc.s);
	rpt_plot p = {.b = h->b, .x = 58, .y = 28, .w = 800, .h = 220, .x0 = 0,
		      .x1 = rpt_nice_max(xmax, RPT_AXIS_TIME), .y0 = 0, .y1 = 1};
	rpt_svg_text(h->b, 10, 17, "start", "title", title);
	rpt_svg_axes(&p, RPT_AXIS_TIME, RPT_AXIS_SHARE, "RTO (time)", "share of trials");
	for (size_t i = 0; i < r->n_variants; i++) {
		const res_result *v = r->variants[i].result;
		char cls[8];
		snprintf(cls, sizeof cls, "v%zu", i % 6);
		for (size_t k = 0; k < v->n_disasters; k++)
			if (v->disasters[k].kind && strcmp(v->disasters[k].kind, kind) == 0)
				rpt_svg_cdf(&p, &v->disasters[k].rto_cdf, cls, CDF_POINTS);
		dr_buf_printf(h->b, "<rect class=\"%s\" x=\"880\" y=\"%zu\" width=\"12\" height=\"12\"/>", cls, 40 + i * 22);
		rpt_svg_text(h->b, 898, (double)(50 + i * 22), "start", NULL, r->variants[i].strategy);
	}
	char *tl = dr_asprintf("target %s", tg);
	rpt_svg_vline(&p, target, "target", tl, true);
	free(tl);
	rpt_svg_close(h->b);
	dr_buf_release(&desc);
	free(id);
	free(title);
}

/* ---- sections ---------------------------------------------------------- */

static void header(hx *h, const res_result *r)
{
	size_t total, missed;
	rpt_objective_counts(r, &total, &missed);
	dr_buf_puts(h->b, "<header><h1>");
	esc(h, r->scenario_name);
	dr_buf_printf(h->b, "</h1><p><span class=\"verdict %s\">%s</span> ", r->met ? "met" : "missed",
		      r->met ? "objectives met" : "objectives missed");
	if (r->mode == RES_MODE_COMPARE) {
		dr_buf_puts(h->b, "strategy comparison; recommended: <strong>");
		esc(h, r->recommended ? r->recommended : "none meets the objectives");
		dr_buf_puts(h->b, "</strong>");
	} else {
		dr_buf_printf(h->b, "%zu of %zu objectives missed &middot; %s", missed, total,
			      r->mode == RES_MODE_DRILL ? "drill: measured, with declared manual steps" : "simulation: modeled");
	}
	dr_buf_puts(h->b, "</p></header>\n<section id=\"provenance\"><h2>Provenance</h2><table class=\"kv\">");
	rpt_provenance p;
	rpt_provenance_init(&p, r);
	for (size_t i = 0; i < p.n; i++) {
		dr_buf_puts(h->b, "<tr><th>");
		esc(h, p.v[i].label);
		dr_buf_puts(h->b, "</th><td>");
		esc(h, p.v[i].value);
		dr_buf_puts(h->b, "</td></tr>");
	}
	rpt_provenance_release(&p);
	dr_buf_puts(h->b, "</table><p class=\"legend\">Every figure is labelled "
			  "<span class=\"src measured\">measured</span> timed in a real drill, "
			  "<span class=\"src modeled\">modeled</span> sampled by the simulator, or "
			  "<span class=\"src declared\">declared</span> taken from the scenario.</p></section>\n");
}

static void objectives(hx *h, const res_result *r)
{
	dr_buf_puts(h->b, "<section id=\"objectives\"><h2>Objectives</h2><table><thead><tr><th>disaster</th>"
			  "<th>objective</th><th>value</th><th>target</th><th>P(meet) [95% CI]</th><th>source</th>"
			  "<th>objectives from</th><th>verdict</th></tr></thead><tbody>");
	for (size_t i = 0; i < r->n_disasters; i++) {
		const res_disaster *d = &r->disasters[i];
		for (int k = 0; k < 2; k++) {
			const res_prob *pm = k ? &d->p_meet_rto : &d->p_meet_rpo;
			char pn[16], v[32], tg[32], a[16], lo[16], hi[16];
			rpt_pname(d, pn);
			rpt_dur(k ? rpt_at_percentile(d, &d->rto_s, &d->rto_cdf) : rpt_at_percentile(d, &d->rpo_s, &d->rpo_cdf), v);
			rpt_dur(k ? d->rto_target_s : d->rpo_target_s, tg);
			rpt_pct(pm->p, a);
			rpt_pct(pm->lo, lo);
			rpt_pct(pm->hi, hi);
			bool met = k ? d->met_rto : d->met_rpo;
			dr_buf_puts(h->b, "<tr><td>");
			if (!k)
				esc(h, d->kind);
			dr_buf_printf(h->b, "</td><td>%s %s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
					    "<td class=\"num\">%s [%s, %s]</td><td>",
				      k ? "RTO" : "RPO", pn, v, tg, a, lo, hi);
			src_badge(h, d->source);
			dr_buf_puts(h->b, "</td><td>");
			esc(h, d->objectives_source);
			dr_buf_printf(h->b, "</td><td class=\"%s\">%s</td></tr>", met ? "ok" : "bad", met ? "met" : "MISSED");
		}
	}
	dr_buf_puts(h->b, "</tbody></table></section>\n");
}

static void measured(hx *h, const res_measured *m)
{
	rpt_measured_text x;
	rpt_measured_format(m, &x);
	dr_buf_printf(h->b, "<section id=\"measured\"><h2>Drill measurements</h2><table>"
			    "<tr><th>RPO</th><td class=\"num\">%s</td><td><span class=\"src measured\">measured</span> "
			    "canary resolution %s</td></tr>"
			    "<tr><th>RTO</th><td class=\"num\">%s</td><td>%s <span class=\"src measured\">measured</span> + "
			    "%s <span class=\"src declared\">declared</span></td></tr>"
			    "<tr><th>acknowledged writes lost</th><td class=\"num %s\">%llu</td><td>of %llu acknowledged "
			    "before the event</td></tr>"
			    "<tr><th>event injected</th><td colspan=\"2\">%s</td></tr>"
			    "<tr><th>first good read-back</th><td colspan=\"2\">%s</td></tr>",
		      x.rpo, x.res, x.rto, x.tech, x.mod, m->acked_writes_lost ? "bad" : "ok",
		      (unsigned long long)m->acked_writes_lost, (unsigned long long)m->acked_writes, x.ev, x.rec);
	dr_buf_printf(h->b, "<tr><th>data verified</th><td class=\"%s\">%s</td><td>", m->data_verified ? "ok" : "bad",
		      m->data_verified ? "yes" : "NO");
	esc(h, m->verification);
	dr_buf_printf(h->b, "</td></tr><tr><th>cleanup</th><td class=\"%s\" colspan=\"2\">%s</td></tr>"
			    "<tr><th>driver / server</th><td colspan=\"2\">",
		      m->cleanup_ok ? "ok" : "bad", m->cleanup_ok ? "ok" : "INCOMPLETE (see the journal)");
	esc(h, m->driver);
	dr_buf_puts(h->b, " ");
	esc(h, m->driver_version);
	dr_buf_puts(h->b, " / ");
	esc(h, m->server_version);
	dr_buf_puts(h->b, "</td></tr><tr><th>clock</th><td colspan=\"2\">");
	esc(h, m->clock);
	dr_buf_puts(h->b, "</td></tr><tr><th>journal</th><td colspan=\"2\">");
	esc(h, m->journal);
	dr_buf_puts(h->b, "</td></tr></table></section>\n");
}

static void steps_table(hx *h, const res_result *r, const res_disaster *d)
{
	bool drill = r->mode == RES_MODE_DRILL;
	dr_buf_printf(h->b, "<h3>Runbook steps</h3><table><thead><tr><th>step</th><th>start</th><th>%s</th><th>source</th>"
			    "<th>share of RTO</th><th>model p50</th><th>model p95</th><th>note</th></tr></thead><tbody>",
		      drill ? "measured" : "mean duration");
	for (size_t i = 0; i < d->n_steps; i++) {
		const res_step *s = &d->steps[i];
		char st[32], du[32], p50[32], p95[32];
		rpt_dur(s->start_s, st);
		rpt_dur(rpt_step_duration(s), du);
		rpt_dur(s->modeled.p50, p50);
		rpt_dur(s->modeled.p95, p95);
		dr_buf_puts(h->b, "<tr><td>");
		esc(h, s->name);
		dr_buf_printf(h->b, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td>", st, du);
		src_badge(h, s->source);
		dr_buf_printf(h->b, "</td><td class=\"num\">%.1f%%</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td>",
			      s->share * 100, p50, p95);
		if (s->flagged)
			dr_buf_puts(h->b, "<span class=\"bad\">outside the model</span> ");
		if (s->error) {
			dr_buf_puts(h->b, "<span class=\"bad\">failed: ");
			esc(h, s->error);
			dr_buf_puts(h->b, "</span> ");
		}
		if (s->detail)
			esc(h, s->detail);
		dr_buf_puts(h->b, "</td></tr>");
	}
	dr_buf_puts(h->b, "</tbody></table>\n");
}

static void figure(hx *h, void (*draw)(hx *, const res_disaster *, bool), const res_disaster *d, bool flag,
		   const char *caption)
{
	dr_buf_puts(h->b, "<figure>");
	draw(h, d, flag);
	dr_buf_printf(h->b, "<figcaption>%s</figcaption></figure>\n", caption);
}

static void fleet_draw(hx *h, const res_disaster *d, bool unused)
{
	fleet_chart(h, d);
}

static void disaster(hx *h, const res_result *r, const res_disaster *d)
{
	dr_buf_puts(h->b, "<section class=\"disaster\"><h2>");
	esc(h, d->kind);
	dr_buf_puts(h->b, " ");
	src_badge(h, d->source);
	dr_buf_puts(h->b, "</h2>");
	if (d->unrecoverable) {
		dr_buf_printf(h->b, "<p class=\"bad\">%llu trial(s) had no surviving recovery point: ",
			      (unsigned long long)d->unrecoverable);
		esc(h, d->unrecoverable_reason ? d->unrecoverable_reason : "reason unknown");
		dr_buf_puts(h->b, "</p>");
	}
	dr_buf_puts(h->b, "<div class=\"charts\">");
	figure(h, cdf_chart, d, false, "Dashed red: the RPO objective. Orange: the objective percentile.");
	figure(h, cdf_chart, d, true, "Dashed red: the RTO objective. Orange: the objective percentile.");
	if (d->n_fleet)
		figure(h, fleet_draw, d, false, "Share of the fleet's databases restored, all tiers.");
	dr_buf_puts(h->b, "</div>\n<table><thead><tr><th></th><th>n</th><th>mean</th><th>p50</th><th>p90</th><th>p95</th>"
			  "<th>p99</th><th>max</th></tr></thead><tbody>");
	for (int k = 0; k < 2; k++) {
		const res_summary *s = k ? &d->rto_s : &d->rpo_s;
		double v[6] = {s->mean, s->p50, s->p90, s->p95, s->p99, s->max};
		dr_buf_printf(h->b, "<tr><th>%s</th><td class=\"num\">%llu</td>", k ? "RTO" : "RPO", (unsigned long long)s->n);
		for (int i = 0; i < 6; i++) {
			char t[32];
			rpt_dur(v[i], t);
			dr_buf_printf(h->b, "<td class=\"num\">%s</td>", t);
		}
		dr_buf_puts(h->b, "</tr>");
	}
	dr_buf_puts(h->b, "</tbody></table>\n");
	if (d->n_steps) {
		dr_buf_puts(h->b, "<figure>");
		if (r->mode == RES_MODE_DRILL)
			timeline_chart(h, d);
		waterfall_chart(h, r, d);
		dr_buf_puts(h->b, "<figcaption><span class=\"legend\"><i style=\"background:var(--measured)\"></i>measured"
				  "<i style=\"background:var(--modeled)\"></i>modeled<i style=\"background:var(--declared)\">"
				  "</i>declared<i style=\"background:#c9d3df\"></i>predicted</span></figcaption></figure>\n");
		steps_table(h, r, d);
	}
	if (d->n_fleet) {
		dr_buf_puts(h->b, "<h3>Fleet by tier (modeled)</h3><table><thead><tr><th>tier</th><th>databases</th>"
				  "<th>50 % mean</th><th>50 % p95</th><th>100 % mean</th><th>100 % p95</th></tr></thead><tbody>");
		for (size_t i = 0; i < d->n_fleet; i++) {
			const res_fleet_tier *f = &d->fleet[i];
			char a[32], c[32], e[32], g[32];
			rpt_dur(f->t50_s.mean, a);
			rpt_dur(f->t50_s.p95, c);
			rpt_dur(f->t100_s.mean, e);
			rpt_dur(f->t100_s.p95, g);
			if (f->tier)
				dr_buf_printf(h->b, "<tr><td>%d</td>", f->tier);
			else
				dr_buf_puts(h->b, "<tr><td>all</td>");
			dr_buf_printf(h->b, "<td class=\"num\">%llu</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
					    "<td class=\"num\">%s</td><td class=\"num\">%s</td></tr>",
				      (unsigned long long)f->databases, a, c, e, g);
		}
		dr_buf_puts(h->b, "</tbody></table>\n");
	}
	if (d->annual.events_per_year > 0) {
		char dt[32], dl[32], pb[16], av[16];
		rpt_dur(d->annual.downtime_s_per_year, dt);
		rpt_dur(d->annual.data_loss_s_per_year, dl);
		rpt_pct(d->annual.p_breach_per_year, pb);
		rpt_pct(d->annual.availability, av);
		dr_buf_printf(h->b, "<p>Annualised <span class=\"src modeled\">modeled</span> at %.3g events/year: downtime "
				    "%s/year, data loss %s/year, availability %s, P(breach in a year) %s.</p>\n",
			      d->annual.events_per_year, dt, dl, av, pb);
	}
	dr_buf_puts(h->b, "</section>\n");
}

static void variants(hx *h, const res_result *r)
{
	dr_buf_puts(h->b, "<section id=\"strategies\"><h2>Strategies <span class=\"src modeled\">modeled</span></h2><figure>");
	compare_chart(h, r);
	dr_buf_puts(h->b, "<figcaption>\u2605 the recommended strategy: the cheapest that meets every objective.</figcaption>"
			  "</figure>\n");
	const res_result *first = r->n_variants ? r->variants[0].result : NULL;
	for (size_t k = 0; first && k < first->n_disasters; k++) {
		dr_buf_puts(h->b, "<figure>");
		compare_cdf_chart(h, r, first->disasters[k].kind);
		dr_buf_puts(h->b, "</figure>\n");
	}
	dr_buf_puts(h->b, "<table><thead><tr><th>strategy</th><th>disaster</th><th>RPO</th><th>RTO</th><th>P(meet RTO)</th>"
			  "<th>cost/month</th><th>verdict</th></tr></thead><tbody>");
	for (size_t i = 0; i < r->n_variants; i++) {
		const res_result *v = r->variants[i].result;
		for (size_t k = 0; k < v->n_disasters; k++) {
			const res_disaster *d = &v->disasters[k];
			char pn[16], rpo[32], rto[32], pm[16], money[32];
			rpt_pname(d, pn);
			rpt_dur(rpt_at_percentile(d, &d->rpo_s, &d->rpo_cdf), rpo);
			rpt_dur(rpt_at_percentile(d, &d->rto_s, &d->rto_cdf), rto);
			rpt_pct(d->p_meet_rto.p, pm);
			rpt_money(v->cost.per_month, money);
			dr_buf_puts(h->b, "<tr><td>");
			if (!k)
				esc(h, r->variants[i].strategy);
			dr_buf_puts(h->b, "</td><td>");
			esc(h, d->kind);
			dr_buf_printf(h->b, "</td><td class=\"num\">%s %s</td><td class=\"num\">%s %s</td><td class=\"num\">%s</td>"
					    "<td class=\"num\">",
				      pn, rpo, pn, rto, pm);
			if (!k) {
				esc(h, v->cost.currency ? v->cost.currency : "");
				dr_buf_printf(h->b, " %s", money);
			}
			dr_buf_printf(h->b, "</td><td class=\"%s\">%s</td></tr>", d->met ? "ok" : "bad", d->met ? "met" : "MISSED");
		}
	}
	dr_buf_puts(h->b, "</tbody></table></section>\n");
}

static void cost_findings(hx *h, const res_result *r)
{
	const res_cost *c = &r->cost;
	if (c->n_items || c->currency) {
		char money[32];
		rpt_money(c->per_month, money);
		dr_buf_puts(h->b, "<section id=\"cost\"><h2>Cost <span class=\"src modeled\">modeled</span></h2><table>"
				  "<thead><tr><th>item</th><th>per month</th></tr></thead><tbody>");
		for (size_t i = 0; i < c->n_items; i++) {
			char m[32];
			rpt_money(c->items[i].per_month, m);
			dr_buf_puts(h->b, "<tr><td>");
			esc(h, c->items[i].item);
			dr_buf_printf(h->b, "</td><td class=\"num\">%s</td></tr>", m);
		}
		dr_buf_puts(h->b, "<tr><th>total</th><th class=\"num\">");
		esc(h, c->currency ? c->currency : "");
		dr_buf_printf(h->b, " %s</th></tr></tbody></table></section>\n", money);
	}
	dr_buf_puts(h->b, "<section id=\"findings\"><h2>Findings</h2>");
	if (!r->n_findings)
		dr_buf_puts(h->b, "<p>None.</p>");
	else
		dr_buf_puts(h->b, "<table><thead><tr><th>severity</th><th>id</th><th>finding</th></tr></thead><tbody>");
	for (size_t i = 0; i < r->n_findings; i++) {
		const res_finding *f = &r->findings[i];
		bool high = f->severity && (strcmp(f->severity, "high") == 0 || strcmp(f->severity, "critical") == 0);
		dr_buf_printf(h->b, "<tr><td class=\"%s\">", high ? "bad" : "");
		esc(h, f->severity);
		dr_buf_puts(h->b, "</td><td>");
		esc(h, f->id);
		dr_buf_puts(h->b, "</td><td>");
		esc(h, f->message);
		dr_buf_puts(h->b, "</td></tr>");
	}
	dr_buf_puts(h->b, r->n_findings ? "</tbody></table></section>\n" : "</section>\n");
}

static dr_err render_html(const res_result *r, dr_buf *out, bool color)
{
	hx h = {.b = out};
	dr_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			 "<meta name=\"generator\" content=\"drsim ");
	esc(&h, r->tool_version);
	dr_buf_puts(out, "\">\n<title>drsim ");
	dr_buf_puts(out, res_mode_names[r->mode]);
	dr_buf_puts(out, " report: ");
	esc(&h, r->scenario_name);
	dr_buf_printf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", css);
	header(&h, r);
	if (r->n_disasters)
		objectives(&h, r);
	if (r->measured)
		measured(&h, r->measured);
	for (size_t i = 0; i < r->n_disasters; i++)
		disaster(&h, r, &r->disasters[i]);
	if (r->n_variants)
		variants(&h, r);
	cost_findings(&h, r);
	dr_buf_puts(out, "<footer>Generated by drsim ");
	esc(&h, r->tool_version);
	dr_buf_puts(out, " from result schema version ");
	dr_buf_printf(out, "%d, run ", r->schema_version);
	esc(&h, r->run_id);
	dr_buf_puts(out, ". Charts are drawn from distribution summaries.</footer>\n</main>\n</body>\n</html>\n");
	return DR_OK;
}

const rpt_format rpt_html_format = {
	.name = "html",
	.extension = "html",
	.summary = "one self-contained HTML file with inline SVG charts",
	.render = render_html,
};
