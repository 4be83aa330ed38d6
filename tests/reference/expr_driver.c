#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/cells.h"
#include "vigie/expr.h"
/* Reads a series, its hidden cells and expressions on stdin, prints each
 * expression's value at every unit and period without cells, then with
 * them and whether it read a hidden one: the C side of
 * tests/reference/expr_ref.py. */
int main(void)
{
	unsigned nu, ni; int p0, np; double floor;
	if (scanf("%u %u %d %d %lf", &nu, &ni, &p0, &np, &floor) != 5) return 2;
	struct series s = { 0 };
	int32_t *parent = calloc(nu, 4); uint32_t *off = calloc(nu + 1, 4), *idx = calloc(nu, 4);
	char **inds = calloc(ni, sizeof(char *));
	double *v = calloc((size_t)nu * ni * np, 8);
	for (unsigned u = 0; u < nu; u++) if (scanf("%d", &parent[u]) != 1) return 2;
	for (unsigned i = 0; i < ni; i++) { char b[64]; if (scanf("%63s", b) != 1) return 2; inds[i] = strdup(b); }
	for (size_t i = 0; i < (size_t)nu * ni * np; i++) { char b[64]; if (scanf("%63s", b) != 1) return 2; v[i] = strcmp(b, "nan") ? strtod(b, NULL) : NAN; }
	uint8_t *hid = calloc((size_t)nu * ni * np + 1, 1);
	for (size_t i = 0; i < (size_t)nu * ni * np; i++) { int h; if (scanf("%d", &h) != 1) return 2; hid[i] = (uint8_t)h; }
	unsigned k = 0;
	for (unsigned u = 0; u < nu; u++) { off[u] = k; for (unsigned c = 0; c < nu; c++) if (parent[c] == (int)u) idx[k++] = c; }
	off[nu] = k;
	s.p0 = p0; s.np = np; s.nunits = nu; s.parent = parent; s.child_off = off; s.child_idx = idx; s.nind = ni; s.inds = inds; s.v = v;
	/* each unit's first data: its first period with any value */
	int32_t *first = malloc(nu * sizeof(*first));
	for (unsigned u = 0; u < nu; u++) {
		first[u] = -1;
		for (int t = 0; t < np && first[u] < 0; t++)
			for (unsigned i = 0; i < ni; i++)
				if (!isnan(v[((size_t)u * ni + i) * np + t])) { first[u] = p0 + t; break; }
	}
	s.first = first;
	/* X_max is the companion of X (cells.c's rule) */
	int32_t *comp = malloc(ni * sizeof(*comp));
	for (unsigned i = 0; i < ni; i++) {
		char want[80];
		snprintf(want, sizeof want, "%s_max", inds[i]);
		comp[i] = -1;
		for (unsigned j = 0; j < ni; j++) if (!strcmp(inds[j], want)) comp[i] = (int32_t)j;
	}
	struct cells cells = { .s = &s, .floor = (int)floor, .dominance = 0.85, .headcount = 0, .companion = comp, .hidden = hid };
	for (unsigned i = 0; i < ni; i++) cells.companions |= comp[i] >= 0;
	uint8_t *row = calloc((size_t)nu * ni + 1, 1);
	for (size_t r = 0; r < (size_t)nu * ni; r++) for (int t = 0; t < np; t++) row[r] |= hid[r * np + t];
	cells.row = row;
	char line[16384];
	fgets(line, sizeof line, stdin);
	while (fgets(line, sizeof line, stdin)) {
		size_t len = strlen(line);
		if (len && line[len - 1] == '\n') line[--len] = 0;
		struct names nm = { 0 }; struct diags d = { 0 };
		struct expr *e = expr_compile(line, len, "f", NULL, &nm, &d, NULL);
		if (!e) { char *m = diags_to_string(&d, 0); printf("ERR %s", m); free(m); diags_free(&d); names_free(&nm); continue; }
		int32_t map[256];
		for (size_t i = 0; i < nm.n; i++) { map[i] = -1; for (unsigned j = 0; j < ni; j++) if (!strcmp(nm.v[i], inds[j])) map[i] = j; }
		struct eval_env env = { &s, map, 0, floor, NULL }, envc = { &s, map, 0, floor, &cells };
		printf("LB %d %d\n", expr_lookback(e), expr_uses_hierarchy(e));
		for (unsigned u = 0; u < nu; u++) for (int p = p0 - 2; p < p0 + np + 1; p++) {
			bool h;
			double a = expr_eval(e, &env, u, p, NULL), b = expr_eval(e, &envc, u, p, &h);
			printf("%.17g %.17g %d\n", a, b, h);
		}
		expr_free(e); names_free(&nm);
	}
	for (unsigned i = 0; i < ni; i++) free(inds[i]);
	free(inds); free(v); free(parent); free(off); free(idx); free(first); free(hid); free(comp); free(row);
	return 0;
}
