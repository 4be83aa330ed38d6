/* The rules that cannot judge yet for want of history, as the console
 * says them (notyet.c; rules/history.c says which, as for `vigie status`
 * and the report). Private to daemon/web/. */
#ifndef VIGIE_WEB_NOTYET_H
#define VIGIE_WEB_NOTYET_H

#include <stdbool.h>
#include <stdint.h>

struct req;
struct dataset;
struct series;

/* RH_* of every rule of the site at every unit of d at its latest period
 * (rule_history_matrix), kept in the dataset's memo for the next page; or
 * NULL when d holds no value or on ENOMEM; *owned when the caller frees
 * it (the memo was full). masked.c reads its RH_HIDDEN. */
const uint8_t *notyet_matrix(struct req *r, struct dataset *d, bool *owned);
/* What the viewer sees: its role's rules and the units of its scope, as
 * a keep function of history_short_find and hidden_count_find takes. */
struct notyet_seen {
	bool *rule, *unit;
};
void notyet_seen_init(struct req *r, const struct series *s, struct notyet_seen *v);
bool notyet_seen(uint32_t rule, uint32_t unit, void *arg);
void notyet_seen_free(struct notyet_seen *v);

/* On « Mes alertes »: a paragraph saying how many of the rules the
 * viewer's role receives cannot judge some units of their scope yet at
 * the latest period, which units when not all of them (the first few,
 * linked), and by when all of them can at the latest, or that some never
 * can with retention.data; nothing when none lacks history. */
void put_history_short(struct req *r, struct dataset *d);
/* Under rule ri at unit ui (-1: no values) on its page, when it lacks
 * history there: « Pas encore calculable », what it reads and by when, or
 * that it never will with retention.data; true then, false (nothing
 * written) otherwise. */
bool put_history_unit(struct req *r, struct dataset *d, uint32_t ri, int32_t ui);

#endif
