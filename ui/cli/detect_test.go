package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/discover"
	"github.com/postino/postino/wizard/providers"
	"github.com/postino/postino/wizard/store"
	"github.com/postino/postino/wizard/store/storetest"
)

// TestMain gives the commands the providers list main embeds.
func TestMain(m *testing.M) {
	data, err := os.ReadFile("../../providers.yaml")
	if err != nil {
		panic(err)
	}
	EmbeddedProviders = data
	os.Exit(m.Run())
}

type detectJSON struct {
	Address  string `json:"address"`
	Provider *struct {
		ID, Name string
	} `json:"provider"`
	Source   string `json:"source"`
	Trusted  bool   `json:"trusted"`
	Incoming []struct {
		Protocol, Host, Security, Username, Auth string
		Port                                     int
	} `json:"incoming"`
	Outgoing []struct {
		Protocol, Host, Security, Username, Auth string
		Port                                     int
	} `json:"outgoing"`
	Hints []struct{ Text string } `json:"hints"`
}

func TestDetectOffline(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", nil, "detect", "alice@libero.it", "--offline", "--json")
	if code != 0 || stderr != "" {
		t.Fatalf("detect = %d, stderr %q", code, stderr)
	}
	var d detectJSON
	if err := json.Unmarshal([]byte(stdout), &d); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	in, out := d.Incoming[0], d.Outgoing[0]
	if d.Source != "providers" || !d.Trusted || d.Provider == nil || d.Provider.ID != "libero" ||
		in.Host != "imapmail.libero.it" || in.Port != 993 || in.Security != "tls" ||
		out.Host != "smtp.libero.it" || out.Port != 465 || out.Security != "tls" || in.Username != "alice@libero.it" {
		t.Errorf("detect alice@libero.it = %+v", d)
	}

	code, stdout, _ = runCLI(t, "", nil, "detect", "bob@gmail.com", "--offline")
	if code != 0 || !strings.Contains(stdout, "app password") || !strings.Contains(stdout, "imap.gmail.com:993") {
		t.Errorf("detect bob@gmail.com = %d:\n%s", code, stdout)
	}
	code, stdout, _ = runCLI(t, "", nil, "detect", "bob@gmail.com", "--offline", "--lang", "it")
	if code != 0 || !strings.Contains(stdout, "password per le app") || !strings.Contains(stdout, "Fonte: l'elenco dei provider di postino") {
		t.Errorf("detect bob@gmail.com --lang it = %d:\n%s", code, stdout)
	}
}

func TestDetectProvidersFiles(t *testing.T) {
	dir := t.TempDir()
	own := filepath.Join(dir, "own.yaml")
	os.WriteFile(own, []byte(`providers:
  - id: example-corp
    name: Example Corp
    domains: [example.test, libero.it]
    incoming: [imaps://mail.example.test:10993]
    outgoing: [smtps://mail.example.test:10465]
    hints:
      - en: Ask the help desk for your password.
        it: Chiedi la password all'assistenza.
    docs: https://intranet.example.test/mail
`), 0o600)
	// An organisation's file wins over the embedded list, by flag or by
	// environment.
	for _, run := range []struct {
		env  map[string]string
		args []string
	}{
		{nil, []string{"detect", "anna@libero.it", "--offline", "--json", "--providers", own}},
		{map[string]string{"POSTINO_PROVIDERS": ":" + own + ":"}, []string{"detect", "anna@libero.it", "--offline", "--json"}},
	} {
		code, stdout, stderr := runCLI(t, "", run.env, run.args...)
		if code != 0 || !strings.Contains(stdout, `"host": "mail.example.test"`) || !strings.Contains(stdout, `"port": 10993`) {
			t.Errorf("%v: %d %s %s", run.args, code, stdout, stderr)
		}
	}
	code, stdout, _ := runCLI(t, "", map[string]string{"POSTINO_PROVIDERS": own}, "detect", "anna@example.test", "--offline")
	if code != 0 || !strings.Contains(stdout, "Example Corp") || !strings.Contains(stdout, "Ask the help desk") {
		t.Errorf("POSTINO_PROVIDERS: %d\n%s", code, stdout)
	}

	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("providers:\n  - id: x\n    name: X\n    domains: [x.test]\n    incoming: [imaps://h:99999]\n    outgoing: [smtps://h]\n"), 0o600)
	code, stdout, stderr := runCLI(t, "", nil, "detect", "anna@x.test", "--offline", "--providers", bad)
	if code != 2 || stdout != "" || !strings.Contains(stderr, bad+":5:") {
		t.Errorf("bad providers file: %d %q %q, want exit 2 naming %s:5", code, stdout, stderr, bad)
	}
}

func TestDetectRefuses(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"detect"}, 2, "needs one email address"},
		{[]string{"detect", "a@@b.test"}, 2, "more than one @"},
		{[]string{"detect", "a b@c.test", "--lang", "it"}, 2, "non è un indirizzo utilizzabile"},
		{[]string{"detect", "anna@unknown.example", "--offline"}, 1, "do not know unknown.example"},
		{[]string{"detect", "anna@x.test", "--timeout", "-1s"}, 2, "--timeout must be positive"},
	} {
		code, stdout, stderr := runCLI(t, "", nil, tt.args...)
		if code != tt.code || stdout != "" || !strings.Contains(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v = %d, %q, %q; want %d and %q", tt.args, code, stdout, stderr, tt.code, tt.want)
		}
	}
}

// TestTestDetects: without URLs, postino test tests what detection finds;
// settings it cannot vouch for get no password.
func TestTestDetects(t *testing.T) {
	dir := t.TempDir()
	own := filepath.Join(dir, "own.yaml")
	os.WriteFile(own, []byte(`providers:
  - id: closed
    name: Closed
    domains: [closed.test]
    incoming: [imaps://127.0.0.1:1, pop3s://127.0.0.1:1]
    outgoing: [smtps://127.0.0.1:1]
    hints:
      - en: Nothing listens here.
        it: Qui non ascolta nessuno.
    docs: https://closed.test/
`), 0o600)
	code, stdout, stderr := runCLI(t, "pw\n", map[string]string{"POSTINO_PROVIDERS": own}, "test", "anna@closed.test", "--password-stdin", "--json")
	var got testJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s\n%s", err, stdout, stderr)
	}
	if code != 1 || len(got.Results) != 3 {
		t.Fatalf("test anna@closed.test = %d with %d results, want 1 with every detected server tried:\n%s", code, len(got.Results), stdout)
	}
	for i, want := range []string{"imap", "pop3", "smtp"} {
		if r := got.Results[i]; r.Server.Protocol != want || r.Code != "connection_refused" {
			t.Errorf("result %d = %s %s, want %s connection_refused", i, r.Server.Protocol, r.Code, want)
		}
	}
	if strings.Contains(stdout+stderr, "pw\n") || strings.Contains(stderr, "not confirmed") {
		t.Errorf("trusted settings: stderr %q", stderr)
	}
}

// srvOnly is a DNS that knows one SRV record and nothing else.
type srvOnly struct {
	domain string
	port   uint16
}

func (r srvOnly) LookupMX(context.Context, string) ([]*net.MX, error) {
	return nil, &net.DNSError{Err: "no such host", IsNotFound: true}
}

func (r srvOnly) LookupSRV(_ context.Context, service, proto, name string) (string, []*net.SRV, error) {
	if service == "imaps" && name == r.domain {
		return "", []*net.SRV{{Target: "127.0.0.1.", Port: r.port, Priority: 0, Weight: 1}}, nil
	}
	return "", nil, &net.DNSError{Err: "no such host", IsNotFound: true}
}

func (r srvOnly) LookupIPAddr(context.Context, string) ([]net.IPAddr, error) {
	return nil, &net.DNSError{Err: "no such host", IsNotFound: true}
}

type noHTTP struct{}

func (noHTTP) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("no network in tests")
}

// TestTestUnconfirmedGetsNoPassword: settings that only DNS vouches for
// are tested without the password, and postino says so.
func TestTestUnconfirmedGetsNoPassword(t *testing.T) {
	url, pin := startIMAPS(t)
	port, _ := strconv.Atoi(url[strings.LastIndex(url, ":")+1:])
	var stdout, stderr bytes.Buffer
	e := &env{
		ctx: context.Background(), stdin: strings.NewReader(unitPassword + "\n"), stdout: &stdout, stderr: &stderr,
		getenv:  func(string) string { return "" },
		keyring: storetest.NewKeyring(store.ErrNoPassword),
		network: func(c *discover.Config) {
			c.Resolver = srvOnly{domain: "srv.test", port: uint16(port)}
			c.HTTPClient = &http.Client{Transport: noHTTP{}}
		},
	}
	code := e.run([]string{"test", "alice@srv.test", "--password-stdin", "--pin", pin, "--json", "--debug"})
	var got testJSON
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	if code != 0 || len(got.Results) != 1 || got.Results[0].Code != "ok" || got.Results[0].Server.Port != port {
		t.Fatalf("test = %d:\n%s\n%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stderr.String(), "not confirmed") {
		t.Errorf("stderr does not say the settings are unconfirmed:\n%s", stderr.String())
	}
	if strings.Contains(stderr.String(), "[redacted]") || strings.Contains(stdout.String(), `"logged_in": true`) {
		t.Errorf("a login was tried on unconfirmed settings:\n%s\n%s", stdout.String(), stderr.String())
	}
	if probe.Repeats(stdout.String()+stderr.String(), unitPassword) {
		t.Errorf("the password appears in the output")
	}
}

// TestDetectInstructionsLink runs detect for a domain of every provider
// postino knows: the provider's instructions are its own help page, shown
// when it has one, and never a link to the ISP database's XML.
func TestDetectInstructionsLink(t *testing.T) {
	db, err := providers.Load("providers.yaml", EmbeddedProviders)
	if err != nil {
		t.Fatal(err)
	}
	shown := 0
	for _, p := range db.Providers() {
		domain := ""
		for _, d := range p.Domains {
			if !strings.HasPrefix(d, "*") {
				domain = d
				break
			}
		}
		if domain == "" {
			continue
		}
		for _, lang := range []string{"en", "it"} {
			code, stdout, stderr := runCLI(t, "", nil, "detect", "anna@"+domain, "--offline", "--lang", lang)
			if code != 0 {
				t.Fatalf("detect anna@%s = %d, %q", domain, code, stderr)
			}
			if strings.Contains(stdout, "autoconfig.thunderbird.net") || strings.Contains(stdout, ".xml") {
				t.Errorf("detect anna@%s --lang %s links to XML:\n%s", domain, lang, stdout)
			}
			if providers.IsHelpPage(p.Docs) != strings.Contains(stdout, p.Docs) {
				t.Errorf("detect anna@%s --lang %s: help page %q shown %v:\n%s", domain, lang, p.Docs, !providers.IsHelpPage(p.Docs), stdout)
			}
		}
		if providers.IsHelpPage(p.Docs) {
			shown++
		}
	}
	if shown == 0 {
		t.Error("no provider's help page was shown")
	}
}

// deadDNS is a resolver that reaches no DNS server.
type deadDNS struct{}

var errDNSDown = &net.DNSError{Err: "dial udp 127.0.0.53:53: connect: network is unreachable", Name: "example.org", IsTemporary: true}

func (deadDNS) LookupMX(context.Context, string) ([]*net.MX, error) { return nil, errDNSDown }
func (deadDNS) LookupSRV(context.Context, string, string, string) (string, []*net.SRV, error) {
	return "", nil, errDNSDown
}
func (deadDNS) LookupIPAddr(context.Context, string) ([]net.IPAddr, error) { return nil, errDNSDown }

// TestDetectNoNetwork: when DNS itself fails and nothing can be reached,
// detect says so, in words and in its JSON, rather than "no settings".
func TestDetectNoNetwork(t *testing.T) {
	for _, tt := range []struct {
		lang string
		args []string
		want string
	}{
		{"en", nil, "No internet connection (or DNS is not working): postino could not look for the settings of anna@example.org."},
		{"it", nil, "Nessuna connessione a internet (oppure il DNS non funziona)"},
		{"en", []string{"--json"}, `"code": "no_network"`},
	} {
		var stdout, stderr bytes.Buffer
		e := &env{
			ctx: context.Background(), stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
			getenv: func(string) string { return "" },
			network: func(c *discover.Config) {
				c.Resolver = deadDNS{}
				c.HTTPClient = &http.Client{Transport: noHTTP{}}
				c.Dialer = refusingDialer{}
			},
		}
		for _, cmd := range [][]string{{"detect", "anna@example.org"}, {"test", "anna@example.org"}} {
			if cmd[0] == "test" && len(tt.args) > 0 {
				continue
			}
			stdout.Reset()
			stderr.Reset()
			code := e.run(append(append(cmd, "--lang", tt.lang), tt.args...))
			if code != 1 || !strings.Contains(stdout.String()+stderr.String(), tt.want) || strings.Contains(stderr.String(), "found no settings") {
				t.Errorf("%v %v = %d, want 1 and %q:\n%s%s", cmd, tt.args, code, tt.want, stdout.String(), stderr.String())
			}
		}
	}
	// A domain without settings, on a working network, is not_found.
	var stdout bytes.Buffer
	e := &env{
		ctx: context.Background(), stdin: strings.NewReader(""), stdout: &stdout, stderr: io.Discard,
		getenv: func(string) string { return "" },
		network: func(c *discover.Config) {
			c.Resolver = srvOnly{domain: "other.test"}
			c.HTTPClient = &http.Client{Transport: notFoundHTTP{}}
			c.Dialer = refusingDialer{}
		},
	}
	if code := e.run([]string{"detect", "anna@example.org", "--json"}); code != 1 || !strings.Contains(stdout.String(), `"code": "not_found"`) {
		t.Errorf("detect of a domain without settings = %d:\n%s", code, stdout.String())
	}
}

// notFoundHTTP answers every request 404.
type notFoundHTTP struct{}

func (notFoundHTTP) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 404, Status: "404 Not Found", Body: io.NopCloser(strings.NewReader("")), Request: r, Header: http.Header{}}, nil
}

// refusingDialer connects nowhere.
type refusingDialer struct{}

func (refusingDialer) DialContext(context.Context, string, string) (net.Conn, error) {
	return nil, errors.New("connection refused")
}

// mxFor is a DNS where only the domains given have MX records.
type mxFor map[string]bool

func (r mxFor) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	if r[name] {
		return []*net.MX{{Host: "mx." + name + ".", Pref: 10}}, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func (r mxFor) LookupSRV(_ context.Context, _, _, name string) (string, []*net.SRV, error) {
	return "", nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func (r mxFor) LookupIPAddr(_ context.Context, name string) ([]net.IPAddr, error) {
	return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

// TestDetectTypos: a domain one slip away from a known provider's gets
// "did you mean", unless it receives mail; offline, or without DNS, only
// a domain that cannot exist gets one.
func TestDetectTypos(t *testing.T) {
	for _, tt := range []struct {
		address string
		dns     discover.Resolver
		args    []string
		want    string // "" for no suggestion
	}{
		{"mario@gmial.com", mxFor{}, nil, "Did you mean mario@gmail.com?"},
		{"mario@hotmial.com", mxFor{}, nil, "Did you mean mario@hotmail.com?"},
		{"mario@libero.ti", mxFor{}, nil, "Did you mean mario@libero.it?"},
		{"mario@gmail.con", mxFor{}, nil, "Did you mean mario@gmail.com?"},
		{"mario@gmail.con", mxFor{}, []string{"--lang", "it"}, "Forse intendevi mario@gmail.com?"},
		{"mario@gmial.com", mxFor{"gmial.com": true}, nil, ""},
		{"mario@gmail.con", nil, []string{"--offline"}, "Did you mean mario@gmail.com?"},
		{"mario@gmial.com", nil, []string{"--offline"}, ""},
		{"mario@gmial.com", deadDNS{}, nil, ""},
		{"mario@gmail.con", deadDNS{}, nil, "Did you mean mario@gmail.com?"},
		{"mario@example.org", mxFor{}, nil, ""},
	} {
		for _, asJSON := range []bool{false, true} {
			var stdout, stderr bytes.Buffer
			e := &env{
				ctx: context.Background(), stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
				getenv: func(string) string { return "" },
				network: func(c *discover.Config) {
					if tt.dns != nil {
						c.Resolver = tt.dns
					}
					c.HTTPClient = &http.Client{Transport: notFoundHTTP{}}
					c.Dialer = refusingDialer{}
				},
			}
			args := append([]string{"detect", tt.address}, tt.args...)
			if asJSON {
				args = append(args, "--json")
			}
			code := e.run(args)
			if code != 1 {
				t.Errorf("%v = %d, want 1:\n%s%s", args, code, stdout.String(), stderr.String())
			}
			switch {
			case asJSON:
				var out struct {
					DidYouMean *string `json:"did_you_mean"`
				}
				if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
					t.Fatalf("%v: %v\n%s", args, err, stdout.String())
				}
				want := strings.TrimSuffix(tt.want[strings.LastIndex(tt.want, " ")+1:], "?")
				if tt.want == "" && out.DidYouMean != nil || tt.want != "" && (out.DidYouMean == nil || *out.DidYouMean != want) {
					t.Errorf("%v: did_you_mean = %v, want %q\n%s", args, out.DidYouMean, want, stdout.String())
				}
			case tt.want == "":
				if strings.Contains(stderr.String(), "mean") || strings.Contains(stderr.String(), "intendevi") {
					t.Errorf("%v guesses:\n%s", args, stderr.String())
				}
			case !strings.HasPrefix(stderr.String(), tt.want+"\n") || strings.Count(stderr.String(), "\n") != 2:
				t.Errorf("%v: stderr should be %q first, then why nothing was found:\n%s", args, tt.want, stderr.String())
			}
		}
	}
}

// exchangeOnly is an HTTPS service at autodiscover.DOMAIN whose
// Autodiscover answer names only Exchange's own protocols; nothing else
// answers.
type exchangeOnly struct{ domain string }

func (x exchangeOnly) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodPost || req.URL.String() != "https://autodiscover."+x.domain+"/autodiscover/autodiscover.xml" {
		return nil, errors.New("no network in tests")
	}
	body := `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <Protocol>
        <Type>EXCH</Type>
        <Server>EX01.corp.` + x.domain + `</Server>
        <ASUrl>https://mail.` + x.domain + `/EWS/Exchange.asmx</ASUrl>
      </Protocol>
    </Account>
  </Response>
</Autodiscover>`
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Request: req, TLS: &tls.ConnectionState{},
		Header: http.Header{"Content-Type": {"text/xml; charset=utf-8"}},
		Body:   io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)),
	}, nil
}

// TestDetectExchangeOnly: an Exchange server without IMAP is said as
// such, not as nothing found; the JSON carries the advice.
func TestDetectExchangeOnly(t *testing.T) {
	for _, lang := range []string{"en", "it"} {
		var stdout, stderr bytes.Buffer
		e := &env{
			ctx: context.Background(), stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
			getenv: func(string) string { return "" },
			network: func(c *discover.Config) {
				c.Resolver = srvOnly{}
				c.HTTPClient = &http.Client{Transport: exchangeOnly{"exch.test"}}
			},
		}
		code := e.run([]string{"detect", "first.last@exch.test", "--json", "--lang", lang})
		var got struct {
			Schema int  `json:"schema"`
			Found  bool `json:"found"`
			detectJSON
		}
		if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, stdout.String())
		}
		want := map[string]string{
			"en": "This is an Exchange server (mail.exch.test) and it names no IMAP or POP server: ask IT whether IMAP is on, and for the server's name.",
			"it": "Questo è un server Exchange (mail.exch.test) e non indica alcun server IMAP o POP: chiedi al reparto IT se IMAP è attivo e qual è il nome del server.",
		}[lang]
		if code != exitFailed || got.Schema != 1 || got.Found || len(got.Incoming) != 0 || len(got.Hints) != 1 || got.Hints[0].Text != want {
			t.Errorf("detect --json --lang %s = %d:\n%s", lang, code, stdout.String())
		}
		if strings.TrimSpace(stderr.String()) != want {
			t.Errorf("stderr = %q, want only the Exchange advice", stderr.String())
		}
	}
}
