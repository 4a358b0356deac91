package probe

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/postino/postino/probe/probetest"
)

// These tests play the client-side attacks of "Why TLS is better without
// STARTTLS" (USENIX Security 2021) and other hostile servers against the
// probe, and check in every case that the password never crosses in the
// clear nor reaches a trace, an error or a JSON result.

// hostilePassword is distinctive, and not ASCII so that IMAP must send it
// as a literal.
const hostilePassword = "s3cret-Pässword!"

// hostileEnv is what the tests of one top-level function share: a CA the
// probe trusts and a certificate from it for 127.0.0.1.
type hostileEnv struct {
	ca   *probetest.CA
	cert tls.Certificate
	good *tls.Config
}

func newHostileEnv(t *testing.T) *hostileEnv {
	ca := probetest.NewCA(t, "Postino Hostile Test")
	cert := ca.Issue(t, []string{"127.0.0.1"}, time.Time{}, time.Time{})
	return &hostileEnv{ca: ca, cert: cert, good: serverTLS(cert)}
}

// passwordPath is where a case's password is meant to go.
type passwordPath int

const (
	notSent     passwordPath = iota // never to the server
	sentInTLS                       // to the server, inside TLS only
	sentInClear                     // in the clear, as AllowCleartext permits
)

// hostileCase is one server misbehaving, and what the probe must make of it.
type hostileCase struct {
	proto    Protocol
	name     string
	security Security // StartTLS when empty
	dialog   dialog   // the server, unless script is set
	script   func(*scriptConn)
	tls      *tls.Config // the server's TLS, implicit or after STARTTLS; env.good when nil
	rawTCP   bool        // the server never speaks TLS, whatever the probe expects
	implicit bool        // the server speaks TLS from the first byte, whatever the probe expects
	opts     func(*Options)
	want     Code
	password passwordPath
	check    func(t *testing.T, r Result, plain, secure []byte)
}

// runHostile runs each case as a parallel subtest named "imap/case".
func runHostile(t *testing.T, env *hostileEnv, cases []hostileCase) {
	t.Helper()
	for _, hc := range cases {
		t.Run(string(hc.proto)+"/"+hc.name, func(t *testing.T) {
			t.Parallel()
			env.probe(t, hc)
		})
	}
}

// probe runs one case and returns the probe's trace.
func (env *hostileEnv) probe(t *testing.T, hc hostileCase) string {
	t.Helper()
	script := hc.script
	if script == nil {
		script = hc.dialog.script(hc.proto)
	}
	security := hc.security
	if security == "" {
		security = StartTLS
	}
	serverConf := hc.tls
	if serverConf == nil {
		serverConf = env.good
	}
	var implicit *tls.Config
	if security == TLS && !hc.rawTCP || hc.implicit {
		implicit = serverConf
	}
	srv := startScriptServer(t, script, implicit, serverConf)

	var trace bytes.Buffer
	opts := &Options{Password: hostilePassword, RootCAs: env.ca.Pool, Timeout: 10 * time.Second, Trace: &trace}
	if hc.opts != nil {
		hc.opts(opts)
	}
	r := Test(context.Background(), srv.server(hc.proto, security), opts)
	srv.wait()
	plain, secure := srv.received()

	if r.Code != hc.want {
		t.Fatalf("Test() code = %v, want %v; failure: %v\ntrace:\n%s", r.Code, hc.want, r.Failure, trace.String())
	}
	if r.OK != (hc.want == CodeOK) {
		t.Errorf("Test() OK = %v with code %v", r.OK, r.Code)
	}
	checkNoLeak(t, r, trace.String())
	switch hc.password {
	case notSent:
		if leaks(plain) || leaks(secure) {
			t.Errorf("the server received the password; it should not have been sent at all")
		}
	case sentInTLS:
		if leaks(plain) {
			t.Errorf("the server received the password in the clear:\n%q", plain)
		}
		if !leaks(secure) {
			t.Errorf("the server did not receive the password inside TLS; it received %q", secure)
		}
	case sentInClear:
		if !leaks(plain) {
			t.Errorf("the server did not receive the password in the clear; it received %q", plain)
		}
	}
	if hc.check != nil {
		hc.check(t, r, plain, secure)
	}
	return trace.String()
}

// checkNoLeak fails the test if the password shows in anything the probe
// hands to a person, a log or a script.
func checkNoLeak(t *testing.T, r Result, trace string) {
	t.Helper()
	for what, text := range outputs(t, r, trace) {
		if leaks([]byte(text)) {
			t.Errorf("the password appears in the %s:\n%s", what, text)
		}
	}
}

// outputs are what the probe hands to a person, a log or a script about
// r, by what they are.
func outputs(t *testing.T, r Result, trace string) map[string]string {
	t.Helper()
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("json.Marshal(result) = %v", err)
	}
	shown := map[string]string{
		"trace":                trace,
		"%+v of the result":    fmt.Sprintf("%+v", r),
		"JSON of the result":   string(js),
		"%+v of the TLS facts": fmt.Sprintf("%+v", r.TLS),
		"English explanation":  fmt.Sprintf("%+v", Explain(r, nil, English)),
		"Italian explanation":  fmt.Sprintf("%+v", Explain(r, nil, Italian)),
	}
	if r.Failure != nil {
		shown["failure"] = r.Failure.Error()
		shown["%+v of the failure"] = fmt.Sprintf("%+v", *r.Failure)
	}
	return shown
}

// leaks reports whether b holds the password, as it is or base64-encoded
// (SASL PLAIN and LOGIN), in whole or in part.
func leaks(b []byte) bool {
	const part = "s3cret"
	if bytes.Contains(b, []byte(part)) {
		return true
	}
	notBase64 := func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+' || r == '/' || r == '=')
	}
	for _, f := range bytes.FieldsFunc(b, notBase64) {
		if dec, err := base64.StdEncoding.DecodeString(string(f)); err == nil && bytes.Contains(dec, []byte(part)) {
			return true
		}
	}
	return false
}

// sentCommand reports whether the client sent verb, tagged or not.
func sentCommand(b []byte, verb string) bool {
	for line := range strings.SplitSeq(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && strings.EqualFold(f[0], verb) || len(f) > 1 && strings.EqualFold(f[1], verb) {
			return true
		}
	}
	return false
}

// noCredentials checks that nothing credential-like crossed in the clear.
func noCredentials(t *testing.T, _ Result, plain, _ []byte) {
	t.Helper()
	for _, verb := range []string{"LOGIN", "AUTHENTICATE", "AUTH", "USER", "PASS"} {
		if sentCommand(plain, verb) {
			t.Errorf("the client sent %s in the clear:\n%s", verb, plain)
		}
	}
	if bytes.Contains(plain, []byte("alice")) {
		t.Errorf("the client sent the user name in the clear:\n%s", plain)
	}
}

// commandSent checks that verb reached the server: in the clear, or inside
// TLS when inTLS.
func commandSent(verb string, inTLS bool) func(*testing.T, Result, []byte, []byte) {
	return func(t *testing.T, _ Result, plain, secure []byte) {
		t.Helper()
		where, got := "in the clear", plain
		if inTLS {
			where, got = "inside TLS", secure
		}
		if !sentCommand(got, verb) {
			t.Errorf("the server did not receive %s %s; it received %q", verb, where, got)
		}
	}
}

// both runs two checks.
func both(a, b func(*testing.T, Result, []byte, []byte)) func(*testing.T, Result, []byte, []byte) {
	return func(t *testing.T, r Result, plain, secure []byte) {
		t.Helper()
		a(t, r, plain, secure)
		b(t, r, plain, secure)
	}
}

func loggedIn(t *testing.T, r Result, _, _ []byte) {
	t.Helper()
	if !r.LoggedIn {
		t.Errorf("Test() LoggedIn = false, want true")
	}
}

func injected(t *testing.T, r Result, _, _ []byte) {
	t.Helper()
	if !errors.Is(r.Failure, errInjected) {
		t.Errorf("Test() failure = %v, want %v", r.Failure, errInjected)
	}
	if r.TLS != nil {
		t.Errorf("Test() TLS = %+v, want no handshake after injected data", r.TLS)
	}
}

// capsAfterTLS checks that only what the server said inside TLS was kept.
func capsAfterTLS(t *testing.T, r Result, _, _ []byte) {
	t.Helper()
	if !hasCap(r.Capabilities, "X-AFTER-TLS") || hasCap(r.Capabilities, "X-BEFORE-TLS") || hasCap(r.Capabilities, "STARTTLS") {
		t.Errorf("Test() Capabilities = %q, want those sent inside TLS (X-AFTER-TLS, no X-BEFORE-TLS or STARTTLS)", r.Capabilities)
	}
	if !slices.Equal(r.AuthMechanisms, []string{"PLAIN"}) {
		t.Errorf("Test() AuthMechanisms = %q, want [PLAIN] as sent inside TLS", r.AuthMechanisms)
	}
	if !r.LoggedIn {
		t.Errorf("Test() LoggedIn = false, want true")
	}
}

func TestHostileStartTLS(t *testing.T) {
	t.Parallel()
	env := newHostileEnv(t)
	allowCleartext := func(o *Options) { o.AllowCleartext = true }
	runHostile(t, env, []hostileCase{
		// IMAP (RFC 9051, RFC 2595)
		{proto: IMAP, name: "starttls_not_offered",
			dialog: dialog{before: "* CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=LOGIN\r\n{tag} OK done\r\n"},
			want:   CodeStartTLSNotOffered, check: noCredentials},
		{proto: IMAP, name: "starttls_not_offered_in_greeting",
			dialog: dialog{greeting: "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n"},
			want:   CodeStartTLSNotOffered, check: noCredentials},
		{proto: IMAP, name: "starttls_no",
			dialog: dialog{starttls: "{tag} NO STARTTLS is not available\r\n"},
			want:   CodeStartTLSFailed, check: noCredentials},
		{proto: IMAP, name: "starttls_bad",
			dialog: dialog{starttls: "{tag} BAD unknown command\r\n"},
			want:   CodeStartTLSFailed, check: noCredentials},
		{proto: IMAP, name: "starttls_continuation",
			dialog: dialog{starttls: "+ go ahead\r\n"},
			want:   CodeStartTLSFailed, check: noCredentials},
		{proto: IMAP, name: "preauth",
			dialog: dialog{greeting: "* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] logged in as alice\r\n"},
			want:   CodeUnexpectedPreauth},
		{proto: IMAP, name: "starttls_injection",
			dialog: dialog{starttls: "{tag} OK Begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n"},
			want:   CodeStartTLSFailed, check: injected},
		{proto: IMAP, name: "capabilities_replaced_after_tls",
			dialog: dialog{
				before: "* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN AUTH=LOGIN X-BEFORE-TLS\r\n{tag} OK done\r\n",
				after:  "* CAPABILITY IMAP4rev1 AUTH=PLAIN X-AFTER-TLS\r\n{tag} OK done\r\n",
			},
			want: CodeOK, password: sentInTLS, check: capsAfterTLS},
		{proto: IMAP, name: "greeting_capabilities_replaced_after_tls",
			dialog: dialog{
				greeting: "* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN AUTH=LOGIN X-BEFORE-TLS] ready\r\n",
				after:    "* CAPABILITY IMAP4rev1 AUTH=PLAIN X-AFTER-TLS\r\n{tag} OK done\r\n",
			},
			want: CodeOK, password: sentInTLS, check: capsAfterTLS},
		{proto: IMAP, name: "starttls_answer_capabilities_replaced_after_tls",
			dialog: dialog{
				starttls: "* CAPABILITY IMAP4rev1 AUTH=LOGIN X-BEFORE-TLS\r\n{tag} OK [CAPABILITY IMAP4rev1 AUTH=LOGIN X-BEFORE-TLS] Begin TLS\r\n",
				after:    "* CAPABILITY IMAP4rev1 AUTH=PLAIN X-AFTER-TLS\r\n{tag} OK done\r\n",
			},
			want: CodeOK, password: sentInTLS, check: capsAfterTLS},
		{proto: IMAP, name: "login_ok",
			want: CodeOK, password: sentInTLS, check: loggedIn},
		{proto: IMAP, name: "auth_failed",
			dialog: dialog{login: "{tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n"},
			want:   CodeAuthFailed, password: sentInTLS, check: commandSent("AUTHENTICATE", true)},
		{proto: IMAP, name: "auth_failed_login_literal",
			dialog: dialog{
				after: "* CAPABILITY IMAP4rev1\r\n{tag} OK done\r\n",
				login: "{tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n",
			},
			want: CodeAuthFailed, password: sentInTLS, check: commandSent("LOGIN", true)},
		{proto: IMAP, name: "login_disabled",
			dialog: dialog{after: "* CAPABILITY IMAP4rev1 LOGINDISABLED\r\n{tag} OK done\r\n"},
			want:   CodeLoginDisabled},
		// IMAP may always LOGIN unless LOGINDISABLED, so "only XOAUTH2"
		// means that plus LOGINDISABLED.
		{proto: IMAP, name: "xoauth2_only",
			dialog: dialog{after: "* CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=XOAUTH2\r\n{tag} OK done\r\n"},
			want:   CodeAuthMechanismUnsupported},
		{proto: IMAP, name: "cleartext_refused", security: None,
			dialog: dialog{before: "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n{tag} OK done\r\n"},
			want:   CodeCleartextRefused, check: noCredentials},
		{proto: IMAP, name: "cleartext_allowed", security: None, opts: allowCleartext,
			dialog: dialog{before: "* CAPABILITY IMAP4rev1\r\n{tag} OK done\r\n"},
			want:   CodeOK, password: sentInClear, check: commandSent("LOGIN", false)},

		// POP3 (RFC 2595, RFC 2449)
		{proto: POP3, name: "starttls_not_offered",
			dialog: dialog{before: "+OK\r\nUSER\r\nSASL PLAIN LOGIN\r\n.\r\n"},
			want:   CodeStartTLSNotOffered, check: noCredentials},
		{proto: POP3, name: "starttls_not_offered_without_capa",
			dialog: dialog{before: "-ERR unknown command\r\n", starttls: "-ERR unknown command\r\n"},
			want:   CodeStartTLSNotOffered, check: noCredentials},
		{proto: POP3, name: "starttls_err",
			dialog: dialog{starttls: "-ERR TLS is not available\r\n"},
			want:   CodeStartTLSFailed, check: noCredentials},
		{proto: POP3, name: "starttls_injection",
			dialog: dialog{starttls: "+OK\r\n+OK injected\r\n"},
			want:   CodeStartTLSFailed, check: injected},
		{proto: POP3, name: "capabilities_replaced_after_tls",
			dialog: dialog{
				before: "+OK\r\nUSER\r\nSTLS\r\nSASL PLAIN LOGIN\r\nX-BEFORE-TLS\r\n.\r\n",
				after:  "+OK\r\nUSER\r\nSASL PLAIN\r\nX-AFTER-TLS\r\n.\r\n",
			},
			want: CodeOK, password: sentInTLS, check: capsAfterTLS},
		{proto: POP3, name: "login_ok",
			want: CodeOK, password: sentInTLS, check: loggedIn},
		{proto: POP3, name: "auth_failed",
			dialog: dialog{login: "-ERR [AUTH] Invalid credentials\r\n"},
			want:   CodeAuthFailed, password: sentInTLS, check: commandSent("AUTH", true)},
		{proto: POP3, name: "auth_failed_user_pass",
			dialog: dialog{after: "+OK\r\nUSER\r\n.\r\n", login: "-ERR [AUTH] Invalid credentials\r\n"},
			want:   CodeAuthFailed, password: sentInTLS, check: commandSent("PASS", true)},
		{proto: POP3, name: "login_disabled",
			dialog: dialog{after: "+OK\r\nTOP\r\nUIDL\r\n.\r\n"},
			want:   CodeLoginDisabled},
		{proto: POP3, name: "xoauth2_only",
			dialog: dialog{after: "+OK\r\nTOP\r\nSASL XOAUTH2\r\n.\r\n"},
			want:   CodeAuthMechanismUnsupported},
		{proto: POP3, name: "cleartext_refused", security: None,
			dialog: dialog{before: "+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n"},
			want:   CodeCleartextRefused, check: noCredentials},
		{proto: POP3, name: "cleartext_allowed", security: None, opts: allowCleartext,
			dialog: dialog{before: "+OK\r\nUSER\r\n.\r\n"},
			want:   CodeOK, password: sentInClear, check: commandSent("PASS", false)},

		// SMTP submission (RFC 3207, RFC 4954)
		{proto: SMTP, name: "starttls_not_offered",
			dialog: dialog{before: "250-mail.test\r\n250 AUTH PLAIN LOGIN\r\n"},
			want:   CodeStartTLSNotOffered, check: noCredentials},
		{proto: SMTP, name: "starttls_454",
			dialog: dialog{starttls: "454 4.7.0 TLS not available due to local problem\r\n"},
			want:   CodeStartTLSFailed, check: noCredentials},
		{proto: SMTP, name: "starttls_502",
			dialog: dialog{starttls: "502 5.5.1 Command not implemented\r\n"},
			want:   CodeStartTLSFailed, check: noCredentials},
		{proto: SMTP, name: "starttls_injection",
			dialog: dialog{starttls: "220 go ahead\r\n250 injected\r\n"},
			want:   CodeStartTLSFailed, check: injected},
		{proto: SMTP, name: "capabilities_replaced_after_tls",
			dialog: dialog{
				before: "250-mail.test\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n250 X-BEFORE-TLS\r\n",
				after:  "250-mail.test\r\n250-AUTH PLAIN\r\n250 X-AFTER-TLS\r\n",
			},
			want: CodeOK, password: sentInTLS, check: capsAfterTLS},
		{proto: SMTP, name: "login_ok",
			want: CodeOK, password: sentInTLS, check: loggedIn},
		{proto: SMTP, name: "auth_login_ok",
			dialog: dialog{after: "250-mail.test\r\n250 AUTH LOGIN\r\n"},
			want:   CodeOK, password: sentInTLS, check: loggedIn},
		{proto: SMTP, name: "auth_failed",
			dialog: dialog{login: "535 5.7.8 Authentication credentials invalid\r\n"},
			want:   CodeAuthFailed, password: sentInTLS, check: commandSent("AUTH", true)},
		{proto: SMTP, name: "login_disabled",
			dialog: dialog{after: "250-mail.test\r\n250 8BITMIME\r\n"},
			want:   CodeLoginDisabled},
		{proto: SMTP, name: "xoauth2_only",
			dialog: dialog{after: "250-mail.test\r\n250 AUTH XOAUTH2\r\n"},
			want:   CodeAuthMechanismUnsupported},
		{proto: SMTP, name: "cleartext_refused", security: None,
			dialog: dialog{before: "250-mail.test\r\n250 AUTH PLAIN\r\n"},
			want:   CodeCleartextRefused, check: noCredentials},
		{proto: SMTP, name: "cleartext_allowed", security: None, opts: allowCleartext,
			dialog: dialog{before: "250-mail.test\r\n250 AUTH PLAIN\r\n"},
			want:   CodeOK, password: sentInClear, check: commandSent("AUTH", false)},
	})
}

// escapes are terminal escape sequences and control characters a hostile
// server may send to retitle, clear or take over a terminal; the words
// outside them must survive.
const escapes = "\x1b]0;pwned\x07Visible\x1b[2J text\u009b31m here\x07\x1bPq#0;1\x1b\\ and\x9b more\u009d8;;http://x\u009c\x1b[?1049h end"

var escapeWords = []string{"Visible", "text", "here", "and", "more", "end"}

// checkClean fails the test if s could drive a terminal, or lost its words.
func checkClean(t *testing.T, what, s string, words ...string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s = %q, not valid UTF-8", what, s)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f {
			t.Errorf("%s = %q, holds control character %U", what, s, r)
			break
		}
	}
	if strings.Contains(s, "pwned") {
		t.Errorf("%s = %q, holds the inside of an escape sequence", what, s)
	}
	for _, w := range words {
		if !strings.Contains(s, w) {
			t.Errorf("%s = %q, lost the visible word %q", what, s, w)
		}
	}
}

// cleanTexts checks every server text in a result, and the trace.
func cleanTexts(alerts int) func(*testing.T, Result, []byte, []byte) {
	return func(t *testing.T, r Result, _, _ []byte) {
		t.Helper()
		checkClean(t, "Test() Greeting", r.Greeting, escapeWords...)
		if len(r.Alerts) != alerts {
			t.Errorf("Test() Alerts = %q, want %d", r.Alerts, alerts)
		}
		for i, a := range r.Alerts {
			checkClean(t, fmt.Sprintf("Test() Alerts[%d]", i), a, escapeWords...)
		}
		checkClean(t, "Test() Failure.Reply", r.Failure.Reply, escapeWords...)
		checkClean(t, "Test() Failure.Error()", r.Failure.Error())
	}
}

func TestHostileEscapes(t *testing.T) {
	t.Parallel()
	env := newHostileEnv(t)
	for _, hc := range []hostileCase{
		{proto: IMAP, name: "escapes",
			dialog: dialog{
				greeting: "* OK [ALERT] " + escapes + "\r\n",
				login:    "{tag} NO [ALERT] " + escapes + "\r\n",
			},
			want: CodeAuthFailed, password: sentInTLS, check: cleanTexts(2)},
		{proto: POP3, name: "escapes",
			dialog: dialog{
				greeting: "+OK " + escapes + "\r\n",
				login:    "-ERR [AUTH] " + escapes + "\r\n",
			},
			want: CodeAuthFailed, password: sentInTLS, check: cleanTexts(0)},
		{proto: SMTP, name: "escapes",
			dialog: dialog{
				greeting: "220-mail.test " + escapes + "\r\n220 ready\r\n",
				login:    "535-5.7.8 " + escapes + "\r\n535 5.7.8 try again\r\n",
			},
			want: CodeAuthFailed, password: sentInTLS, check: cleanTexts(0)},
	} {
		t.Run(string(hc.proto)+"/"+hc.name, func(t *testing.T) {
			t.Parallel()
			trace := env.probe(t, hc)
			for line := range strings.Lines(trace) {
				checkClean(t, "trace line", strings.TrimSuffix(line, "\n"))
			}
		})
	}
}

// countingDialer counts the bytes the probe read off the network.
type countingDialer struct {
	read atomic.Int64
}

func (d *countingDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	c, err := (&net.Dialer{}).DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, read: &d.read}, nil
}

type countingConn struct {
	net.Conn
	read *atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

// floodUntilClosed writes chunks of line until the client hangs up, or 8 MiB.
func floodUntilClosed(c *scriptConn, line string) {
	chunk := strings.Repeat(line, (64<<10)/len(line))
	for i := 0; i < 128 && c.write(chunk); i++ {
	}
}

func TestHostileLimits(t *testing.T) {
	t.Parallel()
	env := newHostileEnv(t)
	// Generous, for loaded machines: failing for the limit, and not for
	// the timeout, is what shows that the limit works.
	const timeout = 30 * time.Second
	longLine := func(c *scriptConn) { c.write(strings.Repeat("A", 1<<20)) }
	floods := map[Protocol]func(*scriptConn){
		IMAP: func(c *scriptConn) {
			c.write("* OK ready\r\n")
			c.readLine()
			floodUntilClosed(c, "* OK still here\r\n")
		},
		POP3: func(c *scriptConn) {
			c.write("+OK ready\r\n")
			c.readLine()
			c.write("+OK\r\n")
			floodUntilClosed(c, "X-FLOOD\r\n")
		},
		SMTP: func(c *scriptConn) {
			c.write("220 mail.test ESMTP\r\n")
			c.readLine()
			floodUntilClosed(c, "250-X-FLOOD\r\n")
		},
	}
	// bounded checks that the probe failed for err, and not for the
	// timeout, having read at most max bytes off the network.
	bounded := func(err error, max int64) (func(*Options), func(*testing.T, Result, []byte, []byte)) {
		d := &countingDialer{}
		opts := func(o *Options) { o.Dialer, o.Timeout = d, timeout }
		check := func(t *testing.T, r Result, _, _ []byte) {
			t.Helper()
			if !errors.Is(r.Failure, err) {
				t.Errorf("Test() failure = %v, want %v", r.Failure, err)
			}
			if n := d.read.Load(); n > max {
				t.Errorf("the probe read %d bytes, want at most %d", n, max)
			}
		}
		return opts, check
	}
	var cases []hostileCase
	for _, p := range []Protocol{IMAP, POP3, SMTP} {
		lineOpts, lineCheck := bounded(errLineTooLong, 2*maxLineLength)
		tlsLineOpts, tlsLineCheck := bounded(errLineTooLong, 8*maxLineLength)
		floodOpts, floodCheck := bounded(errTooMuchData, maxReadTotal+maxLineLength)
		cases = append(cases,
			hostileCase{proto: p, name: "long_line", script: longLine, opts: lineOpts, want: CodeProtocolError, check: lineCheck},
			hostileCase{proto: p, name: "long_line_tls", security: TLS, script: longLine, opts: tlsLineOpts, want: CodeProtocolError, check: tlsLineCheck},
			hostileCase{proto: p, name: "flood", script: floods[p], opts: floodOpts, want: CodeProtocolError, check: floodCheck},
		)
	}
	runHostile(t, env, cases)
}

func TestHostileTimeouts(t *testing.T) {
	t.Parallel()
	env := newHostileEnv(t)
	const bound = 5 * time.Second
	silent := func(*scriptConn) {}
	greetings := map[Protocol]string{
		IMAP: "* OK IMAP4rev1 server ready\r\n",
		POP3: "+OK POP3 server ready to serve\r\n",
		SMTP: "220 mail.test ESMTP server ready\r\n",
	}
	within := func(timeout time.Duration) (func(*Options), func(*testing.T, Result, []byte, []byte)) {
		opts := func(o *Options) { o.Timeout = timeout }
		check := func(t *testing.T, r Result, _, _ []byte) {
			t.Helper()
			if r.Elapsed > bound {
				t.Errorf("Test() took %v with a %v timeout, want at most %v", r.Elapsed, timeout, bound)
			}
		}
		return opts, check
	}
	var cases []hostileCase
	for _, p := range []Protocol{IMAP, POP3, SMTP} {
		greeting := greetings[p]
		// A byte every 100 ms: each read gets data long before the
		// timeout, so only a deadline on the whole test stops it.
		trickle := func(c *scriptConn) {
			for i := 0; i < len(greeting) && c.write(greeting[i:i+1]); i++ {
				time.Sleep(100 * time.Millisecond)
			}
		}
		fast, fastCheck := within(300 * time.Millisecond)
		slow, slowCheck := within(500 * time.Millisecond)
		cases = append(cases,
			hostileCase{proto: p, name: "silent", script: silent, opts: fast, want: CodeTimeout, check: fastCheck},
			hostileCase{proto: p, name: "silent_tls_handshake", security: TLS, rawTCP: true, script: silent, opts: fast, want: CodeTimeout, check: fastCheck},
			hostileCase{proto: p, name: "silent_after_tls", security: TLS, script: silent, opts: fast, want: CodeTimeout, check: fastCheck},
			hostileCase{proto: p, name: "trickle", script: trickle, opts: slow, want: CodeTimeout, check: slowCheck},
		)
	}
	runHostile(t, env, cases)
}

// TestHostileWrongSecurity: implicit TLS against a port that greets in
// plain text, and STARTTLS or no TLS against a port that waits for a TLS
// hello, are each recognised within seconds, and explained with the same
// port and the other security.
func TestHostileWrongSecurity(t *testing.T) {
	t.Parallel()
	env := newHostileEnv(t)
	// explains checks the cause, the time taken, and that both languages
	// advise the port tested with the other security.
	explains := func(cause error, sec Security, min, max time.Duration) func(*testing.T, Result, []byte, []byte) {
		return func(t *testing.T, r Result, _, _ []byte) {
			t.Helper()
			if !errors.Is(r.Failure, cause) {
				t.Errorf("Test() failure = %v, want %v", r.Failure, cause)
			}
			if r.Elapsed < min || r.Elapsed > max {
				t.Errorf("Test() took %v, want between %v and %v", r.Elapsed, min, max)
			}
			fix := r.Server.withSecurity(sec).String()
			for _, lang := range []Lang{English, Italian} {
				e := Explain(r, nil, lang)
				if !strings.Contains(strings.Join(e.Fix, " "), fix) || !strings.Contains(e.Why, strconv.Itoa(r.Server.Port)) {
					t.Errorf("Explain(%s) = %+v, want port %d in the why and %s advised", lang, e, r.Server.Port, fix)
				}
			}
		}
	}
	plainPort := explains(errPlaintextPort, StartTLS, 0, 2*time.Second)
	tlsPort := explains(errTLSPort, TLS, greetingWait, greetingWait+2*time.Second)
	// A server that greets only after greetingWait is still a plain one:
	// its greeting is taken when it comes, though the TLS handshake tried
	// meanwhile has not ended yet (the server does not answer it, and
	// stops when the probe hangs up).
	const lateBy = greetingWait + 500*time.Millisecond
	late := func(c *scriptConn) {
		c.raw.SetReadDeadline(time.Now().Add(lateBy))
		_, err := io.Copy(io.Discard, c.raw)
		c.raw.SetReadDeadline(time.Now().Add(time.Minute))
		if isTimeout(err) {
			dialog{}.script(IMAP)(c)
		}
	}
	lateCheck := func(t *testing.T, r Result, plain, secure []byte) {
		t.Helper()
		loggedIn(t, r, plain, secure)
		if r.Elapsed > lateBy+time.Second {
			t.Errorf("Test() took %v, want the greeting taken when it came, after %v", r.Elapsed, lateBy)
		}
	}
	cases := []hostileCase{
		{proto: IMAP, name: "no_tls_to_implicit_tls_port", security: None, implicit: true, want: CodeProtocolError, check: tlsPort},
		{proto: IMAP, name: "late_greeting", script: late, want: CodeOK, password: sentInTLS, check: lateCheck},
	}
	for _, p := range []Protocol{IMAP, POP3, SMTP} {
		cases = append(cases,
			hostileCase{proto: p, name: "implicit_tls_to_plaintext_port", security: TLS, rawTCP: true, want: CodeTLSHandshakeFailed, check: plainPort},
			hostileCase{proto: p, name: "starttls_to_implicit_tls_port", implicit: true, want: CodeProtocolError, check: tlsPort},
		)
	}
	runHostile(t, env, cases)
}

func TestHostileTLSVersion(t *testing.T) {
	t.Parallel()
	env := newHostileEnv(t)
	old := &tls.Config{Certificates: []tls.Certificate{env.cert}, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}
	var cases []hostileCase
	for _, p := range []Protocol{IMAP, POP3, SMTP} {
		cases = append(cases,
			hostileCase{proto: p, name: "tls11_only", security: TLS, tls: old, want: CodeTLSVersionTooOld},
			hostileCase{proto: p, name: "starttls_tls11_only", tls: old, want: CodeTLSVersionTooOld},
		)
	}
	runHostile(t, env, cases)
}

func TestHostileCertificates(t *testing.T) {
	t.Parallel()
	env := newHostileEnv(t)
	other := probetest.NewCA(t, "Unknown Interception CA")
	wrongName := env.ca.Issue(t, []string{"mail.example.org"}, time.Time{}, time.Time{})
	untrusted := other.Issue(t, []string{"127.0.0.1"}, time.Time{}, time.Time{})
	expired := env.ca.Issue(t, []string{"127.0.0.1"}, time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour))

	sum := sha256.Sum256(untrusted.Leaf.Raw)
	pin, err := ParsePin("sha256:" + hex.EncodeToString(sum[:]))
	if err != nil {
		t.Fatalf("ParsePin() = %v", err)
	}
	wrongSum := sha256.Sum256(env.cert.Leaf.Raw)
	wrongPin, err := ParsePin("sha256:" + hex.EncodeToString(wrongSum[:]))
	if err != nil {
		t.Fatalf("ParsePin() = %v", err)
	}
	pinned := func(p Pin) func(*Options) { return func(o *Options) { o.Pins = []Pin{p} } }

	// checkCert checks that the refused or pinned certificate is described,
	// so that the person can compare its names and fingerprint.
	checkCert := func(dnsNames, ips []string, sum [sha256.Size]byte, verified, isPinned bool) func(*testing.T, Result, []byte, []byte) {
		return func(t *testing.T, r Result, _, _ []byte) {
			t.Helper()
			if r.TLS == nil || r.TLS.Certificate == nil {
				t.Fatalf("Test() TLS = %+v, want the server's certificate described", r.TLS)
			}
			if got := r.TLS.Certificate.DNSNames; !slices.Equal(got, dnsNames) {
				t.Errorf("Test() TLS.Certificate.DNSNames = %q, want %q", got, dnsNames)
			}
			if got := r.TLS.Certificate.IPAddresses; !slices.Equal(got, ips) {
				t.Errorf("Test() TLS.Certificate.IPAddresses = %q, want %q", got, ips)
			}
			if got, want := r.TLS.Certificate.SHA256, hex.EncodeToString(sum[:]); got != want {
				t.Errorf("Test() TLS.Certificate.SHA256 = %s, want %s", got, want)
			}
			if r.TLS.Verified != verified || r.TLS.Pinned != isPinned {
				t.Errorf("Test() TLS Verified, Pinned = %v, %v; want %v, %v", r.TLS.Verified, r.TLS.Pinned, verified, isPinned)
			}
		}
	}
	// explainsChange checks that the explanation of a changed certificate
	// shows the pinned fingerprint and the one presented, and both causes.
	explainsChange := func(pinned Pin, presented [sha256.Size]byte) func(*testing.T, Result, []byte, []byte) {
		return func(t *testing.T, r Result, _, _ []byte) {
			t.Helper()
			causes := map[Lang][]string{English: {"renewed", "intercepting"}, Italian: {"rinnovato", "intercettando"}}
			for lang, words := range causes {
				e := Explain(r, nil, lang)
				for _, want := range append(words, pinned.String(), "sha256:"+hex.EncodeToString(presented[:])) {
					if !strings.Contains(e.Why, want) {
						t.Errorf("Explain(%s).Why = %q, want %q in it", lang, e.Why, want)
					}
				}
			}
		}
	}
	var cases []hostileCase
	for _, p := range []Protocol{IMAP, POP3, SMTP} {
		for _, sec := range []Security{TLS, StartTLS} {
			prefix := "tls_"
			if sec == StartTLS {
				prefix = "starttls_"
			}
			cases = append(cases,
				hostileCase{proto: p, name: prefix + "hostname_mismatch", security: sec, tls: serverTLS(wrongName),
					want: CodeCertificateHostMismatch, check: checkCert([]string{"mail.example.org"}, nil, sha256.Sum256(wrongName.Leaf.Raw), false, false)},
				hostileCase{proto: p, name: prefix + "untrusted", security: sec, tls: serverTLS(untrusted),
					want: CodeCertificateUntrusted, check: checkCert(nil, []string{"127.0.0.1"}, sum, false, false)},
				hostileCase{proto: p, name: prefix + "changed", security: sec, tls: serverTLS(untrusted), opts: pinned(wrongPin),
					want: CodeCertificateChanged, check: both(checkCert(nil, []string{"127.0.0.1"}, sum, false, false), explainsChange(wrongPin, sum))},
				hostileCase{proto: p, name: prefix + "trusted_other_pin", security: sec, opts: pinned(pin),
					want: CodeOK, password: sentInTLS, check: checkCert(nil, []string{"127.0.0.1"}, wrongSum, true, false)},
				hostileCase{proto: p, name: prefix + "pinned", security: sec, tls: serverTLS(untrusted), opts: pinned(pin),
					want: CodeOK, password: sentInTLS, check: checkCert(nil, []string{"127.0.0.1"}, sum, false, true)},
				hostileCase{proto: p, name: prefix + "expired", security: sec, tls: serverTLS(expired),
					want: CodeCertificateExpired, check: checkCert(nil, []string{"127.0.0.1"}, sha256.Sum256(expired.Leaf.Raw), false, false)},
			)
		}
	}
	runHostile(t, env, cases)
}

// TestHostileEcho: a server that says the password back after the login,
// as typed or in the base64 of the PLAIN or LOGIN exchange, in its refusal
// and an ALERT, gets its answer withheld whole: no output carries the
// password in any form, decoded or not, and none carries the words around
// it either.
func TestHostileEcho(t *testing.T) {
	env := newHostileEnv(t)
	const password = "echo-me-Pässword"
	plain := base64.StdEncoding.EncodeToString([]byte("\x00anna\x00" + password))
	login := base64.StdEncoding.EncodeToString([]byte(password))
	for name, echo := range map[string]string{"as typed": password, "PLAIN payload": plain, "LOGIN payload": login} {
		t.Run(name, func(t *testing.T) {
			srv := startScriptServer(t, func(c *scriptConn) {
				c.write("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN LOGIN] ready\r\n")
				line, _ := c.readLine() // the PLAIN initial response: the credentials
				tag, _, _ := strings.Cut(line, " ")
				c.write("* OK [ALERT] you typed " + echo + "\r\n" + tag + " NO [AUTHENTICATIONFAILED] bad password " + echo + "\r\n")
			}, env.good, nil)
			var trace bytes.Buffer
			r := Test(context.Background(), srv.server(IMAP, TLS), &Options{Username: "anna", Password: password, RootCAs: env.ca.Pool, Trace: &trace})
			if r.Code != CodeAuthFailed || !r.Withheld {
				t.Fatalf("Test() code = %v, withheld %v; want %v, withheld", r.Code, r.Withheld, CodeAuthFailed)
			}
			js, _ := json.Marshal(r)
			x := Explain(r, nil, English)
			for what, out := range map[string]string{"trace": trace.String(), "result": fmt.Sprintf("%+v %+v", r, r.Failure), "json": string(js), "explanation": fmt.Sprint(x)} {
				if newSecret(password).in(out) || strings.Contains(out, echo) {
					t.Errorf("the echoed password reaches the %s: %s", what, out)
				}
				if strings.Contains(out, "bad password") || strings.Contains(out, "you typed") {
					t.Errorf("the %s keeps the words around the password: %s", what, out)
				}
			}
			if !strings.Contains(trace.String(), withheldLine) || !strings.Contains(fmt.Sprint(x.Notes), "not shown") {
				t.Errorf("nothing says the answer was withheld:\n%s\n%v", trace.String(), x.Notes)
			}
			if !strings.Contains(r.Greeting, "ready") {
				t.Errorf("the greeting, said before any credential, was altered: %q", r.Greeting)
			}
		})
	}
}

// TestFactsNeverAltered: what the server said before any credential went
// out (greeting, capabilities, its certificate's names) is shown as it
// is, even where it happens to contain the password's text: changing it
// would tell the reader the password.
func TestFactsNeverAltered(t *testing.T) {
	const pw = "test"
	cert := &CertInfo{Subject: "CN=mail.example.test", Issuer: "O=test CA", DNSNames: []string{"mail.example.test"}}
	r := Result{
		Greeting: "* OK test server ready", Software: "Dovecot", Capabilities: []string{"IMAP4rev1"},
		TLS: &TLSInfo{Certificate: cert}, Failure: &Failure{Code: CodeAuthFailed, Reply: "NO authentication failed"},
	}
	r.withhold(newSecret(pw), false)
	if r.Greeting != "* OK test server ready" || cert.Subject != "CN=mail.example.test" || cert.Issuer != "O=test CA" || cert.DNSNames[0] != "mail.example.test" {
		t.Errorf("withhold() altered the facts: %+v %+v", r, cert)
	}
	if r.Withheld || r.Failure.Reply != "NO authentication failed" {
		t.Errorf("an answer without the password was withheld: %+v %+v", r, r.Failure)
	}
}
