/* test_aws_http.c - standard retry mode pieces (backoff, throttling codes),
 * Query form encoding, presigned copy URLs and ARN parsing, no server. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "aws_http.h"
#include "rds.h"

static void test_backoff(void **state)
{
	assert_near(drv_aws_backoff(1, 0.5), 0.5, 1e-12);
	assert_near(drv_aws_backoff(3, 0.5), 2.0, 1e-12);
	assert_near(drv_aws_backoff(10, 0.999), DRV_AWS_MAX_BACKOFF_S, 1e-12); /* capped at 20 s */
	assert_near(drv_aws_backoff(2, 0.0), 0.0, 1e-12);                     /* full jitter starts at 0 */
}

static void test_throttle_codes(void **state)
{
	assert_true(drv_aws_is_throttle("Throttling"));
	assert_true(drv_aws_is_throttle("RequestLimitExceeded"));
	assert_true(drv_aws_is_throttle("SlowDown"));
	assert_false(drv_aws_is_throttle("InsufficientDBInstanceCapacity"));
	assert_false(drv_aws_is_throttle(NULL));
}

static void test_form(void **state)
{
	dr_buf b = {0};
	drv_aws_form_add(&b, "Action", "CreateDBSnapshot");
	drv_aws_form_add(&b, "Tags.Tag.1.Value", "a b/c+d");
	assert_string_equal(b.s, "Action=CreateDBSnapshot&Tags.Tag.1.Value=a%20b%2Fc%2Bd");
	dr_buf_release(&b);
}

static void test_presigned_copy(void **state)
{
	drv_aws_config cfg = {.creds = {dr_strdup("AKIDEXAMPLE"), dr_strdup("secret"), NULL},
			      .region = dr_strdup("us-west-2"), .profile = dr_strdup("default"), .max_attempts = 3};
	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_ENDPOINT_URL_RDS");
	drv_aws *a = drv_aws_new(&cfg);
	drv_aws_set_fixed_time(a, 1440938160);
	drv_rds r;
	drv_rds_init(&r, a, "run1");
	char *url = drv_rds_copy_presigned_url(&r, "us-east-1", "us-west-2",
					       "arn:aws:rds:us-east-1:123456789012:snapshot:s1", "t1", "key-1");
	assert_non_null(url);
	const char *want = "https://rds.us-east-1.amazonaws.com/?Action=CopyDBSnapshot&";
	assert_true(!strncmp(url, want, strlen(want)));
	assert_non_null(strstr(url, "DestinationRegion=us-west-2"));
	assert_non_null(strstr(url, "X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Frds%2Faws4_request"));
	assert_non_null(strstr(url, "X-Amz-Expires=3600"));
	free(url);
	drv_aws_free(a);
}

static void test_arn_account(void **state)
{
	char *a = drv_rds_arn_account("arn:aws:rds:us-east-1:123456789012:db:prod");
	assert_string_equal(a, "123456789012");
	free(a);
	assert_null(drv_rds_arn_account("prod-db"));
	assert_near(drv_rds_parse_time("2015-08-30T12:36:00.250Z"), 1440938160.25, 1e-6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),       cmocka_unit_test(test_throttle_codes),
		cmocka_unit_test(test_form),          cmocka_unit_test(test_presigned_copy),
		cmocka_unit_test(test_arn_account),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
