/* The words of the report in French (the default) and English, and the way
 * it writes numbers, periods and dates. French typography as a works
 * council expects it in print: decimal comma, a narrow no-break space
 * (U+202F) between thousands and before %, : and ;, a true minus sign,
 * « guillemets », months in lowercase (« octobre 2026 »). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "report_impl.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"

#define MINUS "\u2212"

static const char *const words[W_COUNT][2] = {
	[W_TITLE] = { "Rapport au comité social et économique",
	    "Report to the works council" },
	[W_SUBTITLE] = { "Indicateurs de risques psychosociaux",
	    "Psychosocial risk indicators" },
	[W_CONTENTS] = { "Sommaire", "Contents" },
	[W_METHOD] = { "Méthode", "Method" },
	[W_PAGE] = { "page", "page" },
	[W_INDICATOR] = { "Indicateur", "Indicator" },
	[W_SPAN] = { "Période", "Span" },
	[W_PREV] = { "Un an avant", "A year earlier" },
	[W_COMPANY] = { "Entreprise", "Company" },
	[W_NATIONAL] = { "Référence", "Reference" },
	[W_ALERTS] = { "Alertes de la période", "Alerts over the span" },
	[W_THEME] = { "Thème", "Theme" },
	[W_WARNING] = { "Vigilance", "Warning" },
	[W_CRITICAL] = { "Critique", "Critical" },
	[W_TOTAL] = { "Total", "Total" },
	[W_NO_ALERT] = { "Aucune alerte sur la période.", "No alert over the span." },
	[W_FOLLOWUP] = { "Suivi des alertes", "Follow-up of alerts" },
	[W_TAKEN] = { "Prises en charge", "Acknowledged" },
	[W_CLOSED] = { "Clôturées", "Closed" },
	[W_LEGEND_REF] = { "référence nationale", "national reference" },
	[W_LEGAL] = { "repère légal", "legal benchmark" },
	[W_LEGAL_NOTE] = {
	    "un repère légal, non une moyenne" NNBSP ": un seuil fixé par la loi",
	    "a legal benchmark, not an average: a threshold set by law" },
	[W_NO_DATA] = { "pas de donnée", "no data" },
	[W_VALUES] = { "Valeurs des graphiques", "Chart values" },
	[W_VALUES_TEXT] = {
	    "Les chiffres que montrent les courbes de chaque unité, période par "
	    "période, pour qui ne peut pas lire les graphiques. Chacun est calculé "
	    "comme celui du tableau, sur l'année qui finit à sa période (année "
	    "glissante)" NNBSP ": le dernier point de la période est le chiffre "
	    "du tableau quand elle dure un an. "
	    "—" NNBSP ": pas de donnée, pas encore assez d'historique (une année "
	    "glissante demande un an de données, son point un an avant deux ans), ou "
	    "chiffre non diffusé (secret statistique).",
	    "The figures the curves of each unit show, period by period, for "
	    "readers who cannot read the charts. Each is computed as the table's "
	    "is, over the year that ends at its period (rolling year): the span's "
	    "last point is the table's figure when the span is a year. "
	    "—: no data, not enough history yet (a rolling year needs a year of "
	    "data, its point a year earlier two years), or figure withheld "
	    "(statistical confidentiality)." },
	[W_ALL_ZERO] = { "0 sur toute la période", "0 throughout" },
	[W_ROUNDING_TITLE] = { "Arrondis", "Rounding" },
	[W_ROUNDING_TEXT] = {
	    "Les taux par salarié (départs, démissions, conflits pour 100 "
	    "salariés, accidents du travail pour 1" NNBSP "000) d'une unité de moins "
	    "de {1} salariés en moyenne sur la période (de moins de 1" NNBSP "000 pour "
	    "les taux pour 1" NNBSP "000) sont arrondis à l'unité" NNBSP ": une "
	    "personne y pèse plus d'un point, et une décimale ne dirait rien de "
	    "plus que le nombre de personnes, qu'elle aiderait à retrouver. Les "
	    "autres chiffres ont le nombre de décimales de leur indicateur.",
	    "Rates per employee (departures, resignations, conflicts per 100 "
	    "employees, work accidents per 1,000) of a unit of fewer than {1} "
	    "employees on average over the span (fewer than 1,000 for the rates "
	    "per 1,000) are rounded to whole numbers: one person weighs more than "
	    "a point there, and a decimal would say nothing more than the number "
	    "of people, which it would help to find. Other figures have their "
	    "indicator's decimals." },
	[W_DASH_NOTE] = {
	    "—" NNBSP ": pas de donnée, pas encore assez d'historique, ou chiffre "
	    "non diffusé (secret statistique).",
	    "—: no data, not enough history yet, or figure withheld (statistical "
	    "confidentiality)." },
	[W_REF_NOTE] = {
	    "Entre parenthèses après une référence nationale" NNBSP ": qui l'a "
	    "publiée et l'année qu'elle mesure, qui n'est pas toujours celle de la "
	    "période" NNBSP "; un repère légal est un seuil fixé par la loi, non une "
	    "moyenne (sources dans la méthode).",
	    "In brackets after a national reference: who published it and the year "
	    "it measures, which is not always that of the span; a legal benchmark "
	    "is a threshold set by law, not an average (sources in the method)." },
	[W_PRIVACY] = {
	    "Ce rapport ne nomme personne et ne reproduit aucune note. Aucune équipe "
	    "de moins de {1} salariés n'y figure, ni par son nom, ni par ses chiffres, "
	    "ni dans les graphiques, ni les équipes masquées avec elles pour qu'on ne "
	    "retrouve pas leurs chiffres par soustraction (voir la méthode).",
	    "This report names no one and shows no note. No team of fewer than {1} "
	    "employees appears in it, by name, figure or chart, nor the teams "
	    "withheld with them so that their figures cannot be found by "
	    "subtraction (see the method)." },
	[W_GENERATED] = { "Établi le {1} par Vigie {2}.", "Produced on {1} by Vigie {2}." },
	[W_FLOOR_TITLE] = { "Secret statistique" NNBSP ": les petites équipes",
	    "Statistical confidentiality: small teams" },
	[W_FLOOR_TEXT] = {
	    "Une unité dont l'effectif est inférieur à {1} salariés, ou inconnu, à "
	    "un moment au moins de la période ne figure pas dans ce rapport" NNBSP ": "
	    "ni son nom, ni ses chiffres, ni ses courbes. Pour qu'on ne puisse pas "
	    "retrouver ses chiffres en soustrayant ceux des autres équipes du total "
	    "de leur site, une autre équipe, au besoin le site lui-même, est masquée "
	    "avec elle (secret secondaire). Quand l'export des RH donne, pour un "
	    "indicateur, la plus forte contribution d'un seul salarié, un chiffre qui "
	    "décrirait pour l'essentiel cette personne est masqué de même. Les "
	    "chiffres des unités masquées "
	    "restent compris dans ceux de leur site et de l'entreprise. Un chiffre "
	    "d'une année passée n'est donné que si l'unité était assez nombreuse "
	    "pendant toute cette période.",
	    "A unit with fewer than {1} employees, or an unknown headcount, at any "
	    "time of the span does not appear in this report: neither its name, nor "
	    "its figures, nor its curves. So that its figures cannot be found by "
	    "subtracting the other teams from their site's total, another team, or "
	    "if need be the site itself, is withheld with it (secondary "
	    "suppression). When the HR export gives, for an indicator, the largest "
	    "contribution of one employee, a figure that would mostly describe that "
	    "person is withheld too. The figures of withheld units still count in "
	    "those of "
	    "their site and of the company. A past year's figure is given only if "
	    "the unit was large enough over that whole period." },
	[W_HIDDEN_COUNT] = { "Unités non présentées pour ces raisons" NNBSP ": {1}.",
	    "Units withheld for these reasons: {1}." },
	[W_REFS_TITLE] = { "Les références", "The references" },
	[W_REFS_TEXT] = {
	    "La colonne «" NNBSP "Entreprise" NNBSP "» donne le chiffre de l'entreprise "
	    "sur la même période. Les références nationales portent sur l'ensemble "
	    "des salariés et ne tiennent compte ni du secteur d'activité, ni de la "
	    "pyramide des âges de l'entreprise" NNBSP ": elles situent un ordre de "
	    "grandeur. Sources" NNBSP ":",
	    "The Company column gives the company's figure over the same span. The "
	    "national references cover all employees and take neither the "
	    "company's sector nor its age pyramid into account: they give an order "
	    "of magnitude. Sources:" },
	[W_DEFS_TITLE] = { "Les indicateurs", "The indicators" },
	[W_ALERTS_TITLE] = { "Les alertes et leur suivi", "Alerts and their follow-up" },
	[W_ALERTS_TEXT] = {
	    "Une alerte compte dans la période quand elle s'est déclenchée pour "
	    "l'une de ses périodes, dans son thème et avec la gravité la plus haute "
	    "qu'elle a atteinte. Une alerte déclenchée avant la période et encore "
	    "active à son début y compte aussi, dans son thème, même si elle a pris "
	    "fin depuis, avec la gravité la plus haute qu'elle a eue pendant la "
	    "période" NNBSP "; la ligne «" NNBSP "dont déjà actives au début" NNBSP
	    "» en donne le nombre. Les alertes d'un site sont celles des règles "
	    "calculées sur le site entier (un signal mesuré sur l'ensemble de ses "
	    "salariés) et celles de ses équipes, qu'elles figurent ou non dans ce "
	    "rapport" NNBSP "; de même pour l'entreprise. Elles peuvent donc dépasser "
	    "la somme de celles des équipes présentées, même quand toutes le sont. "
	    "Les alertes des règles réservées au service social (secret professionnel, secret médical) ne "
	    "sont pas comptées, ni leur suivi. Le suivi compte, parmi les alertes "
	    "que Vigie a notifiées pour une période du rapport (leur nombre est la "
	    "première ligne du suivi), celles prises en charge et closes {1}, chacune "
	    "une fois" NNBSP ": des nombres, jamais de nom ni de note. Les alertes "
	    "notifiées avant la période et encore actives à son début y ont une ligne "
	    "à part («" NNBSP "Notifiées avant, encore actives" NNBSP "»), et leur "
	    "prise en charge ou leur clôture compte même faite avant la période" NNBSP
	    "; des alertes retrouvées dans des données importées après coup n'ont été "
	    "notifiées à personne. Il compte les alertes telles qu'elles ont été "
	    "reçues" NNBSP ": une correction des données faite depuis peut en avoir "
	    "retiré du tableau des alertes, qui suit les données d'aujourd'hui. Les "
	    "alertes de la période sont ainsi retrouvées en rejouant les règles sur "
	    "les données, notifiées ou non" NNBSP "; la page «" NNBSP "Règles" NNBSP
	    "» de la console compte seulement celles que Vigie a notifiées, comme la "
	    "ligne «" NNBSP "Alertes notifiées pour la période" NNBSP "».",
	    "An alert counts in the span when it fired for one of its periods, in "
	    "its theme and with the highest severity it reached. An alert that "
	    "fired before the span and was still active when it began counts too, in "
	    "its theme, even if it ended since, with the highest severity it had "
	    "during the span; the line \"of which already active at the start\" "
	    "gives their number. A site's alerts are those of the rules computed on "
	    "the whole site (a signal measured over all its employees) and those of "
	    "its teams, whether they appear in this report or not; the same for the "
	    "company. They may thus exceed the sum of the teams shown, even when all "
	    "are. Alerts of rules reserved for the social "
	    "service (professional and medical secrecy) are not counted, nor is their "
	    "follow-up. The follow-up counts, of the alerts Vigie notified for a "
	    "period of the report (their number is the follow-up's first line), those "
	    "acknowledged and closed {1}, each once: numbers, never a name or a "
	    "note. The alerts notified before the span and still active when it "
	    "began have a line of their own (\"Notified before, still active\"), and "
	    "their acknowledgement or closing counts even when done before the span; "
	    "alerts found in data imported after the fact were notified to no one. "
	    "It counts the alerts as they were received: a correction of the data "
	    "made since may have removed some of them from the table of alerts, "
	    "which follows today's data. The span's alerts are thus found by "
	    "replaying the rules over the data, notified or not; the console's "
	    "\"Rules\" page counts only those Vigie notified, as the line \"Alerts "
	    "notified for the span\" does." },
	[W_FOLLOWUP_NOTE] = { "jusqu'au {2}", "up to {2}" },
	[W_TRENDS] = { "Évolution sur la période, en année glissante",
	    "Trends over the span, rolling year" },
	[W_NO_REF] = { "—", "—" },
	[W_FORMULA] = { "Calcul", "Formula" },
	[W_RENAMED] = {
	    "Des unités ont été renommées, déplacées ou fusionnées depuis le début "
	    "de l'année qui précède la période (renommages enregistrés" NNBSP ": {1})"
	    NNBSP ": tous les "
	    "chiffres de ce rapport, ceux d'un an avant compris, sont ceux des "
	    "unités telles qu'elles sont aujourd'hui, et peuvent différer de ceux "
	    "d'un rapport établi avant.",
	    "Units were renamed, moved or merged since the start of the year "
	    "before the span (renames recorded: {1}): every figure of this "
	    "report, the year before's included, is that of the units as they are "
	    "today, and may differ from those of a report made before." },
	[W_FORMULA_NOTE] = {
	    "Dans les calculs, N est le nombre de {1} de la période ({2}) et Y "
	    "celui d'une année ({3})" NNBSP ": «" NNBSP "* Y / N" NNBSP "» ramène "
	    "le total de la période à une année. Les courbes prennent N = Y, "
	    "l'année qui finit à chaque point.",
	    "In the formulas, N is the number of {1} in the span ({2}) and Y that "
	    "of a year ({3}): \"* Y / N\" brings the span's total to a year. The "
	    "curves take N = Y, the year that ends at each point." },
	[W_MAIL_SUBJECT] = { "Rapport au CSE" NNBSP ": indicateurs {1}",
	    "Works council report: indicators, {1}" },
	[W_MAIL_SUBJECT_UNIT] = { "Rapport au CSE" NNBSP ": {2}, indicateurs {1}",
	    "Works council report: {2}, indicators, {1}" },
	[W_MAIL_BODY] = {
	    "Bonjour,\n\n"
	    "Voici en pièce jointe ({1}) le rapport au comité social et économique "
	    "sur les indicateurs de risques psychosociaux, {2}.\n\n"
	    "Il ne nomme personne et ne reproduit aucune note" NNBSP "; aucune équipe de "
	    "moins de {3} salariés n'y figure. Ses chiffres sont ceux de la base de "
	    "Vigie au moment de cet envoi.\n\n"
	    "Ce message est envoyé automatiquement par Vigie (clé report de sa "
	    "configuration).\n",
	    "Hello,\n\n"
	    "Attached ({1}) is the report to the works council on psychosocial risk "
	    "indicators, {2}.\n\n"
	    "It names no one and shows no note; no team of fewer than {3} employees "
	    "appears in it. Its figures are those of Vigie's database when this "
	    "message was sent.\n\n"
	    "This message is sent automatically by Vigie (the report key of its "
	    "configuration).\n" },
	[W_FILE] = { "rapport-cse", "works-council-report" },
	/* not « en cours »: one may have ended during the span */
	[W_ONGOING] = { "dont déjà actives au début", "of which already active at the start" },
	[W_NOTIFIED] = { "Alertes notifiées pour la période",
	    "Alerts notified for the span" },
	[W_CONTINUED] = { "(suite)", "(continued)" },
	[W_NOTIFIED_BEFORE] = { "Notifiées avant, encore actives",
	    "Notified before, still active" },
	[W_GLOSSARY_TITLE] = { "Le vocabulaire des alertes", "The words of the alerts" },
	[W_GLOSSARY_SEVERITY] = {
	    "Vigilance, critique" NNBSP ": la gravité d'une alerte. «" NNBSP "Vigilance"
	    NNBSP "» quand un signal franchit le seuil qui invite à regarder de plus "
	    "près, «" NNBSP "critique" NNBSP "» quand il franchit le second, qui "
	    "appelle une action rapide. Pour les règles qui comparent l'observé à "
	    "l'attendu (l'historique de l'unité, ses pairs, la saison), c'est l'écart "
	    "à l'attendu qui compte" NNBSP ": plus il est rare, plus l'alerte est grave.",
	    "Warning, critical: an alert's severity. Warning when a signal crosses "
	    "the level that asks for a closer look, critical when it crosses the "
	    "second, which calls for prompt action. For the rules that compare "
	    "observed with expected (the unit's history, its peers, the season), "
	    "what counts is the gap to the expected: the more unusual the gap, the "
	    "more serious the alert." },
	[W_GLOSSARY_THEMES] = {
	    "Les thèmes regroupent les règles d'alerte" NNBSP ": chacun compte les "
	    "alertes des règles suivantes.",
	    "The themes group the alert rules: each counts the alerts of the "
	    "following rules." },
	[W_GLOSSARY_FOLLOWUP] = {
	    "Prise en charge" NNBSP ": une personne d'un rôle averti de l'alerte (les "
	    "RH, par exemple) a indiqué la suivre, ce qui arrête les rappels. "
	    "Clôturée" NNBSP ": la situation a été traitée, et qui suit l'alerte l'a "
	    "close en choisissant son issue" NNBSP ": «" NNBSP "action menée" NNBSP
	    "» (une action a été conduite), «" NNBSP "fausse alerte" NNBSP "» (le "
	    "signal ne correspondait pas à une situation réelle), «" NNBSP "aucune "
	    "action nécessaire" NNBSP "» (la situation était réelle, mais ne "
	    "demandait pas d'action). Seul le rôle qui a pris l'alerte en charge "
	    "peut la clôturer" NNBSP "; une issue choisie par erreur peut être "
	    "corrigée, et le rapport compte l'issue corrigée" NNBSP "; une alerte "
	    "close puis aggravée et rouverte compte sous sa dernière issue.",
	    "Acknowledged: someone of a role the alert was sent to (HR, for "
	    "instance) said they follow it, which stops the reminders. Closed: the "
	    "situation was dealt with, and whoever follows the alert closed it with "
	    "its outcome: action taken (an action was carried out), false alarm "
	    "(the signal did not match a real situation), no action needed (the "
	    "situation was real but called for no action). Only the role that "
	    "acknowledged the alert may close it; an outcome chosen by mistake may be "
	    "corrected, and the report counts the corrected one; an alert closed, "
	    "then worse and reopened, counts under its last outcome." },
	[W_SPAN_NOTE] = {
	    "Les chiffres du tableau portent sur la période ({1}), ramenés à une "
	    "année quand l'indicateur est annuel" NNBSP "; ceux des courbes, sur "
	    "l'année qui finit à chaque point (année glissante)" NNBSP ": à la fin de "
	    "la période, les deux ne donnent pas le même chiffre.",
	    "The table's figures are over the span ({1}), brought to a year when the "
	    "indicator is yearly; the curves', over the year that ends at each point "
	    "(rolling year): at the span's end, the two do not give the same "
	    "figure." },
	[W_INDEX] = { "Unités ayant eu des alertes", "Units with alerts" },
	[W_INDEX_TEXT] = {
	    "Les unités dont l'encadré «" NNBSP "Alertes de la période" NNBSP "» "
	    "n'est pas vide, avec son total par gravité" NNBSP "; aucune autre "
	    "n'a eu d'alerte sur la période.",
	    "The units whose \"Alerts over the span\" box is not empty, with its "
	    "total by severity; no other unit had an alert over the span." },
	[W_INDEX_NONE] = { "Aucune unité n'a eu d'alerte sur la période.",
	    "No unit had an alert over the span." },
	[W_UNIT] = { "Unité", "Unit" },
};

const char *rw(enum locale loc, enum rword w)
{
	return words[w][loc == LOC_EN];
}

const char *rtheme_title(const char *id, enum locale loc)
{
	return wording_theme(id, loc);
}

const char *rdef_text(char *const v[NLOC], enum locale loc)
{
	int k = loc == LOC_EN;

	return v[k] ? v[k] : v[!k] ? v[!k] : "";
}

char *rnum(char *buf, size_t size, double x, int decimals, enum locale loc)
{
	char raw[64], *o = buf, *end = buf + size - 1;
	const char *p = raw, *dot, *sep = loc == LOC_EN ? "," : NNBSP;
	size_t ndig;

	if (!isfinite(x)) {
		snprintf(buf, size, "—");
		return buf;
	}
	snprintf(raw, sizeof(raw), "%.*f", decimals, x);
	/* "-0.0" is a zero that rounding made negative. */
	if (raw[0] == '-' && strspn(raw + 1, "0.") == strlen(raw + 1))
		p++;
	if (*p == '-') {
		for (const char *m = MINUS; *m && o < end; m++)
			*o++ = *m;
		p++;
	}
	dot = strchr(p, '.');
	ndig = dot ? (size_t)(dot - p) : strlen(p);
	for (size_t i = 0; i < ndig && o < end; i++) {
		if (i && (ndig - i) % 3 == 0)
			for (const char *s = sep; *s && o < end; s++)
				*o++ = *s;
		if (o < end)
			*o++ = p[i];
	}
	if (dot) {
		if (o < end)
			*o++ = loc == LOC_EN ? '.' : ',';
		for (const char *d = dot + 1; *d && o < end; d++)
			*o++ = *d;
	}
	*o = '\0';
	return buf;
}

char *rvalue(char *buf, size_t size, double x, const struct rdef *d,
    enum locale loc)
{
	size_t n;

	if (isnan(x)) {
		snprintf(buf, size, "—");
		return buf;
	}
	rnum(buf, size, x, d->decimals, loc);
	if (d->unit) {
		n = strlen(buf);
		snprintf(buf + n, size - n, "%s%s",
		    loc == LOC_EN && !strcmp(d->unit, "%") ? "" :
		    !strcmp(d->unit, "%") ? NNBSP : " ", d->unit);
	}
	return buf;
}

char *rfigure(char *buf, size_t size, double x, const struct rdef *d,
    int decimals, enum locale loc)
{
	struct rdef as = *d;

	as.decimals = decimals;
	return rvalue(buf, size, x, &as, loc);
}

char *rref(char *buf, size_t size, const struct rdef *d, enum locale loc)
{
	const char *by = d->publisher[0] || d->publisher[1] ?
	    rdef_text(d->publisher, loc) : NULL;
	char year[16] = "";
	size_t n;

	if (!d->has_ref) {
		snprintf(buf, size, "%s", rw(loc, W_NO_REF));
		return buf;
	}
	rvalue(buf, size, d->ref, d, loc);
	if (d->ref_legal) {
		n = strlen(buf);
		snprintf(buf + n, size - n, " (%s)", rw(loc, W_LEGAL));
		return buf;
	}
	if (d->ref_year)
		snprintf(year, sizeof(year), "%d", d->ref_year);
	n = strlen(buf);
	if (by || *year)
		snprintf(buf + n, size - n, " (%s%s%s)", by ? by : "", by && *year ? " " : "",
		    year);
	return buf;
}

static const char *const months[2][12] = {
	{ "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	  "septembre", "octobre", "novembre", "décembre" },
	{ "January", "February", "March", "April", "May", "June", "July",
	  "August", "September", "October", "November", "December" },
};
static const char *const short_months[2][12] = {
	{ "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
	  "sept.", "oct.", "nov.", "déc." },
	{ "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	  "Nov", "Dec" },
};

/* The ISO year and week of week p, read back from its text. */
static void week_of(int32_t p, int *year, int *week)
{
	char b[PERIOD_BUFSZ];

	period_format(GRAN_WEEK, p, b);
	*year = atoi(b);
	*week = atoi(b + 6);
}

char *rperiod_long(char *buf, size_t size, enum granularity g, int32_t p,
    enum locale loc)
{
	int y, w;

	if (g == GRAN_WEEK) {
		week_of(p, &y, &w);
		snprintf(buf, size, loc == LOC_EN ? "week %d of %d" : "semaine %d de %d", w, y);
	} else {
		snprintf(buf, size, "%s %d", months[loc == LOC_EN][p % 12], p / 12);
	}
	return buf;
}

char *rperiod_short(char *buf, size_t size, enum granularity g, int32_t p,
    enum locale loc)
{
	int y, w;

	if (g == GRAN_WEEK) {
		week_of(p, &y, &w);
		snprintf(buf, size, "%s%d", loc == LOC_EN ? "W" : "S", w);
	} else {
		snprintf(buf, size, "%s", short_months[loc == LOC_EN][p % 12]);
	}
	return buf;
}

char *rspan(char *buf, size_t size, enum granularity g, int32_t from,
    int32_t to, enum locale loc)
{
	char a[64], b[64];

	rperiod_long(a, sizeof(a), g, from, loc);
	if (from == to) {
		snprintf(buf, size, "%s", a);
		return buf;
	}
	rperiod_long(b, sizeof(b), g, to, loc);
	if (loc == LOC_EN)
		snprintf(buf, size, "%s to %s", a, b);
	else
		/* « d'avril », « d'août », « d'octobre » */
		snprintf(buf, size, "%s %s à %s", strchr("aeiouy", a[0]) ? "d'" : "de", a, b);
	if (loc != LOC_EN && strchr("aeiouy", a[0])) {
		/* "d' avril" -> "d'avril" */
		char *sp = strstr(buf, "d' ");
		if (sp)
			memmove(sp + 2, sp + 3, strlen(sp + 3) + 1);
	}
	return buf;
}

char *rspan_short(char *buf, size_t size, enum granularity g, int32_t from,
    int32_t to, enum locale loc)
{
	char a[32], b[32];
	int ya, yb, w;

	rperiod_short(a, sizeof(a), g, from, loc);
	rperiod_short(b, sizeof(b), g, to, loc);
	if (g == GRAN_WEEK) {
		week_of(from, &ya, &w);
		week_of(to, &yb, &w);
	} else {
		ya = from / 12;
		yb = to / 12;
	}
	if (from == to)
		snprintf(buf, size, "%s %d", a, ya);
	else
		snprintf(buf, size, "%s %d – %s %d", a, ya, b, yb);
	return buf;
}

char *rperiod_axis(char *buf, size_t size, enum granularity g, int32_t p,
    enum locale loc)
{
	return rspan_short(buf, size, g, p, p, loc);
}

char *rdate(char *buf, size_t size, int64_t t, enum locale loc)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm)) {
		snprintf(buf, size, "?");
		return buf;
	}
	if (loc == LOC_EN)
		snprintf(buf, size, "%d %s %d", tm.tm_mday, months[1][tm.tm_mon],
		    tm.tm_year + 1900);
	else
		snprintf(buf, size, "%d%s %s %d", tm.tm_mday, tm.tm_mday == 1 ? "er" : "",
		    months[0][tm.tm_mon], tm.tm_year + 1900);
	return buf;
}

char *rfrench(const char *s, enum locale loc)
{
	size_t n = strlen(s);
	char *out = xmalloc(n * 3 + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		if (loc != LOC_EN && s[i] == ' ' && s[i + 1] &&
		    (strchr(":;!?%", s[i + 1]) || !strncmp(s + i + 1, "»", 2))) {
			memcpy(o, NNBSP, 3);
			o += 3;
			continue;
		}
		if (loc != LOC_EN && s[i] == ' ' && i >= 2 && !memcmp(s + i - 2, "«", 2)) {
			memcpy(o, NNBSP, 3);
			o += 3;
			continue;
		}
		*o++ = s[i];
	}
	*o = '\0';
	return out;
}

char *rcap(char *s)
{
	if (*s >= 'a' && *s <= 'z')
		*s = (char)(*s - 'a' + 'A');
	return s;
}

char *rtext(enum locale loc, enum rword w, const char *a1, const char *a2,
    const char *a3)
{
	const char *t = rw(loc, w), *args[3] = { a1, a2, a3 };
	size_t cap = strlen(t) + 1, n = 0;
	char *out;

	for (int i = 0; i < 3; i++)
		cap += args[i] ? strlen(args[i]) : 0;
	out = xmalloc(cap);
	for (const char *p = t; *p; p++) {
		if (p[0] == '{' && p[1] >= '1' && p[1] <= '3' && p[2] == '}') {
			const char *a = args[p[1] - '1'];
			size_t k = a ? strlen(a) : 0;
			memcpy(out + n, a ? a : "", k);
			n += k;
			p += 2;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	return out;
}
