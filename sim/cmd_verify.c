/*
 * cmd_verify.c - "drsim verify DIR": check an evidence bundle's signature
 * and every file's SHA-256 against its manifest; name the first problem.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "evidence.h"

static const char *pubkey;

static const dr_opt opts[] = {
	{"pubkey", 0, DR_OPT_STRING, &pubkey, "FILE",
	 "Ed25519 public key (PEM) to trust (default: the bundle's own signing-key.pub.pem)"},
	{0},
};

static int verify_main(int argc, char **argv);

const dr_command cmd_verify_def = {
	.name = "verify",
	.fn = verify_main,
	.synopsis = "DIR",
	.summary = "check an evidence bundle's signature and hashes",
	.help = "Checks the Ed25519 signature over manifest.sha256, then the SHA-256 of every\n"
		"listed file, then that no file is missing or unlisted.  Without --pubkey the\n"
		"bundle's own public key is used, which proves integrity but not origin: pin the\n"
		"key you expect with --pubkey.  Exit status: 0 valid, 1 a problem found, 2 bad usage.",
	.opts = opts,
};

static int verify_main(int argc, char **argv)
{
	dr_strlist args = {0};
	int rc = DR_EXIT_USAGE;
	pubkey = NULL;
	int p = dr_opts_parse(&cmd_verify_def, argc, argv, &args);
	if (p != 0) {
		rc = p > 0 ? DR_EXIT_OK : DR_EXIT_USAGE;
		goto done;
	}
	if (args.n != 1) {
		dr_error("'verify' needs exactly one bundle directory (see 'drsim verify --help')");
		goto done;
	}
	char problem[512];
	dr_err e = rpt_evidence_verify(args.v[0], pubkey, problem, sizeof problem);
	if (e == DR_OK) {
		printf("%s: ok: %s%s\n", args.v[0], problem, pubkey ? "" : " (bundle's own key; pin one with --pubkey)");
		rc = DR_EXIT_OK;
	} else {
		dr_error("%s: %s", args.v[0], problem);
		rc = e == DR_VERIFY ? DR_EXIT_MISSED : DR_EXIT_USAGE;
	}
done:
	dr_strlist_release(&args);
	return rc;
}
