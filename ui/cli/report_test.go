package cli

import (
	"strings"
	"testing"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/store"
)

// TestReportUsage: a report needs one address or name; --no-test goes
// with the report formats only.
func TestReportUsage(t *testing.T) {
	l := newAccountsEnv(t)
	for _, args := range [][]string{
		{"report"},
		{"report", "a@example.com", "b@example.com"},
		{"report", "a@example.com", "--bogus"},
		{"report", "a@example.com", "--incoming", "https://mail.example.com"},
		{"report", "a@example.com", "--ca-file", "/nonexistent/ca.pem"},
		{"export", "work", "--format", "msmtp", "--no-test"},
	} {
		code, stdout, stderr := l.run(t, "", args...)
		if code != exitUsage || stdout != "" || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || stderr == "" {
			t.Errorf("postino %v = %d, %q, %q; want exit 2 and one sentence", args, code, stdout, stderr)
		}
	}
}

// TestReportSavedAccount: the report of a saved account tests its pinned
// server with the password in the keyring; with the keyring unavailable it
// still reports, says why on stderr, and that the login was not tested. A
// failing test is exit 1, with the account marked as not verified.
func TestReportSavedAccount(t *testing.T) {
	l := newAccountsEnv(t)
	url, pin := startIMAPS(t)
	if code, _, stderr := l.run(t, unitPassword+"\n", "test", unitUser, "--incoming", url, "--pin", pin, "--password-stdin", "--save"); code != 0 {
		t.Fatalf("test --save = %d: %s", code, stderr)
	}
	code, report, stderr := l.run(t, "", "report", unitUser)
	if code != 0 || stderr != "" || !strings.Contains(report, "works: logged in as "+unitUser) || !strings.Contains(report, "certificate trusted by its fingerprint") ||
		!strings.Contains(report, "**All settings work.**") || strings.Contains(report, "not verified") {
		t.Errorf("report = %d, %q:\n%s", code, stderr, report)
	}

	l.keyring.Fail(&store.UnavailableError{Reason: store.KeyringLocked})
	code, report, stderr = l.run(t, "", "report", unitUser, "--lang", "it")
	if code != 0 || stderr == "" || !strings.Contains(report, "**La connessione e il TLS funzionano; l'accesso non è stato provato.**") {
		t.Errorf("report with a locked keyring = %d, %q:\n%s", code, stderr, report)
	}
	l.keyring.Fail(nil)

	a := closedAccount()
	a.Unverified = true
	l.saveAccount(t, a, unitPassword)
	code, report, _ = l.run(t, "", "report", "work")
	for _, w := range []string{"- Status: **not verified: saved although its test failed**\n", "### ✗ incoming IMAP `127.0.0.1:1`", "**Some settings do not work.**"} {
		if code != 1 || !strings.Contains(report, w) {
			t.Errorf("report work = %d, lacks %q:\n%s", code, w, report)
		}
	}
	if probe.Repeats(report, unitPassword) {
		t.Errorf("the report holds the password")
	}
}
