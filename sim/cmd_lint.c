/*
 * cmd_lint.c - "drsim lint FILE...": load each scenario and report posture
 * findings (sim/lint.h) as text or as one JSON array for CI.  Exit 1 when a
 * finding is an error, 2 when a file is invalid, 0 otherwise.  "--rules"
 * lists the rule table instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lint.h"

static const char *format;
static bool list_rules;

static const dr_opt lint_opts[] = {
	{"format", 'f', DR_OPT_STRING, &format, "FMT", "text (default) or json: an array of {id, severity, file, line, col, message, fix}"},
	{"rules", 0, DR_OPT_FLAG, &list_rules, NULL, "list the rules (id, severity, title, explanation, fix) and exit"},
	{0},
};

static int run_lint(int argc, char **argv);

const dr_command cmd_lint_def = {
	.name = "lint",
	.fn = run_lint,
	.synopsis = "FILE...",
	.summary = "check a scenario's DR posture against known pitfalls",
	.help = "Each finding has a rule id (DR001...), a severity (error, warning, info), the\n"
		"FILE:LINE:COL of the node responsible and a fix.  Exit 1 when a finding is an\n"
		"error, 2 when a file is invalid (see 'drsim validate'), 0 otherwise.\n"
		"'drsim lint --rules' lists every rule.",
	.opts = lint_opts,
};

static void print_rules(bool json)
{
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < scn_lint_n_rules; i++) {
			const scn_lint_rule *r = &scn_lint_rules[i];
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", r->id, "severity",
							     scn_lint_sev_names[r->sev], "title", r->title,
							     "explanation", r->explanation, "fix", r->fix));
		}
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(arr);
		return;
	}
	for (size_t i = 0; i < scn_lint_n_rules; i++) {
		const scn_lint_rule *r = &scn_lint_rules[i];
		printf("%s  %-7s  %s\n    %s\n    fix: %s\n", r->id, scn_lint_sev_names[r->sev], r->title,
		       r->explanation, r->fix);
	}
}

/* Lint one file into all (findings keep pointers into the scenario's file
 * name, so the scenarios live until the output is written). */
static bool lint_file(const char *path, scenario **kept, scn_lint_findings *all)
{
	dr_diags diags = {0};
	scenario *s = NULL;
	dr_err err = scn_load(path, &s, &diags);
	dr_diags_print(&diags, stderr);
	dr_diags_release(&diags);
	if (err != DR_OK)
		return false;
	scn_lint_run(s, all);
	*kept = s;
	return true;
}

static int run_lint(int argc, char **argv)
{
	dr_strlist files = {0};
	format = NULL;
	list_rules = false;
	int rc = dr_opts_parse(&cmd_lint_def, argc, argv, &files);
	if (rc != 0) {
		dr_strlist_release(&files);
		return rc > 0 ? DR_EXIT_OK : DR_EXIT_USAGE;
	}
	bool json = false;
	if (format && !(json = !strcmp(format, "json")) && strcmp(format, "text") != 0) {
		dr_strlist_release(&files);
		dr_error("unknown format \"%s\" for 'lint' (text or json)", format);
		return DR_EXIT_USAGE;
	}
	if (list_rules) {
		dr_strlist_release(&files);
		print_rules(json);
		return DR_EXIT_OK;
	}
	if (files.n == 0) {
		dr_strlist_release(&files);
		dr_error("'lint' needs at least one scenario file");
		return DR_EXIT_USAGE;
	}
	scenario **kept = dr_calloc(files.n, sizeof(*kept));
	scn_lint_findings all = {0};
	bool invalid = false;
	for (size_t i = 0; i < files.n; i++)
		invalid = !lint_file(files.v[i], &kept[i], &all) || invalid;
	if (json) {
		json_t *arr = scn_lint_json(&all);
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(arr);
	} else {
		scn_lint_print_text(&all, stdout);
		printf("%zu error%s, %zu warning%s, %zu info\n", scn_lint_count(&all, SCN_LINT_ERROR),
		       scn_lint_count(&all, SCN_LINT_ERROR) == 1 ? "" : "s", scn_lint_count(&all, SCN_LINT_WARNING),
		       scn_lint_count(&all, SCN_LINT_WARNING) == 1 ? "" : "s", scn_lint_count(&all, SCN_LINT_INFO));
	}
	int exit_code = invalid ? DR_EXIT_USAGE
			: scn_lint_count(&all, SCN_LINT_ERROR) > 0 ? DR_EXIT_MISSED
								   : DR_EXIT_OK;
	scn_lint_findings_release(&all);
	for (size_t i = 0; i < files.n; i++)
		scn_free(kept[i]);
	free(kept);
	dr_strlist_release(&files);
	return exit_code;
}
