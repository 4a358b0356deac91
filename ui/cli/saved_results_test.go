package cli

import (
	"bufio"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/discover"
	"github.com/postino/postino/wizard/store"
)

// startSMTPS runs a go-smtp submission server, knowing alice, with
// implicit TLS on a free loopback port and a self-signed certificate, and
// returns the server's URL and the certificate's pin.
func startSMTPS(t *testing.T) (string, string) {
	t.Helper()
	cert, pin := selfSigned(t)
	srv := smtp.NewServer(smtpBackend{})
	srv.Domain = "127.0.0.1"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, port := listenTLS(t, cert)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "smtps://127.0.0.1:" + strconv.Itoa(port), pin
}

// smtpBackend takes alice's password and nothing else.
type smtpBackend struct{}

func (smtpBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{}, nil }

type smtpSession struct{}

func (*smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (*smtpSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != unitUser || password != unitPassword {
			return smtp.ErrAuthFailed
		}
		return nil
	}), nil
}

func (*smtpSession) Mail(string, *smtp.MailOptions) error { return smtp.ErrAuthRequired }
func (*smtpSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (*smtpSession) Data(io.Reader) error                 { return nil }
func (*smtpSession) Reset()                               {}
func (*smtpSession) Logout() error                        { return nil }

// serveIMAPS runs a scripted IMAPS server on 127.0.0.1 with a self-signed
// certificate: it greets with greeting, says goodbye to LOGOUT, and writes
// what answer replies to any other command ("" is BAD). It returns its URL
// and its certificate's pin.
func serveIMAPS(t *testing.T, greeting string, answer func(tag, command string) string) (url, pin string) {
	t.Helper()
	cert, pin := selfSigned(t)
	ln, port := listenTLS(t, cert)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				conn.SetDeadline(time.Now().Add(10 * time.Second))
				io.WriteString(conn, greeting+"\r\n")
				lines := bufio.NewScanner(conn)
				for lines.Scan() {
					tag, command, _ := strings.Cut(lines.Text(), " ")
					reply := answer(tag, command)
					switch {
					case command == "LOGOUT":
						io.WriteString(conn, "* BYE\r\n"+tag+" OK\r\n")
						return
					case reply == "":
						reply = tag + " BAD"
					}
					io.WriteString(conn, reply+"\r\n")
				}
			}()
		}
	}()
	return "imaps://127.0.0.1:" + strconv.Itoa(port), pin
}

// startEcho runs an IMAPS server that has learnt the password (as a
// hostile server that saw it once would have) and says it back: in an
// ALERT when it lets the login in, in its refusal when it does not.
func startEcho(t *testing.T, accept bool) (string, string) {
	t.Helper()
	return serveIMAPS(t, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready", func(tag, command string) string {
		switch {
		case strings.HasPrefix(command, "AUTHENTICATE") && accept:
			return tag + " OK [ALERT] Welcome back; your password is " + unitPassword
		case strings.HasPrefix(command, "AUTHENTICATE"):
			// What it received: the base64 of the PLAIN exchange.
			payload := command[strings.LastIndex(command, " ")+1:]
			return tag + " NO [AUTHENTICATIONFAILED] " + payload + " is not your password"
		}
		return ""
	})
}

// find reads a saved account from the test's directory.
func (a *accountsEnv) find(t *testing.T, name string) store.Account {
	t.Helper()
	acc, err := (&store.Store{Dir: filepath.Join(a.config, "postino"), Keyring: a.keyring}).Find(name)
	if err != nil {
		t.Fatalf("Find(%q) = %v", name, err)
	}
	return acc
}

// TestSaveRecordsSourceProviderAndTests: postino test --save keeps where
// the settings came from, the provider and the test that passed.
func TestSaveRecordsSourceProviderAndTests(t *testing.T) {
	a := newAccountsEnv(t)
	imaps, imapPin := startIMAPS(t)
	smtps, smtpPin := startSMTPS(t)
	pins := []string{"--pin", imapPin, "--pin", smtpPin}

	// Given as URLs: entered by hand, no provider.
	before := time.Now().Truncate(time.Second)
	code, _, stderr := a.run(t, unitPassword+"\n", append([]string{"test", unitUser, "--incoming", imaps, "--outgoing", smtps, "--password-stdin", "--save"}, pins...)...)
	if code != 0 {
		t.Fatalf("test --save = %d, %q", code, stderr)
	}
	got := a.find(t, unitUser)
	if got.Source != "manual" || got.Provider != (store.Provider{}) || len(got.Tests) != 2 {
		t.Fatalf("saved source %q, provider %+v, tests %+v", got.Source, got.Provider, got.Tests)
	}
	in, out := got.Tests[0], got.Tests[1]
	if in.Role != probe.Incoming || !in.OK || !in.LoggedIn || in.Server != got.Incoming[0] || in.TLS == nil || !in.TLS.Pinned ||
		in.TLS.Certificate == nil || "sha256:"+in.TLS.Certificate.SHA256 != imapPin || in.At.Before(before) || in.At.After(time.Now()) {
		t.Errorf("incoming test = %+v", in)
	}
	if out.Role != probe.Outgoing || !out.OK || !out.LoggedIn || out.Server != got.Outgoing[0] || out.TLS.Certificate.SHA256 != smtpPin[7:] || len(out.AuthMechanisms) != 1 {
		t.Errorf("outgoing test = %+v", out)
	}

	// Tested again as a saved account: where its settings came from stays.
	if code, _, stderr := a.run(t, "", "test", unitUser, "--save"); code != 0 {
		t.Fatalf("test of the saved account = %d, %q", code, stderr)
	}
	if again := a.find(t, unitUser); again.Source != "manual" || len(again.Tests) != 2 || !again.Tests[0].LoggedIn {
		t.Errorf("after testing again: source %q, tests %+v", again.Source, again.Tests)
	}

	// Detected through the organisation's providers file: its source and
	// provider.
	if code, _, stderr := a.run(t, "", "remove", unitUser); code != 0 {
		t.Fatalf("remove = %d, %q", code, stderr)
	}
	own := filepath.Join(t.TempDir(), "own.yaml")
	os.WriteFile(own, []byte("providers:\n  - id: example-test\n    name: Example Test Mail\n    domains: [example.test]\n"+
		"    incoming: ["+imaps+"]\n    outgoing: ["+smtps+"]\n    docs: https://example.test/\n"), 0o600)
	a.environ = map[string]string{"POSTINO_PROVIDERS": own}
	code, _, stderr = a.run(t, unitPassword+"\n", append([]string{"test", unitUser, "--password-stdin", "--save"}, pins...)...)
	if code != 0 {
		t.Fatalf("test --save of detected settings = %d, %q", code, stderr)
	}
	got = a.find(t, unitUser)
	if got.Source != "providers" || got.Provider != (store.Provider{ID: "example-test", Name: "Example Test Mail"}) ||
		len(got.Tests) != 2 || !got.Tests[0].LoggedIn || !got.Tests[1].LoggedIn {
		t.Errorf("saved source %q, provider %+v, tests %+v", got.Source, got.Provider, got.Tests)
	}

	// show says it, for a person and for a script.
	_, stdout, _ := a.run(t, "", "show", unitUser, "--lang", "it")
	for _, want := range []string{"provider", "Example Test Mail", "impostazioni da", "l'elenco dei provider di postino", "ultima prova", "✓ " + imaps + "  ok"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("show lacks %q:\n%s", want, stdout)
		}
	}
	_, stdout, _ = a.run(t, "", "show", unitUser, "--json")
	var shown struct {
		Provider *struct{ ID, Name string } `json:"provider"`
		Source   string                     `json:"source"`
	}
	if err := json.Unmarshal([]byte(stdout), &shown); err != nil || shown.Provider == nil || shown.Provider.ID != "example-test" || shown.Source != "providers" {
		t.Errorf("show --json = %v, %s", err, stdout)
	}
}

// TestSaveUnconfirmedDetection: settings only DNS vouches for are tested
// without the password and not saved: nothing unconfirmed is kept.
func TestSaveUnconfirmedDetection(t *testing.T) {
	a := newAccountsEnv(t)
	url, pin := startIMAPS(t)
	port, _ := strconv.Atoi(url[strings.LastIndex(url, ":")+1:])
	a.network = func(c *discover.Config) {
		c.Resolver = srvOnly{domain: "srv.test", port: uint16(port)}
		c.HTTPClient = &http.Client{Transport: noHTTP{}}
	}
	code, _, stderr := a.run(t, unitPassword+"\n", "test", "alice@srv.test", "--password-stdin", "--pin", pin, "--save")
	if code != 1 || !strings.Contains(stderr, "Not saved: the settings found are not confirmed") {
		t.Fatalf("test --save = %d, %q; want 1 and not saved", code, stderr)
	}
	if _, err := os.Stat(a.file()); !os.IsNotExist(err) {
		t.Errorf("an accounts file was written: %v", err)
	}
	if a.keyring.Count() != 0 {
		t.Errorf("the keyring got a password for %d addresses", a.keyring.Count())
	}
}

// TestSavedTestsHoldNoPassword: a server that says the password back has
// its answer withheld whole by the probe before the test is saved or
// reported.
func TestSavedTestsHoldNoPassword(t *testing.T) {
	a := newAccountsEnv(t)
	refuses, refusesPin := startEcho(t, false)
	accepts, acceptsPin := startEcho(t, true)
	// Another host's name for the fallback: on the same host, a refused
	// password is not tried again.
	accepts = strings.Replace(accepts, "127.0.0.1", "localhost", 1)
	code, stdout, stderr := a.run(t, unitPassword+"\n", "test", unitUser, "--incoming", refuses, "--incoming", accepts,
		"--pin", refusesPin, "--pin", acceptsPin, "--password-stdin", "--save", "--name", "echo")
	if code != 0 {
		t.Fatalf("test --save = %d\n%s%s", code, stdout, stderr)
	}
	// --json and --debug carry it in no form either (a.run searches every
	// output, decoded).
	if code, _, stderr := a.run(t, unitPassword+"\n", "test", unitUser, "--incoming", refuses, "--pin", refusesPin,
		"--password-stdin", "--json", "--debug"); code != 1 || !strings.Contains(stderr, "[withheld") {
		t.Errorf("test --json --debug = %d; the trace does not say the answer was withheld:\n%s", code, stderr)
	}
	got := a.find(t, "echo")
	if len(got.Tests) != 2 || got.Tests[0].Code != probe.CodeAuthFailed || got.Tests[0].Failure == nil ||
		got.Tests[0].Failure.Reply != "" || len(got.Tests[1].Alerts) != 0 {
		t.Errorf("saved tests = %+v", got.Tests)
	}
	for _, format := range []string{"report", "json"} {
		for _, lang := range []string{"en", "it"} {
			code, stdout, stderr := a.run(t, "", "export", "echo", "--format", format, "--lang", lang)
			if code != 0 || probe.Repeats(stdout, unitPassword) {
				t.Errorf("export --format %s --lang %s = %d, %q:\n%s", format, lang, code, stderr, stdout)
			}
		}
	}
}

// TestAppPasswordRefused: a provider known to take only app passwords
// gets a refused login explained as such, with its own advice again; a
// test without a password never ends with "All settings work".
func TestAppPasswordRefused(t *testing.T) {
	a := newAccountsEnv(t)
	refuses, pin := startEcho(t, false)
	own := filepath.Join(t.TempDir(), "own.yaml")
	os.WriteFile(own, []byte("providers:\n  - id: apps\n    name: Apps Mail\n    domains: [example.test]\n    auth: app-password\n"+
		"    incoming: ["+refuses+"]\n    outgoing: [\"smtps://127.0.0.1:1\"]\n"+
		"    hints:\n      - en: \"Make an app password at apps.example.test/keys.\"\n        it: \"Crea una password per le app su apps.example.test/keys.\"\n"), 0o600)
	a.environ = map[string]string{"POSTINO_PROVIDERS": own}
	code, stdout, _ := a.run(t, unitWrong+"\n", "test", unitUser, "--password-stdin", "--pin", pin)
	for _, want := range []string{"only with an app password", "Create an app password", "Your provider's advice:", "apps.example.test/keys"} {
		if code != 1 || !strings.Contains(stdout, want) {
			t.Errorf("test = %d, the report lacks %q:\n%s", code, want, stdout)
		}
	}

	accepts, acceptsPin := startEcho(t, true)
	code, stdout, _ = a.run(t, "", "test", unitUser, "--incoming", accepts, "--pin", acceptsPin)
	if code != 0 || !strings.Contains(stdout, "the login was not tested") || strings.Contains(stdout, "All settings work") {
		t.Errorf("test without a password = %d:\n%s", code, stdout)
	}
}
