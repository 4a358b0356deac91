package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/store"
)

// TestWelcomeAccountCommands: the wizard's welcome screen runs postino's
// own commands on a saved account, in the wizard's language, with the
// stored password and nothing read from the terminal.
func TestWelcomeAccountCommands(t *testing.T) {
	a := newAccountsEnv(t)
	url, pin := startIMAPS(t)
	if code, _, stderr := a.run(t, unitPassword+"\n", "test", unitUser, "--incoming", url, "--pin", pin, "--password-stdin", "--save", "--name", "work"); code != 0 {
		t.Fatalf("test --save = %d: %s", code, stderr)
	}
	wd := t.TempDir()
	t.Chdir(wd)
	e := &env{ctx: context.Background(), stdin: strings.NewReader(unitWrong + "\n"), getenv: func(k string) string {
		if k == "XDG_CONFIG_HOME" {
			return a.config
		}
		return ""
	}, keyring: a.keyring, lang: probe.Italian}
	command := func(args ...string) (int, string) {
		var out bytes.Buffer
		code := e.accountCommand(context.Background(), args, &out)
		if probe.Repeats(out.String(), unitPassword) || probe.Repeats(out.String(), unitWrong) {
			t.Errorf("postino %v shows a password:\n%s", args, out.String())
		}
		return code, out.String()
	}

	if code, out := command("test", "work"); code != 0 || !strings.Contains(out, "Tutte le impostazioni funzionano.") {
		t.Errorf("test work = %d:\n%s", code, out)
	}
	if code, out := command("report", "work"); code != 0 || !strings.Contains(out, "# ") || !strings.Contains(out, unitUser) {
		t.Errorf("report work = %d:\n%s", code, out)
	}
	if code, out := command("export", "work", "--format", "msmtp", "-o", "msmtprc"); code != 2 || !strings.Contains(out, "uscita") {
		// An account without an outgoing server cannot be an msmtprc.
		t.Errorf("export work --format msmtp = %d:\n%s", code, out)
	}
	if code, out := command("export", "work", "--format", "fetchmail", "-o", "fetchmailrc"); code != 0 {
		t.Errorf("export work --format fetchmail = %d:\n%s", code, out)
	}
	if b, err := os.ReadFile(filepath.Join(wd, "fetchmailrc")); err != nil || !strings.Contains(string(b), "poll ") {
		t.Errorf("the export wrote %q, %v", b, err)
	}
	if code, out := command("export", "work", "--format", "fetchmail", "-o", "fetchmailrc"); code != 2 || !strings.Contains(out, "--force") {
		// An existing file is never written over from the wizard.
		t.Errorf("export over an existing file = %d:\n%s", code, out)
	}
	if code, out := command("remove", "work"); code != 0 || a.keyring.Passwords[unitUser] != "" {
		t.Errorf("remove work = %d:\n%s", code, out)
	}
	if code, out := command("show", "work"); code != 1 {
		t.Errorf("show of a removed account = %d:\n%s", code, out)
	}
}

// TestRemoveKeptBeside: removing one of two accounts of one address says
// that the password stays for the other; removing the last deletes it.
func TestRemoveKeptBeside(t *testing.T) {
	a := newAccountsEnv(t)
	url, pin := startIMAPS(t)
	if code, _, stderr := a.run(t, unitPassword+"\n", "test", unitUser, "--incoming", url, "--pin", pin, "--password-stdin", "--save"); code != 0 {
		t.Fatalf("test --save = %d: %s", code, stderr)
	}
	st := &store.Store{Dir: filepath.Join(a.config, "postino"), Keyring: a.keyring}
	first, err := st.Find(unitUser)
	if err != nil {
		t.Fatal(err)
	}
	second := first
	second.Name, second.Beside = "alice-2", true
	if _, err := st.SaveSettings(second); err != nil {
		t.Fatal(err)
	}
	// Tested again by name, the second account keeps its name.
	if code, _, stderr := a.run(t, "", "test", "alice-2", "--save"); code != 0 || !strings.Contains(stderr, "Saved alice-2") {
		t.Fatalf("test alice-2 --save = %d: %s", code, stderr)
	}
	code, _, stderr := a.run(t, "", "remove", "alice-2")
	if code != 0 || stderr != "Removed alice-2; its password stays in the keyring for alice@example.test, which has the same address.\n" || a.keyring.Passwords[unitUser] != unitPassword {
		t.Fatalf("remove alice-2 = %d: %q", code, stderr)
	}
	if code, _, stderr := a.run(t, "", "remove", unitUser); code != 0 || !strings.Contains(stderr, "and its password") || a.keyring.Passwords[unitUser] != "" {
		t.Fatalf("remove %s = %d: %q", unitUser, code, stderr)
	}
}
