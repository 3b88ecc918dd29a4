/* test_engine.c - the discrete-event core: event order, ties, run limits,
 * stop, resources (priority and FIFO service, capacity, utilisation) and the
 * ⌈N/k⌉·R closed form for fixed jobs through k slots. */
#include "testutil.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"

/* Deterministic uniform in [0, 1) from a counter. */
static double unit_rand(uint64_t *state)
{
	return (double)(dr_mix64((*state)++) >> 11) * 0x1.0p-53;
}

/* What ran, in order: (time, arg) of each recorded callback. */
typedef struct {
	struct { double t; uint64_t arg; } *v;
	size_t n, cap;
} trace;

static void trace_add(trace *tr, double t, uint64_t arg)
{
	DR_GROW(tr->v, tr->n, tr->cap);
	tr->v[tr->n].t = t;
	tr->v[tr->n].arg = arg;
	tr->n++;
}

static void trace_free(trace *tr)
{
	free(tr->v);
}

static void record(eng *e, void *ctx, uint64_t arg)
{
	trace_add(ctx, e->now, arg);
}

/* Random times, a third of them on a coarse grid so ties are common: the run
 * must be sorted by time and, within a time, by scheduling order. */
static void test_random_order(void **state)
{
	enum { N = 20000 };
	eng e;
	trace tr = {0};
	uint64_t rng = 1;
	eng_init(&e);
	for (uint64_t i = 0; i < N; i++) {
		double t = unit_rand(&rng) * 1000;
		if (i % 3 == 0)
			t = floor(t / 50) * 50;
		eng_at(&e, t, record, &tr, i);
	}
	assert_int_equal(eng_pending(&e), N);
	eng_run(&e, INFINITY);
	assert_int_equal(tr.n, N);
	assert_int_equal(e.processed, N);
	assert_int_equal(eng_pending(&e), 0);
	for (size_t i = 1; i < tr.n; i++) {
		assert_true(tr.v[i - 1].t <= tr.v[i].t);
		if (tr.v[i - 1].t == tr.v[i].t)
			assert_true(tr.v[i - 1].arg < tr.v[i].arg);
	}
	assert_near(e.now, tr.v[N - 1].t, 0);
	trace_free(&tr);
	eng_release(&e);
}

/* The hold model: each event schedules one more at a random later time; the
 * clock must never go backwards while the heap keeps changing. */
typedef struct {
	uint64_t rng;
	double last;
	uint64_t left;
	bool backwards;
} hold_ctx;

static void hold(eng *e, void *ctx, uint64_t arg)
{
	hold_ctx *h = ctx;
	if (e->now < h->last)
		h->backwards = true;
	h->last = e->now;
	if (h->left == 0)
		return;
	h->left--;
	double u = unit_rand(&h->rng);
	eng_after(e, u < 0.1 ? 0 : -log(1 - u), hold, h, arg);
}

static void test_hold_model(void **state)
{
	eng e;
	hold_ctx h = {.rng = 7, .left = 50000};
	eng_init(&e);
	for (int i = 0; i < 500; i++)
		eng_at(&e, unit_rand(&h.rng) * 10, hold, &h, (uint64_t)i);
	eng_run(&e, INFINITY);
	assert_false(h.backwards);
	assert_int_equal(e.processed, 50500);
	eng_release(&e);
}

/* Events at the same time run in scheduling order, including one scheduled
 * at now from inside a callback (it goes after those already pending). */
static void schedule_now(eng *e, void *ctx, uint64_t arg)
{
	record(e, ctx, arg);
	if (arg == 0)
		eng_at(e, e->now, record, ctx, 100);
}

static void test_ties(void **state)
{
	eng e;
	trace tr = {0};
	eng_init(&e);
	for (uint64_t i = 0; i < 50; i++)
		eng_at(&e, 5.0, schedule_now, &tr, i);
	eng_at(&e, 4.0, record, &tr, 1000);
	eng_run(&e, INFINITY);
	assert_int_equal(tr.n, 52);
	assert_int_equal(tr.v[0].arg, 1000);
	for (uint64_t i = 0; i < 50; i++)
		assert_int_equal(tr.v[i + 1].arg, i);
	assert_int_equal(tr.v[51].arg, 100);
	trace_free(&tr);
	eng_release(&e);
}

static void test_run_until(void **state)
{
	eng e;
	trace tr = {0};
	eng_init(&e);
	for (uint64_t i = 1; i <= 10; i++)
		eng_at(&e, (double)i, record, &tr, i);
	eng_run(&e, 5.0); /* an event exactly at until runs */
	assert_int_equal(tr.n, 5);
	assert_near(e.now, 5.0, 0);
	assert_int_equal(eng_pending(&e), 5);
	eng_run(&e, 7.5); /* the clock advances to until */
	assert_int_equal(tr.n, 7);
	assert_near(e.now, 7.5, 0);
	eng_run(&e, INFINITY);
	assert_int_equal(tr.n, 10);
	assert_near(e.now, 10.0, 0);
	assert_false(e.stopped);
	trace_free(&tr);
	eng_release(&e);
}

static void stop_at_three(eng *e, void *ctx, uint64_t arg)
{
	record(e, ctx, arg);
	if (arg == 3)
		eng_stop(e);
}

static void test_stop(void **state)
{
	eng e;
	trace tr = {0};
	eng_init(&e);
	for (uint64_t i = 1; i <= 6; i++)
		eng_at(&e, (double)i, stop_at_three, &tr, i);
	eng_run(&e, 100);
	assert_true(e.stopped);
	assert_int_equal(tr.n, 3);
	assert_near(e.now, 3.0, 0);
	assert_int_equal(eng_pending(&e), 3);
	eng_run(&e, INFINITY); /* a new run resumes */
	assert_false(e.stopped);
	assert_int_equal(tr.n, 6);
	assert_near(e.now, 6.0, 0);
	trace_free(&tr);
	eng_release(&e);
}

/* ---- resources ---- */

/* A job takes one slot for `length`, then releases it. */
typedef struct {
	eng_resource *slot;
	double length;
	double last_finish;
	int running, max_running;
	bool over_capacity;
	trace granted;
} jobs;

static void job_end(eng *e, void *ctx, uint64_t arg)
{
	jobs *j = ctx;
	j->running--;
	j->last_finish = e->now;
	eng_release_unit(e, j->slot);
}

static void job_start(eng *e, void *ctx, uint64_t arg)
{
	jobs *j = ctx;
	trace_add(&j->granted, e->now, arg);
	j->running++;
	if (j->running > j->max_running)
		j->max_running = j->running;
	if (j->slot->in_use > j->slot->capacity || j->running != j->slot->in_use)
		j->over_capacity = true;
	eng_after(e, j->length, job_end, j, arg);
}

static void job_arrive(eng *e, void *ctx, uint64_t arg)
{
	jobs *j = ctx;
	eng_acquire(e, j->slot, (int)(arg >> 32), job_start, j, arg);
}

static void test_priority_then_fifo(void **state)
{
	eng e;
	eng_resource r;
	jobs j = {.slot = &r, .length = 1.0};
	static const int prio[] = {2, 1, 2, 1, 0, 2, 0, 1};
	enum { N = sizeof(prio) / sizeof(prio[0]) };
	eng_init(&e);
	eng_resource_init(&r, "restore-slot", 1);
	eng_at(&e, 0, job_arrive, &j, 999); /* holds the slot during arrivals */
	for (uint64_t i = 0; i < N; i++)
		eng_at(&e, 0.1 * (double)(i + 1), job_arrive, &j, (uint64_t)prio[i] << 32 | i);
	eng_run(&e, INFINITY);
	assert_int_equal(j.granted.n, N + 1);
	assert_int_equal(r.max_queue, N);
	/* priority 0 in arrival order, then 1, then 2 */
	static const uint64_t want[] = {4, 6, 1, 3, 7, 0, 2, 5};
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(j.granted.v[i + 1].arg & 0xffffffffu, want[i]);
		assert_near(j.granted.v[i + 1].t, (double)(i + 1), 1e-12);
	}
	assert_int_equal(r.in_use, 0);
	trace_free(&j.granted);
	eng_resource_release(&r);
	eng_release(&e);
}

static void test_capacity_never_exceeded(void **state)
{
	eng e;
	eng_resource r;
	jobs j = {.slot = &r, .length = 3.0};
	uint64_t rng = 42;
	eng_init(&e);
	eng_resource_init(&r, "copy-slot", 4);
	for (uint64_t i = 0; i < 2000; i++) {
		uint64_t prio = (uint64_t)(unit_rand(&rng) * 3);
		eng_at(&e, unit_rand(&rng) * 500, job_arrive, &j, prio << 32 | i);
	}
	eng_run(&e, INFINITY);
	assert_false(j.over_capacity);
	assert_int_equal(j.max_running, 4);
	assert_int_equal(j.granted.n, 2000);
	assert_int_equal(r.in_use, 0);
	assert_int_equal(r.n_waiters, 0);
	trace_free(&j.granted);
	eng_resource_release(&r);
	eng_release(&e);
}

/* N fixed jobs of length R through k slots: the last finishes at ⌈N/k⌉·R. */
static void test_closed_form(void **state)
{
	static const struct { int n, k; double r; } cases[] = {
		{1, 1, 5}, {40, 20, 600}, {41, 20, 600}, {100, 3, 2.5}, {7, 10, 1}, {1000, 7, 0.25},
	};
	eng e;
	eng_init(&e);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		eng_resource r;
		jobs j = {.length = cases[c].r, .slot = &r};
		eng_reset(&e);
		eng_resource_init(&r, "restore-slot", cases[c].k);
		for (int i = 0; i < cases[c].n; i++)
			eng_at(&e, 0, job_arrive, &j, (uint64_t)i);
		eng_run(&e, INFINITY);
		double want = ceil((double)cases[c].n / cases[c].k) * cases[c].r;
		assert_near(j.last_finish, want, 1e-9 * want);
		size_t queued = cases[c].n > cases[c].k ? (size_t)(cases[c].n - cases[c].k) : 0;
		assert_int_equal(r.max_queue, queued);
		assert_false(j.over_capacity);
		trace_free(&j.granted);
		eng_resource_release(&r);
	}
	eng_release(&e);
}

/* Two slots: one busy over [0, 10], one over [0, 5]; the area is 15 out of
 * 2 × 10.  Over [0, 20] the mean halves. */
static void test_utilisation(void **state)
{
	eng e;
	eng_resource r;
	jobs a = {.slot = &r, .length = 10}, b = {.slot = &r, .length = 5};
	eng_init(&e);
	eng_resource_init(&r, "operator", 2);
	assert_near(eng_resource_utilisation(&r, 0), 0, 0);
	eng_at(&e, 0, job_arrive, &a, 0);
	eng_at(&e, 0, job_arrive, &b, 1);
	eng_run(&e, 2.5);
	assert_near(eng_resource_utilisation(&r, e.now), 1.0, 1e-12);
	eng_run(&e, INFINITY);
	assert_near(e.now, 10, 0);
	assert_near(eng_resource_utilisation(&r, e.now), 0.75, 1e-12);
	assert_near(eng_resource_utilisation(&r, 20), 0.375, 1e-12);
	assert_near(r.busy_area, 15, 1e-12);
	assert_int_equal(r.max_queue, 0);
	trace_free(&a.granted);
	trace_free(&b.granted);
	eng_resource_release(&r);
	eng_release(&e);
}

/* One trial's run, twice after a reset: identical outcomes, counters reset,
 * no memory lost between trials. */
static void run_trial(eng *e, eng_resource *r, jobs *j)
{
	uint64_t rng = 3;
	for (uint64_t i = 0; i < 300; i++)
		eng_at(e, unit_rand(&rng) * 100, job_arrive, j, (uint64_t)(i % 2) << 32 | i);
	eng_run(e, INFINITY);
}

static void test_reset_reuse(void **state)
{
	eng e;
	eng_resource r;
	jobs j1 = {.length = 2}, j2 = {.length = 2};
	eng_init(&e);
	eng_resource_init(&r, "restore-slot", 3);
	j1.slot = j2.slot = &r;
	run_trial(&e, &r, &j1);
	double now1 = e.now, area1 = r.busy_area;
	size_t q1 = r.max_queue, cap1 = e.cap;
	uint64_t processed1 = e.processed;
	eng_at(&e, e.now + 50, job_arrive, &j1, 0); /* left pending on purpose */
	eng_reset(&e);
	eng_resource_reset(&r);
	assert_int_equal(eng_pending(&e), 0);
	assert_int_equal(e.processed, 0);
	assert_near(e.now, 0, 0);
	assert_near(r.busy_area, 0, 0);
	assert_int_equal(r.max_queue, 0);
	run_trial(&e, &r, &j2);
	assert_int_equal(e.processed, processed1);
	assert_near(e.now, now1, 0);
	assert_near(r.busy_area, area1, 0);
	assert_int_equal(r.max_queue, q1);
	assert_int_equal(e.cap, cap1);
	assert_int_equal(j1.granted.n, j2.granted.n);
	for (size_t i = 0; i < j1.granted.n; i++) {
		assert_int_equal(j1.granted.v[i].arg, j2.granted.v[i].arg);
		assert_near(j1.granted.v[i].t, j2.granted.v[i].t, 0);
	}
	trace_free(&j1.granted);
	trace_free(&j2.granted);
	eng_resource_release(&r);
	eng_release(&e);
}

/* ---- broken invariants abort ---- */

static void nothing(eng *e, void *ctx, uint64_t arg)
{
}

/* Run fn in a child; true when it died of SIGABRT (DR_BUG). */
static bool aborts(void (*fn)(void))
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stderr))
			_exit(3);
		fn();
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void schedule_in_past(void)
{
	eng e;
	eng_init(&e);
	eng_at(&e, 5, nothing, NULL, 0);
	eng_run(&e, INFINITY);
	eng_at(&e, 4.999, nothing, NULL, 0);
}

static void schedule_nan(void)
{
	eng e;
	eng_init(&e);
	eng_at(&e, NAN, nothing, NULL, 0);
}

static void negative_delay(void)
{
	eng e;
	eng_init(&e);
	eng_after(&e, -1, nothing, NULL, 0);
}

static void release_unheld(void)
{
	eng e;
	eng_resource r;
	eng_init(&e);
	eng_resource_init(&r, "operator", 1);
	eng_release_unit(&e, &r);
}

static void schedule_at_now(void)
{
	eng e;
	eng_init(&e);
	eng_at(&e, 5, nothing, NULL, 0);
	eng_run(&e, INFINITY);
	eng_at(&e, 5, nothing, NULL, 0);
	eng_after(&e, 0, nothing, NULL, 0);
	eng_run(&e, INFINITY);
}

static void test_bugs(void **state)
{
	assert_true(aborts(schedule_in_past));
	assert_true(aborts(schedule_nan));
	assert_true(aborts(negative_delay));
	assert_true(aborts(release_unheld));
	assert_false(aborts(schedule_at_now));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_order),
		cmocka_unit_test(test_hold_model),
		cmocka_unit_test(test_ties),
		cmocka_unit_test(test_run_until),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_priority_then_fifo),
		cmocka_unit_test(test_capacity_never_exceeded),
		cmocka_unit_test(test_closed_form),
		cmocka_unit_test(test_utilisation),
		cmocka_unit_test(test_reset_reuse),
		cmocka_unit_test(test_bugs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
