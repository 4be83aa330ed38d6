/* A digest's shape (include/vigie/wording.h, SPEC 16): the notices of one
 * message grouped into one block per unit, most severe first, with the
 * alerts of a parent unit folded into the block of a descendant on which
 * the same rule is active (a signal of the message, else an unchanged
 * alert added as context by delivery), and what changed counted per
 * block, its own signals apart from the parents it hosts. An alert that
 * an alert of the message covers (inhibited_by) is a line of that alert's
 * signal, never a block. The mail renderers (mail_text.c, mail_html.c) walk this shape, so
 * that the text and the HTML part always say the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/typo.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"

static bool active(const struct notice *x)
{
	return x->rule && x->unit && strcmp(x->kind, "resolved") != 0;
}

/* Whether unit d is a strict descendant of unit a ("a/..."). */
static bool descends(const char *d, const char *a)
{
	size_t n = strlen(a);

	return !strncmp(d, a, n) && d[n] == '/';
}

/* Whether x's value is hidden by the anonymity floor (SPEC 3), not missing
 * for want of data. */
static bool hidden(const struct notice *x)
{
	return x->hidden || (!x->has_value && !x->absent && !x->missing);
}

/* A team whose value is hidden hosts no parent: beside its « valeur
 * masquée », the parent's figure would read as the team's. */
bool digest_can_host(const struct notice *x, const struct notice *p)
{
	/* A covered alert is a line of its covering alert's signal: it
	 * neither hosts nor is folded. */
	return active(x) && active(p) && !hidden(x) && !x->covered_by && !p->covered_by &&
	    !strcmp(x->rule, p->rule) && descends(x->unit, p->unit);
}

enum digest_change digest_change_of(const struct notice *x)
{
	if (!x->rule)
		return DG_OTHER;
	/* Held by a cover: its reader may have known it before the cover
	 * began, so not « signalée pour la première fois ». */
	if (x->catchup)
		return x->held_by ? DG_HELD : DG_SINCE;
	if (!strcmp(x->kind, "firing") && x->reopened)
		return DG_AGAIN;
	if (!strcmp(x->kind, "firing"))
		return x->since && x->period && strcmp(x->since, x->period) ? DG_SINCE : DG_NEW;
	if (!strcmp(x->kind, "escalated"))
		return DG_WORSE;
	if (!strcmp(x->kind, "deescalated"))
		return DG_BETTER;
	if (!strcmp(x->kind, "resolved"))
		return DG_RESOLVED;
	if (!strcmp(x->kind, "reminder"))
		return DG_REMINDER;
	return DG_OTHER;
}

static const char *unit_of(const struct notice *x)
{
	return x->unit ? x->unit : "";
}

/* Order of signals and of the notices that open blocks: most severe unit
 * first (computed by the caller into rank[]), then unit name, then most
 * severe notice, then rule, then the order of the message. */
struct ord {
	const struct notice *v;
	int urank;
	bool folded;		/* not a signal: folded, or context hosting nothing */
};

static int cmp_ord(const void *a, const void *b)
{
	const struct ord *x = a, *y = b;
	int c;

	if (!x->v->unit != !y->v->unit)
		return x->v->unit ? -1 : 1;	/* system notices last */
	if (x->urank != y->urank)
		return y->urank - x->urank;
	if ((c = strcmp(unit_of(x->v), unit_of(y->v))) != 0)
		return c;
	return wording_cmp_in_unit(x->v, y->v);
}

static int cmp_block(const void *a, const void *b)
{
	const struct digest_block *x = a, *y = b;

	if (!x->unit != !y->unit)
		return x->unit ? -1 : 1;
	if (x->rank != y->rank)
		return y->rank - x->rank;
	return x->unit ? strcmp(x->unit, y->unit) : 0;
}

/* The depth of a unit: how many "/" it has. */
static size_t depth(const char *u)
{
	size_t k = 0;

	for (; *u; u++)
		k += *u == '/';
	return k;
}

/* The host of folded parent p among the context notices (notice.h), when
 * no signal of the message can host it: its deepest context descendant of
 * the same rule, the first in v among equals; NULL when a signal can. */
static const struct notice *context_host(const struct notice *v, size_t n,
    const bool *folded, const struct notice *p)
{
	const struct notice *best = NULL;

	for (size_t j = 0; j < n; j++) {
		if (!digest_can_host(&v[j], p))
			continue;
		if (!v[j].context && !folded[j])
			return NULL;
		if (v[j].context && (!best || depth(v[j].unit) > depth(best->unit)))
			best = &v[j];
	}
	return best;
}

/* Whether block bk has no signal of its own: it is there for the parents
 * it hosts. */
static bool only_context(const struct digest_block *bk)
{
	for (size_t m = 0; m < bk->nitems; m++)
		if (!bk->items[m].v->context)
			return false;
	return true;
}

/* Counts parent p among those of its unit that bk hosts: apart from bk's
 * own, lest a team's line count its site's alerts as the team's. */
static void count_hosted(struct digest_block *bk, const struct notice *p)
{
	struct digest_hosted *h = NULL;

	for (size_t i = 0; i < bk->nhosted && !h; i++)
		if (!strcmp(bk->hosted[i].unit, p->unit))
			h = &bk->hosted[i];
	if (!h) {
		bk->hosted = xrealloc(bk->hosted, (bk->nhosted + 1) * sizeof(*bk->hosted));
		h = &bk->hosted[bk->nhosted++];
		*h = (struct digest_hosted){ .unit = p->unit };
	}
	h->changes[digest_change_of(p)]++;
	if (wording_rank(p) > h->rank)
		h->rank = wording_rank(p);
}

/* Adds parent p to the first item of the blocks that satisfies `take`. */
static bool host_in(struct digest *d, const struct notice *p,
    bool (*take)(const struct notice *it, const struct notice *p, const void *arg),
    const void *arg)
{
	for (size_t k = 0; k < d->nblocks; k++) {
		struct digest_block *bk = &d->blocks[k];

		for (size_t m = 0; m < bk->nitems; m++) {
			struct digest_item *it = &bk->items[m];

			if (!take(it->v, p, arg))
				continue;
			it->parents = xrealloc(it->parents, (it->nparents + 1) * sizeof(*it->parents));
			it->parents[it->nparents++] = p;
			count_hosted(bk, p);
			if (only_context(bk) && wording_rank(p) > bk->rank)
				bk->rank = wording_rank(p);
			return true;
		}
	}
	return false;
}

/* A signal of the message on which p's rule is active on a descendant. */
static bool take_signal(const struct notice *x, const struct notice *p, const void *arg)
{
	(void)arg;
	return !x->context && digest_can_host(x, p);
}

/* The context notice chosen for p. */
static bool take_context(const struct notice *x, const struct notice *p, const void *arg)
{
	(void)p;
	return x == arg;
}

/* Adds c to v[0..*n). */
static void cover_add(const struct notice ***v, size_t *n, const struct notice *c)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = c;
}

bool digest_covers(const struct notice *x, const struct notice *c)
{
	return !x->context && x->rule && x->unit && !strcmp(x->unit, c->unit) &&
	    !strcmp(x->rule, c->covered_by);
}

/* c goes under the first alert of the blocks that covers it: a signal, or
 * a parent folded into one. */
static void cover_in(struct digest *d, const struct notice *c)
{
	for (size_t k = 0; k < d->nblocks; k++)
		for (size_t m = 0; m < d->blocks[k].nitems; m++)
			if (digest_covers(d->blocks[k].items[m].v, c)) {
				struct digest_item *it = &d->blocks[k].items[m];

				cover_add(&it->covered, &it->ncovered, c);
				return;
			}
	for (size_t k = 0; k < d->nblocks; k++)
		for (size_t m = 0; m < d->blocks[k].nitems; m++) {
			struct digest_item *it = &d->blocks[k].items[m];

			for (size_t p = 0; p < it->nparents; p++)
				if (digest_covers(it->parents[p], c)) {
					cover_add(&it->pcovered, &it->npcovered, c);
					return;
				}
		}
}

void digest_build(struct digest *d, const struct notice *v, size_t n)
{
	struct ord *o = xcalloc(n ? n : 1, sizeof(*o));
	bool *folded = xcalloc(n ? n : 1, sizeof(*folded));
	bool *shown = xcalloc(n ? n : 1, sizeof(*shown));	/* a signal */
	const struct notice **chost = xcalloc(n ? n : 1, sizeof(*chost));
	struct digest_block *b = NULL;

	*d = (struct digest){ 0 };
	for (size_t i = 0; i < n; i++)
		d->first |= v[i].first_to;
	/* Folding: an active alert whose rule is active on a descendant that is
	 * not folded itself (the deepest one) goes into that descendant's
	 * signal; which one is decided once the order is known. A context
	 * notice is never folded, and is a signal only when it hosts a parent
	 * that no signal of the message can host. */
	for (size_t i = 0; i < n; i++) {
		if (!active(&v[i]) || v[i].context)
			continue;
		for (size_t j = 0; j < n && !folded[i]; j++)
			if (j != i && digest_can_host(&v[j], &v[i]))
				folded[i] = true;
	}
	for (size_t i = 0; i < n; i++) {
		shown[i] = !folded[i] && !v[i].context && !v[i].covered_by;
		if (folded[i])
			chost[i] = context_host(v, n, folded, &v[i]);
	}
	for (size_t i = 0; i < n; i++)
		if (chost[i])
			shown[chost[i] - v] = true;
	/* A unit's rank: its most severe signal of the message (its folded
	 * parents are added once they have a host, below). */
	for (size_t i = 0; i < n; i++) {
		o[i].v = &v[i];
		o[i].folded = !shown[i];
		if (!shown[i])
			continue;
		for (size_t j = 0; j < n; j++)
			if (shown[j] && !v[j].context && !strcmp(unit_of(&v[j]), unit_of(&v[i])) &&
			    wording_rank(&v[j]) > o[i].urank)
				o[i].urank = wording_rank(&v[j]);
	}
	if (n)
		qsort(o, n, sizeof(*o), cmp_ord);
	for (size_t i = 0; i < n; i++) {
		const struct notice *x = o[i].v;

		if (o[i].folded)
			continue;
		if (!b || (!b->unit != !x->unit) || (b->unit && strcmp(b->unit, x->unit))) {
			d->blocks = xrealloc(d->blocks, (d->nblocks + 1) * sizeof(*d->blocks));
			b = &d->blocks[d->nblocks++];
			*b = (struct digest_block){ .unit = x->unit, .rank = o[i].urank };
		}
		b->items = xrealloc(b->items, (b->nitems + 1) * sizeof(*b->items));
		b->items[b->nitems++] = (struct digest_item){ .v = x };
		if (!x->context)
			b->changes[digest_change_of(x)]++;
	}
	/* Each folded parent goes to the first descendant signal of its rule in
	 * display order, or to the context notice chosen for it. */
	for (size_t i = 0; i < n; i++) {
		size_t k = (size_t)(o[i].v - v);

		if (!folded[k])
			continue;
		if (chost[k])
			host_in(d, o[i].v, take_context, chost[k]);
		else
			host_in(d, o[i].v, take_signal, NULL);
	}
	/* Each covered alert goes under the first alert that covers it,
	 * once the parents are in place. */
	for (size_t i = 0; i < n; i++)
		if (o[i].v->covered_by)
			cover_in(d, o[i].v);
	/* The order of blocks is the one of their signals; a block without
	 * one of its own ranks as the parents it hosts. */
	if (d->nblocks)
		qsort(d->blocks, d->nblocks, sizeof(*d->blocks), cmp_block);
	free(chost);
	free(shown);
	free(folded);
	free(o);
}

void digest_free(struct digest *d)
{
	for (size_t k = 0; k < d->nblocks; k++) {
		for (size_t m = 0; m < d->blocks[k].nitems; m++) {
			free(d->blocks[k].items[m].parents);
			free(d->blocks[k].items[m].covered);
			free(d->blocks[k].items[m].pcovered);
		}
		free(d->blocks[k].items);
		free(d->blocks[k].hosted);
	}
	free(d->blocks);
	*d = (struct digest){ 0 };
}

char *digest_changes_line(const int changes[DG_NCHANGES], enum locale loc)
{
	/* French: one, many; English: one, many. */
	static const char *const w[DG_NCHANGES][4] = {
		[DG_NEW] = { "nouvelle alerte", "nouvelles alertes", "new alert", "new alerts" },
		[DG_SINCE] = { "alerte déjà en cours, signalée pour la première fois",
		    "alertes déjà en cours, signalées pour la première fois",
		    "existing alert, first notification",
		    "existing alerts, first notification" },
		[DG_HELD] = { "alerte couverte jusqu'ici, signalée seule",
		    "alertes couvertes jusqu'ici, signalées seules",
		    "alert covered until now, reported on its own",
		    "alerts covered until now, reported on their own" },
		[DG_AGAIN] = { "alerte de nouveau active", "alertes de nouveau actives",
		    "alert active again", "alerts active again" },
		[DG_WORSE] = { "aggravation", "aggravations", "escalated", "escalated" },
		[DG_BETTER] = { "amélioration", "améliorations", "improved", "improved" },
		[DG_RESOLVED] = { "alerte résolue", "alertes résolues", "resolved", "resolved" },
		[DG_REMINDER] = { "rappel", "rappels", "reminder", "reminders" },
		[DG_OTHER] = { "information", "informations", "notice", "notices" },
	};
	char *buf = NULL, cb[TYPO_BUFSZ * 2];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	bool first = true;

	if (!f)
		xalloc_die();
	for (int c = 0; c < DG_NCHANGES; c++) {
		int k = changes[c], e = loc == LOC_EN ? 2 : 0;

		if (!k)
			continue;
		typo_count(cb, sizeof(cb), k, w[c][e], w[c][e + 1], loc);
		fprintf(f, "%s%s", first ? "" : ", ", cb);
		first = false;
	}
	if (fclose(f) != 0)
		xalloc_die();
	if (!first)
		return buf;
	free(buf);
	return NULL;
}
