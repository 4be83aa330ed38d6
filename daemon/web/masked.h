/* The rules that cannot judge a unit because what they read there is
 * hidden (SPEC 3), as the console says them (masked.c; rules/hidden.c
 * says why, from the evaluation notyet.c keeps). Private to daemon/web/. */
#ifndef VIGIE_WEB_MASKED_H
#define VIGIE_WEB_MASKED_H

#include <stdbool.h>
#include <stdint.h>

struct req;
struct dataset;

/* On « Mes alertes »: a paragraph saying how many of the rules the
 * viewer's role receives cannot judge how many units of their scope at
 * the latest period because a month they read there is hidden, and why
 * that can be; nothing when none is. */
void put_hidden_short(struct req *r, struct dataset *d);
/* Under rule ri at unit ui (-1: no values) on its page, when its latest
 * evaluation there is suppressed: « Non calculable », why, and when it
 * can judge again at the earliest when that can be known; true then,
 * false (nothing written) otherwise. */
bool put_hidden_unit(struct req *r, struct dataset *d, uint32_t ri, int32_t ui);

#endif
