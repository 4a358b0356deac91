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

// TestListShowNotVerified: list and show mark an account saved although
// its test failed, in both languages and in the JSON; a test that passes
// and is saved clears the mark.
func TestListShowNotVerified(t *testing.T) {
	l := newAccountsEnv(t)
	url, pin := startIMAPS(t)
	a := closedAccount()
	a.Address, a.Name, a.Unverified = unitUser, "work", true
	l.saveAccount(t, a, unitPassword)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"list"}, "password in the keyring, not verified\n"},
		{[]string{"list", "--lang", "it"}, "password nel portachiavi, non verificato\n"},
		{[]string{"show", "work"}, "  status    not verified: saved although its test failed; postino test work --save tests it again\n"},
		{[]string{"show", "work", "--lang", "it"}, "non verificato: salvato anche se la prova non è riuscita; postino test work --save ripete la prova\n"},
		{[]string{"show", "work", "--json"}, `"unverified": true,`},
		{[]string{"list", "--json"}, `"unverified": true,`},
	} {
		if code, out, stderr := l.run(t, "", tt.args...); code != 0 || !strings.Contains(out, tt.want) {
			t.Errorf("postino %v = %d, %q, lacks %q:\n%s", tt.args, code, stderr, tt.want, out)
		}
	}

	if code, _, stderr := l.run(t, "", "test", "work", "--incoming", url, "--pin", pin, "--save"); code != 0 {
		t.Fatalf("test work --save = %d: %s", code, stderr)
	}
	if l.find(t, "work").Unverified {
		t.Errorf("a test that passed and was saved left the mark")
	}
	for _, args := range [][]string{{"list"}, {"show", "work"}, {"show", "work", "--json"}} {
		if _, out, _ := l.run(t, "", args...); strings.Contains(out, "not verified") || strings.Contains(out, "unverified") {
			t.Errorf("postino %v still marks the account:\n%s", args, out)
		}
	}
}
