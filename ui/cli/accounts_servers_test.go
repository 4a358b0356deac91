package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/probe/probetest"
	"github.com/postino/postino/wizard/store/storetest"
)

// TestSavedAccountRealServersAndKeyring saves an account tested against
// the real Dovecot and Postfix into the real keyring, checks the keyring
// from outside with secret-tool as another mail client would, lists it,
// tests it again with the stored password, and removes it.
func TestSavedAccountRealServersAndKeyring(t *testing.T) {
	env := probetest.RealServers(t)
	storetest.RequireKeyring(t)
	pw, user := probetest.Password(), env["USER"]
	storetest.Clear(user)
	t.Cleanup(func() { storetest.Clear(user) })
	config := t.TempDir()
	t.Cleanup(func() { noPasswordIn(t, config, pw) })
	getenv := map[string]string{"XDG_CONFIG_HOME": config}
	postino := func(stdin string, args ...string) (int, string, string) {
		t.Helper()
		code, stdout, stderr := runCLI(t, stdin, getenv, args...)
		if args[0] != "password" && probe.Repeats(stdout+stderr, pw) {
			t.Errorf("postino %v printed the password:\n%s%s", args, stdout, stderr)
		}
		return code, stdout, stderr
	}

	code, stdout, stderr := postino(pw+"\n", "test", user,
		"--incoming", "imaps://127.0.0.1:"+env["IMAPS_PORT"], "--outgoing", "smtp://127.0.0.1:"+env["SUBMISSION_PORT"],
		"--ca-file", env["CA_FILE"], "--password-stdin", "--save")
	if code != 0 || !strings.Contains(stderr, "Saved "+user+"; its password is in the keyring") {
		t.Fatalf("test --save = %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if got, ok := storetest.Lookup(t, user); !ok || got != pw {
		t.Errorf("secret-tool lookup service postino username %s = %q, %v; want the password", user, got, ok)
	}
	file := filepath.Join(config, "postino", "accounts.yaml")
	if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("%s: %v, %v; want mode 0600", file, info, err)
	}
	// The test that passed is saved with the account, as given by hand.
	saved, _ := os.ReadFile(file)
	for _, want := range []string{"source: manual\n", "software: Dovecot", "software: Postfix", "verified: true\n", "dns_names:\n"} {
		if !strings.Contains(string(saved), want) || strings.Count(string(saved), "logged_in: true\n") != 2 {
			t.Errorf("accounts.yaml lacks %q or two logins:\n%s", want, saved)
		}
	}

	code, stdout, _ = postino("", "list", "--json")
	var list struct{ Accounts []accountJSONOut }
	if err := json.Unmarshal([]byte(stdout), &list); code != 0 || err != nil {
		t.Fatalf("list --json = %d, %v: %s", code, err, stdout)
	}
	if a := list.Accounts; len(a) != 1 || a[0].Name != user || a[0].Address != user || !a[0].PasswordStored ||
		len(a[0].Incoming) != 1 || a[0].Incoming[0].String() != "imaps://127.0.0.1:"+env["IMAPS_PORT"] ||
		len(a[0].Outgoing) != 1 || a[0].Outgoing[0].String() != "smtp://127.0.0.1:"+env["SUBMISSION_PORT"] {
		t.Errorf("list --json = %s", stdout)
	}

	// Tested again from the saved settings, with the stored password (the
	// CA file is not saved: it is given again).
	code, stdout, stderr = postino("", "test", user, "--ca-file", env["CA_FILE"], "--json")
	if code != 0 || strings.Count(stdout, `"logged_in": true`) != 2 {
		t.Errorf("test of the saved account = %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if code, stdout, _ := postino("", "password", user); code != 0 || stdout != pw+"\n" {
		t.Errorf("password = %d, %q", code, stdout)
	}

	code, _, stderr = postino("", "remove", user)
	if code != 0 || stderr != "Removed "+user+" and its password from the keyring.\n" {
		t.Errorf("remove = %d, %q", code, stderr)
	}
	if got, ok := storetest.Lookup(t, user); ok {
		t.Errorf("after remove secret-tool lookup = %q, want nothing", got)
	}
	if code, stdout, _ := postino("", "list", "--json"); code != 0 || strings.Contains(stdout, user) {
		t.Errorf("list --json after remove = %d, %s", code, stdout)
	}
}

// TestRealServersKeyringGone: with the keyring unavailable, test --save
// against the real Dovecot and Postfix keeps the settings that passed
// (exit 3), says the password was not stored and how to store it.
func TestRealServersKeyringGone(t *testing.T) {
	env := probetest.RealServers(t)
	a := newAccountsEnv(t)
	a.keyring.Fail(noBus)
	pw, user := probetest.Password(), env["USER"]
	t.Cleanup(func() { noPasswordIn(t, a.config, pw) })
	code, stdout, stderr := a.run(t, pw+"\n", "test", user,
		"--incoming", "imaps://127.0.0.1:"+env["IMAPS_PORT"], "--outgoing", "smtp://127.0.0.1:"+env["SUBMISSION_PORT"],
		"--ca-file", env["CA_FILE"], "--password-stdin", "--save")
	if code != 3 || !strings.Contains(stderr, "The keyring is unavailable") || !strings.Contains(stderr, "without the password") {
		t.Fatalf("test --save without a keyring = %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if probe.Repeats(stdout+stderr, pw) {
		t.Errorf("the output carries the password:\n%s%s", stdout, stderr)
	}
	if got := a.find(t, user); len(got.Tests) != 2 || !got.Tests[0].LoggedIn || !got.Tests[1].LoggedIn {
		t.Errorf("the tested settings were not kept: %+v", got)
	}
}
