/*
 * history.c - RPO/RTO trend across past results (see history.h).  Runs are
 * flattened to points (scenario, disaster, time, RPO, RTO, targets, source)
 * and grouped; charts put runs at even spacing in time order, labelled with
 * their dates.
 */
#include "history.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

typedef struct {
	const char *scenario, *kind, *when, *mode, *strategy;
	double rpo, rto, rpo_target, rto_target, percentile;
	bool met_rpo, met_rto;
	res_source source;
} hpoint;

static int cmp_point(const void *a, const void *b)
{
	const hpoint *x = a, *y = b;
	int c = strcmp(x->scenario, y->scenario);
	if (!c)
		c = strcmp(x->kind, y->kind);
	if (!c)
		c = strcmp(x->when, y->when);
	return c;
}

static void add_points(const res_result *r, const char *strategy, hpoint **v, size_t *n, size_t *cap)
{
	for (size_t i = 0; i < r->n_disasters; i++) {
		const res_disaster *d = &r->disasters[i];
		DR_GROW(*v, *n, *cap);
		hpoint *p = &(*v)[(*n)++];
		p->scenario = r->scenario_name ? r->scenario_name : "(unnamed)";
		p->kind = d->kind ? d->kind : "(unnamed)";
		p->when = r->started_at ? r->started_at : "";
		p->mode = res_mode_names[r->mode];
		p->strategy = strategy ? strategy : (r->strategy ? r->strategy : "");
		p->rpo = rpt_at_percentile(d, &d->rpo_s, &d->rpo_cdf);
		p->rto = rpt_at_percentile(d, &d->rto_s, &d->rto_cdf);
		p->rpo_target = d->rpo_target_s;
		p->rto_target = d->rto_target_s;
		p->percentile = d->percentile;
		p->met_rpo = d->met_rpo;
		p->met_rto = d->met_rto;
		p->source = d->source;
	}
}

static bool same_group(const hpoint *a, const hpoint *b)
{
	return strcmp(a->scenario, b->scenario) == 0 && strcmp(a->kind, b->kind) == 0;
}

static void trend(dr_buf *b, double now, double before)
{
	if (!isfinite(now) || !isfinite(before) || before <= 0)
		dr_buf_printf(b, "%-8s", "");
	else
		dr_buf_printf(b, "%+6.0f%% ", (now / before - 1) * 100);
}

static void text_group(dr_buf *b, const hpoint *p, size_t n, bool color)
{
	dr_buf_printf(b, "%s%s: %s%s (%zu run%s)\n", color ? "\033[1m" : "", p->scenario, p->kind, color ? "\033[0m" : "", n,
		      n == 1 ? "" : "s");
	char rt[32], tt[32];
	rpt_dur(p->rpo_target, rt);
	rpt_dur(p->rto_target, tt);
	dr_buf_printf(b, "  %-25s %-9s %-18s %-10s %-8s %-10s %-8s %s   (targets: RPO %s, RTO %s at p%g)\n", "started", "mode",
		      "strategy", "RPO", "trend", "RTO", "trend", "verdict", rt, tt, p->percentile);
	for (size_t i = 0; i < n; i++) {
		char a[32], c[32];
		rpt_dur(p[i].rpo, a);
		rpt_dur(p[i].rto, c);
		bool met = p[i].met_rpo && p[i].met_rto;
		dr_buf_printf(b, "  %-25s %-9s %-18s %-10s ", p[i].when, p[i].mode, p[i].strategy, a);
		trend(b, p[i].rpo, i ? p[i - 1].rpo : NAN);
		dr_buf_printf(b, "%-10s ", c);
		trend(b, p[i].rto, i ? p[i - 1].rto : NAN);
		dr_buf_printf(b, "%s%s%s (%s)\n", color ? (met ? "\033[32m" : "\033[1;31m") : "", met ? "met" : "MISSED",
			      color ? "\033[0m" : "", res_source_names[p[i].source]);
	}
	dr_buf_puts(b, "\n");
}

/* One panel: metric over runs, with the objective as a dashed line. */
static void panel(dr_buf *b, const hpoint *p, size_t n, bool rto, double x_off)
{
	double ymax = 0;
	for (size_t i = 0; i < n; i++) {
		double v = rto ? p[i].rto : p[i].rpo, t = rto ? p[i].rto_target : p[i].rpo_target;
		ymax = fmax(ymax, fmax(isfinite(v) ? v : 0, isfinite(t) ? t * 1.15 : 0));
	}
	rpt_plot pl = {.b = b, .x = x_off + 60, .y = 40, .w = 420, .h = 180, .x0 = -0.5,
		       .x1 = (double)n - 0.5, .y0 = 0, .y1 = rpt_nice_max(ymax, RPT_AXIS_TIME)};
	rpt_svg_text(b, pl.x + pl.w / 2, 32, "middle", "title", rto ? "RTO" : "RPO");
	rpt_svg_axes(&pl, RPT_AXIS_NONE, RPT_AXIS_TIME, NULL, NULL);
	size_t every = n > 8 ? (n + 7) / 8 : 1;
	dr_buf_printf(b, "<polyline class=\"%s\" points=\"", rto ? "cdf-rto" : "cdf-rpo");
	for (size_t i = 0; i < n; i++) {
		double v = rto ? p[i].rto : p[i].rpo;
		if (isfinite(v))
			dr_buf_printf(b, "%.1f,%.1f ", rpt_px(&pl, (double)i), rpt_py(&pl, v));
	}
	dr_buf_puts(b, "\"/>\n");
	for (size_t i = 0; i < n; i++) {
		double v = rto ? p[i].rto : p[i].rpo;
		bool met = rto ? p[i].met_rto : p[i].met_rpo;
		if (isfinite(v)) {
			char lab[32];
			rpt_dur(v, lab);
			dr_buf_printf(b, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>%.10s %s</title></circle>",
				      met ? "pt-ok" : "pt-bad", rpt_px(&pl, (double)i), rpt_py(&pl, v), p[i].when, lab);
		}
		if (i % every == 0) {
			char date[11];
			snprintf(date, sizeof date, "%.10s", p[i].when);
			rpt_svg_text(b, rpt_px(&pl, (double)i), pl.y + pl.h + 14, "middle", "tick", date);
		}
	}
	double t = rto ? p[n - 1].rto_target : p[n - 1].rpo_target;
	if (isfinite(t)) {
		char tg[32];
		rpt_dur(t, tg);
		rpt_svg_hline(&pl, t, "target");
		char *lab = dr_asprintf("target %s", tg);
		rpt_svg_text(b, pl.x + pl.w - 4, rpt_py(&pl, t) - 4, "end", "target", lab);
		free(lab);
	}
}

static void html_group(dr_buf *b, const hpoint *p, size_t n, int id)
{
	char *title = dr_asprintf("%s: %s - RPO and RTO over %zu run%s", p->scenario, p->kind, n, n == 1 ? "" : "s");
	dr_buf desc = {0};
	dr_buf_printf(&desc, "Trend of RPO and RTO at p%g per run, against the objective. ", p->percentile);
	for (size_t i = 0; i < n; i++) {
		char a[32], c[32];
		rpt_dur(p[i].rpo, a);
		rpt_dur(p[i].rto, c);
		dr_buf_printf(&desc, "%.10s: RPO %s, RTO %s (%s); ", p[i].when, a, c, res_source_names[p[i].source]);
	}
	char sid[32];
	snprintf(sid, sizeof sid, "history-%d", id);
	dr_buf_puts(b, "<section><h2>");
	rpt_esc_xml(b, p->scenario);
	dr_buf_puts(b, ": ");
	rpt_esc_xml(b, p->kind);
	dr_buf_puts(b, "</h2>");
	rpt_svg_open(b, sid, 1000, 250, title, desc.s);
	panel(b, p, n, false, 0);
	panel(b, p, n, true, 500);
	rpt_svg_close(b);
	dr_buf_puts(b, "</section>\n");
	dr_buf_release(&desc);
	free(title);
}

static const char history_css[] =
	"body{margin:0;font:15px/1.45 system-ui,sans-serif;color:#1d2430;background:#f4f6f9}"
	"main{max-width:1060px;margin:0 auto;padding:24px 28px;background:#fff}h1{font-size:1.5rem}"
	"h2{font-size:1.1rem;border-bottom:2px solid #d5dbe3;padding-bottom:4px;margin-top:28px}"
	"svg.chart{width:100%;height:auto;display:block;border:1px solid #d5dbe3;border-radius:6px}"
	"svg text{font:11px system-ui,sans-serif;fill:#1d2430}svg text.tick{fill:#5b6678}"
	"svg text.title{font-size:13px;font-weight:600}svg .frame{fill:none;stroke:#9aa5b4}"
	"svg .grid{stroke:#eceff3}svg .cdf-rpo,svg .cdf-rto{fill:none;stroke-width:2}"
	"svg .cdf-rpo{stroke:#7b3fbf}svg .cdf-rto{stroke:#1f6fb2}svg circle.pt-ok{fill:#1b7f3b}"
	"svg circle.pt-bad{fill:#c62828}svg line.target{stroke:#c62828;stroke-dasharray:6 4;stroke-width:1.5}"
	"svg text.target{fill:#c62828}@media print{body{background:#fff}section{break-inside:avoid}}";

void rpt_history(const res_result *const *runs, size_t n, dr_buf *text, bool color, dr_buf *html)
{
	hpoint *v = NULL;
	size_t np = 0, cap = 0;
	for (size_t i = 0; i < n; i++) {
		add_points(runs[i], NULL, &v, &np, &cap);
		for (size_t k = 0; k < runs[i]->n_variants; k++)
			add_points(runs[i]->variants[k].result, runs[i]->variants[k].strategy, &v, &np, &cap);
	}
	if (np)
		qsort(v, np, sizeof *v, cmp_point);
	if (html)
		dr_buf_printf(html, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
				    "<title>drsim history: %zu results</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n"
				    "<h1>RPO and RTO over time</h1><p>%zu results. Green points met the objective, red "
				    "missed it; the dashed line is the objective.</p>\n",
			      n, history_css, n);
	int id = 0;
	for (size_t i = 0; i < np;) {
		size_t k = i + 1;
		while (k < np && same_group(&v[i], &v[k]))
			k++;
		text_group(text, &v[i], k - i, color);
		if (html)
			html_group(html, &v[i], k - i, ++id);
		i = k;
	}
	if (!np)
		dr_buf_puts(text, "no results with disasters found\n");
	if (html)
		dr_buf_puts(html, "</main>\n</body>\n</html>\n");
	free(v);
}
