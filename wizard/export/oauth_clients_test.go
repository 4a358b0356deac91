package export

import (
	"bufio"
	"context"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/signin"
	"github.com/postino/postino/wizard/signin/signintest"
)

// oauthLab is a clientLab for OAUTH_USER, who signs in with bearer tokens
// that the real Dovecot checks at an in-process authorization server.
type oauthLab struct {
	*clientLab
	tok      signin.Token
	tokenCmd string
	maildir  string // OAUTH_USER's mailbox, as Dovecot stores it
}

func newOAuthLab(t *testing.T, programs ...string) *oauthLab {
	lab := &oauthLab{clientLab: newClientLab(t, programs...)}
	srv := signintest.ForRealServers(t, lab.env, signintest.Options{})
	cfg := srv.Config(false)
	cfg.PollUnit = 10 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tok, err := signin.Device(ctx, cfg, srv.Client, func(p signin.DevicePrompt) {
		if err := srv.Approve(p.UserCode); err != nil {
			t.Error(err)
		}
	})
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("signin.Device() = %v, %v", tok, err)
	}
	lab.tok = tok
	// The token command prints the access token, as postino token would.
	// It lives outside the lab's directory, which is searched for tokens.
	tokDir := t.TempDir()
	os.Chmod(tokDir, 0o755)
	lab.tokenCmd = filepath.Join(tokDir, "token.sh")
	if err := os.WriteFile(lab.tokenCmd, []byte("#!/bin/sh\nprintf '%s\\n' "+shellQuote(tok.AccessToken)+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	lab.maildir = filepath.Join(filepath.Dir(lab.env["CA_FILE"]), "mail", lab.env["OAUTH_USER"], "Maildir")
	t.Cleanup(lab.checkNoToken)
	return lab
}

// checkNoToken searches the exports, what the programs printed and showed,
// and every file they wrote for the tokens.
func (lab *oauthLab) checkNoToken() {
	secrets := map[string]string{"access token": lab.tok.AccessToken, "refresh token": lab.tok.RefreshToken}
	for what, secret := range secrets {
		for _, out := range lab.outputs {
			if probe.Repeats(out, secret) {
				lab.t.Errorf("the %s appears in an export or a program's output:\n%s", what, out)
			}
		}
	}
	filepath.WalkDir(lab.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		for what, secret := range secrets {
			if probe.Repeats(string(data), secret) {
				lab.t.Errorf("the %s appears in %s", what, path)
			}
		}
		return nil
	})
}

// oauthServer is a server of the test set-up for OAUTH_USER with OAuth2.
func (lab *oauthLab) oauthServer(p probe.Protocol, sec probe.Security, portKey string) probe.Server {
	s := lab.server(p, sec, portKey)
	s.Username, s.Auth = lab.env["OAUTH_USER"], probe.AuthOAuth2
	return s
}

func (lab *oauthLab) oauthInput(incoming, outgoing probe.Server) Input {
	in := lab.input(incoming, outgoing)
	in.Address, in.CredentialCommand, in.TokenCommand = lab.env["OAUTH_USER"], "", lab.tokenCmd
	return in
}

// deliver hands a message for OAUTH_USER to Dovecot's LMTP socket (Postfix
// delivers only example.test) and waits until it is in the mailbox.
func (lab *oauthLab) deliver(subject string) {
	lab.t.Helper()
	sock := filepath.Join(filepath.Dir(lab.env["CA_FILE"]), "dovecot", "lmtp")
	conn, err := net.DialTimeout("unix", sock, 10*time.Second)
	if err != nil {
		lab.t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	r := bufio.NewReader(conn)
	// expect reads one reply, however many lines, and checks its code.
	expect := func(code string) {
		for {
			line, err := r.ReadString('\n')
			if err != nil || !strings.HasPrefix(line, code) {
				lab.t.Fatalf("LMTP: %q, %v; want %s", line, err, code)
			}
			if len(line) < 4 || line[3] != '-' {
				return
			}
		}
	}
	to := lab.env["OAUTH_USER"]
	expect("220")
	for _, step := range []struct{ send, code string }{
		{"LHLO postino.test", "250"},
		{"MAIL FROM:<" + lab.env["USER"] + ">", "250"},
		{"RCPT TO:<" + to + ">", "250"},
		{"DATA", "354"},
		{"From: " + lab.env["USER"] + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n\r\nFor the OAuth2 exports.\r\n.", "250"},
		{"QUIT", "221"},
	} {
		if _, err := conn.Write([]byte(step.send + "\r\n")); err != nil {
			lab.t.Fatal(err)
		}
		expect(step.code)
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		for _, sub := range []string{"new", "cur"} {
			files, _ := filepath.Glob(filepath.Join(lab.maildir, sub, "*"))
			for _, f := range files {
				if data, err := os.ReadFile(f); err == nil && strings.Contains(string(data), subject) {
					return
				}
			}
		}
	}
	lab.t.Fatalf("no message %q arrived in %s", subject, lab.maildir)
}

// TestRealClientsOAuth2 reads a message of OAUTH_USER with mbsync,
// NeoMutt and aerc, each with its exported OAuth2 file, whose token
// command gives a bearer token that Dovecot checks at the authorization
// server.
func TestRealClientsOAuth2(t *testing.T) {
	lab := newOAuthLab(t, "mbsync", "neomutt", "aerc", "tmux")
	imaps := lab.oauthServer(probe.IMAP, probe.TLS, "IMAPS_PORT")
	imap := lab.oauthServer(probe.IMAP, probe.StartTLS, "IMAP_PORT")
	submission := lab.oauthServer(probe.SMTP, probe.StartTLS, "SUBMISSION_PORT")
	subject := randomSubject("oauth2")
	lab.deliver(subject)

	for _, tt := range []struct {
		name   string
		server probe.Server
	}{{"mbsync IMAPS XOAUTH2", imaps}, {"mbsync IMAP STARTTLS XOAUTH2", imap}} {
		t.Run(tt.name, func(t *testing.T) {
			lab.t = t
			rc := lab.mbsyncSyncs(lab.oauthInput(tt.server, submission), subject)
			if data := readFile(t, rc); !strings.Contains(data, "AuthMechs XOAUTH2") || !strings.Contains(data, lab.tokenCmd) {
				t.Errorf("the mbsyncrc does not sign in with XOAUTH2 and the token command:\n%s", data)
			}
		})
	}
	t.Run("mbsync with a made-up token is refused", func(t *testing.T) {
		// The control: the token really comes from the command, and
		// Dovecot really checks it. mbsync 1.4.4 reports the refusal
		// (Dovecot's error challenge, which it takes for "more steps")
		// but then waits instead of exiting: the short limit ends it.
		lab.t = t
		in := lab.oauthInput(imaps, submission)
		in.TokenCommand = "echo made-up-token"
		in.Maildir = filepath.Join(lab.dir, "Mail-made-up")
		os.MkdirAll(in.Maildir, 0o700)
		rc := lab.export("mbsync", in, "mbsyncrc-made-up")
		out, err := lab.command(10*time.Second, "mbsync", "-c", rc, "alice").CombinedOutput()
		lab.outputs = append(lab.outputs, string(out))
		if err == nil || !strings.Contains(string(out), "IMAP wants more steps despite successful SASL authentication") || grepTree(in.Maildir, subject) {
			t.Errorf("mbsync with a made-up token: %v\n%s", err, out)
		}
	})
	t.Run("neomutt IMAPS OAuth2", func(t *testing.T) {
		lab.t = t
		rc := lab.neomuttShows(lab.oauthInput(imaps, submission), subject)
		if data := readFile(t, rc); !strings.Contains(data, "imap_oauth_refresh_command") || !strings.Contains(data, "imap_authenticators") {
			t.Errorf("the muttrc does not sign in with OAuth2:\n%s", data)
		}
	})
	t.Run("aerc IMAPS OAuth2", func(t *testing.T) {
		lab.t = t
		conf := lab.aercShows(lab.oauthInput(imaps, submission), subject)
		if data := readFile(t, conf); !strings.Contains(data, "imaps+oauthbearer://") && !strings.Contains(data, "imaps+xoauth2://") {
			t.Errorf("the accounts.conf does not sign in with OAuth2:\n%s", data)
		}
	})
}
