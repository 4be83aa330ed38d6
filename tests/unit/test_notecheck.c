/* The words of a note that name a person or speak of one person's health
 * (daemon/web/notecheck.c), in French and in English: the console asks
 * before saving them (README, "Notes"), whatever its locale. */
#include <criterion/criterion.h>
#include <string.h>
#include "../../daemon/web/web_impl.h"

/* The words note_sensitive finds in text, or "" for none. */
static const char *found(const char *text)
{
	static char buf[128];
	size_t at, len;

	if (!note_sensitive(text, &at, &len))
		return "";
	cr_assert_lt(len, sizeof(buf));
	memcpy(buf, text + at, len);
	buf[len] = '\0';
	return buf;
}

Test(notecheck, french_names_and_health)
{
	cr_assert_str_eq(found("Vu Mme Dupont, en arrêt maladie."), "Mme Dupont");
	cr_assert_str_eq(found("Entretien avec Julie Lefèvre"), "avec Julie");
	cr_assert_str_eq(found("Permanence avec Nancy jeudi"), "");
	cr_assert_str_eq(found("Équipe en arret, relance"), "en arret");
	cr_assert_str_eq(found("Diagnostic RPS collectif lancé"), "");
}

Test(notecheck, english_names)
{
	cr_assert_str_eq(found("Met Mrs Jones from the kitchen"), "Mrs Jones");
	cr_assert_str_eq(found("Saw Ms. Patel about the rota"), "Ms. Patel");
	cr_assert_str_eq(found("Spoke to Kevin after the meeting"), "Spoke to Kevin");
	cr_assert_str_eq(found("Meeting with Julie Brown next week"), "with Julie");
	cr_assert_str_eq(found("Meeting with Nancy site managers"), "");
	cr_assert_str_eq(found("Met Tuesday with the team leaders"), "");
	cr_assert_str_eq(found("Called HR about the schedule"), "");
	cr_assert_str_eq(found("Workshop with Occupational Health on Thursday"), "");
}

Test(notecheck, english_health)
{
	cr_assert_str_eq(found("She is on sick leave and exhausted"), "sick leave");
	cr_assert_str_eq(found("One colleague pregnant, rota to adapt"), "pregnant");
	cr_assert_str_eq(found("Feels suicidal, referred"), "suicidal");
	cr_assert_str_eq(found("Back from hospitalisation"), "hospitalisation");
	cr_assert_str_eq(found("She has been sick for two weeks."), "sick");
	cr_assert_str_eq(found("He is in hospital since Monday."), "hospital");
	cr_assert_str_eq(found("Karen is burnt out and signed off by her GP."), "burnt out");
	cr_assert_str_eq(found("Burnout prevention workshop planned"), "");
	cr_assert_str_eq(found("Sickness absence rate discussed with the CSE"), "");
}
