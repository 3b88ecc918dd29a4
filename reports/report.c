/*
 * report.c - the renderer registry and rpt_write(): render a result in
 * several formats into a directory (each file written atomically) or one
 * format to standard output.
 */
#include "rpt_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The registry, in the order --help lists them. */
static const rpt_format *const formats[] = {
	&rpt_text_format, &rpt_json_format,  &rpt_md_format,
	&rpt_html_format, &rpt_junit_format, &rpt_prom_format,
};
#define N_FORMATS (sizeof formats / sizeof formats[0])

const rpt_format *rpt_find(const char *name)
{
	for (size_t i = 0; i < N_FORMATS; i++)
		if (strcmp(formats[i]->name, name) == 0)
			return formats[i];
	return NULL;
}

const rpt_format *const *rpt_all(size_t *n)
{
	*n = N_FORMATS;
	return formats;
}

static dr_err unknown_format(const char *name)
{
	const char *names[N_FORMATS];
	for (size_t i = 0; i < N_FORMATS; i++)
		names[i] = formats[i]->name;
	const char *s = dr_suggest(name, names, N_FORMATS);
	if (s)
		dr_error("unknown report format '%s'; did you mean '%s'?", name, s);
	else
		dr_error("unknown report format '%s' (text, json, md, html, junit, prom)", name);
	return DR_USAGE;
}

dr_err rpt_write(const res_result *r, const char *const *names, size_t n_formats, const char *dir,
		 const char *basename)
{
	dr_err err = DR_OK;
	for (size_t i = 0; i < n_formats; i++)
		if (!rpt_find(names[i]))
			return unknown_format(names[i]);
	if (!dir) {
		if (n_formats != 1) {
			dr_error("several formats need an output directory (-o DIR)");
			return DR_USAGE;
		}
		const rpt_format *f = rpt_find(names[0]);
		dr_buf out = {0};
		err = f->render(r, &out, strcmp(f->name, "text") == 0 && dr_color_stdout());
		if (err == DR_OK && (fwrite(out.s ? out.s : "", 1, out.len, stdout) != out.len ||
				     fflush(stdout) != 0)) {
			dr_error("cannot write the '%s' report to standard output", f->name);
			err = DR_IO;
		}
		dr_buf_release(&out);
		return err;
	}
	if (dr_mkdirs(dir, 0755) != DR_OK) {
		dr_error("cannot create directory '%s': %s", dir, strerror(errno));
		return DR_IO;
	}
	for (size_t i = 0; i < n_formats && err == DR_OK; i++) {
		const rpt_format *f = rpt_find(names[i]);
		dr_buf out = {0};
		err = f->render(r, &out, false);
		char *path = dr_asprintf("%s/%s.%s", dir, basename, f->extension);
		if (err == DR_OK && dr_write_atomic(path, out.s ? out.s : "", out.len) != DR_OK) {
			dr_error("cannot write '%s': %s", path, strerror(errno));
			err = DR_IO;
		}
		free(path);
		dr_buf_release(&out);
	}
	return err;
}
