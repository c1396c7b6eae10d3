/* analytics/stats.c - the statistics of the reports: Wilson intervals and two-proportion z-tests. */
#include <math.h>

#include "funnel/analytics.h"

#define Z95 1.959963984540054

void fnl_wilson(int64_t k, int64_t n, double *lo, double *hi)
{
	if (n <= 0) {
		*lo = 0.0;
		*hi = 1.0;
		return;
	}
	double p = (double)k / (double)n, nn = (double)n, z2 = Z95 * Z95;
	double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
	double half = Z95 * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
	*lo = centre - half < 0 || k <= 0 ? 0 : centre - half;
	*hi = centre + half > 1 || k >= n ? 1 : centre + half; /* exact at the ends, not 0.9999999999999999 */
}

void fnl_ztest(int64_t k1, int64_t n1, int64_t k2, int64_t n2, double *z, double *p)
{
	*z = 0.0;
	*p = 1.0;
	if (n1 <= 0 || n2 <= 0)
		return;
	double p1 = (double)k1 / (double)n1, p2 = (double)k2 / (double)n2;
	double pool = (double)(k1 + k2) / (double)(n1 + n2);
	double var = pool * (1 - pool) * (1.0 / (double)n1 + 1.0 / (double)n2);
	if (var <= 0)
		return;
	*z = (p1 - p2) / sqrt(var);
	*p = erfc(fabs(*z) / sqrt(2.0));
}
