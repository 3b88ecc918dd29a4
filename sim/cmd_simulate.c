/*
 * cmd_simulate.c - "drsim simulate FILE": Monte Carlo RPO/RTO of the
 * scenario's disasters, written in the chosen formats.  With --shard i/n
 * it runs one part of the trials and writes a shard (accumulators) for
 * "drsim merge".  Also the output and option helpers that compare and
 * merge share (sim_cli_*).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "evidence.h"
#include "report.h"
#include "simulate.h"
#include "units.h"

static sim_cli cli;
static const char *opt_shard;

static const dr_opt simulate_opts[] = {
	{"disaster", 'd', DR_OPT_STRING, &cli.disaster, "KIND", "simulate only this disaster kind"},
	{"trials", 'n', DR_OPT_U64, &cli.trials, "N", "trials per disaster kind (default 10000)"},
	{"seed", 's', DR_OPT_U64, &cli.seed, "S", "random seed (default 1); same seed, same result"},
	{"threads", 't', DR_OPT_INT, &cli.threads, "T", "worker threads (default: online CPUs)"},
	{"horizon", 0, DR_OPT_STRING, &cli.horizon, "DURATION", "span the event time is drawn over (default 1y)"},
	{"shard", 0, DR_OPT_STRING, &opt_shard, "I/N", "run part I of N (0-based) and write a shard for 'drsim merge'"},
	{"format", 'f', DR_OPT_LIST, &cli.formats, "LIST", "output formats, e.g. text,json (default text)"},
	{"output", 'o', DR_OPT_STRING, &cli.out, "PATH", "directory for the reports (a file for a shard)"},
	SIM_CLI_EVIDENCE_OPTS(cli),
	{0},
};

static int run_simulate(int argc, char **argv);

const dr_command cmd_simulate_def = {
	.name = "simulate",
	.fn = run_simulate,
	.synopsis = "FILE",
	.summary = "Monte Carlo RPO/RTO distributions, odds of meeting the objectives, cost",
	.help = "Each trial draws the event time over the horizon, what the disaster hits,\n"
		"what survives and every step's duration, and runs the runbook as events\n"
		"over shared resources.  The result for a seed is identical for any thread\n"
		"count and any sharding.  Exit 0 when every objective is met at its\n"
		"percentile, 1 when one is missed.",
	.opts = simulate_opts,
};

void sim_cli_init(sim_cli *c)
{
	dr_strlist_release(&c->formats);
	memset(c, 0, sizeof(*c));
	c->trials = SIM_DEFAULT_TRIALS;
	c->seed = SIM_DEFAULT_SEED;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	c->threads = cpus > 0 ? (int)cpus : 1;
}

int sim_cli_opts(const sim_cli *c, sim_opts *o)
{
	sim_opts_init(o);
	o->trials = c->trials;
	o->seed = c->seed;
	o->threads = c->threads;
	o->progress = dr_color_stderr();
	if (c->disaster) {
		o->disaster = scn_disaster_kind_parse(c->disaster);
		if (o->disaster < 0)
			return dr_error("unknown disaster kind '%s'", c->disaster);
	}
	if (c->horizon) {
		dr_qty q;
		const char *why = NULL;
		if (dr_qty_parse(c->horizon, &q, &why) != DR_OK || !dr_dim_eq(q.dim, DR_DIM_TIME) || !(q.v > 0))
			return dr_error("invalid horizon '%s': want a positive duration such as 1y", c->horizon);
		o->horizon_s = q.v;
	}
	if (o->trials == 0 || o->trials > SIM_MAX_TRIALS)
		return dr_error("'--trials' must be between 1 and 2^48");
	if (o->threads < 1 || o->threads > 1024)
		return dr_error("'--threads' must be between 1 and 1024");
	return 0;
}

int sim_cli_load(const char *path, scenario **s)
{
	dr_diags diags = {0};
	dr_err err = scn_load(path, s, &diags);
	dr_diags_print(&diags, stderr);
	dr_diags_release(&diags);
	return err == DR_OK ? 0 : -1;
}

int sim_cli_emit(const res_result *r, const dr_strlist *formats, const char *out, const char *basename)
{
	static const char *const text[] = {"text"};
	const char *const *f = formats->n ? (const char *const *)formats->v : text;
	size_t n = formats->n ? formats->n : 1;
	if (out && dr_mkdirs(out, 0755) != DR_OK) {
		dr_error("cannot create '%s'", out);
		return DR_EXIT_RUNTIME;
	}
	dr_err err = rpt_write(r, f, n, out, basename);
	if (err == DR_USAGE)
		return DR_EXIT_USAGE;
	if (err != DR_OK)
		return DR_EXIT_RUNTIME;
	return r->met ? DR_EXIT_OK : DR_EXIT_MISSED;
}

int sim_cli_output(const sim_cli *c, const res_result *r, const char *basename)
{
	int rc = sim_cli_emit(r, &c->formats, c->out, basename);
	if (rc > DR_EXIT_MISSED || !c->evidence)
		return rc;
	dr_err err = rpt_evidence_write(c->evidence, NULL, r, NULL, c->key);
	if (err == DR_OK)
		return rc;
	return err == DR_NOTFOUND || err == DR_PARSE ? DR_EXIT_USAGE : DR_EXIT_RUNTIME;
}

static int parse_shard(const char *s, sim_opts *o)
{
	unsigned long long i, n;
	int used = 0;
	if (sscanf(s, "%llu/%llu%n", &i, &n, &used) != 2 || s[used] || n == 0 || i >= n)
		return dr_error("invalid shard '%s': want I/N with 0 <= I < N", s);
	o->shard_index = i;
	o->shard_count = n;
	return 0;
}

static int write_shard(const scenario *s, const sim_state *st, const char *out)
{
	json_t *j = sim_state_to_json(st, s);
	char *text = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(j);
	int rc = DR_EXIT_OK;
	if (out) {
		size_t len = strlen(text);
		text[len] = '\n';
		if (dr_write_atomic(out, text, len + 1) != DR_OK) {
			dr_error("cannot write '%s'", out);
			rc = DR_EXIT_RUNTIME;
		}
		text[len] = '\0';
	} else {
		puts(text);
	}
	free(text);
	return rc;
}

static int run_simulate(int argc, char **argv)
{
	dr_strlist args = {0};
	scenario *s = NULL;
	sim_opts o;
	int rc;
	sim_cli_init(&cli);
	opt_shard = NULL;
	rc = dr_opts_parse(&cmd_simulate_def, argc, argv, &args);
	if (rc != 0) {
		rc = rc > 0 ? DR_EXIT_OK : DR_EXIT_USAGE;
		goto done;
	}
	rc = DR_EXIT_USAGE;
	if (args.n != 1) {
		dr_error("'simulate' needs exactly one scenario file");
		goto done;
	}
	if (sim_cli_opts(&cli, &o) != 0 || (opt_shard && parse_shard(opt_shard, &o) != 0))
		goto done;
	if (sim_cli_load(args.v[0], &s) != 0)
		goto done;
	sim_state *st;
	dr_err err = sim_run_state(s, &o, &st);
	if (err != DR_OK) {
		rc = err == DR_NOTFOUND || err == DR_USAGE ? DR_EXIT_USAGE : DR_EXIT_RUNTIME;
		goto done;
	}
	if (opt_shard && cli.evidence) {
		dr_error("a shard has no evidence bundle: use --evidence with 'drsim merge'");
		rc = DR_EXIT_USAGE;
	} else if (opt_shard) {
		rc = write_shard(s, st, cli.out);
	} else {
		res_result *r = sim_result(s, st);
		rc = sim_cli_output(&cli, r, "simulate");
		res_free(r);
	}
	sim_state_free(st);
done:
	scn_free(s);
	dr_strlist_release(&args);
	dr_strlist_release(&cli.formats);
	return rc;
}
