/*
 * cmd_plan.c - "drsim plan FILE [--disaster KIND]": the drill's dry run.
 * Prints the exact ordered actions a drill would take, each with its
 * modeled duration, touching nothing (no server needed).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "drill.h"

static const char *disaster;

static const dr_opt plan_opts[] = {
	{"disaster", 'd', DR_OPT_STRING, &disaster, "KIND", "the runbook to plan (default: the first)"},
	{0},
};

static int run_plan(int argc, char **argv);

const dr_command cmd_plan_def = {
	.name = "plan",
	.fn = run_plan,
	.synopsis = "FILE",
	.summary = "print what a drill would do, step by step, without doing it",
	.help = "Set-up, canary, injection, each runbook step's commands, SQL and resources\n"
		"created and removed (from the drivers' descriptions), clean-up, each with its\n"
		"modeled duration (p50/p95).  Nothing is created, started or contacted.",
	.opts = plan_opts,
};

static int run_plan(int argc, char **argv)
{
	dr_strlist args = {0};
	disaster = NULL;
	int rc = dr_opts_parse(&cmd_plan_def, argc, argv, &args);
	if (rc != 0 || args.n != 1) {
		if (rc == 0)
			dr_error("'plan' needs one scenario file");
		dr_strlist_release(&args);
		return rc > 0 ? DR_EXIT_OK : DR_EXIT_USAGE;
	}
	dr_diags diags = {0};
	scenario *s = NULL;
	int exit_code = DR_EXIT_OK;
	dr_err err = scn_load(args.v[0], &s, &diags);
	dr_diags_print(&diags, stderr);
	if (err != DR_OK) {
		exit_code = DR_EXIT_USAGE;
		goto done;
	}
	dr_buf out = {0};
	err = sim_plan(s, disaster, &out);
	if (err == DR_OK)
		fputs(out.s ? out.s : "", stdout);
	else
		exit_code = (err == DR_USAGE || err == DR_PARSE) ? DR_EXIT_USAGE : DR_EXIT_RUNTIME;
	dr_buf_release(&out);
done:
	scn_free(s);
	dr_diags_release(&diags);
	dr_strlist_release(&args);
	return exit_code;
}
