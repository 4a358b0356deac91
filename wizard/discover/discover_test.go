package discover

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
)

// The providers database is a Catalog, and the wizard's flow can take
// discovery.
var (
	_ Catalog         = (*providers.DB)(nil)
	_ wizard.Detector = Detector{}
)

// fakeCatalog matches domains and MX hosts exactly.
type fakeCatalog struct {
	domains map[string]*providers.Provider
	mx      map[string]*providers.Provider
}

func (c fakeCatalog) ByDomain(domain string) (*providers.Provider, bool) {
	p, ok := c.domains[domain]
	return p, ok
}

func (c fakeCatalog) ByMX(hosts []string) (*providers.Provider, bool) {
	for _, h := range hosts {
		if p, ok := c.mx[h]; ok {
			return p, true
		}
	}
	return nil, false
}

var (
	acmeMail = &providers.Provider{
		ID: "acme", Name: "Acme Mail",
		Incoming: []probe.Server{
			{Protocol: probe.IMAP, Host: "imap.acme.example", Port: 993, Security: probe.TLS, Username: "%EMAILLOCALPART%"},
		},
		Outgoing: []probe.Server{
			{Protocol: probe.SMTP, Host: "smtp.acme.example", Port: 465, Security: probe.TLS, Username: "%EMAILADDRESS%"},
		},
		Auth:  probe.AuthAppPassword,
		Hints: []probe.Text{{EN: "Make an app password first.", IT: "Crea prima una password per le app."}},
	}
	workspace = &providers.Provider{
		ID: "google-workspace", Name: "Google Workspace",
		Incoming: []probe.Server{{Protocol: probe.IMAP, Host: "imap.gmail.com", Port: 993, Security: probe.TLS, Username: "%EMAILADDRESS%"}},
		Outgoing: []probe.Server{{Protocol: probe.SMTP, Host: "smtp.gmail.com", Port: 465, Security: probe.TLS, Username: "%EMAILADDRESS%"}},
		Auth:     probe.AuthOAuth2,
	}
	hoster = &providers.Provider{
		ID: "hoster", Name: "Hoster",
		Incoming: []probe.Server{{Protocol: probe.IMAP, Host: "imap.hoster.example", Port: 993, Security: probe.TLS, Username: "%EMAILADDRESS%"}},
		Outgoing: []probe.Server{{Protocol: probe.SMTP, Host: "smtp.hoster.example", Port: 587, Security: probe.StartTLS, Username: "%EMAILADDRESS%"}},
	}
	catalog = fakeCatalog{
		domains: map[string]*providers.Provider{"acme.example": acmeMail, "hoster.example": hoster},
		mx:      map[string]*providers.Provider{"aspmx.l.google.com": workspace},
	}
)

func mustAddress(t testing.TB, s string) mailbox.Address {
	t.Helper()
	a, err := mailbox.ParseAddress(s)
	if err != nil {
		t.Fatalf("ParseAddress(%q) = %v", s, err)
	}
	return a
}

// autoconfigXML is a small autoconfig file for domain whose servers are
// at mail.DOMAIN.
func autoconfigXML(domain string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="` + domain + `">
    <domain>` + domain + `</domain>
    <displayName>Mail of ` + domain + `</displayName>
    <incomingServer type="imap">
      <hostname>mail.%EMAILDOMAIN%</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>mail.` + domain + `</hostname>
      <port>587</port>
      <socketType>STARTTLS</socketType>
      <username>%EMAILLOCALPART%</username>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
    <enable visiturl="https://` + domain + `/settings">
      <instruction>Tick "allow IMAP".</instruction>
      <instruction lang="it">Spunta "consenti IMAP".</instruction>
    </enable>
  </emailProvider>
</clientConfig>`
}

// events records what Progress was told.
type events struct {
	mu   sync.Mutex
	list []mailbox.SourceEvent
}

func (e *events) add(ev mailbox.SourceEvent) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.list = append(e.list, ev)
}

// final is each source's last state.
func (e *events) final() map[mailbox.Source]mailbox.SourceState {
	e.mu.Lock()
	defer e.mu.Unlock()
	m := map[mailbox.Source]mailbox.SourceState{}
	for _, ev := range e.list {
		m[ev.Source] = ev.State
	}
	return m
}

// discover runs Discover for addr on the simulated network.
func discover(t testing.TB, n *simnet, addr string, tweak func(*Config)) (*Result, *events, error) {
	t.Helper()
	cfg := n.config()
	cfg.Catalog = catalog
	ev := &events{}
	cfg.Progress = ev.add
	if tweak != nil {
		tweak(cfg)
	}
	r, err := Discover(context.Background(), mustAddress(t, addr), cfg)
	return r, ev, err
}

func wantServers(t *testing.T, what string, got []probe.Server, want ...string) {
	t.Helper()
	var urls []string
	for _, s := range got {
		urls = append(urls, s.String())
	}
	if !slices.Equal(urls, want) {
		t.Errorf("%s = %v, want %v", what, urls, want)
	}
}

func TestKnownProviderUsesNoNetwork(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	r, ev, err := discover(t, n, "Mario.Rossi@ACME.example", nil)
	if err != nil {
		t.Fatalf("Discover() = %v", err)
	}
	if r.Source != mailbox.SourceProviders || !r.Trusted || r.Provider != acmeMail {
		t.Errorf("Discover() = source %s, trusted %v, provider %v", r.Source, r.Trusted, r.Provider)
	}
	wantServers(t, "incoming", r.Incoming, "imaps://imap.acme.example:993")
	if r.Incoming[0].Username != "Mario.Rossi" || r.Outgoing[0].Username != "Mario.Rossi@acme.example" {
		t.Errorf("usernames = %q, %q", r.Incoming[0].Username, r.Outgoing[0].Username)
	}
	if r.Incoming[0].Auth != probe.AuthAppPassword {
		t.Errorf("auth = %q, want the provider's", r.Incoming[0].Auth)
	}
	if acmeMail.Incoming[0].Username != "%EMAILLOCALPART%" {
		t.Errorf("the catalog's provider was changed: %q", acmeMail.Incoming[0].Username)
	}
	if d, l, q := n.dials.Load(), n.lookups.Load(), n.requests.Load(); d+l+q != 0 {
		t.Errorf("dials %d, lookups %d, requests %d; want none", d, l, q)
	}
	if want := []mailbox.SourceEvent{{Source: mailbox.SourceProviders, State: mailbox.SourceRunning}, {Source: mailbox.SourceProviders, State: mailbox.SourceFound}}; !slices.Equal(ev.list, want) {
		t.Errorf("events = %v, want %v", ev.list, want)
	}
}

func TestOfflineAsksNoNetwork(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	n.xmlPage("https://autoconfig.nowhere.example/mail/config-v1.1.xml", autoconfigXML("nowhere.example"))
	_, ev, err := discover(t, n, "anna@nowhere.example", func(c *Config) { c.Offline = true })
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Discover() = %v, want ErrNotFound", err)
	}
	if d, l, q := n.dials.Load(), n.lookups.Load(), n.requests.Load(); d+l+q != 0 {
		t.Errorf("dials %d, lookups %d, requests %d; want none", d, l, q)
	}
	got := ev.final()
	if len(got) != 2 || got[mailbox.SourceProviders] != mailbox.SourceNotFound || got[mailbox.SourceISPDB] != mailbox.SourceNotFound {
		t.Errorf("events = %v, want the providers files and the built-in ISP database, both not found", ev.list)
	}
}

func TestHostedDomainByMX(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	n.mx("studio.example", 10, "aspmx.l.google.com")
	n.mx("studio.example", 20, "alt1.aspmx.l.google.com")
	r, _, err := discover(t, n, "anna@studio.example", nil)
	if err != nil {
		t.Fatalf("Discover() = %v", err)
	}
	if r.Source != mailbox.SourceProviders || r.Provider != workspace || !r.Trusted {
		t.Errorf("Discover() = source %s, provider %v, trusted %v", r.Source, r.Provider, r.Trusted)
	}
	if r.Incoming[0].Username != "anna@studio.example" || r.Incoming[0].Auth != probe.AuthOAuth2 {
		t.Errorf("incoming = %+v", r.Incoming[0])
	}
	if len(r.Hints) == 0 || !strings.Contains(r.Hints[0].EN, "Google Workspace") {
		t.Errorf("hints = %v, want the hosting named", r.Hints)
	}
}

func TestAutoconfigOverHTTPS(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	var query string
	n.page("https://autoconfig.posta.example/mail/config-v1.1.xml", func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.Query().Get("emailaddress")
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		fmt.Fprint(w, autoconfigXML("posta.example"))
	})
	r, ev, err := discover(t, n, "anna@posta.example", nil)
	if err != nil {
		t.Fatalf("Discover() = %v", err)
	}
	if r.Source != mailbox.SourceAutoconfig || !r.Trusted {
		t.Errorf("Discover() = source %s, trusted %v", r.Source, r.Trusted)
	}
	if query != "anna@posta.example" {
		t.Errorf("emailaddress = %q", query)
	}
	wantServers(t, "incoming", r.Incoming, "imaps://mail.posta.example:993")
	wantServers(t, "outgoing", r.Outgoing, "smtp://mail.posta.example:587")
	if r.Incoming[0].Username != "anna@posta.example" || r.Outgoing[0].Username != "anna" {
		t.Errorf("usernames = %q, %q", r.Incoming[0].Username, r.Outgoing[0].Username)
	}
	if r.Provider == nil || r.Provider.ID != "posta.example" || r.Provider.Name != "Mail of posta.example" {
		t.Errorf("provider = %+v", r.Provider)
	}
	if len(r.Hints) != 1 || r.Hints[0].EN != `Tick "allow IMAP". https://posta.example/settings` ||
		r.Hints[0].IT != `Spunta "consenti IMAP". https://posta.example/settings` {
		t.Errorf("hints = %+v", r.Hints)
	}
	if got := ev.final()[mailbox.SourceAutoconfig]; got != mailbox.SourceFound {
		t.Errorf("autoconfig ended %v, want mailbox.SourceFound", got)
	}
}

func TestAutoconfigWellKnown(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	n.xmlPage("https://posta.example/.well-known/autoconfig/mail/config-v1.1.xml", autoconfigXML("posta.example"))
	r, _, err := discover(t, n, "anna@posta.example", nil)
	if err != nil {
		t.Fatalf("Discover() = %v", err)
	}
	if r.Source != mailbox.SourceAutoconfig || !r.Trusted {
		t.Errorf("Discover() = source %s, trusted %v", r.Source, r.Trusted)
	}
}

func TestAutoconfigOverPlainHTTPNeedsConfirmation(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	var query string
	n.page("http://autoconfig.posta.example/mail/config-v1.1.xml", func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.RawQuery
		fmt.Fprint(w, autoconfigXML("posta.example"))
	})
	r, _, err := discover(t, n, "anna@posta.example", nil)
	if err != nil {
		t.Fatalf("Discover() = %v", err)
	}
	if r.Source != mailbox.SourceAutoconfig || r.Trusted {
		t.Errorf("Discover() = source %s, trusted %v; want autoconfig, untrusted", r.Source, r.Trusted)
	}
	if query != "" {
		t.Errorf("the address crossed the network in clear: query %q", query)
	}
	if len(r.Hints) != 1 || r.Hints[0] != hint(textPlainHTTP) {
		t.Errorf("hints = %+v, want only the plain-HTTP warning (the file's own advice is left out)", r.Hints)
	}
	if r.Provider.Docs != "" || len(r.Provider.Hints) != 0 {
		t.Errorf("provider keeps the file's links: %+v", r.Provider)
	}
}

func TestISPDB(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	n.xmlPage("https://autoconfig.thunderbird.net/v1.1/posta.example", autoconfigXML("posta.example"))
	r, _, err := discover(t, n, "anna@posta.example", nil)
	if err != nil {
		t.Fatalf("Discover() = %v", err)
	}
	if r.Source != mailbox.SourceISPDB || !r.Trusted {
		t.Errorf("Discover() = source %s, trusted %v", r.Source, r.Trusted)
	}
}

func TestISPDBAskedInPunycode(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	n.xmlPage("https://autoconfig.thunderbird.net/v1.1/xn--citt-3na.example", autoconfigXML("xn--citt-3na.example"))
	r, _, err := discover(t, n, "anna@città.example", nil)
	if err != nil {
		t.Fatalf("Discover() = %v", err)
	}
	wantServers(t, "incoming", r.Incoming, "imaps://mail.xn--citt-3na.example:993")
	if got := r.JSON("en").Address; got != "anna@città.example" {
		t.Errorf("JSON address = %q, want the Unicode form", got)
	}
}

func TestMXBaseDomain(t *testing.T) {
	t.Parallel()
	t.Run("providers", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		n.mx("studio.example", 10, "mx1.hoster.example")
		r, _, err := discover(t, n, "anna@studio.example", nil)
		if err != nil {
			t.Fatalf("Discover() = %v", err)
		}
		if r.Source != mailbox.SourceMX || r.Provider != hoster || !r.Trusted {
			t.Errorf("Discover() = source %s, provider %v, trusted %v", r.Source, r.Provider, r.Trusted)
		}
		wantServers(t, "incoming", r.Incoming, "imaps://imap.hoster.example:993")
		if r.Incoming[0].Username != "anna@studio.example" {
			t.Errorf("username = %q", r.Incoming[0].Username)
		}
	})
	t.Run("ispdb", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		n.mx("studio.example", 10, "mx01.mail.provider.example")
		n.xmlPage("https://autoconfig.thunderbird.net/v1.1/provider.example", autoconfigXML("provider.example"))
		r, _, err := discover(t, n, "anna@studio.example", nil)
		if err != nil {
			t.Fatalf("Discover() = %v", err)
		}
		if r.Source != mailbox.SourceMX || !r.Trusted {
			t.Errorf("Discover() = source %s, trusted %v", r.Source, r.Trusted)
		}
		wantServers(t, "incoming", r.Incoming, "imaps://mail.studio.example:993")
		if r.Hints[len(r.Hints)-1] != hint(textMXHosted, "provider.example") {
			t.Errorf("hints = %v", r.Hints)
		}
	})
	t.Run("autoconfig", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		n.mx("studio.example", 10, "mx01.provider.example")
		n.xmlPage("https://autoconfig.provider.example/mail/config-v1.1.xml", autoconfigXML("provider.example"))
		r, _, err := discover(t, n, "anna@studio.example", nil)
		if err != nil {
			t.Fatalf("Discover() = %v", err)
		}
		if r.Source != mailbox.SourceMX || r.Trusted {
			t.Errorf("Discover() = source %s, trusted %v; want mx, untrusted", r.Source, r.Trusted)
		}
		if r.Hints[len(r.Hints)-1] != hint(textMXAutoconfig, "provider.example") {
			t.Errorf("hints = %v", r.Hints)
		}
	})
	t.Run("in the domain itself", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		n.mx("studio.example", 10, "mx.studio.example")
		_, _, err := discover(t, n, "anna@studio.example", nil)
		if !errors.Is(err, ErrNotFound) || !errors.Is(err, errMXInDomain) {
			t.Errorf("Discover() = %v, want not found, MX in the domain", err)
		}
	})
}

func TestSRV(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	d := "posta.example"
	n.srv("imaps", d, 10, 0, 993, "imap.posta.example.")
	n.srv("imap", d, 10, 0, 143, "imap.posta.example.")
	n.srv("pop3s", d, 5, 0, 995, "pop.posta.example.")
	n.srv("pop3", d, 0, 0, 0, ".")
	n.srv("submissions", d, 0, 0, 465, "smtp.posta.example.")
	n.srv("submission", d, 20, 0, 587, "smtp.posta.example.")
	r, _, err := discover(t, n, "anna@posta.example", nil)
	if err != nil {
		t.Fatalf("Discover() = %v", err)
	}
	if r.Source != mailbox.SourceSRV || r.Trusted {
		t.Errorf("Discover() = source %s, trusted %v; want srv, untrusted", r.Source, r.Trusted)
	}
	wantServers(t, "incoming", r.Incoming, "pop3s://pop.posta.example:995", "imaps://imap.posta.example:993", "imap://imap.posta.example:143")
	wantServers(t, "outgoing", r.Outgoing, "smtps://smtp.posta.example:465", "smtp://smtp.posta.example:587")
	if r.Incoming[0].Username != "anna@posta.example" {
		t.Errorf("username = %q", r.Incoming[0].Username)
	}
	for _, h := range r.Hints {
		if strings.Contains(h.EN, "outside") {
			t.Errorf("hint %q, but every target is in the domain", h.EN)
		}
	}
}

func TestSRVOutsideTheDomainIsNamed(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	n.srv("imaps", "posta.example", 0, 0, 993, "imap.elsewhere.example.")
	n.srv("submissions", "posta.example", 0, 0, 465, "smtp.posta.example.")
	r, _, err := discover(t, n, "anna@posta.example", nil)
	if err != nil {
		t.Fatalf("Discover() = %v", err)
	}
	if r.Source != mailbox.SourceSRV || r.Trusted {
		t.Errorf("Discover() = source %s, trusted %v", r.Source, r.Trusted)
	}
	if !slices.Contains(r.Hints, hint(textSRVOutside, "imap.elsewhere.example")) {
		t.Errorf("hints = %v, want the outside host named", r.Hints)
	}
}

func TestSRVDotMeansNotOffered(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	for _, svc := range []string{"imaps", "imap", "pop3s", "pop3"} {
		n.srv(svc, "posta.example", 0, 0, 0, ".")
	}
	n.srv("submissions", "posta.example", 0, 0, 465, "smtp.posta.example.")
	_, _, err := discover(t, n, "anna@posta.example", nil)
	if !errors.Is(err, ErrNotFound) || !errors.Is(err, errNoSRV) {
		t.Errorf("Discover() = %v, want not found: no incoming service", err)
	}
}

// guessable publishes the guessing hosts of domain with mail servers on
// the given ports of each.
func guessable(n *simnet, domain string, hosts map[string][]int, b mailBehaviour) {
	for prefix, ports := range hosts {
		for _, port := range ports {
			n.mail(prefix+domain, port, b)
		}
	}
}

func TestGuess(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	d := "posta.example"
	guessable(n, d, map[string][]int{
		"imap.": {143},
		"mail.": {993, 143, 995, 587},
		"pop.":  {110},
		"smtp.": {465},
	}, mailOK)
	r, _, err := discover(t, n, "anna@posta.example", nil)
	if err != nil {
		t.Fatalf("Discover() = %v", err)
	}
	if r.Source != mailbox.SourceGuess || r.Trusted || r.Provider != nil {
		t.Errorf("Discover() = source %s, trusted %v, provider %v", r.Source, r.Trusted, r.Provider)
	}
	wantServers(t, "incoming", r.Incoming,
		"imaps://mail.posta.example:993", "imap://imap.posta.example:143",
		"pop3s://mail.posta.example:995", "pop3://pop.posta.example:110")
	wantServers(t, "outgoing", r.Outgoing, "smtps://smtp.posta.example:465", "smtp://mail.posta.example:587")
	if r.Incoming[0].Username != "anna@posta.example" {
		t.Errorf("username = %q", r.Incoming[0].Username)
	}
}

func TestGuessWithHalfThePortsSilent(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	d := "posta.example"
	guessable(n, d, map[string][]int{"imap.": {993}, "pop3.": {995}, "smtp.": {465}, "mail.": {993}}, mailOK)
	guessable(n, d, map[string][]int{"imap.": {143}, "pop3.": {110}, "smtp.": {587}, "mail.": {143, 995, 110, 465, 587}}, mailSilent)
	start := time.Now()
	r, _, err := discover(t, n, "anna@posta.example", nil)
	el := time.Since(start)
	if err != nil {
		t.Fatalf("Discover() = %v", err)
	}
	wantServers(t, "incoming", r.Incoming, "imaps://imap.posta.example:993", "pop3s://pop3.posta.example:995")
	wantServers(t, "outgoing", r.Outgoing, "smtps://smtp.posta.example:465")
	// Speed is the benchmarks' business; here, only that silent ports do
	// not hold discovery until its budget runs out.
	if el >= DefaultBudget {
		t.Errorf("Discover() took %v with silent ports: it waited for the budget", el)
	}
}

// TestGuessWhileABetterSourceStalls: guessing's answer is taken once the
// one wait for better answers is over, though autoconfig never answers
// and some ports drop every connection attempt.
func TestGuessWhileABetterSourceStalls(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	d := "posta.example"
	n.page("https://autoconfig."+d+"/mail/config-v1.1.xml", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	guessable(n, d, map[string][]int{"imap.": {993}, "smtp.": {465}}, mailOK)
	guessable(n, d, map[string][]int{"imap.": {143}, "smtp.": {587}}, mailSilent)
	guessable(n, d, map[string][]int{"mail.": {993, 143, 995, 110, 465, 587}}, mailDropSYN)
	start := time.Now()
	r, ev, err := discover(t, n, "anna@"+d, nil)
	el := time.Since(start)
	if err != nil || r.Source != mailbox.SourceGuess {
		t.Fatalf("Discover() = %+v, %v; want guessed settings", r, err)
	}
	wantServers(t, "incoming", r.Incoming, "imaps://imap.posta.example:993")
	wantServers(t, "outgoing", r.Outgoing, "smtps://smtp.posta.example:465")
	if got := ev.final()[mailbox.SourceAutoconfig]; got != mailbox.SourceStopped {
		t.Errorf("autoconfig ended %v, want mailbox.SourceStopped", got)
	}
	if el >= DefaultBudget {
		t.Errorf("Discover() took %v: it waited for the budget", el)
	}
}

// TestNothingFoundWhenPortsNeverAnswer: names that resolve to ports that
// drop every connection attempt, or take it and say nothing, are given up
// by their connect and greeting deadlines, not by the budget.
func TestNothingFoundWhenPortsNeverAnswer(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	d := "posta.example"
	guessable(n, d, map[string][]int{"imap.": {993, 143}, "pop3.": {995, 110}, "smtp.": {465, 587}}, mailDropSYN)
	guessable(n, d, map[string][]int{"mail.": {993, 143, 995, 110, 465, 587}}, mailSilent)
	n.unreachable("autoconfig."+d, 443, 80)
	n.unreachable(d, 443, 80)
	start := time.Now()
	_, ev, err := discover(t, n, "anna@"+d, nil)
	el := time.Since(start)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Discover() = %v, want ErrNotFound", err)
	}
	if el >= DefaultBudget {
		t.Errorf("Discover() took %v: it waited for the budget", el)
	}
	for src, st := range ev.final() {
		if st != mailbox.SourceNotFound {
			t.Errorf("%s ended %v, want mailbox.SourceNotFound: every source failed", src, st)
		}
	}
}

func TestGuessCountsOnlyVerifiedTLS(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	d := "posta.example"
	guessable(n, d, map[string][]int{"imap.": {993}, "smtp.": {465}}, mailBadCert)
	guessable(n, d, map[string][]int{"mail.": {143}}, mailNoTLS)
	guessable(n, d, map[string][]int{"pop3.": {995}}, mailOK)
	r, _, err := discover(t, n, "anna@posta.example", nil)
	if err != nil {
		t.Fatalf("Discover() = %v", err)
	}
	wantServers(t, "incoming", r.Incoming, "pop3s://pop3.posta.example:995")
	wantServers(t, "outgoing", r.Outgoing)
	if !slices.Contains(r.Hints, hint(textNoOutgoing)) {
		t.Errorf("hints = %v, want the missing outgoing server said", r.Hints)
	}
}

func TestNothingFound(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	start := time.Now()
	_, ev, err := discover(t, n, "anna@nowhere.example", nil)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Discover() = %v, want ErrNotFound", err)
	}
	if el := time.Since(start); el >= DefaultBudget {
		t.Errorf("Discover() took %v though every source failed at once: it waited for the budget", el)
	}
	for src, st := range ev.final() {
		if st != mailbox.SourceNotFound {
			t.Errorf("%s ended %v, want mailbox.SourceNotFound", src, st)
		}
	}
}

func TestBudget(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	hang := func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	n.page("https://autoconfig.slow.example/mail/config-v1.1.xml", hang)
	n.mail("imap.slow.example", 993, mailSilent)
	start := time.Now()
	_, ev, err := discover(t, n, "anna@slow.example", func(c *Config) { c.Budget = 400 * time.Millisecond })
	el := time.Since(start)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Discover() = %v, want ErrNotFound", err)
	}
	if el < 400*time.Millisecond || el >= 10*time.Second {
		t.Errorf("Discover() took %v with a budget of 400ms", el)
	}
	for src, st := range ev.final() {
		if st != mailbox.SourceStopped && st != mailbox.SourceNotFound {
			t.Errorf("%s ended %v, want stopped or not found", src, st)
		}
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	n.page("https://autoconfig.slow.example/mail/config-v1.1.xml", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	cfg := n.config()
	start := time.Now()
	_, err := Discover(ctx, mustAddress(t, "anna@slow.example"), cfg)
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrNotFound) {
		t.Errorf("Discover() = %v, want the context's error", err)
	}
	if el := time.Since(start); el >= 10*time.Second {
		t.Errorf("Discover() took %v after the context ended at 200ms", el)
	}
}

// delayed serves body after delay, or gives up when the client does.
func delayed(delay time.Duration, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(delay):
			fmt.Fprint(w, body)
		case <-r.Context().Done():
		}
	}
}

func TestPriority(t *testing.T) {
	t.Parallel()
	const d = "posta.example"
	autoconfigURL := "https://autoconfig.posta.example/mail/config-v1.1.xml"
	ispdbURL := "https://autoconfig.thunderbird.net/v1.1/posta.example"
	t.Run("a higher source answering late within grace wins", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		n.page(autoconfigURL, delayed(300*time.Millisecond, autoconfigXML(d)))
		n.xmlPage(ispdbURL, autoconfigXML(d))
		r, ev, err := discover(t, n, "anna@"+d, func(c *Config) { c.Grace = 2 * time.Second })
		if err != nil || r.Source != mailbox.SourceAutoconfig {
			t.Fatalf("Discover() = %v, %v; want autoconfig", r, err)
		}
		if got := ev.final()[mailbox.SourceISPDB]; got != mailbox.SourceFound {
			t.Errorf("ispdb ended %v, want mailbox.SourceFound", got)
		}
	})
	t.Run("a failed higher source lets the lower one through at once", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		n.page(autoconfigURL, func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", http.StatusInternalServerError) })
		n.xmlPage(ispdbURL, autoconfigXML(d))
		start := time.Now()
		r, _, err := discover(t, n, "anna@"+d, func(c *Config) { c.Grace = 5 * time.Second })
		if err != nil || r.Source != mailbox.SourceISPDB {
			t.Fatalf("Discover() = %v, %v; want ispdb", r, err)
		}
		if el := time.Since(start); el >= 5*time.Second {
			t.Errorf("Discover() took %v: it waited for grace", el)
		}
	})
	t.Run("grace expiry takes the lower source", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		n.page(autoconfigURL, delayed(time.Minute, autoconfigXML(d)))
		n.xmlPage(ispdbURL, autoconfigXML(d))
		start := time.Now()
		r, ev, err := discover(t, n, "anna@"+d, func(c *Config) { c.Grace = 300 * time.Millisecond })
		el := time.Since(start)
		if err != nil || r.Source != mailbox.SourceISPDB {
			t.Fatalf("Discover() = %v, %v; want ispdb", r, err)
		}
		if el < 300*time.Millisecond || el >= DefaultBudget {
			t.Errorf("Discover() took %v with a grace of 300ms", el)
		}
		if got := ev.final()[mailbox.SourceAutoconfig]; got != mailbox.SourceStopped {
			t.Errorf("autoconfig ended %v, want mailbox.SourceStopped", got)
		}
	})
	t.Run("a trusted answer beats plain HTTP", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		n.xmlPage("http://autoconfig.posta.example/mail/config-v1.1.xml", autoconfigXML(d))
		n.page(ispdbURL, delayed(200*time.Millisecond, autoconfigXML(d)))
		r, _, err := discover(t, n, "anna@"+d, nil)
		if err != nil || r.Source != mailbox.SourceISPDB || !r.Trusted {
			t.Fatalf("Discover() = %+v, %v; want ispdb, trusted", r, err)
		}
	})
	t.Run("providers by MX beat autoconfig", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		n.mx(d, 10, "aspmx.l.google.com")
		n.xmlPage(autoconfigURL, autoconfigXML(d))
		r, _, err := discover(t, n, "anna@"+d, nil)
		if err != nil || r.Source != mailbox.SourceProviders {
			t.Fatalf("Discover() = %+v, %v; want providers", r, err)
		}
	})
	t.Run("SRV beats guessing", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		n.srv("imaps", d, 0, 0, 993, "imap.posta.example.")
		n.mail("imap.posta.example", 993, mailOK)
		r, _, err := discover(t, n, "anna@"+d, nil)
		if err != nil || r.Source != mailbox.SourceSRV {
			t.Fatalf("Discover() = %+v, %v; want srv", r, err)
		}
	})
}

func TestHostileAutoconfig(t *testing.T) {
	t.Parallel()
	const d = "posta.example"
	autoconfigURL := "https://autoconfig.posta.example/mail/config-v1.1.xml"
	huge := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, "<clientConfig>")
		pad := strings.Repeat("<!-- padding -->", 1024)
		for i := 0; i < 10<<20/len(pad); i++ {
			if _, err := fmt.Fprint(w, pad); err != nil {
				return
			}
		}
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
		wantErr error
	}{
		{"broken XML", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, autoconfigXML(d)[:400])
		}, errNotAutoconfig},
		{"10 MiB", huge, errTooLarge},
		{"10 MiB announced", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(10<<20))
			huge(w, r)
		}, errTooLarge},
		{"redirect loop", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.String(), http.StatusFound)
		}, errTooManyRedirects},
		{"HTML page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<!doctype html><html><body>Welcome</body></html>")
		}, errNotXML},
		{"HTML without a content type", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "")
			fmt.Fprint(w, "<html><body><p>Welcome<br></body></html>")
		}, errNotAutoconfig},
		{"JSON", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"imap": "mail.posta.example"}`)
		}, errNotXML},
		{"redirect to plain HTTP", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://autoconfig.posta.example/elsewhere.xml", http.StatusFound)
		}, errLeftHTTPS},
		{"cleartext only", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, strings.ReplaceAll(strings.ReplaceAll(autoconfigXML(d), "SSL", "plain"), "STARTTLS", "plain"))
		}, errNoServer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := newSimnet(t, 0)
			n.page(autoconfigURL, tt.handler)
			n.xmlPage("http://autoconfig.posta.example/elsewhere.xml", autoconfigXML(d))
			start := time.Now()
			_, _, err := discover(t, n, "anna@"+d, nil)
			if !errors.Is(err, ErrNotFound) || !errors.Is(err, tt.wantErr) {
				t.Errorf("Discover() = %v, want not found for %v", err, tt.wantErr)
			}
			if el := time.Since(start); el >= DefaultBudget {
				t.Errorf("Discover() took %v: it waited for the budget", el)
			}
		})
	}
	t.Run("a hostile answer lets the ISP database through", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		n.page(autoconfigURL, huge)
		n.xmlPage("https://autoconfig.thunderbird.net/v1.1/posta.example", autoconfigXML(d))
		r, _, err := discover(t, n, "anna@"+d, nil)
		if err != nil || r.Source != mailbox.SourceISPDB {
			t.Fatalf("Discover() = %+v, %v; want ispdb", r, err)
		}
	})
}

func TestProgress(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	n.xmlPage("https://autoconfig.thunderbird.net/v1.1/posta.example", autoconfigXML("posta.example"))
	_, ev, err := discover(t, n, "anna@posta.example", nil)
	if err != nil {
		t.Fatalf("Discover() = %v", err)
	}
	started := map[mailbox.Source]bool{}
	ended := map[mailbox.Source]int{}
	for _, e := range ev.list {
		if e.State == mailbox.SourceRunning {
			if started[e.Source] || ended[e.Source] > 0 {
				t.Errorf("%s started twice or after it ended", e.Source)
			}
			started[e.Source] = true
			continue
		}
		if !started[e.Source] {
			t.Errorf("%s ended before it started", e.Source)
		}
		ended[e.Source]++
		if e.State == mailbox.SourceNotFound && e.Err == nil {
			t.Errorf("%s found nothing but says no reason", e.Source)
		}
	}
	for _, src := range []mailbox.Source{mailbox.SourceProviders, mailbox.SourceAutoconfig, mailbox.SourceISPDB, mailbox.SourceMX, mailbox.SourceSRV, mailbox.SourceGuess} {
		if !started[src] || ended[src] != 1 {
			t.Errorf("%s: started %v, ended %d times; want one start and one end", src, started[src], ended[src])
		}
	}
	if got := ev.final()[mailbox.SourceISPDB]; got != mailbox.SourceFound {
		t.Errorf("ispdb ended %v", got)
	}
}

func TestResultJSON(t *testing.T) {
	r := &Result{
		Address:  mustAddress(t, "anna@città.example"),
		Provider: &providers.Provider{ID: "citta", Name: "Città Mail"},
		Source:   mailbox.SourceAutoconfig,
		Trusted:  true,
		Incoming: []probe.Server{{Protocol: probe.IMAP, Host: "mail.xn--citt-3na.example", Port: 993, Security: probe.TLS, Username: "anna", Auth: probe.AuthPassword}},
		Hints:    []probe.Text{{EN: "Hello", IT: "Ciao"}},
	}
	for lang, want := range map[string]string{
		"en": `{"address":"anna@città.example","provider":{"id":"citta","name":"Città Mail"},"source":"autoconfig","trusted":true,` +
			`"incoming":[{"protocol":"imap","host":"mail.xn--citt-3na.example","port":993,"security":"tls","username":"anna","auth":"password"}],` +
			`"outgoing":[],"hints":[{"text":"Hello"}]}`,
		"it": `{"address":"anna@città.example","provider":{"id":"citta","name":"Città Mail"},"source":"autoconfig","trusted":true,` +
			`"incoming":[{"protocol":"imap","host":"mail.xn--citt-3na.example","port":993,"security":"tls","username":"anna","auth":"password"}],` +
			`"outgoing":[],"hints":[{"text":"Ciao"}]}`,
	} {
		got, err := json.Marshal(r.JSON(probe.Lang(lang)))
		if err != nil || string(got) != want {
			t.Errorf("JSON(%q) = %s, %v\nwant %s", lang, got, err, want)
		}
	}
	empty, _ := json.Marshal((&Result{Source: mailbox.SourceGuess}).JSON("en"))
	if want := `{"address":"@","provider":null,"source":"guess","trusted":false,"incoming":[],"outgoing":[],"hints":[]}`; string(empty) != want {
		t.Errorf("JSON() = %s, want %s", empty, want)
	}
}

func TestDetector(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	n.xmlPage("https://autoconfig.thunderbird.net/v1.1/posta.example", autoconfigXML("posta.example"))
	cfg := n.config()
	cfg.Catalog = catalog
	var (
		mu     sync.Mutex
		states = map[mailbox.Source]mailbox.SourceState{}
	)
	progress := func(ev mailbox.SourceEvent) {
		mu.Lock()
		defer mu.Unlock()
		states[ev.Source] = ev.State
	}
	d, err := Detector{Config: *cfg}.Detect(context.Background(), "anna@posta.example", progress)
	if err != nil {
		t.Fatalf("Detect() = %v", err)
	}
	if d.Source != mailbox.SourceISPDB || !d.Trusted || d.Provider != "Mail of posta.example" || d.ProviderID != "posta.example" || len(d.Incoming) != 1 || len(d.Outgoing) != 1 {
		t.Errorf("Detect() = %+v", d)
	}
	for src, st := range states {
		// The other sources found nothing or were stopped by the winner.
		if src == mailbox.SourceISPDB && st != mailbox.SourceFound || src != mailbox.SourceISPDB && st != mailbox.SourceNotFound && st != mailbox.SourceStopped {
			t.Errorf("%s ended %v", src, st)
		}
	}
	d, err = Detector{Config: *cfg}.Detect(context.Background(), "anna@nowhere.example", nil)
	if err != nil || d.Source != "" || len(d.Incoming) != 0 {
		t.Errorf("Detect() = %+v, %v; want an empty detection", d, err)
	}
	var ae *mailbox.AddressError
	if _, err := (Detector{}).Detect(context.Background(), "anna", nil); !errors.As(err, &ae) {
		t.Errorf("Detect() = %v, want an address error", err)
	}
}

func TestWithTheProvidersFile(t *testing.T) {
	t.Parallel()
	db, err := providers.LoadFile(filepath.Join("..", "..", "providers.yaml"))
	if err != nil {
		t.Fatalf("LoadFile() = %v", err)
	}
	n := newSimnet(t, 0)
	n.mx("studio.example", 1, "aspmx.l.google.com")
	n.mx("ufficio.example", 0, "ufficio-example.mail.protection.outlook.com")
	for addr, want := range map[string]string{
		"anna@studio.example":  "google-workspace",
		"anna@ufficio.example": "microsoft365",
	} {
		r, _, err := discover(t, n, addr, func(c *Config) { c.Catalog = db })
		if err != nil || r.Source != mailbox.SourceProviders || r.Provider == nil || r.Provider.ID != want || !r.Trusted {
			t.Errorf("Discover(%s) = %+v, %v; want %s from the providers file", addr, r, err, want)
			continue
		}
		if r.Incoming[0].Username != addr {
			t.Errorf("Discover(%s): username %q", addr, r.Incoming[0].Username)
		}
	}
}

// TestAutoconfigRedirectedElsewhere: HTTPS vouches for the domain that
// answered, so an autoconfig file reached through a redirect to another
// domain needs the person's confirmation and names that domain; a
// redirect within the domain keeps the file trusted.
func TestAutoconfigRedirectedElsewhere(t *testing.T) {
	const d = "posta.example"
	for _, tt := range []struct {
		name, to, names string
		trusted         bool
	}{
		{"to another domain", "https://autoconfig.elsewhere.example/config.xml", "elsewhere.example", false},
		{"within the domain", "https://posta.example/mail/config.xml", "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := newSimnet(t, 0)
			n.page("https://autoconfig."+d+"/mail/config-v1.1.xml", func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, tt.to, http.StatusFound)
			})
			n.xmlPage(tt.to, autoconfigXML(d))
			r, _, err := discover(t, n, "anna@"+d, nil)
			if err != nil || r.Source != mailbox.SourceAutoconfig || r.Trusted != tt.trusted {
				t.Fatalf("Discover() = %+v, %v; want autoconfig, trusted %v", r, err, tt.trusted)
			}
			named := slices.ContainsFunc(r.Hints, func(h probe.Text) bool {
				return tt.names != "" && strings.Contains(h.EN, tt.names) && strings.Contains(h.IT, tt.names)
			})
			if named != !tt.trusted {
				t.Errorf("hints %v; want them to name %q: %v", r.Hints, tt.names, !tt.trusted)
			}
		})
	}
}

// TestNoNetwork: when DNS itself fails, discovery says the network is
// down rather than that the domain has no settings; a domain that does
// not exist, on a working network, is still "not found".
func TestNoNetwork(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	start := time.Now()
	_, err := Discover(context.Background(), mustAddress(t, "anna@example.org"), n.deadDNS(true))
	if !errors.Is(err, ErrNoNetwork) || errors.Is(err, ErrNotFound) {
		t.Fatalf("Discover() with DNS refused = %v, want ErrNoNetwork", err)
	}
	if el := time.Since(start); el >= DefaultBudget {
		t.Errorf("Discover() took %v though DNS failed at once", el)
	}

	cfg := n.deadDNS(false)
	cfg.Budget = 500 * time.Millisecond
	if _, err := Discover(context.Background(), mustAddress(t, "anna@example.org"), cfg); !errors.Is(err, ErrNoNetwork) {
		t.Errorf("Discover() with DNS silent = %v, want ErrNoNetwork", err)
	}

	d, err := Detector{Config: *n.deadDNS(true)}.Detect(context.Background(), "anna@example.org", nil)
	if !errors.Is(err, ErrNoNetwork) || len(d.Incoming) != 0 {
		t.Errorf("Detect() = %+v, %v; want ErrNoNetwork", d, err)
	}

	if _, err := Discover(context.Background(), mustAddress(t, "anna@nowhere.example"), n.config()); !errors.Is(err, ErrNotFound) {
		t.Errorf("Discover() of a domain that does not exist = %v, want ErrNotFound", err)
	}
}
