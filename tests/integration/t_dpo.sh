#!/usr/bin/env bash
# The data protection officer's kit (contrib/dpo/, in French) states Vigie's
# shipped defaults — anonymity floor, dominance, confidential roles,
# retention, notification roles, webhook detail — exactly as vigie.yaml(5)
# documents them, so that a DPO who signs the impact assessment signs what
# the product does. Each document carries the defaults in a table whose
# header is "| Clé | Valeur par défaut | …" and whose first column is one of
# the keys below; the numbers its prose repeats are checked too. No draft
# marker may be left but the explicit "[À COMPLÉTER : …]" placeholders, and
# the French typography (no-break spaces before ; : ! ? % » and after «)
# holds outside code. The systemd directives the kit quotes are those of the
# shipped unit, every indicator the shipped rules read is named, and the
# real vigied refuses a floor below the minimum the kit promises.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
export LC_ALL=C.UTF-8
NB=$(printf '\xc2\xa0')   # no-break space, as the kit writes it before : and %

DPO="$SRC/contrib/dpo"
MAN="$SRC/contrib/man/vigie.yaml.5"
DOCS=(README.md aipd.md registre.md information-salaries.md note-cse.md)
for d in "${DOCS[@]}"; do [ -f "$DPO/$d" ] || fail "contrib/dpo/$d missing"; done
command -v perl >/dev/null || { echo "perl missing"; exit 77; }

# --- The defaults -------------------------------------------------------
# Read from vigie.yaml(5) when it documents the key as its other items are
# written (`.BR KEY " (default " VALUE )`). Keys it does not document yet
# take the value hard-coded here, from the SPEC section named in the
# comment; once another change documents them, the page wins. A key the page
# mentions in a form this script cannot read is an error: teach man_default
# the new form rather than let the kit drift.
declare -A FALLBACK=(
	[dominance]=0.85                 # SPEC §3 and §7: dominance, default 0.85
	[confidential_roles]='[social-worker]'  # SPEC §3 and §7
	[retention.data]=60              # SPEC §3: retention.data, 60 periods
	[retention.alerts]=36            # SPEC §3: retention.alerts, 36 periods
	[retention.notes]=24             # SPEC §3: retention.notes, 24 periods
	[retention.messages]=90d         # SPEC §3: retention.messages, 90d
	[carry_over]=6                   # SPEC §5 and §7: carry_over, 6 periods
)
# Per-format defaults of `detail` (SPEC §9): minimal for the chat tools and
# Alertmanager, full for generic. Not a single "(default …)" value, so always
# taken from here.
DETAIL_CHAT=minimal
DETAIL_GENERIC=full

# man_default KEY: the default of KEY in vigie.yaml(5), or nothing. A dotted
# key (retention.data) is also looked up as its last component after the
# parent's item.
man_default() {
	local key=$1 leaf=${1##*.} parent=${1%%.*}
	perl -CSD -ne '
		BEGIN { ($key, $leaf, $parent) = @ARGV[0..2]; splice @ARGV, 0, 3 }
		$in = 1 if $key ne $leaf && /^\.(?:B|BR|SH|SS)\s.*\b\Q$parent\E\b/i;
		my $k = quotemeta($key); my $l = quotemeta($leaf);
		if (/^\.BR? $k " \(default " (.*?) ?\)\s*$/ || ($in && /^\.BR? $l " \(default " (.*?) ?\)\s*$/)) {
			(my $v = $1) =~ s/^"(.*)"$/$1/; $v =~ s/\\-/-/g; print "$v\n"; exit;
		}' "$key" "$leaf" "$parent" "$MAN"
}
# default_of KEY: the page's value, else the fallback; fails when the page
# names KEY but not in a form man_default reads.
default_of() {
	local key=$1 v
	v=$(man_default "$key")
	if [ -n "$v" ]; then echo "$v"; return; fi
	if grep -qiw -- "${key%%.*}" "$MAN"; then
		fail "vigie.yaml.5 documents ${key%%.*} but t_dpo.sh cannot read the default of $key; update man_default"
	fi
	[ -n "${FALLBACK[$key]:-}" ] || fail "no default for $key in vigie.yaml.5 nor in t_dpo.sh"
	echo "${FALLBACK[$key]}"
}

PERIOD=$(default_of period) || exit 1
FLOOR=$(default_of min_headcount) || exit 1
# "The anonymity floor, at least 3:" in the min_headcount item.
FLOOR_MIN=$(perl -ne 'if (/^\.BR min_headcount /) { $in = 1; next } if ($in) { if (/at least (\d+)/) { print $1; exit } exit if /^\.(TP|SH)/ }' "$MAN")
[ -n "$FLOOR_MIN" ] || fail "vigie.yaml.5: cannot read the minimum of min_headcount (\"at least N\")"
DOMINANCE=$(default_of dominance) || exit 1
CONFIDENTIAL=$(default_of confidential_roles) || exit 1
NOTIFY=$(default_of default_notify) || exit 1
KEEP_DATA=$(default_of retention.data) || exit 1
KEEP_ALERTS=$(default_of retention.alerts) || exit 1
KEEP_NOTES=$(default_of retention.notes) || exit 1
KEEP_MESSAGES=$(default_of retention.messages) || exit 1
STALE=$(default_of stale_after) || exit 1
CARRY=$(default_of carry_over) || exit 1
SESSION=$(default_of web.session_ttl) || exit 1
# The role told about missing data: the first bold word of the stale_after
# item ("the\n.B ops\nrole (or\n.B hr …").
STALE_ROLE=$(perl -ne 'if (/^\.BR stale_after /) { $in = 1; next } if ($in) { if (/^\.B (\S+)\s*$/) { print $1; exit } exit if /^\.(TP|SH)/ }' "$MAN")
[ -n "$STALE_ROLE" ] || fail "vigie.yaml.5: cannot read the role notified by stale_after"

# The retention and notification figures the prose writes out.
case $KEEP_MESSAGES in *d) ;; *) fail "retention.messages $KEEP_MESSAGES: t_dpo.sh expects days";; esac
case $STALE in *d) ;; *) fail "stale_after $STALE: t_dpo.sh expects days";; esac
[ "$PERIOD" = month ] || fail "period default $PERIOD: the kit writes durations in months"
MSG_DAYS=${KEEP_MESSAGES%d} STALE_DAYS=${STALE%d}
DOM_PCT=$(awk -v d="$DOMINANCE" 'BEGIN { printf "%g", d * 100 }')

# Each canonical row key of the "Valeur par défaut" tables and its value.
declare -A WANT=(
	['`period`']=$PERIOD
	['`min_headcount`']=$FLOOR
	['`min_headcount` (minimum accepté)']=$FLOOR_MIN
	['`dominance`']=$DOMINANCE
	['`confidential_roles`']=$CONFIDENTIAL
	['`default_notify`']=$NOTIFY
	['`retention.data`']=$KEEP_DATA
	['`retention.alerts`']=$KEEP_ALERTS
	['`retention.notes`']=$KEEP_NOTES
	['`retention.messages`']=$KEEP_MESSAGES
	['`webhooks.*.detail` (`slack`, `mattermost`, `teams`, `alertmanager`)']=$DETAIL_CHAT
	['`webhooks.*.detail` (`generic`)']=$DETAIL_GENERIC
	['`stale_after`']=$STALE
	['`stale_after` (rôle notifié)']=$STALE_ROLE
	['`carry_over`']=$CARRY
	['`web.session_ttl`']=$SESSION
)
ALL_KEYS=("${!WANT[@]}")
# The rows each document must carry: the employees' notice keeps to what
# protects them and how long data is kept.
declare -A NEEDS=(
	[information-salaries.md]='`period`|`min_headcount`|`min_headcount` (minimum accepté)|`dominance`|`confidential_roles`|`default_notify`|`retention.data`|`retention.alerts`|`retention.notes`|`retention.messages`'
)

echo "defaults: period=$PERIOD floor=$FLOOR (min $FLOOR_MIN) dominance=$DOMINANCE confidential=$CONFIDENTIAL notify=$NOTIFY"
echo "          retention=$KEEP_DATA/$KEEP_ALERTS/$KEEP_NOTES/$KEEP_MESSAGES stale=$STALE->$STALE_ROLE carry_over=$CARRY detail=$DETAIL_CHAT/$DETAIL_GENERIC"

# --- The tables -----------------------------------------------------------
errors=0
err() { echo "contrib/dpo/$*" >&2; errors=$((errors + 1)); }
# rows FILE: "LINE<TAB>KEY<TAB>VALUE-CELL<TAB>EFFECT-CELL" for every row of
# every table whose header is "| Clé | Valeur par défaut | …".
rows() {
	perl -CSD -Mutf8 -ne '
		if (/^\|\s*Clé\s*\|\s*Valeur par défaut\s*\|/) { $t = 1; next }
		if ($t && /^\|/) {
			next if /^\|[-|\s]+$/;
			my @c = split /\|/; s/^\s+|\s+$//g for @c;
			print join("\t", $., @c[1..3]), "\n"; next;
		}
		$t = 0;' "$1"
}
for d in "${DOCS[@]}"; do
	declare -A seen=()
	while IFS=$'\t' read -r line key cell effect; do
		want=${WANT[$key]-}
		if [ -z "${WANT[$key]+x}" ]; then
			err "$d:$line: unknown key cell '$key' in a \"Valeur par défaut\" table"
			continue
		fi
		seen[$key]=1
		got=; [[ $cell =~ \`([^\`]*)\` ]] && got=${BASH_REMATCH[1]}
		[ "$got" = "$want" ] || err "$d:$line: $key is '$got', the default is '$want'"
		# "(5 ans en mensuel)" and "(90 jours)" must agree with the value.
		if [[ $cell =~ \(([0-9]+)\ ans ]]; then
			[ $(( ${BASH_REMATCH[1]} * 12 )) = "$want" ] || err "$d:$line: $key: ${BASH_REMATCH[1]} years is not $want months"
		fi
		if [[ $cell =~ \(([0-9]+)\ jours\) ]]; then
			[ "${BASH_REMATCH[1]}d" = "$want" ] || err "$d:$line: $key: ${BASH_REMATCH[1]} days is not $want"
		fi
		case $key in
		'`dominance`') [[ $effect == *"$DOM_PCT$NB%"* ]] || err "$d:$line: dominance effect does not say $DOM_PCT %";;
		'`min_headcount`') [[ $effect == *"moins de $FLOOR$NB"* || $effect == *"moins de $FLOOR "* ]] || err "$d:$line: min_headcount effect does not say \"moins de $FLOOR\"";;
		esac
	done < <(rows "$DPO/$d")
	IFS='|' read -r -a need <<<"${NEEDS[$d]:-}"
	[ ${#need[@]} -gt 0 ] || need=("${ALL_KEYS[@]}")
	for k in "${need[@]}"; do
		[ -n "${seen[$k]:-}" ] || err "$d: no \"Valeur par défaut\" row for $k"
	done
	unset seen
done

# --- The prose --------------------------------------------------------------
# Every number the text attaches to a protected quantity must be a default
# (or one of the few product constants listed here). Code spans and fenced
# blocks are left out. One perl per document: a fork per line is minutes.
# Allowed values, comma-separated:
#   periods: retention and carry_over, and the 12 periods of history an email
#            and a full webhook carry (SPEC §9);
#   years:   retention in months / 12;
#   days:    messages and stale_after; 3 defines a short absence, 30 is the
#            example purge of the inbox ("29 jours d'absence" is data in an
#            example, not a duration: "jours d'…" is skipped);
#   percent: the dominance share (the CSE note's example of a rule quotes
#            no threshold: the shipped thresholds are probabilities).
years=$(for m in "$KEEP_DATA" "$KEEP_ALERTS" "$KEEP_NOTES"; do [ $((m % 12)) = 0 ] && echo $((m / 12)); done | paste -sd,)
for d in "${DOCS[@]}"; do
	perl -CSD -Mutf8 -ne '
		BEGIN {
			($doc, $floor, $fmin, $pc, $pe, $ye, $da) = splice @ARGV, 0, 7;
			%pc = map { $_ => 1 } split /,/, $pc; %pe = map { $_ => 1 } split /,/, $pe;
			%ye = map { $_ => 1 } split /,/, $ye; %da = map { $_ => 1 } split /,/, $da;
		}
		if (/^```/) { $f = !$f; next } next if $f;
		s/`[^`]*`/ /g; s/\]\([^)]*\)/]/g;
		my $at = "$doc:$.";
		# The floor: "une unité de moins de 5 salariés", "le groupe
		# masqué compte moins de 5 salariés" (not "organismes de moins
		# de 250 salariés").
		while (/(?:(?:unité|équipe)s? de|compte) moins de (\d+)[ \x{a0}](?:salariés?|personnes)/g) {
			print "$at: \"moins de $1\" but the floor is $floor\n" if $1 ne $floor }
		while (/seuil d\x27anonymat de (\d+)/g) {
			print "$at: \"seuil d\x27anonymat de $1\" but the floor is $floor\n" if $1 ne $floor }
		# The example of a team growing past the floor: "passe de 3 à 5
		# personnes".
		while (/pass\w* de (\d+) à (\d+) personnes/g) {
			print "$at: a team growing from $1 to $2 does not cross the floor $floor\n" unless $1 < $floor && $2 == $floor }
		while (/en dessous de (\d+)/g) {
			print "$at: \"en dessous de $1\" but the minimum floor is $fmin\n" if $1 ne $fmin }
		while (/(\d+)\x{a0}%/g) { print "$at: $1 % is not an allowed percentage ($pc)\n" unless $pc{$1} }
		while (/(\d+) périodes/g) { print "$at: $1 périodes is not an allowed number of periods ($pe)\n" unless $pe{$1} }
		while (/(\d+) ans\b/g) { print "$at: $1 ans is not a retention in years ($ye)\n" unless $ye{$1} }
		while (/(\d+) jours(?! d\x27)/g) { print "$at: $1 jours is not an allowed number of days ($da)\n" unless $da{$1} }
	' "$d" "$FLOOR" "$FLOOR_MIN" "$DOM_PCT" \
	    "$KEEP_DATA,$KEEP_ALERTS,$KEEP_NOTES,$CARRY,12" "$years" "$MSG_DAYS,$STALE_DAYS,3,30" \
	    "$DPO/$d" >"$T/prose"
	while IFS= read -r l; do err "$l"; done <"$T/prose"
done

# --- Drafts, placeholders, typography, links, unit directives ---------------
for d in "${DOCS[@]}"; do
	f="$DPO/$d"
	perl -CSD -Mutf8 -ne '
		BEGIN { $n = shift @ARGV }
		if (/^```/) { $f = !$f }
		print "$n:$.: draft marker: $_" if /\b(TODO|FIXME|TBD|XXX)\b/;
		next if $f;
		s/`[^`]*`/C/g;
		# A placeholder says what to fill in.
		s/\[À COMPLÉTER\x{a0}: [^\]]*\p{L}[^\]]*\]//g;
		print "$n:$.: placeholder not of the form [À COMPLÉTER : …]: $_" if /COMPL[EÉ]TER/ || /[\[<(]\s*[àa]\s+compl[eé]ter/i;
		s/\]\([^)]*\)/]/g; s{https?://\S+}{}g;
		print "$n:$.: plain space before ; : ! ? % or »: $_" if / [;:!?%»]/;
		print "$n:$.: plain space after «: $_" if /« /;
		print "$n:$.: no space before ; ! ? or »: $_" if /[^\s\x{a0}\x{202f}][;!?»]/;
		print "$n:$.: no space before a colon: $_" if /\p{L}:(\s|$)/;
	' "$d" "$f" >"$T/lint"
	while IFS= read -r l; do err "$l"; done <"$T/lint"
	# Relative links point to files of the kit.
	for target in $(grep -oP '\]\(\K[^)#:]+(?=\))' "$f"); do
		[ -e "$DPO/$target" ] || err "$d: link to missing $target"
	done
	# systemd directives quoted in the text are those of the shipped unit
	# (cookie attributes and journald.conf settings are not).
	for tok in $(grep -oP '`\K[A-Z][A-Za-z]+=[^` ]*(?=`)' "$f" | sort -u); do
		case $tok in SameSite=*|MaxRetentionSec=*) continue;; esac
		if [ "${tok#*=}" = "" ]; then
			grep -qE "^#?${tok}" "$SRC/contrib/systemd/vigied.service" || err "$d: $tok is not in contrib/systemd/vigied.service"
		else
			grep -qxF "$tok" "$SRC/contrib/systemd/vigied.service" || err "$d: $tok is not in contrib/systemd/vigied.service"
		fi
	done
done
# Every indicator the shipped rules read (among those README.md explains) is
# a category of data the register, the impact assessment and the CSE note
# must name: a new one in the library is a new disclosure to account for.
for i in $(grep -ho '[a-z_][a-z0-9_]*' "$SRC"/etc/rules.d/*.yaml | sort -u); do
	grep -q "^| \`$i\` |" "$SRC/README.md" || continue
	for d in registre.md aipd.md note-cse.md; do
		grep -qF "\`$i\`" "$DPO/$d" || err "$d: indicator $i, used by etc/rules.d, is not named"
	done
done
# The kit's README lists every document.
for d in "${DOCS[@]}"; do
	[ "$d" = README.md ] || grep -qF "($d)" "$DPO/README.md" || err "README.md does not link to $d"
done
# The top-level README points to the kit.
grep -qF "contrib/dpo/" "$SRC/README.md" || err "../../README.md does not link to contrib/dpo/"

[ $errors -eq 0 ] || fail "$errors inconsistencies between contrib/dpo/ and the defaults"

# --- The product agrees with the floor the kit promises --------------------
mkdir -p "$T/rules.d"
printf 'database: %s\nrules: %s\nmin_headcount: %d\n' "$T/vigie.db" "$T/rules.d" $((FLOOR_MIN - 1)) >"$T/low.yaml"
expect_exit 78 "$VIGIED" --check -c "$T/low.yaml"
expect_grep "min_headcount" "$T/err"
printf 'database: %s\nrules: %s\nmin_headcount: %d\n' "$T/vigie.db" "$T/rules.d" "$FLOOR_MIN" >"$T/min.yaml"
expect_exit 0 "$VIGIED" --check -c "$T/min.yaml"

echo "contrib/dpo: ${#DOCS[@]} documents agree with the defaults"
