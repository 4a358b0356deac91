package ui

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
	"github.com/postino/postino/wizard/signin/signintest"
	"github.com/postino/postino/wizard/store"
)

// path is a way to one screen, from the start.
type path struct {
	name  string
	setup func(d *deps) // changes the fakes before the start
	keys  func(m *Model)
	want  wizard.Step
}

func toAddress(m *Model) { press(m, "enter"); press(m, "enter") }
func toHint(m *Model)    { toAddress(m); typeText(m, "anna@example.com"); press(m, "enter") }
func toPassword(m *Model) {
	toHint(m)
	press(m, "enter")
}
func toSignIn(m *Model, address string) {
	toAddress(m)
	typeText(m, address)
	press(m, "enter")
}
func toDetect(m *Model) { toPassword(m); typeText(m, "s3cret pw"); press(m, "enter") }
func toReview(m *Model) { toDetect(m); press(m, "enter") }
func toTest(m *Model)   { toReview(m); press(m, "enter") }
func toSave(m *Model)   { toTest(m); press(m, "enter") }
func hangingDetector(d *deps) {
	d.detector.hang = true
	d.detector.events = []mailbox.SourceEvent{
		{Source: mailbox.SourceProviders, State: mailbox.SourceNotFound},
		{Source: mailbox.SourceAutoconfig, State: mailbox.SourceRunning},
		{Source: mailbox.SourceISPDB, State: mailbox.SourceRunning},
	}
}
func untrustedIMAP(d *deps) { d.tester.results[probe.IMAP] = untrusted(imapServer) }

// blockedSMTP is an outgoing server a firewall keeps silent.
func blockedSMTP(d *deps) {
	d.tester.results[probe.SMTP] = probe.Result{Server: smtpServer, Code: probe.CodeTimeout,
		Steps: []probe.Step{{Name: "dns", ElapsedMS: 2}}, Failure: &probe.Failure{Code: probe.CodeTimeout, Step: "connect"}, Elapsed: 15 * time.Second}
}

// blocked465 is an outgoing server whose port 465 a firewall keeps silent
// while 587 answers; the person chose 465.
func blocked465(d *deps) {
	d.tester.byPort = map[int]probe.Result{465: {Server: smtpAlt, Code: probe.CodeTimeout,
		Steps: []probe.Step{{Name: "dns", ElapsedMS: 2}}, Failure: &probe.Failure{Code: probe.CodeTimeout, Step: "connect"}, Elapsed: 15 * time.Second}}
}

// toTestVia465 chooses 465 on the review and tests.
func toTestVia465(m *Model) {
	toReview(m)
	press(m, "tab")
	press(m, "right")
	press(m, "enter")
}

// wrongPassword is an incoming server that refuses the password, unless
// it is "right pw".
func wrongPassword(d *deps) {
	d.tester.results[probe.IMAP] = probe.Result{Server: imapServer, Code: probe.CodeAuthFailed, TLS: &probe.TLSInfo{Version: "TLS 1.3", Verified: true, Certificate: goodCert},
		Steps:   []probe.Step{{Name: "dns", ElapsedMS: 2}, {Name: "connect", ElapsedMS: 18}, {Name: "tls", ElapsedMS: 41}, {Name: "login", ElapsedMS: 60}},
		Failure: &probe.Failure{Code: probe.CodeAuthFailed, Step: "login", Reply: "NO [AUTHENTICATIONFAILED] Invalid credentials"}}
}

// paths reach every screen, and some of them in more than one state.
var paths = []path{
	{"welcome", nil, func(*Model) {}, wizard.StepWelcome},
	{"protocol", nil, func(m *Model) { press(m, "enter") }, wizard.StepProtocol},
	{"welcome_account", nil, func(m *Model) { press(m, "up"); press(m, "enter") }, wizard.StepWelcome},
	{"welcome_report", nil, func(m *Model) { press(m, "up"); press(m, "enter"); press(m, "r") }, wizard.StepWelcome},
	{"welcome_export", nil, func(m *Model) { press(m, "up"); press(m, "enter"); press(m, "x"); press(m, "down") }, wizard.StepWelcome},
	{"welcome_remove", nil, func(m *Model) { press(m, "up"); press(m, "enter"); press(m, "d") }, wizard.StepWelcome},
	{"address", nil, toAddress, wizard.StepAddress},
	{"address_problem", nil, func(m *Model) { toAddress(m); typeText(m, "anna@@example.com") }, wizard.StepAddress},
	{"address_saved", nil, func(m *Model) { toAddress(m); typeText(m, "anna@work.example"); press(m, "enter") }, wizard.StepAddress},
	{"address_keep_both", nil, func(m *Model) { toAddress(m); typeText(m, "anna@work.example"); press(m, "enter"); press(m, "down") }, wizard.StepAddress},
	{"address_typo", nil, func(m *Model) { toAddress(m); typeText(m, "anna@exmaple.com"); press(m, "enter") }, wizard.StepAddress},
	{"hint", nil, toHint, wizard.StepHint},
	{"password", nil, func(m *Model) { toPassword(m); typeText(m, "s3cret") }, wizard.StepPassword},
	{"detect_running", hangingDetector, toDetect, wizard.StepDetect},
	{"detect_found", nil, toDetect, wizard.StepDetect},
	{"detect_nothing", func(d *deps) { d.detector.result = mailbox.Detection{} }, toDetect, wizard.StepDetect},
	{"detect_offline", noNetwork, toDetect, wizard.StepDetect},
	{"review", nil, toReview, wizard.StepReview},
	{"edit", nil, func(m *Model) { toReview(m); press(m, "e") }, wizard.StepEdit},
	{"edit_problem", nil, func(m *Model) { toReview(m); press(m, "e"); press(m, "tab"); typeText(m, "x"); press(m, "enter") }, wizard.StepEdit},
	{"test_running", func(d *deps) { d.tester.hang.Store(true) }, toTest, wizard.StepTest},
	{"test_passed", nil, toTest, wizard.StepTest},
	{"test_untrusted", untrustedIMAP, toTest, wizard.StepTest},
	{"test_sending", func(d *deps) { d.tester.sendHang.Store(true) }, func(m *Model) { toTest(m); press(m, "m") }, wizard.StepTest},
	{"test_fallback", blocked465, toTestVia465, wizard.StepTest},
	{"test_auth_failed", wrongPassword, toTest, wizard.StepTest},
	{"password_again", wrongPassword, func(m *Model) { toTest(m); press(m, "p") }, wizard.StepPassword},
	{"test_send_refused", rcptRefused, func(m *Model) { toTest(m); press(m, "m") }, wizard.StepTest},
	{"trust", untrustedIMAP, func(m *Model) { toTest(m); press(m, "t") }, wizard.StepTrust},
	{"save_keyring", func(d *deps) { d.saver.saveErr = errNoKeyring }, toSave, wizard.StepSave},
	{"done", nil, func(m *Model) { toSave(m) }, wizard.StepDone},
	{"done_unverified", blockedSMTP, func(m *Model) { toTest(m); press(m, "a") }, wizard.StepDone},
	{"signin_device", nil, func(m *Model) { toSignIn(m, "anna@oauth.example"); prompted(m) }, wizard.StepSignIn},
	{"signin_asking", nil, func(m *Model) { toSignIn(m, "anna@oauth.example") }, wizard.StepSignIn},
	{"signin_not_configured", nil, func(m *Model) { toSignIn(m, "anna@office.example") }, wizard.StepSignIn},
	{"signin_cancelled", nil, func(m *Model) { toSignIn(m, "anna@oauth.example"); prompted(m); press(m, "esc") }, wizard.StepSignIn},
	{"quit", nil, func(m *Model) { toPassword(m); press(m, "ctrl+c") }, wizard.StepPassword},
	{"help", nil, func(m *Model) { press(m, "enter"); press(m, "?") }, wizard.StepProtocol},
}

func TestPathsReachTheirScreens(t *testing.T) {
	for _, lang := range []probe.Lang{probe.English, probe.Italian} {
		for _, p := range paths {
			t.Run(string(lang)+"/"+p.name, func(t *testing.T) {
				d := newDeps()
				if p.setup != nil {
					p.setup(d)
				}
				m := newTestModel(t, lang, d)
				p.keys(m)
				requireStep(t, m, p.want)
				lines := strings.Split(shown(m), "\n")
				if len(lines) != 24 {
					t.Errorf("%d lines, want 24", len(lines))
				}
				for i, l := range lines {
					if w := ansi.StringWidth(l); w > 80 {
						t.Errorf("line %d is %d cells wide: %q", i+1, w, l)
					}
				}
				if bar := lines[len(lines)-1]; !strings.Contains(bar, "ctrl+c") {
					t.Errorf("the help bar does not fit: %q", bar)
				}
			})
		}
	}
}

func TestWalkThrough(t *testing.T) {
	for lang, want := range map[probe.Lang][]string{
		"en": {"IMAP (recommended)", "looks right", "Example Mail needs an app password", "Settings from postino's provider list.", "All settings work.", "is set up."},
		"it": {"IMAP (consigliato)", "sembra corretto", "Example Mail richiede una password per le app", "Impostazioni trovate; fonte: l'elenco dei provider di postino.", "Tutte le impostazioni funzionano.", "è configurato."},
	} {
		t.Run(string(lang), func(t *testing.T) {
			d := newDeps()
			m := newTestModel(t, lang, d)
			requireContains(t, m, "work <anna@work.example>")
			press(m, "enter")
			requireContains(t, m, want[0])
			press(m, "enter")
			typeText(m, "anna@example.com")
			requireContains(t, m, want[1])
			press(m, "enter")
			requireContains(t, m, want[2], "https://help.example.com/imap")
			press(m, "enter")
			send(m, tea.PasteMsg{Content: "pasted pw"})
			requireContains(t, m, "•••••••••")
			press(m, "enter")
			requireContains(t, m, want[3], "mail.example.com:993")
			press(m, "enter")
			requireStep(t, m, wizard.StepReview)
			press(m, "enter")
			requireContains(t, m, want[4], "TLS 1.3", "64 ms")
			press(m, "enter")
			requireContains(t, m, want[5], "thunderbird, outlook, apple, aerc")
			if len(d.saver.saved) != 1 || d.saver.password != "pasted pw" {
				t.Fatalf("saved %+v with password %q, want one account with the pasted password", d.saver.saved, d.saver.password)
			}
			a := d.saver.saved[0]
			if a.Address != "anna@example.com" || a.Incoming[0] != imapWithUser() || len(a.Outgoing) != 2 {
				t.Errorf("saved %+v", a)
			}
			if a.Source != "providers" || a.Provider != (store.Provider{ID: "example", Name: "Example Mail"}) ||
				len(a.Tests) != 2 || a.Tests[0].Server != a.Incoming[0] || !a.Tests[1].OK || a.Tests[1].TLS.Version != "TLS 1.3" || a.Tests[0].At.IsZero() {
				t.Errorf("saved source %q, provider %+v, tests %+v", a.Source, a.Provider, a.Tests)
			}
			if strings.Contains(shown(m), "pasted pw") {
				t.Error("the summary shows the password")
			}
			_, cmd := m.Update(keyMsg("enter"))
			if cmd == nil || cmd() != tea.Quit() {
				t.Error("enter on the summary does not quit")
			}
			if m.Aborted || m.Interrupted {
				t.Error("a saved account counts as aborted or interrupted")
			}
		})
	}
}

func imapWithUser() probe.Server {
	s := imapServer
	s.Username, s.Auth = "anna@example.com", probe.AuthPassword
	return s
}

func TestScreens(t *testing.T) {
	tests := []struct {
		name  string
		setup func(d *deps)
		do    func(t *testing.T, m *Model, d *deps)
	}{
		{"enter refuses a bad address", nil, func(t *testing.T, m *Model, d *deps) {
			toAddress(m)
			press(m, "enter")
			requireStep(t, m, wizard.StepAddress)
			requireContains(t, m, "Type your email address")
		}},
		{"no problem shown before the @", nil, func(t *testing.T, m *Model, d *deps) {
			toAddress(m)
			typeText(m, "anna")
			if strings.Contains(shown(m), "✗") {
				t.Fatalf("a problem is shown mid-word:\n%s", shown(m))
			}
		}},
		{"empty password refused", nil, func(t *testing.T, m *Model, d *deps) {
			toPassword(m)
			press(m, "enter")
			requireStep(t, m, wizard.StepPassword)
			requireContains(t, m, "Type the password.")
		}},
		{"ctrl+r shows and hides the password", nil, func(t *testing.T, m *Model, d *deps) {
			toPassword(m)
			typeText(m, "hunter2")
			if strings.Contains(shown(m), "hunter2") {
				t.Fatal("the password shows before ctrl+r")
			}
			press(m, "ctrl+r")
			requireContains(t, m, "hunter2", "The password is shown")
			press(m, "ctrl+r")
			if strings.Contains(shown(m), "hunter2") {
				t.Fatal("the password shows after a second ctrl+r")
			}
		}},
		{"? is text in the password", nil, func(t *testing.T, m *Model, d *deps) {
			toPassword(m)
			typeText(m, "a?b")
			press(m, "ctrl+r")
			requireContains(t, m, "a?b")
			press(m, "f1")
			requireContains(t, m, "Keys")
		}},
		{"esc walks back to the welcome", nil, func(t *testing.T, m *Model, d *deps) {
			toPassword(m)
			for range 4 {
				press(m, "esc")
			}
			requireStep(t, m, wizard.StepWelcome)
		}},
		{"the address is kept when going back", nil, func(t *testing.T, m *Model, d *deps) {
			toPassword(m)
			press(m, "esc")
			press(m, "esc")
			requireContains(t, m, "anna@example.com", "looks right")
		}},
		{"POP chosen", nil, func(t *testing.T, m *Model, d *deps) {
			press(m, "enter")
			press(m, "down")
			press(m, "enter")
			typeText(m, "anna@example.com")
			press(m, "enter")
			press(m, "enter")
			typeText(m, "pw")
			press(m, "enter")
			requireContains(t, m, "POP   mail.example.com:995")
		}},
		{"POP not offered", nil, func(t *testing.T, m *Model, d *deps) {
			m.opts.Providers = nil
			m.flow.SetProviders(finder{"example.com": {Name: "Only IMAP", Incoming: []probe.Server{imapServer}, Outgoing: []probe.Server{smtpServer}}})
			press(m, "enter")
			press(m, "down")
			press(m, "enter")
			typeText(m, "anna@example.com")
			press(m, "enter")
			requireStep(t, m, wizard.StepProtocol)
			requireContains(t, m, "Only IMAP offers only IMAP")
			if strings.Contains(shown(m), "POP") {
				t.Fatalf("POP is offered:\n%s", shown(m))
			}
			press(m, "enter")
			requireStep(t, m, wizard.StepPassword)
		}},
		{"alternatives on the review", nil, func(t *testing.T, m *Model, d *deps) {
			toReview(m)
			requireContains(t, m, "(choice 1 of 2)", "993")
			press(m, "tab")
			press(m, "right")
			requireContains(t, m, "465", "SSL/TLS")
			press(m, "enter")
			requireContains(t, m, "mail.example.com:465")
		}},
		{"the form changes the settings", nil, func(t *testing.T, m *Model, d *deps) {
			toReview(m)
			press(m, "e")
			press(m, "tab")
			for range 3 {
				press(m, "backspace")
			}
			typeText(m, "1993")
			press(m, "tab")
			press(m, "right")
			requireContains(t, m, "‹ STARTTLS ›")
			press(m, "enter")
			requireStep(t, m, wizard.StepReview)
			requireContains(t, m, "1993", "STARTTLS", "source: entered by hand")
		}},
		{"security moves a standard port", nil, func(t *testing.T, m *Model, d *deps) {
			toReview(m)
			press(m, "e")
			press(m, "tab")
			press(m, "tab")
			press(m, "space")
			press(m, "enter")
			requireContains(t, m, "143")
		}},
		{"nothing found opens a guessed form", func(d *deps) { d.detector.result = mailbox.Detection{} }, func(t *testing.T, m *Model, d *deps) {
			toDetect(m)
			requireContains(t, m, "No settings found")
			press(m, "enter")
			requireStep(t, m, wizard.StepEdit)
			requireContains(t, m, "imap.example.com", "smtp.example.com", "587")
		}},
		{"an Exchange server's advice says more than nothing found", func(d *deps) {
			d.detector.result = mailbox.Detection{Hints: []probe.Text{{EN: "This is an Exchange server (mail.example.com): ask IT whether IMAP is on.", IT: "Questo è un server Exchange (mail.example.com): chiedi al reparto IT se IMAP è attivo."}}}
		}, func(t *testing.T, m *Model, d *deps) {
			toDetect(m)
			requireContains(t, m, "This is an Exchange server (mail.example.com)", "ask IT whether IMAP is on")
			if strings.Contains(shown(m), "No settings found") {
				t.Errorf("the advice is shown as nothing found:\n%s", shown(m))
			}
			press(m, "enter")
			requireStep(t, m, wizard.StepEdit)
		}},
		{"save anyway after a failure", blockedSMTP, func(t *testing.T, m *Model, d *deps) {
			toTest(m)
			for range 3 {
				press(m, "pgdown")
			}
			requireContains(t, m, "✗", "behind a firewall that blocks these servers", "a save anyway")
			press(m, "enter")
			requireStep(t, m, wizard.StepTest) // enter does not save a failed test
			press(m, "a")
			requireStep(t, m, wizard.StepDone)
			if len(d.saver.saved) != 1 || !d.saver.saved[0].Unverified || d.saver.password != "s3cret pw" || d.saver.saved[0].Tests[1].Code != probe.CodeTimeout {
				t.Fatalf("saved %+v with %q, want it marked not verified with its failed test", d.saver.saved, d.saver.password)
			}
			requireContains(t, m, "Saved as not verified", "anna@example.com --save tests it again")
		}},
		{"no save anyway after a pass", nil, func(t *testing.T, m *Model, d *deps) {
			toTest(m)
			press(m, "a")
			requireStep(t, m, wizard.StepTest)
			if len(d.saver.saved) != 0 || strings.Contains(shown(m), "save anyway") {
				t.Fatalf("a passed test offers save anyway, or saved %+v", d.saver.saved)
			}
		}},
		{"retry after a failure", untrustedIMAP, func(t *testing.T, m *Model, d *deps) {
			toTest(m)
			for range 3 {
				press(m, "pgdown")
			}
			requireContains(t, m, "✗", "SHA-256", strings.Repeat("c3", 32))
			d.tester.results[probe.IMAP] = passed(imapServer)
			press(m, "r")
			requireContains(t, m, "All settings work.")
		}},
		{"trusting a certificate pins it", untrustedIMAP, func(t *testing.T, m *Model, d *deps) {
			toTest(m)
			press(m, "t")
			requireContains(t, m, "C3:C3:C3", "self-signed")
			d.tester.results[probe.IMAP] = passed(imapServer)
			press(m, "y")
			requireStep(t, m, wizard.StepTest)
			last := d.tester.seen[len(d.tester.seen)-1]
			if len(last.Pins) != 1 || last.Pins[0].String() != "sha256:"+strings.Repeat("c3", 32) {
				t.Fatalf("tested with pins %v", last.Pins)
			}
			press(m, "enter")
			if pins := d.saver.saved[0].Pins; len(pins) != 1 {
				t.Fatalf("saved pins %v, want the trusted certificate", pins)
			}
			requireContains(t, m, "The certificate you trusted is stored")
		}},
		{"esc does not trust", untrustedIMAP, func(t *testing.T, m *Model, d *deps) {
			toTest(m)
			press(m, "t")
			press(m, "esc")
			requireStep(t, m, wizard.StepTest)
			if len(m.flow.Pins()) != 0 {
				t.Fatal("esc trusted the certificate")
			}
		}},
		{"no trust key without a certificate problem", nil, func(t *testing.T, m *Model, d *deps) {
			toTest(m)
			press(m, "t")
			requireStep(t, m, wizard.StepTest)
		}},
		{"keyring unavailable: retry", func(d *deps) { d.saver.saveErr = errNoKeyring }, func(t *testing.T, m *Model, d *deps) {
			toSave(m)
			requireContains(t, m, "keyring is unavailable", "No keyring service")
			d.saver.saveErr = nil
			press(m, "r")
			requireStep(t, m, wizard.StepDone)
			requireContains(t, m, "The password is in this computer's keyring.")
		}},
		{"keyring unavailable: without the password", func(d *deps) { d.saver.saveErr = errNoKeyring }, func(t *testing.T, m *Model, d *deps) {
			toSave(m)
			press(m, "w")
			requireStep(t, m, wizard.StepDone)
			requireContains(t, m, "The password was not stored")
			if len(d.saver.saved) != 1 {
				t.Fatalf("saved %d accounts", len(d.saver.saved))
			}
		}},
		{"ctrl+c quits at once when nothing is typed", nil, func(t *testing.T, m *Model, d *deps) {
			_, cmd := m.Update(keyMsg("ctrl+c"))
			if cmd == nil || cmd() != tea.Quit() || !m.Interrupted {
				t.Fatal("ctrl+c on the welcome does not quit as interrupted")
			}
		}},
		{"ctrl+c asks when something is unsaved", nil, func(t *testing.T, m *Model, d *deps) {
			toPassword(m)
			press(m, "ctrl+c")
			requireContains(t, m, "Quit without saving?")
			press(m, "n")
			requireStep(t, m, wizard.StepPassword)
			requireContains(t, m, "Password for anna@example.com")
			press(m, "ctrl+c")
			_, cmd := m.Update(keyMsg("y"))
			if cmd == nil || cmd() != tea.Quit() || !m.Aborted || !m.Interrupted {
				t.Fatal("y does not quit as interrupted")
			}
		}},
		{"ctrl+c stops the tests at once", func(d *deps) { d.tester.hang.Store(true) }, func(t *testing.T, m *Model, d *deps) {
			toTest(m)
			if !m.runner.running(wizard.StartTest) {
				t.Fatal("no test running")
			}
			press(m, "ctrl+c")
			if !m.runner.idle() {
				t.Fatal("the tests' context was not cancelled")
			}
			requireContains(t, m, "Quit without saving?")
			d.tester.hang.Store(false)
			press(m, "n")
			requireContains(t, m, "All settings work.")
		}},
		{"esc stops the tests", func(d *deps) { d.tester.hang.Store(true) }, func(t *testing.T, m *Model, d *deps) {
			toTest(m)
			press(m, "esc")
			requireStep(t, m, wizard.StepReview)
			if m.runner.running(wizard.StartTest) {
				t.Fatal("the tests go on after esc")
			}
		}},
		{"help shows only live keys", nil, func(t *testing.T, m *Model, d *deps) {
			toReview(m)
			press(m, "?")
			requireContains(t, m, "e           ", "edit")
			if strings.Contains(shown(m), "ctrl+r") {
				t.Fatal("the review's help offers ctrl+r")
			}
			press(m, "?")
			requireStep(t, m, wizard.StepReview)
		}},
		{"resize redraws", nil, func(t *testing.T, m *Model, d *deps) {
			send(m, tea.WindowSizeMsg{Width: 120, Height: 40})
			lines := strings.Split(shown(m), "\n")
			if len(lines) != 40 || !strings.Contains(lines[0], "step 1 of 9") || ansi.StringWidth(lines[1]) != 98 {
				t.Fatalf("at 120×40: %d lines, first %q, rule %d wide", len(lines), lines[0], ansi.StringWidth(lines[1]))
			}
		}},
		{"a name, with tab", nil, func(t *testing.T, m *Model, d *deps) {
			toAddress(m)
			typeText(m, "anna@example.com")
			press(m, "tab")
			typeText(m, "Anna Rossi")
			press(m, "shift+tab")
			typeText(m, "x")
			press(m, "backspace")
			press(m, "enter")
			requireStep(t, m, wizard.StepHint)
			if m.flow.Name() != "Anna Rossi" || m.flow.Email() != "anna@example.com" {
				t.Fatalf("name %q, address %q", m.flow.Name(), m.flow.Email())
			}
			press(m, "esc")
			requireContains(t, m, "› Anna Rossi")
		}},
		{"a pasted control character never reaches the name", nil, func(t *testing.T, m *Model, d *deps) {
			toAddress(m)
			typeText(m, "anna@example.com")
			press(m, "tab")
			send(m, tea.PasteMsg{Content: "Anna\x07 Rossi\x1b[2J"})
			press(m, "enter")
			requireStep(t, m, wizard.StepHint)
			if probe.HasControl(m.flow.Name()) || !strings.HasPrefix(m.flow.Name(), "Anna") {
				t.Fatalf("name %q", m.flow.Name())
			}
		}},
		{"a typo: y takes the suggestion", nil, func(t *testing.T, m *Model, d *deps) {
			toAddress(m)
			typeText(m, "anna@exmaple.com")
			press(m, "enter")
			requireContains(t, m, "Did you mean anna@example.com? exmaple.com receives no mail.", "y use it", "n keep what I typed")
			press(m, "y")
			requireStep(t, m, wizard.StepHint)
			if m.flow.Email() != "anna@example.com" {
				t.Fatalf("address %q", m.flow.Email())
			}
		}},
		{"a typo: n keeps the address", nil, func(t *testing.T, m *Model, d *deps) {
			toAddress(m)
			typeText(m, "anna@exmaple.com")
			press(m, "enter")
			press(m, "n")
			requireStep(t, m, wizard.StepPassword)
			if m.flow.Email() != "anna@exmaple.com" {
				t.Fatalf("address %q", m.flow.Email())
			}
			// Back at the address, the question was answered.
			press(m, "esc")
			requireStep(t, m, wizard.StepAddress)
			if strings.Contains(shown(m), "Did you mean") {
				t.Fatal("the question is asked again")
			}
		}},
		{"a typo: typing edits the address", nil, func(t *testing.T, m *Model, d *deps) {
			toAddress(m)
			typeText(m, "anna@exmaple.com")
			press(m, "enter")
			press(m, "backspace")
			typeText(m, "org")
			if strings.Contains(shown(m), "Did you mean") {
				t.Fatal("the question stays for another address")
			}
			requireContains(t, m, "anna@exmaple.coorg")
		}},
		{"no typo where the domain has mail", func(d *deps) { d.detector.mail = map[string]bool{"exmaple.com": true} }, func(t *testing.T, m *Model, d *deps) {
			toAddress(m)
			typeText(m, "anna@exmaple.com")
			press(m, "enter")
			requireStep(t, m, wizard.StepPassword)
		}},
		{"the counter skips no step without advice", nil, func(t *testing.T, m *Model, d *deps) {
			toAddress(m)
			requireContains(t, m, "step 3 of 9")
			typeText(m, "anna@nohints.example")
			press(m, "enter")
			requireStep(t, m, wizard.StepPassword)
			requireContains(t, m, "step 4 of 9")
			typeText(m, "pw")
			press(m, "enter")
			requireContains(t, m, "step 5 of 9")
		}},
		{"no network: r looks again", noNetwork, func(t *testing.T, m *Model, d *deps) {
			toDetect(m)
			requireContains(t, m, "No internet connection (or DNS is not working)", "r retry")
			if strings.Contains(shown(m), "No settings found") {
				t.Fatal("the screen says no settings were found")
			}
			press(m, "r")
			requireContains(t, m, "Settings from")
			press(m, "enter")
			requireStep(t, m, wizard.StepReview)
		}},
		{"a small terminal scrolls", nil, func(t *testing.T, m *Model, d *deps) {
			send(m, tea.WindowSizeMsg{Width: 80, Height: 12})
			toTest(m)
			requireContains(t, m, "pgup/pgdn scrolls")
			for range 5 {
				press(m, "pgdown")
			}
			requireContains(t, m, "All settings work.")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDeps()
			if tt.setup != nil {
				tt.setup(d)
			}
			tt.do(t, newTestModel(t, "en", d), d)
		})
	}
}

func TestLightAndDark(t *testing.T) {
	m := newTestModel(t, "en", newDeps())
	dark := m.styles.Title.GetForeground()
	send(m, tea.BackgroundColorMsg{Color: lipgloss.Color("#ffffff")})
	if m.styles.Title.GetForeground() == dark {
		t.Error("a light background keeps the dark styles")
	}
	send(m, tea.BackgroundColorMsg{Color: lipgloss.Color("#000000")})
	if m.styles.Title.GetForeground() != dark {
		t.Error("a dark background does not bring the dark styles back")
	}
}

// TestNoColor runs the program as NO_COLOR would have it: no colour
// reaches the terminal, and marks still tell a choice apart.
func TestNoColor(t *testing.T) {
	var out bytes.Buffer
	m := newTestModel(t, "en", newDeps())
	press(m, "enter")
	p := tea.NewProgram(m, tea.WithInput(strings.NewReader("")), tea.WithOutput(&out),
		tea.WithEnvironment([]string{"TERM=xterm-256color", "NO_COLOR=1"}), tea.WithWindowSize(80, 24))
	go func() {
		time.Sleep(300 * time.Millisecond)
		p.Quit()
	}()
	if _, err := p.Run(); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if c := colourIn(got); c != "" {
		t.Fatalf("NO_COLOR output holds colour %q", c)
	}
	if !strings.Contains(got, "› IMAP") {
		t.Fatalf("the choice has no mark without colour:\n%q", got)
	}
}

var sgr = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)

// colourIn is the first SGR sequence in s that sets a colour, or "".
func colourIn(s string) string {
	for _, m := range sgr.FindAllStringSubmatch(s, -1) {
		for _, p := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' }) {
			n, _ := strconv.Atoi(p)
			if n >= 30 && n <= 38 || n >= 40 && n <= 48 || n >= 90 && n <= 97 || n >= 100 && n <= 107 {
				return m[0]
			}
		}
	}
	return ""
}

func TestDetectionProgress(t *testing.T) {
	d := newDeps()
	hangingDetector(d)
	m := newTestModel(t, "en", d)
	toDetect(m)
	requireContains(t, m, "· postino's provider list", "your provider's autoconfig over HTTPS", "looking…")
	if keys := m.liveKeys(false); len(keys) == 0 || keys[0].Help().Key == "enter" {
		t.Error("enter is offered while detecting")
	}
	press(m, "esc")
	requireStep(t, m, wizard.StepPassword)
	if !m.runner.running(wizard.StartDetect) {
		t.Error("going back stopped the detection")
	}
}

func TestStaleResultsIgnored(t *testing.T) {
	m := newTestModel(t, "en", newDeps())
	toTest(m)
	run := m.flow.Tests().Run
	send(m, testedMsg{run: run - 1, result: probe.Result{Role: probe.Incoming, Code: probe.CodeAuthFailed}})
	if m.flow.Tests().Results[probe.Incoming].Code != probe.CodeOK {
		t.Error("a result of an earlier run replaced the current one")
	}
	send(m, detectMsg{run: m.flow.Detect().Run - 1, result: mailbox.Detection{}})
	if !m.flow.Found() {
		t.Error("a detection of an earlier run replaced the current one")
	}
}

// TestLiveChecklistTicksOff: while the tests run, each finished step ticks
// off its line of the checklist, with its time.
func TestLiveChecklistTicksOff(t *testing.T) {
	d := newDeps()
	d.tester.hang.Store(true)
	m := newTestModel(t, "en", d)
	toTest(m)
	step := func(role probe.Role, name string, ms int64) {
		send(m, stepMsg{run: m.flow.Tests().Run, role: role, step: probe.Step{Name: name, ElapsedMS: ms}})
	}
	step(probe.Incoming, "dns", 1)
	step(probe.Incoming, "connect", 20)
	step(probe.Incoming, "tls", 30)
	step(probe.Outgoing, "dns", 2)
	view := shown(m)
	for _, want := range []string{"✓ connect      21 ms", "✓ TLS          30 ms"} {
		if !strings.Contains(view, want) {
			t.Errorf("the checklist lacks %q:\n%s", want, view)
		}
	}
	if strings.Count(view, "✓") != 2 {
		t.Errorf("the checklist ticks off %d lines, want 2 (outgoing has only resolved):\n%s", strings.Count(view, "✓"), view)
	}
}

func TestSendTestMessage(t *testing.T) {
	t.Run("sent", func(t *testing.T) {
		d := newDeps()
		m := newTestModel(t, "it", d)
		toTest(m)
		requireContains(t, m, "m invia messaggio di prova")
		press(m, "m")
		requireStep(t, m, wizard.StepTest)
		requireContains(t, m, "✓ Messaggio di prova inviato a anna@example.com alle", "(420 ms)", "“messaggio di prova di postino”")
		if !regexp.MustCompile(`alle \d\d:\d\d:\d\d`).MatchString(shown(m)) {
			t.Errorf("the outcome has no time:\n%s", shown(m))
		}
		if len(d.tester.sent) != 1 || d.tester.sent[0] != (probe.Message{Address: "anna@example.com", Lang: "it"}) || d.tester.sentVia[0] != m.flow.Outgoing().Server() {
			t.Fatalf("sent %+v via %+v", d.tester.sent, d.tester.sentVia)
		}
		if opts := d.tester.seen[len(d.tester.seen)-1]; opts.Password != "s3cret pw" {
			t.Errorf("sent with password %q, want the one typed", opts.Password)
		}
		press(m, "enter")
		requireStep(t, m, wizard.StepDone)
	})
	t.Run("refused", func(t *testing.T) {
		d := newDeps()
		rcptRefused(d)
		m := newTestModel(t, "en", d)
		toTest(m)
		press(m, "m")
		requireContains(t, m, "The test message was not sent.", "did not accept the test message (at RCPT TO)", "550 5.7.1 Relay access denied", "m send test message")
	})
	t.Run("while sending only esc and ctrl+c", func(t *testing.T) {
		d := newDeps()
		d.tester.sendHang.Store(true)
		m := newTestModel(t, "en", d)
		toTest(m)
		press(m, "m")
		requireContains(t, m, "Sending a test message to anna@example.com…")
		bar := strings.Split(shown(m), "\n")[23]
		if strings.Contains(bar, "enter") || strings.Contains(bar, "send test message") {
			t.Errorf("the help bar offers a dead key while sending: %q", bar)
		}
		press(m, "enter")
		press(m, "m")
		requireStep(t, m, wizard.StepTest)
		if n := len(d.tester.messages()); n != 1 {
			t.Errorf("%d messages sent, want 1", n)
		}
	})
	t.Run("ctrl+c cancels it and does not send it again", func(t *testing.T) {
		d := newDeps()
		d.tester.sendHang.Store(true)
		m := newTestModel(t, "en", d)
		toTest(m)
		press(m, "m")
		run := m.flow.Message().Run
		press(m, "ctrl+c")
		requireContains(t, m, "are not saved yet")
		if m.flow.Message().Sending || m.runner.running(wizard.StartSendTest) {
			t.Error("the test message is still under way after ctrl+c")
		}
		press(m, "n")
		send(m, sentMsg{run: run, result: probe.Result{OK: true, Code: probe.CodeOK}})
		if n := len(d.tester.messages()); m.flow.Message().Outcome != nil || n != 1 {
			t.Errorf("Sent = %+v after %d sends; want the late outcome ignored and nothing sent again", m.flow.Message().Outcome, n)
		}
		requireContains(t, m, "m send test message")
	})
}

// TestPasswordTooLongRefused: a pasted password over 4096 bytes is
// refused whole, with the reason, never cut to fit.
func TestPasswordTooLongRefused(t *testing.T) {
	m := newTestModel(t, probe.English, newDeps())
	toPassword(m)
	send(m, tea.PasteMsg{Content: strings.Repeat("p", 5000)})
	press(m, "enter")
	requireStep(t, m, wizard.StepPassword)
	requireContains(t, m, "longer than 4096 bytes")
	if m.flow.Password() != "" {
		t.Errorf("the flow took a password of %d bytes", len(m.flow.Password()))
	}
}

// TestAppPasswordAdviceRepeated: a password refused by a provider that
// takes only app passwords brings its advice back on the test screen.
func TestAppPasswordAdviceRepeated(t *testing.T) {
	d := newDeps()
	d.detector.result.Incoming = slices.Clone(d.detector.result.Incoming)
	for i := range d.detector.result.Incoming {
		d.detector.result.Incoming[i].Auth = probe.AuthAppPassword // as the provider list says
	}
	d.tester.results[probe.IMAP] = probe.Result{Code: probe.CodeAuthFailed, Failure: &probe.Failure{Code: probe.CodeAuthFailed, Step: "login"}}
	m := newTestModel(t, probe.English, d)
	toTest(m)
	send(m, tea.WindowSizeMsg{Width: 80, Height: 60})
	requireContains(t, m, "only with an app password", "Your provider's advice", "Example Mail needs an app password")
}

// TestFailureAfterTLS: a server that fails once TLS worked (it closes
// before its greeting) is not shown as a failed connection.
func TestFailureAfterTLS(t *testing.T) {
	d := newDeps()
	d.tester.results[probe.IMAP] = probe.Result{
		Code: probe.CodeProtocolError, TLS: &probe.TLSInfo{Version: "TLS 1.3", Verified: true},
		Steps:   []probe.Step{{Name: "dns", ElapsedMS: 1}, {Name: "connect", ElapsedMS: 20}, {Name: "tls", ElapsedMS: 30}},
		Failure: &probe.Failure{Code: probe.CodeProtocolError, Step: "greeting"},
	}
	m := newTestModel(t, probe.English, d)
	toTest(m)
	requireContains(t, m, "✓ connect", "✓ TLS", "✗ login")
}

// TestSignInEndToEnd signs in against a real authorization server,
// approving the device code once the screen shows it, and checks that the
// live tests log in with the token, which no screen shows.
func TestSignInEndToEnd(t *testing.T) {
	srv := signintest.New(t, signintest.Options{})
	cfg := srv.Config(false)
	prov := *oauthProvider
	prov.OAuth2 = &providers.OAuth2{ClientID: cfg.ClientID, DeviceAuthorizationURL: cfg.DeviceAuthorizationURL, TokenURL: cfg.TokenURL, Scopes: cfg.Scopes}
	d := newDeps()
	d.detector.result = oauthSettings
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	m := NewModel(ctx, Options{Lang: probe.English, Detector: d.detector, Saver: d.saver, Tester: d.tester.test, Sender: d.tester.send,
		Providers:  func() (wizard.ProviderFinder, error) { return finder{"oauth.example": &prov}, nil },
		HTTPClient: srv.Client})
	m.still = true
	send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	run(m, m.Init())
	var screens []string
	toAddress(m)
	typeText(m, "anna@oauth.example")
	_, cmd := m.Update(keyMsg("enter"))
	p := &program{m: m, msgs: make(chan tea.Msg, 16)}
	p.spawn(cmd)
	p.until(t, func() bool { return m.flow.SignIn().Prompt != nil })
	screens = append(screens, shown(m))
	code := m.flow.SignIn().Prompt.UserCode
	if !strings.Contains(shown(m), code) {
		t.Fatalf("the code %s is not on the screen:\n%s", code, shown(m))
	}
	if err := srv.Approve(code); err != nil {
		t.Fatal(err)
	}
	p.until(t, func() bool { return m.flow.Step() != wizard.StepSignIn })
	requireStep(t, m, wizard.StepDetect)
	screens = append(screens, shown(m))
	press(m, "enter")
	press(m, "enter")
	requireStep(t, m, wizard.StepTest)
	screens = append(screens, shown(m))
	token := m.flow.Options().AccessToken
	if token == "" {
		t.Fatal("no access token after the sign-in")
	}
	d.tester.mu.Lock()
	seen := slices.Clone(d.tester.seen)
	d.tester.mu.Unlock()
	if len(seen) != 2 {
		t.Fatalf("%d tests, want 2", len(seen))
	}
	for _, o := range seen {
		if o.AccessToken != token || o.Password != "" {
			t.Errorf("a test ran with token %v, password %q", o.AccessToken == token, o.Password)
		}
	}
	if a := m.flow.Incoming().Server().Auth; a != probe.AuthOAuth2 {
		t.Errorf("incoming auth = %s", a)
	}
	// Saving keeps the sign-in: its settings with the account, the
	// refresh token for the keyring.
	press(m, "enter")
	p.until(t, func() bool { return m.flow.Step() == wizard.StepDone })
	requireContains(t, m, "The sign-in is in this computer's keyring")
	screens = append(screens, shown(m))
	d.saver.mu.Lock()
	refresh, saved := d.saver.refresh, slices.Clone(d.saver.saved)
	d.saver.mu.Unlock()
	if refresh == "" || len(saved) != 1 || saved[0].OAuth2 == nil || saved[0].OAuth2.TokenURL == "" {
		t.Fatalf("saved %+v with refresh token %v", saved, refresh != "")
	}
	for _, s := range screens {
		if probe.Repeats(s, token) || probe.Repeats(s, refresh) {
			t.Errorf("a screen shows a token:\n%s", s)
		}
	}
}

// program runs commands as a Bubble Tea program does, each in its own
// goroutine, and hands their messages to the model one at a time.
type program struct {
	m    *Model
	msgs chan tea.Msg
}

func (p *program) spawn(cmd tea.Cmd) {
	if cmd != nil {
		go func() { p.msgs <- cmd() }()
	}
}

// until handles messages until done holds, for at most 10 seconds.
func (p *program) until(t *testing.T, done func() bool) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for !done() {
		select {
		case msg := <-p.msgs:
			switch msg := msg.(type) {
			case nil, tea.QuitMsg:
			case tea.BatchMsg:
				for _, c := range msg {
					p.spawn(c)
				}
			default:
				_, cmd := p.m.Update(msg)
				p.spawn(cmd)
			}
		case <-timeout:
			t.Fatalf("waited 10 s at %s:\n%s", p.m.flow.Step(), shown(p.m))
		}
	}
}

// TestFallbackToNextServer: a blocked 465 moves on to 587 by itself; the
// screen shows both tries, 587 becomes the chosen server and is saved
// first, with the failed try among the tests.
func TestFallbackToNextServer(t *testing.T) {
	for lang, want := range map[probe.Lang][]string{
		"en": {"did not answer in time", "tried the next server.", "All settings work."},
		"it": {"non ha risposto in tempo", "al server successivo.", "Tutte le impostazioni funzionano."},
	} {
		t.Run(string(lang), func(t *testing.T) {
			d := newDeps()
			blocked465(d)
			m := newTestModel(t, lang, d)
			send(m, tea.WindowSizeMsg{Width: 80, Height: 40})
			toTestVia465(m)
			requireContains(t, m, append(want, "mail.example.com:465", "mail.example.com:587")...)
			// Incoming and outgoing are tested at once: only the order
			// within a role is the wizard's.
			var outgoing []int
			for _, s := range d.tester.tried {
				if s.Protocol == probe.SMTP {
					outgoing = append(outgoing, s.Port)
				}
			}
			if got := d.tester.tried; len(got) != 3 || len(outgoing) != 2 || outgoing[0] != 465 || outgoing[1] != 587 {
				t.Fatalf("tried %v, want the incoming server, and 465 then 587", got)
			}
			press(m, "enter")
			requireStep(t, m, wizard.StepDone)
			a := d.saver.saved[0]
			if a.Outgoing[0].Port != 587 || a.Outgoing[1].Port != 465 || len(a.Tests) != 3 || a.Tests[1].Code != probe.CodeTimeout || !a.Tests[2].OK || a.Unverified {
				t.Errorf("saved outgoing %v with tests %+v", a.Outgoing, a.Tests)
			}
		})
	}
}

// TestFallbackWhileRunning: while the next server is tested, the failed
// one is already on the screen and the checklist is the new server's.
func TestFallbackWhileRunning(t *testing.T) {
	d := newDeps()
	d.tester.hang.Store(true)
	m := newTestModel(t, "en", d)
	toTest(m)
	run := m.flow.Tests().Run
	failed := probe.Result{Role: probe.Outgoing, Server: smtpServer, Code: probe.CodeConnectionRefused, Steps: []probe.Step{{Name: "dns", ElapsedMS: 1}},
		Failure: &probe.Failure{Code: probe.CodeConnectionRefused, Step: "connect"}}
	send(m, tryingMsg{run, probe.Outgoing, smtpServer})
	send(m, triedMsg{run, failed})
	send(m, tryingMsg{run, probe.Outgoing, smtpAlt})
	send(m, stepMsg{run: run, role: probe.Outgoing, step: probe.Step{Name: "connect", ElapsedMS: 20}})
	requireContains(t, m, "✗ Outgoing", "mail.example.com:587", "postino tried the next server.", "mail.example.com:465", "✓ connect")
}

// TestPasswordAgain: after auth_failed one key brings the password back,
// and the new one is tested at once.
func TestPasswordAgain(t *testing.T) {
	for lang, want := range map[probe.Lang][]string{
		"en": {"p type the password again", "The server refused the last password"},
		"it": {"p riscrivi la password", "Il server ha rifiutato l'ultima password"},
	} {
		t.Run(string(lang), func(t *testing.T) {
			d := newDeps()
			wrongPassword(d)
			m := newTestModel(t, lang, d)
			toTest(m)
			requireContains(t, m, want[0])
			press(m, "p")
			requireStep(t, m, wizard.StepPassword)
			requireContains(t, m, want[1])
			for range len("s3cret pw") {
				press(m, "backspace")
			}
			typeText(m, "right pw")
			press(m, "enter")
			requireStep(t, m, wizard.StepTest)
			if !m.flow.Passed() {
				t.Fatalf("the new password was not tested:\n%s", shown(m))
			}
			if last := d.tester.seen[len(d.tester.seen)-1]; last.Password != "right pw" {
				t.Errorf("tested with %q", last.Password)
			}
		})
	}
}

// TestSavedAccountActions: a saved account on the welcome screen is
// picked, then tested again, reported, exported or removed, each by
// postino's own command, whose output stays on the screen.
func TestSavedAccountActions(t *testing.T) {
	pick := func(m *Model) { press(m, "up"); press(m, "enter") }
	t.Run("test again, report, export", func(t *testing.T) {
		d := newDeps()
		m := newTestModel(t, probe.English, d)
		send(m, tea.WindowSizeMsg{Width: 100, Height: 40})
		pick(m)
		requireContains(t, m, "› work <anna@work.example>", "t tests it again", "t test again", "d remove")
		press(m, "t")
		requireContains(t, m, "$ postino test work", "logged in as", "anna@work.example")
		press(m, "r")
		requireContains(t, m, "$ postino report work", "**All settings work.**")
		press(m, "x")
		requireContains(t, m, "Export work for:", "› thunderbird")
		press(m, "down")
		press(m, "enter")
		requireContains(t, m, "$ postino export work --format outlook -o autodiscover.xml", "Wrote autodiscover.xml.")
		want := [][]string{{"test", "work"}, {"report", "work"}, {"export", "work", "--format", "outlook", "-o", "autodiscover.xml"}}
		if got := d.commands.runs(); !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("ran %q, want %q", got, want)
		}
		press(m, "esc")
		press(m, "down")
		press(m, "enter")
		requireStep(t, m, wizard.StepProtocol)
	})
	t.Run("remove asks first", func(t *testing.T) {
		d := newDeps()
		m := newTestModel(t, probe.Italian, d)
		pick(m)
		press(m, "d")
		requireContains(t, m, "Eliminare work e la sua password dal portachiavi?")
		press(m, "n")
		if len(d.commands.runs()) != 0 {
			t.Fatalf("n ran %q", d.commands.runs())
		}
		press(m, "d")
		press(m, "s")
		if got := d.commands.runs(); len(got) != 1 || !slices.Equal(got[0], []string{"remove", "work"}) {
			t.Fatalf("ran %q", got)
		}
		requireContains(t, m, "Nessun account salvato per ora.", "› aggiungi un account")
		if len(m.flow.Accounts()) != 0 {
			t.Errorf("the list still has %v", m.flow.Accounts())
		}
	})
	t.Run("esc stops a command", func(t *testing.T) {
		d := newDeps()
		d.commands.hang.Store(true)
		m := newTestModel(t, probe.English, d)
		pick(m)
		press(m, "r")
		requireContains(t, m, "postino report work", "esc cancel")
		press(m, "esc")
		if m.runner.running(accountJob) {
			t.Fatal("the report goes on after esc")
		}
		requireContains(t, m, "Stopped.")
	})
}

// TestAddressAlreadySavedScreen: an address a saved account has asks
// whether to replace it or to keep both, with a free name suggested.
func TestAddressAlreadySavedScreen(t *testing.T) {
	toQuestion := func(t *testing.T, lang probe.Lang) (*Model, *deps) {
		d := newDeps()
		m := newTestModel(t, lang, d)
		toAddress(m)
		typeText(m, "anna@work.example")
		press(m, "enter")
		requireStep(t, m, wizard.StepAddress)
		return m, d
	}
	finish := func(m *Model) {
		typeText(m, "pw")
		press(m, "enter")
		press(m, "enter")
		press(m, "enter")
		press(m, "enter")
	}
	t.Run("replace", func(t *testing.T) {
		m, d := toQuestion(t, probe.English)
		requireContains(t, m, "anna@work.example is already saved, as work.", "› Replace work with the new settings", "work-2")
		press(m, "enter")
		requireStep(t, m, wizard.StepPassword)
		finish(m)
		requireStep(t, m, wizard.StepDone)
		if a := d.saver.saved[0]; a.Name != "work" || a.Beside {
			t.Errorf("saved %+v, want work replaced", a)
		}
	})
	t.Run("keep both, another name", func(t *testing.T) {
		m, d := toQuestion(t, probe.Italian)
		requireContains(t, m, "anna@work.example è già salvato con il nome work.")
		press(m, "down")
		for range len("work-2") {
			press(m, "backspace")
		}
		typeText(m, "work")
		press(m, "enter")
		requireStep(t, m, wizard.StepAddress)
		requireContains(t, m, "Il nome work appartiene già all'account di anna@work.example")
		typeText(m, "-casa")
		press(m, "enter")
		requireStep(t, m, wizard.StepPassword)
		finish(m)
		requireStep(t, m, wizard.StepDone)
		if a := d.saver.saved[0]; a.Name != "work-casa" || !a.Beside || a.Address != "anna@work.example" {
			t.Errorf("saved %+v, want a second account", a)
		}
		requireContains(t, m, "postino export work-casa")
	})
	t.Run("esc changes the address", func(t *testing.T) {
		m, _ := toQuestion(t, probe.English)
		press(m, "esc")
		requireStep(t, m, wizard.StepAddress)
		if _, asking := m.flow.AlreadySaved(); asking {
			t.Fatal("still asking after esc")
		}
		requireContains(t, m, "looks right")
	})
}

// TestInstructionsLink goes to the advice of every provider of the
// embedded list, full screen and plain: the instructions link is the
// provider's own help page, and never the ISP database's XML.
func TestInstructionsLink(t *testing.T) {
	data, err := os.ReadFile("../providers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db, err := providers.Load("providers.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, p := range db.Providers() {
		if len(p.Hints) == 0 || len(p.Domains) == 0 || strings.HasPrefix(p.Domains[0], "*") {
			continue
		}
		d := newDeps()
		m := NewModel(context.Background(), Options{Lang: probe.English, Detector: d.detector, Saver: d.saver, Tester: d.tester.test,
			Providers: func() (wizard.ProviderFinder, error) { return db, nil }, HTTPClient: hangingClient})
		m.still = true
		send(m, tea.WindowSizeMsg{Width: 200, Height: 60})
		run(m, m.Init())
		toAddress(m)
		typeText(m, "anna@"+p.Domains[0])
		press(m, "enter")
		if m.flow.Step() != wizard.StepHint {
			continue // another protocol first
		}
		checked++
		screen := shown(m)
		if strings.Contains(screen, "autoconfig.thunderbird.net") || strings.Contains(screen, ".xml") {
			t.Errorf("%s: the advice links to XML:\n%s", p.ID, screen)
		}
		// A link longer than a line goes on on the next.
		joined := strings.Join(strings.Fields(screen), "")
		if providers.IsHelpPage(p.Docs) && !strings.Contains(joined, p.Docs) {
			t.Errorf("%s: the advice lacks its help page %s:\n%s", p.ID, p.Docs, screen)
		}
	}
	if checked == 0 {
		t.Fatal("no provider's advice was shown")
	}
}
