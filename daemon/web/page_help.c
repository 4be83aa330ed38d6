/* The help page (GET /help, vigie-web(8)): the words of the console and of
 * the emails, explained for the social workers and HR who read them and
 * never see the README — the severities, observed against expected, an
 * alert held by hysteresis, « non calculée » and « masquée » (with this
 * deployment's anonymity floor), the warnings that the alerts are not up
 * to date, the follow-up and who may close, the notes, silences and the
 * works council report. Static text, but for the
 * floor and whether the role's rules send reminders: nothing of a unit is
 * shown. */
#include <stdio.h>
#include "vigie/config.h"
#include "vigie/typo.h"
#include "vigie/wording.h"
#include "web_impl.h"

/* A term and its explanation, in both languages: the pages' own words,
 * nothing to escape. */
struct entry {
	const char *term_fr, *text_fr, *term_en, *text_en;
};

struct section {
	const char *id, *title_fr, *title_en;
	const struct entry *e;
	size_t n;
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define LQ "«" TYPO_NNBSP		/* French quotes, with their spaces */
#define RQ TYPO_NNBSP "»"
#define LQE "\u201c"		/* English quotes */
#define RQE "\u201d"

static const struct entry reading[] = {
	{ "vigilance, critique",
	  "La gravité d'une alerte" TYPO_NNBSP ": " LQ "vigilance" RQ " quand un signal "
	  "franchit le seuil qui invite à regarder de plus près, " LQ "critique" RQ
	  " quand il franchit le second, qui appelle une action rapide. La page de "
	  "chaque unité donne les seuils de ses signaux à seuil fixe" TYPO_NNBSP "; pour "
	  "ceux qui comparent l'observé à l'attendu, c'est l'écart à l'attendu qui "
	  "compte, plus il est rare, plus l'alerte est grave.",
	  "warning, critical",
	  "An alert's severity: " LQE "warning" RQE " when a signal crosses "
	  "the level that asks for a closer look, " LQE "critical" RQE " when "
	  "it crosses the second, which calls for prompt action. Each unit's page "
	  "gives the levels of its signals with fixed levels; for those that compare "
	  "observed with expected, what counts is the gap to the expected: the more "
	  "unusual the gap, the more serious the alert." },
	{ "observé, attendu",
	  "Ce que la règle a compté sur la période (par exemple 7 conflits en 3 mois), et "
	  "ce qu'on attendrait en temps normal au vu de l'historique de l'unité, de son "
	  "service ou de l'entreprise, et de la saison. L'alerte se déclenche quand "
	  "l'écart est trop grand pour être dû au hasard.",
	  "observed, expected",
	  "What the rule counted over the period (for instance 7 conflicts in 3 months), "
	  "and what would be expected in ordinary times given the unit's history, its "
	  "department's or the company's, and the season. The alert fires when the gap is "
	  "too large to be chance." },
	{ "indicateurs qui ont bougé",
	  "Pour une règle qui combine plusieurs indicateurs, ceux qui s'écartent de "
	  "l'habitude ce mois-ci. Quand ce que la règle observe n'est pas au-dessus de "
	  "l'attendu, ce sont eux qui ont déclenché l'alerte" TYPO_NNBSP ": ils sont "
	  "alors donnés en premier.",
	  "indicators that moved",
	  "For a rule that combines several indicators, those that are away from the "
	  "usual this month. When what the rule observes is not above the expected, "
	  "they are what fired the alert: they then come first." },
	{ "alerte maintenue",
	  "Le signal est revenu sous son seuil de déclenchement mais pas encore à la "
	  "normale" TYPO_NNBSP ": l'alerte reste active jusqu'à ce qu'il y revienne (le niveau "
	  "de fin est indiqué pour un signal à seuil fixe" TYPO_NNBSP "; pour un signal "
	  "comparé à l'attendu, la fin vient quand l'écart redevient ordinaire). Une "
	  "situation qui oscille autour du seuil ne s'allume et ne s'éteint donc pas "
	  "chaque mois.",
	  "still active",
	  "The signal is back under its firing level but not yet normal: the alert stays "
	  "active until it is (its end level is given for a signal with fixed levels; "
	  "for one compared with the expected, the end comes when the gap is ordinary "
	  "again), so that a situation hovering around the level does not switch the "
	  "alert on and off every month." },
	{ "non calculée",
	  "La règle n'a pas de valeur pour cette période" TYPO_NNBSP ": des données manquent, "
	  "ou l'unité n'a pas encore l'historique que la règle lit (une règle qui compare "
	  "aux deux années passées attend d'en avoir les données). La page de l'unité dit "
	  "ce qui manque.",
	  "not computed",
	  "The rule has no value for this period: data is missing, or the unit does not "
	  "yet have the history the rule reads (a rule that compares with the two years "
	  "before waits until it has their data). The unit's page says what is missing." },
	{ "résolue",
	  "Le signal est revenu à la normale" TYPO_NNBSP ": l'alerte n'est plus active. Si le "
	  "signal revient, c'est une nouvelle alerte.",
	  "resolved",
	  "The signal is back to ordinary: the alert is no longer active. If it comes "
	  "back, that is a new alert." },
	{ "alertes pas à jour",
	  "Un bandeau en haut de chaque page prévient quand ce que montre la console peut "
	  "ne plus être à jour" TYPO_NNBSP ": Vigie n'a pas évalué les règles depuis plus de "
	  "deux fois son intervalle habituel (son service est arrêté), aucune donnée n'est "
	  "arrivée depuis le délai prévu, ou ses courriels ne partent plus depuis une heure. "
	  "Une liste calme ne veut alors rien dire" TYPO_NNBSP ": prévenez l'équipe qui "
	  "administre Vigie.",
	  "alerts not up to date",
	  "A band at the top of every page warns when what the console shows may no longer "
	  "be up to date: Vigie has not evaluated the rules for more than twice its usual "
	  "interval (its service has stopped), no data has come in for longer than "
	  "expected, or its emails have not been going out for an hour. A calm list then "
	  "means nothing: tell the team that runs Vigie." },
};

static const struct entry following[] = {
	{ "ouverte",
	  "Personne n'a encore pris l'alerte en charge. Ouverte depuis plus de deux "
	  "périodes, elle est rappelée à la fin du premier courriel de Vigie que vous "
	  "recevez pour chaque période de données (" LQ "alertes ouvertes sans prise en charge" RQ ")" TYPO_NNBSP "; sa "
	  "règle peut aussi prévoir des rappels à intervalle fixe (son réglage " LQ
	  "repeat_every" RQ ").",
	  "open",
	  "Nobody has acknowledged the alert yet. Once open for more than two "
	  "periods, it is listed at the end of the first Vigie email you receive for "
	  "each period of data (" LQE
	  "alerts open … that no one has acknowledged" RQE "); its rule may also "
	  "set reminders at a fixed interval (its " LQE "repeat_every" RQE " setting)." },
	{ "prendre en charge",
	  "Dit à vos collègues que vous suivez l'alerte (ses courriels suivants "
	  "aussi" TYPO_NNBSP ": " LQ "Prise en charge par marie le 8 juillet 2026" RQ
	  ", jamais vos notes), la retire de la liste des "
	  "alertes sans prise en charge des courriels, et arrête ses rappels s'il y en "
	  "a. C'est le même enregistrement que la commande " LQ "vigie ack" RQ ". Une "
	  "alerte clôturée qui s'est aggravée depuis se reprend de même (" LQ "Reprendre "
	  "le suivi" RQ ")" TYPO_NNBSP ": elle est rouverte, l'historique garde sa clôture.",
	  "acknowledge",
	  "Tells your colleagues that you follow the alert (so do its next emails: "
	  LQE "Taken in charge by marie on 8 July 2026" RQE ", never your notes), "
	  "takes it off the emails' "
	  "list of alerts no one has acknowledged, and stops its reminders if "
	  "any. It is the same record as the " LQE "vigie ack" RQE " command. An alert "
	  "closed that got worse since is followed again the same way (" LQE "Follow it "
	  "again" RQE "): it is reopened, the history keeps its closing." },
	{ "clôturer, issue",
	  "Quand la situation est traitée, clôturez l'alerte avec son issue" TYPO_NNBSP
	  ": " LQ "action menée" RQ ", " LQ "fausse alerte" RQ " ou " LQ "aucune "
	  "action nécessaire" RQ ". L'issue compte dans le rapport au CSE (sauf pour "
	  "les règles réservées au service social, que le rapport ne compte pas) et sur "
	  "la page Règles, et ses rappels, s'il y en a, restent arrêtés jusqu'à ce que "
	  "l'alerte se résolve puis se déclenche à nouveau. Ses améliorations ne sont "
	  "plus envoyées par courriel (la clôture les retient, comme une suspension)" TYPO_NNBSP
	  "; ses autres changements (aggravée, résolue, de retour) le sont, et "
	  "disent la clôture. Le suivi appartient au rôle qui a pris "
	  "l'alerte en charge" TYPO_NNBSP ": un collègue du même rôle peut la clôturer, "
	  "un autre rôle non (les RH ne clôturent pas une alerte que le service social "
	  "suit). Une "
	  "issue choisie par erreur se corrige sous le suivi de l'alerte (" LQ "Corriger "
	  "l'issue" RQ ")" TYPO_NNBSP ": le rapport compte l'issue corrigée, l'historique "
	  "garde les deux.",
	  "close, outcome",
	  "When the situation is dealt with, close the alert with its outcome: "
	  LQE "action taken" RQE ", " LQE "false alarm" RQE " or "
	  LQE "no action needed" RQE ". The "
	  "outcome counts in the works council report (except for the rules reserved "
	  "to the social service, which the report does not count) and on the Rules "
	  "page, and its reminders, if any, stay off until the alert resolves and fires "
	  "again. Its improvements are no longer emailed (the closing holds them, as "
	  "a silence would); its other changes (worse, resolved, back) are, and say "
	  "the closing. "
	  "The follow-up belongs to the role that acknowledged the alert: a colleague "
	  "of that role may close it, another role may not (HR does not close an alert "
	  "the social service follows). An outcome chosen by mistake is corrected under "
	  "the alert's follow-up (" LQE
	  "Correct the outcome" RQE "): the report counts the corrected outcome, the history "
	  "keeps both." },
	{ "résolues sans issue",
	  "Les alertes résolues avant que quelqu'un les clôture (filtre " LQ "Suivi" RQ
	  " de Mes alertes)" TYPO_NNBSP ": clôturez-les depuis leur page pour consigner "
	  "ce qui a été fait, ou que c'était une fausse alerte.",
	  "resolved, no outcome",
	  "The alerts that resolved before anyone closed them (the " LQE "Follow-up" RQE
	  " filter of My alerts): close each from its page to record what was done, or "
	  "that it was a false alarm." },
	{ "notes",
	  "Une note, sur une alerte ou sur une unité, n'est lue que par les utilisateurs "
	  "de votre rôle" TYPO_NNBSP ": les RH ne lisent jamais celles du service social. "
	  "N'y écrivez ni nom ni information de santé" TYPO_NNBSP ": ce qui a été fait et ce "
	  "qui suit. Seul son auteur peut la corriger ou la supprimer" TYPO_NNBSP "; l'ancien "
	  "texte n'est gardé nulle part.",
	  "notes",
	  "A note, on an alert or on a unit, is read only by the users of your role: HR "
	  "never reads the social service's. Write no name and no health information in "
	  "it: what was done and what comes next. Only its author may correct or delete "
	  "it; the old text is kept nowhere." },
	{ "notifications suspendues",
	  "Pendant une situation connue (une réorganisation annoncée), la page d'une "
	  "unité suspend ses notifications pour quelques mois, pour tous les rôles" TYPO_NNBSP
	  ": les alertes sont toujours calculées et affichées ici, seuls les courriels "
	  "attendent. Chacun voit les suspensions en cours et peut les lever.",
	  "notifications held",
	  "During a known situation (an announced reorganisation), a unit's page holds "
	  "its notifications for a few months, for every role: the alerts are still "
	  "computed and shown here, only the emails wait. Everyone sees the "
	  "silences in force and may lift them." },
};

static const struct entry privacy[] = {
	{ "rapport au CSE",
	  "Le rapport annuel au comité social et économique" TYPO_NNBSP ": les indicateurs "
	  "par site et pour l'entreprise, les alertes par thème et le suivi (combien "
	  "d'alertes prises en charge et clôturées, par issue). Il ne nomme personne, ne "
	  "montre aucune note et obéit au seuil d'anonymat.",
	  "works council report",
	  "The yearly report to the works council (CSE): the indicators per site and for "
	  "the company, the alerts by theme and the follow-up (how many alerts were "
	  "acknowledged and closed, by outcome). It names nobody, shows no note and obeys the "
	  "anonymity floor." },
	{ "votre compte",
	  "Votre mot de passe se change sous Mon compte. Votre compte, votre rôle et les "
	  "unités que vous suivez sont créés par l'équipe qui administre Vigie" TYPO_NNBSP ": "
	  "c'est à elle de les modifier.",
	  "your account",
	  "Your password is changed under My account. Your account, your role and the "
	  "units you follow are created by the team that runs Vigie: ask them to change "
	  "them." },
};

static const struct section sections[] = {
	{ "reading", "Lire une alerte", "Reading an alert", reading, N(reading) },
	{ "following", "Suivre une alerte", "Following an alert up", following, N(following) },
	{ "privacy", "Confidentialité", "Confidentiality", privacy, N(privacy) },
};

/* Whether a rule the user's role sees sends reminders (repeat_every). */
static bool reminders(struct req *r)
{
	const struct ruleset *rs = r->site->rs;

	for (size_t i = 0; i < rs->n; i++)
		if (rs->rules[i].enabled && rs->rules[i].repeat_every > 0 &&
		    viewer_sees_rule(&r->who, r->site->cfg, &rs->rules[i]))
			return true;
	return false;
}

void page_help(struct req *r)
{
	FILE *f = r->out;
	int floor = r->site->cfg->min_headcount;

	page_begin(r, WORD(r->loc, "Aide", "Help"));
	fprintf(f, "<h1>%s</h1>\n<p>%s</p>\n", WORD(r->loc, "Aide", "Help"),
	    WORD(r->loc, "Les mots de la console et des courriels de Vigie.",
	    "The words of Vigie's console and emails."));
	/* The floor first: what a social worker most needs to say to
	 * whoever asks why a team shows nothing. */
	fprintf(f, "<h2 id=\"hidden\">%s</h2>\n<p class=\"help\">", WORD(r->loc, "Valeurs masquées",
	    "Hidden values"));
	fprintf(f, WORD(r->loc, "Vigie ne montre que des chiffres agrégés par unité, jamais "
	    "ceux d'une personne. Une valeur est " LQ "masquée" RQ " quand "
	    "l'équipe compte moins de %d personnes (le seuil d'anonymat), quand elle pourrait "
	    "se déduire d'autres chiffres par soustraction (une équipe voisine trop petite, "
	    "que l'on retrouverait en retirant les autres du total du service), ou quand un "
	    "chiffre ne décrirait qu'une personne (un long arrêt qui fait presque toutes les "
	    "absences de l'équipe). Elle n'est alors ni affichée, ni envoyée, ni "
	    "dessinée" TYPO_NNBSP ": les graphiques la montrent comme une bande grise.",
	    "Vigie shows only figures aggregated by unit, never a person's. A value is "
	    LQE "hidden" RQE " when the team has fewer than %d people (the anonymity "
	    "floor), when it could be found from other figures by subtraction (a "
	    "neighbouring team too small, found again by taking the others from the "
	    "department's total), or when a figure would describe one person (a long leave "
	    "that makes nearly all the team's absences). It is then neither shown, nor sent, "
	    "nor drawn: the charts show it as a grey band."), floor);
	fputs("</p>\n", f);
	for (size_t s = 0; s < N(sections); s++) {
		fprintf(f, "<h2 id=\"%s\">%s</h2>\n<dl class=\"help\">\n", sections[s].id,
		    WORD(r->loc, sections[s].title_fr, sections[s].title_en));
		for (size_t i = 0; i < sections[s].n; i++) {
			const struct entry *e = &sections[s].e[i];
			fprintf(f, "<dt>%s</dt>\n<dd>%s", WORD(r->loc, e->term_fr,
			    e->term_en), WORD(r->loc, e->text_fr, e->text_en));
			/* « ouverte »: whether reminders come here (only a
			 * rule with repeat_every sends any; none of the
			 * library's does). */
			if (e == following)
				fputs(reminders(r) ? WORD(r->loc, " Certaines des règles de "
				    "votre rôle en prévoient.", " Some of your role's rules "
				    "set them.") : WORD(r->loc, " Ici, aucune règle de votre "
				    "rôle n'en prévoit.", " Here, no rule of your role sets "
				    "any."), f);
			fputs("</dd>\n", f);
		}
		fputs("</dl>\n", f);
	}
	page_end(r);
}
