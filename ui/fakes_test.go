package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/discover"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
	"github.com/postino/postino/wizard/signin"
	"github.com/postino/postino/wizard/store"
)

// Fixed facts, so that screens compare equal from run to run.
var (
	fixedDate = time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	goodCert  = &probe.CertInfo{Subject: "CN=mail.example.com", DNSNames: []string{"mail.example.com"}, Issuer: "CN=R11,O=Let's Encrypt", NotAfter: fixedDate, SHA256: strings.Repeat("ab", 32)}
	selfCert  = &probe.CertInfo{Subject: "CN=mail.example.com", DNSNames: []string{"mail.example.com"}, Issuer: "CN=mail.example.com", NotAfter: fixedDate, SHA256: strings.Repeat("c3", 32)}

	imapServer = probe.Server{Protocol: probe.IMAP, Host: "mail.example.com", Port: 993, Security: probe.TLS}
	popServer  = probe.Server{Protocol: probe.POP3, Host: "mail.example.com", Port: 995, Security: probe.TLS}
	smtpServer = probe.Server{Protocol: probe.SMTP, Host: "mail.example.com", Port: 587, Security: probe.StartTLS}
	smtpAlt    = probe.Server{Protocol: probe.SMTP, Host: "mail.example.com", Port: 465, Security: probe.TLS}

	exampleProvider = &providers.Provider{
		ID: "example", Name: "Example Mail",
		Incoming: []probe.Server{imapServer, popServer}, Outgoing: []probe.Server{smtpServer, smtpAlt},
		Hints: []probe.Text{{
			EN: "Example Mail needs an app password: make one under Settings > Security > App passwords, and type it instead of your usual password.",
			IT: "Example Mail richiede una password per le app: creala in Impostazioni > Sicurezza > Password per le app e usala al posto di quella abituale.",
		}},
		Docs: "https://help.example.com/imap",
	}
	foundSettings = mailbox.Detection{
		Source: mailbox.SourceProviders, Trusted: true, Provider: "Example Mail", ProviderID: "example",
		Incoming: []probe.Server{imapServer, popServer}, Outgoing: []probe.Server{smtpServer, smtpAlt},
	}
)

// Providers that sign in with OAuth2: one postino has a client for, one
// without a client that also takes an app password.
var (
	oauthIMAP     = probe.Server{Protocol: probe.IMAP, Host: "imap.oauth.example", Port: 993, Security: probe.TLS, Auth: probe.AuthOAuth2}
	oauthSMTP     = probe.Server{Protocol: probe.SMTP, Host: "smtp.oauth.example", Port: 587, Security: probe.StartTLS, Auth: probe.AuthOAuth2}
	oauthProvider = &providers.Provider{
		ID: "oauth", Name: "OAuth Mail", Auth: probe.AuthOAuth2, Auths: []probe.Auth{probe.AuthOAuth2},
		OAuth2:   &providers.OAuth2{ClientID: "postino", DeviceAuthorizationURL: "https://login.oauth.example/device", TokenURL: "https://login.oauth.example/token", Scopes: []string{"mail"}},
		Incoming: []probe.Server{oauthIMAP}, Outgoing: []probe.Server{oauthSMTP},
	}
	noClientProvider = &providers.Provider{
		ID: "noclient", Name: "Office Mail", Auth: probe.AuthOAuth2, Auths: []probe.Auth{probe.AuthOAuth2, probe.AuthAppPassword},
		OAuth2:   &providers.OAuth2{DeviceAuthorizationURL: "https://login.oauth.example/device", TokenURL: "https://login.oauth.example/token", Scopes: []string{"mail"}},
		Incoming: []probe.Server{oauthIMAP}, Outgoing: []probe.Server{oauthSMTP},
	}
	oauthSettings = mailbox.Detection{Source: mailbox.SourceProviders, Trusted: true, Provider: "OAuth Mail", ProviderID: "oauth",
		Incoming: []probe.Server{oauthIMAP}, Outgoing: []probe.Server{oauthSMTP}}
	// devicePrompt is what a provider's device flow asks, fixed for the
	// golden screens.
	devicePrompt  = signin.DevicePrompt{VerificationURI: "https://login.oauth.example/device", VerificationURIComplete: "https://login.oauth.example/device?code=WDJB-MJHT", UserCode: "WDJB-MJHT"}
	testProviders = finder{"example.com": exampleProvider, "oauth.example": oauthProvider, "office.example": noClientProvider}
)

// hangingClient reaches no server: every request waits for its context,
// so that a test's sign-in never leaves the machine.
var hangingClient = &http.Client{Transport: hangingTransport{}}

type hangingTransport struct{}

func (hangingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	<-r.Context().Done()
	return nil, r.Context().Err()
}

// prompted shows the fixed device prompt as the sign-in's progress.
func prompted(m *Model) {
	send(m, signInMsg{run: m.flow.SignIn().Run, prompt: &devicePrompt})
}

// finder is a provider list in memory.
type finder map[string]*providers.Provider

func (f finder) ByDomain(d string) (*providers.Provider, bool) {
	p, ok := f[d]
	return p, ok
}

// Suggest takes exmaple.com and example.con for typos of example.com, as
// providers.DB.Suggest would.
func (f finder) Suggest(d string) (string, bool) {
	switch d {
	case "exmaple.com", "example.con":
		return "example.com", true
	}
	return "", false
}

// noNetwork makes the first detection find nothing because DNS failed;
// the next one works.
func noNetwork(d *deps) { d.detector.offline.Store(1) }

// fakeDetector reports its sources and returns its result, or, when hang
// is set, waits for the context after reporting them.
type fakeDetector struct {
	events []mailbox.SourceEvent
	result mailbox.Detection
	err    error
	hang   bool
	// offline is how many runs fail as on a machine without a network.
	offline atomic.Int32
	// mail are the domains with MX records; dnsDown makes HasMail fail.
	mail    map[string]bool
	dnsDown bool
}

// HasMail answers from mail, as DNS would.
func (d *fakeDetector) HasMail(_ context.Context, domain string) (bool, error) {
	if d.dnsDown {
		return false, errors.New("dns: connection refused")
	}
	return d.mail[domain], nil
}

func (d *fakeDetector) Detect(ctx context.Context, _ string, progress func(mailbox.SourceEvent)) (mailbox.Detection, error) {
	if d.offline.Add(-1) >= 0 {
		for _, ev := range d.events {
			ev.State = mailbox.SourceNotFound
			progress(ev)
		}
		return mailbox.Detection{}, fmt.Errorf("%w: dns: connection refused", discover.ErrNoNetwork)
	}
	for _, ev := range d.events {
		progress(ev)
	}
	if d.hang {
		<-ctx.Done()
		return mailbox.Detection{}, ctx.Err()
	}
	return d.result, d.err
}

// fakeTester answers each role with a canned result; hang waits for the
// context instead, as a slow server would.
type fakeTester struct {
	mu      sync.Mutex
	results map[probe.Protocol]probe.Result
	// byPort, when it has the server's port, wins over results: a
	// server's alternatives on other ports answer differently.
	byPort map[int]probe.Result
	hang   atomic.Bool
	seen   []*probe.Options
	tried  []probe.Server

	// sendResult is what sending a test message gives, a pass when nil;
	// sendHang waits for the context instead. sent records the messages.
	sendResult *probe.Result
	sendHang   atomic.Bool
	sent       []probe.Message
	sentVia    []probe.Server
}

func (ft *fakeTester) send(ctx context.Context, s probe.Server, opts *probe.Options, msg probe.Message) probe.Result {
	ft.mu.Lock()
	ft.seen = append(ft.seen, opts)
	ft.sent = append(ft.sent, msg)
	ft.sentVia = append(ft.sentVia, s)
	ft.mu.Unlock()
	if ft.sendHang.Load() {
		<-ctx.Done()
		return probe.Result{Server: s, Code: probe.CodeTimeout, Failure: &probe.Failure{Code: probe.CodeTimeout, Step: probe.StepData}}
	}
	if ft.sendResult != nil {
		r := *ft.sendResult
		r.Server = s
		return r
	}
	r := passed(s)
	r.Elapsed = 420 * time.Millisecond
	return r
}

// messages is what was sent so far.
func (ft *fakeTester) messages() []probe.Message {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	return append([]probe.Message(nil), ft.sent...)
}

// rcptRefused is a server that takes the login but not the message.
func rcptRefused(d *deps) {
	d.tester.sendResult = &probe.Result{Code: probe.CodeProtocolError, LoggedIn: true,
		Failure: &probe.Failure{Code: probe.CodeProtocolError, Step: probe.StepRcpt, Reply: "550 5.7.1 Relay access denied"}}
}

func (ft *fakeTester) test(ctx context.Context, s probe.Server, opts *probe.Options) probe.Result {
	ft.mu.Lock()
	ft.seen = append(ft.seen, opts)
	ft.tried = append(ft.tried, s)
	ft.mu.Unlock()
	if ft.hang.Load() {
		<-ctx.Done()
		return probe.Result{Server: s, Code: probe.CodeTimeout, Failure: &probe.Failure{Code: probe.CodeTimeout, Step: "connect"}}
	}
	r, ok := ft.byPort[s.Port]
	if !ok {
		r = ft.results[s.Protocol]
	}
	if opts.Password == "right pw" && r.Code == probe.CodeAuthFailed {
		r = passed(s)
	}
	if r.Code == probe.CodeCertificateUntrusted {
		for _, p := range opts.Pins {
			if strings.TrimPrefix(p.String(), "sha256:") == r.TLS.Certificate.SHA256 {
				r = passed(s)
			}
		}
	}
	r.Server = s
	return r
}

func passed(s probe.Server) probe.Result {
	steps := []probe.Step{{Name: "dns", ElapsedMS: 2}, {Name: "connect", ElapsedMS: 18}}
	if s.Security == probe.TLS {
		steps = append(steps, probe.Step{Name: "tls", ElapsedMS: 41}, probe.Step{Name: "greeting", ElapsedMS: 12}, probe.Step{Name: "capabilities", ElapsedMS: 9})
	} else {
		steps = append(steps, probe.Step{Name: "greeting", ElapsedMS: 12}, probe.Step{Name: "capabilities", ElapsedMS: 9}, probe.Step{Name: "starttls", ElapsedMS: 8}, probe.Step{Name: "tls", ElapsedMS: 37}, probe.Step{Name: "capabilities", ElapsedMS: 7})
	}
	steps = append(steps, probe.Step{Name: "login", ElapsedMS: 64})
	s.Username = "anna@example.com"
	return probe.Result{Server: s, OK: true, Code: probe.CodeOK, LoggedIn: true, Steps: steps, Elapsed: 150 * time.Millisecond,
		TLS: &probe.TLSInfo{Version: "TLS 1.3", Verified: true, Certificate: goodCert}}
}

func untrusted(s probe.Server) probe.Result {
	return probe.Result{Server: s, Code: probe.CodeCertificateUntrusted,
		Steps:   []probe.Step{{Name: "dns", ElapsedMS: 2}, {Name: "connect", ElapsedMS: 18}, {Name: "tls", ElapsedMS: 30}},
		TLS:     &probe.TLSInfo{Version: "TLS 1.3", Certificate: selfCert},
		Failure: &probe.Failure{Code: probe.CodeCertificateUntrusted, Step: "tls"}, Elapsed: 50 * time.Millisecond}
}

func allPass() *fakeTester {
	return &fakeTester{results: map[probe.Protocol]probe.Result{probe.IMAP: passed(imapServer), probe.POP3: passed(popServer), probe.SMTP: passed(smtpServer)}}
}

// fakeSaver keeps accounts in memory; saveErr fails the next saves with a
// password.
type fakeSaver struct {
	mu       sync.Mutex
	accounts []store.Account
	saveErr  error
	saved    []store.Account
	password string
	// refresh is the refresh token of the latest account saved with its
	// sign-in.
	refresh string
}

func (s *fakeSaver) Save(a store.Account, pw string) (store.Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.saveErr != nil {
		return store.Account{}, s.saveErr
	}
	s.saved = append(s.saved, a)
	s.password = pw
	return a, nil
}

func (s *fakeSaver) SaveSignIn(a store.Account, refresh string) (store.Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.saveErr != nil {
		return store.Account{}, s.saveErr
	}
	s.saved = append(s.saved, a)
	s.refresh = refresh
	return a, nil
}

func (s *fakeSaver) SaveSettings(a store.Account) (store.Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.saved = append(s.saved, a)
	return a, nil
}

func (s *fakeSaver) Accounts() ([]store.Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.accounts), nil
}

var errNoKeyring = &store.UnavailableError{Reason: store.NoSecretService, Err: errors.New("The name org.freedesktop.secrets was not provided by any .service files")}

// fakeCommands stands for postino's commands on a saved account: it
// records each run, writes a fixed output, and removes the account from
// the saver on remove; hang waits for the context instead.
type fakeCommands struct {
	mu    sync.Mutex
	ran   [][]string
	saver *fakeSaver
	hang  atomic.Bool
}

// commandOutputs are what each command prints, fixed for the screens.
var commandOutputs = map[string]string{
	"test":   "✓ incoming IMAP mail.work.example:993 (SSL/TLS): connected, TLS 1.3, logged in as anna@work.example\n✓ outgoing SMTP mail.work.example:587 (STARTTLS): connected, TLS 1.3, logged in as anna@work.example\n",
	"report": "# postino report: anna@work.example\n\n- Provider: Work Mail\n\n### ✓ incoming IMAP mail.work.example:993\n\n**All settings work.**\n",
	"export": "Wrote autodiscover.xml.\n",
	"remove": "Removed work and its password.\n",
}

func (c *fakeCommands) run(ctx context.Context, args []string, out io.Writer) int {
	c.mu.Lock()
	c.ran = append(c.ran, args)
	c.mu.Unlock()
	if c.hang.Load() {
		<-ctx.Done()
		return 130
	}
	if args[0] == "remove" {
		c.saver.mu.Lock()
		c.saver.accounts = slices.DeleteFunc(slices.Clone(c.saver.accounts), func(a store.Account) bool { return a.Name == args[1] })
		c.saver.mu.Unlock()
	}
	fmt.Fprint(out, commandOutputs[args[0]])
	return 0
}

// runs is every command run so far.
func (c *fakeCommands) runs() [][]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.ran)
}

// deps are a test's fakes.
type deps struct {
	detector *fakeDetector
	tester   *fakeTester
	saver    *fakeSaver
	commands *fakeCommands
}

func newDeps() *deps {
	saver := &fakeSaver{accounts: []store.Account{{Name: "work", Address: "anna@work.example"}}}
	return &deps{
		detector: &fakeDetector{
			events: []mailbox.SourceEvent{{Source: mailbox.SourceProviders, State: mailbox.SourceFound}, {Source: mailbox.SourceAutoconfig, State: mailbox.SourceNotFound}},
			result: foundSettings,
		},
		tester:   allPass(),
		saver:    saver,
		commands: &fakeCommands{saver: saver},
	}
}

// newTestModel is a still wizard on fakes at 80×24.
func newTestModel(t testing.TB, lang probe.Lang, d *deps) *Model {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	m := NewModel(ctx, Options{
		Lang: lang, Detector: d.detector, Saver: d.saver, Tester: d.tester.test, Sender: d.tester.send,
		Providers: func() (wizard.ProviderFinder, error) {
			return testProviders, nil
		},
		Formats:    []string{"thunderbird", "outlook", "apple", "aerc"},
		HTTPClient: hangingClient,
		Command:    d.commands.run,
	})
	m.still = true
	send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	run(m, m.Init())
	return m
}

// send updates the model with msg and runs the commands that follow.
func send(m *Model, msg tea.Msg) {
	_, cmd := m.Update(msg)
	run(m, cmd)
}

// run runs a command and every command its messages lead to, as the
// program would, but one at a time. With fakes, every command returns at
// once; a hanging fake's command is left running.
func run(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(200 * time.Millisecond):
		return
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			run(m, c)
		}
	case tea.QuitMsg:
	default:
		send(m, msg)
	}
}

// press presses one key, as named by tea: "enter", "esc", "ctrl+c", "a".
func press(m *Model, k string) {
	send(m, keyMsg(k))
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "f1":
		return tea.KeyPressMsg{Code: tea.KeyF1}
	}
	if c, ok := strings.CutPrefix(k, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: rune(c[0]), Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// typeText types s one key at a time.
func typeText(m *Model, s string) {
	for _, r := range s {
		send(m, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// shown is the model's screen as a person reads it, colours left out.
func shown(m *Model) string {
	return ansi.Strip(m.View().Content)
}

func requireContains(t *testing.T, m *Model, want ...string) {
	t.Helper()
	got := shown(m)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Fatalf("the %s screen lacks %q:\n%s", m.flow.Step(), w, got)
		}
	}
}

func requireStep(t *testing.T, m *Model, want wizard.Step) {
	t.Helper()
	if got := m.flow.Step(); got != want {
		t.Fatalf("step = %s, want %s; screen:\n%s", got, want, shown(m))
	}
}
