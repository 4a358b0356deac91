package probe

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// oauthToken looks like Google's access tokens: long, and made of
// base64url characters and dots, so that it is searched for as typed and
// inside the base64 of the SASL exchange.
const oauthToken = "ya29.a0AfB_byC-TokenForTestsOnly_4Kq9Zr7Xw2Lm5Np8Qs1Tv3Uy6"

// The credentials of OAUTHBEARER (RFC 7628) and XOAUTH2 for alice.
const (
	oauthBearerPayload = "n,a=alice,\x01auth=Bearer " + oauthToken + "\x01\x01"
	xoauth2Payload     = "user=alice\x01auth=Bearer " + oauthToken + "\x01\x01"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// invalidToken is the JSON error challenge of a refused token.
var invalidToken = b64(`{"status":"invalid_token","scope":"https://mail.example.test/","schemes":"bearer"}`)

// oauthCase is a server spoken to with an access token, and what must come
// of it.
type oauthCase struct {
	proto    Protocol
	name     string
	security Security // StartTLS when empty
	dialog   dialog
	opts     func(*Options)
	want     Code
	// mech is the mechanism the client must have used, with payload its
	// credentials; "" when no credential may reach the server.
	mech, payload string
	// answered is what the client must have answered the challenge with.
	answered string
	check    func(t *testing.T, r Result, trace string)
}

// runOAuth runs each case as a parallel subtest named "imap/case": the
// server is the scripted one, its auth oauth2, and the probe has both a
// password and a token, of which only the token may be sent, and only
// inside TLS unless the case allows cleartext.
func runOAuth(t *testing.T, cases []oauthCase) {
	env := newHostileEnv(t)
	for _, oc := range cases {
		t.Run(string(oc.proto)+"/"+oc.name, func(t *testing.T) {
			t.Parallel()
			security := oc.security
			if security == "" {
				security = StartTLS
			}
			var implicit = env.good
			if security != TLS {
				implicit = nil
			}
			srv := startScriptServer(t, oc.dialog.script(oc.proto), implicit, env.good)
			var trace bytes.Buffer
			opts := &Options{Password: hostilePassword, AccessToken: oauthToken, RootCAs: env.ca.Pool, Timeout: 10 * time.Second, Trace: &trace}
			if oc.opts != nil {
				oc.opts(opts)
			}
			s := srv.server(oc.proto, security)
			s.Auth = AuthOAuth2
			r := Test(context.Background(), s, opts)
			srv.wait()
			plain, secure := srv.received()

			if r.Code != oc.want {
				t.Fatalf("Test() code = %v, want %v; failure: %v\ntrace:\n%s", r.Code, oc.want, r.Failure, trace.String())
			}
			requireNoCredential(t, r, trace.String())
			if leaks(plain) || leaks(secure) {
				t.Errorf("the server received the password; only the token may be sent to an OAuth2 server")
			}
			received := secure
			if opts.AllowCleartext {
				received = plain
			} else if Repeats(string(plain), oauthToken) {
				t.Errorf("the server received the token in the clear:\n%q", plain)
			}
			mech, payload, next := sentSASL(received)
			if mech != oc.mech || payload != oc.payload {
				t.Errorf("the client sent %s %q, want %s %q", mech, payload, oc.mech, oc.payload)
			}
			if oc.mech == "" && Repeats(string(secure), oauthToken) {
				t.Errorf("the server received the token:\n%q", secure)
			}
			if oc.answered != "" && (len(next) == 0 || next[0] != oc.answered) {
				t.Errorf("the client answered the challenge with %q, want %q", next, oc.answered)
			}
			if oc.check != nil {
				oc.check(t, r, trace.String())
			}
		})
	}
}

// sentSASL finds the AUTHENTICATE or AUTH command in what a server
// received: its mechanism, its credentials decoded (from the command or
// the line after it), and the lines the client sent after them.
func sentSASL(received []byte) (mech, payload string, next []string) {
	lines := strings.Split(string(received), "\r\n")
	for i, l := range lines {
		f := strings.Fields(l)
		if len(f) > 1 && strings.EqualFold(f[1], "AUTHENTICATE") {
			f = f[1:]
		}
		if len(f) < 2 || !strings.EqualFold(f[0], "AUTH") && !strings.EqualFold(f[0], "AUTHENTICATE") {
			continue
		}
		next = lines[i+1:]
		encoded := ""
		switch {
		case len(f) > 2:
			encoded = f[2]
		case len(next) > 0:
			encoded, next = next[0], next[1:]
		}
		decoded, _ := base64.StdEncoding.DecodeString(encoded)
		return f[1], string(decoded), next
	}
	return "", "", nil
}

// requireNoCredential fails the test if the token or the password shows
// in anything the probe hands to a person, a log or a script.
func requireNoCredential(t *testing.T, r Result, trace string) {
	t.Helper()
	for what, text := range outputs(t, r, trace) {
		if Repeats(text, oauthToken) || Repeats(text, hostilePassword) {
			t.Errorf("a credential appears in the %s:\n%s", what, text)
		}
	}
}

// tokenRejected checks that the explanation gives the status of the error
// challenge in both languages, and the server's final refusal.
func tokenRejected(status, final string) func(*testing.T, Result, string) {
	return func(t *testing.T, r Result, trace string) {
		t.Helper()
		for _, lang := range []Lang{English, Italian} {
			e := Explain(r, nil, lang)
			if !strings.Contains(e.Why, status) || !strings.Contains(e.Why, final) {
				t.Errorf("Explain(%s).Why = %q, want the status %q and the reply %q", lang, e.Why, status, final)
			}
			if len(e.Fix) == 0 {
				t.Errorf("Explain(%s).Fix is empty", lang)
			}
		}
		if !strings.Contains(trace, "C: AQ==") {
			t.Errorf("the trace does not show the answer to the challenge:\n%s", trace)
		}
	}
}

// redacted checks that the trace shows the credentials' lines as
// [redacted].
func redacted(t *testing.T, r Result, trace string) {
	t.Helper()
	if !r.LoggedIn {
		t.Errorf("Test() LoggedIn = false, want true")
	}
	if !strings.Contains(trace, "[redacted]") {
		t.Errorf("the trace does not show the credentials as [redacted]:\n%s", trace)
	}
}

// withheld checks that the server's answer repeating the token was
// withheld, and said so.
func withheld(t *testing.T, r Result, trace string) {
	t.Helper()
	if !r.Withheld || !strings.Contains(trace, withheldLine) {
		t.Errorf("Test() Withheld = %v, want the answer withheld:\n%s", r.Withheld, trace)
	}
	if e := Explain(r, nil, English); !strings.Contains(fmt.Sprint(e.Notes), "sign-in token") {
		t.Errorf("Explain().Notes = %q, want the token's answer said to be withheld", e.Notes)
	}
}

// notLoggedIn checks a test that connected and set up TLS without logging
// in, and says so.
func notLoggedIn(t *testing.T, r Result, _ string) {
	t.Helper()
	if !r.OK || r.LoggedIn {
		t.Errorf("Test() OK = %v, LoggedIn = %v; want OK without a login", r.OK, r.LoggedIn)
	}
	if e := Explain(r, nil, Italian); !strings.Contains(fmt.Sprint(e.Notes), "OAuth2") {
		t.Errorf("Explain().Notes = %q, want the missing sign-in said", e.Notes)
	}
}

// unsupported checks the explanation of a server without OAuth2 mechanisms.
func unsupported(t *testing.T, r Result, _ string) {
	t.Helper()
	if e := Explain(r, nil, English); !strings.Contains(e.Why, "OAUTHBEARER nor XOAUTH2") {
		t.Errorf("Explain().Why = %q, want the missing mechanisms named", e.Why)
	}
}

// oauthServer is how a protocol's server speaks in TestOAuth.
type oauthServer struct {
	proto Protocol
	// The capabilities inside TLS: both OAuth2 mechanisms (and PLAIN),
	// XOAUTH2 alone, and PLAIN alone.
	both, xoauth2, plain string
	cont                 string // a continuation's start
	refusal              string // the final refusal, to be quoted
	reply                func(text string) string
}

var oauthServers = []oauthServer{
	{proto: IMAP,
		both:    "* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=XOAUTH2 AUTH=OAUTHBEARER\r\n{tag} OK done\r\n",
		xoauth2: "* CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2\r\n{tag} OK done\r\n",
		plain:   "* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN\r\n{tag} OK done\r\n",
		cont:    "+ ", refusal: "AUTHENTICATE failed.",
		reply: func(text string) string { return "{tag} NO [AUTHENTICATIONFAILED] " + text + "\r\n" }},
	{proto: POP3,
		both:    "+OK\r\nUSER\r\nSASL PLAIN XOAUTH2 OAUTHBEARER\r\n.\r\n",
		xoauth2: "+OK\r\nUSER\r\nSASL XOAUTH2\r\n.\r\n",
		plain:   "+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n",
		cont:    "+ ", refusal: "Authentication failed.",
		reply: func(text string) string { return "-ERR [AUTH] " + text + "\r\n" }},
	{proto: SMTP,
		both:    "250-mail.test\r\n250 AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER\r\n",
		xoauth2: "250-mail.test\r\n250 AUTH LOGIN XOAUTH2\r\n",
		plain:   "250-mail.test\r\n250 AUTH PLAIN LOGIN\r\n",
		cont:    "334 ", refusal: "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.",
		reply: func(text string) string { return "535 " + text + "\r\n" }},
}

// TestOAuth logs in with a token to each protocol's server by each
// mechanism, and meets the ways a server refuses it.
func TestOAuth(t *testing.T) {
	t.Parallel()
	noToken := func(o *Options) { o.AccessToken = "" }
	allowCleartext := func(o *Options) { o.AllowCleartext = true }
	var cases []oauthCase
	for _, sv := range oauthServers {
		p := sv.proto
		cases = append(cases,
			oauthCase{proto: p, name: "oauthbearer", dialog: dialog{after: sv.both},
				want: CodeOK, mech: "OAUTHBEARER", payload: oauthBearerPayload, check: redacted},
			oauthCase{proto: p, name: "xoauth2_only", dialog: dialog{after: sv.xoauth2},
				want: CodeOK, mech: "XOAUTH2", payload: xoauth2Payload, check: redacted},
			// Servers delay a failed login by seconds.
			oauthCase{proto: p, name: "rejected", security: TLS,
				dialog: dialog{after: sv.both, challenge: sv.cont + invalidToken + "\r\n", delay: time.Second, login: sv.reply(sv.refusal)},
				want:   CodeOAuthTokenRejected, mech: "OAUTHBEARER", payload: oauthBearerPayload, answered: "AQ==",
				check: tokenRejected("invalid_token", sv.refusal)},
			oauthCase{proto: p, name: "rejected_xoauth2",
				dialog: dialog{after: sv.xoauth2, challenge: sv.cont + b64(`{"status":"400","schemes":"Bearer","scope":"https://mail.google.com/"}`) + "\r\n", login: sv.reply(sv.refusal)},
				want:   CodeOAuthTokenRejected, mech: "XOAUTH2", payload: xoauth2Payload, answered: "AQ==",
				check: tokenRejected("400", sv.refusal)},
			oauthCase{proto: p, name: "echo", dialog: dialog{after: sv.both, login: sv.reply("refused " + oauthToken)},
				want: CodeOAuthTokenRejected, mech: "OAUTHBEARER", payload: oauthBearerPayload, check: withheld},
			oauthCase{proto: p, name: "echo_in_challenge",
				dialog: dialog{after: sv.both, challenge: sv.cont + b64(oauthBearerPayload) + "\r\n", login: sv.reply("failed")},
				want:   CodeOAuthTokenRejected, mech: "OAUTHBEARER", payload: oauthBearerPayload, answered: "AQ==", check: withheld},
			// IMAP could LOGIN and POP3 USER and PASS, but a token goes
			// only through a mechanism of its own.
			oauthCase{proto: p, name: "no_oauth_mechanism", dialog: dialog{after: sv.plain},
				want: CodeAuthMechanismUnsupported, check: unsupported},
			oauthCase{proto: p, name: "no_token", opts: noToken, dialog: dialog{after: sv.both},
				want: CodeOK, check: notLoggedIn},
			oauthCase{proto: p, name: "cleartext_refused", security: None, dialog: dialog{before: sv.both},
				want: CodeCleartextRefused},
			oauthCase{proto: p, name: "cleartext_allowed", security: None, opts: allowCleartext, dialog: dialog{before: sv.both},
				want: CodeOK, mech: "OAUTHBEARER", payload: oauthBearerPayload},
		)
	}
	runOAuth(t, append(cases,
		oauthCase{proto: IMAP, name: "oauthbearer_without_sasl_ir",
			dialog: dialog{after: "* CAPABILITY IMAP4rev1 AUTH=OAUTHBEARER\r\n{tag} OK done\r\n"},
			want:   CodeOK, mech: "OAUTHBEARER", payload: oauthBearerPayload, check: redacted},
		oauthCase{proto: SMTP, name: "no_auth_at_all", dialog: dialog{after: "250-mail.test\r\n250 8BITMIME\r\n"},
			want: CodeAuthMechanismUnsupported, check: unsupported},
	))
}

// TestOAuthBearerUser: a user name with "," or "=" is escaped in the GS2
// header (RFC 5801), so that it cannot end the header early.
func TestOAuthBearerUser(t *testing.T) {
	a := &saslClient{mech: "OAUTHBEARER", user: "a,b=c@example.test", secret: "tok", token: true}
	if got, want := string(a.initial()), "n,a=a=2Cb=3Dc@example.test,\x01auth=Bearer tok\x01\x01"; got != want {
		t.Errorf("initial() = %q, want %q", got, want)
	}
}

func TestTokenStatus(t *testing.T) {
	for _, tt := range []struct{ challenge, want string }{
		{`{"status":"invalid_token","scope":"x"}`, "invalid_token"},
		{`{"status":"401","schemes":"bearer"}`, "401"},
		{`{"status":401}`, "401"},
		{`{"status":"bad\u001b[2Jstatus"}`, "badstatus"},
		{`{"status":"` + strings.Repeat("x", 65) + `"}`, ""},
		{`{"scope":"x"}`, ""},
		{"not json", ""},
		{"", ""},
	} {
		if got := tokenStatus([]byte(tt.challenge)); got != tt.want {
			t.Errorf("tokenStatus(%q) = %q, want %q", tt.challenge, got, tt.want)
		}
	}
}

// oauthBearer is go-sasl's OAUTHBEARER server, taking alice's token; a
// good token calls login.
func oauthBearer(login func() error) sasl.Server {
	return sasl.NewOAuthBearerServer(func(o sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
		if o.Username != inprocUser || o.Token != oauthToken {
			return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
		}
		if login() != nil {
			return &sasl.OAuthBearerError{Status: "invalid_request"}
		}
		return nil
	})
}

// oauthIMAPSession is an in-memory IMAP session that takes OAUTHBEARER
// for alice.
type oauthIMAPSession struct{ imapserver.Session }

func (s oauthIMAPSession) AuthenticateMechanisms() []string { return []string{sasl.OAuthBearer} }

func (s oauthIMAPSession) Authenticate(string) (sasl.Server, error) {
	return oauthBearer(func() error { return s.Login(inprocUser, inprocPassword) }), nil
}

// oauthSMTPBackend is a go-smtp submission backend that takes OAUTHBEARER
// for alice.
type oauthSMTPBackend struct{}

func (oauthSMTPBackend) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &oauthSMTPSession{}, nil
}

type oauthSMTPSession struct{ smtpTestSession }

func (s *oauthSMTPSession) AuthMechanisms() []string { return []string{sasl.OAuthBearer} }

func (s *oauthSMTPSession) Auth(string) (sasl.Server, error) {
	return oauthBearer(func() error { s.authed = true; return nil }), nil
}

// TestOAuthInprocess logs in to go-imap's and go-smtp's servers with
// go-sasl's OAUTHBEARER, and is refused with a wrong token: the libraries'
// servers read the credentials and answer the refusal as RFC 7628 has it.
func TestOAuthInprocess(t *testing.T) {
	e := newInprocEnv(t)
	for _, tt := range []struct {
		proto Protocol
		port  int
	}{
		{IMAP, startIMAPWith(t, e, func(s imapserver.Session) imapserver.Session { return oauthIMAPSession{s} }, true)},
		{SMTP, startSMTPWith(t, e, oauthSMTPBackend{}, false)},
	} {
		t.Run(string(tt.proto), func(t *testing.T) {
			security := TLS
			if tt.proto == SMTP {
				security = StartTLS
			}
			s := inprocServer(tt.proto, security, tt.port)
			s.Auth = AuthOAuth2
			for _, token := range []string{oauthToken, oauthToken + "-expired"} {
				var trace bytes.Buffer
				opts := e.options(inprocPassword, &trace)
				opts.AccessToken = token
				r := Test(context.Background(), s, opts)
				requireNoCredential(t, r, trace.String())
				if Repeats(trace.String(), token) {
					t.Errorf("the trace holds the token:\n%s", trace.String())
				}
				if token == oauthToken {
					if !r.OK || !r.LoggedIn {
						t.Errorf("Test() = %s, LoggedIn %v; want logged in with the token\n%s", r.Code, r.LoggedIn, trace.String())
					}
					continue
				}
				if r.Code != CodeOAuthTokenRejected || !strings.Contains(Explain(r, nil, English).Why, "invalid_token") {
					t.Errorf("Test() with a wrong token = %s (%v); want %s with the status invalid_token\n%s", r.Code, r.Failure, CodeOAuthTokenRejected, trace.String())
				}
			}
		})
	}
}
