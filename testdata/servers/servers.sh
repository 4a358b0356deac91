#!/usr/bin/env bash
# Starts and stops real Dovecot (IMAP, POP3, LMTP) and Postfix (submission,
# SMTPS) servers on loopback addresses for integration tests.
#
# Packages (Debian 12), installed as root beforehand:
#   echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
#   DEBIAN_FRONTEND=noninteractive apt-get install -y dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix openssl
#
# Usage (as root):
#   bash testdata/servers/servers.sh start DIR   # DIR: absolute path, created
#   bash testdata/servers/servers.sh stop DIR    # idempotent
#
# After start, DIR/env holds KEY=VALUE lines (ports, hosts, CA files, ...).
# Environment:
#   POSTINO_TEST_PASSWORD   password of alice@example.test
#                           (default: correct horse battery staple)
#   POSTINO_TEST_PORT_BASE  use ports BASE..BASE+5 instead of searching for
#                           free ones
#
# Nothing outside DIR is written. Run as root, "postfix -c DIR/postfix" needs
# neither /etc/postfix/main.cf nor an alternate_config_directories entry
# there; those only matter to unprivileged and set-gid commands such as
# sendmail run by other users.
set -euo pipefail

readonly GOOD_HOST=127.0.0.1
readonly UNTRUSTED_HOST=127.0.0.2
readonly EXPIRED_HOST=127.0.0.3
readonly MAIL_USER=alice@example.test
readonly SERVER_NAME=mail.example.test
# Mail is stored as nobody: an existing unprivileged account, so no system
# user has to be created.
readonly MAIL_UID=65534 MAIL_GID=65534
readonly START_TIMEOUT=20

die() {
	echo "servers.sh: $*" >&2
	exit 1
}

usage() {
	die "usage: servers.sh start|stop DIR (DIR an absolute path)"
}

# pid_alive FILE COMM: prints the pid from FILE if that process still runs the
# program COMM (guards against a stale pid file whose pid was reused).
pid_alive() {
	local pid
	[[ -r $1 ]] || return 1
	pid=$(tr -d ' \n' <"$1")
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	[[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$2" ]] || return 1
	echo "$pid"
}

# stop_pid FILE COMM: terminates the process and waits for it to exit.
stop_pid() {
	local pid i
	pid=$(pid_alive "$1" "$2") || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------- certificates

# new_ca NAME CN: self-signed CA, NAME.pem and NAME.key.
new_ca() {
	openssl req -x509 -new -config "$pki/openssl.cnf" -extensions v3_ca \
		-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
		-subj "/O=postino test/CN=$2" -days 30 \
		-keyout "$pki/$1.key" -out "$DIR/$1.pem" 2>"$pki/$1.err" ||
		die "creating CA $1 failed: $(cat "$pki/$1.err")"
}

# new_leaf NAME CA SAN START END: server certificate NAME.pem/NAME.key signed
# by CA; START and END are openssl ca dates (YYYYMMDDHHMMSSZ). openssl ca is
# used because, unlike x509 -req in OpenSSL 3.0, it can set a notBefore in
# the past, which the expired certificate needs.
new_leaf() {
	local name=$1 ca=$2 san=$3 start=$4 end=$5
	openssl req -new -config "$pki/openssl.cnf" \
		-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
		-subj "/O=postino test/OU=$name/CN=$SERVER_NAME" \
		-keyout "$DIR/$name.key" -out "$pki/$name.csr" 2>"$pki/$name.err" ||
		die "creating key for $name failed: $(cat "$pki/$name.err")"
	cat >"$pki/$name.ext" <<EOF
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $san
EOF
	openssl ca -batch -notext -config "$pki/openssl.cnf" \
		-name "ca_$ca" -extfile "$pki/$name.ext" -md sha256 \
		-startdate "$start" -enddate "$end" \
		-in "$pki/$name.csr" -out "$DIR/$name.pem" 2>"$pki/$name.err" ||
		die "signing $name failed: $(cat "$pki/$name.err")"
	chmod 600 "$DIR/$name.key"
}

make_certs() {
	pki=$DIR/pki
	mkdir -p "$pki"
	local ca
	for ca in ca other-ca; do
		mkdir -p "$pki/$ca.certs"
		: >"$pki/$ca.index"
		openssl rand -hex 16 >"$pki/$ca.serial"
	done
	cat >"$pki/openssl.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
[dn]
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[policy]
organizationName = supplied
organizationalUnitName = optional
commonName = supplied
[ca_ca]
database = $pki/ca.index
serial = $pki/ca.serial
new_certs_dir = $pki/ca.certs
certificate = $DIR/ca.pem
private_key = $pki/ca.key
policy = policy
unique_subject = no
[ca_other-ca]
database = $pki/other-ca.index
serial = $pki/other-ca.serial
new_certs_dir = $pki/other-ca.certs
certificate = $DIR/other-ca.pem
private_key = $pki/other-ca.key
policy = policy
unique_subject = no
EOF
	new_ca ca "postino test CA"
	new_ca other-ca "postino untrusted test CA"

	local fmt=%Y%m%d%H%M%SZ yesterday next_year
	yesterday=$(date -u -d '1 day ago' +$fmt)
	next_year=$(date -u -d '1 year' +$fmt)
	new_leaf good ca "DNS:$SERVER_NAME,IP:$GOOD_HOST" "$yesterday" "$next_year"
	new_leaf untrusted other-ca "DNS:$SERVER_NAME,IP:$UNTRUSTED_HOST" "$yesterday" "$next_year"
	new_leaf expired ca "DNS:$SERVER_NAME,IP:$EXPIRED_HOST" \
		"$(date -u -d '2 years ago' +$fmt)" "$(date -u -d '1 year ago' +$fmt)"
}

# ----------------------------------------------------------------------- ports

port_in_use() {
	ss -Htln "sport = :$1" | grep -q .
}

# pick_ports: sets PORT_BASE so that PORT_BASE..PORT_BASE+5 are all free.
pick_ports() {
	local base p
	if [[ -n ${POSTINO_TEST_PORT_BASE:-} ]]; then
		[[ $POSTINO_TEST_PORT_BASE =~ ^[0-9]+$ ]] || die "POSTINO_TEST_PORT_BASE is not a number"
		base=$POSTINO_TEST_PORT_BASE
		for ((p = base; p < base + 6; p++)); do
			! port_in_use "$p" || die "port $p (from POSTINO_TEST_PORT_BASE) is already in use"
		done
		PORT_BASE=$base
		return
	fi
	for ((base = 20140; base < 30000; base += 10)); do
		for ((p = base; p < base + 6; p++)); do
			port_in_use "$p" && continue 2
		done
		PORT_BASE=$base
		return
	done
	die "no 6 consecutive free ports found between 20140 and 30000"
}

# --------------------------------------------------------------------- dovecot

write_dovecot_conf() {
	local run=$DIR/dovecot
	mkdir -p "$run/state" "$DIR/mail"
	chown "$MAIL_UID:$MAIL_GID" "$DIR/mail"
	chmod 700 "$DIR/mail"

	# A crypt hash keeps any password (even one with ':') safe in the
	# colon-separated passwd-file.
	local hash
	hash=$(printf '%s' "$PASSWORD" | openssl passwd -6 -stdin)
	printf '%s:{SHA512-CRYPT}%s:%d:%d::%s::\n' \
		"$MAIL_USER" "$hash" "$MAIL_UID" "$MAIL_GID" "$DIR/mail/$MAIL_USER" >"$run/users"
	chown root:dovecot "$run/users"
	chmod 640 "$run/users"

	cat >"$DIR/dovecot.conf" <<EOF
# Generated by servers.sh. Self-contained: nothing from /etc/dovecot is read.
protocols = imap pop3 lmtp
listen = $GOOD_HOST, $UNTRUSTED_HOST, $EXPIRED_HOST
base_dir = $run
state_dir = $run/state
instance_name = postino-test-$PORT_BASE
log_path = $DIR/dovecot.log

default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = $MAIL_UID
last_valid_uid = $MAIL_UID
first_valid_gid = $MAIL_GID
last_valid_gid = $MAIL_GID

ssl = yes
ssl_min_protocol = TLSv1.2
ssl_cert = <$DIR/good.pem
ssl_key = <$DIR/good.key
# Same ports, other certificate, chosen by the address the client connects to.
local $UNTRUSTED_HOST {
  ssl_cert = <$DIR/untrusted.pem
  ssl_key = <$DIR/untrusted.key
}
local $EXPIRED_HOST {
  ssl_cert = <$DIR/expired.pem
  ssl_key = <$DIR/expired.key
}

disable_plaintext_auth = yes
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=SHA512-CRYPT $run/users
}
userdb {
  driver = passwd-file
  args = $run/users
}
mail_location = maildir:~/Maildir

service imap-login {
  inet_listener imap {
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = $IMAPS_PORT
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = $POP3_PORT
  }
  inet_listener pop3s {
    port = $POP3S_PORT
    ssl = yes
  }
}
# Socket paths are relative to base_dir; Postfix (as user postfix) uses both.
service auth {
  unix_listener auth-postfix {
    mode = 0660
    user = postfix
    group = postfix
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0660
    user = postfix
    group = postfix
  }
}
EOF
}

# --------------------------------------------------------------------- postfix

write_postfix_conf() {
	local conf=$DIR/postfix
	mkdir -p "$conf"
	# The queue directory must be owned by root; Postfix creates its
	# subdirectories with the right owners on start.
	mkdir -p "$DIR/postfix-queue"
	chmod 755 "$DIR/postfix-queue"

	cat >"$conf/main.cf" <<EOF
# Generated by servers.sh.
compatibility_level = 3.6
queue_directory = $DIR/postfix-queue
data_directory = $DIR/postfix-data
maillog_file = $DIR/postfix.log
# Postfix refuses (silently) to log to a file outside these prefixes.
maillog_file_prefixes = $DIR
myhostname = $SERVER_NAME
mydomain = example.test
myorigin = \$mydomain
mydestination =
inet_interfaces = $GOOD_HOST
inet_protocols = ipv4
mynetworks = $GOOD_HOST/32
alias_maps =
alias_database =
biff = no

# Mail for example.test goes to Dovecot over LMTP; nothing leaves the host.
virtual_mailbox_domains = example.test
virtual_mailbox_maps = inline:{ $MAIL_USER=$MAIL_USER }
virtual_transport = lmtp:unix:$DIR/dovecot/lmtp
default_transport = error:outbound mail is disabled in tests
relay_transport = error:outbound mail is disabled in tests

smtpd_tls_chain_files = $DIR/good.key, $DIR/good.pem
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_sasl_type = dovecot
smtpd_sasl_path = $DIR/dovecot/auth-postfix
smtpd_relay_restrictions = permit_sasl_authenticated, reject
EOF

	# Chroot is off everywhere ("n" in column 5) so that absolute socket
	# paths work unchanged.
	cat >"$conf/master.cf" <<EOF
# Generated by servers.sh.
# service   type  private unpriv chroot wakeup maxproc command
$GOOD_HOST:$SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
$GOOD_HOST:$SMTPS_PORT inet n - n - - smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
pickup     unix  n - n 60 1 pickup
cleanup    unix  n - n -  0 cleanup
qmgr       unix  n - n 300 1 qmgr
tlsmgr     unix  - - n 1000? 1 tlsmgr
rewrite    unix  - - n -  - trivial-rewrite
bounce     unix  - - n -  0 bounce
defer      unix  - - n -  0 bounce
trace      unix  - - n -  0 bounce
verify     unix  - - n -  1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -  - proxymap
proxywrite unix  - - n -  1 proxymap
smtp       unix  - - n -  - smtp
relay      unix  - - n -  - smtp
showq      unix  n - n -  - showq
error      unix  - - n -  - error
retry      unix  - - n -  - error
discard    unix  - - n -  - discard
lmtp       unix  - - n -  - lmtp
anvil      unix  - - n -  1 anvil
scache     unix  - - n -  1 scache
# Needed for maillog_file.
postlog    unix-dgram n - n - 1 postlogd
EOF
}

# ------------------------------------------------------------------ start/stop

# wait_ports: waits until every listener accepts connections.
wait_ports() {
	local deadline=$((SECONDS + START_TIMEOUT)) hp pending
	local -a targets=()
	for hp in $GOOD_HOST $UNTRUSTED_HOST $EXPIRED_HOST; do
		targets+=("$hp:$IMAP_PORT" "$hp:$IMAPS_PORT" "$hp:$POP3_PORT" "$hp:$POP3S_PORT")
	done
	targets+=("$GOOD_HOST:$SUBMISSION_PORT" "$GOOD_HOST:$SMTPS_PORT")
	while :; do
		pending=()
		for hp in "${targets[@]}"; do
			timeout 1 bash -c ": </dev/tcp/${hp%:*}/${hp#*:}" 2>/dev/null || pending+=("$hp")
		done
		((${#pending[@]} == 0)) && return 0
		if ((SECONDS >= deadline)); then
			echo "servers.sh: not listening after ${START_TIMEOUT}s: ${pending[*]}" >&2
			return 1
		fi
		sleep 0.2
	done
}

show_logs() {
	local f
	for f in "$DIR/dovecot.log" "$DIR/postfix.log" "$DIR/postfix-start.log"; do
		[[ -s $f ]] || continue
		echo "---- tail of $f" >&2
		tail -n 20 "$f" >&2
	done
}

# fail MESSAGE: shows the logs, stops whatever did start, and exits.
fail() {
	show_logs
	stop
	die "$1"
}

write_env() {
	local fp
	fp=$(openssl x509 -in "$DIR/untrusted.pem" -outform DER | sha256sum)
	cat >"$DIR/env.tmp" <<EOF
CA_FILE=$DIR/ca.pem
OTHER_CA_FILE=$DIR/other-ca.pem
USER=$MAIL_USER
SERVER_NAME=$SERVER_NAME
GOOD_HOST=$GOOD_HOST
UNTRUSTED_HOST=$UNTRUSTED_HOST
EXPIRED_HOST=$EXPIRED_HOST
IMAP_PORT=$IMAP_PORT
IMAPS_PORT=$IMAPS_PORT
POP3_PORT=$POP3_PORT
POP3S_PORT=$POP3S_PORT
SUBMISSION_PORT=$SUBMISSION_PORT
SMTPS_PORT=$SMTPS_PORT
UNTRUSTED_SHA256=${fp%% *}
MAILDIR=$DIR/mail/$MAIL_USER/Maildir
EOF
	mv "$DIR/env.tmp" "$DIR/env"
}

start() {
	[[ $(id -u) == 0 ]] || die "must run as root (Postfix and Dovecot start as root)"
	if pid_alive "$DIR/dovecot/master.pid" dovecot >/dev/null ||
		pid_alive "$DIR/postfix-queue/pid/master.pid" master >/dev/null; then
		die "servers already running in $DIR; run stop first"
	fi
	PASSWORD=${POSTINO_TEST_PASSWORD:-correct horse battery staple}

	# Leftovers of an earlier run would mix old and new certificates, but
	# only a directory this script made may be emptied.
	if [[ -d $DIR && ! -e $DIR/.servers ]] && [[ -n $(ls -A "$DIR") ]]; then
		die "$DIR is not empty and was not made by servers.sh"
	fi
	mkdir -p "$DIR"
	find "$DIR" -mindepth 1 -delete
	: >"$DIR/.servers"
	# The postfix, dovecot and nobody users must reach files in DIR.
	chmod 755 "$DIR"
	local d=$DIR
	while [[ $d != / ]]; do
		d=$(dirname "$d")
		[[ $(stat -c %A "$d") == ?????????[xt] ]] ||
			die "$d is not searchable by other users; Postfix and Dovecot could not reach $DIR"
	done

	pick_ports
	IMAP_PORT=$PORT_BASE
	IMAPS_PORT=$((PORT_BASE + 1))
	POP3_PORT=$((PORT_BASE + 2))
	POP3S_PORT=$((PORT_BASE + 3))
	SUBMISSION_PORT=$((PORT_BASE + 4))
	SMTPS_PORT=$((PORT_BASE + 5))

	make_certs
	write_dovecot_conf
	write_postfix_conf

	dovecot -c "$DIR/dovecot.conf" 2>>"$DIR/dovecot.log" ||
		fail "dovecot failed to start"
	postfix -c "$DIR/postfix" start >"$DIR/postfix-start.log" 2>&1 ||
		fail "postfix failed to start (try: postfix -c $DIR/postfix check)"
	wait_ports || fail "servers did not come up"
	write_env
}

stop() {
	stop_pid "$DIR/postfix-queue/pid/master.pid" master
	stop_pid "$DIR/dovecot/master.pid" dovecot
}

[[ $# == 2 && $2 == /* ]] || usage
# Postfix splits list values on whitespace and commas, so keep paths plain.
[[ $2 =~ ^/[A-Za-z0-9._/-]+$ ]] || die "DIR may only contain letters, digits and ._/-"
DIR=${2%/}
case $1 in
start) start ;;
stop) stop ;;
*) usage ;;
esac
