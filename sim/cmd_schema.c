/*
 * cmd_schema.c - "drsim schema": print the JSON Schema of the scenario
 * language (generated from the loader's tables) for editors and CI.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "scenario.h"

static int run_schema(int argc, char **argv);

const dr_command cmd_schema_def = {
	.name = "schema",
	.fn = run_schema,
	.synopsis = "",
	.summary = "print the JSON Schema (draft 2020-12) of the scenario language",
	.help = "Point a YAML language server at it, e.g. with a first line\n"
		"  # yaml-language-server: $schema=./drsim-scenario.schema.json",
	.opts = NULL,
};

static int run_schema(int argc, char **argv)
{
	dr_strlist args = {0};
	int rc = dr_opts_parse(&cmd_schema_def, argc, argv, &args);
	size_t extra = args.n;
	dr_strlist_release(&args);
	if (rc != 0)
		return rc > 0 ? DR_EXIT_OK : DR_EXIT_USAGE;
	if (extra) {
		dr_error("'schema' takes no arguments");
		return DR_EXIT_USAGE;
	}
	json_t *j = scn_json_schema();
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	puts(s);
	free(s);
	return DR_EXIT_OK;
}
