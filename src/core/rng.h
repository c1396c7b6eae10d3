/*
 * core/rng.h - splitmix64: the seeded, reproducible random numbers of the demo data, the benchmark's
 * generated data and the tests' generated cases. The same seed gives the same numbers on every
 * machine. Not for anything that must be unpredictable.
 */
#ifndef FUNNEL_CORE_RNG_H
#define FUNNEL_CORE_RNG_H

#include <stdint.h>

struct fnl_rng {
	uint64_t s; /* the seed, then the state */
};

static inline uint64_t fnl_rng_next(struct fnl_rng *r)
{
	uint64_t z = (r->s += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* 0 .. n-1 (n > 0) */
static inline int fnl_rng_below(struct fnl_rng *r, int n)
{
	return (int)(fnl_rng_next(r) % (uint64_t)n);
}

/* 1 with probability pct/100 */
static inline int fnl_rng_chance(struct fnl_rng *r, int pct)
{
	return fnl_rng_below(r, 100) < pct;
}

/* uniform in [0, 1) */
static inline double fnl_rng_unit(struct fnl_rng *r)
{
	return (double)(fnl_rng_next(r) >> 11) * 0x1.0p-53;
}

#endif
