/*
 * aws_config.c - finding AWS credentials, region, endpoints and retry
 * settings in the environment and the shared credentials/config files.
 */
#include "aws_config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s)) s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
	return s;
}

/* The value of key in [section] of an INI file, NULL when absent. */
static char *ini_get(const char *path, const char *section, const char *key)
{
	char *data = dr_read_file(path, NULL);
	if (!data) return NULL;
	char *found = NULL, *save = NULL;
	bool in = false;
	for (char *line = strtok_r(data, "\n", &save); line && !found; line = strtok_r(NULL, "\n", &save)) {
		char *l = trim(line);
		if (*l == '#' || *l == ';' || !*l) continue;
		if (*l == '[') {
			char *end = strchr(l, ']');
			if (!end) continue;
			*end = '\0';
			in = !strcmp(trim(l + 1), section);
			continue;
		}
		char *eq = strchr(l, '=');
		if (!in || !eq) continue;
		*eq = '\0';
		if (!strcmp(trim(l), key)) found = dr_strdup(trim(eq + 1));
	}
	free(data);
	return found;
}

static char *home_file(const char *var, const char *rel)
{
	const char *v = env(var);
	if (v) return dr_strdup(v);
	const char *home = env("HOME");
	return home ? dr_asprintf("%s/%s", home, rel) : NULL;
}

/* The config file's value for the profile. */
static char *config_get(const drv_aws_config *c, const char *cfg, const char *key)
{
	if (!cfg) return NULL;
	char *section = strcmp(c->profile, "default") ? dr_asprintf("profile %s", c->profile) : dr_strdup("default");
	char *v = ini_get(cfg, section, key);
	free(section);
	return v;
}

static bool creds_from_file(drv_aws_config *c, const char *path, const char *section, const char *what)
{
	char *id = ini_get(path, section, "aws_access_key_id");
	char *secret = ini_get(path, section, "aws_secret_access_key");
	if (!id || !secret) {
		free(id);
		if (secret) {
			memset(secret, 0, strlen(secret));
			free(secret);
		}
		return false;
	}
	c->creds.access_key_id = id;
	c->creds.secret_access_key = secret;
	c->creds.session_token = ini_get(path, section, "aws_session_token");
	c->creds_source = dr_asprintf("%s \"%s\" profile \"%s\"", what, path, c->profile);
	return true;
}

dr_err drv_aws_config_load(const char *region, drv_aws_config *out)
{
	dr_err err = DR_OK;
	memset(out, 0, sizeof(*out));
	char *credfile = home_file("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
	char *cfgfile = home_file("AWS_CONFIG_FILE", ".aws/config");
	out->profile = dr_strdup(env("AWS_PROFILE") ? env("AWS_PROFILE") : "default");

	if (env("AWS_ACCESS_KEY_ID") && env("AWS_SECRET_ACCESS_KEY")) {
		out->creds.access_key_id = dr_strdup(env("AWS_ACCESS_KEY_ID"));
		out->creds.secret_access_key = dr_strdup(env("AWS_SECRET_ACCESS_KEY"));
		out->creds.session_token = dr_strdup(env("AWS_SESSION_TOKEN"));
		out->creds_source = dr_strdup("environment");
	} else if (!(credfile && creds_from_file(out, credfile, out->profile, "shared credentials file"))) {
		char *section = strcmp(out->profile, "default") ? dr_asprintf("profile %s", out->profile)
								 : dr_strdup("default");
		bool ok = cfgfile && creds_from_file(out, cfgfile, section, "config file");
		free(section);
		if (!ok) {
			dr_error("no aws credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
				 "or put profile \"%s\" in \"%s\" or \"%s\"",
				 out->profile, credfile ? credfile : "~/.aws/credentials",
				 cfgfile ? cfgfile : "~/.aws/config");
			err = DR_NOTFOUND;
			goto out;
		}
	}

	if (region && *region)
		out->region = dr_strdup(region);
	else if (env("AWS_REGION"))
		out->region = dr_strdup(env("AWS_REGION"));
	else if (env("AWS_DEFAULT_REGION"))
		out->region = dr_strdup(env("AWS_DEFAULT_REGION"));
	else
		out->region = config_get(out, cfgfile, "region");
	if (!out->region) {
		dr_error("no aws region found: set AWS_REGION (or AWS_DEFAULT_REGION), the drill's \"region\", "
			 "or \"region\" of profile \"%s\"", out->profile);
		err = DR_NOTFOUND;
		goto out;
	}
	out->endpoint_url = config_get(out, cfgfile, "endpoint_url");

	out->max_attempts = 3;
	char *cfg_attempts = config_get(out, cfgfile, "max_attempts");
	const char *attempts = env("AWS_MAX_ATTEMPTS") ? env("AWS_MAX_ATTEMPTS") : cfg_attempts;
	if (attempts) {
		char *end = NULL;
		long n = strtol(attempts, &end, 10);
		if (*end || n < 1 || n > 100) {
			dr_error("invalid max_attempts \"%s\": want an integer from 1 to 100", attempts);
			err = DR_PARSE;
		} else {
			out->max_attempts = (int)n;
		}
	}
	free(cfg_attempts);

out:
	free(credfile);
	free(cfgfile);
	if (err) drv_aws_config_release(out);
	return err;
}

void drv_aws_config_release(drv_aws_config *c)
{
	drv_aws_creds_release(&c->creds);
	free(c->creds_source);
	free(c->profile);
	free(c->region);
	free(c->endpoint_url);
	memset(c, 0, sizeof(*c));
}

static char *strip_slash(char *url)
{
	size_t n = strlen(url);
	while (n && url[n - 1] == '/') url[--n] = '\0';
	return url;
}

char *drv_aws_endpoint(const drv_aws_config *c, const char *service, const char *region)
{
	char var[64];
	size_t o = (size_t)snprintf(var, sizeof(var), "AWS_ENDPOINT_URL_");
	for (const char *s = service; *s && o + 1 < sizeof(var); s++)
		var[o++] = *s == '-' || *s == ' ' ? '_' : (char)toupper((unsigned char)*s);
	var[o] = '\0';
	if (env(var)) return strip_slash(dr_strdup(env(var)));
	if (env("AWS_ENDPOINT_URL")) return strip_slash(dr_strdup(env("AWS_ENDPOINT_URL")));
	if (c->endpoint_url) return strip_slash(dr_strdup(c->endpoint_url));
	return dr_asprintf("https://%s.%s.amazonaws.com", service, region ? region : c->region);
}

char *drv_aws_url_host(const char *url)
{
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	return dr_strndup(h, strcspn(h, "/?#"));
}
