package probe

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"time"
)

// DefaultTimeout bounds one server's whole test when Options.Timeout is zero.
const DefaultTimeout = 15 * time.Second

// Options are the credentials and the rules of one test. A nil options
// pointer is equivalent to a zero options value.
type Options struct {
	// Username is used for servers whose own Username is empty.
	Username string
	// Password is sent only over TLS with a verified or pinned certificate,
	// or in the clear when AllowCleartext is set. Empty means: connect and
	// set up TLS, but do not log in.
	Password string
	// AccessToken is an OAuth2 access token, a secret exactly like the
	// password and sent under the same rules. A server whose Auth is
	// AuthOAuth2 logs in with it (OAUTHBEARER or XOAUTH2) instead of the
	// password; empty means no login for such a server.
	AccessToken string
	// RootCAs are the trusted roots; nil means the system's.
	RootCAs *x509.CertPool
	// SystemRoots makes the system's roots vouch too, besides RootCAs
	// (a private CA's file added to them). See VerifyChain.
	SystemRoots bool
	// Pins are certificates trusted by fingerprint whatever their issuer:
	// those of the servers tested. A server whose certificate no trusted
	// authority vouches for and that matches none of them has changed its
	// certificate (certificate_changed).
	Pins []Pin
	// AllowCleartext permits a login on a connection without TLS.
	AllowCleartext bool
	// Timeout bounds each server's test; zero means DefaultTimeout.
	Timeout time.Duration
	// ConnectTimeout bounds the connect step, and GreetingTimeout the
	// wait from connected to the server's greeting (an implicit TLS
	// handshake included); zero means only Timeout bounds them. Guessing
	// sets them so that a port that drops the connection attempt, or
	// takes it and says nothing, is given up in seconds.
	ConnectTimeout  time.Duration
	GreetingTimeout time.Duration
	// Dialer and Resolver default to the standard library's.
	Dialer   Dialer
	Resolver Resolver
	// Progress, if set, is told of each step of a server's test as the step
	// ends, on the test's goroutine, so that a screen can tick off connect,
	// TLS and login as they happen.
	Progress func(Server, Step)
	// Trace, if set, receives the conversation with every secret redacted,
	// one whole line per write; probe serialises the writes of concurrent
	// tests.
	Trace io.Writer
}

// Role says what a server is for.
type Role string

// Incoming servers are read from; outgoing ones send.
const (
	Incoming Role = "incoming"
	Outgoing Role = "outgoing"
)

// Result is the outcome of testing one server, as DESIGN.md's JSON has it.
// Message is left to the caller, who knows the person's language.
type Result struct {
	Role           Role     `json:"role"`
	Server         Server   `json:"server"`
	OK             bool     `json:"ok"`
	Code           Code     `json:"code"`
	Message        string   `json:"message"`
	Advice         []string `json:"advice,omitempty"`
	ElapsedMS      int64    `json:"elapsed_ms"`
	TLS            *TLSInfo `json:"tls"`
	Greeting       string   `json:"greeting"`
	Software       string   `json:"software"`
	Capabilities   []string `json:"capabilities"`
	AuthMechanisms []string `json:"auth_mechanisms"`
	Alerts         []string `json:"alerts,omitempty"`
	Steps          []Step   `json:"steps"`
	LoggedIn       bool     `json:"logged_in"`

	// Failure is the diagnosed error, nil on success.
	// Withheld is set when the server's answer after the login said the
	// password or the access token back in some form: it is not shown,
	// anywhere.
	Withheld bool          `json:"withheld,omitempty"`
	Failure  *Failure      `json:"-"`
	Elapsed  time.Duration `json:"-"`
}

// facts is what a protocol conversation learnt, filled in as it goes so
// that a failure half-way still reports everything seen before it.
type facts struct {
	greeting string
	caps     []string
	mechs    []string
	alerts   []string
	loggedIn bool
	// withheld is set when an answer after the credentials said the
	// password back.
	withheld bool
}

// Test checks one server: connect, TLS, greeting, capabilities and, when a
// password (or, for OAuth2, an access token) is given, login.
func Test(ctx context.Context, s Server, opts *Options) Result {
	return test(ctx, s, opts, nil)
}

// test runs Test's conversation and then, once it has passed, more of
// it: the sending of Send.
func test(ctx context.Context, s Server, opts *Options, then func(*conversation) *Failure) Result {
	if opts == nil {
		opts = &Options{}
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	start := time.Now()
	if s.Username == "" {
		s.Username = opts.Username
	}
	t := &tlsCheck{roots: opts.RootCAs, system: opts.SystemRoots, pins: opts.Pins}
	var f facts
	steps, failure := run(ctx, s, opts, t, &f, then)
	r := Result{
		Server:         s,
		OK:             failure == nil,
		Code:           CodeOK,
		TLS:            t.result(),
		Greeting:       Sanitize(f.greeting),
		Capabilities:   sanitizeAll(f.caps),
		AuthMechanisms: sanitizeAll(f.mechs),
		Alerts:         f.alerts,
		Steps:          steps,
		LoggedIn:       f.loggedIn,
		Failure:        failure,
		Elapsed:        time.Since(start),
	}
	if failure != nil {
		r.Code = failure.Code
	}
	r.ElapsedMS = r.Elapsed.Milliseconds()
	r.Software = Recognise(f.greeting, f.caps).String()
	r.withhold(newSecret(opts.Password, opts.AccessToken), f.withheld)
	return r
}

// withhold removes what the server said after the credentials when it
// says the password or the token back in any form: the failure's reply, alerts, the
// error's text. The facts shown (host, certificate, greeting,
// capabilities) were received before any credential was sent and are
// never altered.
func (r *Result) withhold(sec *secret, withheld bool) {
	if sec == nil {
		return
	}
	alerts := r.Alerts[:0:0]
	for _, a := range r.Alerts {
		if sec.in(a) {
			withheld = true
			continue
		}
		alerts = append(alerts, a)
	}
	if r.Alerts != nil {
		r.Alerts = alerts
	}
	if f := r.Failure; f != nil && (sec.in(f.Reply) || f.Err != nil && sec.in(f.Err.Error())) {
		withheld = true
	}
	if f := r.Failure; f != nil && withheld {
		f.Reply, f.Err = "", errWithheld
	}
	r.Withheld = withheld
}

// errWithheld replaces an error whose text said the password or the token
// back.
var errWithheld = errors.New("the server's answer repeats the password or token and is not shown")

// sanitizeAll sanitises each of a server's words; never nil, so that JSON
// says [] rather than null.
func sanitizeAll(words []string) []string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		out = append(out, Sanitize(w))
	}
	return out
}

func run(ctx context.Context, s Server, opts *Options, t *tlsCheck, f *facts, then func(*conversation) *Failure) ([]Step, *Failure) {
	ss := &session{name: s.String(), ctx: ctx, trace: opts.Trace, greetWithin: opts.GreetingTimeout}
	if opts.Progress != nil {
		ss.progress = func(st Step) { opts.Progress(s, st) }
	}
	ss.secret = newSecret(opts.Password, opts.AccessToken)
	failure := dialogue(ss, s, opts, t, f, then)
	ss.close()
	f.withheld = ss.withheld
	return ss.steps, failure
}

func dialogue(ss *session, s Server, opts *Options, t *tlsCheck, f *facts, then func(*conversation) *Failure) *Failure {
	resolver := opts.Resolver
	if resolver == nil {
		resolver = net.DefaultResolver
	}
	dialer := opts.Dialer
	if dialer == nil {
		dialer = &net.Dialer{}
	}
	ss.begin("dns")
	ips, err := resolve(ss.ctx, resolver, s.Host)
	if err != nil {
		return dialFailure("dns", err)
	}
	ss.begin("connect")
	dialCtx := ss.ctx
	if opts.ConnectTimeout > 0 {
		var cancel context.CancelFunc
		dialCtx, cancel = context.WithTimeout(ss.ctx, opts.ConnectTimeout)
		defer cancel()
	}
	conn, err := dialFirst(dialCtx, dialer, ips, s.Port)
	if err != nil {
		return dialFailure("connect", err)
	}
	ss.attach(conn)
	if s.Security == TLS {
		ss.begin("tls")
		if failure := ss.handshake(s.Host, t); failure != nil {
			return greetedInPlaintext(failure)
		}
	}
	c := conversation{session: ss, server: s, opts: opts, tls: t, facts: f, dialer: dialer}
	var failure *Failure
	switch s.Protocol {
	case IMAP:
		failure = c.imap()
	case POP3:
		failure = c.pop3()
	case SMTP:
		failure = c.smtp()
	default:
		return fail(CodeProtocolError, "connect", fmt.Errorf("unknown protocol %q", s.Protocol))
	}
	if failure != nil || then == nil {
		return c.blameCleartext(failure)
	}
	return then(&c)
}

// blameCleartext names the real cause when a server without TLS offers no
// way to log in but does offer STARTTLS: it wants encryption first.
func (c *conversation) blameCleartext(f *Failure) *Failure {
	if f == nil || c.server.Security != None || f.Step != "login" {
		return f
	}
	offersTLS := hasCap(c.caps, "STARTTLS") || hasCap(c.caps, "STLS")
	if offersTLS && (f.Code == CodeLoginDisabled || f.Code == CodeAuthMechanismUnsupported) {
		f.Code, f.Err = CodeCleartextRefused, errServerWantsTLS
	}
	return f
}

// conversation is one protocol dialogue over a session.
type conversation struct {
	*session
	server Server
	opts   *Options
	tls    *tlsCheck
	dialer Dialer
	*facts
	// onUntagged sees the IMAP untagged responses of the running command.
	onUntagged func(line string)
	// sasl is the login's SASL client, once the login has begun.
	sasl *saslClient
}

// mayLogin decides whether credentials may be sent now: only with TLS up and
// its certificate accepted, unless cleartext was explicitly allowed.
func (c *conversation) mayLogin() *Failure {
	if c.server.Security == None && !c.opts.AllowCleartext {
		return fail(CodeCleartextRefused, "login", nil)
	}
	return nil
}

// Target is a role with its server and the fallbacks tried after it fails.
type Target struct {
	Role    Role
	Servers []Server
}

// TestAll tests the targets' roles concurrently; within a role, each
// fallback is tried only after the one before it failed (TestInOrder).
// Every attempt is reported, in order.
func TestAll(ctx context.Context, targets []Target, opts *Options) []Result {
	if opts != nil && opts.Trace != nil {
		shared := *opts
		shared.Trace = &lockedWriter{w: opts.Trace}
		opts = &shared
	}
	out := make([][]Result, len(targets))
	var wg sync.WaitGroup
	for i, tg := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = TestInOrder(ctx, tg.Servers, opts, func(ctx context.Context, s Server, opts *Options) Result {
				r := Test(ctx, s, opts)
				r.Role = tg.Role
				return r
			})
		}()
	}
	wg.Wait()
	var all []Result
	for _, rs := range out {
		all = append(all, rs...)
	}
	return all
}

// TestInOrder tests one role's servers with test, in order, until one
// passes or ctx ends, and returns every result. Once a host has refused
// the credentials (auth_failed), the other servers on that host are not
// tried with them: providers lock an account after a few failed logins,
// and one wrong password must not count several times. Those servers are
// left out of the results, as they were not tested. postino test and the
// wizard both move on to the next server by this one rule.
func TestInOrder(ctx context.Context, servers []Server, opts *Options, test func(context.Context, Server, *Options) Result) []Result {
	var (
		results   []Result
		refusedBy []Server
	)
	for _, s := range servers {
		if slices.ContainsFunc(refusedBy, func(r Server) bool { return sameLogin(r, s, opts) }) {
			continue
		}
		r := test(ctx, s, opts)
		results = append(results, r)
		if r.OK || ctx.Err() != nil {
			break
		}
		if r.Code == CodeAuthFailed {
			refusedBy = append(refusedBy, r.Server)
		}
	}
	return results
}

// sameLogin reports whether a login to s would send the credentials that
// tested, a server already tested, was sent: the same host (in any case)
// and the same user name.
func sameLogin(tested, s Server, opts *Options) bool {
	if s.Username == "" && opts != nil {
		s.Username = opts.Username
	}
	return strings.EqualFold(tested.Host, s.Host) && tested.Username == s.Username
}

// Passed reports whether every role had a server that passed.
func Passed(results []Result) bool {
	ok := map[Role]bool{}
	for _, r := range results {
		ok[r.Role] = ok[r.Role] || r.OK
	}
	for _, v := range ok {
		if !v {
			return false
		}
	}
	return len(ok) > 0
}

// LoginTested reports whether every server that passed was logged in to:
// a test without a password shows that the connection and TLS work, not
// that the login does.
func LoginTested(results []Result) bool {
	for _, r := range results {
		if r.OK && !r.LoggedIn {
			return false
		}
	}
	return len(results) > 0
}

// lockedWriter keeps the lines of concurrent traces whole.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
