/*
 * dr.h - small helpers shared by every drsim module: the error list, exit
 * codes, allocation that aborts on failure, a growable string buffer,
 * source positions and diagnostics, clocks, and atomic file writes.
 *
 * Everything here is dependency-free apart from libc so that any module can
 * include it.  Nothing here knows about scenarios, drivers or reports.
 */
#ifndef DR_H
#define DR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DR_VERSION "0.1.0"

#define DR_WUR __attribute__((warn_unused_result))
#define DR_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* One list generates the error enum and its messages. */
#define DR_ERRORS(X)                                                   \
	X(OK, "success")                                                   \
	X(USAGE, "usage error")                                            \
	X(PARSE, "invalid input")                                          \
	X(UNIT, "unit mismatch")                                           \
	X(RANGE, "value out of range")                                     \
	X(IO, "input/output error")                                        \
	X(NOTFOUND, "not found")                                           \
	X(UNSUPPORTED, "not supported here")                               \
	X(GUARD, "refused by a safety guard")                              \
	X(TIMEOUT, "timed out")                                            \
	X(RETRY, "transient failure")                                      \
	X(DRIVER, "driver failure")                                        \
	X(REMOTE, "remote service error")                                  \
	X(VERIFY, "verification failed")                                   \
	X(INTERRUPTED, "interrupted")                                      \
	X(INTERNAL, "internal error")

typedef enum {
#define DR_X_ENUM(name, msg) DR_##name,
	DR_ERRORS(DR_X_ENUM)
#undef DR_X_ENUM
	DR__NERR
} dr_err;

/* Message for an error code; never NULL. */
const char *dr_strerror(dr_err e);

/* Process exit codes, documented in the README and --help. */
enum {
	DR_EXIT_OK = 0,      /* success, every objective met */
	DR_EXIT_MISSED = 1,  /* an objective missed, or lint errors */
	DR_EXIT_USAGE = 2,   /* usage or invalid input */
	DR_EXIT_RUNTIME = 3, /* driver or runtime failure */
};

/* Print "drsim: error: <msg>" on stderr; returns -1 so callers can say
 * "return dr_error(...)".  Messages are lowercase, subjects quoted. */
int dr_error(const char *fmt, ...) DR_PRINTF(1, 2);
/* Print "drsim: warning: <msg>" on stderr. */
void dr_warn(const char *fmt, ...) DR_PRINTF(1, 2);
/* A broken invariant: print and abort. */
#define DR_BUG(...) dr_bug(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void dr_bug(const char *file, int line, const char *fmt, ...) DR_PRINTF(3, 4);

/* Allocation: failure aborts here, in one place. */
void *dr_malloc(size_t n);
void *dr_calloc(size_t n, size_t size);
void *dr_realloc(void *p, size_t n);
char *dr_strdup(const char *s);  /* NULL in, NULL out */
char *dr_strndup(const char *s, size_t n);
char *dr_asprintf(const char *fmt, ...) DR_PRINTF(1, 2);
/* Grow *arr (element size sz) so that index n fits; *cap is updated. */
#define DR_GROW(arr, n, cap)                                               \
	do {                                                                   \
		if ((size_t)(n) >= (size_t)(cap)) {                                \
			(cap) = (cap) ? (cap) * 2 : 8;                                 \
			while ((size_t)(cap) <= (size_t)(n)) (cap) *= 2;               \
			(arr) = dr_realloc((arr), (size_t)(cap) * sizeof(*(arr)));     \
		}                                                                  \
	} while (0)

/* A growable NUL-terminated string; zero-initialise, then append. */
typedef struct {
	char *s;
	size_t len, cap;
} dr_buf;
void dr_buf_add(dr_buf *b, const char *s, size_t n);
void dr_buf_puts(dr_buf *b, const char *s);
void dr_buf_printf(dr_buf *b, const char *fmt, ...) DR_PRINTF(2, 3);
void dr_buf_vprintf(dr_buf *b, const char *fmt, va_list ap);
/* Returns the string ("" when empty) and resets b; caller frees. */
char *dr_buf_take(dr_buf *b);
void dr_buf_release(dr_buf *b);

/* Where a scenario value came from.  file is borrowed from the loader. */
typedef struct {
	const char *file;
	int line, col; /* 1-based; 0 when unknown */
} dr_pos;

/* Diagnostics: collected, then printed as "FILE:LINE:COL: error: msg". */
typedef enum { DR_SEV_ERROR, DR_SEV_WARNING, DR_SEV_NOTE } dr_sev;
typedef struct {
	dr_pos pos;
	dr_sev sev;
	char *msg;
} dr_diag;
typedef struct {
	dr_diag *v;
	size_t n, cap;
	size_t n_errors;
} dr_diags;
void dr_diag_add(dr_diags *d, dr_pos pos, dr_sev sev, const char *fmt, ...) DR_PRINTF(4, 5);
/* Print every diagnostic in order, one per line, to f (a FILE *). */
void dr_diags_print(const dr_diags *d, void *f);
void dr_diags_release(dr_diags *d);

/* Clocks: wall time (CLOCK_REALTIME, seconds since the epoch) for
 * timestamps, monotonic (CLOCK_MONOTONIC) for durations. */
double dr_now_real(void);
double dr_now_mono(void);
/* ISO 8601 UTC with milliseconds, e.g. 2026-11-23T20:01:02.345Z. */
void dr_iso8601(double epoch_s, char out[32]);

/* Write data to path atomically: temporary file in the same directory,
 * fsync, rename, fsync of the directory.  A reader sees the old file or the
 * whole new one, never a truncated one.  Returns DR_OK or DR_IO (errno kept). */
dr_err dr_write_atomic(const char *path, const void *data, size_t len) DR_WUR;
/* Read a whole file; *len gets its size; NUL-terminated.  NULL on error. */
char *dr_read_file(const char *path, size_t *len);
/* mkdir -p; DR_OK or DR_IO. */
dr_err dr_mkdirs(const char *path, unsigned mode) DR_WUR;

/* Levenshtein distance, for "did you mean" suggestions. */
size_t dr_edit_distance(const char *a, const char *b);
/* The candidate nearest to word, or NULL when none is close enough. */
const char *dr_suggest(const char *word, const char *const *candidates, size_t n);

/* SplitMix64 mixing: derives independent per-trial RNG seeds. */
uint64_t dr_mix64(uint64_t x);

#endif
