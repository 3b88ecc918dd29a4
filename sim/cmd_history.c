/*
 * cmd_history.c - "drsim history DIR": read the results (*.json) and
 * evidence bundles (DIR/<bundle>/result.json) under DIR and show the trend
 * of RPO and RTO per scenario against the objective; -o OUT also writes
 * OUT/history.html.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "history.h"

static const char *out_dir;

static const dr_opt opts[] = {
	{"output", 'o', DR_OPT_STRING, &out_dir, "DIR", "also write DIR/history.html with one chart per scenario"},
	{0},
};

static int history_main(int argc, char **argv);

const dr_command cmd_history_def = {
	.name = "history",
	.fn = history_main,
	.synopsis = "DIR...",
	.summary = "trend of RPO and RTO over past results and evidence bundles",
	.opts = opts,
};

typedef struct {
	res_result **v;
	size_t n, cap;
	size_t skipped;
} runs;

static bool is_result_name(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* Results directly in dir, and result.json of each bundle directory in it. */
static void scan(const char *dir, runs *rs, int depth)
{
	DIR *d = opendir(dir);
	if (!d) {
		dr_warn("cannot read directory '%s': %s", dir, strerror(errno));
		rs->skipped++;
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *p = dr_asprintf("%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode) && depth < 2) {
			scan(p, rs, depth + 1);
		} else if (S_ISREG(st.st_mode) && is_result_name(e->d_name) &&
			   (depth == 0 || strcmp(e->d_name, "result.json") == 0)) {
			char err[512];
			res_result *r = res_load(p, err, sizeof err);
			if (r) {
				DR_GROW(rs->v, rs->n, rs->cap);
				rs->v[rs->n++] = r;
			} else {
				dr_warn("skipping %s", err);
				rs->skipped++;
			}
		}
		free(p);
	}
	closedir(d);
}

static int history_main(int argc, char **argv)
{
	dr_strlist args = {0};
	runs rs = {0};
	int rc = DR_EXIT_USAGE;
	dr_buf text = {0}, html = {0};
	out_dir = NULL;
	int p = dr_opts_parse(&cmd_history_def, argc, argv, &args);
	if (p != 0) {
		rc = p > 0 ? DR_EXIT_OK : DR_EXIT_USAGE;
		goto done;
	}
	if (args.n == 0) {
		dr_error("'history' needs a directory of results or bundles (see 'drsim history --help')");
		goto done;
	}
	for (size_t i = 0; i < args.n; i++)
		scan(args.v[i], &rs, 0);
	if (rs.n == 0) {
		dr_error("no results found in '%s'", args.v[0]);
		goto done;
	}
	rpt_history((const res_result *const *)rs.v, rs.n, &text, dr_color_stdout(), out_dir ? &html : NULL);
	fputs(text.s, stdout);
	rc = DR_EXIT_OK;
	if (out_dir) {
		char *path = dr_asprintf("%s/history.html", out_dir);
		if (dr_mkdirs(out_dir, 0755) != DR_OK || dr_write_atomic(path, html.s, html.len) != DR_OK) {
			dr_error("cannot write '%s': %s", path, strerror(errno));
			rc = DR_EXIT_RUNTIME;
		}
		free(path);
	}
done:
	for (size_t i = 0; i < rs.n; i++)
		res_free(rs.v[i]);
	free(rs.v);
	dr_buf_release(&text);
	dr_buf_release(&html);
	dr_strlist_release(&args);
	return rc;
}
