/*
 * dr.c - shared helpers: errors, allocation, buffers, diagnostics, clocks,
 * atomic writes and suggestions.  See dr.h.
 */
#define _GNU_SOURCE
#include "dr.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const error_messages[] = {
#define DR_X_MSG(name, msg) msg,
	DR_ERRORS(DR_X_MSG)
#undef DR_X_MSG
};

const char *dr_strerror(dr_err e)
{
	if ((unsigned)e >= DR__NERR)
		return "unknown error";
	return error_messages[e];
}

int dr_error(const char *fmt, ...)
{
	va_list ap;
	fputs("drsim: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

void dr_warn(const char *fmt, ...)
{
	va_list ap;
	fputs("drsim: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void dr_bug(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "drsim: BUG at %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static void *oom(size_t n)
{
	fprintf(stderr, "drsim: fatal: out of memory allocating %zu bytes\n", n);
	abort();
}

void *dr_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	return p ? p : oom(n);
}

void *dr_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	return p ? p : oom(n * size);
}

void *dr_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	return q ? q : oom(n);
}

char *dr_strdup(const char *s)
{
	return s ? dr_strndup(s, strlen(s)) : NULL;
}

char *dr_strndup(const char *s, size_t n)
{
	char *p = dr_malloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *dr_asprintf(const char *fmt, ...)
{
	dr_buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	dr_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return dr_buf_take(&b);
}

void dr_buf_add(dr_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->s = dr_realloc(b->s, cap);
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void dr_buf_puts(dr_buf *b, const char *s)
{
	dr_buf_add(b, s, strlen(s));
}

void dr_buf_vprintf(dr_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		DR_BUG("bad format \"%s\"", fmt);
	if (b->len + (size_t)n + 1 > b->cap) {
		dr_buf_add(b, "", 0);
		size_t cap = b->cap;
		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		b->s = dr_realloc(b->s, cap);
		b->cap = cap;
	}
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void dr_buf_printf(dr_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dr_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *dr_buf_take(dr_buf *b)
{
	char *s = b->s ? b->s : dr_strdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void dr_buf_release(dr_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

void dr_diag_add(dr_diags *d, dr_pos pos, dr_sev sev, const char *fmt, ...)
{
	dr_buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	dr_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	DR_GROW(d->v, d->n, d->cap);
	d->v[d->n++] = (dr_diag){.pos = pos, .sev = sev, .msg = dr_buf_take(&b)};
	if (sev == DR_SEV_ERROR)
		d->n_errors++;
}

void dr_diags_print(const dr_diags *d, void *fp)
{
	static const char *const sev_names[] = {"error", "warning", "note"};
	FILE *f = fp;
	for (size_t i = 0; i < d->n; i++) {
		const dr_diag *g = &d->v[i];
		const char *file = g->pos.file ? g->pos.file : "<input>";
		if (g->pos.line > 0)
			fprintf(f, "%s:%d:%d: %s: %s\n", file, g->pos.line, g->pos.col, sev_names[g->sev], g->msg);
		else /* about the file as a whole (it cannot be read) */
			fprintf(f, "%s: %s: %s\n", file, sev_names[g->sev], g->msg);
	}
}

void dr_diags_release(dr_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].msg);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double dr_now_real(void)
{
	return clock_s(CLOCK_REALTIME);
}

double dr_now_mono(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

void dr_iso8601(double epoch_s, char out[32])
{
	time_t t = (time_t)epoch_s;
	int ms = (int)((epoch_s - (double)t) * 1000.0 + 0.5);
	if (ms >= 1000) {
		t += 1;
		ms -= 1000;
	}
	struct tm tm;
	gmtime_r(&t, &tm);
	char date[24];
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, 32, "%.19s.%03dZ", date, ms % 1000);
}

static int fsync_dir_of(const char *path)
{
	char *copy = dr_strdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
	free(copy);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

dr_err dr_write_atomic(const char *path, const void *data, size_t len)
{
	char *tmp = dr_asprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		goto fail;
	const char *p = data;
	size_t left = len;
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail_close;
		}
		p += w;
		left -= (size_t)w;
	}
	if (fsync(fd) != 0)
		goto fail_close;
	if (close(fd) != 0) {
		fd = -1;
		goto fail_unlink;
	}
	if (rename(tmp, path) != 0)
		goto fail_unlink;
	free(tmp);
	fsync_dir_of(path);
	return DR_OK;
fail_close: {
	int e = errno;
	close(fd);
	errno = e;
}
fail_unlink: {
	int e = errno;
	unlink(tmp);
	errno = e;
}
fail:
	free(tmp);
	return DR_IO;
}

char *dr_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	dr_buf b = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		dr_buf_add(&b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		dr_buf_release(&b);
		return NULL;
	}
	if (len)
		*len = b.len;
	return dr_buf_take(&b);
}

dr_err dr_mkdirs(const char *path, unsigned mode)
{
	char *p = dr_strdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) != 0 && errno != EEXIST) {
			free(p);
			return DR_IO;
		}
		*s = '/';
	}
	int rc = mkdir(p, mode);
	free(p);
	return (rc == 0 || errno == EEXIST) ? DR_OK : DR_IO;
}

size_t dr_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = dr_malloc((lb + 1) * sizeof(*row));
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diag + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t d = row[lb];
	free(row);
	return d;
}

const char *dr_suggest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		size_t d = dr_edit_distance(word, candidates[i]);
		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	size_t len = strlen(word);
	size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
	return best_d <= limit ? best : NULL;
}

uint64_t dr_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}
