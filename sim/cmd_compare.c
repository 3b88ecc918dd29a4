/*
 * cmd_compare.c - "drsim compare FILE": the same estate under each of the
 * four strategies side by side (RPO/RTO percentiles, P(meet), cost per
 * month), naming the cheapest strategy that meets every objective.  The
 * scenario's own set-up is used for the strategy it declares, the built-in
 * templates of strategies.c for the others.  Exit 0 when some strategy
 * meets every objective, 1 when none does.
 */
#include <stdio.h>

#include "cli.h"
#include "simulate.h"

static sim_cli cli;

static const dr_opt compare_opts[] = {
	{"disaster", 'd', DR_OPT_STRING, &cli.disaster, "KIND", "compare on this disaster kind only"},
	{"trials", 'n', DR_OPT_U64, &cli.trials, "N", "trials per disaster kind and strategy (default 10000)"},
	{"seed", 's', DR_OPT_U64, &cli.seed, "S", "random seed (default 1)"},
	{"threads", 't', DR_OPT_INT, &cli.threads, "T", "worker threads (default: online CPUs)"},
	{"horizon", 0, DR_OPT_STRING, &cli.horizon, "DURATION", "span the event time is drawn over (default 1y)"},
	{"format", 'f', DR_OPT_LIST, &cli.formats, "LIST", "output formats, e.g. text,json (default text)"},
	{"output", 'o', DR_OPT_STRING, &cli.out, "PATH", "directory for the reports"},
	SIM_CLI_EVIDENCE_OPTS(cli),
	{0},
};

static int run_compare(int argc, char **argv);

const dr_command cmd_compare_def = {
	.name = "compare",
	.fn = run_compare,
	.synopsis = "FILE",
	.summary = "the four DR strategies side by side, and the cheapest that meets the objectives",
	.help = "Every strategy is simulated with the same seed on the same estate: the\n"
		"scenario's own protection and runbooks for its strategy, built-in\n"
		"templates (see 'drsim compare' in the README) for the other three.",
	.opts = compare_opts,
};

static int run_compare(int argc, char **argv)
{
	dr_strlist args = {0};
	scenario *s = NULL;
	sim_opts o;
	int rc;
	sim_cli_init(&cli);
	rc = dr_opts_parse(&cmd_compare_def, argc, argv, &args);
	if (rc != 0) {
		rc = rc > 0 ? DR_EXIT_OK : DR_EXIT_USAGE;
		goto done;
	}
	rc = DR_EXIT_USAGE;
	if (args.n != 1) {
		dr_error("'compare' needs exactly one scenario file");
		goto done;
	}
	if (sim_cli_opts(&cli, &o) != 0 || sim_cli_load(args.v[0], &s) != 0)
		goto done;
	res_result *r = NULL;
	dr_err err = sim_compare(s, &o, &r);
	if (err != DR_OK) {
		rc = err == DR_NOTFOUND || err == DR_USAGE ? DR_EXIT_USAGE : DR_EXIT_RUNTIME;
		goto done;
	}
	rc = sim_cli_output(&cli, r, "compare");
	res_free(r);
done:
	scn_free(s);
	dr_strlist_release(&args);
	dr_strlist_release(&cli.formats);
	return rc;
}
