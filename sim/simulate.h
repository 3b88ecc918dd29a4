/*
 * simulate.h - the Monte Carlo simulator: one disaster at a time, sampled
 * many times, each trial a small discrete-event run of the runbook over the
 * databases the disaster hits.
 *
 * Layers, bottom up:
 *   model.c       one trial: blast radius, recovery point per database from
 *                 what survives (periodic processes in closed form), the
 *                 pre-event snapshot-copy round through copy slots, the
 *                 runbook as events holding shared resources (sim_model,
 *                 sim_worker, sim_trial)
 *   montecarlo.c  trials over threads, mergeable accumulators (sim_acc),
 *                 shards and their JSON form, statistics into a res_result
 *   strategies.c  built-in protection/runbook templates for compare
 *   cost.c        cost per month of a protection set-up
 *
 * Reproducibility: trial i of disaster kind k draws from the stream
 * dr_rng_reseed(seed, (k << 48) | i) and from nothing else, and every sum in
 * an accumulator is an integer (fixed point, 1 ns), so merging is exact and
 * order-free: the result for a seed is byte-identical for any thread count
 * and for any sharding merged back with sim_acc_merge().
 */
#ifndef DR_SIMULATE_H
#define DR_SIMULATE_H

#include <gsl/gsl_rng.h>

#include "cli.h"
#include "engine.h"
#include "hist.h"
#include "result.h"
#include "scenario.h"

#define SIM_DEFAULT_TRIALS 10000
#define SIM_DEFAULT_SEED 1
#define SIM_MAX_TRIALS (UINT64_C(1) << 48)

typedef struct {
	uint64_t trials;      /* per disaster kind, whole run (all shards) */
	uint64_t seed;
	int threads;          /* >= 1 */
	uint64_t shard_index; /* 0-based; this run does trials of shard i ... */
	uint64_t shard_count; /* ... of n (1 = unsharded) */
	int disaster;         /* a scn_disaster_kind, or -1 for every kind */
	double horizon_s;     /* span the event time is drawn over */
	bool progress;        /* progress bar on stderr */
} sim_opts;

/* Defaults: 10000 trials, seed 1, 1 thread, unsharded, every kind, 1 year. */
void sim_opts_init(sim_opts *o);

/* Why a trial could not recover; the first is "recoverable". */
#define SIM_UNREC_REASONS(X)                                                        \
	X(NONE, "recoverable")                                                        \
	X(NO_SURVIVOR, "nothing outside the blast radius survives")                  \
	X(RETENTION, "backup retention shorter than the detection delay")            \
	X(REPLICAS_ONLY, "replicas copied the damage and no backup predates the event") \
	X(NO_RUNBOOK, "no runbook for this disaster kind")
typedef enum {
#define SIM_X_ENUM(name, msg) SIM_UNREC_##name,
	SIM_UNREC_REASONS(SIM_X_ENUM)
#undef SIM_X_ENUM
	SIM__NUNREC
} sim_unrec;
extern const char *const sim_unrec_names[SIM__NUNREC];

/* ---- one trial (model.c) ---- */

/* What a scenario and a disaster kind imply, prepared once: the fleet
 * expanded to one entry per database, the runbook, the resources. */
typedef struct sim_model sim_model;

/* Prepare the model of kind k in s (borrowed; must outlive the model).
 * Never fails for a loaded scenario: a kind without a runbook gives trials
 * that are unrecoverable with SIM_UNREC_NO_RUNBOOK. */
sim_model *sim_model_new(const scenario *s, scn_disaster_kind k, double horizon_s);
void sim_model_free(sim_model *m);
/* Accessors for reporting. */
size_t sim_model_n_steps(const sim_model *m);          /* detection + runbook steps */
const char *sim_model_step_name(const sim_model *m, size_t i);
/* The duration model of step i (the detection model for 0); may be NULL. */
const dr_expr *sim_model_step_model(const sim_model *m, size_t i);
/* The objectives in force for the model's kind. */
const scn_objectives *sim_model_objectives(const sim_model *m);
size_t sim_model_n_tiers(const sim_model *m);          /* index 0 = all databases */
int sim_model_tier(const sim_model *m, size_t i);       /* 0 for index 0 */
size_t sim_model_n_databases(const sim_model *m);

/* One trial's outcome; arrays are owned by the worker and valid until the
 * next sim_trial() on it. */
typedef struct {
	sim_unrec reason;
	double event_t;     /* event time within the horizon */
	double detect_s;
	double rpo_s;       /* worst over the databases hit */
	double rto_s;       /* event until the whole runbook is done */
	size_t n_hit;       /* databases hit */
	const double *restored_s;  /* [n_hit] event until each is back */
	const int *tier;           /* [n_hit] tier of each */
	const double *step_start;  /* [n_steps] critical path: start offset */
	const double *step_len;    /* [n_steps] critical path: length incl. waits */
	uint64_t events;           /* engine events processed */
} sim_outcome;

/* Per-thread scratch: engine, resources, RNG, buffers. */
typedef struct sim_worker sim_worker;
sim_worker *sim_worker_new(const sim_model *m);
void sim_worker_free(sim_worker *w);
/* Run trial `trial` of the model with the given seed. */
const sim_outcome *sim_trial(sim_worker *w, uint64_t seed, uint64_t trial);

/* ---- accumulators and the Monte Carlo driver (montecarlo.c) ---- */

/* Mergeable statistics of one disaster kind; memory flat in trials. */
typedef struct sim_acc sim_acc;
sim_acc *sim_acc_new(const sim_model *m);
void sim_acc_free(sim_acc *a);
void sim_acc_add(sim_acc *a, const sim_outcome *o);
/* dst += src (same model shape, else DR_RANGE). */
dr_err sim_acc_merge(sim_acc *dst, const sim_acc *src) DR_WUR;

/* The state of a run or shard: one accumulator per simulated kind. */
typedef struct {
	sim_opts opts;
	size_t n_kinds;
	scn_disaster_kind kinds[SCN__NDIS];
	sim_acc *acc[SCN__NDIS];
	uint64_t db_recoveries;  /* databases recovered over all trials */
	uint64_t events;         /* engine events over all trials */
} sim_state;

/*
 * Run the trials of opts' shard for every selected kind.  The kinds are the
 * scenario's disasters (or opts->disaster alone, DR_NOTFOUND with a message
 * if the scenario has no such disaster).  Caller frees with sim_state_free.
 */
dr_err sim_run_state(const scenario *s, const sim_opts *opts, sim_state **out) DR_WUR;
void sim_state_free(sim_state *st);
/* Merge a shard into st (same scenario, seed, trials, kinds; else
 * DR_RANGE with a message). */
dr_err sim_state_merge(sim_state *st, const sim_state *shard) DR_WUR;
/* Shard JSON (mode "shard"): options, scenario identity and accumulators
 * (histograms via hist_to_json).  New reference. */
json_t *sim_state_to_json(const sim_state *st, const scenario *s);
/* Read a shard in two steps: first its options and the scenario it names
 * (*scenario_file and *scenario_sha256 borrowed from j), giving a state
 * without accumulators; then, with that scenario loaded, sim_state_bind()
 * reads the accumulators.  DR_PARSE with a message in err on failure. */
dr_err sim_state_from_json(const json_t *j, sim_state **out, const char **scenario_file,
			   const char **scenario_sha256, char *err, size_t errlen) DR_WUR;
dr_err sim_state_bind(sim_state *st, const scenario *s, const json_t *j, char *err, size_t errlen) DR_WUR;

/* Statistics of a finished state into a new result (mode simulate). */
res_result *sim_result(const scenario *s, const sim_state *st);

/* sim_run_state + sim_result: the whole simulation of s. */
dr_err sim_run(const scenario *s, const sim_opts *opts, res_result **out) DR_WUR;

/* ---- strategies and compare (strategies.c) ---- */

/* A scenario rewritten for another strategy: borrows the estate from the
 * base and owns the protection, runbooks, sites and resources it built. */
typedef struct sim_variant sim_variant;
/* The base itself when st == base->strategy, else the built-in template
 * for st applied to the base's estate. */
sim_variant *sim_variant_new(const scenario *base, scn_strategy st);
const scenario *sim_variant_scenario(const sim_variant *v);
void sim_variant_free(sim_variant *v);

/* Simulate s under each of the four strategies (mode compare: one variant
 * per strategy, recommended = the cheapest that meets every objective). */
dr_err sim_compare(const scenario *s, const sim_opts *opts, res_result **out) DR_WUR;

/* ---- cost (cost.c) ---- */

/* Cost per month of s's protection and standby capacity into c (items
 * added; currency from the scenario, "USD" when unset). */
void sim_cost(const scenario *s, res_cost *c);

/* ---- command-line helpers shared by simulate, compare and merge
 * (cmd_simulate.c) ---- */

/* The raw option values a command's table fills. */
typedef struct {
	const char *disaster, *horizon, *out;
	const char *evidence, *key; /* --evidence DIR, --key FILE */
	uint64_t trials, seed;
	int threads;
	dr_strlist formats;
} sim_cli;
/* Defaults (threads = online CPUs); releases formats left from before. */
void sim_cli_init(sim_cli *c);
/* Check and convert into o; prints and returns -1 on a bad value. */
int sim_cli_opts(const sim_cli *c, sim_opts *o);
/* Load a scenario printing its diagnostics; -1 when it does not load. */
int sim_cli_load(const char *path, scenario **s);
/* Write r in formats (default text) to stdout or to directory out as
 * <basename>.<ext>; returns the exit code (0 met, 1 missed, 2, 3). */
int sim_cli_emit(const res_result *r, const dr_strlist *formats, const char *out, const char *basename);
/* sim_cli_emit with c's formats and output, then, with --evidence, the
 * signed evidence bundle; returns the exit code. */
int sim_cli_output(const sim_cli *c, const res_result *r, const char *basename);
/* The --evidence and --key option rows, for a command's table. */
#define SIM_CLI_EVIDENCE_OPTS(c)                                                                        \
	{"evidence", 0, DR_OPT_STRING, &(c).evidence, "DIR", "also write a signed evidence bundle to DIR"}, \
	{"key", 0, DR_OPT_STRING, &(c).key, "FILE", "Ed25519 private key to sign with (default $DRSIM_SIGNING_KEY)"}

#endif
