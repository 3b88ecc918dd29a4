/*
 * cmd_validate.c - "drsim validate FILE...": load every scenario and print
 * every problem as FILE:LINE:COL: error: message.  Exit 0 when all are
 * valid, 2 otherwise.
 */
#include <stdio.h>

#include "cli.h"
#include "scenario.h"

static bool quiet;

static const dr_opt validate_opts[] = {
	{"quiet", 'q', DR_OPT_FLAG, &quiet, NULL, "print only problems"},
	{0},
};

static int run_validate(int argc, char **argv);

const dr_command cmd_validate_def = {
	.name = "validate",
	.fn = run_validate,
	.synopsis = "FILE...",
	.summary = "check scenario files and report every error with its position",
	.help = "Every problem is printed as FILE:LINE:COL: error: message. Exit 0 when\n"
		"every file is valid, 2 otherwise.",
	.opts = validate_opts,
};

static int run_validate(int argc, char **argv)
{
	dr_strlist files = {0};
	quiet = false;
	int rc = dr_opts_parse(&cmd_validate_def, argc, argv, &files);
	if (rc != 0) {
		dr_strlist_release(&files);
		return rc > 0 ? DR_EXIT_OK : DR_EXIT_USAGE;
	}
	if (files.n == 0) {
		dr_strlist_release(&files);
		dr_error("'validate' needs at least one scenario file");
		return DR_EXIT_USAGE;
	}
	int exit_code = DR_EXIT_OK;
	for (size_t i = 0; i < files.n; i++) {
		dr_diags diags = {0};
		scenario *s = NULL;
		dr_err err = scn_load(files.v[i], &s, &diags);
		dr_diags_print(&diags, stderr);
		if (err != DR_OK) {
			exit_code = DR_EXIT_USAGE;
		} else if (!quiet) {
			printf("%s: ok: \"%s\", %s, %zu database%s, %zu disaster kind%s\n", files.v[i], s->name,
			       scn_strategy_names[s->strategy], scn_total_databases(s),
			       scn_total_databases(s) == 1 ? "" : "s", s->n_disasters, s->n_disasters == 1 ? "" : "s");
		}
		scn_free(s);
		dr_diags_release(&diags);
	}
	dr_strlist_release(&files);
	return exit_code;
}
