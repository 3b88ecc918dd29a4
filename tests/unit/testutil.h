/* testutil.h - what every cmocka unit test includes. */
#ifndef DR_TESTUTIL_H
#define DR_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

/* assert |a - b| <= tol, printing both on failure. */
#define assert_near(a, b, tol)                                                         \
	do {                                                                               \
		double a_ = (a), b_ = (b), t_ = (tol);                                         \
		if (!(fabs(a_ - b_) <= t_))                                                    \
			fail_msg("%s = %.9g, expected %s = %.9g within %.3g", #a, a_, #b, b_, t_); \
	} while (0)
#endif
