/*
 * pgsb.c - the PostgreSQL sandbox library: child processes run as the
 * unprivileged OS user, clusters (initdb, start, stop, kill), base backups,
 * standbys, promotion, point-in-time restores and libpq queries.  See pgsb.h.
 *
 * Children are started with fork + setgroups/setgid/setuid + execve; all
 * that the child needs is prepared before fork so the child only calls
 * async-signal-safe functions (drills run a canary thread beside this).
 */
#define _GNU_SOURCE
#include "pgsb.h"

#include "driver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <grp.h>
#include <libpq-fe.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DB_USER "drsim"
#define OUTPUT_MAX (64 * 1024)
#define LOG_TAIL 1500

struct pgsb_node {
	char *name;
	char *datadir;
	char *log;
	char *lost; /* the taken-away data directory, or NULL */
	int port;
	pid_t pid;
	unsigned long long start_ticks;
	int shmid; /* the postmaster's SysV segment, -1 if unknown */
	bool running;
};

typedef struct {
	pid_t pid;
	unsigned long long start_ticks;
} tracked_proc;

struct pgsb_env {
	char *bindir;
	char *root;
	char *user;
	char *version;
	char *tag;
	uid_t uid;
	gid_t gid;
	bool switch_user; /* running as root: children drop to uid/gid */
	double timeout_s;
	pgsb_track_fn track;
	void *track_ctx;
	pgsb_node **nodes;
	size_t n_nodes, cap_nodes;
	tracked_proc *procs;
	size_t n_procs, cap_procs;
	char msg[8192];
};

static void seterr(pgsb_env *e, const char *fmt, ...) DR_PRINTF(2, 3);
static void seterr(pgsb_env *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
}

/* Put context before the current message: "<context>: <message>". */
static void wrap_err(pgsb_env *e, const char *fmt, ...) DR_PRINTF(2, 3);
static void wrap_err(pgsb_env *e, const char *fmt, ...)
{
	char pre[1024];
	char *old = dr_strdup(e->msg);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof pre, fmt, ap);
	va_end(ap);
	seterr(e, "%s: %s", pre, old);
	free(old);
}

const char *pgsb_errmsg(const pgsb_env *e) { return e->msg; }
const char *pgsb_workdir(const pgsb_env *e) { return e->root; }
const char *pgsb_bindir(const pgsb_env *e) { return e->bindir; }
const char *pgsb_server_version(const pgsb_env *e) { return e->version ? e->version : ""; }
const char *pgsb_node_name(const pgsb_node *nd) { return nd->name; }
const char *pgsb_node_datadir(const pgsb_node *nd) { return nd->datadir; }
const char *pgsb_node_log(const pgsb_node *nd) { return nd->log; }
int pgsb_node_port(const pgsb_node *nd) { return nd->port; }
pid_t pgsb_node_pid(const pgsb_node *nd) { return nd->running ? nd->pid : 0; }
bool pgsb_node_running(const pgsb_node *nd) { return nd->running; }

void pgsb_conninfo(const pgsb_node *nd, char *out, size_t n)
{
	snprintf(out, n, "host=127.0.0.1 port=%d user=%s dbname=postgres connect_timeout=5", nd->port,
		 DB_USER);
}

static void track(pgsb_env *e, pgsb_phase ph, bool create, pgsb_res_kind kind, const char *what,
		  const char *path, pid_t pid, unsigned long long ticks, int port)
{
	if (!e->track)
		return;
	pgsb_event ev = {.phase = ph, .create = create, .kind = kind, .what = what, .path = path,
			 .pid = pid, .start_ticks = ticks, .port = port};
	e->track(e->track_ctx, &ev);
}

/* ---- processes ---------------------------------------------------------- */

unsigned long long pgsb_proc_start_ticks(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t r = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (r <= 0)
		return 0;
	buf[r] = '\0';
	/* comm may hold spaces and parentheses: fields restart after the last ')' */
	char *p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X')
		return 0;
	p += 2;
	/* p is field 3 (state); the start time is field 22 */
	for (int field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return 0;
		p++;
	}
	return strtoull(p, NULL, 10);
}

static bool proc_gone(pid_t pid, unsigned long long ticks)
{
	unsigned long long now = pgsb_proc_start_ticks(pid);
	return now == 0 || now != ticks;
}

static void kill_group(pid_t pid, int sig)
{
	if (getpgid(pid) == pid)
		kill(-pid, sig);
	else
		kill(pid, sig);
}

static bool wait_gone(pid_t pid, unsigned long long ticks, double timeout_s)
{
	double end = dr_now_mono() + timeout_s;
	while (!proc_gone(pid, ticks)) {
		if (dr_now_mono() > end)
			return false;
		waitpid(pid, NULL, WNOHANG); /* reap when it was our child */
		usleep(10000);
	}
	return true;
}

/* Kill a process group only if pid still has start_ticks (a reused pid
 * is left alone).  True when it is gone. */
static bool kill_checked(pid_t pid, unsigned long long start_ticks)
{
	if (pid <= 1 || proc_gone(pid, start_ticks))
		return true;
	kill_group(pid, SIGKILL);
	return wait_gone(pid, start_ticks, 10);
}

/* What a child needs, all prepared before fork. */
typedef struct {
	char *path;
	char **argv;
	char *envp[8];
	char *env_store[8];
} child_spec;

static void spec_init(pgsb_env *e, child_spec *cs, const char *const *argv)
{
	size_t n = 0;
	while (argv[n])
		n++;
	cs->argv = dr_calloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		cs->argv[i] = dr_strdup(argv[i]);
	if (strchr(argv[0], '/'))
		cs->path = dr_strdup(argv[0]);
	else
		cs->path = dr_asprintf("%s/%s", e->bindir, argv[0]);
	size_t k = 0;
	cs->env_store[k++] = dr_asprintf("PATH=%s:/usr/sbin:/usr/bin:/sbin:/bin", e->bindir);
	cs->env_store[k++] = dr_strdup("LC_ALL=C");
	cs->env_store[k++] = dr_strdup("TZ=UTC");
	cs->env_store[k++] = dr_asprintf("HOME=%s", e->root ? e->root : "/");
	cs->env_store[k++] = dr_strdup("PGUSER=" DB_USER);
	if (e->tag)
		cs->env_store[k++] = dr_asprintf("%s=%s", DRV_RUN_ENV, e->tag);
	cs->env_store[k] = NULL;
	memcpy(cs->envp, cs->env_store, sizeof cs->envp);
}

static void spec_release(child_spec *cs)
{
	for (size_t i = 0; cs->argv[i]; i++)
		free(cs->argv[i]);
	free(cs->argv);
	free(cs->path);
	for (size_t i = 0; cs->env_store[i]; i++)
		free(cs->env_store[i]);
}

/* In the child: become the OS user, chdir to the work dir, exec.  Only
 * async-signal-safe calls. */
static _Noreturn void child_exec(const pgsb_env *e, const child_spec *cs, int out_fd,
				 const char *log)
{
	setpgid(0, 0);
	int devnull = open("/dev/null", O_RDWR);
	if (devnull >= 0)
		dup2(devnull, 0);
	if (e->switch_user) {
		if (setgroups(0, NULL) != 0 || setgid(e->gid) != 0 || setuid(e->uid) != 0)
			_exit(126);
	}
	if (log)
		out_fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (out_fd < 0)
		out_fd = devnull;
	dup2(out_fd, 1);
	dup2(out_fd, 2);
	closefrom(3);
	if (chdir(e->root ? e->root : "/") != 0 && chdir("/") != 0)
		_exit(126);
	execve(cs->path, cs->argv, cs->envp);
	_exit(127);
}

/* Run argv to completion, output (stdout + stderr) into out. */
static dr_err run_child(pgsb_env *e, const child_spec *cs, double timeout_s, dr_buf *out,
			int *status)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) != 0) {
		seterr(e, "cannot create a pipe: %s", strerror(errno));
		return DR_IO;
	}
	pid_t pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		seterr(e, "cannot fork: %s", strerror(errno));
		return DR_IO;
	}
	if (pid == 0)
		child_exec(e, cs, pfd[1], NULL);
	close(pfd[1]);
	double end = dr_now_mono() + timeout_s;
	bool timed_out = false;
	char buf[4096];
	for (;;) {
		struct pollfd p = {.fd = pfd[0], .events = POLLIN};
		int r = poll(&p, 1, 100);
		if (r > 0) {
			ssize_t k = read(pfd[0], buf, sizeof buf);
			if (k <= 0)
				break;
			if (out && out->len < OUTPUT_MAX)
				dr_buf_add(out, buf, (size_t)k);
		}
		if (dr_now_mono() > end) {
			timed_out = true;
			kill(-pid, SIGKILL);
			break;
		}
	}
	close(pfd[0]);
	int st = 0;
	for (;;) {
		pid_t w = waitpid(pid, &st, timed_out ? 0 : WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			st = -1;
			break;
		}
		if (dr_now_mono() > end) {
			timed_out = true;
			kill(-pid, SIGKILL);
		}
		usleep(5000);
	}
	*status = st;
	if (timed_out) {
		seterr(e, "\"%s\" timed out after %.0f s", cs->argv[0], timeout_s);
		return DR_TIMEOUT;
	}
	return DR_OK;
}

static void trim(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

dr_err pgsb_run(pgsb_env *e, const char *const *argv, double timeout_s, dr_buf *out)
{
	child_spec cs;
	dr_buf local = {0};
	int st = 0;
	spec_init(e, &cs, argv);
	dr_err err = run_child(e, &cs, timeout_s > 0 ? timeout_s : e->timeout_s, &local, &st);
	if (err)
		goto done;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		char *o = dr_buf_take(&local);
		trim(o);
		int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
		if (code == 126)
			seterr(e, "\"%s\" could not run as user \"%s\"", argv[0], e->user);
		else if (code == 127)
			seterr(e, "\"%s\" could not be executed (%s)", argv[0], cs.path);
		else
			seterr(e, "\"%s\" failed (exit %d): %s", argv[0], code, o);
		free(o);
		err = DR_DRIVER;
	}
done:
	if (out && local.s)
		dr_buf_puts(out, local.s);
	dr_buf_release(&local);
	spec_release(&cs);
	return err;
}

dr_err pgsb_spawn(pgsb_env *e, const char *name, const char *const *argv, const char *log,
		  pgsb_proc *out)
{
	child_spec cs;
	spec_init(e, &cs, argv);
	track(e, PGSB_BEGIN, true, PGSB_RES_PROCESS, name, log, 0, 0, 0);
	pid_t pid = fork();
	if (pid < 0) {
		seterr(e, "cannot fork \"%s\": %s", name, strerror(errno));
		track(e, PGSB_FAILED, true, PGSB_RES_PROCESS, name, log, 0, 0, 0);
		spec_release(&cs);
		return DR_IO;
	}
	if (pid == 0)
		child_exec(e, &cs, -1, log);
	setpgid(pid, pid); /* also set here so the group exists before we return */
	spec_release(&cs);
	unsigned long long ticks = 0;
	for (int i = 0; i < 100 && !ticks; i++) {
		ticks = pgsb_proc_start_ticks(pid);
		if (!ticks)
			usleep(1000);
	}
	out->pid = pid;
	out->start_ticks = ticks;
	out->name = dr_strdup(name);
	DR_GROW(e->procs, e->n_procs, e->cap_procs);
	e->procs[e->n_procs++] = (tracked_proc){pid, ticks};
	track(e, PGSB_DONE, true, PGSB_RES_PROCESS, name, log, pid, ticks, 0);
	return DR_OK;
}

bool pgsb_proc_alive(const pgsb_proc *p)
{
	if (p->pid <= 0)
		return false;
	waitpid(p->pid, NULL, WNOHANG);
	return !proc_gone(p->pid, p->start_ticks);
}

static void forget_proc(pgsb_env *e, pid_t pid)
{
	for (size_t i = 0; i < e->n_procs; i++)
		if (e->procs[i].pid == pid) {
			e->procs[i] = e->procs[--e->n_procs];
			return;
		}
}

void pgsb_proc_stop(pgsb_env *e, pgsb_proc *p)
{
	if (p->pid > 0) {
		track(e, PGSB_BEGIN, false, PGSB_RES_PROCESS, p->name, NULL, p->pid, p->start_ticks, 0);
		if (!proc_gone(p->pid, p->start_ticks)) {
			kill(-p->pid, SIGTERM);
			if (!wait_gone(p->pid, p->start_ticks, 2)) {
				kill(-p->pid, SIGKILL);
				wait_gone(p->pid, p->start_ticks, 5);
			}
		}
		waitpid(p->pid, NULL, WNOHANG);
		track(e, PGSB_DONE, false, PGSB_RES_PROCESS, p->name, NULL, p->pid, p->start_ticks, 0);
		forget_proc(e, p->pid);
	}
	free(p->name);
	*p = (pgsb_proc){0};
}

/* ---- files -------------------------------------------------------------- */

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path) != 0 && errno != ENOENT ? -1 : 0;
}

/* rm -rf, refusing short paths. */
static dr_err rm_rf(const char *path)
{
	struct stat st;
	if (strlen(path) < 6 || strcmp(path, "/") == 0)
		return DR_GUARD;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? DR_OK : DR_IO;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) == 0 ? DR_OK : DR_IO;
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS) == 0 ? DR_OK : DR_IO;
}

static dr_err remove_dir(pgsb_env *e, const char *path, const char *what)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return DR_OK;
	track(e, PGSB_BEGIN, false, PGSB_RES_DIR, what, path, 0, 0, 0);
	dr_err err = rm_rf(path);
	track(e, err ? PGSB_FAILED : PGSB_DONE, false, PGSB_RES_DIR, what, path, 0, 0, 0);
	if (err)
		seterr(e, "cannot remove \"%s\": %s", path, strerror(errno));
	return err;
}

static dr_err chown_user(pgsb_env *e, const char *path)
{
	if (e->switch_user && chown(path, e->uid, e->gid) != 0) {
		seterr(e, "cannot chown \"%s\": %s", path, strerror(errno));
		return DR_IO;
	}
	return DR_OK;
}

static dr_err write_user_file(pgsb_env *e, const char *path, const char *text)
{
	dr_err err = dr_write_atomic(path, text, strlen(text));
	if (err) {
		seterr(e, "cannot write \"%s\": %s", path, strerror(errno));
		return err;
	}
	return chown_user(e, path);
}

/* Mark a directory as the run's own (DRV_TAG_FILE holding the run id). */
static dr_err tag_dir(pgsb_env *e, const char *dir)
{
	if (!e->tag)
		return DR_OK;
	char *path = dr_asprintf("%s/%s", dir, DRV_TAG_FILE);
	char *text = dr_asprintf("%s\n", e->tag);
	dr_err err = write_user_file(e, path, text);
	free(path);
	free(text);
	return err;
}

dr_err pgsb_mkdir(pgsb_env *e, const char *path, const char *what)
{
	struct stat st;
	if (stat(path, &st) == 0)
		return chown_user(e, path);
	track(e, PGSB_BEGIN, true, PGSB_RES_DIR, what, path, 0, 0, 0);
	/* every missing component belongs to the OS user, not only the last */
	char *p = dr_strdup(path);
	dr_err err = DR_OK;
	for (char *slash = p + 1;; slash++) {
		slash = strchr(slash, '/');
		if (slash)
			*slash = '\0';
		if (stat(p, &st) != 0) {
			if (mkdir(p, 0700) != 0 && errno != EEXIST) {
				seterr(e, "cannot create \"%s\": %s", p, strerror(errno));
				err = DR_IO;
			} else {
				err = chown_user(e, p);
			}
		}
		if (err || !slash)
			break;
		*slash = '/';
	}
	free(p);
	if (!err)
		err = tag_dir(e, path);
	track(e, err ? PGSB_FAILED : PGSB_DONE, true, PGSB_RES_DIR, what, path, 0, 0, 0);
	return err;
}

/* Append text to a file of a data directory (ownership is kept). */
static dr_err append_file(pgsb_env *e, const char *path, const char *text)
{
	FILE *f = fopen(path, "a");
	if (!f) {
		seterr(e, "cannot open \"%s\": %s", path, strerror(errno));
		return DR_IO;
	}
	fputs(text, f);
	if (fclose(f) != 0) {
		seterr(e, "cannot write \"%s\": %s", path, strerror(errno));
		return DR_IO;
	}
	return DR_OK;
}

/* Append the tail of a server log to the current message. */
static void add_log_tail(pgsb_env *e, const pgsb_node *nd)
{
	size_t len = 0;
	char *log = dr_read_file(nd->log, &len);
	if (!log)
		return;
	const char *tail = len > LOG_TAIL ? log + len - LOG_TAIL : log;
	size_t used = strlen(e->msg);
	snprintf(e->msg + used, sizeof e->msg - used, "; server log \"%s\" ends:\n%s", nd->log, tail);
	trim(e->msg);
	free(log);
}

/* Paths and names go into configuration values and shell commands. */
static bool safe_text(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:", *s))
			return false;
	return true;
}

/* ---- environment -------------------------------------------------------- */

static bool has_server(const char *dir)
{
	static const char *const need[] = {"postgres", "initdb", "pg_ctl", "pg_basebackup"};
	for (size_t i = 0; i < sizeof need / sizeof *need; i++) {
		char *p = dr_asprintf("%s/%s", dir, need[i]);
		bool ok = access(p, X_OK) == 0;
		free(p);
		if (!ok)
			return false;
	}
	return true;
}

/* The binaries: option, $DRSIM_PG_BINDIR, pg_config --bindir, newest
 * /usr/lib/postgresql/N/bin.  NULL when none has a server. */
static char *find_bindir(const char *opt)
{
	if (opt)
		return has_server(opt) ? dr_strdup(opt) : NULL;
	const char *envdir = getenv("DRSIM_PG_BINDIR");
	if (envdir && *envdir)
		return has_server(envdir) ? dr_strdup(envdir) : NULL;
	FILE *p = popen("pg_config --bindir 2>/dev/null", "r");
	if (p) {
		char line[PATH_MAX] = "";
		bool got = fgets(line, sizeof line, p) != NULL;
		pclose(p);
		trim(line);
		if (got && has_server(line))
			return dr_strdup(line);
	}
	glob_t g;
	char *best = NULL;
	long best_v = -1;
	if (glob("/usr/lib/postgresql/*/bin", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			long v = strtol(g.gl_pathv[i] + strlen("/usr/lib/postgresql/"), NULL, 10);
			if (v > best_v && has_server(g.gl_pathv[i])) {
				best_v = v;
				free(best);
				best = dr_strdup(g.gl_pathv[i]);
			}
		}
		globfree(&g);
	}
	return best;
}

bool pgsb_available(const char *bindir, char *why, size_t n)
{
	char *dir = find_bindir(bindir);
	if (!dir) {
		snprintf(why, n, "no PostgreSQL server binaries found%s%s%s (install the Debian "
			 "\"postgresql\" package or set DRSIM_PG_BINDIR)",
			 bindir ? " in \"" : "", bindir ? bindir : "", bindir ? "\"" : "");
		return false;
	}
	free(dir);
	if (geteuid() == 0 && !getpwnam("drsim") && access("/usr/sbin/useradd", X_OK) != 0) {
		snprintf(why, n, "running as root, no user \"drsim\" and no useradd to create it");
		return false;
	}
	return true;
}

static dr_err resolve_user(pgsb_env *e, const char *name, char *msg, size_t n)
{
	if (geteuid() != 0 && !name) {
		struct passwd *pw = getpwuid(geteuid());
		e->user = dr_strdup(pw ? pw->pw_name : "self");
		return DR_OK;
	}
	const char *want = name ? name : "drsim";
	struct passwd *pw = getpwnam(want);
	if (!pw && geteuid() == 0 && strcmp(want, "drsim") == 0) {
		const char *argv[] = {"/usr/sbin/useradd", "--system", "--user-group", "--no-create-home",
				      "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
				      "drsim", NULL};
		if (pgsb_run(e, argv, 30, NULL) != DR_OK) {
			snprintf(msg, n, "cannot create the user \"drsim\": %s", e->msg);
			return DR_UNSUPPORTED;
		}
		pw = getpwnam(want);
	}
	if (!pw) {
		snprintf(msg, n, "no OS user \"%s\" to run PostgreSQL as", want);
		return DR_UNSUPPORTED;
	}
	if (pw->pw_uid == 0) {
		snprintf(msg, n, "OS user \"%s\" is root: PostgreSQL refuses to run as root", want);
		return DR_UNSUPPORTED;
	}
	e->user = dr_strdup(want);
	e->uid = pw->pw_uid;
	e->gid = pw->pw_gid;
	if (geteuid() == 0) {
		e->switch_user = true;
	} else if (pw->pw_uid != geteuid()) {
		snprintf(msg, n, "cannot run as \"%s\" without root", want);
		return DR_UNSUPPORTED;
	}
	return DR_OK;
}

static dr_err make_root(pgsb_env *e, const char *workdir, char *msg, size_t n)
{
	char *tmpl;
	if (workdir) {
		if (dr_mkdirs(workdir, 0755) != DR_OK) {
			snprintf(msg, n, "cannot create \"%s\": %s", workdir, strerror(errno));
			return DR_IO;
		}
		/* the servers' user must be able to pass through the run's
		 * directory (search only: its listing stays private) */
		struct stat st;
		if (e->switch_user && stat(workdir, &st) == 0 && !(st.st_mode & S_IXOTH) &&
		    chmod(workdir, (st.st_mode & 07777) | S_IXGRP | S_IXOTH) != 0) {
			snprintf(msg, n, "cannot open \"%s\" to user \"%s\": %s", workdir, e->user,
				 strerror(errno));
			return DR_IO;
		}
		tmpl = dr_asprintf("%s/pgsb-XXXXXX", workdir);
	} else {
		const char *tmp = getenv("TMPDIR");
		tmpl = dr_asprintf("%s/drsim-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	}
	track(e, PGSB_BEGIN, true, PGSB_RES_DIR, "work directory", tmpl, 0, 0, 0);
	if (!mkdtemp(tmpl)) {
		snprintf(msg, n, "cannot create a directory \"%s\": %s", tmpl, strerror(errno));
		track(e, PGSB_FAILED, true, PGSB_RES_DIR, "work directory", tmpl, 0, 0, 0);
		free(tmpl);
		return DR_IO;
	}
	e->root = tmpl;
	dr_err err = chown_user(e, tmpl);
	if (!err)
		err = tag_dir(e, tmpl);
	track(e, err ? PGSB_FAILED : PGSB_DONE, true, PGSB_RES_DIR, "work directory", tmpl, 0, 0, 0);
	if (err)
		snprintf(msg, n, "%s", e->msg);
	return err;
}

static void read_version(pgsb_env *e)
{
	const char *argv[] = {"postgres", "--version", NULL};
	dr_buf out = {0};
	if (pgsb_run(e, argv, 10, &out) == DR_OK) {
		e->version = dr_buf_take(&out);
		trim(e->version);
	}
	dr_buf_release(&out);
}

dr_err pgsb_env_new(const pgsb_opts *o, pgsb_env **out, char *msg, size_t n)
{
	pgsb_env *e = dr_calloc(1, sizeof *e);
	dr_err err;
	*out = NULL;
	e->timeout_s = o->timeout_s > 0 ? o->timeout_s : 60;
	e->tag = dr_strdup(o->tag);
	e->track = o->track;
	e->track_ctx = o->track_ctx;
	e->bindir = find_bindir(o->bindir);
	if (!e->bindir) {
		pgsb_available(o->bindir, msg, n);
		err = DR_UNSUPPORTED;
		goto fail;
	}
	err = resolve_user(e, o->os_user, msg, n);
	if (err)
		goto fail;
	err = make_root(e, o->workdir, msg, n);
	if (err)
		goto fail;
	read_version(e);
	*out = e;
	return DR_OK;
fail:
	pgsb_env_free(e);
	return err;
}

/* ---- nodes -------------------------------------------------------------- */

static pgsb_node *node_new(pgsb_env *e, const char *name, const char *datadir, int port)
{
	pgsb_node *nd = dr_calloc(1, sizeof *nd);
	nd->name = dr_strdup(name);
	nd->datadir = dr_strdup(datadir);
	nd->log = dr_asprintf("%s/%s.log", e->root, name);
	nd->port = port;
	nd->shmid = -1;
	DR_GROW(e->nodes, e->n_nodes, e->cap_nodes);
	e->nodes[e->n_nodes++] = nd;
	return nd;
}

static void node_free(pgsb_env *e, pgsb_node *nd)
{
	for (size_t i = 0; i < e->n_nodes; i++)
		if (e->nodes[i] == nd) {
			memmove(e->nodes + i, e->nodes + i + 1, (e->n_nodes - i - 1) * sizeof *e->nodes);
			e->n_nodes--;
			break;
		}
	free(nd->name);
	free(nd->datadir);
	free(nd->log);
	free(nd->lost);
	free(nd);
}

static bool port_free(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bool ok = bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
	close(fd);
	return ok;
}

int pgsb_free_port(const int *avoid, size_t n_avoid)
{
	/* a range below the usual ephemeral ports, starting at a pid- and
	 * time-derived offset so parallel runs rarely probe the same ports */
	unsigned span = 20000, base = 20000;
	unsigned start = (unsigned)(dr_mix64((uint64_t)getpid() ^ (uint64_t)(dr_now_real() * 1e6)) % span);
	for (unsigned i = 0; i < span; i++) {
		int port = (int)(base + (start + i) % span);
		bool taken = false;
		for (size_t k = 0; k < n_avoid; k++)
			taken |= avoid[k] == port;
		if (!taken && port_free(port))
			return port;
	}
	return -1;
}

static int node_port(pgsb_env *e)
{
	int avoid[64];
	size_t n = 0;
	for (size_t i = 0; i < e->n_nodes && n < 64; i++)
		avoid[n++] = e->nodes[i]->port;
	return pgsb_free_port(avoid, n);
}

static bool valid_name(pgsb_env *e, const char *name)
{
	if (!safe_text(name) || strchr(name, '/') || name[0] == '.') {
		seterr(e, "invalid node name \"%s\"", name ? name : "");
		return false;
	}
	for (size_t i = 0; i < e->n_nodes; i++)
		if (strcmp(e->nodes[i]->name, name) == 0) {
			seterr(e, "node \"%s\" exists already", name);
			return false;
		}
	return true;
}

/* Settings every node gets, appended to a configuration file. */
static void base_settings(dr_buf *b, int port, bool fsync)
{
	dr_buf_printf(b,
		      "\n# drsim sandbox\n"
		      "listen_addresses = '127.0.0.1'\n"
		      "port = %d\n"
		      "unix_socket_directories = ''\n"
		      "max_connections = 40\n"
		      "shared_buffers = 16MB\n"
		      "wal_level = replica\n"
		      "max_wal_senders = 10\n"
		      "wal_keep_size = 256MB\n"
		      "hot_standby = on\n"
		      "fsync = %s\n"
		      "synchronous_commit = on\n"
		      "log_line_prefix = '%%m [%%p] '\n"
		      "log_timezone = 'UTC'\n"
		      "timezone = 'UTC'\n",
		      port, fsync ? "on" : "off");
}

dr_err pgsb_initdb(pgsb_env *e, const char *name, const pgsb_conf *c, pgsb_node **out)
{
	dr_buf conf = {0};
	char *datadir = NULL, *path = NULL;
	dr_err err = DR_USAGE;
	*out = NULL;
	if (!valid_name(e, name))
		return DR_USAGE;
	if (c->archive_dir && !safe_text(c->archive_dir)) {
		seterr(e, "archive directory \"%s\" holds characters drsim does not quote", c->archive_dir);
		return DR_USAGE;
	}
	int port = node_port(e);
	if (port < 0) {
		seterr(e, "no free TCP port on 127.0.0.1");
		return DR_IO;
	}
	datadir = dr_asprintf("%s/%s", e->root, name);
	track(e, PGSB_BEGIN, true, PGSB_RES_DIR, "data directory", datadir, 0, 0, port);
	const char *argv[] = {"initdb", "-D", datadir, "-U", DB_USER, "--auth=trust", "-E", "UTF8",
			      "--locale=C", "--no-sync", "--no-instructions", NULL};
	err = pgsb_run(e, argv, e->timeout_s, NULL);
	if (!err)
		err = tag_dir(e, datadir);
	track(e, err ? PGSB_FAILED : PGSB_DONE, true, PGSB_RES_DIR, "data directory", datadir, 0, 0,
	      port);
	if (err)
		goto done;
	base_settings(&conf, port, c->fsync);
	if (c->archive_dir) {
		double at = c->archive_timeout_s;
		dr_buf_printf(&conf,
			      "archive_mode = on\n"
			      "archive_command = 'test ! -f %s/%%f && cp %%p %s/%%f'\n"
			      "archive_timeout = %ds\n",
			      c->archive_dir, c->archive_dir, at > 0 ? (at < 1 ? 1 : (int)(at + 0.5)) : 0);
	}
	path = dr_asprintf("%s/postgresql.conf", datadir);
	err = append_file(e, path, conf.s);
	if (err)
		goto done;
	*out = node_new(e, name, datadir, port);
done:
	free(datadir);
	free(path);
	dr_buf_release(&conf);
	return err;
}

/* postmaster.pid: line 1 pid, line 7 "shmkey shmid". */
static bool read_pidfile(const pgsb_node *nd, pid_t *pid, int *shmid)
{
	char *path = dr_asprintf("%s/postmaster.pid", nd->datadir);
	char *text = dr_read_file(path, NULL);
	free(path);
	if (!text)
		return false;
	*pid = (pid_t)strtol(text, NULL, 10);
	*shmid = -1;
	const char *line = text;
	for (int i = 1; i < 7 && line; i++) {
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	if (line) {
		long key = 0, id = -1;
		if (sscanf(line, "%ld %ld", &key, &id) == 2)
			*shmid = (int)id;
	}
	free(text);
	return *pid > 0;
}

static void kill_leftover(pgsb_node *nd)
{
	pid_t pid;
	int shmid;
	if (read_pidfile(nd, &pid, &shmid)) {
		unsigned long long t = pgsb_proc_start_ticks(pid);
		if (t)
			kill_checked(pid, t);
	}
}

dr_err pgsb_start(pgsb_env *e, pgsb_node *nd)
{
	char t[32];
	if (nd->running)
		return DR_OK;
	snprintf(t, sizeof t, "%d", (int)(e->timeout_s + 0.5));
	track(e, PGSB_BEGIN, true, PGSB_RES_PROCESS, "postgres", nd->datadir, 0, 0, nd->port);
	const char *argv[] = {"pg_ctl", "-D", nd->datadir, "-l", nd->log, "-w", "-t", t, "-s", "start",
			      NULL};
	dr_err err = pgsb_run(e, argv, e->timeout_s + 10, NULL);
	pid_t pid = 0;
	int shmid = -1;
	if (!err && !read_pidfile(nd, &pid, &shmid)) {
		seterr(e, "server \"%s\" started but left no postmaster.pid", nd->name);
		err = DR_DRIVER;
	}
	if (err) {
		wrap_err(e, "cannot start server \"%s\" on port %d", nd->name, nd->port);
		add_log_tail(e, nd);
		kill_leftover(nd);
		track(e, PGSB_FAILED, true, PGSB_RES_PROCESS, "postgres", nd->datadir, 0, 0, nd->port);
		return err;
	}
	nd->pid = pid;
	nd->shmid = shmid;
	nd->start_ticks = pgsb_proc_start_ticks(pid);
	nd->running = true;
	track(e, PGSB_DONE, true, PGSB_RES_PROCESS, "postgres", nd->datadir, pid, nd->start_ticks,
	      nd->port);
	return DR_OK;
}

dr_err pgsb_stop(pgsb_env *e, pgsb_node *nd, bool immediate)
{
	char t[32];
	if (!nd->running)
		return DR_OK;
	snprintf(t, sizeof t, "%d", (int)(e->timeout_s + 0.5));
	track(e, PGSB_BEGIN, false, PGSB_RES_PROCESS, "postgres", nd->datadir, nd->pid, nd->start_ticks,
	      nd->port);
	const char *argv[] = {"pg_ctl", "-D", nd->datadir, "-m", immediate ? "immediate" : "fast", "-w",
			      "-t", t, "-s", "stop", NULL};
	dr_err err = pgsb_run(e, argv, e->timeout_s + 10, NULL);
	if (!err && !wait_gone(nd->pid, nd->start_ticks, e->timeout_s)) {
		seterr(e, "server \"%s\" (pid %d) still runs after pg_ctl stop", nd->name, (int)nd->pid);
		err = DR_TIMEOUT;
	}
	track(e, err ? PGSB_FAILED : PGSB_DONE, false, PGSB_RES_PROCESS, "postgres", nd->datadir,
	      nd->pid, nd->start_ticks, nd->port);
	if (!err)
		nd->running = false;
	return err;
}

dr_err pgsb_kill(pgsb_env *e, pgsb_node *nd)
{
	if (!nd->running) {
		seterr(e, "server \"%s\" is not running", nd->name);
		return DR_USAGE;
	}
	track(e, PGSB_BEGIN, false, PGSB_RES_PROCESS, "postgres", nd->datadir, nd->pid, nd->start_ticks,
	      nd->port);
	kill_group(nd->pid, SIGKILL);
	if (!wait_gone(nd->pid, nd->start_ticks, e->timeout_s)) {
		seterr(e, "server \"%s\" (pid %d) survived SIGKILL", nd->name, (int)nd->pid);
		track(e, PGSB_FAILED, false, PGSB_RES_PROCESS, "postgres", nd->datadir, nd->pid,
		      nd->start_ticks, nd->port);
		return DR_TIMEOUT;
	}
	/* a killed postmaster leaves its SysV segment behind; it goes once
	 * the last attached backend has exited */
	if (nd->shmid >= 0)
		shmctl(nd->shmid, IPC_RMID, NULL);
	nd->running = false;
	track(e, PGSB_DONE, false, PGSB_RES_PROCESS, "postgres", nd->datadir, nd->pid, nd->start_ticks,
	      nd->port);
	return DR_OK;
}

dr_err pgsb_take_away(pgsb_env *e, pgsb_node *nd)
{
	if (nd->running) {
		seterr(e, "server \"%s\" still runs: kill or stop it first", nd->name);
		return DR_USAGE;
	}
	if (nd->lost) {
		seterr(e, "the data directory of \"%s\" is gone already", nd->name);
		return DR_USAGE;
	}
	char *lost = dr_asprintf("%s.lost", nd->datadir);
	track(e, PGSB_BEGIN, true, PGSB_RES_DIR, "lost data directory", lost, 0, 0, 0);
	if (rename(nd->datadir, lost) != 0) {
		seterr(e, "cannot move \"%s\" away: %s", nd->datadir, strerror(errno));
		track(e, PGSB_FAILED, true, PGSB_RES_DIR, "lost data directory", lost, 0, 0, 0);
		free(lost);
		return DR_IO;
	}
	nd->lost = lost;
	track(e, PGSB_DONE, true, PGSB_RES_DIR, "lost data directory", lost, 0, 0, 0);
	return DR_OK;
}

dr_err pgsb_node_destroy(pgsb_env *e, pgsb_node *nd)
{
	dr_err err = DR_OK;
	if (nd->running && pgsb_stop(e, nd, true) != DR_OK && pgsb_kill(e, nd) != DR_OK)
		err = DR_DRIVER;
	if (!nd->running) {
		if (remove_dir(e, nd->datadir, "data directory"))
			err = DR_IO;
		if (nd->lost && remove_dir(e, nd->lost, "lost data directory"))
			err = DR_IO;
		unlink(nd->log);
		node_free(e, nd);
	}
	return err;
}

static void destroy_all(pgsb_env *e, bool keep_dirs, bool *ok)
{
	for (size_t i = 0; i < e->n_procs; i++) {
		tracked_proc p = e->procs[i];
		track(e, PGSB_BEGIN, false, PGSB_RES_PROCESS, "process", NULL, p.pid, p.start_ticks, 0);
		bool gone = kill_checked(p.pid, p.start_ticks);
		waitpid(p.pid, NULL, WNOHANG);
		track(e, gone ? PGSB_DONE : PGSB_FAILED, false, PGSB_RES_PROCESS, "process", NULL, p.pid,
		      p.start_ticks, 0);
		*ok &= gone;
	}
	e->n_procs = 0;
	while (e->n_nodes) {
		pgsb_node *nd = e->nodes[e->n_nodes - 1];
		if (keep_dirs) {
			if (nd->running && pgsb_stop(e, nd, true) != DR_OK && pgsb_kill(e, nd) != DR_OK)
				*ok = false;
			node_free(e, nd);
		} else if (pgsb_node_destroy(e, nd) != DR_OK) {
			*ok = false;
			if (e->n_nodes && e->nodes[e->n_nodes - 1] == nd)
				node_free(e, nd);
		}
	}
}

static void env_free(pgsb_env *e, bool keep_dirs, bool *ok)
{
	if (!e)
		return;
	char saved[sizeof e->msg] = "";
	destroy_all(e, keep_dirs, ok);
	if (!*ok)
		snprintf(saved, sizeof saved, "%s", e->msg);
	if (e->root && !keep_dirs && remove_dir(e, e->root, "work directory") != DR_OK) {
		*ok = false;
		snprintf(saved, sizeof saved, "%s", e->msg);
	}
	if (*saved)
		dr_warn("%s", saved);
	free(e->nodes);
	free(e->procs);
	free(e->bindir);
	free(e->root);
	free(e->user);
	free(e->version);
	free(e->tag);
	free(e);
}

bool pgsb_env_free(pgsb_env *e)
{
	bool ok = true;
	env_free(e, false, &ok);
	return ok;
}

void pgsb_env_free_keep(pgsb_env *e)
{
	bool ok = true;
	env_free(e, true, &ok);
}

/* ---- SQL ---------------------------------------------------------------- */

static PGconn *connect_node(pgsb_env *e, const pgsb_node *nd)
{
	char ci[256];
	pgsb_conninfo(nd, ci, sizeof ci);
	PGconn *c = PQconnectdb(ci);
	if (PQstatus(c) != CONNECTION_OK) {
		char m[1024];
		snprintf(m, sizeof m, "%s", PQerrorMessage(c));
		trim(m);
		seterr(e, "cannot connect to \"%s\" (port %d): %s", nd->name, nd->port, m);
		PQfinish(c);
		return NULL;
	}
	return c;
}

/* One statement on an open connection; the first value into out. */
static dr_err conn_query(pgsb_env *e, PGconn *c, const pgsb_node *nd, const char *sql, char *out,
			 size_t n)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);
	dr_err err = DR_OK;
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		char m[1024];
		snprintf(m, sizeof m, "%s", PQerrorMessage(c));
		trim(m);
		seterr(e, "query on \"%s\" failed: %s (sql: %.200s)", nd->name, m, sql);
		err = DR_DRIVER;
	} else if (out) {
		snprintf(out, n, "%s",
			 st == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)
				 ? PQgetvalue(r, 0, 0)
				 : "");
	}
	PQclear(r);
	return err;
}

static dr_err query(pgsb_env *e, const pgsb_node *nd, const char *sql, char *out, size_t n)
{
	PGconn *c = connect_node(e, nd);
	if (!c)
		return DR_DRIVER;
	dr_err err = conn_query(e, c, nd, sql, out, n);
	PQfinish(c);
	return err;
}

dr_err pgsb_exec(pgsb_env *e, const pgsb_node *nd, const char *sql)
{
	return query(e, nd, sql, NULL, 0);
}

dr_err pgsb_query(pgsb_env *e, const pgsb_node *nd, const char *sql, char *out, size_t n)
{
	return query(e, nd, sql, out, n);
}

dr_err pgsb_exec_xact(pgsb_env *e, const pgsb_node *nd, const char *sql, char *xid, size_t xid_n,
		      char *lsn_before, size_t lsn_n)
{
	PGconn *c = connect_node(e, nd);
	if (!c)
		return DR_DRIVER;
	dr_err err = conn_query(e, c, nd, "SELECT pg_current_wal_insert_lsn()", lsn_before, lsn_n);
	if (!err)
		err = conn_query(e, c, nd, "BEGIN", NULL, 0);
	if (!err)
		err = conn_query(e, c, nd, "SELECT txid_current()", xid, xid_n);
	if (!err)
		err = conn_query(e, c, nd, sql, NULL, 0);
	if (!err)
		err = conn_query(e, c, nd, "COMMIT", NULL, 0);
	PQfinish(c);
	return err;
}

static bool server_died(pgsb_node *nd)
{
	if (nd->running && proc_gone(nd->pid, nd->start_ticks)) {
		nd->running = false;
		return true;
	}
	return false;
}

dr_err pgsb_wait_value(pgsb_env *e, const pgsb_node *nd, const char *sql, const char *want,
		       double timeout_s)
{
	double end = dr_now_mono() + timeout_s;
	char got[256] = "";
	for (;;) {
		dr_err err = query(e, nd, sql, got, sizeof got);
		if (!err && strcmp(got, want) == 0)
			return DR_OK;
		if (server_died((pgsb_node *)nd)) {
			wrap_err(e, "server \"%s\" exited while waiting for \"%s\" = %s", nd->name, sql,
				 want);
			add_log_tail(e, nd);
			return DR_DRIVER;
		}
		if (dr_now_mono() > end) {
			if (!err)
				seterr(e, "%s", got);
			wrap_err(e, "timed out after %.0f s waiting on \"%s\" for \"%s\" = %s (last)",
				 timeout_s, nd->name, sql, want);
			add_log_tail(e, nd);
			return DR_TIMEOUT;
		}
		usleep(50000);
	}
}

dr_err pgsb_wait_archived(pgsb_env *e, const pgsb_node *nd, const char *lsn, const char *archive_dir,
			  double timeout_s)
{
	char sql[128], seg[64];
	if (!safe_text(lsn)) {
		seterr(e, "invalid LSN \"%s\"", lsn ? lsn : "");
		return DR_USAGE;
	}
	snprintf(sql, sizeof sql, "SELECT pg_walfile_name('%s')", lsn);
	dr_err err = query(e, nd, sql, seg, sizeof seg);
	if (err)
		return err;
	char *path = dr_asprintf("%s/%s", archive_dir, seg);
	double end = dr_now_mono() + timeout_s;
	while (access(path, F_OK) != 0) {
		if (dr_now_mono() > end) {
			seterr(e, "WAL segment \"%s\" not archived to \"%s\" within %.0f s", seg, archive_dir,
			       timeout_s);
			free(path);
			return DR_TIMEOUT;
		}
		usleep(50000);
	}
	free(path);
	return DR_OK;
}

/* ---- backups, standbys, promotion, restores ----------------------------- */

dr_err pgsb_basebackup(pgsb_env *e, const pgsb_node *src, const char *dest, const char *appname)
{
	char ci[256];
	if (appname && !safe_text(appname)) {
		seterr(e, "invalid application name \"%s\"", appname);
		return DR_USAGE;
	}
	snprintf(ci, sizeof ci, "host=127.0.0.1 port=%d user=%s%s%s", src->port, DB_USER,
		 appname ? " application_name=" : "", appname ? appname : "");
	track(e, PGSB_BEGIN, true, PGSB_RES_DIR, "base backup", dest, 0, 0, 0);
	const char *argv[] = {"pg_basebackup", "-d", ci, "-D", dest, "-F", "p", "-X", "stream", "-c",
			      "fast", "--no-sync", appname ? "-R" : NULL, NULL};
	dr_err err = pgsb_run(e, argv, e->timeout_s, NULL);
	if (!err)
		err = tag_dir(e, dest);
	track(e, err ? PGSB_FAILED : PGSB_DONE, true, PGSB_RES_DIR, "base backup", dest, 0, 0, 0);
	if (err) {
		wrap_err(e, "base backup of \"%s\" into \"%s\" failed", src->name, dest);
	}
	return err;
}

/* Settings for a node derived from another's data directory: its own port,
 * no archiving of its own, no synchronous standby of its own. */
static dr_err derived_settings(pgsb_env *e, const char *datadir, int port, const char *extra)
{
	char *path = dr_asprintf("%s/postgresql.auto.conf", datadir);
	char *text = dr_asprintf("# drsim: node settings\nport = %d\narchive_mode = off\n"
				 "synchronous_standby_names = ''\n%s",
				 port, extra ? extra : "");
	dr_err err = append_file(e, path, text);
	free(path);
	free(text);
	return err;
}

dr_err pgsb_standby(pgsb_env *e, pgsb_node *primary, const char *name, bool sync, pgsb_node **out)
{
	char sql[256];
	char *datadir = NULL;
	*out = NULL;
	if (!valid_name(e, name))
		return DR_USAGE;
	int port = node_port(e);
	if (port < 0) {
		seterr(e, "no free TCP port on 127.0.0.1");
		return DR_IO;
	}
	datadir = dr_asprintf("%s/%s", e->root, name);
	dr_err err = pgsb_basebackup(e, primary, datadir, name);
	if (err)
		goto done;
	err = derived_settings(e, datadir, port, NULL);
	if (err)
		goto done;
	pgsb_node *nd = node_new(e, name, datadir, port);
	err = pgsb_start(e, nd);
	if (err)
		goto done;
	*out = nd;
	if (sync) {
		snprintf(sql, sizeof sql, "ALTER SYSTEM SET synchronous_standby_names = '\"%s\"'", name);
		err = pgsb_exec(e, primary, sql);
		if (!err)
			err = pgsb_exec(e, primary, "ALTER SYSTEM SET synchronous_commit = 'on'");
		if (!err)
			err = pgsb_exec(e, primary, "SELECT pg_reload_conf()");
		if (err)
			goto done;
	}
	snprintf(sql, sizeof sql,
		 "SELECT sync_state FROM pg_stat_replication WHERE application_name = '%s' "
		 "AND state = 'streaming'",
		 name);
	err = pgsb_wait_value(e, primary, sql, sync ? "sync" : "async", e->timeout_s);
done:
	free(datadir);
	return err;
}

dr_err pgsb_promote(pgsb_env *e, pgsb_node *nd)
{
	char t[32];
	if (!nd->running) {
		seterr(e, "server \"%s\" is not running", nd->name);
		return DR_USAGE;
	}
	snprintf(t, sizeof t, "%d", (int)(e->timeout_s + 0.5));
	const char *argv[] = {"pg_ctl", "-D", nd->datadir, "-w", "-t", t, "-s", "promote", NULL};
	dr_err err = pgsb_run(e, argv, e->timeout_s + 10, NULL);
	if (err) {
		add_log_tail(e, nd);
		return err;
	}
	return pgsb_wait_value(e, nd, "SELECT pg_is_in_recovery()", "f", e->timeout_s);
}

static void recovery_settings(dr_buf *b, const char *archive_dir, const pgsb_target *t)
{
	static const char *const key[] = {
		[PGSB_TARGET_TIME] = "recovery_target_time",
		[PGSB_TARGET_LSN] = "recovery_target_lsn",
		[PGSB_TARGET_XID] = "recovery_target_xid",
	};
	dr_buf_printf(b, "restore_command = 'cp %s/%%f %%p'\nrecovery_target_timeline = 'latest'\n",
		      archive_dir);
	if (t && t->kind != PGSB_TARGET_LATEST)
		dr_buf_printf(b, "%s = '%s'\nrecovery_target_inclusive = %s\n"
				 "recovery_target_action = 'promote'\n",
			      key[t->kind], t->value, t->inclusive ? "on" : "off");
}

static bool valid_target(pgsb_env *e, const pgsb_target *t)
{
	if (!t || t->kind == PGSB_TARGET_LATEST)
		return true;
	for (const char *p = t->value; p && *p; p++)
		if (!strchr("0123456789abcdefABCDEF-:./+ TZ", *p))
			goto bad;
	if (t->value && *t->value)
		return true;
bad:
	seterr(e, "invalid recovery target \"%s\"", t->value ? t->value : "");
	return false;
}

dr_err pgsb_restore_prepare(pgsb_env *e, const char *name, const char *backup_dir,
			    const char *archive_dir, const pgsb_target *t, pgsb_node **out)
{
	dr_buf extra = {0};
	char *datadir = NULL, *path = NULL;
	dr_err err = DR_USAGE;
	*out = NULL;
	if (!valid_name(e, name) || !valid_target(e, t))
		return DR_USAGE;
	if (archive_dir && !safe_text(archive_dir)) {
		seterr(e, "archive directory \"%s\" holds characters drsim does not quote", archive_dir);
		return DR_USAGE;
	}
	int port = node_port(e);
	if (port < 0) {
		seterr(e, "no free TCP port on 127.0.0.1");
		return DR_IO;
	}
	datadir = dr_asprintf("%s/%s", e->root, name);
	track(e, PGSB_BEGIN, true, PGSB_RES_DIR, "restored data directory", datadir, 0, 0, port);
	const char *argv[] = {"/bin/cp", "-a", "--", backup_dir, datadir, NULL};
	err = pgsb_run(e, argv, e->timeout_s, NULL);
	if (!err)
		err = tag_dir(e, datadir);
	track(e, err ? PGSB_FAILED : PGSB_DONE, true, PGSB_RES_DIR, "restored data directory", datadir,
	      0, 0, port);
	if (err)
		goto done;
	/* a backup taken for a standby carries standby.signal: this is a restore */
	path = dr_asprintf("%s/standby.signal", datadir);
	unlink(path);
	free(path);
	path = NULL;
	if (archive_dir) {
		recovery_settings(&extra, archive_dir, t);
		path = dr_asprintf("%s/recovery.signal", datadir);
		err = write_user_file(e, path, "");
		if (err)
			goto done;
	}
	err = derived_settings(e, datadir, port, extra.s);
	if (err)
		goto done;
	*out = node_new(e, name, datadir, port);
done:
	free(datadir);
	free(path);
	dr_buf_release(&extra);
	return err;
}

dr_err pgsb_recover(pgsb_env *e, pgsb_node *nd)
{
	dr_err err = pgsb_start(e, nd);
	if (err)
		return err;
	return pgsb_wait_value(e, nd, "SELECT pg_is_in_recovery()", "f", e->timeout_s);
}

dr_err pgsb_restore(pgsb_env *e, const char *name, const char *backup_dir, const char *archive_dir,
		    const pgsb_target *t, pgsb_node **out)
{
	dr_err err = pgsb_restore_prepare(e, name, backup_dir, archive_dir, t, out);
	return err ? err : pgsb_recover(e, *out);
}

void pgsb_set_timeout(pgsb_env *e, double timeout_s)
{
	if (timeout_s > 0)
		e->timeout_s = timeout_s;
}
