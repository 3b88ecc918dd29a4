/* test_aws_config.c - credentials, region, endpoints and retry settings
 * from the environment and the shared files, and the error without any. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws_config.h"

static char dir[64];

static const char *const vars[] = {
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION",
	"AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_RDS", "AWS_ENDPOINT_URL_S3",
	"AWS_MAX_ATTEMPTS", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE",
};

static void write_file(const char *name, const char *text)
{
	char *p = dr_asprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

static int setup(void **state)
{
	for (size_t i = 0; i < sizeof(vars) / sizeof(*vars); i++) unsetenv(vars[i]);
	snprintf(dir, sizeof(dir), "/tmp/drsim-awscfg-XXXXXX");
	if (!mkdtemp(dir)) return -1;
	setenv("HOME", dir, 1); /* no ~/.aws there */
	return 0;
}

static int teardown(void **state)
{
	char *cmd = dr_asprintf("rm -rf '%s'", dir);
	int rc = system(cmd);
	free(cmd);
	return rc;
}

static void test_environment(void **state)
{
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
	setenv("AWS_SESSION_TOKEN", "envtoken", 1);
	setenv("AWS_DEFAULT_REGION", "eu-west-1", 1);
	drv_aws_config c;
	assert_int_equal(drv_aws_config_load(NULL, &c), DR_OK);
	assert_string_equal(c.creds.access_key_id, "AKIDENV");
	assert_string_equal(c.creds.secret_access_key, "envsecret");
	assert_string_equal(c.creds.session_token, "envtoken");
	assert_string_equal(c.creds_source, "environment");
	assert_string_equal(c.region, "eu-west-1");
	assert_int_equal(c.max_attempts, 3);
	char *e = drv_aws_endpoint(&c, "rds", "us-west-2");
	assert_string_equal(e, "https://rds.us-west-2.amazonaws.com");
	free(e);
	setenv("AWS_REGION", "ap-south-1", 1); /* AWS_REGION wins over AWS_DEFAULT_REGION */
	drv_aws_config_release(&c);
	assert_int_equal(drv_aws_config_load(NULL, &c), DR_OK);
	assert_string_equal(c.region, "ap-south-1");
	drv_aws_config_release(&c);
	assert_int_equal(drv_aws_config_load("us-east-2", &c), DR_OK); /* the scenario's region wins */
	assert_string_equal(c.region, "us-east-2");
	drv_aws_config_release(&c);
}

static void test_profiles(void **state)
{
	write_file("creds", "[default]\naws_access_key_id = AKIDDEF\naws_secret_access_key = defsecret\n"
			    "[dr]\naws_access_key_id=AKIDDR\naws_secret_access_key=drsecret\naws_session_token = drtok\n");
	write_file("config", "[default]\nregion = us-east-1\n[profile dr]\nregion = us-west-2\n"
			     "endpoint_url = http://127.0.0.1:9999/\nmax_attempts = 5\n"
			     "[profile cfgonly]\naws_access_key_id = AKIDCFG\naws_secret_access_key = cfgsecret\nregion = eu-north-1\n");
	char *cf = dr_asprintf("%s/creds", dir), *cg = dr_asprintf("%s/config", dir);
	setenv("AWS_SHARED_CREDENTIALS_FILE", cf, 1);
	setenv("AWS_CONFIG_FILE", cg, 1);
	drv_aws_config c;
	assert_int_equal(drv_aws_config_load(NULL, &c), DR_OK);
	assert_string_equal(c.creds.access_key_id, "AKIDDEF");
	assert_null(c.creds.session_token);
	assert_string_equal(c.region, "us-east-1");
	drv_aws_config_release(&c);

	setenv("AWS_PROFILE", "dr", 1);
	assert_int_equal(drv_aws_config_load(NULL, &c), DR_OK);
	assert_string_equal(c.creds.access_key_id, "AKIDDR");
	assert_string_equal(c.creds.session_token, "drtok");
	assert_string_equal(c.region, "us-west-2");
	assert_int_equal(c.max_attempts, 5);
	assert_non_null(strstr(c.creds_source, "profile \"dr\""));
	assert_null(strstr(c.creds_source, "drsecret"));
	char *e = drv_aws_endpoint(&c, "rds", NULL);
	assert_string_equal(e, "http://127.0.0.1:9999");
	free(e);
	setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1/", 1);
	setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:2", 1);
	e = drv_aws_endpoint(&c, "rds", NULL);
	assert_string_equal(e, "http://127.0.0.1:1");
	free(e);
	e = drv_aws_endpoint(&c, "s3", NULL);
	assert_string_equal(e, "http://127.0.0.1:2");
	free(e);
	e = drv_aws_url_host("http://127.0.0.1:2/x?y");
	assert_string_equal(e, "127.0.0.1:2");
	free(e);
	setenv("AWS_MAX_ATTEMPTS", "7", 1);
	drv_aws_config_release(&c);
	assert_int_equal(drv_aws_config_load(NULL, &c), DR_OK);
	assert_int_equal(c.max_attempts, 7);
	drv_aws_config_release(&c);
	setenv("AWS_MAX_ATTEMPTS", "zero", 1);
	assert_int_equal(drv_aws_config_load(NULL, &c), DR_PARSE);
	unsetenv("AWS_MAX_ATTEMPTS");

	setenv("AWS_PROFILE", "cfgonly", 1);
	assert_int_equal(drv_aws_config_load(NULL, &c), DR_OK);
	assert_string_equal(c.creds.access_key_id, "AKIDCFG");
	assert_string_equal(c.region, "eu-north-1");
	drv_aws_config_release(&c);

	setenv("AWS_PROFILE", "missing", 1);
	assert_int_equal(drv_aws_config_load(NULL, &c), DR_NOTFOUND);
	free(cf);
	free(cg);
}

static void test_nothing_found(void **state)
{
	drv_aws_config c;
	assert_int_equal(drv_aws_config_load("us-east-1", &c), DR_NOTFOUND);
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
	assert_int_equal(drv_aws_config_load(NULL, &c), DR_NOTFOUND); /* no region anywhere */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_environment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_profiles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_found, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
