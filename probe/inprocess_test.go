package probe

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/postino/postino/probe/probetest"
)

// The account every in-process server knows. The password has a space and
// non-ASCII letters so that it is not an easy quoted string, and a
// distinctive ASCII part to search outputs for.
const (
	inprocHost     = "mail.example.test"
	inprocUser     = "alice@example.test"
	inprocPassword = "Zürich hunter2-§42"
	inprocWrong    = "Zürich hunter3-wrong"
)

// inprocEnv is what the in-process servers of one test share: a throwaway
// CA and a certificate for inprocHost.
type inprocEnv struct {
	ca   *probetest.CA
	cert tls.Certificate
}

func newInprocEnv(t testing.TB) *inprocEnv {
	t.Helper()
	ca := probetest.NewCA(t, "Postino Test CA")
	return &inprocEnv{ca: ca, cert: ca.Issue(t, []string{inprocHost}, time.Time{}, time.Time{})}
}

func (e *inprocEnv) serverTLS() *tls.Config { return serverTLS(e.cert) }

// options are the probe's options for alice with password (empty: no
// login), trusting the CA and resolving inprocHost to the loopback address.
func (e *inprocEnv) options(password string, trace io.Writer) *Options {
	return &Options{
		Username: inprocUser,
		Password: password,
		RootCAs:  e.ca.Pool,
		Timeout:  10 * time.Second,
		Resolver: fakeResolver{inprocHost: {{IP: net.IPv4(127, 0, 0, 1)}}},
		Trace:    trace,
	}
}

// inprocServer is a server URL's parts for a port on inprocHost.
func inprocServer(p Protocol, sec Security, port int) Server {
	return Server{Protocol: p, Host: inprocHost, Port: port, Security: sec, Auth: AuthPassword}
}

// inprocListen listens on a free loopback port, with TLS when tlsConfig is
// set, and closes the listener when the test ends.
func inprocListen(t testing.TB, tlsConfig *tls.Config) (net.Listener, int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("Listen() = %v", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	t.Cleanup(func() { ln.Close() })
	if tlsConfig != nil {
		ln = tls.NewListener(ln, tlsConfig)
	}
	return ln, port
}

// closedPort is a loopback port that nothing listens on any more.
func closedPort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("Listen() = %v", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

var quietLog = log.New(io.Discard, "", 0)

// startIMAP runs go-imap's in-memory server, knowing alice, on a free port:
// implicit TLS when implicit is set, else STARTTLS. Logins are refused
// before TLS (InsecureAuth is false).
func startIMAP(t testing.TB, e *inprocEnv, implicit bool) int {
	t.Helper()
	return startIMAPWith(t, e, func(s imapserver.Session) imapserver.Session { return s }, implicit)
}

// startIMAPWith is startIMAP with each in-memory session wrapped, e.g. to
// offer other SASL mechanisms.
func startIMAPWith(t testing.TB, e *inprocEnv, wrap func(imapserver.Session) imapserver.Session, implicit bool) int {
	t.Helper()
	mem := imapmemserver.New()
	mem.AddUser(imapmemserver.NewUser(inprocUser, inprocPassword))
	opts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return wrap(mem.NewSession()), nil, nil
		},
		Logger: quietLog,
	}
	var lnTLS *tls.Config
	if implicit {
		lnTLS = e.serverTLS()
	} else {
		opts.TLSConfig = e.serverTLS()
	}
	srv := imapserver.New(opts)
	ln, port := inprocListen(t, lnTLS)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return port
}

// startSMTP runs a go-smtp submission server with AUTH PLAIN for alice on
// a free port: implicit TLS when implicit is set, else STARTTLS.
func startSMTP(t testing.TB, e *inprocEnv, implicit bool) int {
	t.Helper()
	return startSMTPWith(t, e, smtpTestBackend{}, implicit)
}

// startSMTPWith runs go-smtp's server with backend on a free port, with
// implicit TLS or STARTTLS.
func startSMTPWith(t testing.TB, e *inprocEnv, backend smtp.Backend, implicit bool) int {
	t.Helper()
	srv := smtp.NewServer(backend)
	srv.Domain = inprocHost
	srv.ErrorLog = quietLog
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	var lnTLS *tls.Config
	if implicit {
		lnTLS = e.serverTLS()
	} else {
		srv.TLSConfig = e.serverTLS()
	}
	ln, port := inprocListen(t, lnTLS)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return port
}

// smtpTestBackend accepts alice's submissions once she has logged in.
type smtpTestBackend struct{}

func (smtpTestBackend) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &smtpTestSession{}, nil
}

type smtpTestSession struct{ authed bool }

func (s *smtpTestSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *smtpTestSession) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if identity != "" && identity != username || username != inprocUser || password != inprocPassword {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *smtpTestSession) Mail(string, *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	return nil
}

func (s *smtpTestSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *smtpTestSession) Data(r io.Reader) error               { _, err := io.Copy(io.Discard, r); return err }
func (s *smtpTestSession) Reset()                               {}
func (s *smtpTestSession) Logout() error                        { return nil }

// pop3TestServer is a small, well-behaved POP3 server (RFC 1939, 2449, 2595,
// 5034) knowing alice: it offers STLS before TLS and USER and SASL PLAIN
// only after it, like Dovecot with plaintext logins disabled.
type pop3TestServer struct {
	tls      *tls.Config
	implicit bool
	noSASL   bool // CAPA lists USER but no SASL
	noCapa   bool // CAPA is answered -ERR, as by a pre-RFC 2449 server

	// sessions receives, as each connection ends, the commands it saw
	// (verbs, and the mechanism of AUTH; never an argument).
	sessions chan []string
}

// startPOP3 runs s on a free port until the test ends.
func startPOP3(t testing.TB, s *pop3TestServer) int {
	t.Helper()
	s.sessions = make(chan []string, 64)
	var lnTLS *tls.Config
	if s.implicit {
		lnTLS = s.tls
	}
	ln, port := inprocListen(t, lnTLS)
	probetest.Serve(t, ln, s.serve)
	return port
}

// session returns the commands of the next connection to end.
func (s *pop3TestServer) session(t testing.TB) []string {
	t.Helper()
	select {
	case cmds := <-s.sessions:
		return cmds
	case <-time.After(5 * time.Second):
		t.Fatal("the POP3 session did not end")
		return nil
	}
}

func (s *pop3TestServer) serve(c net.Conn) {
	var seen []string
	defer func() {
		c.Close()
		select {
		case s.sessions <- seen:
		default:
		}
	}()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	_, secure := c.(*tls.Conn)
	br := bufio.NewReader(c)
	reply := func(lines ...string) bool {
		_, err := io.WriteString(c, strings.Join(lines, "\r\n")+"\r\n")
		return err == nil
	}
	readLine := func() (string, bool) {
		line, err := br.ReadString('\n')
		return strings.TrimRight(line, "\r\n"), err == nil && len(line) <= 512
	}
	if !reply("+OK POP3 test server ready.") {
		return
	}
	var user string
	for {
		line, ok := readLine()
		if !ok {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		if verb == "AUTH" {
			mech, _, _ := strings.Cut(arg, " ")
			seen = append(seen, verb+" "+strings.ToUpper(mech))
		} else {
			seen = append(seen, verb)
		}
		switch verb {
		case "CAPA":
			if s.noCapa {
				ok = reply("-ERR Unknown command.")
				break
			}
			caps := []string{"+OK Capability list follows", "TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"}
			if !secure {
				caps = append(caps, "STLS")
			} else {
				caps = append(caps, "USER")
				if !s.noSASL {
					caps = append(caps, "SASL PLAIN")
				}
			}
			ok = reply(append(caps, ".")...)
		case "STLS":
			if secure {
				ok = reply("-ERR TLS already active.")
				break
			}
			if !reply("+OK Begin TLS negotiation now.") {
				return
			}
			tc := tls.Server(c, s.tls)
			if tc.Handshake() != nil {
				return
			}
			c, br, secure = tc, bufio.NewReader(tc), true
		case "AUTH":
			mech, ir, hasIR := strings.Cut(arg, " ")
			if !secure || s.noSASL || !strings.EqualFold(mech, "PLAIN") {
				ok = reply("-ERR [AUTH] Unsupported authentication mechanism.")
				break
			}
			if !hasIR {
				if !reply("+ ") {
					return
				}
				if ir, ok = readLine(); !ok {
					return
				}
			}
			if ir == "*" {
				ok = reply("-ERR Authentication aborted.")
				break
			}
			ok = reply(s.plain(ir))
		case "USER":
			if !secure {
				ok = reply("-ERR [AUTH] Plaintext authentication disallowed on non-secure connections.")
				break
			}
			user = arg
			ok = reply("+OK")
		case "PASS":
			if user == inprocUser && arg == inprocPassword {
				ok = reply("+OK Logged in.")
			} else {
				ok = reply("-ERR [AUTH] Authentication failed.")
			}
		case "QUIT":
			reply("+OK Logging out.")
			return
		default:
			ok = reply("-ERR Unknown command.")
		}
		if !ok {
			return
		}
	}
}

// plain answers an AUTH PLAIN response.
func (s *pop3TestServer) plain(encoded string) string {
	b, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return "-ERR Invalid base64 data."
	}
	parts := strings.Split(string(b), "\x00")
	if len(parts) != 3 {
		return "-ERR Invalid AUTH PLAIN response."
	}
	if parts[1] == inprocUser && parts[2] == inprocPassword && (parts[0] == "" || parts[0] == parts[1]) {
		return "+OK Logged in."
	}
	return "-ERR [AUTH] Authentication failed."
}

func newPOP3TestServer(e *inprocEnv, implicit bool) *pop3TestServer {
	return &pop3TestServer{tls: e.serverTLS(), implicit: implicit}
}

// stepNames lists a result's step names in order.
func stepNames(r Result) []string {
	var names []string
	for _, s := range r.Steps {
		names = append(names, s.Name)
	}
	return names
}

// requireLoggedIn checks everything a good login over verified TLS 1.3
// reports, with the steps taken in order. Capabilities are the caller's to
// check: a POP3 server without CAPA has none.
func requireLoggedIn(t *testing.T, r Result, steps []string) {
	t.Helper()
	if !r.OK || r.Code != CodeOK || r.Failure != nil {
		t.Fatalf("Test() = %s (%v), want ok; steps %v", r.Code, r.Failure, stepNames(r))
	}
	if !r.LoggedIn {
		t.Errorf("LoggedIn = false, want true")
	}
	if r.TLS == nil {
		t.Fatalf("TLS = nil, want the session's facts")
	}
	if !r.TLS.Verified || r.TLS.Pinned {
		t.Errorf("TLS Verified, Pinned = %v, %v; want true, false", r.TLS.Verified, r.TLS.Pinned)
	}
	if r.TLS.Version != "TLS 1.3" {
		t.Errorf("TLS.Version = %q, want TLS 1.3", r.TLS.Version)
	}
	if c := r.TLS.Certificate; c == nil || !slices.Contains(c.DNSNames, inprocHost) || len(c.SHA256) != 64 {
		t.Errorf("TLS.Certificate = %+v, want one for %s with its fingerprint", c, inprocHost)
	}
	if r.Greeting == "" {
		t.Errorf("Greeting is empty")
	}
	if got := stepNames(r); !slices.Equal(got, steps) {
		t.Errorf("steps = %v, want %v", got, steps)
	}
	if r.Elapsed <= 0 || r.ElapsedMS != r.Elapsed.Milliseconds() {
		t.Errorf("Elapsed, ElapsedMS = %v, %d", r.Elapsed, r.ElapsedMS)
	}
}

// requireNoSecret searches every output of a probe for the passwords and
// for the base64 SASL PLAIN responses that carry them.
func requireNoSecret(t *testing.T, trace string, results ...Result) {
	t.Helper()
	var outputs strings.Builder
	outputs.WriteString(trace)
	for _, r := range results {
		fmt.Fprintf(&outputs, "\n%+v\n%v\n%#v\n", r, r, r)
		if r.Failure != nil {
			fmt.Fprintf(&outputs, "%s\n%+v\n", r.Failure.Error(), r.Failure)
		}
		js, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("json.Marshal() = %v", err)
		}
		outputs.Write(js)
	}
	all := outputs.String()
	for _, secret := range []string{
		inprocPassword, inprocWrong, "hunter2", "hunter3",
		encode([]byte("\x00" + inprocUser + "\x00" + inprocPassword)),
		encode([]byte("\x00" + inprocUser + "\x00" + inprocWrong)),
	} {
		if Repeats(all, secret) {
			t.Errorf("an output holds the secret %q:\n%s", secret, all)
		}
	}
}

// probeWithTrace tests s and returns the result and the trace.
func probeWithTrace(t *testing.T, e *inprocEnv, s Server, password string) (Result, string) {
	t.Helper()
	var trace bytes.Buffer
	r := Test(context.Background(), s, e.options(password, &trace))
	requireNoSecret(t, trace.String(), r)
	return r, trace.String()
}

func TestInprocessIMAP(t *testing.T) {
	e := newInprocEnv(t)
	tests := []struct {
		name     string
		security Security
		steps    []string
	}{
		// The greeting carries the capabilities, so none are asked for.
		{"implicit TLS", TLS, []string{"dns", "connect", "tls", "greeting", "login"}},
		{"STARTTLS", StartTLS, []string{"dns", "connect", "greeting", "starttls", "tls", "capabilities", "login"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := inprocServer(IMAP, tt.security, startIMAP(t, e, tt.security == TLS))

			r, trace := probeWithTrace(t, e, s, inprocPassword)
			requireLoggedIn(t, r, tt.steps)
			if !hasCap(r.Capabilities, "IMAP4rev1") || !slices.Contains(r.AuthMechanisms, "PLAIN") {
				t.Errorf("Capabilities, AuthMechanisms = %v, %v; want IMAP4rev1 and PLAIN", r.Capabilities, r.AuthMechanisms)
			}
			if !strings.Contains(trace, "C: a AUTHENTICATE PLAIN [redacted]") {
				t.Errorf("the trace shows no AUTHENTICATE PLAIN with SASL-IR:\n%s", trace)
			}
			if tt.security == StartTLS && hasCap(r.Capabilities, "STARTTLS") {
				t.Errorf("Capabilities = %v: still those from before TLS", r.Capabilities)
			}

			r, _ = probeWithTrace(t, e, s, inprocWrong)
			if r.Code != CodeAuthFailed || r.OK || r.LoggedIn {
				t.Errorf("with a wrong password: Code, OK, LoggedIn = %s, %v, %v; want auth_failed, false, false", r.Code, r.OK, r.LoggedIn)
			}
			if r.Failure == nil || r.Failure.Step != "login" || r.Failure.Reply == "" {
				t.Errorf("with a wrong password: Failure = %+v, want the login step and the server's reply", r.Failure)
			}

			r, _ = probeWithTrace(t, e, s, "")
			if !r.OK || r.LoggedIn || r.TLS == nil || !r.TLS.Verified {
				t.Errorf("without a password: OK, LoggedIn, TLS = %v, %v, %+v; want a verified connection without login", r.OK, r.LoggedIn, r.TLS)
			}
		})
	}
}

func TestInprocessSMTP(t *testing.T) {
	e := newInprocEnv(t)
	tests := []struct {
		name     string
		security Security
		steps    []string
	}{
		{"implicit TLS", TLS, []string{"dns", "connect", "tls", "greeting", "capabilities", "login"}},
		{"STARTTLS", StartTLS, []string{"dns", "connect", "greeting", "capabilities", "starttls", "tls", "capabilities", "login"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := inprocServer(SMTP, tt.security, startSMTP(t, e, tt.security == TLS))

			r, trace := probeWithTrace(t, e, s, inprocPassword)
			requireLoggedIn(t, r, tt.steps)
			if !hasCap(r.Capabilities, "PIPELINING") || !slices.Equal(r.AuthMechanisms, []string{"PLAIN"}) {
				t.Errorf("Capabilities, AuthMechanisms = %v, %v; want PIPELINING and [PLAIN]", r.Capabilities, r.AuthMechanisms)
			}
			if hasCap(r.Capabilities, "STARTTLS") {
				t.Errorf("Capabilities = %v: still those from before TLS", r.Capabilities)
			}
			if !strings.Contains(r.Greeting, "220 "+inprocHost) {
				t.Errorf("Greeting = %q, want the 220 line", r.Greeting)
			}
			if !strings.Contains(trace, "C: AUTH PLAIN [redacted]") {
				t.Errorf("the trace shows no AUTH PLAIN with an initial response:\n%s", trace)
			}

			r, _ = probeWithTrace(t, e, s, inprocWrong)
			if r.Code != CodeAuthFailed || r.OK || r.LoggedIn {
				t.Errorf("with a wrong password: Code, OK, LoggedIn = %s, %v, %v; want auth_failed, false, false", r.Code, r.OK, r.LoggedIn)
			}
			if r.Failure == nil || !strings.HasPrefix(r.Failure.Reply, "535") {
				t.Errorf("with a wrong password: Failure = %+v, want the server's 535", r.Failure)
			}
		})
	}
}

func TestInprocessPOP3(t *testing.T) {
	e := newInprocEnv(t)
	tests := []struct {
		name   string
		server *pop3TestServer
		sec    Security
		steps  []string
		// cmds is what the server sees up to the login, QUIT aside.
		cmds []string
	}{
		{
			name:   "implicit TLS",
			server: newPOP3TestServer(e, true),
			sec:    TLS,
			steps:  []string{"dns", "connect", "tls", "greeting", "capabilities", "login"},
			cmds:   []string{"CAPA", "AUTH PLAIN"},
		},
		{
			name:   "STARTTLS",
			server: newPOP3TestServer(e, false),
			sec:    StartTLS,
			steps:  []string{"dns", "connect", "greeting", "capabilities", "starttls", "tls", "capabilities", "login"},
			cmds:   []string{"CAPA", "STLS", "CAPA", "AUTH PLAIN"},
		},
		{
			name:   "STARTTLS without SASL",
			server: &pop3TestServer{tls: e.serverTLS(), noSASL: true},
			sec:    StartTLS,
			steps:  []string{"dns", "connect", "greeting", "capabilities", "starttls", "tls", "capabilities", "login"},
			cmds:   []string{"CAPA", "STLS", "CAPA", "USER", "PASS"},
		},
		{
			name:   "implicit TLS without SASL",
			server: &pop3TestServer{tls: e.serverTLS(), implicit: true, noSASL: true},
			sec:    TLS,
			steps:  []string{"dns", "connect", "tls", "greeting", "capabilities", "login"},
			cmds:   []string{"CAPA", "USER", "PASS"},
		},
		{
			name:   "STARTTLS without CAPA",
			server: &pop3TestServer{tls: e.serverTLS(), noCapa: true},
			sec:    StartTLS,
			steps:  []string{"dns", "connect", "greeting", "capabilities", "starttls", "tls", "capabilities", "login"},
			cmds:   []string{"CAPA", "STLS", "CAPA", "USER", "PASS"},
		},
		{
			name:   "implicit TLS without CAPA",
			server: &pop3TestServer{tls: e.serverTLS(), implicit: true, noCapa: true},
			sec:    TLS,
			steps:  []string{"dns", "connect", "tls", "greeting", "capabilities", "login"},
			cmds:   []string{"CAPA", "USER", "PASS"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := inprocServer(POP3, tt.sec, startPOP3(t, tt.server))

			r, trace := probeWithTrace(t, e, s, inprocPassword)
			requireLoggedIn(t, r, tt.steps)
			// Without CAPA nothing is known of the server's abilities.
			if hasCaps := len(r.Capabilities) > 0; hasCaps == tt.server.noCapa || hasCap(r.Capabilities, "STLS") {
				t.Errorf("Capabilities = %v, want those after TLS, or none without CAPA", r.Capabilities)
			}
			cmds := slices.DeleteFunc(tt.server.session(t), func(c string) bool { return c == "QUIT" })
			if !slices.Equal(cmds, tt.cmds) {
				t.Errorf("the server saw %v, want %v", cmds, tt.cmds)
			}
			if slices.Contains(tt.cmds, "PASS") && !strings.Contains(trace, "C: PASS [redacted]") {
				t.Errorf("the trace shows no redacted PASS:\n%s", trace)
			}
			if r.Greeting != "POP3 test server ready." {
				t.Errorf("Greeting = %q", r.Greeting)
			}

			r, _ = probeWithTrace(t, e, s, inprocWrong)
			tt.server.session(t)
			if r.Code != CodeAuthFailed || r.OK || r.LoggedIn {
				t.Errorf("with a wrong password: Code, OK, LoggedIn = %s, %v, %v; want auth_failed, false, false", r.Code, r.OK, r.LoggedIn)
			}
			if r.Failure == nil || r.Failure.Reply != "Authentication failed." {
				t.Errorf("with a wrong password: Failure = %+v, want the server's reply without its [AUTH] code", r.Failure)
			}
		})
	}
}

func TestInprocessTestAll(t *testing.T) {
	e := newInprocEnv(t)
	imaps := inprocServer(IMAP, TLS, startIMAP(t, e, true))
	submission := inprocServer(SMTP, StartTLS, startSMTP(t, e, false))
	closed := inprocServer(IMAP, TLS, closedPort(t))
	closedSMTP := inprocServer(SMTP, TLS, closedPort(t))

	// A plain buffer: TestAll itself serialises the probes' trace lines.
	var trace bytes.Buffer
	opts := e.options(inprocPassword, &trace)
	results := TestAll(context.Background(), []Target{
		{Role: Incoming, Servers: []Server{closed, imaps, closedSMTP}},
		{Role: Outgoing, Servers: []Server{submission, closedSMTP}},
	}, opts)
	requireNoSecret(t, trace.String(), results...)

	type attempt struct {
		role   Role
		server Server
		code   Code
	}
	var got []attempt
	for _, r := range results {
		got = append(got, attempt{r.Role, r.Server, r.Code})
	}
	closed.Username, imaps.Username, submission.Username = inprocUser, inprocUser, inprocUser
	want := []attempt{
		{Incoming, closed, CodeConnectionRefused},
		{Incoming, imaps, CodeOK},
		{Outgoing, submission, CodeOK},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("TestAll() attempts = %+v, want %+v", got, want)
	}
	if got := stepNames(results[0]); !slices.Equal(got, []string{"dns", "connect"}) {
		t.Errorf("the refused attempt's steps = %v, want [dns connect]", got)
	}
	if !Passed(results) {
		t.Errorf("Passed() = false, want true")
	}

	results = TestAll(context.Background(), []Target{
		{Role: Incoming, Servers: []Server{imaps}},
		{Role: Outgoing, Servers: []Server{closedSMTP, inprocServer(SMTP, StartTLS, closedPort(t))}},
	}, e.options(inprocPassword, nil))
	var codes []Code
	for _, r := range results {
		codes = append(codes, r.Code)
	}
	if want := []Code{CodeOK, CodeConnectionRefused, CodeConnectionRefused}; !slices.Equal(codes, want) {
		t.Errorf("TestAll() codes = %v, want %v", codes, want)
	}
	if Passed(results) {
		t.Errorf("Passed() = true with no working outgoing server, want false")
	}
}

// TestInprocessServerTextSanitised checks that a server's own words in a
// certificate or a capability reach neither a result nor an explanation
// with an escape sequence in them.
func TestInprocessServerTextSanitised(t *testing.T) {
	e := newInprocEnv(t)
	hostile := e.ca.Issue(t, []string{"\x1b[2Jevil\x1b]0;title\x07", "other.example"}, time.Time{}, time.Time{})
	tests := []struct {
		name     string
		cert     tls.Certificate
		greeting string
		code     Code
	}{
		{"certificate names", hostile, "* OK ready", CodeCertificateHostMismatch},
		{"capabilities", e.cert, "* OK [CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=\x1b[2JX\x1b[31m] \x1b]0;title\x07ready", CodeAuthMechanismUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, port := inprocListen(t, serverTLS(tt.cert))
			go func() {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				defer c.Close()
				c.SetDeadline(time.Now().Add(5 * time.Second))
				io.WriteString(c, tt.greeting+"\r\n")
				io.Copy(io.Discard, c)
			}()
			r := Test(context.Background(), inprocServer(IMAP, TLS, port), e.options(inprocPassword, nil))
			if r.Code != tt.code {
				t.Fatalf("Test() = %s (%v), want %s", r.Code, r.Failure, tt.code)
			}
			x := Explain(r, []Result{r}, "en")
			shown := fmt.Sprintf("%s|%s|%s|%s|%v|%v|%+v", x.What, x.Why, r.Greeting, r.Software, x.Fix, x.Notes, *r.TLS.Certificate)
			if strings.ContainsAny(shown, "\x1b\x07\u009b") {
				t.Errorf("server text reaches a person unsanitised: %q", shown)
			}
		})
	}
}

// TestInprocessProgress: Options.Progress hears of each step as it ends,
// in order, for the server tested, and the steps it hears are the result's.
func TestInprocessProgress(t *testing.T) {
	e := newInprocEnv(t)
	s := inprocServer(IMAP, StartTLS, startIMAP(t, e, false))
	var heard []Step
	var servers []Server
	opts := e.options(inprocPassword, nil)
	opts.Progress = func(got Server, st Step) {
		servers = append(servers, got)
		heard = append(heard, st)
	}
	r := Test(context.Background(), s, opts)
	if !r.LoggedIn {
		t.Fatalf("Test() = %s (%v), want logged in", r.Code, r.Failure)
	}
	for _, got := range servers {
		if got != r.Server {
			t.Errorf("Progress() server = %+v, want the result's %+v", got, r.Server)
		}
	}
	if !slices.Equal(heard, r.Steps) {
		t.Errorf("Progress() heard %v, want the result's steps %v", heard, r.Steps)
	}
}
