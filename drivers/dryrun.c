/*
 * dryrun.c - the "dry-run" driver: a stand-in topology with no database,
 * so that the drill executor, the journal and `drsim cleanup` can be run
 * and tested on any machine.  set-up creates a tagged directory with a
 * "data" file and a "backup" copy and starts a stand-in server process
 * listening on a TCP port of 127.0.0.1; inject SIGKILLs the server and moves
 * the data away; the steps "restore", "restore-pitr", "promote" and "start"
 * bring data and server back (on a new port); every step takes step_time;
 * op "fail" fails (to rehearse failure paths); the health check connects to
 * the port; verify compares the data with the backup.
 */
#include "driver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "units.h"

static const drv_option dryrun_options[] = {
	{"step_time", "duration", "20ms", "how long each runbook step takes"},
	{"rows", "int", "1000", "rows in the stand-in data"},
	{0},
};

typedef struct {
	char dir[PATH_MAX];
	pid_t server;
	int port;
	bool data_lost;
} dryrun_state;

static bool dryrun_supported(char *why, size_t n)
{
	(void)why;
	(void)n;
	return true;
}

static double step_time(const drv_ctx *c)
{
	dr_qty q;
	const char *v = drv_opt(c, "step_time");
	if (dr_qty_parse(v, &q, NULL) != DR_OK || !dr_dim_eq(q.dim, DR_DIM_TIME) || q.v < 0)
		return 0.02;
	return q.v;
}

static long rows(const drv_ctx *c)
{
	long n = strtol(drv_opt(c, "rows"), NULL, 10);
	return n > 0 ? n : 1000;
}

/* The stand-in server: the listening socket on fd 3 held by a sleeping
 * process.  The kernel completes connections into the backlog, which is
 * all the health check needs; exec'ing keeps the run's tag in the
 * process's environment (see drv_proc_owned). */
static int serve(void *arg)
{
	int fd = *(int *)arg;
	if (dup2(fd, 3) != 3)
		return 126;
	char *argv[] = {"sleep", "86400", NULL};
	execvp(argv[0], argv);
	return 127;
}

static dr_err start_server(drv_ctx *c)
{
	dryrun_state *st = c->priv;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return DR_IO;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 16) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
		dr_error("cannot listen on 127.0.0.1: %s", strerror(errno));
		close(fd);
		return DR_IO;
	}
	st->port = ntohs(a.sin_port);
	dr_err err = drv_journal_port(c, st->port, "stand-in server");
	if (err == DR_OK)
		err = drv_spawn(c, "stand-in server", NULL, serve, &fd, -1, &st->server);
	close(fd);
	if (err == DR_OK)
		drv_log(c, "stand-in server pid %d on 127.0.0.1:%d", (int)st->server, st->port);
	return err;
}

static dr_err stop_server(drv_ctx *c, int sig)
{
	dryrun_state *st = c->priv;
	if (st->server <= 0)
		return DR_OK;
	(void)kill(st->server, sig);
	dr_err err = drv_reap(c, st->server, NULL);
	st->server = 0;
	return err;
}

static dr_err write_rows(const char *path, long n)
{
	dr_buf b = {0};
	for (long i = 1; i <= n; i++)
		dr_buf_printf(&b, "%ld\n", i);
	dr_err err = dr_write_atomic(path, b.s, b.len);
	dr_buf_release(&b);
	return err;
}

static char *sub(const dryrun_state *st, const char *name)
{
	return dr_asprintf("%s/%s", st->dir, name);
}

static dr_err dryrun_setup(drv_ctx *c)
{
	dryrun_state *st = c->priv;
	snprintf(st->dir, sizeof st->dir, "%s/dry-run", c->workdir);
	dr_err err = drv_mkdir(c, st->dir, 0700);
	if (err != DR_OK)
		return err;
	char *data = sub(st, "data"), *backup = sub(st, "backup");
	err = write_rows(data, rows(c));
	if (err == DR_OK)
		err = write_rows(backup, rows(c));
	free(data);
	free(backup);
	if (err != DR_OK)
		return err;
	return start_server(c);
}

static dr_err dryrun_inject(drv_ctx *c, scn_disaster_kind k, double *event_at)
{
	dryrun_state *st = c->priv;
	char id[32];
	snprintf(id, sizeof id, "%d", (int)st->server);
	dr_err err = drv_journal(c, "begin", "inject", "process", id,
				 json_pack("{s:s}", "disaster", scn_disaster_names[k]));
	if (err != DR_OK)
		return err;
	*event_at = dr_now_real();
	err = stop_server(c, SIGKILL);
	char *data = sub(st, "data"), *lost = sub(st, "data.lost");
	if (err == DR_OK && rename(data, lost) != 0)
		err = DR_IO;
	free(data);
	free(lost);
	if (err != DR_OK)
		return err;
	st->data_lost = true;
	return drv_journal(c, "done", "inject", "process", id, NULL);
}

static dr_err sleep_until(double until_mono, double deadline_mono)
{
	double end = until_mono;
	bool timeout = deadline_mono > 0 && deadline_mono < end;
	if (timeout)
		end = deadline_mono;
	for (double left; (left = end - dr_now_mono()) > 0;) {
		if (drv_interrupted())
			return DR_INTERRUPTED;
		if (left > 0.05)
			left = 0.05;
		struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)(left * 1e9)};
		nanosleep(&ts, NULL);
	}
	return timeout ? DR_TIMEOUT : DR_OK;
}

static bool is_recovery_op(const char *op)
{
	static const char *const ops[] = {"restore", "restore-pitr", "promote", "start"};
	for (size_t i = 0; op && i < sizeof ops / sizeof ops[0]; i++)
		if (strcmp(op, ops[i]) == 0)
			return true;
	return false;
}

static dr_err dryrun_step(drv_ctx *c, const scn_step *s, drv_step_out *out)
{
	dryrun_state *st = c->priv;
	const char *op = s->action.op ? s->action.op : "wait";
	dr_err err = sleep_until(dr_now_mono() + step_time(c), c->deadline_mono);
	if (err != DR_OK) {
		snprintf(out->detail, sizeof out->detail, "dry-run %s: timed out", op);
		return err;
	}
	if (strcmp(op, "fail") == 0) {
		snprintf(out->detail, sizeof out->detail, "dry-run fail: failed as asked");
		dr_error("step '%s': dry-run op 'fail'", s->name);
		return DR_DRIVER;
	}
	if (is_recovery_op(op)) {
		if (st->data_lost) {
			char *data = sub(st, "data");
			err = write_rows(data, rows(c));
			free(data);
			st->data_lost = false;
		}
		if (err == DR_OK && st->server <= 0)
			err = start_server(c);
		out->endpoint_changed = true;
		snprintf(out->detail, sizeof out->detail, "dry-run %s: data back, server on 127.0.0.1:%d", op,
			 st->port);
		return err;
	}
	snprintf(out->detail, sizeof out->detail, "dry-run %s", op);
	return DR_OK;
}

static dr_err dryrun_health(drv_ctx *c, double *healthy_at_mono)
{
	dryrun_state *st = c->priv;
	for (;;) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			return DR_IO;
		struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)st->port),
					.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
		int rc = st->server > 0 ? connect(fd, (struct sockaddr *)&a, sizeof a) : -1;
		close(fd);
		if (rc == 0) {
			*healthy_at_mono = dr_now_mono();
			return DR_OK;
		}
		if (c->deadline_mono <= 0 || dr_now_mono() >= c->deadline_mono)
			return DR_TIMEOUT;
		if (drv_interrupted())
			return DR_INTERRUPTED;
		usleep(10000);
	}
}

static dr_err dryrun_verify(drv_ctx *c, dr_buf *report)
{
	dryrun_state *st = c->priv;
	char *data = sub(st, "data"), *backup = sub(st, "backup");
	size_t nd = 0, nb = 0;
	char *a = dr_read_file(data, &nd), *b = dr_read_file(backup, &nb);
	dr_err err = DR_OK;
	if (!a || !b || nd != nb || memcmp(a, b, nd) != 0) {
		dr_buf_printf(report, "stand-in data differs from its backup");
		err = DR_VERIFY;
	} else {
		dr_buf_printf(report, "stand-in data: %ld rows, identical to the backup", rows(c));
	}
	free(a);
	free(b);
	free(data);
	free(backup);
	return err;
}

static dr_err dryrun_cleanup(drv_ctx *c)
{
	dryrun_state *st = c->priv;
	dr_err err = stop_server(c, SIGTERM);
	if (err == DR_OK && st->dir[0])
		err = drv_rmdir(c, st->dir);
	return err;
}

static dr_err dryrun_describe(drv_ctx *c, drv_phase phase, const scn_step *s, dr_buf *out)
{
	const char *dir = c->workdir ? c->workdir : "WORKDIR";
	switch (phase) {
	case DRV_PHASE_SETUP:
		dr_buf_printf(out, "create dir %s/dry-run (tagged %s)\n", dir, DRV_TAG_FILE);
		dr_buf_printf(out, "create file %s/dry-run/data (%s rows) and its backup copy\n", dir,
			      drv_opt(c, "rows"));
		dr_buf_printf(out, "create process stand-in server on a free port of 127.0.0.1\n");
		break;
	case DRV_PHASE_CANARY:
		dr_buf_printf(out, "note the dry-run driver has no database: recovery is checked by connecting to the stand-in server\n");
		break;
	case DRV_PHASE_INJECT:
		dr_buf_printf(out, "run kill -KILL <stand-in server pid> (%s)\n", scn_disaster_names[c->disaster]);
		dr_buf_printf(out, "run mv %s/dry-run/data %s/dry-run/data.lost\n", dir, dir);
		break;
	case DRV_PHASE_STEP: {
		const char *op = s->action.op ? s->action.op : "wait";
		if (is_recovery_op(op))
			dr_buf_printf(out, "create file %s/dry-run/data from the backup; create process stand-in server on a new port (%s, %s)\n",
				      dir, op, drv_opt(c, "step_time"));
		else
			dr_buf_printf(out, "note dry-run %s (%s)\n", op, drv_opt(c, "step_time"));
		break;
	}
	case DRV_PHASE_VERIFY:
		dr_buf_printf(out, "note compare %s/dry-run/data with its backup\n", dir);
		break;
	case DRV_PHASE_CLEANUP:
		dr_buf_printf(out, "remove process stand-in server (SIGTERM)\n");
		dr_buf_printf(out, "remove dir %s/dry-run\n", dir);
		break;
	default:
		DR_BUG("unknown phase %d", (int)phase);
	}
	return DR_OK;
}

const drv_ops drv_dryrun_ops = {
	.abi_version = DRV_ABI_VERSION,
	.name = "dry-run",
	.version = "1.0",
	.caps = DRV_CAP_SETUP | DRV_CAP_INJECT | DRV_CAP_RESTORE | DRV_CAP_PITR | DRV_CAP_PROMOTE |
		DRV_CAP_HEALTH | DRV_CAP_STEP,
	.options = dryrun_options,
	.priv_size = sizeof(dryrun_state),
	.supported = dryrun_supported,
	.setup = dryrun_setup,
	.inject = dryrun_inject,
	.step = dryrun_step,
	.describe = dryrun_describe,
	.verify = dryrun_verify,
	.cleanup = dryrun_cleanup,
	.health = dryrun_health,
};
