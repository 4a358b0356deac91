package cli

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/probe/probetest"
)

// e2e is what the wizard's end-to-end tests run with: the real binary, the
// real servers' env file, and a home of their own.
type e2e struct {
	t       *testing.T
	bin     string
	dir     string
	servers map[string]string
	env     []string // the binary's environment, besides the test's own
}

// newE2E builds postino and prepares a providers file mapping example.test
// to the real servers. Without tmux, the servers or the keyring the tests
// skip on a developer's machine; in CI they fail.
func newE2E(t *testing.T) *e2e {
	t.Helper()
	missing := func(what string) {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s: .ci/test provides it", what)
		}
		t.Skipf("%s: run bash .ci/test", what)
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		missing("tmux is not installed")
	}
	if os.Getenv("POSTINO_TEST_KEYRING") == "" {
		missing("no test keyring (POSTINO_TEST_KEYRING)")
	}
	if _, err := exec.LookPath("secret-tool"); err != nil {
		missing("secret-tool is not installed")
	}
	servers := probetest.RealServers(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "postino")
	build := exec.Command("go", "build", "-o", bin, "github.com/postino/postino")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	tmpl, err := os.ReadFile("../../testdata/e2e/providers.yaml.in")
	if err != nil {
		t.Fatal(err)
	}
	r := strings.NewReplacer("@HOST@", servers["GOOD_HOST"],
		"@IMAPS_PORT@", servers["IMAPS_PORT"], "@IMAP_PORT@", servers["IMAP_PORT"],
		"@POP3S_PORT@", servers["POP3S_PORT"], "@POP3_PORT@", servers["POP3_PORT"],
		"@SUBMISSION_PORT@", servers["SUBMISSION_PORT"], "@SMTPS_PORT@", servers["SMTPS_PORT"])
	providers := filepath.Join(dir, "providers.yaml")
	if err := os.WriteFile(providers, []byte(r.Replace(string(tmpl))), 0o644); err != nil {
		t.Fatal(err)
	}
	return &e2e{t: t, bin: bin, dir: dir, servers: servers, env: []string{
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
		"POSTINO_PROVIDERS=" + providers,
		// Go trusts the servers' throwaway CA through SSL_CERT_FILE.
		"SSL_CERT_FILE=" + servers["CA_FILE"],
		"LANG=C.UTF-8",
	}}
}

// tmux runs a tmux command on the test's own server, so that the session
// has the test's environment (its D-Bus session and keyring) and no one
// else's.
func (e *e2e) tmux(args ...string) string {
	e.t.Helper()
	cmd := exec.Command("tmux", append([]string{"-S", filepath.Join(e.dir, "tmux.sock")}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		e.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// start runs postino in a detached 80×24 tmux session; when it ends, the
// pane keeps its exit code.
func (e *e2e) start(args ...string) time.Time {
	e.t.Helper()
	script := "env " + strings.Join(quoteAll(e.env), " ") + " " + e.bin + " " + strings.Join(args, " ") +
		`; echo "exit=$?"; sleep 60`
	started := time.Now()
	e.tmux("new-session", "-d", "-s", "w", "-x", "80", "-y", "24", "sh", "-c", script)
	e.t.Cleanup(func() { exec.Command("tmux", "-S", filepath.Join(e.dir, "tmux.sock"), "kill-server").Run() })
	return started
}

func quoteAll(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
	}
	return out
}

// screen is the pane's text now.
func (e *e2e) screen() string { return e.tmux("capture-pane", "-p", "-t", "w") }

// waitFor polls the pane until it shows want, and returns when it did.
func (e *e2e) waitFor(want string, timeout time.Duration) time.Time {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := e.screen()
		if strings.Contains(s, want) {
			return time.Now()
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("after %s the screen does not show %q:\n%s", timeout, want, s)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// toAddress goes from the welcome screen, IMAP taken, to the address.
func (e *e2e) toAddress() {
	e.t.Helper()
	e.keys("Enter")
	e.waitFor("How do you want to read your mail?", 5*time.Second)
	e.keys("Enter")
	e.waitFor("Your email address", 5*time.Second)
}

// keys sends tmux key names (Enter, Escape, Tab) or, with literal, text.
func (e *e2e) keys(keys ...string) {
	e.t.Helper()
	e.tmux(append([]string{"send-keys", "-t", "w"}, keys...)...)
}
func (e *e2e) text(s string) { e.t.Helper(); e.tmux("send-keys", "-t", "w", "-l", s) }

// stored is the password the keyring holds for address, as any program
// reading the Secret Service sees it.
func stored(t *testing.T, address string) string {
	t.Helper()
	out, err := exec.Command("secret-tool", "lookup", "service", "postino", "username", address).Output()
	if err != nil {
		t.Fatalf("secret-tool lookup %s: %v", address, err)
	}
	return string(out)
}

func clearKeyring(t *testing.T, address string) {
	exec.Command("secret-tool", "clear", "service", "postino", "username", address).Run()
}

// TestWizardEndToEnd drives the real binary through the whole wizard in a
// terminal, against the real Dovecot and Postfix, and finds the password in
// the real keyring.
func TestWizardEndToEnd(t *testing.T) {
	e := newE2E(t)
	user, pw := e.servers["USER"], probetest.Password()
	clearKeyring(t, user)

	started := e.start("--lang", "en")
	firstFrame := e.waitFor("Welcome to postino", 10*time.Second)
	t.Logf("start to first frame (binary in tmux, polled every 5 ms): %s", firstFrame.Sub(started).Round(time.Millisecond))

	e.toAddress()
	e.text(user)
	e.waitFor("looks right", 5*time.Second)
	e.keys("Tab")
	e.text("Anna Rossi")
	e.keys("Enter")
	e.waitFor("Example Test Mail takes your usual password.", 5*time.Second)
	e.keys("Enter")
	e.waitFor("Password for "+user, 5*time.Second)
	e.text(pw)
	if probe.Repeats(e.screen(), pw) {
		t.Fatal("the password shows as it is typed")
	}
	e.keys("Enter")
	e.waitFor("Settings from postino's provider list.", 10*time.Second)
	e.keys("Enter")
	e.waitFor("(choice 1 of 2)", 5*time.Second)
	e.keys("Enter")
	e.waitFor("All settings work.", 30*time.Second)
	s := e.screen()
	for _, want := range []string{"TLS 1.3", "as " + user, "mail.example.test, issued by postino test CA"} {
		if !strings.Contains(s, want) {
			t.Errorf("the test screen lacks %q:\n%s", want, s)
		}
	}
	// The test message goes through Postfix and Dovecot's LMTP into the
	// account's own Maildir.
	e.keys("m")
	e.waitFor("Test message sent to "+user+" at", 30*time.Second)
	delivered(t, e.servers["MAILDIR"], started, pw, "Subject: postino test message", "From: \"Anna Rossi\" <"+user+">")
	e.keys("Enter")
	e.waitFor(user+" is set up.", 15*time.Second)
	if !strings.Contains(e.screen(), "The password is in this computer's keyring.") {
		t.Fatalf("the summary does not say the password is stored:\n%s", e.screen())
	}
	e.keys("Enter")
	e.waitFor("exit=0", 5*time.Second)
	// What was set up stays in the terminal once the full screen closed
	// (scrolled, maybe, past the pane's 24 lines: its history counts).
	after := e.tmux("capture-pane", "-p", "-S", "-", "-t", "w")
	for _, want := range []string{user + " is set up.", "Incoming: IMAP", "Keyring entry: service postino, user " + user + ".",
		"postino test " + user, "postino report " + user, "postino export " + user + " --format FORMAT"} {
		if !strings.Contains(after, want) {
			t.Errorf("after the wizard the terminal lacks %q:\n%s", want, after)
		}
	}

	if got := stored(t, user); got != pw {
		t.Errorf("the keyring holds %q for %s, want the password", got, user)
	}
	settings, err := os.ReadFile(filepath.Join(e.dir, "config", "postino", "accounts.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(settings), "port: "+e.servers["IMAPS_PORT"]) || !strings.Contains(string(settings), "display_name: Anna Rossi") || probe.Repeats(string(settings), pw) {
		t.Errorf("accounts.yaml:\n%s", settings)
	}

	// The help desk's report shows the provider, the source and the test
	// the wizard saved, without testing again.
	report := exec.Command(e.bin, "export", user, "--format", "report", "--no-test")
	report.Env = append(os.Environ(), e.env...)
	out, err := report.CombinedOutput()
	if err != nil {
		t.Fatalf("postino export --format report: %v\n%s", err, out)
	}
	for _, want := range []string{"- Provider: Example Test Mail (", "- Settings found in: postino's provider list", "and saved with the account.",
		"### ✓ incoming IMAP", "### ✓ outgoing SMTP", "certificate verified by an authority", "postino test CA", "**All settings work.**"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	if probe.Repeats(string(out), pw) || strings.Contains(string(out), "Run for this report") {
		t.Errorf("the report holds the password or tested again:\n%s", out)
	}
}

// TestWizardPlainEndToEnd answers the same questions line by line, as a
// screen reader user or a help desk would, through a pipe.
func TestWizardPlainEndToEnd(t *testing.T) {
	e := newE2E(t)
	user, pw := e.servers["USER"], probetest.Password()
	clearKeyring(t, user)
	// Welcome, IMAP, the address, the name, the hint, the password, the
	// review, a test message, save.
	started := time.Now()
	answers := strings.Join([]string{"", "1", user, "Niccolò Rossi", "", pw, "", "s", ""}, "\n") + "\n"
	cmd := exec.Command(e.bin, "--plain", "--lang", "it")
	cmd.Env = append(os.Environ(), e.env...)
	cmd.Stdin = strings.NewReader(answers)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("postino --plain: %v\n%s", err, out.String())
	}
	for _, want := range []string{"Come vuoi leggere la posta?", "Impostazioni trovate; fonte: l'elenco dei provider di postino.", "Tutte le impostazioni funzionano.", "Messaggio di prova inviato a " + user, user + " è configurato."} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output lacks %q:\n%s", want, out.String())
		}
	}
	if probe.Repeats(out.String(), pw) {
		t.Errorf("the output shows the password:\n%s", out.String())
	}
	if got := stored(t, user); got != pw {
		t.Errorf("the keyring holds %q for %s, want the password", got, user)
	}
	delivered(t, e.servers["MAILDIR"], started, pw, "Subject: messaggio di prova di postino", "From: =?utf-8?q?Niccol=C3=B2_Rossi?= <"+user+">")
}

// delivered waits for a message written into the Maildir since the test
// started whose text has every want, and checks it for the password.
func delivered(t *testing.T, maildir string, since time.Time, password string, want ...string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		for _, sub := range []string{"new", "cur"} {
			files, _ := os.ReadDir(filepath.Join(maildir, sub))
			for _, f := range files {
				info, err := f.Info()
				if err != nil || info.ModTime().Before(since.Add(-time.Second)) {
					continue
				}
				b, err := os.ReadFile(filepath.Join(maildir, sub, f.Name()))
				if err != nil || slices.ContainsFunc(want, func(w string) bool { return !strings.Contains(string(b), w) }) {
					continue
				}
				if probe.Repeats(string(b), password) {
					t.Errorf("the test message holds the password:\n%s", b)
				}
				if !strings.Contains(string(b), "Message-ID: <") || !strings.Contains(string(b), ".postino@") {
					t.Errorf("the test message has no postino Message-ID:\n%s", b)
				}
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message with %q reached %s", want, maildir)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestWizardNeedsATerminal: without a terminal and without --plain the
// wizard says so in one sentence and exits 2.
func TestWizardNeedsATerminal(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", nil)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "--plain") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestWizardFallbackEndToEnd: against the real servers, the outgoing
// server chosen first (a port nothing listens on) fails and the wizard
// moves on to the real submission port by itself; a wrong password is
// refused there, p brings the password back and the right one is tested
// at once, on the submission port that answered.
func TestWizardFallbackEndToEnd(t *testing.T) {
	e := newE2E(t)
	user, pw := e.servers["USER"], probetest.Password()
	clearKeyring(t, user)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	providers := filepath.Join(e.dir, "providers.yaml")
	b, err := os.ReadFile(providers)
	if err != nil {
		t.Fatal(err)
	}
	blocked := "      - smtps://" + e.servers["GOOD_HOST"] + ":" + closed + "\n"
	withBlocked := strings.Replace(string(b), "    outgoing:\n", "    outgoing:\n"+blocked, 1)
	if err := os.WriteFile(providers, []byte(withBlocked), 0o644); err != nil {
		t.Fatal(err)
	}

	e.start("--lang", "en")
	e.waitFor("Welcome to postino", 10*time.Second)
	e.toAddress()
	e.text(user)
	e.keys("Enter")
	e.waitFor("Example Test Mail takes your usual password.", 5*time.Second)
	e.keys("Enter")
	e.waitFor("Password for "+user, 5*time.Second)
	e.text("not the password")
	e.keys("Enter")
	e.waitFor("Settings from postino's provider list.", 10*time.Second)
	e.keys("Enter")
	e.waitFor("(choice 1 of 3)", 5*time.Second)
	e.keys("Enter")
	e.waitFor("p type the password again", 60*time.Second)
	s := e.screen()
	for _, want := range []string{"✗ Outgoing", ":" + closed, "tried the next server", ":" + e.servers["SUBMISSION_PORT"], "✗ login"} {
		if !strings.Contains(s, want) {
			t.Errorf("the test screen lacks %q:\n%s", want, s)
		}
	}
	e.keys("p")
	e.waitFor("The server refused the last password", 5*time.Second)
	e.text(pw)
	e.keys("Enter")
	e.waitFor("All settings work.", 60*time.Second)
	s = e.screen()
	if !strings.Contains(s, ":"+e.servers["SUBMISSION_PORT"]) || strings.Contains(s, ":"+closed) {
		t.Errorf("the new test did not start on the submission port that answered:\n%s", s)
	}
	if probe.Repeats(s, pw) {
		t.Fatal("the screen shows the password")
	}
	e.keys("Enter")
	e.waitFor(user+" is set up.", 15*time.Second)
	e.keys("Enter")
	e.waitFor("exit=0", 5*time.Second)
	if !strings.Contains(e.screen(), "Outgoing: SMTP "+e.servers["GOOD_HOST"]+":"+e.servers["SUBMISSION_PORT"]) {
		t.Errorf("the summary does not name the submission port:\n%s", e.screen())
	}
	if got := stored(t, user); got != pw {
		t.Errorf("the keyring holds %q for %s, want the password", got, user)
	}
	settings, err := os.ReadFile(filepath.Join(e.dir, "config", "postino", "accounts.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	first := "    outgoing:\n      - protocol: smtp\n        host: 127.0.0.1\n        port: " + e.servers["SUBMISSION_PORT"] + "\n"
	if !strings.Contains(string(settings), first) || !strings.Contains(string(settings), "port: "+closed) || probe.Repeats(string(settings), pw) {
		t.Errorf("accounts.yaml does not keep the submission port first and the other as an alternative, or holds the password:\n%s", settings)
	}
}

// TestWizardSavedAccountEndToEnd: a saved account is picked on the
// welcome screen and reported on against the real servers; adding its
// address again asks before replacing it; removing it asks first and
// takes its password out of the real keyring.
func TestWizardSavedAccountEndToEnd(t *testing.T) {
	e := newE2E(t)
	user, pw := e.servers["USER"], probetest.Password()
	clearKeyring(t, user)
	save := exec.Command(e.bin, "test", user, "--password-stdin", "--save")
	save.Env = append(os.Environ(), e.env...)
	save.Stdin = strings.NewReader(pw + "\n")
	if out, err := save.CombinedOutput(); err != nil {
		t.Fatalf("postino test --save: %v\n%s", err, out)
	}

	e.start("--lang", "en")
	e.waitFor("Welcome to postino", 10*time.Second)
	e.keys("Up", "Enter")
	e.waitFor("t tests it again", 5*time.Second)
	e.keys("r")
	e.waitFor("# postino report: "+user, 60*time.Second)
	// The report is longer than the screen: page down to its verdict.
	for i := 0; !strings.Contains(e.screen(), "**All settings work.**"); i++ {
		if probe.Repeats(e.screen(), pw) {
			t.Fatal("the report shows the password")
		}
		if i == 20 {
			t.Fatalf("no verdict at the report's end:\n%s", e.screen())
		}
		e.keys("NPage")
		time.Sleep(50 * time.Millisecond)
	}

	// The same address again: asked, not replaced. (A key right after
	// esc would read as alt+key: each goes on its own.)
	e.keys("Escape")
	e.waitFor("↑/↓ choose • enter pick", 5*time.Second)
	e.keys("Down")
	e.waitFor("enter add an account", 5*time.Second)
	e.toAddress()
	e.text(user)
	e.keys("Enter")
	e.waitFor(user+" is already saved, as "+user+".", 5*time.Second)
	e.waitFor("Keep both; name the new one: "+user+"-2", 5*time.Second)
	e.keys("Escape")
	e.waitFor("looks right", 5*time.Second)
	e.keys("Escape")
	e.waitFor("How do you want to read your mail?", 5*time.Second)
	e.keys("Escape")
	e.waitFor("Welcome to postino", 5*time.Second)

	e.keys("Up", "Enter")
	e.waitFor("d removes it", 5*time.Second)
	e.keys("d")
	e.waitFor("Remove "+user+" and its password from the keyring?", 5*time.Second)
	e.keys("y")
	e.waitFor("No saved accounts yet.", 10*time.Second)
	if out, err := exec.Command("secret-tool", "lookup", "service", "postino", "username", user).Output(); err == nil && len(out) > 0 {
		t.Errorf("the keyring still holds a password for %s", user)
	}
	e.keys("C-c")
	e.waitFor("exit=130", 5*time.Second)
}
