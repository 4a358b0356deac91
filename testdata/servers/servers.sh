#!/usr/bin/env bash
# Starts and stops real Dovecot (IMAP, POP3, LMTP) and Postfix (submission,
# SMTPS) servers on loopback addresses for integration tests.
#
# Packages (Debian 12), installed as root beforehand:
#   echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
#   DEBIAN_FRONTEND=noninteractive apt-get install -y dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix openssl iproute2
# (the same list is in packages.txt beside this script; iproute2 gives ss).
#
# Usage (as root):
#   bash testdata/servers/servers.sh start DIR   # DIR: absolute path
#   bash testdata/servers/servers.sh stop DIR    # safe to repeat
#
# start (re)creates DIR, starts both servers and writes DIR/env, KEY=VALUE
# lines to source. Every port listens on every host below; the host picks the
# TLS certificate:
#   GOOD_HOST       127.0.0.1  "good", signed by CA_FILE
#   UNTRUSTED_HOST  127.0.0.2  "untrusted", signed by OTHER_CA_FILE
#   EXPIRED_HOST    127.0.0.3  "expired", signed by CA_FILE, expired a year ago
#   STRICT_HOST     127.0.0.4  "good" again, for checks of plaintext login.
# Dovecot treats a connection whose client and server addresses are equal as
# secure and then allows login before STARTTLS (no LOGINDISABLED). Loopback
# clients connect from 127.0.0.1, so on GOOD_HOST Dovecot accepts a plaintext
# login; on the other hosts it refuses it. Postfix refuses it everywhere.
#
# Dovecot also takes OAuth2 bearer tokens (XOAUTH2, OAUTHBEARER, offered by
# Postfix too through Dovecot's SASL) for OAUTH_USER, and asks the
# authorization server whether a token is active at its introspection
# endpoint. That server is not started here: a test starts it (signintest)
# on GOOD_HOST:OAUTH_PORT with OAUTH_CERT_FILE and OAUTH_KEY_FILE, signed by
# CA_FILE, and takes introspection requests authenticated (HTTP basic) as
# client OAUTH_CLIENT_ID with secret OAUTH_CLIENT_SECRET. Only one process
# at a time can listen there. The env keys for it:
#   OAUTH_USER           alice@oauth.test, whose tokens Dovecot checks
#   OAUTH_PORT           the port the authorization server must listen on
#   OAUTH_CERT_FILE      its certificate (for 127.0.0.1), signed by CA_FILE
#   OAUTH_KEY_FILE       its key
#   OAUTH_CLIENT_ID      the client Dovecot introspects as
#   OAUTH_CLIENT_SECRET  its secret
#   OAUTH_INTROSPECTION_PATH  the path Dovecot posts tokens to
# Environment:
#   POSTINO_TEST_PASSWORD   password of alice@example.test
#                           (default: correct horse battery staple)
#   POSTINO_TEST_PORT_BASE  use ports BASE..BASE+6 instead of searching for
#                           free ones (BASE+6 is OAUTH_PORT)
#
# Nothing outside DIR is written. Run as root, "postfix -c DIR/postfix" needs
# neither /etc/postfix/main.cf nor an alternate_config_directories entry
# there; those only matter to unprivileged and set-gid commands (sendmail run
# by another user).
set -euo pipefail
# The servers' unprivileged users read some of the files made here.
umask 022

readonly GOOD_HOST=127.0.0.1
readonly UNTRUSTED_HOST=127.0.0.2
readonly EXPIRED_HOST=127.0.0.3
readonly STRICT_HOST=127.0.0.4
readonly HOSTS=("$GOOD_HOST" "$UNTRUSTED_HOST" "$EXPIRED_HOST" "$STRICT_HOST")
declare -rA CERT_OF=(
	["$GOOD_HOST"]=good
	["$UNTRUSTED_HOST"]=untrusted
	["$EXPIRED_HOST"]=expired
	["$STRICT_HOST"]=good
)
readonly MAIL_USER=alice@example.test
readonly OAUTH_USER=alice@oauth.test
readonly OAUTH_CLIENT_ID=dovecot
# zitadel's op serves introspection here.
readonly OAUTH_INTROSPECTION_PATH=/oauth/introspect
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

# ---------------------------------------------------------------- certificates

# new_ca NAME CN: self-signed CA, DIR/NAME.pem with its key in DIR/pki.
new_ca() {
	openssl req -x509 -new -config "$pki/openssl.cnf" -extensions v3_ca \
		-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
		-subj "/O=postino test/CN=$2" -days 30 \
		-keyout "$pki/$1.key" -out "$DIR/$1.pem" 2>"$pki/$1.err" ||
		die "creating CA $1 failed: $(cat "$pki/$1.err")"
}

# new_leaf NAME CA SAN START END: server certificate DIR/NAME.pem and key
# DIR/NAME.key signed by CA; START and END are YYYYMMDDHHMMSSZ. openssl ca is
# used because, unlike x509 -req in OpenSSL 3.0, it can set a notBefore in
# the past, which the expired certificate needs.
new_leaf() {
	local name=$1 ca=$2 san=$3 start=$4 end=$5
	openssl req -new -config "$pki/openssl.cnf" \
		-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
		-subj "/O=postino test/OU=$name/CN=$SERVER_NAME" \
		-keyout "$DIR/$name.key" -out "$pki/$name.csr" 2>"$pki/$name.err" ||
		die "creating key for $name failed: $(cat "$pki/$name.err")"
	chmod 600 "$DIR/$name.key"
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
	# No "localhost" anywhere: connecting by that name must give a name
	# mismatch.
	new_leaf good ca "DNS:$SERVER_NAME,IP:$GOOD_HOST,IP:$STRICT_HOST" \
		"$yesterday" "$next_year"
	new_leaf untrusted other-ca "DNS:$SERVER_NAME,IP:$UNTRUSTED_HOST" \
		"$yesterday" "$next_year"
	new_leaf oauth ca "IP:$GOOD_HOST" "$yesterday" "$next_year"
	new_leaf expired ca "DNS:$SERVER_NAME,IP:$EXPIRED_HOST" \
		"$(date -u -d '2 years ago' +$fmt)" "$(date -u -d '1 year ago' +$fmt)"
}

# ----------------------------------------------------------------------- ports

port_in_use() {
	ss -Htln "sport = :$1" | grep -q .
}

# pick_ports: sets PORT_BASE so that PORT_BASE..PORT_BASE+6 are all free.
pick_ports() {
	local base p
	if [[ -n ${POSTINO_TEST_PORT_BASE:-} ]]; then
		[[ $POSTINO_TEST_PORT_BASE =~ ^[0-9]+$ ]] ||
			die "POSTINO_TEST_PORT_BASE is not a number"
		base=$POSTINO_TEST_PORT_BASE
		for ((p = base; p < base + 7; p++)); do
			! port_in_use "$p" || die "port $p (from POSTINO_TEST_PORT_BASE) is in use"
		done
		PORT_BASE=$base
		return
	fi
	for ((base = 20140; base < 30000; base += 10)); do
		for ((p = base; p < base + 7; p++)); do
			port_in_use "$p" && continue 2
		done
		PORT_BASE=$base
		return
	done
	die "no 7 consecutive free ports found between 20140 and 30000"
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
	# OAUTH_USER has no password here: only the oauth2 passdb knows it.
	printf '%s::%d:%d::%s::\n' \
		"$OAUTH_USER" "$MAIL_UID" "$MAIL_GID" "$DIR/mail/$OAUTH_USER" >"$run/oauth-users"
	# The oauth2 passdb's settings carry the client secret.
	cat >"$run/oauth2.conf" <<EOF
introspection_mode = post
introspection_url = https://$OAUTH_CLIENT_ID:$OAUTH_CLIENT_SECRET@$GOOD_HOST:$OAUTH_PORT$OAUTH_INTROSPECTION_PATH
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
tls_ca_cert_file = $DIR/ca.pem
EOF
	# Read by the auth process, which runs as default_internal_user.
	chown root:dovecot "$run/users" "$run/oauth-users" "$run/oauth2.conf"
	chmod 640 "$run/users" "$run/oauth-users" "$run/oauth2.conf"

	local listen host cert
	listen=$(IFS=,; echo "${HOSTS[*]}")
	{
		cat <<EOF
# Generated by servers.sh. Self-contained: nothing from /etc/dovecot is read.
protocols = imap pop3 lmtp
listen = $listen
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
EOF
		# Same ports, other certificate, chosen by the address the client
		# connected to.
		for host in "${HOSTS[@]}"; do
			cert=${CERT_OF[$host]}
			[[ $cert != good ]] || continue
			printf 'local %s {\n  ssl_cert = <%s\n  ssl_key = <%s\n}\n' \
				"$host" "$DIR/$cert.pem" "$DIR/$cert.key"
		done
		cat <<EOF

disable_plaintext_auth = yes
auth_mechanisms = plain login xoauth2 oauthbearer
# Answer wrong passwords at once: tests try them on purpose.
auth_failure_delay = 0
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=SHA512-CRYPT $run/users
}
# Bearer tokens, checked at the authorization server a test starts.
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $run/oauth2.conf
}
userdb {
  driver = passwd-file
  args = $run/users
}
userdb {
  driver = passwd-file
  args = $run/oauth-users
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
# Without this, each failed login from 127.0.0.1 delays the following ones,
# right or wrong, by up to 15 s. With mode 0 the auth process, which is not
# root, cannot reach anvil's penalty socket and so applies no penalty.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
EOF
	} >"$DIR/dovecot.conf"
}

# --------------------------------------------------------------------- postfix

write_postfix_conf() {
	local conf=$DIR/postfix host cert
	mkdir -p "$conf"
	# Root-owned; Postfix creates the subdirectories with the right owners.
	mkdir -p "$DIR/postfix-queue"
	chmod 755 "$DIR/postfix-queue"

	cat >"$conf/main.cf" <<EOF
# Generated by servers.sh.
compatibility_level = 3.6
queue_directory = $DIR/postfix-queue
data_directory = $DIR/postfix-data
maillog_file = $DIR/postfix.log
# Postfix will not start (and says nothing) if maillog_file is outside these.
maillog_file_prefixes = $DIR
myhostname = $SERVER_NAME
mydomain = example.test
myorigin = \$mydomain
mydestination =
# Only addresses configured on an interface are accepted here, and on lo
# that is 127.0.0.1 alone; master.cf binds the other hosts as host:port.
inet_interfaces = $GOOD_HOST
inet_protocols = ipv4
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

	# Chroot is off everywhere (the fifth column) so that the absolute socket
	# paths above work unchanged.
	{
		echo "# Generated by servers.sh."
		echo "# service type private unpriv chroot wakeup maxproc command"
		for host in "${HOSTS[@]}"; do
			cert=${CERT_OF[$host]}
			cat <<EOF
$host:$SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_chain_files=$DIR/$cert.key,$DIR/$cert.pem
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
$host:$SMTPS_PORT inet n - n - - smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_chain_files=$DIR/$cert.key,$DIR/$cert.pem
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
EOF
		done
		cat <<EOF
pickup     unix  n - n 60    1 pickup
cleanup    unix  n - n -     0 cleanup
qmgr       unix  n - n 300   1 qmgr
tlsmgr     unix  - - n 1000? 1 tlsmgr
rewrite    unix  - - n -     - trivial-rewrite
bounce     unix  - - n -     0 bounce
defer      unix  - - n -     0 bounce
trace      unix  - - n -     0 bounce
verify     unix  - - n -     1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -     - proxymap
proxywrite unix  - - n -     1 proxymap
smtp       unix  - - n -     - smtp
relay      unix  - - n -     - smtp
showq      unix  n - n -     - showq
error      unix  - - n -     - error
retry      unix  - - n -     - error
discard    unix  - - n -     - discard
lmtp       unix  - - n -     - lmtp
anvil      unix  - - n -     1 anvil
scache     unix  - - n -     1 scache
# Needed for maillog_file.
postlog    unix-dgram n - n - 1 postlogd
EOF
	} >"$conf/master.cf"
}

# ------------------------------------------------------------------ start/stop

# wait_ports: waits until every host:port is listening, so connections are
# accepted from then on. Looking at the sockets instead of connecting keeps
# aborted probes out of the server logs.
wait_ports() {
	local deadline=$((SECONDS + START_TIMEOUT)) host port listening
	local -a pending
	while :; do
		listening=$(ss -Htln)
		pending=()
		for host in "${HOSTS[@]}"; do
			for ((port = PORT_BASE; port < PORT_BASE + 6; port++)); do
				grep -qF " $host:$port " <<<"$listening" || pending+=("$host:$port")
			done
		done
		((${#pending[@]} == 0)) && return 0
		if ((SECONDS >= deadline)); then
			echo "servers.sh: not listening after ${START_TIMEOUT}s: ${pending[*]}" >&2
			return 1
		fi
		sleep 0.1
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
STRICT_HOST=$STRICT_HOST
IMAP_PORT=$IMAP_PORT
IMAPS_PORT=$IMAPS_PORT
POP3_PORT=$POP3_PORT
POP3S_PORT=$POP3S_PORT
SUBMISSION_PORT=$SUBMISSION_PORT
SMTPS_PORT=$SMTPS_PORT
UNTRUSTED_SHA256=${fp%% *}
MAILDIR=$DIR/mail/$MAIL_USER/Maildir
OAUTH_USER=$OAUTH_USER
OAUTH_PORT=$OAUTH_PORT
OAUTH_CERT_FILE=$DIR/oauth.pem
OAUTH_KEY_FILE=$DIR/oauth.key
OAUTH_CLIENT_ID=$OAUTH_CLIENT_ID
OAUTH_CLIENT_SECRET=$OAUTH_CLIENT_SECRET
OAUTH_INTROSPECTION_PATH=$OAUTH_INTROSPECTION_PATH
EOF
	# Readers never see a half-written file.
	mv "$DIR/env.tmp" "$DIR/env"
}

start() {
	[[ $(id -u) == 0 ]] || die "must run as root (Postfix and Dovecot start as root)"
	PASSWORD=${POSTINO_TEST_PASSWORD:-correct horse battery staple}

	# Only a directory this script made may be emptied; leftovers of an
	# earlier run would mix old and new certificates.
	if [[ -d $DIR && ! -e $DIR/.servers ]] && [[ -n $(ls -A "$DIR") ]]; then
		die "$DIR is not empty and was not made by servers.sh"
	fi
	stop
	mkdir -p "$DIR"
	find "$DIR" -mindepth 1 -delete
	: >"$DIR/.servers"
	# The postfix, dovecot and nobody users must reach files in DIR.
	chmod 755 "$DIR"
	local d=$DIR
	while [[ $d != / ]]; do
		d=$(dirname "$d")
		[[ $(stat -c %A "$d") == ?????????[xt] ]] ||
			die "$d is not searchable by other users, so the servers cannot reach $DIR"
	done

	pick_ports
	IMAP_PORT=$PORT_BASE
	IMAPS_PORT=$((PORT_BASE + 1))
	POP3_PORT=$((PORT_BASE + 2))
	POP3S_PORT=$((PORT_BASE + 3))
	SUBMISSION_PORT=$((PORT_BASE + 4))
	SMTPS_PORT=$((PORT_BASE + 5))
	# Not listened on by the servers: the authorization server's.
	OAUTH_PORT=$((PORT_BASE + 6))
	OAUTH_CLIENT_SECRET=$(openssl rand -hex 16)

	make_certs
	write_dovecot_conf
	write_postfix_conf

	dovecot -c "$DIR/dovecot.conf" 2>>"$DIR/dovecot.log" ||
		fail "dovecot failed to start"
	# postfix(1) reports errors on stderr only when that is a terminal,
	# otherwise to syslog, which may not exist: give it a pseudo-terminal.
	script -qec "postfix -c $DIR/postfix start" /dev/null </dev/null 2>&1 |
		tr -d '\r' >"$DIR/postfix-start.log" ||
		fail "postfix failed to start"
	wait_ports || fail "servers did not come up"
	write_env
}

# stop: ends both masters, which take their children with them, and waits
# until they are gone. Both are signalled at once since each takes a few
# seconds.
stop() {
	local pid i
	local -a pids=()
	pid=$(pid_alive "$DIR/postfix-queue/pid/master.pid" master) && pids+=("$pid")
	pid=$(pid_alive "$DIR/dovecot/master.pid" dovecot) && pids+=("$pid")
	((${#pids[@]})) || return 0
	kill -TERM "${pids[@]}" 2>/dev/null || true
	for ((i = 0; i < 150; i++)); do
		kill -0 "${pids[@]}" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "${pids[@]}" 2>/dev/null || true
}

[[ $# == 2 ]] || usage
# Postfix splits list values on whitespace and commas, so keep paths plain.
[[ $2 =~ ^/[A-Za-z0-9._/-]*[A-Za-z0-9._-]$ ]] ||
	die "DIR must be an absolute path of letters, digits and ._/- (not /)"
DIR=$2
case $1 in
start) start ;;
stop) stop ;;
*) usage ;;
esac
