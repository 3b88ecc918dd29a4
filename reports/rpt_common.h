/*
 * rpt_common.h - what the renderers share and nobody else needs: the
 * renderer definitions the registry lists, number and duration formatting,
 * escaping for HTML/XML, the objective figure of a disaster and the
 * provenance every report carries.  Internal to reports/.
 */
#ifndef DR_RPT_COMMON_H
#define DR_RPT_COMMON_H

#include "report.h"

extern const rpt_format rpt_text_format, rpt_json_format, rpt_md_format, rpt_html_format,
	rpt_junit_format, rpt_prom_format;

/* "350ms", "41.2s", "12m 05s", "3h 05m", "2d 04h"; "n/a" when not finite. */
void rpt_dur(double s, char out[32]);
/* A drill's measurements as display text, shared by the renderers. */
typedef struct {
	char rpo[32], rto[32], tech[32], mod[32], res[32]; /* durations */
	char ev[32], rec[32];                             /* event and recovery instants */
} rpt_measured_text;
void rpt_measured_format(const res_measured *m, rpt_measured_text *t);
/* "96.1%" (more digits near 0 and 100 %); "n/a" when not finite. */
void rpt_pct(double p, char out[16]);
/* "1,520.40" with thousands separators and two decimals. */
void rpt_money(double v, char out[32]);
/* Append s with & < > " ' escaped (HTML text and attributes, XML). */
void rpt_esc_xml(dr_buf *b, const char *s);
/* Append s with | and newlines escaped for a Markdown table cell. */
void rpt_esc_md(dr_buf *b, const char *s);

/* The figure an objective is judged on: the summary's value at the
 * disaster's percentile (interpolated from the CDF for odd percentiles). */
double rpt_at_percentile(const res_disaster *d, const res_summary *s, const res_cdf *cdf);
/* "p95" for the disaster's percentile ("p99.9" when fractional). */
void rpt_pname(const res_disaster *d, char out[16]);
/* The step's duration to draw: measured when run, else the model's mean. */
double rpt_step_duration(const res_step *s);

/* One provenance line: label and value (value owned by the list). */
typedef struct {
	const char *label;
	char *value;
} rpt_kv;
typedef struct {
	rpt_kv v[16];
	size_t n;
} rpt_provenance;
/* Tool version, mode, scenario name/file/SHA-256, seed, trials, start,
 * end, host, run id, strategy: every report shows these. */
void rpt_provenance_init(rpt_provenance *p, const res_result *r);
void rpt_provenance_release(rpt_provenance *p);

/* Counts objectives (two per disaster, across variants for compare). */
void rpt_objective_counts(const res_result *r, size_t *total, size_t *missed);

#endif
