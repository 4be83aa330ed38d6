#!/bin/sh
# Installs Vigie's missing build and test dependencies on Debian 12 with
# apt-get when run as root; otherwise prints the exact command to run.
# Called by make before anything is compiled: with everything installed it
# costs one dpkg-query.
set -eu
PKGS="build-essential pkg-config libyaml-dev libsqlite3-dev libcurl4-openssl-dev
libsystemd-dev libjansson-dev libssl-dev libcriterion-dev sqlite3 openssl
python3 python3-aiosmtpd python3-yaml curl clang libclang-rt-14-dev man-db groff-base
mandoc prometheus-alertmanager prometheus libmicrohttpd-dev libcrypt-dev
chromium chromium-driver python3-selenium wrk libcairo2-dev fonts-dejavu-core
poppler-utils qpdf"
installed=$(dpkg-query -W -f='${Package} ${Status}\n' $PKGS 2>/dev/null |
	awk '$NF == "installed" { print $1 }') || true
missing=""
for p in $PKGS; do
	echo "$installed" | grep -qx "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "vigie: missing build dependencies; run as root:" >&2
	echo "  apt-get update && $cmd" >&2
	exit 1
fi
echo "vigie: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
$cmd >/dev/null
# prometheus and its alertmanager start system services where systemd runs; the
# tests start their own instance on a free port.
case $missing in *prometheus*)
	systemctl disable --now prometheus-alertmanager prometheus >/dev/null 2>&1 || true;;
esac
