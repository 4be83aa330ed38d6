/* libFuzzer harness: compile an expression, then evaluate it over a small
 * three-level series at every period (windows, offsets, hierarchy). */
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include "vigie/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct series *make_series(void)
{
	static const char *const units[] = { "acme/a/x", "acme/a/y", "acme/b/z", "solo" };
	static const char *const inds[] = { "headcount", "absence_days", "workable_days", "conflicts" };
	struct series_builder *b = sb_new(GRAN_MONTH, 24300, 24311);

	for (size_t u = 0; u < 4; u++)
		sb_unit(b, units[u]);
	for (size_t i = 0; i < 4; i++)
		sb_indicator(b, inds[i]);
	for (int32_t p = 24300; p <= 24311; p++) {
		for (size_t u = 0; u < 4; u++) {
			int32_t uid = sb_unit(b, units[u]);
			if ((p + (int32_t)u) % 5 == 0)
				continue;	/* some holes */
			sb_set(b, (uint32_t)uid, 0, p, 3.0 + (double)((p * 7 + (int32_t)u) % 9));
			sb_set(b, (uint32_t)uid, 1, p, (double)((p * 13 + (int32_t)u) % 17));
			sb_set(b, (uint32_t)uid, 2, p, 200.0);
			sb_set(b, (uint32_t)uid, 3, p, (double)((p + (int32_t)u) % 3));
		}
	}
	return sb_finish(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct series *s;
	struct names nm = { 0 };
	struct diags d = { 0 }, w = { .kind = "warning" };

	if (!s)
		s = make_series();
	struct expr *e = expr_compile((const char *)data, size, "fuzz", NULL, &nm, &d, &w);
	if (e) {
		int32_t map[64];
		for (size_t i = 0; i < nm.n && i < 64; i++)
			map[i] = series_indicator(s, nm.v[i]);
		struct eval_env env = { s, map, series_indicator(s, "headcount"), 5 };
		if (nm.n <= 64)
			for (uint32_t u = 0; u < s->nunits; u++)
				for (int32_t p = s->p0 - 2; p < s->p0 + s->np + 1; p++)
					(void)expr_eval(e, &env, u, p, NULL);
		/* expr_needs is sound: an expression it says needs a name is
		 * undefined everywhere once that name has no value at all. */
		for (size_t i = 0; nm.n <= 64 && i < nm.n; i++) {
			int32_t was = map[i];

			if (!expr_needs(e, (int32_t)i))
				continue;
			map[i] = -1;
			for (uint32_t u = 0; u < s->nunits; u++)
				for (int32_t p = s->p0 - 2; p < s->p0 + s->np + 1; p++)
					if (!isnan(expr_eval(e, &env, u, p, NULL)))
						abort();
			map[i] = was;
		}
		expr_free(e);
	}
	names_free(&nm);
	diags_free(&d);
	diags_free(&w);
	return 0;
}
