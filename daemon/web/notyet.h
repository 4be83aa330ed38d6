/* The rules that cannot judge yet for want of history, as the console
 * says them (notyet.c; rules/history.c says which, as for `vigie status`
 * and the report). Private to daemon/web/. */
#ifndef VIGIE_WEB_NOTYET_H
#define VIGIE_WEB_NOTYET_H

#include <stdbool.h>
#include <stdint.h>

struct req;
struct dataset;

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
