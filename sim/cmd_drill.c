/*
 * cmd_drill.c - "drsim drill FILE": run a runbook for real through the
 * drivers, measure RPO and RTO, clean up, and write the result.  Exit 0
 * objectives met, 1 missed, 2 bad input, 3 driver or runtime failure.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "drill.h"
#include "report.h"

static const char *disaster, *formats, *outdir, *journal;
static bool keep, interactive;

static const dr_opt drill_opts[] = {
	{"disaster", 'd', DR_OPT_STRING, &disaster, "KIND", "the runbook to drill (default: the first)"},
	{"keep", 0, DR_OPT_FLAG, &keep, NULL, "leave what the drill built (remove later with 'drsim cleanup')"},
	{"interactive", 'i', DR_OPT_FLAG, &interactive, NULL, "confirm manual steps on stdin and time them"},
	{"format", 'f', DR_OPT_STRING, &formats, "LIST", "output formats, comma-separated (default: text)"},
	{"output", 'o', DR_OPT_STRING, &outdir, "DIR", "write reports into DIR instead of stdout"},
	{"journal", 0, DR_OPT_STRING, &journal, "FILE", "journal path (default: $TMPDIR/drsim-RUN.journal)"},
	{0},
};

static int run_drill(int argc, char **argv);

const dr_command cmd_drill_def = {
	.name = "drill",
	.fn = run_drill,
	.synopsis = "FILE",
	.summary = "run a recovery drill for real and measure RPO and RTO",
	.help = "Preflight, set-up, canary, disaster injection, the runbook steps (each with a\n"
		"timeout), recovery check, measurement, data verification, clean-up and the\n"
		"result.  Progress goes to stderr.  Manual steps are confirmed on stdin with\n"
		"--interactive, else their modeled p50 is declared.  SIGINT and SIGTERM clean up.\n"
		"Exit 0 objectives met, 1 missed, 2 bad input, 3 driver or runtime failure.",
	.opts = drill_opts,
};

static int exit_for(dr_err err)
{
	switch (err) {
	case DR_USAGE:
	case DR_PARSE:
	case DR_UNIT:
	case DR_RANGE:
	case DR_UNSUPPORTED:
	case DR_GUARD:
		return DR_EXIT_USAGE;
	default:
		return DR_EXIT_RUNTIME;
	}
}

static int run_drill(int argc, char **argv)
{
	dr_strlist args = {0}, fmts = {0};
	disaster = formats = outdir = journal = NULL;
	keep = interactive = false;
	int rc = dr_opts_parse(&cmd_drill_def, argc, argv, &args);
	if (rc != 0 || args.n != 1) {
		if (rc == 0)
			dr_error("'drill' needs one scenario file");
		dr_strlist_release(&args);
		return rc > 0 ? DR_EXIT_OK : DR_EXIT_USAGE;
	}
	dr_split_commas(formats ? formats : "text", &fmts);
	for (size_t i = 0; i < fmts.n; i++)
		if (!rpt_find(fmts.v[i])) {
			dr_error("unknown format '%s'", fmts.v[i]);
			dr_strlist_release(&fmts);
			dr_strlist_release(&args);
			return DR_EXIT_USAGE;
		}
	dr_diags diags = {0};
	scenario *s = NULL;
	res_result *r = NULL;
	int exit_code;
	dr_err err = scn_load(args.v[0], &s, &diags);
	dr_diags_print(&diags, stderr);
	if (err != DR_OK) {
		exit_code = DR_EXIT_USAGE;
		goto done;
	}
	sim_drill_opts o = {.disaster = disaster, .keep = keep, .interactive = interactive,
			    .journal = journal, .progress = stderr, .in = stdin};
	err = sim_drill_run(s, &o, &r);
	exit_code = err != DR_OK ? exit_for(err) : r->met ? DR_EXIT_OK : DR_EXIT_MISSED;
	if (r && r->measured && err != DR_OK && exit_code == DR_EXIT_USAGE)
		exit_code = DR_EXIT_RUNTIME; /* failed after touching things */
	if (r) {
		dr_err werr = rpt_write(r, (const char *const *)fmts.v, fmts.n, outdir, "drill");
		if (werr != DR_OK && exit_code == DR_EXIT_OK)
			exit_code = DR_EXIT_RUNTIME;
	}
done:
	res_free(r);
	scn_free(s);
	dr_diags_release(&diags);
	dr_strlist_release(&fmts);
	dr_strlist_release(&args);
	return exit_code;
}
