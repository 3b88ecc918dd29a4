/*
 * cmd_s3.c - "drsim upload DIR s3://BUCKET/PREFIX" and "drsim download
 * s3://BUCKET/PREFIX DIR": keep evidence bundles and other drill artifacts
 * in S3 (or any S3-compatible store named by AWS_ENDPOINT_URL_S3), and
 * fetch them back so "drsim verify" can check them where they are used.
 *
 * Upload sends every regular file under DIR as PREFIX/<relative path>
 * (multipart above MULTIPART_AT bytes), then reads each object's size back
 * with HEAD.  Download writes every object under PREFIX/ to DIR atomically,
 * refusing keys that would escape DIR.  Credentials, region and endpoint come
 * from the environment and the shared AWS files (drivers/aws_config.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "s3.h"

#define MULTIPART_AT (16u << 20)
#define PART_SIZE (8u << 20)

static const char *opt_region;

static const dr_opt s3_opts[] = {
	{"region", 0, DR_OPT_STRING, &opt_region, "REGION", "bucket region (default: AWS_REGION or the profile's)"},
	{0},
};

static int run_upload(int argc, char **argv);
static int run_download(int argc, char **argv);

const dr_command cmd_upload_def = {
	.name = "upload",
	.fn = run_upload,
	.synopsis = "DIR s3://BUCKET/PREFIX",
	.summary = "store an evidence bundle (or any directory) in S3",
	.help = "Every regular file under DIR becomes PREFIX/<relative path>; each object's size\n"
		"is read back with HEAD.  Credentials and endpoint as the AWS CLI finds them\n"
		"(AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL_S3, ...).",
	.opts = s3_opts,
};

const dr_command cmd_download_def = {
	.name = "download",
	.fn = run_download,
	.synopsis = "s3://BUCKET/PREFIX DIR",
	.summary = "fetch a stored bundle from S3 into DIR (then 'drsim verify DIR')",
	.help = "Every object under PREFIX/ is written to DIR/<rest of its key>, atomically;\n"
		"keys that would leave DIR are refused.",
	.opts = s3_opts,
};

/* Split "s3://bucket/prefix" (prefix without trailing '/'). */
static int parse_url(const char *url, char **bucket, char **prefix)
{
	if (strncmp(url, "s3://", 5) != 0 || !url[5] || url[5] == '/')
		return dr_error("'%s' is not an S3 location (want s3://BUCKET/PREFIX)", url);
	const char *b = url + 5, *slash = strchr(b, '/');
	*bucket = slash ? dr_strndup(b, (size_t)(slash - b)) : dr_strdup(b);
	const char *p = slash ? slash + 1 : "";
	size_t n = strlen(p);
	while (n && p[n - 1] == '/')
		n--;
	*prefix = dr_strndup(p, n);
	return 0;
}

static drv_aws *open_client(void)
{
	drv_aws_config cfg;
	if (drv_aws_config_load(opt_region, &cfg) != DR_OK)
		return NULL;
	return drv_aws_new(&cfg);
}

/* Parse args, open the client; returns the exit code on failure, else 0. */
static int prepare(const dr_command *cmd, int argc, char **argv, dr_strlist *args, drv_aws **aws)
{
	opt_region = NULL;
	*aws = NULL;
	int rc = dr_opts_parse(cmd, argc, argv, args);
	if (rc != 0)
		return rc > 0 ? -1 : DR_EXIT_USAGE;
	if (args->n != 2) {
		dr_error("'%s' needs two arguments: %s", cmd->name, cmd->synopsis);
		return DR_EXIT_USAGE;
	}
	*aws = open_client();
	return *aws ? 0 : DR_EXIT_USAGE;
}

/* nftw has no user pointer: the walk's list lives here for its duration. */
static dr_strlist *walk_files;

static int collect(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_F && S_ISREG(st->st_mode))
		dr_strlist_add(walk_files, path);
	return 0;
}

static int upload_one(drv_s3 *s3, const char *path, const char *key)
{
	size_t len = 0;
	char *data = dr_read_file(path, &len);
	if (!data)
		return dr_error("cannot read '%s': %s", path, strerror(errno));
	dr_err err = len > MULTIPART_AT ? drv_s3_put_multipart(s3, key, data, len, PART_SIZE)
					: drv_s3_put(s3, key, data, len);
	free(data);
	if (err != DR_OK)
		return dr_error("cannot upload '%s' to '%s': %s", path, key, dr_strerror(err));
	drv_s3_object_info info = {0};
	err = drv_s3_head(s3, key, &info);
	long long size = info.size;
	drv_s3_object_info_release(&info);
	if (err != DR_OK || size != (long long)len)
		return dr_error("object '%s' does not read back (%lld bytes, want %zu)", key, size, len);
	return 0;
}

static int run_upload(int argc, char **argv)
{
	dr_strlist args = {0}, files = {0};
	drv_aws *aws;
	char *bucket = NULL, *prefix = NULL;
	int rc = prepare(&cmd_upload_def, argc, argv, &args, &aws);
	if (rc != 0) {
		rc = rc < 0 ? DR_EXIT_OK : rc;
		goto done;
	}
	rc = DR_EXIT_USAGE;
	const char *dir = args.v[0];
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		dr_error("'%s' is not a directory", dir);
		goto done;
	}
	if (parse_url(args.v[1], &bucket, &prefix) != 0)
		goto done;
	walk_files = &files;
	if (nftw(dir, collect, 16, FTW_PHYS) != 0) {
		dr_error("cannot read '%s': %s", dir, strerror(errno));
		rc = DR_EXIT_RUNTIME;
		goto done;
	}
	drv_s3 s3;
	drv_s3_init(&s3, aws, bucket);
	size_t dlen = strlen(dir);
	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	rc = DR_EXIT_OK;
	for (size_t i = 0; i < files.n; i++) {
		const char *rel = files.v[i] + dlen + 1;
		char *key = *prefix ? dr_asprintf("%s/%s", prefix, rel) : dr_strdup(rel);
		if (upload_one(&s3, files.v[i], key) != 0)
			rc = DR_EXIT_RUNTIME;
		free(key);
		if (rc != DR_EXIT_OK)
			break;
	}
	if (rc == DR_EXIT_OK)
		printf("uploaded %zu file%s from %s to s3://%s/%s\n", files.n, files.n == 1 ? "" : "s", dir, bucket,
		       prefix);
done:
	walk_files = NULL;
	free(bucket);
	free(prefix);
	drv_aws_free(aws);
	dr_strlist_release(&files);
	dr_strlist_release(&args);
	return rc;
}

/* A key's remainder must stay inside DIR: no "..", no absolute path. */
static bool safe_relative(const char *rel)
{
	if (!*rel || rel[0] == '/')
		return false;
	for (const char *p = rel; *p;) {
		size_t n = strcspn(p, "/");
		if ((n == 2 && !strncmp(p, "..", 2)) || (n == 1 && *p == '.') || n == 0)
			return false;
		p += n;
		if (*p == '/')
			p++;
	}
	return true;
}

static int download_one(drv_s3 *s3, const char *key, const char *dest)
{
	dr_buf body = {0};
	dr_err err = drv_s3_get(s3, key, &body);
	if (err != DR_OK) {
		dr_buf_release(&body);
		return dr_error("cannot download '%s': %s", key, dr_strerror(err));
	}
	char *parent = dr_strdup(dest);
	char *slash = strrchr(parent, '/');
	if (slash)
		*slash = '\0';
	int rc = 0;
	if ((slash && dr_mkdirs(parent, 0755) != DR_OK) || dr_write_atomic(dest, body.s ? body.s : "", body.len) != DR_OK)
		rc = dr_error("cannot write '%s': %s", dest, strerror(errno));
	free(parent);
	dr_buf_release(&body);
	return rc;
}

static int run_download(int argc, char **argv)
{
	dr_strlist args = {0};
	drv_aws *aws;
	char *bucket = NULL, *prefix = NULL, **keys = NULL;
	size_t n = 0;
	int rc = prepare(&cmd_download_def, argc, argv, &args, &aws);
	if (rc != 0) {
		rc = rc < 0 ? DR_EXIT_OK : rc;
		goto done;
	}
	rc = DR_EXIT_USAGE;
	if (parse_url(args.v[0], &bucket, &prefix) != 0)
		goto done;
	const char *dir = args.v[1];
	drv_s3 s3;
	drv_s3_init(&s3, aws, bucket);
	char *list_prefix = *prefix ? dr_asprintf("%s/", prefix) : dr_strdup("");
	dr_err err = drv_s3_list(&s3, list_prefix, &keys, &n);
	size_t plen = strlen(list_prefix);
	free(list_prefix);
	if (err != DR_OK) {
		dr_error("cannot list s3://%s/%s: %s", bucket, prefix, dr_strerror(err));
		rc = DR_EXIT_RUNTIME;
		goto done;
	}
	if (n == 0) {
		dr_error("nothing stored under s3://%s/%s", bucket, prefix);
		rc = DR_EXIT_RUNTIME;
		goto done;
	}
	if (dr_mkdirs(dir, 0755) != DR_OK) {
		dr_error("cannot create '%s': %s", dir, strerror(errno));
		rc = DR_EXIT_RUNTIME;
		goto done;
	}
	rc = DR_EXIT_OK;
	for (size_t i = 0; i < n && rc == DR_EXIT_OK; i++) {
		const char *rel = keys[i] + plen;
		if (!safe_relative(rel)) {
			dr_error("refusing object '%s': its name would leave '%s'", keys[i], dir);
			rc = DR_EXIT_RUNTIME;
			break;
		}
		char *dest = dr_asprintf("%s/%s", dir, rel);
		if (download_one(&s3, keys[i], dest) != 0)
			rc = DR_EXIT_RUNTIME;
		free(dest);
	}
	if (rc == DR_EXIT_OK)
		printf("downloaded %zu file%s from s3://%s/%s to %s\n", n, n == 1 ? "" : "s", bucket, prefix, dir);
done:
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	free(bucket);
	free(prefix);
	drv_aws_free(aws);
	dr_strlist_release(&args);
	return rc;
}
