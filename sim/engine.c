/*
 * engine.c - the discrete-event core: the pending-event set (a 4-ary
 * min-heap of events by value, ordered by (t, seq)), the run loop, and
 * shared resources with a waiter heap on (priority, seq).  See engine.h.
 *
 * Heaps hold their elements by value and sift with a "hole" (the moving
 * element is written once, at its final slot), so once the arrays have grown
 * to the largest pending set nothing is allocated per event.  What runs in a
 * trial (disasters, copies, runbook steps) lives in the callers; this file
 * knows only time, order and capacity.
 */
#include "engine.h"

#include <math.h>
#include <stdlib.h>

#define ENG_ARITY 4

/* Strict "runs earlier": time first, then scheduling order. */
static inline bool ev_before(const eng_event *a, const eng_event *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void heap_push(eng *e, eng_event ev)
{
	DR_GROW(e->heap, e->n, e->cap);
	size_t hole = e->n++;
	while (hole > 0) {
		size_t parent = (hole - 1) / ENG_ARITY;
		if (!ev_before(&ev, &e->heap[parent]))
			break;
		e->heap[hole] = e->heap[parent];
		hole = parent;
	}
	e->heap[hole] = ev;
}

/* Remove and return the earliest event; the heap must not be empty. */
static eng_event heap_pop(eng *e)
{
	eng_event *h = e->heap;
	eng_event top = h[0];
	size_t n = --e->n;
	if (n == 0)
		return top;
	eng_event last = h[n];
	size_t hole = 0;
	for (;;) {
		size_t first = hole * ENG_ARITY + 1;
		if (first >= n)
			break;
		size_t best = first;
		size_t end = first + ENG_ARITY < n ? first + ENG_ARITY : n;
		for (size_t c = first + 1; c < end; c++)
			if (ev_before(&h[c], &h[best]))
				best = c;
		if (!ev_before(&h[best], &last))
			break;
		h[hole] = h[best];
		hole = best;
	}
	h[hole] = last;
	return top;
}

void eng_init(eng *e)
{
	*e = (eng){0};
}

void eng_release(eng *e)
{
	free(e->heap);
	*e = (eng){0};
}

void eng_reset(eng *e)
{
	e->now = 0;
	e->n = 0;
	e->seq = 0;
	e->processed = 0;
	e->stopped = false;
}

void eng_at(eng *e, double t, eng_fn fn, void *ctx, uint64_t arg)
{
	if (isnan(t) || t < e->now)
		DR_BUG("event scheduled at %g, before now (%g)", t, e->now);
	if (!fn)
		DR_BUG("event scheduled without a callback");
	heap_push(e, (eng_event){.t = t, .seq = e->seq++, .fn = fn, .ctx = ctx, .arg = arg});
}

void eng_after(eng *e, double delay, eng_fn fn, void *ctx, uint64_t arg)
{
	if (!(delay >= 0))
		DR_BUG("event scheduled after a negative or NaN delay (%g)", delay);
	eng_at(e, e->now + delay, fn, ctx, arg);
}

/*
 * A run that ends because the next event lies past a finite `until` (or
 * because none is left) advances the clock to `until`, so the run covers
 * [0, until] exactly, as utilisation and a following eng_at() expect.
 * eng_stop() leaves the clock at the stopping event.
 */
void eng_run(eng *e, double until)
{
	if (isnan(until))
		DR_BUG("engine run until NaN");
	e->stopped = false;
	while (e->n > 0 && !e->stopped) {
		if (e->heap[0].t > until)
			break;
		eng_event ev = heap_pop(e);
		e->now = ev.t;
		e->processed++;
		ev.fn(e, ev.ctx, ev.arg);
	}
	if (!e->stopped && isfinite(until) && until > e->now)
		e->now = until;
}

void eng_stop(eng *e)
{
	e->stopped = true;
}

size_t eng_pending(const eng *e)
{
	return e->n;
}

/* ---- resources ---- */

static inline bool waiter_before(const struct eng_waiter *a, const struct eng_waiter *b)
{
	return a->priority < b->priority || (a->priority == b->priority && a->seq < b->seq);
}

static void waiter_push(eng_resource *r, struct eng_waiter w)
{
	DR_GROW(r->waiters, r->n_waiters, r->cap_waiters);
	size_t hole = r->n_waiters++;
	while (hole > 0) {
		size_t parent = (hole - 1) / 2;
		if (!waiter_before(&w, &r->waiters[parent]))
			break;
		r->waiters[hole] = r->waiters[parent];
		hole = parent;
	}
	r->waiters[hole] = w;
}

static struct eng_waiter waiter_pop(eng_resource *r)
{
	struct eng_waiter *h = r->waiters;
	struct eng_waiter top = h[0];
	size_t n = --r->n_waiters;
	if (n == 0)
		return top;
	struct eng_waiter last = h[n];
	size_t hole = 0;
	for (;;) {
		size_t c = 2 * hole + 1;
		if (c >= n)
			break;
		if (c + 1 < n && waiter_before(&h[c + 1], &h[c]))
			c++;
		if (!waiter_before(&h[c], &last))
			break;
		h[hole] = h[c];
		hole = c;
	}
	h[hole] = last;
	return top;
}

/* Close the busy-area integral up to now (in_use was constant since last_t). */
static void res_account(eng_resource *r, double now)
{
	r->busy_area += (double)r->in_use * (now - r->last_t);
	r->last_t = now;
}

void eng_resource_init(eng_resource *r, const char *name, int capacity)
{
	if (capacity < 1)
		DR_BUG("resource \"%s\" with capacity %d", name ? name : "", capacity);
	*r = (eng_resource){.name = name, .capacity = capacity};
}

void eng_resource_release(eng_resource *r)
{
	free(r->waiters);
	*r = (eng_resource){0};
}

void eng_resource_reset(eng_resource *r)
{
	r->in_use = 0;
	r->n_waiters = 0;
	r->seq = 0;
	r->busy_area = 0;
	r->last_t = 0;
	r->max_queue = 0;
}

void eng_acquire(eng *e, eng_resource *r, int priority, eng_fn fn, void *ctx, uint64_t arg)
{
	if (!fn)
		DR_BUG("resource \"%s\" acquired without a callback", r->name ? r->name : "");
	if (r->in_use < r->capacity) {
		res_account(r, e->now);
		r->in_use++;
		fn(e, ctx, arg);
		return;
	}
	waiter_push(r, (struct eng_waiter){
		.priority = priority, .seq = r->seq++, .fn = fn, .ctx = ctx, .arg = arg});
	if (r->n_waiters > r->max_queue)
		r->max_queue = r->n_waiters;
}

void eng_release_unit(eng *e, eng_resource *r)
{
	if (r->in_use <= 0)
		DR_BUG("resource \"%s\" released with no unit held", r->name ? r->name : "");
	if (r->n_waiters == 0) {
		res_account(r, e->now);
		r->in_use--;
		return;
	}
	/* The unit passes straight to the best waiter: in_use is unchanged. */
	struct eng_waiter w = waiter_pop(r);
	w.fn(e, w.ctx, w.arg);
}

double eng_resource_utilisation(const eng_resource *r, double now)
{
	if (!(now > 0))
		return 0;
	double area = r->busy_area + (double)r->in_use * (now - r->last_t);
	return area / ((double)r->capacity * now);
}
