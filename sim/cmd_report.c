/*
 * cmd_report.c - "drsim report RESULT.json": render a saved result in one
 * or more formats, and optionally write an evidence bundle for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "evidence.h"
#include "report.h"

static dr_strlist formats;
static const char *out_dir, *name, *evidence_dir, *scenario, *journal, *key;

static const dr_opt opts[] = {
	{"format", 'f', DR_OPT_LIST, &formats, "LIST", "text, json, md, html, junit, prom (comma list; default text)"},
	{"output", 'o', DR_OPT_STRING, &out_dir, "DIR", "write DIR/NAME.<ext> for each format (needed for several)"},
	{"name", 0, DR_OPT_STRING, &name, "NAME", "file name without extension (default: the result's, or 'report')"},
	{"evidence", 0, DR_OPT_STRING, &evidence_dir, "DIR", "also write a signed evidence bundle to DIR"},
	{"scenario", 0, DR_OPT_STRING, &scenario, "FILE", "scenario for the bundle (default: the result's scenario file)"},
	{"journal", 0, DR_OPT_STRING, &journal, "FILE", "drill journal for the bundle"},
	{"key", 0, DR_OPT_STRING, &key, "FILE", "Ed25519 private key (PEM) to sign with (default $DRSIM_SIGNING_KEY)"},
	{0},
};

/* "runs/r1.json" -> "r1"; caller frees. */
static char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *b = slash ? slash + 1 : path;
	size_t n = strlen(b);
	if (n > 5 && strcmp(b + n - 5, ".json") == 0)
		n -= 5;
	return n ? dr_strndup(b, n) : dr_strdup("report");
}

static int report_main(int argc, char **argv);

const dr_command cmd_report_def = {
	.name = "report",
	.fn = report_main,
	.synopsis = "RESULT.json",
	.summary = "render a result as text, JSON, Markdown, HTML, JUnit or Prometheus",
	.help = "Reads a result written by simulate, compare or drill (schema/result.schema.json) and\n"
		"renders it; several formats need -o DIR.  Exit status: 0 when every objective is\n"
		"met, 1 when one is missed, 2 for bad input, 3 when a file cannot be written.",
	.opts = opts,
};

static int report_main(int argc, char **argv)
{
	dr_strlist args = {0};
	int rc = DR_EXIT_USAGE;
	res_result *r = NULL;
	char *base = NULL;
	memset(&formats, 0, sizeof formats);
	out_dir = name = evidence_dir = scenario = journal = key = NULL;
	int p = dr_opts_parse(&cmd_report_def, argc, argv, &args);
	if (p != 0) {
		rc = p > 0 ? DR_EXIT_OK : DR_EXIT_USAGE;
		goto done;
	}
	if (args.n != 1) {
		dr_error("'report' needs exactly one result file (see 'drsim report --help')");
		goto done;
	}
	char err[512];
	r = res_load(args.v[0], err, sizeof err);
	if (!r) {
		dr_error("%s", err);
		goto done;
	}
	if (formats.n == 0)
		dr_strlist_add(&formats, "text");
	base = name ? dr_strdup(name) : base_name(args.v[0]);
	dr_err e = rpt_write(r, (const char *const *)formats.v, formats.n, out_dir, base);
	if (e == DR_OK && evidence_dir)
		e = rpt_evidence_write(evidence_dir, scenario, r, journal, key);
	if (e != DR_OK)
		rc = (e == DR_USAGE || e == DR_PARSE || e == DR_NOTFOUND) ? DR_EXIT_USAGE : DR_EXIT_RUNTIME;
	else
		rc = r->met ? DR_EXIT_OK : DR_EXIT_MISSED;
done:
	free(base);
	res_free(r);
	dr_strlist_release(&formats);
	dr_strlist_release(&args);
	return rc;
}
