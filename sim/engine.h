/*
 * engine.h - the discrete-event core: a pending-event set ordered by time
 * (a 4-ary min-heap of (time, seq) so ties run in scheduling order, which
 * keeps runs deterministic), events as callbacks, and shared resources with
 * a capacity and a priority queue of waiters.
 *
 * One engine per thread; nothing here is thread-safe or allocates per event
 * once the heap has grown (events live in the heap array by value).
 * Typical use per trial: eng_reset(), schedule the disaster and periodic
 * processes that interact, eng_run(), read what the callbacks recorded.
 */
#ifndef DR_ENGINE_H
#define DR_ENGINE_H

#include "dr.h"

typedef struct eng eng;

/* An event callback: runs at e->now; ctx/arg are what was scheduled. */
typedef void (*eng_fn)(eng *e, void *ctx, uint64_t arg);

typedef struct {
	double t;
	uint64_t seq; /* tie-break: scheduling order */
	eng_fn fn;
	void *ctx;
	uint64_t arg;
} eng_event;

/* A shared resource (restore slots, copy slots, operators). */
typedef struct {
	const char *name; /* borrowed */
	int capacity;
	int in_use;
	/* waiters: min-heap on (priority, seq); lower priority value served first */
	struct eng_waiter *waiters;
	size_t n_waiters, cap_waiters;
	uint64_t seq;
	/* statistics over the run */
	double busy_area;  /* integral of in_use dt */
	double last_t;
	size_t max_queue;
} eng_resource;

struct eng_waiter {
	int priority;
	uint64_t seq;
	eng_fn fn; /* called (at grant time) when a unit is granted */
	void *ctx;
	uint64_t arg;
};

struct eng {
	double now;
	eng_event *heap;
	size_t n, cap;
	uint64_t seq;
	uint64_t processed; /* events run since reset */
	bool stopped;
};

void eng_init(eng *e);
void eng_release(eng *e);
/* Drop all pending events, set now = 0 and counters to 0; keeps memory. */
void eng_reset(eng *e);
/* Schedule fn(ctx, arg) at absolute time t (t >= now, else BUG). */
void eng_at(eng *e, double t, eng_fn fn, void *ctx, uint64_t arg);
/* Schedule after a delay >= 0. */
void eng_after(eng *e, double delay, eng_fn fn, void *ctx, uint64_t arg);
/* Run events in time order until none remain, eng_stop() is called, or
 * the next event is later than until (pass INFINITY for no limit). */
void eng_run(eng *e, double until);
void eng_stop(eng *e);
size_t eng_pending(const eng *e);

void eng_resource_init(eng_resource *r, const char *name, int capacity);
void eng_resource_release(eng_resource *r);
/* Reset to empty (no holders, no waiters, stats zeroed), keeping memory. */
void eng_resource_reset(eng_resource *r);
/* Ask for one unit: if free, fn runs now (synchronously, before return);
 * else the request waits, served by (priority, arrival). */
void eng_acquire(eng *e, eng_resource *r, int priority, eng_fn fn, void *ctx, uint64_t arg);
/* Give back one unit; the best waiter, if any, is granted it at now. */
void eng_release_unit(eng *e, eng_resource *r);
/* Mean utilisation over [0, now]. */
double eng_resource_utilisation(const eng_resource *r, double now);

#endif
