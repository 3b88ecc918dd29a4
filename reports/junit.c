/*
 * junit.c - JUnit XML for CI: one test suite per result (per strategy for a
 * compare), one test case per objective and disaster kind.  A failure says
 * whether the figure was measured or modeled and what it was against the
 * target.  Provenance goes into <properties>.
 */
#include "rpt_common.h"

#include <stdio.h>
#include <stdlib.h>

static void attr(dr_buf *b, const char *name, const char *value)
{
	dr_buf_printf(b, " %s=\"", name);
	rpt_esc_xml(b, value ? value : "");
	dr_buf_puts(b, "\"");
}

static void testcase(dr_buf *b, const res_result *r, const res_disaster *d, bool rto)
{
	char pn[16], v[32], tg[32], pm[16];
	rpt_pname(d, pn);
	rpt_dur(rto ? rpt_at_percentile(d, &d->rto_s, &d->rto_cdf) : rpt_at_percentile(d, &d->rpo_s, &d->rpo_cdf), v);
	rpt_dur(rto ? d->rto_target_s : d->rpo_target_s, tg);
	rpt_pct(rto ? d->p_meet_rto.p : d->p_meet_rpo.p, pm);
	const char *metric = rto ? "RTO" : "RPO";
	bool met = rto ? d->met_rto : d->met_rpo;
	char *name = dr_asprintf("%s %s %s <= %s", d->kind, metric, pn, tg);
	char *cls = dr_asprintf("drsim.%s.%s", r->strategy ? r->strategy : res_mode_names[r->mode], d->kind);
	dr_buf_puts(b, "    <testcase");
	attr(b, "classname", cls);
	attr(b, "name", name);
	dr_buf_puts(b, " time=\"0\"");
	if (met) {
		dr_buf_puts(b, ">\n      <system-out>");
		char *msg = dr_asprintf("%s %s %s %s, target %s, P(meet) %s", res_source_names[d->source], metric, pn, v, tg, pm);
		rpt_esc_xml(b, msg);
		free(msg);
		dr_buf_puts(b, "</system-out>\n    </testcase>\n");
	} else {
		char *msg = dr_asprintf("%s %s %s %s exceeds the target %s (P(meet) %s)", res_source_names[d->source],
					metric, pn, v, tg, pm);
		dr_buf_puts(b, ">\n      <failure type=\"objective-missed\"");
		attr(b, "message", msg);
		dr_buf_puts(b, ">");
		rpt_esc_xml(b, msg);
		dr_buf_puts(b, "</failure>\n    </testcase>\n");
		free(msg);
	}
	free(name);
	free(cls);
}

static void suite(dr_buf *b, const res_result *r, const char *name)
{
	size_t total, missed;
	rpt_objective_counts(r, &total, &missed);
	dr_buf_puts(b, "  <testsuite");
	attr(b, "name", name);
	dr_buf_printf(b, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\"", total, missed);
	attr(b, "timestamp", r->started_at);
	attr(b, "hostname", r->host);
	dr_buf_puts(b, ">\n    <properties>\n");
	rpt_provenance p;
	rpt_provenance_init(&p, r);
	for (size_t i = 0; i < p.n; i++) {
		dr_buf_puts(b, "      <property");
		attr(b, "name", p.v[i].label);
		attr(b, "value", p.v[i].value);
		dr_buf_puts(b, "/>\n");
	}
	rpt_provenance_release(&p);
	dr_buf_puts(b, "    </properties>\n");
	for (size_t i = 0; i < r->n_disasters; i++) {
		testcase(b, r, &r->disasters[i], false);
		testcase(b, r, &r->disasters[i], true);
	}
	dr_buf_puts(b, "  </testsuite>\n");
}

static dr_err render_junit(const res_result *r, dr_buf *out, bool color)
{
	size_t total, missed;
	rpt_objective_counts(r, &total, &missed);
	for (size_t i = 0; i < r->n_variants; i++) {
		size_t t, m;
		rpt_objective_counts(r->variants[i].result, &t, &m);
		total += t;
		missed += m;
	}
	dr_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
	attr(out, "name", "drsim");
	dr_buf_printf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", total, missed);
	char *name = dr_asprintf("%s (%s)", r->scenario_name ? r->scenario_name : "scenario", res_mode_names[r->mode]);
	if (r->n_disasters || !r->n_variants)
		suite(out, r, name);
	for (size_t i = 0; i < r->n_variants; i++) {
		char *vn = dr_asprintf("%s [%s]", name, r->variants[i].strategy);
		suite(out, r->variants[i].result, vn);
		free(vn);
	}
	free(name);
	dr_buf_puts(out, "</testsuites>\n");
	return DR_OK;
}

const rpt_format rpt_junit_format = {
	.name = "junit",
	.extension = "junit.xml",
	.summary = "JUnit XML: one test case per objective and disaster kind",
	.render = render_junit,
};
