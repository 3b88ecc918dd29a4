/*
 * canary.c - the canary writer: a thread inserting (run, seq, sent_at) rows
 * into drsim_canary every interval through libpq, reading each back, and
 * recording the acknowledgement time of every seq on CLOCK_MONOTONIC.  See
 * canary.h for the measurement.  Connection errors never print the
 * conninfo (it may hold a password).
 */
#include "canary.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
	unsigned gen;
	double at;
} success;

struct drv_canary {
	pthread_t thread;
	bool running;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	char *run;
	double interval;
	double start_mono;
	/* guarded by lock */
	char *conninfo;
	unsigned gen;
	bool stop;
	double *ack;        /* ack[seq] = CLOCK_MONOTONIC of the ack, 0 = none */
	size_t n_ack, cap_ack;
	uint64_t acked, attempts, errors;
	success *ok;
	size_t n_ok, cap_ok;
	char last_error[256];
	/* writer thread only */
	PGconn *conn;
	unsigned conn_gen;
};

static const char *const create_sql =
    "CREATE TABLE IF NOT EXISTS drsim_canary (run text NOT NULL, seq bigint NOT NULL, "
    "sent_at double precision NOT NULL, PRIMARY KEY (run, seq))";

static void first_line(const char *msg, char *out, size_t n)
{
	snprintf(out, n, "%.*s", (int)strcspn(msg, "\n"), msg);
}

/* Connect quietly with a short connect timeout; NULL on failure. */
static PGconn *connect_db(const char *conninfo, char *err, size_t n)
{
	const char *keys[] = {"dbname", "connect_timeout", "application_name", NULL};
	const char *vals[] = {conninfo, "2", "drsim-canary", NULL};
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(c) != CONNECTION_OK) {
		first_line(PQerrorMessage(c), err, n);
		PQfinish(c);
		return NULL;
	}
	PGresult *r = PQexec(c, "SET client_min_messages = warning");
	PQclear(r);
	return c;
}

static bool exec_ok(PGresult *r, ExecStatusType want)
{
	bool ok = r && PQresultStatus(r) == want;
	PQclear(r);
	return ok;
}

/* One write + read-back of seq on the writer's connection. */
static bool write_one(drv_canary *cn, uint64_t seq, char *err, size_t n)
{
	char seq_s[32], sent_s[64];
	snprintf(seq_s, sizeof seq_s, "%llu", (unsigned long long)seq);
	snprintf(sent_s, sizeof sent_s, "%.6f", dr_now_real());
	const char *ins[] = {cn->run, seq_s, sent_s};
	PGresult *r = PQexecParams(cn->conn, "INSERT INTO drsim_canary (run, seq, sent_at) VALUES ($1, $2, $3)",
				   3, NULL, ins, NULL, NULL, 0);
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
		first_line(PQerrorMessage(cn->conn), err, n);
		PQclear(r);
		return false;
	}
	PQclear(r);
	const char *sel[] = {cn->run, seq_s};
	r = PQexecParams(cn->conn, "SELECT 1 FROM drsim_canary WHERE run = $1 AND seq = $2", 2, NULL, sel, NULL,
			 NULL, 0);
	bool ok = r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
	if (!ok)
		first_line(PQerrorMessage(cn->conn), err, n);
	PQclear(r);
	return ok;
}

static void sleep_until(double t)
{
	for (double left; (left = t - dr_now_mono()) > 0;) {
		struct timespec ts = {.tv_sec = (time_t)left, .tv_nsec = (long)((left - (double)(time_t)left) * 1e9)};
		nanosleep(&ts, NULL);
	}
}

static void *writer(void *arg)
{
	drv_canary *cn = arg;
	uint64_t seq = 0;
	double next = dr_now_mono();
	for (;;) {
		pthread_mutex_lock(&cn->lock);
		bool stop = cn->stop;
		unsigned gen = cn->gen;
		char *conninfo = dr_strdup(cn->conninfo);
		pthread_mutex_unlock(&cn->lock);
		if (stop) {
			free(conninfo);
			break;
		}
		char err[256] = "";
		if (cn->conn && cn->conn_gen != gen) {
			PQfinish(cn->conn);
			cn->conn = NULL;
		}
		if (!cn->conn) {
			cn->conn = connect_db(conninfo, err, sizeof err);
			cn->conn_gen = gen;
			if (cn->conn && !exec_ok(PQexec(cn->conn, create_sql), PGRES_COMMAND_OK)) {
				first_line(PQerrorMessage(cn->conn), err, sizeof err);
				PQfinish(cn->conn);
				cn->conn = NULL;
			}
		}
		free(conninfo);
		seq++;
		bool ok = cn->conn && write_one(cn, seq, err, sizeof err);
		double now = dr_now_mono();
		pthread_mutex_lock(&cn->lock);
		cn->attempts++;
		DR_GROW(cn->ack, seq, cn->cap_ack);
		while (cn->n_ack <= seq)
			cn->ack[cn->n_ack++] = 0;
		if (ok) {
			cn->ack[seq] = now;
			cn->acked++;
			DR_GROW(cn->ok, cn->n_ok, cn->cap_ok);
			cn->ok[cn->n_ok++] = (success){gen, now};
		} else {
			cn->errors++;
			snprintf(cn->last_error, sizeof cn->last_error, "%s", err);
		}
		pthread_cond_broadcast(&cn->changed);
		pthread_mutex_unlock(&cn->lock);
		if (!ok && cn->conn) {
			PQfinish(cn->conn);
			cn->conn = NULL;
		}
		next += cn->interval;
		if (next < dr_now_mono())
			next = dr_now_mono(); /* fell behind (a blocked call): do not burst */
		sleep_until(next);
	}
	if (cn->conn)
		PQfinish(cn->conn);
	cn->conn = NULL;
	return NULL;
}

dr_err drv_canary_start(const char *conninfo, const char *run, double interval_s, double timeout_s,
			drv_canary **out)
{
	drv_canary *cn = dr_calloc(1, sizeof(*cn));
	pthread_mutex_init(&cn->lock, NULL);
	pthread_cond_init(&cn->changed, NULL);
	cn->run = dr_strdup(run);
	cn->interval = interval_s > 0 ? interval_s : 0.05;
	cn->conninfo = dr_strdup(conninfo);
	cn->start_mono = dr_now_mono();
	*out = cn;
	if (pthread_create(&cn->thread, NULL, writer, cn) != 0) {
		dr_error("cannot start the canary writer");
		return DR_INTERNAL;
	}
	cn->running = true;
	dr_err err = drv_canary_wait_acked(cn, 1, dr_now_mono() + timeout_s);
	if (err != DR_OK) {
		pthread_mutex_lock(&cn->lock);
		dr_error("canary: no acknowledged write within the warm-up: %s",
			 cn->last_error[0] ? cn->last_error : "no answer");
		pthread_mutex_unlock(&cn->lock);
	}
	return err;
}

unsigned drv_canary_retarget(drv_canary *cn, const char *conninfo)
{
	pthread_mutex_lock(&cn->lock);
	free(cn->conninfo);
	cn->conninfo = dr_strdup(conninfo);
	unsigned gen = ++cn->gen;
	pthread_mutex_unlock(&cn->lock);
	return gen;
}

static void wait_until(drv_canary *cn, double deadline_mono)
{
	double left = deadline_mono - dr_now_mono();
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	double wake = (double)ts.tv_sec + ts.tv_nsec / 1e9 + (left < 0.05 ? left : 0.05);
	ts.tv_sec = (time_t)wake;
	ts.tv_nsec = (long)((wake - (double)ts.tv_sec) * 1e9);
	pthread_cond_timedwait(&cn->changed, &cn->lock, &ts);
}

dr_err drv_canary_wait_success(drv_canary *cn, unsigned gen, double not_before_mono, double deadline_mono,
			       double *at_mono)
{
	dr_err err = DR_TIMEOUT;
	pthread_mutex_lock(&cn->lock);
	for (size_t i = 0;; ) {
		for (; i < cn->n_ok; i++)
			if (cn->ok[i].gen == gen && cn->ok[i].at >= not_before_mono) {
				*at_mono = cn->ok[i].at;
				err = DR_OK;
				goto done;
			}
		if (dr_now_mono() >= deadline_mono)
			break;
		wait_until(cn, deadline_mono);
	}
done:
	pthread_mutex_unlock(&cn->lock);
	return err;
}

dr_err drv_canary_wait_acked(drv_canary *cn, uint64_t n, double deadline_mono)
{
	dr_err err = DR_OK;
	pthread_mutex_lock(&cn->lock);
	while (cn->acked < n) {
		if (dr_now_mono() >= deadline_mono) {
			err = DR_TIMEOUT;
			break;
		}
		wait_until(cn, deadline_mono);
	}
	pthread_mutex_unlock(&cn->lock);
	return err;
}

uint64_t drv_canary_acked(drv_canary *cn)
{
	pthread_mutex_lock(&cn->lock);
	uint64_t n = cn->acked;
	pthread_mutex_unlock(&cn->lock);
	return n;
}

void drv_canary_stop(drv_canary *cn)
{
	if (!cn || !cn->running)
		return;
	pthread_mutex_lock(&cn->lock);
	cn->stop = true;
	pthread_mutex_unlock(&cn->lock);
	pthread_join(cn->thread, NULL);
	cn->running = false;
}

dr_err drv_canary_measure(drv_canary *cn, double event_mono, drv_canary_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->interval_s = cn->interval;
	char err[256] = "";
	PGconn *c = connect_db(cn->conninfo, err, sizeof err);
	if (!c) {
		dr_error("canary: cannot read back on the recovered endpoint: %s", err);
		return DR_DRIVER;
	}
	const char *params[] = {cn->run};
	PGresult *r = PQexecParams(c, "SELECT seq FROM drsim_canary WHERE run = $1", 1, NULL, params, NULL, NULL, 0);
	if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
		first_line(PQerrorMessage(c), err, sizeof err);
		dr_error("canary: cannot read back: %s", err);
		PQclear(r);
		PQfinish(c);
		return DR_DRIVER;
	}
	bool *present = dr_calloc(cn->n_ack + 1, 1);
	for (int i = 0; i < PQntuples(r); i++) {
		unsigned long long seq = strtoull(PQgetvalue(r, i, 0), NULL, 10);
		if (seq < cn->n_ack)
			present[seq] = true;
	}
	PQclear(r);
	PQfinish(c);
	double newest_ack = 0;
	for (size_t seq = 1; seq < cn->n_ack; seq++) {
		double a = cn->ack[seq];
		if (a <= 0 || a > event_mono)
			continue;
		st->acked++;
		if (!present[seq])
			st->acked_lost++;
		else if (a > newest_ack) {
			newest_ack = a;
			st->newest_seq = seq;
		}
	}
	free(present);
	st->rpo_s = event_mono - (st->newest_seq ? newest_ack : cn->start_mono);
	if (st->rpo_s < 0)
		st->rpo_s = 0;
	st->attempts = cn->attempts;
	st->errors = cn->errors;
	return DR_OK;
}

void drv_canary_free(drv_canary *cn)
{
	if (!cn)
		return;
	drv_canary_stop(cn);
	pthread_mutex_destroy(&cn->lock);
	pthread_cond_destroy(&cn->changed);
	free(cn->run);
	free(cn->conninfo);
	free(cn->ack);
	free(cn->ok);
	free(cn);
}
