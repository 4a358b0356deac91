package export

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/probe/probetest"
)

// These tests run the real mail programs from Debian (msmtp, mbsync,
// fetchmail, NeoMutt, aerc) with exported files against the Dovecot and
// Postfix that testdata/servers/servers.sh starts. The programs check
// certificates against host names, so they run in a mount namespace whose
// /etc/hosts maps the servers' name to their address.

// clientLab is what the real-client tests share: the servers, a home
// directory, the credential script and the /etc/hosts of the namespace.
type clientLab struct {
	t        *testing.T
	env      map[string]string
	dir      string
	hosts    string
	cred     string
	password string
	outputs  []string // everything written or printed, searched for the password
}

func newClientLab(t *testing.T, programs ...string) *clientLab {
	env := probetest.RealServers(t)
	for _, p := range append(programs, "unshare") {
		if _, err := exec.LookPath(p); err != nil {
			noTool(t, p)
		}
	}
	lab := &clientLab{t: t, env: env, dir: t.TempDir(), password: probetest.Password()}
	// The servers run as other users and the mail programs may too: the
	// directory must be reachable.
	os.Chmod(lab.dir, 0o755)
	hosts, err := os.ReadFile("/etc/hosts")
	if err != nil {
		t.Fatal(err)
	}
	lab.hosts = lab.file("hosts", string(hosts)+"\n"+env["GOOD_HOST"]+" "+env["SERVER_NAME"]+"\n", 0o644)
	// The credential command prints the password, as postino password
	// would, without a keyring.
	lab.cred = lab.file("password.sh", "#!/bin/sh\nprintf '%s\\n' "+shellQuote(lab.password)+"\n", 0o700)
	if out, err := lab.command(10*time.Second, "getent", "hosts", env["SERVER_NAME"]).CombinedOutput(); err != nil || !strings.Contains(string(out), env["GOOD_HOST"]) {
		noTool(t, "a mount namespace for /etc/hosts (unshare -m, as root): "+strings.TrimSpace(string(out)))
	}
	t.Cleanup(lab.checkNoPassword)
	return lab
}

func (lab *clientLab) file(name, content string, mode os.FileMode) string {
	path := filepath.Join(lab.dir, name)
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		lab.t.Fatal(err)
	}
	return path
}

// export renders format and writes it as a mail program's file, 0600.
func (lab *clientLab) export(format string, in Input, name string) string {
	lab.t.Helper()
	f, _ := Lookup(format)
	out, err := f.Render(in)
	if err != nil {
		lab.t.Fatalf("%s: Render() = %v", format, err)
	}
	lab.outputs = append(lab.outputs, string(out))
	return lab.file(name, string(out), 0o600)
}

// command runs a program in the namespace with the lab's /etc/hosts, a
// home of its own and a bounded time.
func (lab *clientLab) command(limit time.Duration, name string, args ...string) *exec.Cmd {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	lab.t.Cleanup(cancel)
	all := append([]string{"-m", "sh", "-c", `mount --bind "$0" /etc/hosts && exec "$@"`, lab.hosts, name}, args...)
	cmd := exec.CommandContext(ctx, "unshare", all...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + lab.dir, "LANG=C.UTF-8"}
	cmd.Dir = lab.dir
	return cmd
}

func (lab *clientLab) run(cmd *exec.Cmd, stdin string) string {
	lab.t.Helper()
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	lab.outputs = append(lab.outputs, string(out))
	if err != nil {
		lab.t.Fatalf("%v: %v\n%s", cmd.Args[6:], err, out)
	}
	return string(out)
}

// screen runs a terminal program in tmux until want shows on its screen,
// and returns the screen.
func (lab *clientLab) screen(want string, env []string, name string, args ...string) string {
	lab.t.Helper()
	// A socket per program: a new server on the socket of one that
	// is still going away fails to start.
	sock := filepath.Join(lab.dir, "tmux-"+name+".sock")
	inner := lab.command(time.Minute, name, args...)
	var sh strings.Builder
	sh.WriteString("exec env -i")
	for _, e := range append(inner.Env, append(env, "TERM=xterm-256color")...) {
		sh.WriteString(" " + shellQuote(e))
	}
	for _, a := range inner.Args {
		sh.WriteString(" " + shellQuote(a))
	}
	tmux := func(args ...string) string {
		out, err := exec.Command("tmux", append([]string{"-S", sock}, args...)...).CombinedOutput()
		if err != nil && args[0] != "kill-server" {
			lab.t.Fatalf("tmux %v: %v %s", args, err, out)
		}
		return string(out)
	}
	tmux("new-session", "-d", "-x", "160", "-y", "40", "-c", lab.dir, sh.String())
	lab.t.Cleanup(func() { tmux("kill-server") })
	var shown string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		shown = tmux("capture-pane", "-p")
		if strings.Contains(shown, want) {
			break
		}
	}
	lab.outputs = append(lab.outputs, shown)
	if !strings.Contains(shown, want) {
		lab.t.Fatalf("%s never showed %q; its screen:\n%s", name, want, shown)
	}
	return shown
}

func (lab *clientLab) checkNoPassword() {
	for _, out := range lab.outputs {
		if probe.Repeats(out, lab.password) {
			lab.t.Errorf("the password appears in an export or a program's output:\n%s", out)
		}
	}
}

// server is a server of the test set-up, by the name its certificate has.
func (lab *clientLab) server(p probe.Protocol, sec probe.Security, portKey string) probe.Server {
	port, _ := strconv.Atoi(lab.env[portKey])
	return probe.Server{Protocol: p, Host: lab.env["SERVER_NAME"], Port: port, Security: sec, Username: lab.env["USER"], Auth: probe.AuthPassword}
}

func (lab *clientLab) input(incoming, outgoing probe.Server) Input {
	return Input{
		Name: "alice", Address: lab.env["USER"], DisplayName: "Alice",
		Incoming: []probe.Server{incoming}, Outgoing: []probe.Server{outgoing},
		CAFile: lab.env["CA_FILE"], CredentialCommand: lab.cred, Lang: "en",
	}
}

// waitDelivered waits until a message with subject is in the test
// mailbox, as Dovecot stores it.
func (lab *clientLab) waitDelivered(subject string) {
	lab.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		for _, sub := range []string{"new", "cur"} {
			files, _ := filepath.Glob(filepath.Join(lab.env["MAILDIR"], sub, "*"))
			for _, f := range files {
				if data, err := os.ReadFile(f); err == nil && bytes.Contains(data, []byte(subject)) {
					return
				}
			}
		}
	}
	lab.t.Fatalf("no message %q arrived in %s", subject, lab.env["MAILDIR"])
}

func randomSubject(what string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return "postino " + what + " " + hex.EncodeToString(b)
}

// send sends a message with the exported msmtprc.
func (lab *clientLab) send(rc, subject string) {
	lab.t.Helper()
	msg := "From: " + lab.env["USER"] + "\r\nTo: " + lab.env["USER"] + "\r\nSubject: " + subject + "\r\n\r\nSent by msmtp with postino's export.\r\n"
	lab.run(lab.command(time.Minute, "msmtp", "-C", rc, "-a", "alice", lab.env["USER"]), msg)
	lab.waitDelivered(subject)
}

// TestRealClients sends with msmtp, then reads the message back with
// mbsync, fetchmail, NeoMutt and aerc, each with its exported file.
func TestRealClients(t *testing.T) {
	lab := newClientLab(t, "msmtp", "mbsync", "fetchmail", "neomutt", "aerc", "tmux")
	imaps := lab.server(probe.IMAP, probe.TLS, "IMAPS_PORT")
	imap := lab.server(probe.IMAP, probe.StartTLS, "IMAP_PORT")
	pop3 := lab.server(probe.POP3, probe.StartTLS, "POP3_PORT")
	pop3s := lab.server(probe.POP3, probe.TLS, "POP3S_PORT")
	submission := lab.server(probe.SMTP, probe.StartTLS, "SUBMISSION_PORT")
	smtps := lab.server(probe.SMTP, probe.TLS, "SMTPS_PORT")

	subject := randomSubject("msmtp")
	msmtprc := filepath.Join(lab.dir, "msmtprc")
	t.Run("msmtp submission STARTTLS with a CA file", func(t *testing.T) {
		lab.t = t
		lab.send(lab.export("msmtp", lab.input(imaps, submission), "msmtprc"), subject)
	})
	t.Run("msmtp SMTPS with a CA file", func(t *testing.T) {
		lab.t = t
		lab.send(lab.export("msmtp", lab.input(imaps, smtps), "msmtprc-smtps"), randomSubject("smtps"))
	})
	t.Run("msmtp pinned certificate from an unknown CA", func(t *testing.T) {
		lab.t = t
		in := lab.input(imaps, smtps)
		in.Outgoing[0].Host = lab.env["UNTRUSTED_HOST"]
		in.CAFile = ""
		in.Pins = []probe.Pin{mustPin(t, lab.env["UNTRUSTED_SHA256"])}
		rc := lab.export("msmtp", in, "msmtprc-pinned")
		if !strings.Contains(readFile(t, rc), "tls_fingerprint ") {
			t.Fatalf("no tls_fingerprint in %s", readFile(t, rc))
		}
		lab.send(rc, randomSubject("pinned"))
	})
	t.Run("msmtp with a wrong password is refused", func(t *testing.T) {
		// The control: the password really comes from the command.
		lab.t = t
		in := lab.input(imaps, submission)
		in.CredentialCommand = "echo wrong"
		rc := lab.export("msmtp", in, "msmtprc-wrong")
		cmd := lab.command(time.Minute, "msmtp", "-C", rc, "-a", "alice", lab.env["USER"])
		cmd.Stdin = strings.NewReader("Subject: never\r\n\r\nnever\r\n")
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "authentication failed") {
			t.Errorf("msmtp with a wrong password: %v\n%s", err, out)
		}
	})
	for _, tt := range []struct {
		name   string
		server probe.Server
	}{{"mbsync IMAPS", imaps}, {"mbsync IMAP STARTTLS", imap}} {
		t.Run(tt.name, func(t *testing.T) {
			lab.t = t
			lab.mbsyncSyncs(lab.input(tt.server, submission), subject)
		})
	}
	for _, tt := range []struct {
		name   string
		server probe.Server
	}{{"fetchmail POP3 STARTTLS", pop3}, {"fetchmail POP3S", pop3s}, {"fetchmail IMAP STARTTLS", imap}} {
		t.Run(tt.name, func(t *testing.T) {
			lab.t = t
			// A message of its own, unread: fetchmail fetches only new
			// mail over IMAP, and POP3 has marked the rest as read.
			subject := randomSubject("fetchmail")
			lab.send(msmtprc, subject)
			mbox := filepath.Join(lab.dir, "fetched-"+strconv.Itoa(tt.server.Port))
			in := lab.input(tt.server, submission)
			in.MDA = "cat >> " + mbox
			in.Path = filepath.Join(lab.dir, "fetchmailrc-"+strconv.Itoa(tt.server.Port))
			rc := lab.export("fetchmail", in, filepath.Base(in.Path))
			// The very command line the file's comment gives.
			run := FetchmailCommand(rc, lab.cred)
			if !strings.Contains(readFile(t, rc), run) {
				t.Fatalf("the fetchmailrc does not say how to run it:\n%s", readFile(t, rc))
			}
			cmd := lab.command(time.Minute, "sh", "-c", run)
			// Each run remembers on its own which messages it has seen.
			home := filepath.Join(lab.dir, "fetchmail-"+strconv.Itoa(tt.server.Port))
			os.Mkdir(home, 0o700)
			cmd.Env = append(cmd.Env, "FETCHMAILHOME="+home)
			out := lab.run(cmd, "")
			if !strings.Contains(readFileOr(mbox), subject) {
				t.Errorf("fetchmail did not deliver %q:\n%s", subject, out)
			}
			if strings.Contains(string(out), "rror") || strings.Contains(string(out), "mismatch") {
				t.Errorf("fetchmail reports a problem:\n%s", out)
			}
		})
	}
	t.Run("neomutt IMAPS and submission", func(t *testing.T) {
		lab.t = t
		lab.neomuttShows(lab.input(imaps, submission), subject)
	})
	t.Run("neomutt POP3 settings", func(t *testing.T) {
		lab.t = t
		rc := lab.export("neomutt", lab.input(pop3, smtps), "muttrc-pop")
		out := lab.run(lab.command(time.Minute, "neomutt", "-n", "-F", rc, "-Q", "pop_host"), "")
		if !strings.Contains(out, "pop://"+lab.env["SERVER_NAME"]) || strings.Contains(out, "Error") {
			t.Errorf("neomutt -Q pop_host = %s", out)
		}
	})
	t.Run("aerc IMAP STARTTLS and SMTPS", func(t *testing.T) {
		lab.t = t
		lab.aercShows(lab.input(imap, smtps), subject)
	})
}

// mbsyncSyncs exports in for mbsync, into a Maildir of its own, and checks
// that mbsync copies the message with subject there; it returns the file.
func (lab *clientLab) mbsyncSyncs(in Input, subject string) string {
	port := strconv.Itoa(in.Incoming[0].Port)
	in.Maildir = filepath.Join(lab.dir, "Mail-"+port)
	os.MkdirAll(in.Maildir, 0o700)
	rc := lab.export("mbsync", in, "mbsyncrc-"+port)
	lab.run(lab.command(time.Minute, "mbsync", "-c", rc, "alice"), "")
	if !grepTree(filepath.Join(in.Maildir, "INBOX"), subject) {
		lab.t.Errorf("mbsync did not copy %q into %s", subject, in.Maildir)
	}
	return rc
}

// neomuttShows exports in for NeoMutt and checks that it shows the message
// with subject, newest first so that it is on the screen however many the
// mailbox holds; it returns the file.
func (lab *clientLab) neomuttShows(in Input, subject string) string {
	rc := lab.export("neomutt", in, "muttrc")
	screen := lab.screen(subject, nil, "neomutt", "-n", "-F", rc, "-e", "set sort=reverse-date-received")
	if strings.Contains(screen, "Error in") {
		lab.t.Errorf("neomutt reports a configuration error:\n%s", screen)
	}
	return rc
}

// aercShows exports in for aerc and checks that it shows the message with
// subject; it returns the file.
func (lab *clientLab) aercShows(in Input, subject string) string {
	conf := lab.export("aerc", in, "xdg/aerc/accounts.conf")
	screen := lab.screen(subject, []string{"XDG_CONFIG_HOME=" + filepath.Join(lab.dir, "xdg"), "SSL_CERT_FILE=" + lab.env["CA_FILE"]}, "aerc")
	if strings.Contains(screen, "rror") {
		lab.t.Errorf("aerc reports an error:\n%s", screen)
	}
	return conf
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func readFileOr(path string) string {
	data, _ := os.ReadFile(path)
	return string(data)
}

// grepTree reports whether a file under dir contains s.
func grepTree(dir, s string) bool {
	found := false
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, err := os.ReadFile(path); err == nil && bytes.Contains(data, []byte(s)) {
				found = true
			}
		}
		return nil
	})
	return found
}
