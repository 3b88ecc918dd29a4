/*
 * aws_config.h - credentials, region, endpoints and retry settings found
 * the way the AWS SDKs and CLI find them.
 *
 * Credentials, first match wins:
 *   1. AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN);
 *   2. the shared credentials file (AWS_SHARED_CREDENTIALS_FILE, else
 *      ~/.aws/credentials), section [PROFILE];
 *   3. the config file (AWS_CONFIG_FILE, else ~/.aws/config), section
 *      [profile PROFILE] ([default] for the default profile).
 * PROFILE is AWS_PROFILE, else "default".
 * Region: the caller's override, AWS_REGION, AWS_DEFAULT_REGION, then the
 * profile's "region" in the config file.
 * Endpoint of a service: AWS_ENDPOINT_URL_<SERVICE> (e.g. _RDS, _S3),
 * AWS_ENDPOINT_URL, the profile's "endpoint_url", else the public
 * https://<service>.<region>.amazonaws.com.
 * Retries: AWS_MAX_ATTEMPTS, else the profile's "max_attempts", else 3.
 *
 * Only where the credentials came from is ever printed, never the keys.
 */
#ifndef DRV_AWS_CONFIG_H
#define DRV_AWS_CONFIG_H

#include "dr.h"
#include "sigv4.h"

typedef struct {
	drv_aws_creds creds;
	char *creds_source;   /* e.g. "environment", "shared credentials file \"/root/.aws/credentials\"" */
	char *profile;        /* profile used for the files */
	char *region;         /* never NULL after a successful load */
	char *endpoint_url;   /* the profile's endpoint_url, NULL when none */
	int max_attempts;     /* >= 1 */
} drv_aws_config;

/*
 * Resolve credentials, region and retry settings into *out (released with
 * drv_aws_config_release).  region may be NULL (no override).
 * DR_NOTFOUND with a message naming what was tried when no credentials or
 * no region are found; DR_PARSE when a file or variable is malformed.
 */
dr_err drv_aws_config_load(const char *region, drv_aws_config *out) DR_WUR;
void drv_aws_config_release(drv_aws_config *c);

/* The endpoint URL (no trailing '/') for service ("rds", "s3") in region.
 * Caller frees. */
char *drv_aws_endpoint(const drv_aws_config *c, const char *service, const char *region);

/* The host[:port] part of an endpoint URL.  Caller frees. */
char *drv_aws_url_host(const char *url);

#endif
