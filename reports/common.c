/*
 * common.c - formatting and escaping helpers shared by the renderers, and
 * the provenance block every report carries (see rpt_common.h).
 */
#include "rpt_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rpt_dur(double s, char out[32])
{
	if (!isfinite(s)) {
		snprintf(out, 32, "n/a");
		return;
	}
	const char *sign = s < 0 ? "-" : "";
	s = fabs(s);
	if (s == 0)
		snprintf(out, 32, "0s");
	else if (s < 1)
		snprintf(out, 32, "%s%.3gms", sign, s * 1000);
	else if (s < 60)
		snprintf(out, 32, "%s%.3gs", sign, s);
	else if (s < 3600) {
		long t = lround(s);
		if (t % 60)
			snprintf(out, 32, "%s%ldm %02lds", sign, t / 60, t % 60);
		else
			snprintf(out, 32, "%s%ldm", sign, t / 60);
	} else if (s < 86400) {
		long t = lround(s / 60);
		if (t % 60)
			snprintf(out, 32, "%s%ldh %02ldm", sign, t / 60, t % 60);
		else
			snprintf(out, 32, "%s%ldh", sign, t / 60);
	} else {
		long t = lround(s / 3600);
		if (t % 24)
			snprintf(out, 32, "%s%ldd %02ldh", sign, t / 24, t % 24);
		else
			snprintf(out, 32, "%s%ldd", sign, t / 24);
	}
}

void rpt_pct(double p, char out[16])
{
	if (!isfinite(p))
		snprintf(out, 16, "n/a");
	else if (p >= 0.999 && p < 1)
		snprintf(out, 16, "%.3f%%", p * 100);
	else if (p > 0 && p < 0.001)
		snprintf(out, 16, "%.2g%%", p * 100);
	else
		snprintf(out, 16, "%.1f%%", p * 100);
}

void rpt_money(double v, char out[32])
{
	if (!isfinite(v)) {
		snprintf(out, 32, "n/a");
		return;
	}
	char digits[32];
	snprintf(digits, sizeof digits, "%.2f", fabs(v));
	size_t int_len = strcspn(digits, ".");
	size_t o = 0;
	if (v < 0)
		out[o++] = '-';
	for (size_t i = 0; i < int_len; i++) {
		if (i && (int_len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	snprintf(out + o, 32 - o, "%s", digits + int_len);
}

void rpt_esc_xml(dr_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			dr_buf_puts(b, "&amp;");
			break;
		case '<':
			dr_buf_puts(b, "&lt;");
			break;
		case '>':
			dr_buf_puts(b, "&gt;");
			break;
		case '"':
			dr_buf_puts(b, "&quot;");
			break;
		case '\'':
			dr_buf_puts(b, "&#39;");
			break;
		default:
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				dr_buf_puts(b, " "); /* not allowed in XML 1.0 */
			else
				dr_buf_add(b, s, 1);
		}
	}
}

void rpt_esc_md(dr_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			dr_buf_puts(b, "\\|");
		else if (*s == '\n')
			dr_buf_puts(b, " ");
		else if (*s == '<')
			dr_buf_puts(b, "&lt;");
		else
			dr_buf_add(b, s, 1);
	}
}

/* Linear interpolation of the CDF's x at probability q. */
static double cdf_quantile(const res_cdf *c, double q)
{
	if (c->n == 0)
		return NAN;
	if (q <= c->p[0])
		return c->x[0];
	for (size_t i = 1; i < c->n; i++) {
		if (c->p[i] >= q) {
			double dp = c->p[i] - c->p[i - 1];
			double f = dp > 0 ? (q - c->p[i - 1]) / dp : 1;
			return c->x[i - 1] + f * (c->x[i] - c->x[i - 1]);
		}
	}
	return c->x[c->n - 1];
}

double rpt_at_percentile(const res_disaster *d, const res_summary *s, const res_cdf *cdf)
{
	double q = d->percentile;
	if (q == 50)
		return s->p50;
	if (q == 90)
		return s->p90;
	if (q == 95 || !(q > 0))
		return s->p95;
	if (q == 99)
		return s->p99;
	if (q >= 100)
		return s->max;
	if (cdf && cdf->n > 1)
		return cdf_quantile(cdf, q / 100);
	return q < 90 ? s->p90 : q < 95 ? s->p95 : q < 99 ? s->p99 : s->max;
}

void rpt_pname(const res_disaster *d, char out[16])
{
	double q = d->percentile > 0 ? d->percentile : 95;
	snprintf(out, 16, "p%g", q);
}

double rpt_step_duration(const res_step *s)
{
	return s->measured_s >= 0 ? s->measured_s : s->modeled.mean;
}

static void kv(rpt_provenance *p, const char *label, char *value)
{
	p->v[p->n].label = label;
	p->v[p->n].value = value ? value : dr_strdup("n/a");
	p->n++;
}

void rpt_provenance_init(rpt_provenance *p, const res_result *r)
{
	memset(p, 0, sizeof(*p));
	kv(p, "tool", dr_asprintf("drsim %s", r->tool_version ? r->tool_version : "?"));
	kv(p, "mode", dr_strdup(res_mode_names[r->mode]));
	kv(p, "scenario", dr_strdup(r->scenario_name));
	kv(p, "scenario file", dr_strdup(r->scenario_file));
	kv(p, "scenario sha256", dr_strdup(r->scenario_sha256));
	kv(p, "strategy", dr_strdup(r->strategy));
	kv(p, "seed", dr_asprintf("%llu", (unsigned long long)r->seed));
	kv(p, "trials", dr_asprintf("%llu", (unsigned long long)r->trials));
	kv(p, "started", dr_strdup(r->started_at));
	kv(p, "finished", dr_strdup(r->finished_at));
	kv(p, "host", dr_strdup(r->host));
	kv(p, "run id", dr_strdup(r->run_id));
}

void rpt_provenance_release(rpt_provenance *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].value);
	p->n = 0;
}

void rpt_objective_counts(const res_result *r, size_t *total, size_t *missed)
{
	*total = *missed = 0;
	for (size_t i = 0; i < r->n_disasters; i++) {
		*total += 2;
		*missed += !r->disasters[i].met_rpo + !r->disasters[i].met_rto;
	}
}

void rpt_measured_format(const res_measured *m, rpt_measured_text *t)
{
	rpt_dur(m->rpo_s, t->rpo);
	rpt_dur(m->rto_s, t->rto);
	rpt_dur(m->technical_rto_s, t->tech);
	rpt_dur(m->modeled_rto_s, t->mod);
	rpt_dur(m->canary_interval_s, t->res);
	dr_iso8601(m->event_at, t->ev);
	dr_iso8601(m->recovered_at, t->rec);
}
