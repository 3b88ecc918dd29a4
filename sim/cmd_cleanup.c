/*
 * cmd_cleanup.c - "drsim cleanup JOURNAL": remove whatever a crashed or
 * killed drill left, replaying its journal backwards.  Only what the
 * journal and the run's tag both say is the drill's own is removed;
 * running it again finds nothing left (idempotent).
 */
#include <stdio.h>

#include "cli.h"
#include "drill.h"

static int run_cleanup(int argc, char **argv);

const dr_command cmd_cleanup_def = {
	.name = "cleanup",
	.fn = run_cleanup,
	.synopsis = "JOURNAL",
	.summary = "remove what a crashed drill left, from its journal",
	.help = "Processes (pid and start time checked), ports and directories of the run are\n"
		"removed newest first.  Exit 0 when nothing is left, 3 when something could\n"
		"not be removed or was refused as not the run's own.",
	.opts = NULL,
};

static int run_cleanup(int argc, char **argv)
{
	dr_strlist args = {0};
	int rc = dr_opts_parse(&cmd_cleanup_def, argc, argv, &args);
	if (rc != 0 || args.n != 1) {
		if (rc == 0)
			dr_error("'cleanup' needs one journal file");
		dr_strlist_release(&args);
		return rc > 0 ? DR_EXIT_OK : DR_EXIT_USAGE;
	}
	size_t left = 0;
	dr_err err = sim_cleanup_journal(args.v[0], &left, stderr);
	int exit_code = DR_EXIT_OK;
	if (err == DR_IO || err == DR_PARSE)
		exit_code = DR_EXIT_USAGE;
	else if (err != DR_OK || left > 0)
		exit_code = DR_EXIT_RUNTIME;
	else
		printf("%s: nothing of the run is left\n", args.v[0]);
	dr_strlist_release(&args);
	return exit_code;
}
