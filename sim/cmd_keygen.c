/*
 * cmd_keygen.c - "drsim keygen": make an Ed25519 key pair for signing
 * evidence bundles (PREFIX.pem, private, mode 0600; PREFIX.pub.pem).
 */
#include <stdio.h>

#include "cli.h"
#include "evidence.h"

static const char *prefix;

static const dr_opt opts[] = {
	{"out", 'o', DR_OPT_STRING, &prefix, "PREFIX", "write PREFIX.pem and PREFIX.pub.pem (default drsim-signing)"},
	{0},
};

static int keygen_main(int argc, char **argv);

const dr_command cmd_keygen_def = {
	.name = "keygen",
	.fn = keygen_main,
	.synopsis = "",
	.summary = "make an Ed25519 key pair for signing evidence bundles",
	.help = "Sign bundles with --key PREFIX.pem (or DRSIM_SIGNING_KEY=PREFIX.pem) and verify\n"
		"them with 'drsim verify DIR --pubkey PREFIX.pub.pem'.",
	.opts = opts,
};

static int keygen_main(int argc, char **argv)
{
	dr_strlist args = {0};
	prefix = "drsim-signing";
	int p = dr_opts_parse(&cmd_keygen_def, argc, argv, &args);
	int rc = p > 0 ? DR_EXIT_OK : DR_EXIT_USAGE;
	if (p == 0 && args.n) {
		dr_error("'keygen' takes no arguments (use --out PREFIX)");
	} else if (p == 0) {
		rc = rpt_keygen(prefix) == DR_OK ? DR_EXIT_OK : DR_EXIT_RUNTIME;
		if (rc == DR_EXIT_OK)
			printf("wrote %s.pem (private, keep it secret) and %s.pub.pem\n", prefix, prefix);
	}
	dr_strlist_release(&args);
	return rc;
}
