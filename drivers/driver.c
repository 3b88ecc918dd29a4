/*
 * driver.c - the driver core: contexts, the wrappers that are the only
 * callers of ops-> (and where faults are injected), options, logging,
 * redaction and journalled resource ownership.  The registry is in
 * registry.c, the drivers in their own files.
 */
#define _GNU_SOURCE
#include "driver.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *const drv_cap_names[8] = {"setup", "inject", "canary", "restore",
				      "pitr", "promote", "health", "step"};
const char *const drv_phase_names[DRV__NPHASE] = {"setup", "canary", "inject", "step",
						  "verify", "cleanup"};

drv_ctx *drv_ctx_new(const drv_ops *ops, const drv_ctx_init *init)
{
	drv_ctx *c = dr_calloc(1, sizeof(*c));
	c->ops = ops;
	c->run_id = init->run_id;
	c->scn = init->scn;
	c->strategy = init->scn ? init->scn->strategy : SCN_BACKUP_RESTORE;
	c->disaster = init->disaster;
	c->workdir = init->workdir;
	c->journal = init->journal;
	c->dry_run = init->dry_run;
	c->log = init->log;
	c->priv = ops->priv_size ? dr_calloc(1, ops->priv_size) : NULL;
	return c;
}

void drv_ctx_free(drv_ctx *c)
{
	if (!c)
		return;
	free(c->priv);
	free(c);
}

/* --- fault injection ---------------------------------------------------- */

typedef struct {
	char name[64], op[24];
	unsigned n;
	bool onward; /* "N+": the Nth and every later call */
} fault_rule;

typedef struct {
	char name[64], op[24];
	unsigned calls;
} fault_count;

static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;
static fault_rule fault_rules[16];
static size_t n_fault_rules;
static fault_count fault_counts[64];
static size_t n_fault_counts;
static bool fault_configured;

static dr_err parse_rule(const char *s, fault_rule *r)
{
	char buf[128];
	if (strlen(s) >= sizeof buf)
		return DR_PARSE;
	strcpy(buf, s);
	char *parts[4];
	char *save = NULL;
	size_t np = 0;
	for (char *p = strtok_r(buf, ":", &save); p && np < 4; p = strtok_r(NULL, ":", &save))
		parts[np++] = p;
	if (np != 4 || strtok_r(NULL, ":", &save) || strcmp(parts[0], "drv") != 0)
		return DR_PARSE;
	if (strlen(parts[1]) >= sizeof r->name || strlen(parts[2]) >= sizeof r->op)
		return DR_PARSE;
	char *end = NULL;
	long n = strtol(parts[3], &end, 10);
	if (end == parts[3] || n < 1 || (*end && strcmp(end, "+") != 0))
		return DR_PARSE;
	strcpy(r->name, parts[1]);
	strcpy(r->op, parts[2]);
	r->n = (unsigned)n;
	r->onward = *end == '+';
	return DR_OK;
}

static dr_err fault_set_locked(const char *spec)
{
	n_fault_rules = 0;
	n_fault_counts = 0;
	fault_configured = true;
	if (!spec || !*spec)
		return DR_OK;
	char *copy = dr_strdup(spec);
	char *save = NULL;
	dr_err err = DR_OK;
	for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (n_fault_rules == sizeof fault_rules / sizeof fault_rules[0] ||
		    parse_rule(p, &fault_rules[n_fault_rules]) != DR_OK) {
			dr_error("bad fault rule '%s' (want drv:<driver>:<op>:<N>[+])", p);
			n_fault_rules = 0;
			err = DR_PARSE;
			break;
		}
		n_fault_rules++;
	}
	free(copy);
	return err;
}

dr_err drv_fault_set(const char *spec)
{
	pthread_mutex_lock(&fault_lock);
	dr_err err = fault_set_locked(spec);
	pthread_mutex_unlock(&fault_lock);
	return err;
}

static fault_count *count_for(const char *name, const char *op)
{
	for (size_t i = 0; i < n_fault_counts; i++)
		if (strcmp(fault_counts[i].name, name) == 0 && strcmp(fault_counts[i].op, op) == 0)
			return &fault_counts[i];
	if (n_fault_counts == sizeof fault_counts / sizeof fault_counts[0])
		return NULL;
	fault_count *fc = &fault_counts[n_fault_counts++];
	snprintf(fc->name, sizeof fc->name, "%s", name);
	snprintf(fc->op, sizeof fc->op, "%s", op);
	fc->calls = 0;
	return fc;
}

unsigned drv_fault_calls(const char *name, const char *op)
{
	pthread_mutex_lock(&fault_lock);
	unsigned n = 0;
	for (size_t i = 0; i < n_fault_counts; i++)
		if (strcmp(fault_counts[i].name, name) == 0 && strcmp(fault_counts[i].op, op) == 0)
			n = fault_counts[i].calls;
	pthread_mutex_unlock(&fault_lock);
	return n;
}

/* Count one call of op on driver name; true when a rule says it fails. */
static bool fault_hit(const char *name, const char *op)
{
	bool hit = false;
	pthread_mutex_lock(&fault_lock);
	if (!fault_configured && fault_set_locked(getenv("DRSIM_FAULT")) != DR_OK)
		n_fault_rules = 0;
	fault_count *fc = count_for(name, op);
	if (fc) {
		unsigned k = ++fc->calls;
		for (size_t i = 0; i < n_fault_rules; i++) {
			const fault_rule *r = &fault_rules[i];
			if (strcmp(r->name, name) == 0 && strcmp(r->op, op) == 0 &&
			    (k == r->n || (r->onward && k > r->n)))
				hit = true;
		}
	}
	pthread_mutex_unlock(&fault_lock);
	if (hit)
		dr_error("'%s' %s: injected fault", name, op);
	return hit;
}

static volatile sig_atomic_t interrupted;

void drv_interrupt(void)
{
	interrupted = 1;
}

bool drv_interrupted(void)
{
	return interrupted != 0;
}

/* --- wrappers ----------------------------------------------------------- */

static dr_err missing(const drv_ctx *c, const char *op)
{
	dr_error("driver '%s' does not support '%s'", c->ops->name, op);
	return DR_UNSUPPORTED;
}

bool drv_supported(const drv_ops *ops, char *why, size_t n)
{
	if (!drv_ops_valid(ops, why, n))
		return false;
	if (fault_hit(ops->name, "supported")) {
		snprintf(why, n, "injected fault");
		return false;
	}
	return ops->supported(why, n);
}

dr_err drv_setup(drv_ctx *c)
{
	if (fault_hit(c->ops->name, "setup"))
		return DR_DRIVER;
	if (!c->ops->setup)
		return DR_OK; /* nothing to build: the driver attaches to what exists */
	return c->ops->setup(c);
}

dr_err drv_endpoint(drv_ctx *c, char *conninfo, size_t n)
{
	if (fault_hit(c->ops->name, "endpoint"))
		return DR_DRIVER;
	if (!c->ops->endpoint)
		return missing(c, "endpoint");
	return c->ops->endpoint(c, conninfo, n);
}

dr_err drv_inject(drv_ctx *c, scn_disaster_kind k, double *event_at)
{
	*event_at = dr_now_real();
	if (fault_hit(c->ops->name, "inject"))
		return DR_DRIVER;
	if (!c->ops->inject)
		return missing(c, "inject");
	dr_err err = c->ops->inject(c, k, event_at);
	if (err == DR_OK)
		c->event_at = *event_at;
	return err;
}

dr_err drv_step(drv_ctx *c, const scn_step *s, drv_step_out *out)
{
	memset(out, 0, sizeof(*out));
	out->exit_status = -1;
	if (fault_hit(c->ops->name, "step"))
		return DR_DRIVER;
	if (!c->ops->step)
		return missing(c, "step");
	return c->ops->step(c, s, out);
}

dr_err drv_describe(drv_ctx *c, drv_phase phase, const scn_step *s, dr_buf *out)
{
	if (fault_hit(c->ops->name, "describe"))
		return DR_DRIVER;
	return c->ops->describe(c, phase, s, out);
}

dr_err drv_verify(drv_ctx *c, dr_buf *report)
{
	if (fault_hit(c->ops->name, "verify"))
		return DR_DRIVER;
	if (!c->ops->verify)
		return missing(c, "verify");
	return c->ops->verify(c, report);
}

dr_err drv_cleanup(drv_ctx *c)
{
	if (fault_hit(c->ops->name, "cleanup"))
		return DR_DRIVER;
	if (!c->ops->cleanup)
		return DR_OK;
	return c->ops->cleanup(c);
}

dr_err drv_cleanup_entry(const drv_ops *ops, const json_t *entry, const char *run)
{
	const char *tag = json_string_value(json_object_get(entry, "tag"));
	if (!tag || strcmp(tag, run) != 0) {
		dr_error("refusing to remove '%s': its tag is not run '%s'",
			 json_string_value(json_object_get(entry, "id")) ?: "?", run);
		return DR_GUARD;
	}
	if (fault_hit(ops->name, "cleanup_entry"))
		return DR_DRIVER;
	if (ops->cleanup_entry)
		return ops->cleanup_entry(entry, run);
	return drv_remove_entry(entry, run);
}

dr_err drv_health(drv_ctx *c, double *healthy_at_mono)
{
	*healthy_at_mono = 0;
	if (fault_hit(c->ops->name, "health"))
		return DR_DRIVER;
	if (!c->ops->health)
		return missing(c, "health");
	return c->ops->health(c, healthy_at_mono);
}

/* --- options, logging, redaction --------------------------------------- */

const char *drv_opt(const drv_ctx *c, const char *name)
{
	const drv_option *o = c->ops->options;
	while (o && o->name && strcmp(o->name, name) != 0)
		o++;
	if (!o || !o->name)
		DR_BUG("driver '%s' reads undeclared option '%s'", c->ops->name, name);
	if (c->scn)
		for (size_t i = 0; i < c->scn->drill.n_params; i++)
			if (strcmp(c->scn->drill.params[i].key, name) == 0)
				return c->scn->drill.params[i].value;
	return o->def;
}

void drv_log(const drv_ctx *c, const char *fmt, ...)
{
	if (!c->log)
		return;
	va_list ap;
	va_start(ap, fmt);
	dr_buf b = {0};
	dr_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	char *safe = drv_redact(b.s ? b.s : "");
	fprintf(c->log, "  [%s] %s\n", c->ops->name, safe);
	fflush(c->log);
	free(safe);
	dr_buf_release(&b);
}

static bool sensitive_key(const char *key, size_t n)
{
	static const char *const words[] = {"password", "passwd", "secret", "token", "signature",
					    "credential", "authorization", "apikey", "api_key"};
	char low[64];
	if (n == 0 || n >= sizeof low)
		return false;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)key[i]);
	low[n] = '\0';
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strstr(low, words[i]))
			return true;
	return false;
}

static bool key_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '-';
}

/* Mask a URL's userinfo password: scheme://user:PASS@host. */
static void redact_urls(char *s)
{
	for (char *p = strstr(s, "://"); p; p = strstr(p + 3, "://")) {
		char *user = p + 3;
		size_t span = strcspn(user, "/ \t\n\"'?#");
		char *at = memchr(user, '@', span);
		if (!at)
			continue;
		char *colon = memchr(user, ':', (size_t)(at - user));
		if (colon)
			memset(colon + 1, '\x01', (size_t)(at - colon - 1));
	}
}

char *drv_redact(const char *in)
{
	char *s = dr_strdup(in);
	redact_urls(s);
	/* key=value, key: value and "key":"value" with a sensitive key. */
	for (char *p = s; *p; p++) {
		if (*p != '=' && *p != ':')
			continue;
		char *k_end = p;
		if (k_end > s && k_end[-1] == '"')
			k_end--;
		char *k = k_end;
		while (k > s && key_char(k[-1]))
			k--;
		if (!sensitive_key(k, (size_t)(k_end - k)))
			continue;
		bool to_eol = (size_t)(k_end - k) == 13 && strncasecmp(k, "authorization", 13) == 0;
		char *v = p + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		char quote = (*v == '\'' || *v == '"') ? *v : 0;
		if (quote)
			v++;
		char *e = v;
		while (*e && *e != '\n' &&
		       (quote ? *e != quote : (to_eol || !strchr(" \t&,;}\"'", *e))))
			e++;
		if (e > v)
			memset(v, '\x01', (size_t)(e - v));
		p = e > p ? e - 1 : p;
	}
	/* AWS access key ids. */
	for (char *p = s; (p = strstr(p, "AKIA")) != NULL; p += 4) {
		size_t n = 4;
		while (n < 20 && (isupper((unsigned char)p[n]) || isdigit((unsigned char)p[n])))
			n++;
		if (n == 20)
			memset(p + 4, '\x01', 16);
	}
	/* Collapse each masked run to "***". */
	dr_buf b = {0};
	for (char *p = s; *p;) {
		if (*p == '\x01') {
			while (*p == '\x01')
				p++;
			dr_buf_puts(&b, "***");
		} else {
			size_t n = strcspn(p, "\x01");
			dr_buf_add(&b, p, n);
			p += n;
		}
	}
	free(s);
	return dr_buf_take(&b);
}

/* --- journal helpers ---------------------------------------------------- */

dr_err drv_journal(drv_ctx *c, const char *phase, const char *action, const char *kind,
		   const char *id, json_t *extra)
{
	if (!c->journal) {
		json_decref(extra);
		return DR_OK;
	}
	char *safe = drv_redact(id ? id : "");
	dr_err err = sim_journal_log(c->journal, phase, action, kind, id ? safe : NULL, c->ops->name, extra);
	free(safe);
	return err;
}

static dr_err write_tag(const char *dir, const char *run)
{
	char *path = dr_asprintf("%s/%s", dir, DRV_TAG_FILE);
	char *line = dr_asprintf("%s\n", run);
	dr_err err = dr_write_atomic(path, line, strlen(line));
	free(path);
	free(line);
	return err;
}

dr_err drv_mkdir(drv_ctx *c, const char *path, unsigned mode)
{
	dr_err err = DR_OK;
	struct stat st;
	if (lstat(path, &st) == 0) {
		dr_error("refusing to use '%s': it already exists and is not this run's own", path);
		return DR_GUARD;
	}
	err = drv_journal(c, "begin", "create", "dir", path, NULL);
	if (err != DR_OK)
		return err;
	err = dr_mkdirs(path, mode);
	if (err == DR_OK)
		err = write_tag(path, c->run_id);
	if (err != DR_OK) {
		dr_error("cannot create directory '%s': %s", path, strerror(errno));
		dr_err jerr = drv_journal(c, "failed", "create", "dir", path, NULL);
		(void)jerr;
		return err;
	}
	return drv_journal(c, "done", "create", "dir", path, NULL);
}

unsigned long long drv_proc_start(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	char *data = dr_read_file(path, NULL);
	if (!data)
		return 0;
	/* Field 2 (comm) may hold spaces and parentheses: skip to the last ')'. */
	char *p = strrchr(data, ')');
	unsigned long long start = 0;
	/* A zombie (Z) or dead (X) process has finished: it holds no port or
	 * file and its environment can no longer be read, so it counts as gone
	 * (after a SIGKILLed drill its children wait for init to reap them). */
	if (p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'))
		p = NULL;
	if (p) {
		p++;
		for (int field = 3; field < 22 && p; field++)
			p = strchr(p + 1, ' ');
		if (p)
			start = strtoull(p + 1, NULL, 10);
	}
	free(data);
	return start;
}

static bool environ_has(pid_t pid, const char *want)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
	size_t len = 0;
	char *data = dr_read_file(path, &len);
	if (!data)
		return false;
	bool found = false;
	for (size_t off = 0; off < len; off += strlen(data + off) + 1)
		if (strcmp(data + off, want) == 0)
			found = true;
	free(data);
	return found;
}

bool drv_proc_owned(pid_t pid, unsigned long long start, const char *run)
{
	if (pid <= 1 || start == 0 || drv_proc_start(pid) != start)
		return false;
	char *want = dr_asprintf("%s=%s", DRV_RUN_ENV, run);
	bool ok = environ_has(pid, want);
	free(want);
	return ok;
}

static json_t *pid_extra(pid_t pid, const char *what)
{
	return json_pack("{s:i, s:I, s:s}", "pid", (int)pid, "pid_start",
			 (json_int_t)drv_proc_start(pid), "what", what);
}

dr_err drv_journal_process(drv_ctx *c, pid_t pid, const char *what)
{
	char id[32];
	snprintf(id, sizeof id, "%d", (int)pid);
	dr_err err = drv_journal(c, "begin", "create", "process", id, pid_extra(pid, what));
	if (err != DR_OK)
		return err;
	return drv_journal(c, "done", "create", "process", id, NULL);
}

dr_err drv_journal_port(drv_ctx *c, int port, const char *what)
{
	char id[16];
	snprintf(id, sizeof id, "%d", port);
	dr_err err = drv_journal(c, "begin", "create", "port", id, json_pack("{s:s}", "what", what));
	if (err != DR_OK)
		return err;
	return drv_journal(c, "done", "create", "port", id, NULL);
}

/* --- ownership and generic removal ------------------------------------- */

/* Socket inodes listening on TCP port (IPv4 and IPv6). */
static size_t listen_inodes(int port, unsigned long *inodes, size_t max)
{
	static const char *const files[] = {"/proc/net/tcp", "/proc/net/tcp6"};
	size_t n = 0;
	for (size_t f = 0; f < 2; f++) {
		FILE *fp = fopen(files[f], "r");
		if (!fp)
			continue;
		char line[512];
		if (!fgets(line, sizeof line, fp)) {
			fclose(fp);
			continue;
		}
		while (fgets(line, sizeof line, fp) && n < max) {
			char local[128];
			unsigned st;
			unsigned long inode;
			if (sscanf(line, "%*d: %127s %*s %x %*s %*s %*s %*d %*d %lu", local, &st, &inode) != 3)
				continue;
			const char *colon = strrchr(local, ':');
			if (st == 0x0A && colon && (int)strtol(colon + 1, NULL, 16) == port)
				inodes[n++] = inode;
		}
		fclose(fp);
	}
	return n;
}

/* Pids holding any of the socket inodes. */
static size_t socket_pids(const unsigned long *inodes, size_t ni, pid_t *pids, size_t max)
{
	size_t n = 0;
	DIR *proc = opendir("/proc");
	if (!proc)
		return 0;
	struct dirent *d;
	while ((d = readdir(proc)) && n < max) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		char fdpath[300];
		snprintf(fdpath, sizeof fdpath, "/proc/%s/fd", d->d_name);
		DIR *fds = opendir(fdpath);
		if (!fds)
			continue;
		struct dirent *fd;
		bool holds = false;
		while (!holds && (fd = readdir(fds))) {
			char link[600], target[128];
			snprintf(link, sizeof link, "%s/%s", fdpath, fd->d_name);
			ssize_t len = readlink(link, target, sizeof target - 1);
			if (len <= 0)
				continue;
			target[len] = '\0';
			unsigned long ino;
			if (sscanf(target, "socket:[%lu]", &ino) == 1)
				for (size_t i = 0; i < ni; i++)
					holds = holds || ino == inodes[i];
		}
		closedir(fds);
		if (holds)
			pids[n++] = (pid_t)atoi(d->d_name);
	}
	closedir(proc);
	return n;
}

static const char *entry_str(const json_t *e, const char *key)
{
	const char *s = json_string_value(json_object_get(e, key));
	return s ? s : "";
}

static bool dir_tagged(const char *dir, const char *run)
{
	char *path = dr_asprintf("%s/%s", dir, DRV_TAG_FILE);
	char *data = dr_read_file(path, NULL);
	free(path);
	bool ok = data && strncmp(data, run, strlen(run)) == 0 &&
		  (data[strlen(run)] == '\n' || data[strlen(run)] == '\0');
	free(data);
	return ok;
}

/* A directory the journal says this run began creating may have been cut
 * off before its own tag file was written (a kill during "cp -a", initdb or
 * pg_basebackup, which need an empty target).  It still counts as the run's
 * own when the directory holding it carries the run's tag. */
static bool dir_or_parent_tagged(const char *dir, const char *run)
{
	if (dir_tagged(dir, run))
		return true;
	const char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return false;
	char *parent = dr_strndup(dir, (size_t)(slash - dir));
	bool ok = dir_tagged(parent, run);
	free(parent);
	return ok;
}

static bool pid_owned_by_env(pid_t pid, const char *run)
{
	return drv_proc_owned(pid, drv_proc_start(pid), run);
}

bool drv_owned(const json_t *entry, const char *run, char *why, size_t n)
{
	const char *kind = entry_str(entry, "kind");
	const char *id = entry_str(entry, "id");
	if (strcmp(entry_str(entry, "tag"), run) != 0 || strcmp(entry_str(entry, "run"), run) != 0) {
		snprintf(why, n, "'%s' is tagged for another run", id);
		return false;
	}
	if (strcmp(kind, "process") == 0) {
		pid_t pid = (pid_t)json_integer_value(json_object_get(entry, "pid"));
		unsigned long long start =
		    (unsigned long long)json_integer_value(json_object_get(entry, "pid_start"));
		if (!drv_proc_owned(pid, start, run)) {
			snprintf(why, n, "process %d is not the run's own (gone, recycled or untagged)", (int)pid);
			return false;
		}
	} else if (strcmp(kind, "dir") == 0) {
		if (id[0] != '/' || strcmp(id, "/") == 0 || !dir_or_parent_tagged(id, run)) {
			snprintf(why, n, "directory '%s' has no tag file for the run", id);
			return false;
		}
	} else if (strcmp(kind, "port") == 0) {
		unsigned long inodes[16];
		pid_t pids[16];
		size_t ni = listen_inodes(atoi(id), inodes, 16);
		size_t np = ni ? socket_pids(inodes, ni, pids, 16) : 0;
		for (size_t i = 0; i < np; i++)
			if (!pid_owned_by_env(pids[i], run)) {
				snprintf(why, n, "port %s is held by process %d, not the run's own", id,
					 (int)pids[i]);
				return false;
			}
	}
	return true;
}

static bool alive(pid_t pid, unsigned long long start)
{
	return drv_proc_start(pid) == start;
}

/* Stop pid; a process-group leader (drv_spawn makes one) takes its group
 * with it, so a shell's children do not outlive it. */
static dr_err stop_process(pid_t pid, unsigned long long start)
{
	pid_t target = getpgid(pid) == pid ? -pid : pid;
	if (kill(target, SIGTERM) != 0 && errno != ESRCH)
		return DR_IO;
	for (int i = 0; i < 500 && alive(pid, start); i++)
		usleep(10000);
	if (alive(pid, start)) {
		(void)kill(target, SIGKILL);
		for (int i = 0; i < 500 && alive(pid, start); i++)
			usleep(10000);
	}
	if (target < 0)
		(void)kill(target, SIGKILL); /* members that ignored SIGTERM */
	return DR_OK;
}

dr_err drv_stop_run_processes(const char *run, size_t *stopped)
{
	*stopped = 0;
	DIR *proc = opendir("/proc");
	if (!proc)
		return DR_IO;
	char *want = dr_asprintf("%s=%s", DRV_RUN_ENV, run);
	dr_err err = DR_OK;
	for (struct dirent *d; (d = readdir(proc));) {
		char *end;
		long pid = strtol(d->d_name, &end, 10);
		if (*end || pid <= 1 || pid == (long)getpid())
			continue;
		unsigned long long start = drv_proc_start((pid_t)pid);
		if (!start || !environ_has((pid_t)pid, want))
			continue;
		if (stop_process((pid_t)pid, start) != DR_OK)
			err = DR_IO;
		else
			(*stopped)++;
	}
	closedir(proc);
	free(want);
	return err;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	int rc = (flag == FTW_DP) ? rmdir(path) : unlink(path);
	return rc != 0 && errno != ENOENT ? -1 : 0;
}

static dr_err remove_process(const json_t *e, const char *run)
{
	pid_t pid = (pid_t)json_integer_value(json_object_get(e, "pid"));
	unsigned long long start = (unsigned long long)json_integer_value(json_object_get(e, "pid_start"));
	if (pid <= 1)
		return DR_GUARD;
	if (!alive(pid, start))
		return DR_OK; /* gone (or the pid was recycled: not ours either way) */
	char why[256];
	if (!drv_owned(e, run, why, sizeof why)) {
		dr_error("refusing to stop: %s", why);
		return DR_GUARD;
	}
	return stop_process(pid, start);
}

static dr_err remove_dir(const json_t *e, const char *run)
{
	const char *id = entry_str(e, "id");
	struct stat st;
	if (lstat(id, &st) != 0)
		return DR_OK;
	char why[256];
	if (!drv_owned(e, run, why, sizeof why)) {
		dr_error("refusing to remove: %s", why);
		return DR_GUARD;
	}
	if (nftw(id, rm_one, 32, FTW_DEPTH | FTW_PHYS) != 0) {
		dr_error("cannot remove '%s': %s", id, strerror(errno));
		return DR_IO;
	}
	return DR_OK;
}

static dr_err remove_port(const json_t *e, const char *run)
{
	const char *id = entry_str(e, "id");
	char why[256];
	if (!drv_owned(e, run, why, sizeof why)) {
		dr_error("refusing to free: %s", why);
		return DR_GUARD;
	}
	unsigned long inodes[16];
	pid_t pids[16];
	size_t ni = listen_inodes(atoi(id), inodes, 16);
	size_t np = ni ? socket_pids(inodes, ni, pids, 16) : 0;
	for (size_t i = 0; i < np; i++)
		if (stop_process(pids[i], drv_proc_start(pids[i])) != DR_OK)
			return DR_IO;
	return DR_OK;
}

dr_err drv_remove_entry(const json_t *entry, const char *run)
{
	const char *kind = entry_str(entry, "kind");
	if (strcmp(entry_str(entry, "tag"), run) != 0) {
		dr_error("refusing to remove '%s': its tag is not run '%s'", entry_str(entry, "id"), run);
		return DR_GUARD;
	}
	if (strcmp(kind, "process") == 0)
		return remove_process(entry, run);
	if (strcmp(kind, "dir") == 0)
		return remove_dir(entry, run);
	if (strcmp(kind, "port") == 0)
		return remove_port(entry, run);
	if (strcmp(kind, "file") == 0) {
		const char *id = entry_str(entry, "id");
		if (unlink(id) != 0 && errno != ENOENT) {
			dr_error("cannot remove '%s': %s", id, strerror(errno));
			return DR_IO;
		}
		return DR_OK;
	}
	dr_error("no generic removal for resource kind '%s'", kind);
	return DR_UNSUPPORTED;
}

/* --- child processes ----------------------------------------------------- */

dr_err drv_spawn(drv_ctx *c, const char *what, char *const argv[], int (*fn)(void *), void *arg,
		 int out_fd, pid_t *pid)
{
	int gate[2];
	*pid = -1;
	if (pipe2(gate, O_CLOEXEC) != 0) {
		dr_error("cannot start '%s': %s", what, strerror(errno));
		return DR_IO;
	}
	fflush(NULL);
	/* Signals stay blocked across fork so that the child cannot run the
	 * parent's handlers (e.g. the drill's SIGTERM flag) before it resets
	 * them. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid_t child = fork();
	if (child == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	} else {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (child < 0) {
		dr_error("cannot start '%s': %s", what, strerror(errno));
		close(gate[0]);
		close(gate[1]);
		return DR_IO;
	}
	if (child == 0) {
		close(gate[1]);
		setpgid(0, 0);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		if (out_fd >= 0) {
			dup2(out_fd, 1);
			dup2(out_fd, 2);
		}
		char go;
		if (read(gate[0], &go, 1) != 1)
			_exit(125); /* the parent died before journalling us */
		if (argv) {
			execvp(argv[0], argv);
			_exit(127);
		}
		_exit(fn(arg));
	}
	close(gate[0]);
	dr_err err = drv_journal_process(c, child, what);
	if (err != DR_OK) {
		close(gate[1]); /* the child reads EOF and exits */
		int st;
		waitpid(child, &st, 0);
		return err;
	}
	if (write(gate[1], "g", 1) != 1)
		err = DR_IO;
	close(gate[1]);
	*pid = child;
	return err;
}

dr_err drv_reap(drv_ctx *c, pid_t pid, int *status)
{
	char id[32];
	snprintf(id, sizeof id, "%d", (int)pid);
	dr_err err = drv_journal(c, "begin", "destroy", "process", id, NULL);
	if (err != DR_OK)
		return err;
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (status)
		*status = st;
	return drv_journal(c, "done", "destroy", "process", id, NULL);
}

dr_err drv_rmdir(drv_ctx *c, const char *path)
{
	dr_err err = drv_journal(c, "begin", "destroy", "dir", path, NULL);
	if (err != DR_OK)
		return err;
	json_t *e = json_pack("{s:s, s:s, s:s, s:s}", "kind", "dir", "id", path, "tag", c->run_id, "run",
			      c->run_id);
	err = remove_dir(e, c->run_id);
	json_decref(e);
	if (err != DR_OK) {
		dr_err jerr = drv_journal(c, "failed", "destroy", "dir", path, NULL);
		(void)jerr;
		return err;
	}
	return drv_journal(c, "done", "destroy", "dir", path, NULL);
}

void drv_step_detail(drv_step_out *out, bool append, const char *fmt, ...)
{
	size_t used = append ? strlen(out->detail) : 0;
	if (used && used + 2 < sizeof out->detail) {
		memcpy(out->detail + used, "; ", 3);
		used += 2;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out->detail + used, sizeof out->detail - used, fmt, ap);
	va_end(ap);
}
