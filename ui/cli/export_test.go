package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/probe/probetest"
	"github.com/postino/postino/wizard/export"
	"github.com/postino/postino/wizard/store"
)

// saveAccount saves a with password in the test's directory and keyring.
func (a *accountsEnv) saveAccount(t *testing.T, acc store.Account, password string) {
	t.Helper()
	st := &store.Store{Dir: filepath.Join(a.config, "postino"), Keyring: a.keyring}
	if _, err := st.Save(acc, password); err != nil {
		t.Fatalf("Save() = %v", err)
	}
}

func closedAccount() store.Account {
	// Port 1 on loopback refuses at once: the report's test is quick.
	return store.Account{
		Name: "work", Address: "anna@example.com",
		Incoming: []probe.Server{{Protocol: probe.IMAP, Host: "127.0.0.1", Port: 1, Security: probe.TLS}},
		Outgoing: []probe.Server{{Protocol: probe.SMTP, Host: "127.0.0.1", Port: 1, Security: probe.StartTLS}},
	}
}

func TestExportUsage(t *testing.T) {
	l := newAccountsEnv(t)
	l.saveAccount(t, closedAccount(), unitPassword)
	pop := store.Account{
		Name: "pop", Address: "bob@example.org",
		Incoming: []probe.Server{{Protocol: probe.POP3, Host: "pop.example.org", Port: 995, Security: probe.TLS}},
		Outgoing: []probe.Server{{Protocol: probe.SMTP, Host: "smtp.example.org", Port: 465, Security: probe.TLS}},
	}
	l.saveAccount(t, pop, unitPassword)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no account", []string{"export", "--format", "aerc"}, 2, "needs the name or address of one saved account"},
		{"no format", []string{"export", "work"}, 2, "Choose a --format: thunderbird, outlook, outlook-steps, apple, aerc, neomutt, msmtp, mbsync, fetchmail, himalaya, report, json."},
		{"unknown format", []string{"export", "work", "--format", "eudora"}, 2, `cannot export as "eudora"; the formats are: thunderbird,`},
		{"unknown account", []string{"export", "nobody", "--format", "aerc"}, 1, "nobody"},
		{"POP3 to aerc", []string{"export", "pop", "--format", "aerc"}, 2, "aerc reads mail over IMAP only, and this account uses POP3"},
		{"POP3 to mbsync in Italian", []string{"export", "bob@example.org", "--format", "mbsync", "--lang", "it"}, 2, "mbsync legge la posta solo via IMAP"},
		{"missing CA file", []string{"export", "work", "--format", "msmtp", "--ca-file", "/nonexistent.pem"}, 2, "no such file"},
		{"bad flag", []string{"export", "work", "--format", "msmtp", "--frob"}, 2, "Bad command line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := l.run(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, stdout, stderr, tt.code, tt.want)
			}
			if n := strings.Count(strings.TrimSpace(stderr), "\n"); n != 0 {
				t.Errorf("stderr has %d lines, want one sentence: %q", n+1, stderr)
			}
		})
	}
}

// TestExportFiles: files are 0600, never replaced without --force, and
// replaced by a 0600 file with it.
func TestExportFiles(t *testing.T) {
	l := newAccountsEnv(t)
	l.saveAccount(t, closedAccount(), unitPassword)
	out := filepath.Join(t.TempDir(), "msmtprc")

	code, stdout, stderr := l.run(t, "", "export", "work", "--format", "msmtp", "-o", out)
	if code != 0 || stdout != "" || !strings.Contains(stderr, "Wrote "+out+" (msmtp)") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("Stat() = %v, %v; want mode 0600", fi, err)
	}
	// No postino on the test's PATH: the file names this binary.
	if !strings.Contains(readFile(t, out), `passwordeval "`+self(t)+` password work"`) {
		t.Errorf("the file lacks the credential command:\n%s", readFile(t, out))
	}

	os.WriteFile(out, []byte("mine\n"), 0o644)
	code, _, stderr = l.run(t, "", "export", "work", "--format", "neomutt", "-o", out)
	if code != 2 || !strings.Contains(stderr, "already exists; add --force") || readFile(t, out) != "mine\n" {
		t.Errorf("without --force: exit %d, stderr %q, file %q", code, stderr, readFile(t, out))
	}
	code, _, stderr = l.run(t, "", "export", "work", "--format", "neomutt", "-o", out, "--force")
	if fi, _ := os.Stat(out); code != 0 || fi.Mode().Perm() != 0o600 || !strings.Contains(readFile(t, out), "set imap_pass") {
		t.Errorf("with --force: exit %d, stderr %q, mode %v", code, stderr, fi.Mode())
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".msmtprc.*")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	unwritable := filepath.Join(t.TempDir(), "no", "such", "dir.xml")
	code, _, stderr = l.run(t, "", "export", "work", "--format", "thunderbird", "-o", unwritable)
	if want := "Cannot write " + unwritable + ": no such file or directory.\n"; code != 3 || stderr != want {
		t.Errorf("unwritable path: exit %d, stderr %q", code, stderr)
	}
}

// TestExportEveryFormat exports a saved account in every format and
// language, to standard output: the output is the format's and nothing
// else, and never holds the password.
func TestExportEveryFormat(t *testing.T) {
	l := newAccountsEnv(t)
	a := closedAccount()
	pin, _ := probe.ParsePin("sha256:" + strings.Repeat("ab", 32))
	a.Pins = []probe.Pin{pin}
	l.saveAccount(t, a, unitPassword)
	for _, format := range export.Formats() {
		for _, lang := range []string{"en", "it"} {
			code, stdout, stderr := l.run(t, "", "export", "anna@example.com", "--format", format, "--lang", lang, "--timeout", "5s")
			if code != 0 || stdout == "" || stderr != "" {
				t.Errorf("%s %s: exit %d, stderr %q", format, lang, code, stderr)
			}
			if probe.Repeats(stdout, unitPassword) {
				t.Errorf("%s %s holds the password:\n%s", format, lang, stdout)
			}
		}
	}
	_, report, _ := l.run(t, "", "export", "work", "--format", "report", "--timeout", "5s")
	for _, want := range []string{"# postino report: anna@example.com", "## Latest test", "Run for this report on ", "✗ incoming IMAP `127.0.0.1:1`", "Nothing answered at 127.0.0.1:1.", "`sha256:abab"} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
}

// TestExportSavedTests: with --no-test the reports show the provider, the
// source and the test saved with the account, and say when it ran; nothing
// is tested again (the servers are closed now, and the saved test passed).
func TestExportSavedTests(t *testing.T) {
	l := newAccountsEnv(t)
	a := closedAccount()
	a.Provider, a.Source = store.Provider{ID: "example", Name: "Example Mail"}, "providers"
	ranIn, ranOut := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC), time.Date(2026, 3, 15, 18, 0, 0, 0, time.UTC)
	cert := &probe.CertInfo{Subject: "CN=127.0.0.1", Issuer: "CN=Example CA", NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), SHA256: strings.Repeat("cd", 32)}
	a.Record([]probe.Result{{Role: probe.Incoming, Server: a.Incoming[0], OK: true, Code: probe.CodeOK, LoggedIn: true, ElapsedMS: 42,
		TLS: &probe.TLSInfo{Version: "TLS 1.3", Cipher: "TLS_AES_128_GCM_SHA256", Verified: true, Certificate: cert}, Software: "Dovecot"}}, ranIn)
	l.saveAccount(t, a, unitPassword)

	for lang, want := range map[string][]string{
		"en": {"- Provider: Example Mail (`example`)\n", "- Settings found in: postino's provider list\n",
			"Run on 2026-03-14 09:26 UTC and saved with the account.\n", "### ✓ incoming IMAP `127.0.0.1:1` (SSL/TLS)",
			"- TLS: TLS 1.3, `TLS_AES_128_GCM_SHA256`, certificate verified by an authority\n",
			"- Certificate: CN=127.0.0.1, issued by CN=Example CA, valid until 2027-01-01, SHA-256 `" + cert.SHA256 + "`\n",
			"- Server software: Dovecot\n", "- Time: 42 ms\n", "**All settings work.**"},
		"it": {"- Impostazioni trovate in: l'elenco dei provider di postino\n", "Eseguita il 2026-03-14 09:26 UTC e salvata con l'account.\n"},
	} {
		code, report, stderr := l.run(t, "", "export", "work", "--format", "report", "--no-test", "--lang", lang)
		if code != 0 || stderr != "" {
			t.Fatalf("export --format report = %d, %q", code, stderr)
		}
		for _, w := range want {
			if !strings.Contains(report, w) {
				t.Errorf("the %s report lacks %q:\n%s", lang, w, report)
			}
		}
		if strings.Contains(report, "Nothing answered") || strings.Contains(report, "Run for this report") {
			t.Errorf("the %s report tested again:\n%s", lang, report)
		}
	}
	code, out, _ := l.run(t, "", "export", "work", "--format", "json", "--no-test")
	var got struct {
		Provider struct{ ID, Name string } `json:"provider"`
		Source   string                    `json:"source"`
		Test     struct {
			TestedAt time.Time `json:"tested_at"`
			Fresh    bool      `json:"fresh"`
			OK       bool      `json:"ok"`
			Results  []struct {
				Role     string    `json:"role"`
				Code     string    `json:"code"`
				TestedAt time.Time `json:"tested_at"`
			} `json:"results"`
		} `json:"test"`
	}
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil {
		t.Fatalf("export --format json = %d, %v:\n%s", code, err, out)
	}
	if got.Provider.ID != "example" || got.Source != "providers" || got.Test.Fresh || !got.Test.OK || !got.Test.TestedAt.Equal(ranIn) ||
		len(got.Test.Results) != 1 || got.Test.Results[0].Code != "ok" {
		t.Errorf("export --format json = %+v", got)
	}

	// The outgoing role tested later, alone: each role's time is said.
	a.Record([]probe.Result{{Role: probe.Outgoing, Server: a.Outgoing[0], OK: true, Code: probe.CodeOK}}, ranOut)
	l.saveAccount(t, a, unitPassword)
	_, report, _ := l.run(t, "", "export", "work", "--format", "report", "--no-test")
	if want := "Saved with the account: the incoming servers were tested on 2026-03-14 09:26 UTC, the outgoing ones on 2026-03-15 18:00 UTC.\n"; !strings.Contains(report, want) {
		t.Errorf("the report lacks %q:\n%s", want, report)
	}
	_, out, _ = l.run(t, "", "export", "work", "--format", "json", "--no-test")
	json.Unmarshal([]byte(out), &got)
	if r := got.Test.Results; len(r) != 2 || !r[0].TestedAt.Equal(ranIn) || !r[1].TestedAt.Equal(ranOut) || !got.Test.TestedAt.Equal(ranOut) {
		t.Errorf("export --format json test = %+v", got.Test)
	}
}

// TestExportRealServers exports a saved account of the real Dovecot and
// Postfix: the report's test logs in with the password from the keyring,
// and msmtp sends with the exported msmtprc.
func TestExportRealServers(t *testing.T) {
	env := probetest.RealServers(t)
	l := newAccountsEnv(t)
	port := func(key string) int { n, _ := strconv.Atoi(env[key]); return n }
	l.saveAccount(t, store.Account{
		Name: "alice", Address: env["USER"],
		Incoming: []probe.Server{{Protocol: probe.IMAP, Host: env["GOOD_HOST"], Port: port("IMAPS_PORT"), Security: probe.TLS}},
		Outgoing: []probe.Server{{Protocol: probe.SMTP, Host: env["GOOD_HOST"], Port: port("SUBMISSION_PORT"), Security: probe.StartTLS}},
	}, probetest.Password())

	for lang, want := range map[string][]string{
		"en": {"✓ incoming IMAP", "✓ outgoing SMTP", "works: logged in as " + env["USER"], "TLS 1.3", "certificate verified by an authority", "Server software: Dovecot", "Server software: Postfix", "**All settings work.**"},
		"it": {"✓ in arrivo IMAP", "funziona: accesso eseguito come", "**Tutte le impostazioni funzionano.**"},
	} {
		code, report, stderr := l.run(t, "", "export", "alice", "--format", "report", "--ca-file", env["CA_FILE"], "--lang", lang)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for _, w := range want {
			if !strings.Contains(report, w) {
				t.Errorf("the %s report lacks %q:\n%s", lang, w, report)
			}
		}
		if probe.Repeats(report+stderr, probetest.Password()) {
			t.Errorf("the report holds the password")
		}
	}

	if _, err := exec.LookPath("msmtp"); err != nil {
		noProgram(t, "msmtp")
	}
	dir := t.TempDir()
	cred := filepath.Join(dir, "password.sh")
	os.WriteFile(cred, []byte("#!/bin/sh\nprintf '%s\\n' '"+strings.ReplaceAll(probetest.Password(), "'", `'\''`)+"'\n"), 0o700)
	rc := filepath.Join(dir, "msmtprc")
	code, _, stderr := l.run(t, "", "export", env["USER"], "--format", "msmtp", "-o", rc, "--ca-file", env["CA_FILE"], "--password-command", cred)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	subject := "postino export " + strconv.FormatInt(time.Now().UnixNano(), 36)
	msmtpDelivers(t, rc, dir, env, subject, "Subject: "+subject+"\r\n\r\nSent with postino's msmtprc.\r\n")
}

// msmtpDelivers sends message with msmtp and the msmtprc rc, HOME at dir,
// to the real servers' user, and waits for it, by its subject, in their
// Maildir.
func msmtpDelivers(t *testing.T, rc, dir string, env map[string]string, subject, message string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "msmtp", "-C", rc, env["USER"])
	cmd.Stdin = strings.NewReader(message)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("msmtp: %v\n%s", err, out)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		files, _ := filepath.Glob(filepath.Join(env["MAILDIR"], "*", "*"))
		for _, f := range files {
			if data, _ := os.ReadFile(f); bytes.Contains(data, []byte(subject)) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the message sent with the exported msmtprc never arrived in %s", env["MAILDIR"])
		}
	}
}

// noProgram skips on a developer's machine without a program, and fails
// in CI, where skipping would hide the test.
func noProgram(t *testing.T, name string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing: .ci/run installs it", name)
	}
	t.Skipf("%s is not installed", name)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// self is the running test binary's path, resolved.
func self(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if exe, err = filepath.EvalSymlinks(exe); err != nil {
		t.Fatal(err)
	}
	return exe
}

// TestExportProgram: the credential command names postino by its path
// unless the postino on PATH is this same binary.
func TestExportProgram(t *testing.T) {
	l := newAccountsEnv(t)
	l.saveAccount(t, closedAccount(), unitPassword)
	exe := self(t)
	if strings.ContainsAny(exe, " '\"\\`$") {
		t.Skipf("the test binary's path %q needs quoting", exe)
	}
	same, other, empty := t.TempDir(), t.TempDir(), t.TempDir()
	if err := os.Symlink(exe, filepath.Join(same, "postino")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(other, "postino"), []byte("#!/bin/sh\n"), 0o755)
	for _, tt := range []struct {
		name, path, want string
	}{
		{"no postino on PATH", empty, exe + " password work"},
		{"another postino first", other + string(filepath.ListSeparator) + same, exe + " password work"},
		{"this postino on PATH", empty + string(filepath.ListSeparator) + same, "postino password work"},
		{"relative PATH entry", ".", exe + " password work"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l.environ = map[string]string{"PATH": tt.path}
			code, stdout, stderr := l.run(t, "", "export", "work", "--format", "aerc")
			if code != 0 || !strings.Contains(stdout, "source-cred-cmd   = "+tt.want+"\n") {
				t.Errorf("exit %d, stderr %q; want source-cred-cmd %q in:\n%s", code, stderr, tt.want, stdout)
			}
		})
	}
	// A path that needs quoting is quoted for the shell, then for msmtprc.
	in := export.Input{Name: "work", Program: "/opt/my tools/postino"}
	if got := export.Credential(in); got != "'/opt/my tools/postino' password work" {
		t.Errorf("Credential() = %q", got)
	}
}

// TestExportAppleCA: --ca-file puts the CA in the Apple profile.
func TestExportAppleCA(t *testing.T) {
	l := newAccountsEnv(t)
	l.saveAccount(t, closedAccount(), unitPassword)
	ca := filepath.Join("..", "..", "testdata", "export", "example-ca.pem")
	code, stdout, stderr := l.run(t, "", "export", "work", "--format", "apple", "--ca-file", ca)
	if code != 0 || !strings.Contains(stdout, "<string>com.apple.security.root</string>") || !strings.Contains(stdout, "<data>") {
		t.Errorf("exit %d, stderr %q; want a root payload in:\n%s", code, stderr, stdout)
	}
}
