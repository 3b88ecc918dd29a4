/*
 * result.h - the one result type shared by every executor (simulate,
 * compare, drill) and read by every renderer.  JSON is its canonical form:
 * res_to_json() and res_from_json() are exact inverses (JSON -> result ->
 * JSON is byte-identical with res_dump()).  schema/result.schema.json
 * documents it; RES_SCHEMA_VERSION changes when the shape does.
 *
 * Honesty rule: every figure says where it came from (res_source).
 * Times are seconds; wall-clock instants are epoch seconds (CLOCK_REALTIME).
 * Strings are owned by the result and freed by res_free().
 * Reproducibility: when SOURCE_DATE_EPOCH is set, executors use it for
 * started_at/finished_at and "reproducible" for host, so the same seed gives
 * byte-identical JSON.
 */
#ifndef DR_RESULT_H
#define DR_RESULT_H

#include <jansson.h>

#include "dr.h"

#define RES_SCHEMA_VERSION 1

typedef enum { RES_MEASURED, RES_MODELED, RES_DECLARED, RES__NSOURCE } res_source;
extern const char *const res_source_names[RES__NSOURCE]; /* "measured", "modeled", "declared" */

typedef enum { RES_MODE_SIMULATE, RES_MODE_COMPARE, RES_MODE_DRILL, RES__NMODE } res_mode;
extern const char *const res_mode_names[RES__NMODE]; /* "simulate", "compare", "drill" */

/* Distribution summary in seconds.  n = number of values summarised. */
typedef struct {
	uint64_t n;
	double mean, p50, p90, p95, p99, max;
} res_summary;

/* A proportion with its 95 % Wilson score interval. */
typedef struct {
	double p, lo, hi;
	uint64_t successes, trials;
} res_prob;

/* A CDF drawn from a histogram for charts: x[i] seconds, p[i] in [0,1]. */
typedef struct {
	size_t n;
	double *x, *p;
} res_cdf;

typedef struct {
	char *name;
	res_source source;   /* how the step duration was obtained */
	res_summary modeled; /* the model's prediction (n = 0 when unknown) */
	double measured_s;   /* drills: timed; < 0 when not run */
	double start_s;      /* drills: offset from the event; sims: mean start */
	double share;        /* waterfall: mean share of RTO, 0..1 */
	bool flagged;        /* measured outside the model's [p5, p95]*/
	char *detail;        /* what was done (driver/op), may be NULL */
	char *error;         /* failure message, NULL when ok */
} res_step;

typedef struct {
	int tier;
	uint64_t databases;
	res_summary t50_s, t100_s; /* time from event until 50 % / 100 % back */
} res_fleet_tier;

typedef struct {
	double downtime_s_per_year;
	double data_loss_s_per_year;
	double availability;       /* 1 - downtime share */
	double p_breach_per_year;  /* P(at least one objective breach in a year) */
	double events_per_year;
} res_annual;

typedef struct {
	char *kind;                  /* disaster kind name */
	double rpo_target_s, rto_target_s, percentile;
	char *objectives_source;     /* "scenario" or "scenario: disaster override" */
	res_summary rpo_s, rto_s;    /* over recoverable trials */
	res_cdf rpo_cdf, rto_cdf;
	res_prob p_meet_rpo, p_meet_rto;
	bool met_rpo, met_rto, met;
	uint64_t unrecoverable;      /* trials with no surviving recovery point */
	char *unrecoverable_reason;  /* most common reason, NULL if none */
	res_step *steps;
	size_t n_steps;
	res_fleet_tier *fleet;       /* per tier, plus tier 0 = all */
	size_t n_fleet;
	res_cdf fleet_cdf;           /* share of databases restored vs time */
	res_annual annual;
	res_source source;           /* modeled for sims, measured for drills */
} res_disaster;

/* Drill measurements (mode == drill). */
typedef struct {
	double rpo_s, rto_s;
	uint64_t acked_writes_lost;
	uint64_t acked_writes;        /* total acknowledged before the event */
	double canary_interval_s;     /* the RPO resolution */
	char *clock;                  /* e.g. "CLOCK_REALTIME (wall) + CLOCK_MONOTONIC (durations)" */
	double event_at;              /* epoch seconds of the disaster injection */
	double recovered_at;          /* epoch seconds of the first good canary read-back */
	double technical_rto_s;       /* measured part of the RTO */
	double modeled_rto_s;         /* manual/modeled parts added (declared) */
	char *driver, *driver_version, *server_version;
	bool data_verified;
	char *verification;           /* what was checked */
	bool cleanup_ok;
	char *journal;                /* path of the journal */
} res_measured;

typedef struct {
	char *item;
	double per_month;
} res_cost_item;

typedef struct {
	char *currency;
	double per_month;
	res_cost_item *items;
	size_t n_items;
} res_cost;

typedef struct {
	char *id, *severity, *message;
} res_finding;

typedef struct res_result res_result;

/* One strategy's outcome in a compare. */
typedef struct {
	char *strategy;
	res_result *result; /* owned */
} res_variant;

struct res_result {
	int schema_version;
	res_mode mode;
	char *tool_version;
	char *run_id;
	char *scenario_name, *scenario_file, *scenario_sha256;
	char *strategy;
	uint64_t seed, trials;
	double horizon_s;            /* simulated span per trial (sims) */
	char *started_at, *finished_at; /* ISO 8601 UTC */
	char *host;
	res_disaster *disasters;
	size_t n_disasters;
	res_cost cost;
	res_finding *findings;
	size_t n_findings;
	res_measured *measured;      /* drills only, else NULL */
	res_variant *variants;       /* compare only */
	size_t n_variants;
	char *recommended;           /* compare: cheapest strategy meeting objectives */
	bool met;                    /* every objective met */
};

res_result *res_new(res_mode mode);
void res_free(res_result *r);
/* New reference to the canonical JSON tree. */
json_t *res_to_json(const res_result *r);
/* Parse a canonical JSON tree; NULL and a message in err on failure. */
res_result *res_from_json(const json_t *j, char *err, size_t errlen);
/* Canonical text: sorted keys? no - fixed key order, 2-space indent, "\n" at
 * end.  Caller frees. */
char *res_dump(const res_result *r);
/* Load a result file. */
res_result *res_load(const char *path, char *err, size_t errlen);
/* Write atomically. */
dr_err res_save(const res_result *r, const char *path) DR_WUR;

/* Helpers for executors. */
res_disaster *res_add_disaster(res_result *r);
res_step *res_add_step(res_disaster *d);
void res_add_finding(res_result *r, const char *id, const char *severity, const char *msg);
void res_cost_add(res_cost *c, const char *item, double per_month);
/* Wilson score interval at 95 %. */
res_prob res_wilson(uint64_t successes, uint64_t trials);

#endif
