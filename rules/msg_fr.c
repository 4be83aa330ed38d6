/* The French of the import reader's messages (msg.h), for the console.
 * Quoted file content is in « » (SPEC 14's pages are French), and the
 * colon, semicolon and question mark take a narrow no-break space. */
#include <string.h>
#include "vigie/msg.h"

#define _ "\xe2\x80\xaf"	/* U+202F, typo.h's TYPO_NNBSP (util/, a room above) */
#define Q(s) "«" _ s _ "»"
#define NOT_UTF8 "the file is not UTF-8 (Excel's \"CSV (séparateur : " \
	"point-virgule)\" writes Windows-1252): save it as \"CSV UTF-8\""
#define NOT_UTF8_FR "le fichier n'est pas en UTF-8 (Excel enregistre en " \
	"Windows-1252 le format " Q("CSV (séparateur" _ ": point-virgule)") ")" _ \
	": enregistrez-le en " Q("CSV UTF-8")
#define FORMS "expected unit,period,INDICATOR... (wide form) or " \
	"unit,period,indicator,value (long form)"
#define FORMS_FR "il faut unit,period,INDICATEUR... (forme large) ou " \
	"unit,period,indicator,value (forme longue)"
#define UNIT_CHARS "(allowed: A-Z a-z 0-9 . _ - and / between segments)"
#define UNIT_CHARS_FR "(permis" _ ": A-Z a-z 0-9 . _ - et / entre les segments)"

static const struct { const char *en, *fr; } table[] = {
	/* The file as a whole (csv.c) */
	{ "the file is UTF-16 (as Excel's \"Unicode Text\" saves it), not UTF-8: "
	  "save it as \"CSV UTF-8\"",
	  "le fichier est en UTF-16 (comme Excel enregistre le format "
	  Q("Texte Unicode") "), pas en UTF-8" _ ": enregistrez-le en " Q("CSV UTF-8") },
	{ "the file is a spreadsheet workbook (.xlsx or .ods), not CSV text: save "
	  "the sheet as \"CSV UTF-8\" (Excel: File > Save As; LibreOffice: File > "
	  "Save As > Text CSV)",
	  "le fichier est un classeur de tableur (.xlsx ou .ods), pas du texte CSV"
	  _ ": enregistrez la feuille en " Q("CSV UTF-8") " (Excel" _ ": Fichier > "
	  "Enregistrer sous" _ "; LibreOffice" _ ": Fichier > Enregistrer sous > "
	  "Texte CSV)" },
	{ "the file is an Excel 97-2003 workbook (.xls), not CSV text: save the "
	  "sheet as \"CSV UTF-8\" (File > Save As)",
	  "le fichier est un classeur Excel 97-2003 (.xls), pas du texte CSV" _
	  ": enregistrez la feuille en " Q("CSV UTF-8") " (Fichier > Enregistrer sous)" },
	{ "the lines of the file end with a carriage return alone (CR), as Excel "
	  "for Mac's \"CSV (Macintosh)\" saves them, not with LF or CRLF: save it "
	  "as \"CSV UTF-8\"",
	  "les lignes du fichier finissent par un seul retour chariot (CR), comme "
	  "les enregistre le format " Q("CSV (Macintosh)") " d'Excel pour Mac, "
	  "et non par LF ou CRLF" _ ": enregistrez-le en " Q("CSV UTF-8") },
	{ "the first line is a title (%s), not the header: delete the lines above "
	  "the header line, which starts with unit,period",
	  "la première ligne est un titre (%s), pas l'en-tête" _ ": supprimez les "
	  "lignes au-dessus de la ligne d'en-tête, qui commence par unit,period" },
	{ "the first line is a row of data (its second column is a period, %s), "
	  "not the header: add a first line that names the columns, such as "
	  "unit,period,headcount,absence_days (wide form) or "
	  "unit,period,indicator,value (long form)",
	  "la première ligne est une ligne de données (sa deuxième colonne est "
	  "une période, %s), pas l'en-tête" _ ": ajoutez une première ligne qui "
	  "nomme les colonnes, comme unit,period,headcount,absence_days (forme "
	  "large) ou unit,period,indicator,value (forme longue)" },
	{ "the file has a header and no row of data: nothing to import (an "
	  "extraction that failed?)",
	  "le fichier a un en-tête et aucune ligne de données" _ ": rien à "
	  "importer (une extraction qui a échoué" _ "?)" },
	{ "unterminated quoted field: the closing '\"' is missing",
	  "champ entre guillemets non fermé" _ ": le guillemet \" de fin manque" },
	{ "unexpected character after a closing quote (a '\"' inside a quoted "
	  "field is written '\"\"')",
	  "caractère inattendu après un guillemet fermant (un \" dans un champ "
	  "entre guillemets s'écrit \"\")" },
	{ "row has %zu fields but the header has %zu",
	  "la ligne a %zu champs, mais l'en-tête en a %zu" },
	{ "row has %zu fields but the header has %zu: a decimal comma in a file "
	  "separated by commas makes two values of one (write 12.5, or quote "
	  "\"12,5\", or save the file with ; as the separator)",
	  "la ligne a %zu champs, mais l'en-tête en a %zu" _ ": une virgule "
	  "décimale dans un fichier séparé par des virgules fait deux valeurs "
	  "d'une seule (écrivez 12.5, ou " Q("\"12,5\"") " entre guillemets, ou "
	  "enregistrez le fichier avec " Q(";") " comme séparateur)" },
	{ "row has %zu field%s but the header has %zu",
	  "la ligne a %zu champ%s, mais l'en-tête en a %zu" },

	/* The header */
	{ "empty file: expected a header line such as unit,period,absence_days or "
	  "unit,period,indicator,value",
	  "fichier vide" _ ": il faut une ligne d'en-tête comme "
	  "unit,period,absence_days ou unit,period,indicator,value" },
	{ "empty column name: the header ends with a separator; remove it, and "
	  "the one at the end of every row",
	  "nom de colonne vide" _ ": l'en-tête finit par un séparateur" _
	  "; retirez-le, et celui de la fin de chaque ligne" },
	{ "empty column name: name the column after its indicator, or delete it",
	  "nom de colonne vide" _ ": nommez la colonne d'après son indicateur, "
	  "ou supprimez-la" },
	{ "duplicate column \"%s\" (first in column %s)",
	  "colonne " Q("%s") " en double (déjà en colonne %s)" },
	{ " (is \"%s\" that column? write %s)",
	  " (" Q("%s") " est-elle cette colonne" _ "? écrivez %s)" },
	{ "the header has no \"%s\" column%s: " FORMS,
	  "l'en-tête n'a pas de colonne " Q("%s") "%s" _ ": " FORMS_FR },
	{ "the header must start with unit,period, not %s,%s (move those two "
	  "columns first, or delete the columns before them): " FORMS,
	  "l'en-tête doit commencer par unit,period, non par %s,%s (placez ces "
	  "deux colonnes en premier, ou supprimez les colonnes qui les "
	  "précèdent)" _ ": " FORMS_FR },
	{ "the header has no indicator column: " FORMS,
	  "l'en-tête n'a pas de colonne d'indicateur" _ ": " FORMS_FR },
	{ "a long form header is exactly unit,period,indicator,value",
	  "l'en-tête de la forme longue est exactement unit,period,indicator,value" },
	{ "empty indicator name", "nom d'indicateur vide" },
	{ "bad name \"%s\": columns are named in English: write %s",
	  "nom incorrect " Q("%s") _ ": les colonnes se nomment en anglais" _
	  ": écrivez %s" },
	{ "bad name \"%s\": a space around the name; write \"%.*s\"",
	  "nom incorrect " Q("%s") _ ": une espace autour du nom" _ "; écrivez "
	  Q("%.*s") },
	{ "bad name \"%s\": names are lower case (\"%s\")",
	  "nom incorrect " Q("%s") _ ": les noms s'écrivent en minuscules ("
	  Q("%s") ")" },
	{ "bad indicator name \"%s\": use a-z, 0-9 and _, starting with a "
	  "letter, at most %d bytes",
	  "nom d'indicateur incorrect " Q("%s") _ ": utilisez a-z, 0-9 et _, en "
	  "commençant par une lettre, %d octets au plus" },

	/* Units (csv.c, unit.c) */
	{ "empty unit", "unité vide" },
	{ "bad unit \"%s\": " NOT_UTF8, "unité incorrecte " Q("%s") _ ": " NOT_UTF8_FR },
	{ "bad unit \"%s\": %s", "unité incorrecte " Q("%s") _ ": %s" },
	{ "bad unit \"%s\": %s; did you mean \"%s\"?",
	  "unité incorrecte " Q("%s") _ ": %s" _ "; vouliez-vous dire " Q("%s") _ "?" },
	{ "empty unit path", "chemin d'unité vide" },
	{ "unit path longer than 255 bytes", "chemin d'unité de plus de 255 octets" },
	{ "empty segment in unit path", "segment vide dans le chemin d'unité" },
	{ "unit path has more than 16 segments",
	  "le chemin d'unité a plus de 16 segments" },
	{ "no-break space (U+00A0, which a spreadsheet's TRIM keeps) in unit path "
	  UNIT_CHARS,
	  "espace insécable (U+00A0, que la fonction SUPPRESPACE du tableur "
	  "garde) dans le chemin d'unité " UNIT_CHARS_FR },
	{ "accented or non-ASCII character in unit path " UNIT_CHARS,
	  "caractère accentué ou non ASCII dans le chemin d'unité " UNIT_CHARS_FR },
	{ "unit path segment must start with a letter or digit",
	  "un segment du chemin d'unité doit commencer par une lettre ou un chiffre" },
	{ "invalid character in unit path " UNIT_CHARS,
	  "caractère non permis dans le chemin d'unité " UNIT_CHARS_FR },

	/* Periods (csv.c, period.c) */
	{ "bad period \"%s\": %s", "période incorrecte " Q("%s") _ ": %s" },
	{ "bad period \"%s\": expected %s%s%s",
	  "période incorrecte " Q("%s") _ ": il faut %s%s%s" },
	{ "a month YYYY-MM (2025-01)", "un mois AAAA-MM (2025-01)" },
	{ "an ISO week YYYY-Www (2025-W03)", "une semaine ISO AAAA-Www (2025-W03)" },
	{ "; did you mean %s?", _ "; vouliez-vous dire %s" _ "?" },
	{ "; did you mean %s (after the current period %s)?",
	  _ "; vouliez-vous dire %s (après la période en cours, %s)" _ "?" },
	{ " (a spreadsheet writes periods as dates unless the column is "
	  "formatted as text)",
	  " (un tableur écrit les périodes comme des dates, sauf dans une colonne "
	  "au format texte)" },
	{ "%d has %d ISO weeks, its last is %s (the days after it are in %d-W01)",
	  "l'année %d a %d semaines ISO, la dernière est %s (les jours suivants "
	  "sont en %d-W01)" },
	{ "period %s is a week but this database holds months",
	  "la période %s est une semaine, mais cette base de données compte par mois" },
	{ "period %s is a month but this database holds weeks",
	  "la période %s est un mois, mais cette base de données compte par semaine" },
	{ "period %s is after the current period %s: data cannot come from the "
	  "future (a mistyped year, or this machine's clock behind?)",
	  "la période %s est après la période en cours, %s" _ ": les données ne "
	  "viennent pas du futur (une année mal tapée, ou l'horloge de cette "
	  "machine en retard" _ "?)" },

	/* Values (csv.c) */
	{ " in column \"%s\"", " dans la colonne " Q("%s") },
	{ "negative value %s%s: indicator values are counts or amounts, never "
	  "negative",
	  "valeur négative %s%s" _ ": les indicateurs sont des nombres ou des "
	  "montants, jamais négatifs" },
	{ "value \"%s\"%s is not a finite number",
	  "la valeur " Q("%s") "%s n'est pas un nombre fini" },
	{ "bad value \"%s\"%s: %s", "valeur incorrecte " Q("%s") "%s" _ ": %s" },
	{ "bad value \"%s\"%s: thousands separators are not read; write %s (in "
	  "the spreadsheet, a number format without separators)",
	  "valeur incorrecte " Q("%s") "%s" _ ": les séparateurs de milliers ne "
	  "sont pas lus" _ "; écrivez %s (dans le tableur, un format de nombre "
	  "sans séparateur)" },
	{ "bad value \"%s\"%s: " NOT_UTF8,
	  "valeur incorrecte " Q("%s") "%s" _ ": " NOT_UTF8_FR },
	{ "bad value \"%s\"%s: a decimal comma is only accepted when the "
	  "delimiter is ';' or tab; use a decimal point",
	  "valeur incorrecte " Q("%s") "%s" _ ": la virgule décimale n'est "
	  "acceptée que si le séparateur est le point-virgule ou la tabulation" _
	  "; écrivez un point décimal" },
	{ "bad value \"%s\"%s: expected a non-negative number such as 12 or %s",
	  "valeur incorrecte " Q("%s") "%s" _ ": il faut un nombre positif ou "
	  "nul, comme 12 ou %s" },
	{ "a spreadsheet's error: correct the formula, or leave the row out for "
	  "no value",
	  "une erreur du tableur" _ ": corrigez la formule, ou, s'il n'y a pas de "
	  "valeur, retirez la ligne" },
	{ "a spreadsheet's error: correct the formula, or leave the cell empty "
	  "for no value",
	  "une erreur du tableur" _ ": corrigez la formule, ou, s'il n'y a pas de "
	  "valeur, laissez la cellule vide" },
	{ "for no value, leave the row out; for zero, write 0",
	  "s'il n'y a pas de valeur, retirez la ligne" _ "; pour zéro, écrivez 0" },
	{ "for no value, leave the cell empty; for zero, write 0",
	  "s'il n'y a pas de valeur, laissez la cellule vide" _ "; pour zéro, "
	  "écrivez 0" },
	{ "for no value, leave the row out",
	  "s'il n'y a pas de valeur, retirez la ligne" },
	{ "for no value, leave the cell empty",
	  "s'il n'y a pas de valeur, laissez la cellule vide" },
	{ "empty value (leave the row out when there is no value)",
	  "valeur vide (retirez la ligne quand il n'y a pas de valeur)" },

	/* The file's rows together (csv_checks.c) */
	{ "duplicate row for unit %s, period %s (first given at line %d), with "
	  "other values: keep the right one of the two",
	  "ligne en double pour l'unité %s, période %s (déjà donnée ligne %d), "
	  "avec d'autres valeurs" _ ": gardez la bonne des deux" },
	{ "duplicate row for unit %s, period %s (first given at line %d): keep "
	  "one row per unit and period",
	  "ligne en double pour l'unité %s, période %s (déjà donnée ligne %d)" _
	  ": gardez une ligne par unité et par période" },
	{ "duplicate value for unit %s, period %s, indicator %s (first given at "
	  "line %d, column %d)",
	  "valeur en double pour l'unité %s, période %s, indicateur %s (déjà "
	  "donnée ligne %d, colonne %d)" },
	{ "%s is greater than %s for unit %s, period %s: the largest "
	  "single contribution cannot exceed the total (columns swapped in the "
	  "export?); imported as given, but dominance control will be wrong for "
	  "this cell until it is corrected",
	  "%s est supérieur à %s pour l'unité %s, période %s" _ ": la plus "
	  "grande contribution ne peut dépasser le total (colonnes inversées dans "
	  "l'export" _ "?)" _ "; importé tel quel, mais le contrôle de dominance "
	  "sera faux pour cette cellule jusqu'à sa correction" },
	{ "%s is greater than %s for unit %s, period %s, of which it counts a "
	  "part (a typo, or columns swapped in the export?); imported as given, "
	  "and the rules read it as it is until it is corrected",
	  "%s est supérieur à %s pour l'unité %s, période %s, dont il compte une "
	  "partie (une faute de frappe, ou des colonnes inversées dans l'export" _
	  "?)" _ "; importé tel quel, et les règles le lisent ainsi jusqu'à sa "
	  "correction" },

	/* Against the database (importcheck.c) */
	{ "\"%s\" is a new indicator, not in the recommended vocabulary, whose "
	  "name for it is \"%s\": the shipped rules read that one",
	  Q("%s") " est un nouvel indicateur, absent du vocabulaire recommandé, "
	  "qui le nomme " Q("%s") _ ": c'est celui que lisent les règles livrées" },
	{ "\"%s\" is a new indicator, not in the recommended vocabulary (did you "
	  "mean \"%s\"?)",
	  Q("%s") " est un nouvel indicateur, absent du vocabulaire recommandé "
	  "(vouliez-vous dire " Q("%s") _ "?)" },
	{ "\"%s\" was renamed \"%s\" (vigie rename, %s): write the new path in "
	  "the export (under its old path the team would be a unit of its own "
	  "again, without its history, and counted twice in the figures of the "
	  "units above it for any month both have; teams merged: one row, with "
	  "their sums)",
	  Q("%s") " a été renommée " Q("%s") " (vigie rename, %s)" _ ": écrivez le "
	  "nouveau chemin dans l'export (sous son ancien chemin, l'équipe "
	  "redeviendrait une unité à part, sans son historique, et serait comptée "
	  "deux fois dans les chiffres des unités au-dessus d'elle pour tout mois "
	  "qu'ont les deux" _ "; équipes fusionnées" _ ": une seule ligne, avec "
	  "leurs sommes)" },
	{ "\"%s\" is a new unit, not in the database (did you mean \"%s\"?)",
	  Q("%s") " est une nouvelle unité, absente de la base (vouliez-vous dire "
	  Q("%s") _ "?)" },
	{ "\"%s\" is a new unit, not in the database, that differs from \"%s\" in "
	  "case only: unit paths are case-sensitive, so it is a unit of its own, "
	  "without that one's history; write it as stored (once imported, vigie "
	  "delete --period %s --unit %s takes it out)",
	  Q("%s") " est une nouvelle unité, absente de la base, qui ne diffère de "
	  Q("%s") " que par les majuscules" _ ": les chemins d'unité distinguent "
	  "majuscules et minuscules, c'est donc une unité à part, sans "
	  "l'historique de celle-ci" _ "; écrivez-la comme elle est enregistrée "
	  "(une fois importée, vigie delete --period %s --unit %s la retire)" },
	{ "\"%s\" is a new indicator, not in the recommended vocabulary, with the "
	  "same value for every unit of the file: a code or a label rather than a "
	  "count? Vigie would store it, add it up over each unit's teams and offer "
	  "it to the rules; if it is not an indicator, leave the column out of the "
	  "export",
	  Q("%s") " est un nouvel indicateur, absent du vocabulaire recommandé, "
	  "avec la même valeur pour toutes les unités du fichier" _ ": un code ou "
	  "un libellé plutôt qu'un décompte" _ "? Vigie l'enregistrerait, "
	  "l'additionnerait sur les équipes de chaque unité et le proposerait aux "
	  "règles" _ "; si ce n'est pas un indicateur, laissez la colonne hors de "
	  "l'export" },
	{ "\"%s\" looks like a spreadsheet's total row: Vigie adds a unit's teams "
	  "up itself, and this one would be a team of its own, with its own "
	  "alerts; leave the row out",
	  Q("%s") " ressemble à une ligne de total du tableur" _ ": Vigie "
	  "additionne lui-même les équipes d'une unité, et celle-ci serait une "
	  "équipe à part, avec ses propres alertes" _ "; retirez la ligne" },
	{ "%s is under the anonymity floor at %s, a period Vigie has already "
	  "evaluated, and this file changes its values there: its parent's "
	  "figures of that period move by as much, which gives them away to "
	  "whoever compares them before and after (SPEC 3); import each month "
	  "whole, and correct a small team's past only when it matters",
	  "%s est sous le seuil d'anonymat en %s, période que Vigie a déjà "
	  "évaluée, et ce fichier y change ses valeurs" _ ": les chiffres de son "
	  "unité parente pour cette période en bougent d'autant, ce qui les "
	  "révèle à qui compare l'avant et l'après (secret des petits effectifs)"
	  _ "; importez chaque mois en entier, et ne corrigez le passé d'une "
	  "petite équipe que si cela compte" },
	{ "%s was under the anonymity floor at %s, a period Vigie has already "
	  "evaluated: its figures there stay hidden whatever headcount it is "
	  "given now, since shown they would give away what the floor hid (SPEC "
	  "3); the headcount is imported, and the periods not evaluated yet "
	  "follow it",
	  "%s était sous le seuil d'anonymat en %s, période que Vigie a déjà "
	  "évaluée" _ ": ses chiffres de cette période restent masqués, quel que "
	  "soit l'effectif qu'on lui donne maintenant, car affichés ils "
	  "révéleraient ce que le seuil cachait (secret des petits "
	  "effectifs)" _ "; l'effectif est importé, et les périodes pas encore "
	  "évaluées le suivent" },
	{ "%s's %s is hidden at %s as one person's (dominance), a period Vigie "
	  "has already evaluated, and this file changes it there: its parent's "
	  "figures of that period move by as much, which gives it away to "
	  "whoever compares them before and after (SPEC 3); correct a team's past "
	  "only when it matters",
	  "le chiffre de %s pour %s est masqué en %s comme celui d'une seule "
	  "personne (dominance), période que Vigie a déjà évaluée, et ce fichier "
	  "l'y change" _ ": les chiffres de son unité parente pour cette période "
	  "en bougent d'autant, ce qui le révèle à qui compare l'avant et l'après "
	  "(secret des petits effectifs)" _ "; ne corrigez le passé d'une équipe "
	  "que si cela compte" },
	{ "%s's %s at %s, a period Vigie has already evaluated, becomes one "
	  "person's with this file (its X_max over dominance times it) and is "
	  "hidden from now on, while its parent's figures of that period move by "
	  "the change, which gives it away to whoever compares them before and "
	  "after (SPEC 3); correct a team's past only when it matters",
	  "le chiffre de %s pour %s en %s, période que Vigie a déjà évaluée, "
	  "devient avec ce fichier celui d'une seule personne (son X_max dépasse la part de "
	  "dominance) et sera masqué, alors que les chiffres de son unité parente "
	  "pour cette période bougent d'autant" _ ": qui compare l'avant et "
	  "l'après le lit (secret des petits effectifs)" _ "; ne corrigez le "
	  "passé d'une équipe que si cela compte" },
	{ "%s's %s was hidden at %s as one person's, a period Vigie has already "
	  "evaluated: it stays hidden there whatever %s and %s it is given now, "
	  "since shown it would give away what dominance hid (SPEC 3); the values "
	  "are imported, and the periods not evaluated yet follow them",
	  "le chiffre de %s pour %s était masqué en %s comme celui d'une seule "
	  "personne, période que Vigie a déjà évaluée" _ ": il y reste masqué, "
	  "quels que soient le %s et le %s qu'on lui donne maintenant, car "
	  "affiché il révélerait ce que la dominance cachait (secret des petits "
	  "effectifs)" _ "; les valeurs sont importées, et les périodes pas "
	  "encore évaluées les suivent" },
	{ "this file changes which units are hidden at %s, a period Vigie has "
	  "already evaluated: %s, hidden until now beside a team under the "
	  "anonymity floor, stays hidden there, since its figures, beside those "
	  "shown before, would give that team's away (SPEC 3); the other values "
	  "are imported",
	  "ce fichier change les unités masquées en %s, période que Vigie a déjà "
	  "évaluée" _ ": %s, masquée jusqu'ici avec une équipe sous le seuil "
	  "d'anonymat, le reste pour cette période, car ses chiffres, à côté de "
	  "ceux affichés avant, livreraient ceux de cette équipe (secret des "
	  "petits effectifs)" _ "; les autres valeurs sont importées" },
	{ "new units in the file (%zu: %s), and units of its sites that "
	  "sent %s without a value for %s (%zu: %s): if teams were renamed, "
	  "moved or merged, vigie rename OLD NEW (--merge for teams merged) gives "
	  "them their history, which the rules read two years of (a move to "
	  "another parent is refused when a month of the team was hidden, which "
	  "its parents' figures would give away); under a new path they start "
	  "from nothing",
	  "des unités nouvelles dans le fichier (%zu" _ ": %s), et des unités "
	  "de ses sites présentes en %s sans valeur pour %s (%zu" _ ": %s)"
	  _ ": si des équipes ont été renommées, déplacées ou fusionnées, «" _
	  "Renommer ou déplacer une unité" _ "» (vigie rename, avec --merge pour une "
	  "fusion) "
	  "leur garde leur historique, dont les règles lisent deux ans (un "
	  "déplacement vers une autre unité parente est refusé quand un mois de "
	  "l'équipe a été masqué, que les chiffres de ses unités parentes "
	  "trahiraient)" _ "; sous un nouveau chemin, elles repartent de zéro" },
	{ "%s has no headcount for %s, neither in this file nor stored: its "
	  "figures for that month are hidden (SPEC 3), and may hide a sibling "
	  "with them, until one is imported",
	  "%s n'a pas d'effectif (headcount) pour %s, ni dans ce fichier ni dans "
	  "la base" _ ": ses chiffres de ce mois sont masqués (secret des petits "
	  "effectifs), et peuvent masquer ceux d'une unité voisine, jusqu'à "
	  "l'import d'un effectif" },
	{ "%s has no headcount for %s, neither in this file nor stored: its "
	  "figures for that week are hidden (SPEC 3), and may hide a sibling "
	  "with them, until one is imported",
	  "%s n'a pas d'effectif (headcount) pour %s, ni dans ce fichier ni dans "
	  "la base" _ ": ses chiffres de cette semaine sont masqués (secret des "
	  "petits effectifs), et peuvent masquer ceux d'une unité voisine, "
	  "jusqu'à l'import d'un effectif" },
	{ "%s sent %s and has nothing for %s, neither in this file nor stored, "
	  "though the file brings its siblings: left out of the export? Until its "
	  "figures are imported, its parent's totals for %s lack them and its "
	  "rules cannot evaluate %s",
	  "%s a envoyé %s et n'a rien pour %s, ni dans ce fichier ni dans la base, "
	  "alors que le fichier apporte ses voisines" _ ": oubliée dans l'export" _
	  "? Jusqu'à l'import de ses chiffres, les totaux de %s de son unité "
	  "parente ne les comptent pas et ses règles ne peuvent évaluer %s" },
	{ "%zu units that sent %s have nothing for %s, neither in this file nor "
	  "stored, though the file brings their siblings (the first: %s): left out "
	  "of the export? Until their figures are imported, their parents' totals "
	  "for %s lack them and their rules cannot evaluate %s",
	  "%zu unités qui ont envoyé %s n'ont rien pour %s, ni dans ce fichier ni "
	  "dans la base, alors que le fichier apporte leurs voisines (la "
	  "première" _ ": %s)" _ ": oubliées dans l'export" _ "? Jusqu'à l'import "
	  "de leurs chiffres, les totaux de %s de leurs unités parentes ne les "
	  "comptent pas et leurs règles ne peuvent évaluer %s" },
	{ "%s of %s for %s is stored and its cell in this file is empty: an empty "
	  "cell keeps the stored value; if it was wrong, remove it (vigie delete "
	  "--period %s --unit %s --indicator %s)",
	  "%s de %s pour %s est dans la base et sa cellule est vide dans ce "
	  "fichier" _ ": une cellule vide garde la valeur enregistrée" _ "; si "
	  "elle était fausse, supprimez-la (vigie delete --period %s --unit %s "
	  "--indicator %s, ou la page d'import de la console)" },
	{ "%zu values stored have an empty cell in this file and are kept (the "
	  "first: %s of %s for %s): an empty cell keeps the stored value; to "
	  "remove one, vigie delete --period PERIOD --unit UNIT --indicator NAME",
	  "%zu valeurs enregistrées ont une cellule vide dans ce fichier et sont "
	  "gardées (la première" _ ": %s de %s pour %s)" _ ": une cellule vide "
	  "garde la valeur enregistrée" _ "; pour en supprimer une, vigie delete "
	  "--period PÉRIODE --unit UNITÉ --indicator NOM, ou le formulaire "
	  Q("Retirer les valeurs d'une période") " de la page d'import" },
	{ "every value of %s for %s is 0: a team closed, its row exported as "
	  "zeros? With a headcount of 0 its rules cannot read it; leave the row out",
	  "toutes les valeurs de %s pour %s sont nulles" _ ": une équipe fermée, "
	  "exportée en zéros" _ "? Avec un effectif nul, ses règles ne peuvent la "
	  "lire" _ "; laissez la ligne hors de l'export" },
	{ "%s of %s for %s is at least 10 times that of %s (a typo, or columns "
	  "shifted in the export?); imported as given, and the rules read it as it "
	  "is until it is corrected",
	  "%s de %s pour %s vaut au moins 10 fois celui de %s (une faute de "
	  "frappe, ou des colonnes décalées dans l'export" _ "?)" _ "; importé tel "
	  "quel, et les règles le lisent ainsi jusqu'à sa correction" },
	{ "%s of %s for %s is at most a tenth of that of %s (a typo, or columns "
	  "shifted in the export?); imported as given, and the rules read it as it "
	  "is until it is corrected",
	  "%s de %s pour %s vaut au plus le dixième de celui de %s (une faute de "
	  "frappe, ou des colonnes décalées dans l'export" _ "?)" _ "; importé tel "
	  "quel, et les règles le lisent ainsi jusqu'à sa correction" },
	{ "%s of %zu units of the file (the first: %s) for %s is at least 10 times "
	  "that of %s, or at most a tenth of it: a column shifted, or a decimal "
	  "separator lost, in the export? Imported as given, and the rules read "
	  "them as they are until they are corrected",
	  "%s de %zu unités du fichier (la première" _ ": %s) pour %s vaut au moins "
	  "10 fois celui de %s, ou au plus son dixième" _ ": une colonne décalée, "
	  "ou un séparateur décimal perdu, dans l'export" _ "? Importé tel quel, et "
	  "les règles les lisent ainsi jusqu'à leur correction" },
	{ "%s has no %s for %s, neither in this file nor stored, and had it for "
	  "%s: the rules that read it cannot evaluate %s there until it is imported",
	  "%s n'a pas l'indicateur %s pour %s, ni dans ce fichier ni dans la base, et l'avait "
	  "pour %s" _ ": les règles qui le lisent ne peuvent évaluer %s pour elle "
	  "jusqu'à son import" },
	{ "%zu units of the file (the first: %s) have no %s for %s, neither in "
	  "this file nor stored, and had it for %s: the rules that read it cannot "
	  "evaluate %s for them until it is imported",
	  "%zu unités du fichier (la première" _ ": %s) n'ont pas l'indicateur %s pour %s, "
	  "ni dans ce fichier ni dans la base, et l'avaient pour %s" _ ": les "
	  "règles qui le lisent ne peuvent évaluer %s pour elles jusqu'à son import" },
	{ "this file has no %s for %s, and none is stored (units of the file that "
	  "had it for %s: %zu): if another file brings it, import that file too; "
	  "otherwise the rules that read it cannot evaluate %s",
	  "ce fichier n'a pas l'indicateur %s pour %s, et la base n'en a pas (unités du "
	  "fichier qui l'avaient pour %s" _ ": %zu)" _ ": si un autre fichier "
	  "l'apporte, importez-le aussi" _ "; sinon, les règles qui le lisent ne "
	  "peuvent évaluer %s" },
	{ "this file has none of %s for %s, and none is stored (units of the file "
	  "that had them for %s: %zu): if another file brings them, import that "
	  "file too; otherwise the rules that read them cannot evaluate %s",
	  "ce fichier n'a aucun des indicateurs %s pour %s, et la base n'en a pas "
	  "(unités du fichier qui les avaient pour %s" _ ": %zu)" _ ": si un autre "
	  "fichier les apporte, importez-le aussi" _ "; sinon, les règles qui les "
	  "lisent ne peuvent évaluer %s" },
	{ "%zu of the %zu values compared (zeros aside) are those stored for %s: "
	  "the export of %s sent again as %s? The rules would read it as a period "
	  "where nothing changed; if so, remove it (vigie delete --period %s, or "
	  "the console's import page) and import the right file",
	  "%zu des %zu valeurs comparées (zéros à part) sont celles de %s dans la "
	  "base" _ ": l'export de %s envoyé à nouveau pour %s" _ "? Les règles y "
	  "liraient une période où rien n'a changé" _ "; si c'est le cas, retirez-la "
	  "(vigie delete --period %s, ou la page d'import de la console) et "
	  "importez le bon fichier" },
	{ "%s ended %d months ago: a history imported a month at a time is "
	  "notified a month at a time, each month's alerts as new; import the "
	  "months that remain in one go (vigie import FILE..., one mv into the "
	  "inbox, or all the files in one upload of the console)",
	  "%s s'est terminé il y a %d mois" _ ": un historique importé mois par "
	  "mois est notifié mois par mois, les alertes de chaque mois comme "
	  "nouvelles" _ "; importez les mois qui restent en une fois (vigie import "
	  "FICHIER..., un seul mv dans le dossier d'import, ou tous les fichiers "
	  "dans un même envoi de la console)" },
	{ "1 period of this file (%s) is older than retention.data keeps (%d "
	  "weeks): the next cycle deletes it — raise retention.data "
	  "(vigie.yaml(5)) first",
	  "1 période de ce fichier (%s) est plus ancienne que ce que garde "
	  "retention.data (%d semaines)" _ ": le prochain cycle la supprime — "
	  "augmentez d'abord retention.data (vigie.yaml(5))" },
	{ "1 period of this file (%s) is older than retention.data keeps (%d "
	  "months): the next cycle deletes it — raise retention.data "
	  "(vigie.yaml(5)) first",
	  "1 période de ce fichier (%s) est plus ancienne que ce que garde "
	  "retention.data (%d mois)" _ ": le prochain cycle la supprime — "
	  "augmentez d'abord retention.data (vigie.yaml(5))" },
	{ "%zu periods of this file (%s to %s) are older than retention.data "
	  "keeps (%d weeks): the next cycle deletes them — raise retention.data "
	  "(vigie.yaml(5)) first",
	  "%zu périodes de ce fichier (%s à %s) sont plus anciennes que ce que "
	  "garde retention.data (%d semaines)" _ ": le prochain cycle les "
	  "supprime — augmentez d'abord retention.data (vigie.yaml(5))" },
	{ "%zu periods of this file (%s to %s) are older than retention.data "
	  "keeps (%d months): the next cycle deletes them — raise retention.data "
	  "(vigie.yaml(5)) first",
	  "%zu périodes de ce fichier (%s à %s) sont plus anciennes que ce que "
	  "garde retention.data (%d mois)" _ ": le prochain cycle les supprime — "
	  "augmentez d'abord retention.data (vigie.yaml(5))" },
	{ "%s ended %d weeks ago: a history imported a week at a time is "
	  "notified a week at a time, each week's alerts as new; import the "
	  "weeks that remain in one go (vigie import FILE..., one mv into the "
	  "inbox, or all the files in one upload of the console)",
	  "%s s'est terminée il y a %d semaines" _ ": un historique importé "
	  "semaine par semaine est notifié semaine par semaine, les alertes de "
	  "chaque semaine comme nouvelles" _ "; importez les semaines qui restent "
	  "en une fois (vigie import FICHIER..., un seul mv dans le dossier "
	  "d'import, ou tous les fichiers dans un même envoi de la console)" },
	{ "the file begins at %s, and none of its units compared has a value "
	  "stored for %s (%zu had some for %s): the export of %s sent as %s? If "
	  "so, remove it (vigie delete --period %s, or the console's import page) "
	  "and import it as %s; if not, import %s too, or the rules read %s "
	  "without it",
	  "le fichier commence à %s, et aucune de ses unités comparées n'a de "
	  "valeur pour %s dans la base (%zu en avaient pour %s)" _ ": l'export de "
	  "%s envoyé pour %s" _ "? Si c'est le cas, retirez-le (vigie delete "
	  "--period %s, ou la page d'import de la console) et importez-le pour "
	  "%s" _ "; sinon, importez aussi %s, ou les règles liront %s sans lui" },
};

#undef _
#undef Q

const char *msg_fr(const char *en)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].en, en))
			return table[i].fr;
	return NULL;
}

const char *msg_tr(bool fr, const char *en)
{
	const char *t;

	return fr && (t = msg_fr(en)) ? t : en;
}

size_t msg_count(void)
{
	return sizeof(table) / sizeof(table[0]);
}

void msg_at(size_t i, const char **en, const char **fr)
{
	*en = table[i].en;
	*fr = table[i].fr;
}
