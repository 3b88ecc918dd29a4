/*
 * canary.h - the drill's measuring instrument: a libpq writer thread that
 * inserts (seq, run, acked_at) rows into drsim_canary at a fixed interval and
 * records when each insert was acknowledged, on drsim's own clock
 * (CLOCK_MONOTONIC, with the CLOCK_REALTIME offset taken at start).
 *
 * After recovery: measured RPO = event time - ack time of the newest seq
 * (among those acked before the event) still present; acknowledged writes
 * lost = seqs acked before the event that are missing; RTO ends at the first
 * successful write + read-back on the recovered endpoint.
 */
#ifndef DR_CANARY_H
#define DR_CANARY_H

#include "dr.h"

typedef struct drv_canary drv_canary;

/* What the canary measured (drv_canary_measure). */
typedef struct {
	uint64_t acked;           /* writes acknowledged before the event */
	uint64_t acked_lost;      /* of those, missing after recovery */
	uint64_t newest_seq;      /* newest pre-event seq present, 0 if none */
	double rpo_s;             /* event - ack time of newest_seq (>= 0) */
	double interval_s;        /* the RPO resolution */
	uint64_t attempts, errors;/* writes tried / failed over the whole run */
} drv_canary_stats;

/* Start the writer for run on conninfo (borrowed until the call returns)
 * every interval_s; creates the table when missing.  Returns once the first
 * write was acknowledged (warm-up) or timeout_s passed (DR_TIMEOUT), or
 * DR_DRIVER when the server refuses.  Messages never contain the password. */
dr_err drv_canary_start(const char *conninfo, const char *run, double interval_s, double timeout_s,
			drv_canary **out) DR_WUR;
/* Point the writer at a new endpoint (the recovered one); later first
 * successes count for it.  Returns the endpoint's generation number. */
unsigned drv_canary_retarget(drv_canary *cn, const char *conninfo);
/* Wait until a write + read-back succeeded on generation gen at or after
 * not_before_mono, or until deadline_mono.  *at_mono gets the moment.
 * DR_TIMEOUT when it did not happen. */
dr_err drv_canary_wait_success(drv_canary *cn, unsigned gen, double not_before_mono,
			       double deadline_mono, double *at_mono) DR_WUR;
/* Block until at least n writes were acknowledged or deadline_mono. */
dr_err drv_canary_wait_acked(drv_canary *cn, uint64_t n, double deadline_mono) DR_WUR;
/* Stop the writer thread (idempotent). */
void drv_canary_stop(drv_canary *cn);
/* Read back the run's rows on the current endpoint and compute the stats
 * against event_mono (CLOCK_MONOTONIC of the event).  The writer must be
 * stopped.  DR_DRIVER when the endpoint cannot be queried. */
dr_err drv_canary_measure(drv_canary *cn, double event_mono, drv_canary_stats *st) DR_WUR;
/* Writes acknowledged so far. */
uint64_t drv_canary_acked(drv_canary *cn);
void drv_canary_free(drv_canary *cn);

#endif
