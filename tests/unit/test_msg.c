/* The import reader's messages in French (msg.h): every message registered
 * in the binary has its French, with the same conversions in the same
 * order, the table keeps nothing else, and the French is typeset as the
 * console's pages are. */
#include <criterion/criterion.h>
#include <string.h>
#include "vigie/csv.h"
#include "vigie/importcheck.h"
#include "vigie/msg.h"
#include "vigie/period.h"
#include "vigie/unit.h"

extern const char *const __start_vigie_msgs[] __attribute__((weak));
extern const char *const __stop_vigie_msgs[] __attribute__((weak));

/* The objects whose messages the console shows, linked whatever the other
 * tests use. */
static void *const readers[] __attribute__((used)) = {
	(void *)csv_parse_warn, (void *)import_check, (void *)import_check_renamed,
	(void *)unit_path_check, (void *)period_why_not,
	(void *)import_check_backfill,
};

/* The conversions of a printf format, "%s|%zu|%.*s|"; "%%" is none. */
static void conversions(const char *fmt, char *out, size_t size)
{
	size_t n = 0;

	out[0] = '\0';
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			p++;
			continue;
		}
		const char *q = p + 1;
		while (*q && !strchr("diouxXeEfFgGaAcspn", *q))
			q++;
		cr_assert(*q, "unterminated conversion in \"%s\"", fmt);
		n += (size_t)snprintf(out + n, size - n, "%.*s|", (int)(q - p + 1), p);
		cr_assert_lt(n, size);
		p = q;
	}
}

static size_t nkeys(void)
{
	return (size_t)(__stop_vigie_msgs - __start_vigie_msgs);
}

Test(msg, every_registered_message_has_its_french_with_the_same_conversions)
{
	char a[256], b[256];

	cr_assert_gt(nkeys(), 50, "the reader's messages are not registered");
	for (size_t i = 0; i < nkeys(); i++) {
		const char *en = __start_vigie_msgs[i], *fr = msg_fr(en);

		cr_assert_not_null(fr, "no French for \"%s\"", en);
		conversions(en, a, sizeof(a));
		conversions(fr, b, sizeof(b));
		cr_assert_str_eq(b, a, "\"%s\" and its French \"%s\" differ in conversions",
		    en, fr);
		cr_assert_str_eq(msg_tr(true, en), fr);
		cr_assert_eq(msg_tr(false, en), en);
	}
}

Test(msg, the_table_keeps_no_french_of_a_message_that_is_gone)
{
	for (size_t i = 0; i < msg_count(); i++) {
		const char *en, *fr;
		bool found = false;

		msg_at(i, &en, &fr);
		for (size_t k = 0; k < nkeys() && !found; k++)
			found = !strcmp(__start_vigie_msgs[k], en);
		cr_assert(found, "\"%s\" is in the table but no longer written", en);
		for (size_t k = 0; k < i; k++) {
			const char *en2, *fr2;
			msg_at(k, &en2, &fr2);
			cr_assert_str_neq(en, en2, "\"%s\" twice in the table", en);
		}
	}
}

/* As the console writes French: a narrow no-break space before : ; ? !
 * and inside « », quotes as « », never a plain space there. */
Test(msg, the_french_is_typeset)
{
	static const char *const bad[] = { " :", " ;", " ?", " !", "« ", " »",
		"\xc2\xa0:", "\xc2\xa0;" };

	for (size_t i = 0; i < msg_count(); i++) {
		const char *en, *fr;

		msg_at(i, &en, &fr);
		cr_assert_str_neq(fr, en, "\"%s\" is not translated", en);
		for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
			cr_assert_null(strstr(fr, bad[k]), "\"%s\": \"%s\"", fr, bad[k]);
		cr_assert_null(strstr(fr, "\\\"%s\\\""), "\"%s\": quote with « »", fr);
	}
}

Test(msg, an_import_error_in_french_keeps_its_place)
{
	static const char text[] = "unit;period;absence_days\n"
	    "acme/a;2025-01;12\n"
	    "acme/b;2025-13;1 234,5\n";
	struct import_batch b = { 0 };
	struct diags d = { .fr = true };
	char *s;

	cr_assert_eq(csv_parse("t.csv", text, sizeof(text) - 1, GRAN_MONTH,
	    CSV_ANY_PERIOD, &b, &d), -1);
	s = diags_to_string(&d, 0);
	cr_assert_str_eq(s, "t.csv:3:8: error: période incorrecte «\u202f2025-13\u202f»"
	    "\u202f: il faut un mois AAAA-MM (2025-01)\n"
	    "t.csv:3:16: error: valeur incorrecte «\u202f1 234,5\u202f» dans la "
	    "colonne «\u202fabsence_days\u202f»\u202f: les séparateurs de milliers "
	    "ne sont pas lus\u202f; écrivez 1234,5 (dans le tableur, un format de nombre "
	    "sans séparateur)\n");
	free(s);
	diags_free(&d);
	import_batch_free(&b);
}

/* A second copy of each message, in its own language: what a command
 * prints in English and the import log keeps in French. */
Test(msg, diags_also_gets_each_message_in_its_language)
{
	struct diags fr = { .fr = true }, en = { .also = &fr };
	char *s;

	diags_add_tr(&en, "f.csv", 1, 23, "\"%s\" is a new indicator, not in the "
	    "recommended vocabulary (did you mean \"%s\"?)", "grievence", "grievances");
	diags_more(&en, 2);
	s = diags_to_string(&en, 0);
	cr_expect_str_eq(s, "f.csv:1:23: error: \"grievence\" is a new indicator, not in "
	    "the recommended vocabulary (did you mean \"grievances\"?)\n"
	    "f.csv: 2 more errors not shown\n");
	free(s);
	s = diags_to_string(&fr, 0);
	cr_expect_str_eq(s, "f.csv:1:23: error: «\u202fgrievence\u202f» est un nouvel "
	    "indicateur, absent du vocabulaire recommandé (vouliez-vous dire "
	    "«\u202fgrievances\u202f»\u202f?)\n"
	    "f.csv: 2 more errors not shown\n");
	free(s);
	diags_free(&en);
	diags_free(&fr);
}
