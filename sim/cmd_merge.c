/*
 * cmd_merge.c - "drsim merge SHARD.json...": combine the shards of one run
 * (drsim simulate --shard i/n) into exactly the result the unsharded run
 * gives.  Every shard 0..n-1 must be present once; all must come from the
 * same scenario bytes, seed, trials, horizon and disaster selection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "simulate.h"

static sim_cli cli;
static const char *opt_scenario;

static const dr_opt merge_opts[] = {
	{"scenario", 0, DR_OPT_STRING, &opt_scenario, "FILE", "scenario file (default: the one the shards name)"},
	{"format", 'f', DR_OPT_LIST, &cli.formats, "LIST", "output formats, e.g. text,json (default text)"},
	{"output", 'o', DR_OPT_STRING, &cli.out, "PATH", "directory for the reports"},
	SIM_CLI_EVIDENCE_OPTS(cli),
	{0},
};

static int run_merge(int argc, char **argv);

const dr_command cmd_merge_def = {
	.name = "merge",
	.fn = run_merge,
	.synopsis = "SHARD.json...",
	.summary = "merge the shards of a simulation into its result",
	.help = "The merged result is byte-identical to the unsharded run with the same\n"
		"seed.  The scenario file is read again and must have the same SHA-256.",
	.opts = merge_opts,
};

typedef struct {
	json_t *json;
	sim_state *st;
	const char *file, *sha;
} shard;

static int read_shard(const char *path, shard *sh)
{
	json_error_t je;
	char err[256];
	sh->json = json_load_file(path, 0, &je);
	if (!sh->json)
		return dr_error("cannot read shard '%s': %s (line %d)", path, je.text, je.line);
	if (sim_state_from_json(sh->json, &sh->st, &sh->file, &sh->sha, err, sizeof err) != DR_OK)
		return dr_error("shard '%s': %s", path, err);
	return 0;
}

/* Merge shards[1..] into shards[0]; every index exactly once. */
static int combine(shard *sh, size_t n, char **paths, const scenario *s)
{
	char err[256];
	uint64_t count = sh[0].st->opts.shard_count;
	bool *seen = dr_calloc(count, sizeof(bool));
	int rc = -1;
	for (size_t i = 0; i < n; i++) {
		const sim_opts *o = &sh[i].st->opts;
		if (!sh[i].sha || !s->sha256 || strcmp(sh[i].sha, s->sha256) != 0) {
			dr_error("shard '%s' was run on other scenario bytes than '%s'", paths[i], s->file);
			goto out;
		}
		if (o->shard_count != count || seen[o->shard_index]) {
			dr_error("shard '%s' (%llu/%llu) repeats or does not belong to a %llu-way run", paths[i],
				 (unsigned long long)o->shard_index, (unsigned long long)o->shard_count,
				 (unsigned long long)count);
			goto out;
		}
		seen[o->shard_index] = true;
		if (sim_state_bind(sh[i].st, s, sh[i].json, err, sizeof err) != DR_OK) {
			dr_error("shard '%s': %s", paths[i], err);
			goto out;
		}
		if (i > 0 && sim_state_merge(sh[0].st, sh[i].st) != DR_OK)
			goto out;
	}
	for (uint64_t i = 0; i < count; i++)
		if (!seen[i]) {
			dr_error("shard %llu/%llu is missing", (unsigned long long)i, (unsigned long long)count);
			goto out;
		}
	sh[0].st->opts.shard_index = 0;
	sh[0].st->opts.shard_count = 1;
	rc = 0;
out:
	free(seen);
	return rc;
}

static int run_merge(int argc, char **argv)
{
	dr_strlist args = {0};
	scenario *s = NULL;
	shard *sh = NULL;
	int rc;
	sim_cli_init(&cli);
	opt_scenario = NULL;
	rc = dr_opts_parse(&cmd_merge_def, argc, argv, &args);
	if (rc != 0) {
		rc = rc > 0 ? DR_EXIT_OK : DR_EXIT_USAGE;
		goto done;
	}
	rc = DR_EXIT_USAGE;
	if (args.n == 0) {
		dr_error("'merge' needs the shard files");
		goto done;
	}
	sh = dr_calloc(args.n, sizeof(*sh));
	for (size_t i = 0; i < args.n; i++)
		if (read_shard(args.v[i], &sh[i]) != 0)
			goto done;
	if (sim_cli_load(opt_scenario ? opt_scenario : sh[0].file, &s) != 0 ||
	    combine(sh, args.n, args.v, s) != 0)
		goto done;
	res_result *r = sim_result(s, sh[0].st);
	rc = sim_cli_output(&cli, r, "simulate");
	res_free(r);
done:
	for (size_t i = 0; sh && i < args.n; i++) {
		sim_state_free(sh[i].st);
		json_decref(sh[i].json);
	}
	free(sh);
	scn_free(s);
	dr_strlist_release(&args);
	dr_strlist_release(&cli.formats);
	return rc;
}
