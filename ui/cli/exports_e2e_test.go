package cli

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/probe/probetest"
)

// TestExportsWithoutPostinoOnPath does what a newcomer does after go
// build: postino is not on PATH. The built binary tests and saves the
// account (password into the real keyring), exports it for msmtp, mbsync
// and fetchmail with their defaults as shipped, and those programs, run
// with a PATH that has no postino, get the password by running the binary
// that wrote their files: msmtp sends, mbsync and fetchmail fetch.
func TestExportsWithoutPostinoOnPath(t *testing.T) {
	e := newE2E(t)
	for _, p := range []string{"msmtp", "mbsync", "fetchmail", "unshare"} {
		if _, err := exec.LookPath(p); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed: .ci/run installs it", p)
			}
			t.Skipf("%s is not installed", p)
		}
	}
	user, pw := e.servers["USER"], probetest.Password()
	name := e.servers["SERVER_NAME"]
	clearKeyring(t, user)
	t.Cleanup(func() { clearKeyring(t, user) })

	// A PATH without postino, as after go build: the binary sits in the
	// test's directory only.
	var dirs []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(d, "postino")); d != "" && err != nil {
			dirs = append(dirs, d)
		}
	}
	path := strings.Join(dirs, string(os.PathListSeparator))
	hostsFile := filepath.Join(e.dir, "hosts")
	hosts, err := os.ReadFile("/etc/hosts")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(hostsFile, append(hosts, []byte("\n"+e.servers["GOOD_HOST"]+" "+name+"\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(e.dir, 0o755)
	home := filepath.Join(e.dir, "home")
	os.MkdirAll(home, 0o700)
	// run runs a program in a mount namespace whose /etc/hosts names the
	// servers (their certificates carry the name), with the test's
	// D-Bus session (the keyring) and nothing else of its environment.
	run := func(stdin string, env []string, prog string, args ...string) (string, error) {
		t.Helper()
		all := append([]string{"-m", "sh", "-c", `mount --bind "$0" /etc/hosts && exec "$@"`, hostsFile, prog}, args...)
		cmd := exec.Command("unshare", all...)
		cmd.Env = append([]string{"PATH=" + path, "HOME=" + home, "LANG=C.UTF-8",
			"XDG_CONFIG_HOME=" + filepath.Join(e.dir, "config"),
			"DBUS_SESSION_BUS_ADDRESS=" + os.Getenv("DBUS_SESSION_BUS_ADDRESS"),
			"XDG_RUNTIME_DIR=" + os.Getenv("XDG_RUNTIME_DIR")}, env...)
		cmd.Dir = home
		cmd.Stdin = strings.NewReader(stdin)
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(time.Minute):
				if cmd.Process != nil {
					cmd.Process.Kill()
				}
			}
		}()
		out, err := cmd.CombinedOutput()
		if probe.Repeats(string(out), pw) {
			t.Errorf("%s printed the password:\n%s", prog, out)
		}
		return string(out), err
	}
	if out, _ := run("", nil, "sh", "-c", "command -v postino"); strings.TrimSpace(out) != "" {
		t.Fatalf("postino is on the test's PATH: %s", out)
	}

	// Save: the servers by name, the test CA as the mail programs will
	// trust it.
	ca := e.servers["CA_FILE"]
	out, err := run(pw+"\n", []string{"SSL_CERT_FILE=" + ca}, e.bin, "test", user, "--name", "alice",
		"--incoming", "imaps://"+name+":"+e.servers["IMAPS_PORT"], "--outgoing", "smtp://"+name+":"+e.servers["SUBMISSION_PORT"],
		"--password-stdin", "--save")
	if err != nil || !strings.Contains(out, "Saved alice") {
		t.Fatalf("postino test --save: %v\n%s", err, out)
	}
	if got := stored(t, user); got != pw {
		t.Fatalf("the keyring holds %q, want the password", got)
	}

	export := func(format string, extra ...string) string {
		t.Helper()
		file := filepath.Join(home, format+"rc")
		out, err := run("", nil, e.bin, append([]string{"export", "alice", "--format", format, "--ca-file", ca, "-o", file}, extra...)...)
		if err != nil {
			t.Fatalf("postino export --format %s: %v\n%s", format, err, out)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), e.bin+" password alice") {
			t.Errorf("the %s file does not run %s for the password:\n%s", format, e.bin, b)
		}
		if probe.Repeats(string(b), pw) {
			t.Errorf("the %s file holds the password:\n%s", format, b)
		}
		return file
	}
	b := make([]byte, 6)
	rand.Read(b)
	subject := "postino without PATH " + hex.EncodeToString(b)

	msmtprc := export("msmtp")
	msg := "From: " + user + "\r\nTo: " + user + "\r\nSubject: " + subject + "\r\n\r\nSent by msmtp.\r\n"
	if out, err := run(msg, nil, "msmtp", "-C", msmtprc, "-a", "alice", user); err != nil {
		t.Fatalf("msmtp: %v\n%s", err, out)
	}
	arrived(t, e.servers["MAILDIR"], subject)

	// mbsync makes the folders, not the store's own directory.
	maildir := filepath.Join(home, "Mail")
	os.MkdirAll(maildir, 0o700)
	mbsyncrc := export("mbsync", "--maildir", maildir)
	if out, err := run("", nil, "mbsync", "-c", mbsyncrc, "alice"); err != nil {
		t.Fatalf("mbsync: %v\n%s", err, out)
	}
	if !grepDir(t, filepath.Join(maildir, "INBOX"), subject) {
		t.Errorf("mbsync did not copy %q into %s", subject, maildir)
	}

	// fetchmail over IMAP fetches only unread mail: a message of its own.
	rand.Read(b)
	fetched := "postino fetchmail without PATH " + hex.EncodeToString(b)
	msg = strings.Replace(msg, subject, fetched, 1)
	if out, err := run(msg, nil, "msmtp", "-C", msmtprc, "-a", "alice", user); err != nil {
		t.Fatalf("msmtp: %v\n%s", err, out)
	}
	arrived(t, e.servers["MAILDIR"], fetched)
	mbox := filepath.Join(home, "fetched")
	fetchmailrc := export("fetchmail", "--mda", "cat >> "+mbox)
	// The command line the export prints and writes into the file.
	var line string
	rc, _ := os.ReadFile(fetchmailrc)
	for _, l := range strings.Split(string(rc), "\n") {
		if strings.Contains(l, "| fetchmail -f -") {
			line = strings.TrimSpace(strings.TrimPrefix(l, "#"))
		}
	}
	if line == "" {
		t.Fatalf("the fetchmailrc does not say how to run it:\n%s", rc)
	}
	if out, err := run("", []string{"FETCHMAILHOME=" + home}, "sh", "-c", line); err != nil {
		t.Fatalf("%s: %v\n%s", line, err, out)
	}
	if got, _ := os.ReadFile(mbox); !strings.Contains(string(got), fetched) {
		t.Errorf("fetchmail did not deliver %q", fetched)
	}
}

// arrived waits until a message with subject is in maildir.
func arrived(t *testing.T, maildir, subject string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if grepDir(t, maildir, subject) {
			return
		}
	}
	t.Fatalf("no message %q arrived in %s", subject, maildir)
}

// grepDir says whether a file under dir holds s.
func grepDir(t *testing.T, dir, s string) bool {
	found := false
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			if b, err := os.ReadFile(path); err == nil && strings.Contains(string(b), s) {
				found = true
			}
		}
		return nil
	})
	return found
}
