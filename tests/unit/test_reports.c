/*
 * test_reports.c - the renderers: registry, provenance in every format,
 * HTML self-containment and chart accessibility, JUnit well-formedness and
 * verdicts, Prometheus line syntax, escaping, colours, rpt_write() into a
 * directory, size at scale, and the history trend.
 */
#include <libxml/parser.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixtures.h"
#include "history.h"
#include "rpt_common.h"
#include "testutil.h"

static res_result *(*const makers[])(void) = {fx_simulate, fx_compare, fx_drill};
#define N_MAKERS (sizeof makers / sizeof makers[0])

static char *render(const char *fmt, const res_result *r, bool color)
{
	const rpt_format *f = rpt_find(fmt);
	assert_non_null(f);
	dr_buf b = {0};
	assert_int_equal(f->render(r, &b, color), DR_OK);
	return dr_buf_take(&b);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_registry(void **state)
{
	size_t n;
	const rpt_format *const *all = rpt_all(&n);
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++) {
		assert_ptr_equal(rpt_find(all[i]->name), all[i]);
		assert_non_null(all[i]->extension);
		assert_non_null(all[i]->summary);
	}
	assert_null(rpt_find("pdf"));
}

/* Every format names the tool version, scenario, its SHA-256, seed,
 * trials, start and end, host, and where figures come from. */
static void test_provenance_everywhere(void **state)
{
	size_t n;
	const rpt_format *const *all = rpt_all(&n);
	for (size_t m = 0; m < N_MAKERS; m++) {
		res_result *r = makers[m]();
		for (size_t i = 0; i < n; i++) {
			char *out = render(all[i]->name, r, false);
			const char *must[] = {r->scenario_sha256, "0.1.0", r->started_at, r->finished_at, r->host,
					      r->run_id};
			for (size_t k = 0; k < sizeof must / sizeof must[0]; k++)
				if (!strstr(out, must[k]))
					fail_msg("format '%s' lacks '%s'", all[i]->name, must[k]);
			char seed[32];
			snprintf(seed, sizeof seed, "%llu", (unsigned long long)r->seed);
			assert_non_null(strstr(out, seed));
			if (strcmp(all[i]->name, "json") != 0 && r->n_disasters)
				assert_non_null(strstr(out, r->mode == RES_MODE_DRILL ? "measured" : "modeled"));
			free(out);
		}
		res_free(r);
	}
}

static void test_html(void **state)
{
	for (size_t m = 0; m < N_MAKERS; m++) {
		res_result *r = makers[m]();
		char *html = render("html", r, false);
		size_t svgs = count(html, "<svg ");
		assert_true(svgs >= 2);
		assert_int_equal(count(html, "role=\"img\""), svgs);
		assert_int_equal(count(html, "<desc id="), svgs);
		assert_int_equal(count(html, "aria-labelledby="), svgs);
		assert_non_null(strstr(html, "<title>drsim "));
		assert_non_null(strstr(html, "@media print"));
		assert_null(strstr(html, "<script"));
		assert_null(strstr(html, " src="));
		assert_null(strstr(html, "<link"));
		assert_null(strstr(html, "https://"));
		assert_int_equal(count(html, "http://"), count(html, "xmlns=\"http://www.w3.org/2000/svg\""));
		assert_int_equal(count(html, "<svg"), count(html, "</svg>"));
		free(html);
		res_free(r);
	}
	res_result *r = fx_simulate();
	char *html = render("html", r, false);
	assert_non_null(strstr(html, "&lt;b&gt;below&lt;/b&gt; 5m &amp; more"));
	assert_null(strstr(html, "<b>below"));
	assert_non_null(strstr(html, "id=\"cdf-rpo-"));
	assert_non_null(strstr(html, "id=\"cdf-rto-"));
	assert_non_null(strstr(html, "id=\"waterfall-"));
	assert_non_null(strstr(html, "id=\"fleet-"));
	free(html);
	res_free(r);
	r = fx_drill();
	html = render("html", r, false);
	assert_non_null(strstr(html, "id=\"timeline-"));
	assert_non_null(strstr(html, "outside model"));
	free(html);
	res_free(r);
	r = fx_compare();
	html = render("html", r, false);
	assert_non_null(strstr(html, "id=\"compare-"));
	assert_non_null(strstr(html, "2,708.65"));
	free(html);
	res_free(r);
}

static void test_junit(void **state)
{
	for (size_t m = 0; m < N_MAKERS; m++) {
		res_result *r = makers[m]();
		char *xml = render("junit", r, false);
		xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "junit.xml", NULL, XML_PARSE_NONET);
		if (!doc)
			fail_msg("junit output for fixture %zu is not well-formed XML", m);
		xmlFreeDoc(doc);
		size_t expect = 2 * r->n_disasters;
		for (size_t v = 0; v < r->n_variants; v++)
			expect += 2 * r->variants[v].result->n_disasters;
		assert_int_equal(count(xml, "<testcase "), expect);
		free(xml);
		res_free(r);
	}
	res_result *r = fx_simulate();
	char *xml = render("junit", r, false);
	size_t total, missed;
	rpt_objective_counts(r, &total, &missed);
	assert_true(missed > 0);
	assert_int_equal(count(xml, "<failure "), missed);
	assert_non_null(strstr(xml, "message=\"modeled RTO p95 "));
	assert_non_null(strstr(xml, "exceeds the target 1h"));
	free(xml);
	res_free(r);
}

static void test_prom(void **state)
{
	regex_t line_re;
	assert_int_equal(regcomp(&line_re,
				 "^[a-z_:][a-z0-9_:]*\\{([a-z_][a-z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*\\} (NaN|[+-]Inf|-?[0-9.e+-]+)$",
				 REG_EXTENDED | REG_NOSUB),
			 0);
	for (size_t m = 0; m < N_MAKERS; m++) {
		res_result *r = makers[m]();
		char *text = render("prom", r, false);
		char *save = NULL;
		size_t samples = 0;
		for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			if (line[0] == '#') {
				assert_true(strncmp(line, "# HELP ", 7) == 0 || strncmp(line, "# TYPE ", 7) == 0);
				continue;
			}
			if (regexec(&line_re, line, 0, NULL, 0) != 0)
				fail_msg("bad exposition line: %s", line);
			samples++;
		}
		assert_true(samples > 10);
		free(text);
		res_free(r);
	}
	regfree(&line_re);
	res_result *r = fx_simulate();
	char *text = render("prom", r, false);
	assert_non_null(strstr(text, "drsim_rto_seconds{scenario=\"payments - warm standby us-east-1 -> us-west-2\","
				     "strategy=\"warm-standby\",disaster=\"region-outage\",quantile=\"0.95\",source=\"modeled\"}"));
	assert_non_null(strstr(text, "drsim_rpo_seconds_count{"));
	assert_int_equal(count(text, "drsim_objective_met{"), 2 * r->n_disasters);
	assert_non_null(strstr(text, "objective=\"rto\",source=\"modeled\"} 0\n"));
	free(text);
	res_free(r);
}

static void test_md_and_text(void **state)
{
	res_result *r = fx_simulate();
	char *md = render("md", r, false);
	assert_non_null(strstr(md, "## Objectives"));
	assert_non_null(strstr(md, "| logical-corruption | RTO | p95 |"));
	assert_non_null(strstr(md, "**MISSED**"));
	assert_non_null(strstr(md, "### Runbook waterfall"));
	assert_non_null(strstr(md, "## Findings"));
	assert_non_null(strstr(md, "### Fleet"));
	free(md);
	char *plain = render("text", r, false), *color = render("text", r, true);
	assert_null(strchr(plain, '\033'));
	assert_non_null(strchr(color, '\033'));
	assert_non_null(strstr(plain, "Result: MISSED (2 of 6 objectives missed)"));
	free(plain);
	free(color);
	res_free(r);
	r = fx_drill();
	plain = render("text", r, false);
	assert_non_null(strstr(plain, "acked writes lost      0 of 1234 acknowledged"));
	assert_non_null(strstr(plain, "outside model"));
	free(plain);
	res_free(r);
}

static void test_write_dir(void **state)
{
	char dir[] = "/tmp/drsim-test-reports-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *out = dr_asprintf("%s/out", dir);
	res_result *r = fx_drill();
	const char *all[] = {"text", "json", "md", "html", "junit", "prom"};
	assert_int_equal(rpt_write(r, all, 6, out, "drill"), DR_OK);
	const char *exts[] = {"txt", "json", "md", "html", "junit.xml", "prom"};
	for (size_t i = 0; i < 6; i++) {
		char *p = dr_asprintf("%s/drill.%s", out, exts[i]);
		struct stat st;
		assert_int_equal(stat(p, &st), 0);
		assert_true(st.st_size > 100);
		unlink(p);
		free(p);
	}
	const char *bad[] = {"text", "htm"};
	assert_int_equal(rpt_write(r, bad, 2, out, "drill"), DR_USAGE);
	assert_int_equal(rpt_write(r, all, 2, NULL, "drill"), DR_USAGE);
	rmdir(out);
	rmdir(dir);
	free(out);
	res_free(r);
}

/* A million-trial result with huge CDFs renders from summaries: the HTML
 * stays small however many points the CDFs carry. */
static void test_scale(void **state)
{
	res_result *r = fx_simulate_sized(1000000, 200000, 1000);
	char *html = render("html", r, false);
	assert_true(strlen(html) < 2u * 1024 * 1024);
	res_result *small = fx_simulate_sized(1000000, 2000, 1000);
	char *html2 = render("html", small, false);
	assert_true(strlen(html) < strlen(html2) + 4096);
	free(html);
	free(html2);
	res_free(r);
	res_free(small);
}

static void test_history(void **state)
{
	res_result *a = fx_simulate(), *b = fx_simulate(), *c = fx_drill(), *d = fx_compare();
	free(b->started_at);
	b->started_at = dr_strdup("2026-04-15T10:00:00.000Z");
	b->disasters[0].rto_s.p95 *= 2;
	b->disasters[0].met_rto = false;
	const res_result *runs[] = {b, a, c, d};
	dr_buf text = {0}, html = {0};
	rpt_history(runs, 4, &text, false, &html);
	const char *first = strstr(text.s, "2026-01-15T10:00:00.000Z  simulate");
	const char *second = strstr(text.s, "2026-04-15T10:00:00.000Z  simulate");
	assert_non_null(first);
	assert_non_null(second);
	assert_true(first < second);
	assert_non_null(strstr(text.s, "+100% "));
	assert_non_null(strstr(text.s, "payments - pitr drill (postgres sandbox): logical-corruption [backup-and-restore] (1 run)"));
	assert_non_null(strstr(text.s, "backup-and-restore"));
	assert_int_equal(count(html.s, "<svg "), count(html.s, "role=\"img\""));
	assert_int_equal(count(html.s, "<svg "), 7);
	dr_buf_release(&text);
	dr_buf_release(&html);
	res_free(a);
	res_free(b);
	res_free(c);
	res_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),  cmocka_unit_test(test_provenance_everywhere),
		cmocka_unit_test(test_html),      cmocka_unit_test(test_junit),
		cmocka_unit_test(test_prom),      cmocka_unit_test(test_md_and_text),
		cmocka_unit_test(test_write_dir), cmocka_unit_test(test_scale),
		cmocka_unit_test(test_history),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
