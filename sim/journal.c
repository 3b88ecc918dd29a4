/*
 * journal.c - the drill journal: JSON lines appended with one write() and
 * fsync'd, read back and replayed for `drsim cleanup`.  See journal.h.
 */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sim_journal {
	int fd;
	char *path;
	char *run;
	pthread_mutex_t lock;
};

static void fsync_parent(const char *path)
{
	char *copy = dr_strdup(path);
	int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	free(copy);
}

dr_err sim_journal_open(const char *path, const char *run_id, sim_journal **out)
{
	*out = NULL;
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		dr_error("cannot open journal '%s': %s", path, strerror(errno));
		return DR_IO;
	}
	fsync_parent(path);
	sim_journal *j = dr_calloc(1, sizeof(*j));
	j->fd = fd;
	j->path = dr_strdup(path);
	j->run = dr_strdup(run_id);
	pthread_mutex_init(&j->lock, NULL);
	*out = j;
	return DR_OK;
}

void sim_journal_close(sim_journal *j)
{
	if (!j)
		return;
	close(j->fd);
	pthread_mutex_destroy(&j->lock);
	free(j->path);
	free(j->run);
	free(j);
}

const char *sim_journal_path(const sim_journal *j)
{
	return j->path;
}

const char *sim_journal_run(const sim_journal *j)
{
	return j->run;
}

static dr_err write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return DR_IO;
		}
		s += w;
		n -= (size_t)w;
	}
	return DR_OK;
}

dr_err sim_journal_append(sim_journal *j, json_t *entry)
{
	dr_err err = DR_OK;
	json_object_set_new(entry, "run", json_string(j->run));
	json_object_set_new(entry, "t", json_real(dr_now_real()));
	if (!json_object_get(entry, "tag"))
		json_object_set_new(entry, "tag", json_string(j->run));
	char *line = json_dumps(entry, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(entry);
	if (!line)
		DR_BUG("journal entry not serialisable");
	size_t n = strlen(line);
	line[n] = '\n';
	pthread_mutex_lock(&j->lock);
	/* One write() per line: O_APPEND keeps concurrent lines whole. */
	err = write_all(j->fd, line, n + 1);
	if (err == DR_OK && fsync(j->fd) != 0)
		err = DR_IO;
	pthread_mutex_unlock(&j->lock);
	if (err != DR_OK)
		dr_error("cannot write journal '%s': %s", j->path, strerror(errno));
	free(line);
	return err;
}

dr_err sim_journal_log(sim_journal *j, const char *phase, const char *action, const char *kind,
		       const char *id, const char *driver, json_t *extra)
{
	json_t *e = json_object();
	json_object_set_new(e, "phase", json_string(phase));
	json_object_set_new(e, "action", json_string(action));
	if (kind)
		json_object_set_new(e, "kind", json_string(kind));
	if (id)
		json_object_set_new(e, "id", json_string(id));
	if (driver)
		json_object_set_new(e, "driver", json_string(driver));
	if (extra) {
		json_object_update(e, extra);
		json_decref(extra);
	}
	return sim_journal_append(j, e);
}

dr_err sim_journal_read(const char *path, json_t **out, char **run)
{
	dr_err err = DR_OK;
	*out = NULL;
	*run = NULL;
	size_t len = 0;
	char *data = dr_read_file(path, &len);
	if (!data) {
		dr_error("cannot read journal '%s': %s", path, strerror(errno));
		return DR_IO;
	}
	json_t *arr = json_array();
	char *line = data;
	int lineno = 0;
	while (*line) {
		lineno++;
		char *nl = strchr(line, '\n');
		bool last = nl == NULL;
		if (nl)
			*nl = '\0';
		if (*line) {
			json_error_t jerr;
			json_t *e = json_loads(line, 0, &jerr);
			if (!e || !json_is_object(e)) {
				json_decref(e);
				if (last) {
					dr_warn("journal '%s': line %d is incomplete (a crash mid-write); skipped",
						path, lineno);
					break;
				}
				dr_error("journal '%s': line %d is not a JSON object", path, lineno);
				err = DR_PARSE;
				goto done;
			}
			if (!*run && json_is_string(json_object_get(e, "run")))
				*run = dr_strdup(json_string_value(json_object_get(e, "run")));
			json_array_append_new(arr, e);
		}
		if (last)
			break;
		line = nl + 1;
	}
	if (!*run) {
		dr_error("journal '%s' has no run id", path);
		err = DR_PARSE;
	}
done:
	free(data);
	if (err != DR_OK) {
		json_decref(arr);
		free(*run);
		*run = NULL;
		return err;
	}
	*out = arr;
	return DR_OK;
}

static const char *str_of(const json_t *e, const char *key)
{
	const char *s = json_string_value(json_object_get(e, key));
	return s ? s : "";
}

static bool same_resource(const json_t *a, const json_t *b)
{
	return strcmp(str_of(a, "kind"), str_of(b, "kind")) == 0 &&
	       strcmp(str_of(a, "id"), str_of(b, "id")) == 0;
}

json_t *sim_journal_outstanding(const json_t *entries, const char *run)
{
	json_t *live = json_array(); /* create entries, oldest first */
	size_t i;
	json_t *e;
	json_array_foreach(entries, i, e) {
		if (strcmp(str_of(e, "tag"), run) != 0 || strcmp(str_of(e, "run"), run) != 0)
			continue;
		const char *action = str_of(e, "action");
		const char *phase = str_of(e, "phase");
		bool create = strcmp(action, "create") == 0 && strcmp(phase, "begin") == 0;
		bool destroyed = strcmp(action, "destroy") == 0 && strcmp(phase, "done") == 0;
		if (!create && !destroyed)
			continue;
		/* Drop any earlier record of the same resource: a re-create
		 * replaces it, a completed destroy ends it. */
		for (size_t k = json_array_size(live); k-- > 0;)
			if (same_resource(json_array_get(live, k), e))
				json_array_remove(live, k);
		if (create)
			json_array_append(live, e);
	}
	json_t *out = json_array();
	for (size_t k = json_array_size(live); k-- > 0;)
		json_array_append(out, json_array_get(live, k));
	json_decref(live);
	return out;
}
