package cli

import (
	"bufio"
	"context"
	"encoding/base64"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/signin/signintest"
)

// startOAuthIMAPS is an IMAPS server that takes any bearer token by
// OAUTHBEARER and keeps the tokens it was given.
func startOAuthIMAPS(t *testing.T) (url, pin string, tokens func() []string) {
	t.Helper()
	var mu sync.Mutex
	var got []string
	url, pin = serveIMAPS(t, "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=OAUTHBEARER] ready", func(tag, command string) string {
		fields := strings.Fields(command)
		if len(fields) != 3 || fields[0] != "AUTHENTICATE" || fields[1] != "OAUTHBEARER" {
			return ""
		}
		b, _ := base64.StdEncoding.DecodeString(fields[2])
		_, tok, _ := strings.Cut(string(b), "auth=Bearer ")
		tok, _, _ = strings.Cut(tok, "\x01")
		mu.Lock()
		got = append(got, tok)
		mu.Unlock()
		return tag + " OK signed in"
	})
	return url, pin, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string{}, got...)
	}
}

// signInEnv runs postino test for alice@oauth.test, whose provider signs
// in at srv, answering the device sign-in as decide says once postino
// shows its code.
func signInEnv(t *testing.T, srv *signintest.Server, clientID string, decide func(code string) error, extra ...string) (exit int, stdout, stderr string, tokens []string) {
	t.Helper()
	url, pin, received := startOAuthIMAPS(t)
	providers := oauthProviders(t, srv, clientID, url)
	config := t.TempDir()
	e := &env{
		ctx: context.Background(), stdin: strings.NewReader(""), signinClient: srv.Client,
		getenv: func(k string) string { return map[string]string{"XDG_CONFIG_HOME": config}[k] },
	}
	args := append([]string{"test", "alice@oauth.test", "--incoming", url, "--pin", pin, "--providers", providers, "--no-browser"}, extra...)
	exit, stdout, stderr = runSigningIn(t, e, decide, args...)
	return exit, stdout, stderr, received()
}

// oauthProviders is a providers file whose provider for oauth.test signs
// in at srv as clientID ("" for none), with its IMAP server at url.
func oauthProviders(t *testing.T, srv *signintest.Server, clientID, url string) string {
	t.Helper()
	cfg := srv.Config(false)
	providers := filepath.Join(t.TempDir(), "oauth.yaml")
	client := ""
	if clientID != "" {
		client = "      client_id: " + clientID + "\n"
	}
	os.WriteFile(providers, []byte("providers:\n  - id: oauth\n    name: OAuth Mail\n    domains: [oauth.test]\n"+
		"    incoming: [\""+url+"\"]\n    outgoing: [\"smtps://127.0.0.1:1\"]\n    auth: oauth2\n    oauth2:\n"+client+
		"      device_authorization_url: "+cfg.DeviceAuthorizationURL+"\n      token_url: "+cfg.TokenURL+"\n"+
		"      scopes: [offline_access, mail]\n"), 0o600)
	return providers
}

// runSigningIn runs postino with e, whose stdout and stderr it sets,
// answering a device sign-in as decide says once postino shows its code.
func runSigningIn(t *testing.T, e *env, decide func(code string) error, args ...string) (exit int, stdout, stderr string) {
	t.Helper()
	var out, errs strings.Builder
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		code := regexp.MustCompile(`enter the code ([A-Z0-9-]+)\.`)
		lines := bufio.NewScanner(pr)
		for lines.Scan() {
			errs.WriteString(lines.Text() + "\n")
			if m := code.FindStringSubmatch(lines.Text()); m != nil {
				if err := decide(m[1]); err != nil {
					t.Errorf("deciding the sign-in: %v", err)
				}
			}
		}
	}()
	e.stdout, e.stderr = &out, pw
	exit = e.run(args)
	pw.Close()
	<-done
	return exit, out.String(), errs.String()
}

// TestSignInDeviceFlow: for a provider whose auth is oauth2, postino test
// signs in by the device flow against a real authorization server, shows
// the code on stderr, and logs in with the token, which no output carries.
func TestSignInDeviceFlow(t *testing.T) {
	srv := signintest.New(t, signintest.Options{})
	code, stdout, stderr, tokens := signInEnv(t, srv, signintest.PublicClient, srv.Approve, "--debug")
	if code != 0 || !strings.Contains(stdout, "logged in as alice@oauth.test") || !strings.Contains(stderr, "To sign in to OAuth Mail, open https://") {
		t.Fatalf("test = %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if len(tokens) != 1 || tokens[0] == "" {
		t.Fatalf("the server got the tokens %q, want one", tokens)
	}
	if probe.Repeats(stdout+stderr, tokens[0]) {
		t.Errorf("an output carries the access token:\n%s%s", stdout, stderr)
	}
}

// TestSignInRefusals: denied consent, and a provider with no client ID,
// each say so in one sentence and test nothing.
func TestSignInRefusals(t *testing.T) {
	srv := signintest.New(t, signintest.Options{})
	code, stdout, stderr, tokens := signInEnv(t, srv, signintest.PublicClient, srv.Deny)
	if code != 1 || stdout != "" || len(tokens) != 0 || !strings.Contains(stderr, "Sign-in to OAuth Mail was denied") {
		t.Errorf("denied: %d, %d logins\nstdout: %s\nstderr: %s", code, len(tokens), stdout, stderr)
	}
	code, stdout, stderr, tokens = signInEnv(t, srv, "", srv.Approve)
	if code != 1 || stdout != "" || len(tokens) != 0 || !strings.Contains(stderr, "postino has no client ID for it") || !strings.Contains(stderr, "client_id") {
		t.Errorf("no client ID: %d, %d logins\nstdout: %s\nstderr: %s", code, len(tokens), stdout, stderr)
	}
}
