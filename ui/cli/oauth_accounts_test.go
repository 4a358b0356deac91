package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/signin/signintest"
	"github.com/postino/postino/wizard/store"
	"github.com/postino/postino/wizard/store/storetest"
)

const oauthUser = "alice@oauth.test"

// oauthAccountEnv is a configuration directory, a keyring, an
// authorization server and an IMAPS server taking bearer tokens. It
// remembers every output and every token seen, and when the test ends no
// output but token's stdout, and no file, may hold a token.
type oauthAccountEnv struct {
	srv       *signintest.Server
	url, pin  string
	received  func() []string
	providers string
	config    string
	keyring   *storetest.Keyring

	mu      sync.Mutex
	outputs []string
	tokens  []string // access tokens printed by token
	refresh []string // refresh tokens seen in the keyring
}

func newOAuthAccountEnv(t *testing.T) *oauthAccountEnv {
	t.Helper()
	o := &oauthAccountEnv{srv: signintest.New(t, signintest.Options{}), config: t.TempDir(), keyring: storetest.NewKeyring(store.ErrNoPassword)}
	o.url, o.pin, o.received = startOAuthIMAPS(t)
	o.providers = oauthProviders(t, o.srv, signintest.PublicClient, o.url)
	t.Cleanup(func() { o.noTokenLeft(t) })
	return o
}

// run runs postino, approving any device sign-in.
func (o *oauthAccountEnv) run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	e := &env{
		ctx: context.Background(), stdin: strings.NewReader(""), signinClient: o.srv.Client, keyring: o.keyring,
		getenv: func(k string) string { return map[string]string{"XDG_CONFIG_HOME": o.config}[k] },
	}
	code, stdout, stderr := runSigningIn(t, e, o.srv.Approve, args...)
	o.mu.Lock()
	defer o.mu.Unlock()
	if args[0] == "token" && code == 0 {
		o.tokens = append(o.tokens, strings.TrimSuffix(stdout, "\n"))
		stdout = ""
	}
	o.outputs = append(o.outputs, stdout, stderr)
	if tok := o.refreshToken(); tok != "" {
		o.refresh = append(o.refresh, tok)
	}
	return code, stdout, stderr
}

func (o *oauthAccountEnv) refreshToken() string {
	tok, _ := o.keyring.Get(store.RefreshKey(oauthUser))
	return tok
}

// noTokenLeft searches every output and every file of the configuration
// directory for every token seen.
func (o *oauthAccountEnv) noTokenLeft(t *testing.T) {
	t.Helper()
	secrets := append(append(append([]string{}, o.tokens...), o.refresh...), o.received()...)
	var files []string
	filepath.WalkDir(o.config, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(path)
			files = append(files, string(data))
		}
		return nil
	})
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, out := range o.outputs {
			if probe.Repeats(out, s) {
				t.Errorf("an output holds a token:\n%s", out)
			}
		}
		for _, f := range files {
			if probe.Repeats(f, s) {
				t.Errorf("a file holds a token:\n%s", f)
			}
		}
	}
}

// save signs in and saves alice's account.
func (o *oauthAccountEnv) save(t *testing.T) {
	t.Helper()
	code, stdout, stderr := o.run(t, "test", oauthUser, "--incoming", o.url, "--pin", o.pin, "--providers", o.providers, "--no-browser", "--save")
	want := "Saved alice@oauth.test; its sign-in is in the keyring (service postino, user oauth2:alice@oauth.test)"
	if code != 0 || !strings.Contains(stdout, "logged in as alice@oauth.test") || !strings.Contains(stderr, want) {
		t.Fatalf("test --save = %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
}

// TestOAuth2AccountLifecycle: test --save signs in and keeps the sign-in;
// then with no providers file, token refreshes (rotating the refresh
// token), test NAME logs in without a prompt, show and list say a refresh
// token is stored, and remove deletes it.
func TestOAuth2AccountLifecycle(t *testing.T) {
	o := newOAuthAccountEnv(t)
	o.save(t)
	first := o.refreshToken()
	if first == "" || !o.srv.RefreshValid(first) {
		t.Fatalf("the keyring holds no valid refresh token: %v", o.keyring.Passwords)
	}
	data, _ := os.ReadFile(filepath.Join(o.config, "postino", "accounts.yaml"))
	for _, want := range []string{"\nversion: 3\n", "    oauth2:\n", "client_id: " + signintest.PublicClient, "token_url: https://127.0.0.1:", "auth: oauth2"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("accounts.yaml lacks %q:\n%s", want, data)
		}
	}

	code, _, stderr := o.run(t, "token", oauthUser)
	if code != 0 || stderr != "" || len(o.tokens) != 1 || o.tokens[0] == "" || strings.ContainsAny(o.tokens[0], " \n") {
		t.Fatalf("token = %d, %q\nstderr: %s", code, o.tokens, stderr)
	}
	second := o.refreshToken()
	if second == first || o.srv.RefreshValid(first) || !o.srv.RefreshValid(second) {
		t.Errorf("the rotated refresh token was not stored")
	}

	before := len(o.received())
	code, stdout, stderr := o.run(t, "test", oauthUser)
	if code != 0 || !strings.Contains(stdout, "logged in as alice@oauth.test") || strings.Contains(stderr, "sign in") || len(o.received()) != before+1 {
		t.Errorf("test NAME = %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}

	code, stdout, _ = o.run(t, "show", oauthUser)
	if code != 0 || !regexp.MustCompile(`\n  refresh token +in the keyring \(service postino, user oauth2:alice@oauth.test\)\n`).MatchString(stdout) || strings.Contains(stdout, "  password ") {
		t.Errorf("show = %d\n%s", code, stdout)
	}
	code, stdout, _ = o.run(t, "list", "--json")
	if code != 0 || !strings.Contains(stdout, `"refresh_token_stored": true`) || !strings.Contains(stdout, `"client_id": "postino-public"`) || strings.Contains(stdout, "secret") {
		t.Errorf("list --json = %d\n%s", code, stdout)
	}
	code, stdout, _ = o.run(t, "list")
	if code != 0 || !strings.Contains(stdout, "signed in, refresh token in the keyring") {
		t.Errorf("list = %d\n%s", code, stdout)
	}

	code, _, stderr = o.run(t, "remove", oauthUser)
	if code != 0 || stderr != "Removed alice@oauth.test and its sign-in from the keyring.\n" || o.keyring.Count() != 0 {
		t.Errorf("remove = %d, %d keyring entries left\nstderr: %s", code, o.keyring.Count(), stderr)
	}
	if code, _, _ = o.run(t, "token", oauthUser); code != 1 {
		t.Errorf("token after remove = %d", code)
	}
}

// TestOAuth2ConcurrentTokens: two token commands at once, with rotation,
// both get a token and the refresh token they leave is the valid one.
func TestOAuth2ConcurrentTokens(t *testing.T) {
	o := newOAuthAccountEnv(t)
	o.save(t)
	var wg sync.WaitGroup
	codes := make([]int, 4)
	for i := range codes {
		wg.Go(func() { codes[i], _, _ = o.run(t, "token", oauthUser) })
	}
	wg.Wait()
	for i, code := range codes {
		if code != 0 {
			t.Errorf("token %d = %d", i, code)
		}
	}
	if len(o.tokens) != len(codes) || o.tokens[0] == o.tokens[1] {
		t.Errorf("tokens printed: %d", len(o.tokens))
	}
	if !o.srv.RefreshValid(o.refreshToken()) {
		t.Error("the stored refresh token is no longer valid: a rotation was lost")
	}
	if code, _, stderr := o.run(t, "token", oauthUser); code != 0 {
		t.Errorf("token after the concurrent ones = %d: %s", code, stderr)
	}
}

// TestOAuth2Revoked: a revoked refresh token says to sign in again, in
// either language; login signs in again and token works after it.
func TestOAuth2Revoked(t *testing.T) {
	o := newOAuthAccountEnv(t)
	o.save(t)
	if err := o.srv.Revoke(context.Background(), false, o.refreshToken()); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := o.run(t, "token", oauthUser)
	if code != 1 || stdout != "" || !strings.Contains(stderr, "sign in again: postino login alice@oauth.test") {
		t.Errorf("token, revoked = %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	code, _, stderr = o.run(t, "token", oauthUser, "--lang", "it")
	if code != 1 || !strings.Contains(stderr, "accedi di nuovo: postino login alice@oauth.test") {
		t.Errorf("token --lang it, revoked = %d\nstderr: %s", code, stderr)
	}
	code, stdout, stderr = o.run(t, "test", oauthUser)
	if code != 1 || !strings.Contains(stderr, "postino login alice@oauth.test") {
		t.Errorf("test NAME, revoked = %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	code, stdout, stderr = o.run(t, "login", oauthUser, "--no-browser")
	if code != 0 || stdout != "" || !strings.Contains(stderr, "enter the code") || !strings.Contains(stderr, "Signed in to alice@oauth.test again") {
		t.Fatalf("login = %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if !o.srv.RefreshValid(o.refreshToken()) {
		t.Error("login stored no valid refresh token")
	}
	if code, _, stderr := o.run(t, "token", oauthUser); code != 0 {
		t.Errorf("token after login = %d: %s", code, stderr)
	}
}

// TestTokenRefusals: token and login want a saved account that signs in
// with OAuth2.
func TestTokenRefusals(t *testing.T) {
	a := newAccountsEnv(t)
	if code, _, stderr := a.run(t, "", "token"); code != 2 || !strings.Contains(stderr, "postino token needs the name") {
		t.Errorf("token = %d: %s", code, stderr)
	}
	if code, _, stderr := a.run(t, "", "token", "nobody"); code != 1 || !strings.Contains(stderr, "No saved account") {
		t.Errorf("token nobody = %d: %s", code, stderr)
	}
	if _, err := (&store.Store{Dir: filepath.Join(a.config, "postino"), Keyring: a.keyring}).Save(store.Account{Address: unitUser}, unitPassword); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"token", "login"} {
		if code, stdout, stderr := a.run(t, "", cmd, unitUser); code != 1 || stdout != "" || !strings.Contains(stderr, "does not sign in with OAuth2") {
			t.Errorf("%s of a password account = %d: %s", cmd, code, stderr)
		}
	}
}

// TestOAuth2Report: the report of a saved OAuth2 account logs in with a
// token refreshed from the stored sign-in, with no prompt; once the
// refresh token is revoked it still reports, says on stderr to sign in
// again, and that the login was not tested.
func TestOAuth2Report(t *testing.T) {
	o := newOAuthAccountEnv(t)
	o.save(t)
	code, report, stderr := o.run(t, "report", oauthUser)
	for _, w := range []string{"### ✓ incoming IMAP", "works: logged in as " + oauthUser, "| OAuth2 |", "**All settings work.**"} {
		if code != 0 || !strings.Contains(report, w) {
			t.Errorf("report = %d, lacks %q\nstdout: %s\nstderr: %s", code, w, report, stderr)
		}
	}
	if err := o.srv.Revoke(context.Background(), false, o.refreshToken()); err != nil {
		t.Fatal(err)
	}
	code, report, stderr = o.run(t, "report", oauthUser)
	if code != 0 || !strings.Contains(stderr, "postino login "+oauthUser) ||
		!strings.Contains(report, "**The connection and TLS work; the login was not tested.**") || strings.Contains(report, "logged in as") {
		t.Errorf("report, revoked = %d\nstdout: %s\nstderr: %s", code, report, stderr)
	}
}
