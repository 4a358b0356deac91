package cli

import (
	"context"
	"crypto/x509"
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
	"github.com/postino/postino/wizard/signin/signintest"
	"github.com/postino/postino/wizard/store"
	"github.com/postino/postino/wizard/store/storetest"
)

// realOAuthEnv is oauthAccountEnv with the real servers: Dovecot and
// Postfix take the tokens of an authorization server on their
// OAUTH_PORT, which Dovecot asks about each token.
func realOAuthEnv(t *testing.T) (*oauthAccountEnv, map[string]string) {
	t.Helper()
	env := probetest.RealServers(t)
	o := &oauthAccountEnv{
		srv:    signintest.ForRealServers(t, env, signintest.Options{}),
		config: t.TempDir(), keyring: storetest.NewKeyring(store.ErrNoPassword),
		received: func() []string { return nil },
	}
	cfg := o.srv.Config(false)
	good := env["GOOD_HOST"]
	o.providers = filepath.Join(t.TempDir(), "oauth.yaml")
	os.WriteFile(o.providers, []byte("providers:\n  - id: oauth\n    name: OAuth Mail\n    domains: [oauth.test]\n"+
		"    incoming: [\"imaps://"+good+":"+env["IMAPS_PORT"]+"\"]\n"+
		"    outgoing: [\"smtp://"+good+":"+env["SUBMISSION_PORT"]+"\"]\n"+
		"    auth: oauth2\n    oauth2:\n      client_id: "+signintest.PublicClient+"\n"+
		"      device_authorization_url: "+cfg.DeviceAuthorizationURL+"\n      token_url: "+cfg.TokenURL+"\n"+
		"      scopes: [offline_access, mail]\n"), 0o600)
	t.Cleanup(func() { o.noTokenLeft(t) })
	return o, env
}

// loginWithToken logs in to the real IMAPS and submission servers as
// OAUTH_USER with tok and returns the two results.
func loginWithToken(t *testing.T, env map[string]string, tok string) []probe.Result {
	t.Helper()
	pem, err := os.ReadFile(env["CA_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	var results []probe.Result
	for _, key := range []string{"IMAPS_PORT", "SUBMISSION_PORT"} {
		scheme := map[string]string{"IMAPS_PORT": "imaps", "SUBMISSION_PORT": "smtp"}[key]
		s, err := probe.ParseURL(scheme + "://" + env["GOOD_HOST"] + ":" + env[key])
		if err != nil {
			t.Fatal(err)
		}
		s.Username, s.Auth = env["OAUTH_USER"], probe.AuthOAuth2
		results = append(results, probe.Test(context.Background(), s, &probe.Options{AccessToken: tok, RootCAs: roots}))
	}
	return results
}

// TestRealServersOAuth2: postino test signs in by the device flow and
// logs in with the token to the real Dovecot (IMAP) and Postfix
// (submission), which check it at the authorization server; the saved
// account's token, also after refreshes, logs in, and a made-up one does
// not; the exported msmtprc sends with a token.
func TestRealServersOAuth2(t *testing.T) {
	o, env := realOAuthEnv(t)
	code, stdout, stderr := o.run(t, "test", oauthUser, "--providers", o.providers, "--ca-file", env["CA_FILE"], "--no-browser", "--save", "--json")
	var got testJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != 0 || !got.OK || len(got.Results) != 2 {
		t.Fatalf("test = %d (%v)\nstdout: %s\nstderr: %s", code, err, stdout, stderr)
	}
	for i, want := range []struct{ role, protocol string }{{"incoming", "imap"}, {"outgoing", "smtp"}} {
		r := got.Results[i]
		if !r.OK || r.Code != "ok" || r.Role != want.role || r.Server.Protocol != want.protocol {
			t.Errorf("result %d: %+v, want %s %s ok", i, r, want.role, want.protocol)
		}
	}

	for i := range 3 {
		code, _, stderr := o.run(t, "token", oauthUser)
		if code != 0 || len(o.tokens) != i+1 {
			t.Fatalf("token %d = %d\nstderr: %s", i, code, stderr)
		}
		for _, r := range loginWithToken(t, env, o.tokens[i]) {
			if !r.OK {
				t.Errorf("token %d: %s: %s %s", i, r.Server, r.Code, r.Message)
			}
		}
	}
	if o.tokens[0] == o.tokens[1] || o.tokens[1] == o.tokens[2] {
		t.Errorf("token did not refresh: %q", o.tokens)
	}
	for _, r := range loginWithToken(t, env, "made-up-"+strconv.Itoa(len(o.tokens))) {
		if r.OK || r.Code != probe.CodeOAuthTokenRejected {
			t.Errorf("a made-up token: %s: %s, want oauth_token_rejected", r.Server, r.Code)
		}
	}
	if strings.Contains(stdout+stderr, o.tokens[0]) {
		t.Error("test printed a token")
	}

	// The exported msmtprc signs in with a token from its token command
	// (here a script printing one from postino token) and sends a message
	// through Postfix that Dovecot delivers.
	if _, err := exec.LookPath("msmtp"); err != nil {
		noProgram(t, "msmtp")
	}
	if code, _, stderr := o.run(t, "token", oauthUser); code != 0 {
		t.Fatalf("token = %d\nstderr: %s", code, stderr)
	}
	dir := t.TempDir()
	tokenCmd := filepath.Join(dir, "token.sh")
	os.WriteFile(tokenCmd, []byte("#!/bin/sh\nprintf '%s\\n' '"+o.tokens[len(o.tokens)-1]+"'\n"), 0o700)
	rc := filepath.Join(dir, "msmtprc")
	if code, _, stderr := o.run(t, "export", oauthUser, "--format", "msmtp", "-o", rc, "--ca-file", env["CA_FILE"], "--token-command", tokenCmd); code != 0 {
		t.Fatalf("export = %d\nstderr: %s", code, stderr)
	}
	if data := readFile(t, rc); !strings.Contains(data, "auth oauthbearer") && !strings.Contains(data, "auth xoauth2") {
		t.Fatalf("the msmtprc does not sign in with OAuth2:\n%s", data)
	}
	subject := "postino oauth2 msmtp " + strconv.FormatInt(time.Now().UnixNano(), 36)
	msmtpDelivers(t, rc, dir, env, subject, "To: "+env["USER"]+"\r\nSubject: "+subject+"\r\n\r\nSent with postino's msmtprc and an OAuth2 token.\r\n")
}
