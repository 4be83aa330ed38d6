/* « Aussi couverte par … »: an alert whose notifications an active alert
 * of its inhibited_by holds on its unit (rules/inhibit.c), said where the
 * console shows it, with a link to that alert: its emails come inside
 * that alert's. Only an inhibiting alert the viewer's role receives is
 * named (a confidential rule's alert is not told to other roles; for
 * them nothing is held, route.c). */
#include <stdlib.h>
#include <string.h>
#include "vigie/store_alerts.h"
#include "vigie/typo.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "web_impl.h"

void put_covered_by(struct req *r, const struct rule *ru, const char *unit, bool row)
{
	const struct rule **by;
	size_t nby, shown = 0;
	FILE *f = r->out;

	if (!ru->ninhibited_by)
		return;
	by = xcalloc(ru->ninhibited_by, sizeof(*by));
	nby = rule_inhibitors(r->site->rs, ru, unit, store_alert_active, r->st, by);
	for (size_t k = 0; k < nby; k++) {
		if (!viewer_sees_rule(&r->who, r->site->cfg, by[k]))
			continue;
		if (shown++ == 0)
			fputs(row ? "<br><span class=\"thr\">" : "<dt>", f);
		if (shown == 1)
			fprintf(f, "%s", row ? WORD(r->loc, "aussi couverte par ",
			    "also covered by ") : WORD(r->loc, "Aussi couverte par",
			    "Also covered by"));
		if (shown == 1 && !row)
			fputs("</dt><dd>", f);
		else if (shown > 1)
			fputs(", ", f);
		fputs("<a href=\"", f);
		alert_link(f, by[k]->id, unit);
		fputs("\">", f);
		html_text(f, by[k]->title);
		fputs("</a>", f);
	}
	if (shown && row)
		fputs("</span>", f);
	else if (shown)
		fprintf(f, "%s</dd>\n", shown > 1 ? WORD(r->loc, TYPO_NNBSP ": ses "
		    "notifications sont envoyées avec ces alertes", ": its notifications "
		    "go with those alerts") : WORD(r->loc, TYPO_NNBSP ": ses notifications "
		    "sont envoyées avec cette alerte", ": its notifications go with that "
		    "alert"));
	free(by);
}
