# Shared by the t_notify_*.sh tests (sourced after lib.sh): TLS material,
# the SMTP and webhook test servers, a small data set with two units in two
# scopes, and a configuration that routes them.

# notify_certs: a CA and a server certificate for 127.0.0.1/localhost in
# $T/tls (ca.pem, server.pem, server.key), plus an unrelated CA (other-ca.pem).
notify_certs() {
	local d="$T/tls"
	mkdir -p "$d"
	(
		cd "$d" || exit 1
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Vigie test CA" \
			-keyout ca.key -out ca.pem
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Other CA" \
			-keyout other-ca.key -out other-ca.pem
		openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
			-keyout server.key -out server.csr
		printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' >ext.cnf
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
			-days 2 -extfile ext.cnf -out server.pem
	) >"$T/openssl.log" 2>&1 || { cat "$T/openssl.log"; fail "openssl could not make certificates"; }
}

# web_mail: a plain SMTP server on a free port saving to $T/mail, and the
# web configuration's smtp (lib.sh, url port 9) pointed at it.
web_mail() {
	local port
	port=$(free_port)
	mkdir -p "$T/mail"
	notify_smtpd "$T/mail" "$port"
	sed -i "s|url: smtp://127.0.0.1:9|url: smtp://127.0.0.1:$port\n  starttls: none|" "$T/vigie.yaml"
}

# notify_site_routes: a plain SMTP server on a free port ($sport) saving
# to $T/mail, and a configuration whose social-worker route gives acme/n
# and below to marie@, every other unit to service@.
notify_site_routes() {
	sport=$(free_port)
	mkdir -p "$T/mail"
	notify_smtpd "$T/mail" "$sport"
	make_config "$(smtp_plain "$sport")
recipients:
  social-worker:
    - scope: [\"acme/n/**\"]
      email: [marie@example.org]
    - email: [service@example.org]"
}

# mail_show FILE flat|parts: the email's subject, then its text part on
# one line (flat: no-break spaces as spaces, narrow ones kept), or its
# text part as sent and its HTML part (parts).
mail_show() {
	$PY - "$1" "$2" <<'PY'
import email, email.policy, re, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print(m["Subject"])
if sys.argv[2] == "flat":
    print(re.sub(r"[ \t\r\n\u00a0]+", " ", m.get_body(preferencelist=("plain",)).get_content()))
else:
    for k in ("plain", "html"):
        print(m.get_body(preferencelist=(k,)).get_content())
PY
}

# notify_smtpd DIR PORT [ARGS...]: starts the SMTP server; sets SMTPD_PID.
notify_smtpd() {
	local dir=$1 port=$2; shift 2
	rm -f "$dir/ready"
	$PY "$SRC/tests/integration/notify_smtpd.py" --port "$port" --dir "$dir" "$@" \
		>>"$T/smtpd.log" 2>&1 &
	SMTPD_PID=$!
	PIDS+=("$SMTPD_PID")
	wait_for test -e "$dir/ready" || { cat "$T/smtpd.log"; fail "SMTP server did not start"; }
}

# smtp_plain PORT: the smtp: section for notify_smtpd's server, plain on
# loopback, for make_config's YAML.
smtp_plain() {
	printf 'smtp:\n  url: smtp://127.0.0.1:%s\n  starttls: none\n  from: vigie@example.org\n  timeout: 5s' "$1"
}

# notify_smtpd_tls DIR PORT [ARGS...]: same, with STARTTLS and AUTH required.
notify_smtpd_tls() {
	local dir=$1 port=$2; shift 2
	notify_smtpd "$dir" "$port" --cert "$T/tls/server.pem" --key "$T/tls/server.key" \
		--user vigie --password 'pa ss;wörd' "$@"
}

# notify_stop PID: stops one server and waits for it.
notify_stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; return 0; }

# notify_webhook LOG PORT [ARGS...]: starts the webhook receiver; sets HOOK_PID.
notify_webhook() {
	local log=$1 port=$2; shift 2
	rm -f "$log.ready"
	$PY "$SRC/tests/integration/notify_webhook.py" --port "$port" --log "$log" "$@" \
		>>"$T/webhook.log" 2>&1 &
	HOOK_PID=$!
	PIDS+=("$HOOK_PID")
	wait_for test -e "$log.ready" || { cat "$T/webhook.log"; fail "webhook receiver did not start"; }
}

# notify_password: the SMTP password file, mode 0600.
notify_password() {
	printf '%s\n' 'pa ss;wörd' >"$T/smtp.password"
	chmod 600 "$T/smtp.password"
}

# notify_data: one rule, and data where acme/nancy/logistique is critical and
# acme/metz/accueil is in warning at 2026-02.
notify_data() {
	mkdir -p "$T/rules.d"
	cat >"$T/rules.d/conflicts.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Conflits répétés : équipe à soutenir"
    value: conflicts
    above: { warning: 2, critical: 5 }
    scope: "acme/*/*"
    notify: [social-worker, hr]
    summary: "{{value}} conflits signalés en {{period}} ({{unit}})"
    guidance: "Proposer une médiation ; rencontrer le manager."
    labels: { team: rps }
YAML
	cat >"$T/data.csv" <<'CSV'
unit,period,headcount,conflicts
acme/nancy/logistique,2026-01,20,1
acme/nancy/logistique,2026-02,20,6
acme/metz/accueil,2026-01,12,0
acme/metz/accueil,2026-02,12,3
CSV
}

# notify_config SMTP_PORT HOOK_PORT [EXTRA_YAML]: configuration with SMTP
# over STARTTLS with AUTH, one signed generic webhook, and two roles.
notify_config() {
	local smtp_port=$1 hook_port=$2
	printf 'whsec_%s\n' "$(printf 'vigie-test-secret-key-32-bytes!!' | base64)" >"$T/hook.secret"
	chmod 600 "$T/hook.secret"
	make_config "smtp:
  url: smtp://127.0.0.1:$smtp_port
  username: vigie
  password_file: $T/smtp.password
  from: vigie@example.org
  ca_file: $T/tls/ca.pem
  timeout: 5s
webhooks:
  hr-hook:
    url: http://127.0.0.1:$hook_port/hook
    secret_file: $T/hook.secret
    timeout: 5s
recipients:
  social-worker:
    - scope: \"acme/nancy/**\"
      email: [marie.martin@example.org]
    - email: [service-social@example.org]
  hr:
    - email: [drh@example.org]
      webhook: [hr-hook]
${3:-}"
}
# report_config FILE DATABASE SMTP_PORT [EXTRA_YAML]: the configuration
# of the tests of the scheduled works council report: rules in $T/rules.d,
# the quarterly report mailed to HR through the plain SMTP server on
# SMTP_PORT.
report_config() {
	cat >"$1" <<YAML
database: $2
rules: $T/rules.d
smtp:
  url: smtp://127.0.0.1:$3
  starttls: none
  from: vigie@example.org
  timeout: 10s
recipients:
  hr:
    - email: [drh@example.org]
report:
  every: quarter
  to: [hr]
${4:-}
YAML
}
notify_secret() { printf 'whsec_%s' "$(printf 'vigie-test-secret-key-32-bytes!!' | base64)"; }

# notify_count DIR: number of messages the SMTP server received.
notify_count() { ls "$1" 2>/dev/null | grep -c '\.eml$'; }

# notify_sql QUERY: one value from the database.
notify_sql() { sqlite3 "$T/vigie.db" "$1"; }
