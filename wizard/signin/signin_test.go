package signin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/signin"
	"github.com/postino/postino/wizard/signin/signintest"
)

// unit is a second of the device flow's poll interval in these tests.
const unit = 10 * time.Millisecond

// serverLog holds what the authorization server logs (through slog), to
// be searched for tokens.
var serverLog lockedBuffer

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(&serverLog, &slog.HandlerOptions{Level: slog.LevelDebug})))
	os.Exit(m.Run())
}

func config(srv *signintest.Server, confidential bool) signin.Config {
	cfg := srv.Config(confidential)
	cfg.PollUnit = unit
	return cfg
}

func timeout(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// noSecrets fails if any text, or the server's log, holds one of the
// secrets in any form.
func noSecrets(t *testing.T, texts []string, secrets ...string) {
	t.Helper()
	texts = append(texts, serverLog.String())
	for _, s := range secrets {
		for _, text := range texts {
			if probe.Repeats(text, s) {
				t.Errorf("a secret shows in %q", text)
			}
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// afterPolls runs f once the server has seen n polls.
func afterPolls(srv *signintest.Server, n int, f func()) {
	go func() {
		for len(srv.Polls()) < n {
			time.Sleep(unit / 2)
		}
		f()
	}()
}

// deviceToken signs in with the device flow, approved at once.
func deviceToken(t *testing.T, srv *signintest.Server, confidential bool) signin.Token {
	t.Helper()
	tok, err := signin.Device(timeout(t), config(srv, confidential), srv.Client, func(p signin.DevicePrompt) {
		if err := srv.Approve(p.UserCode); err != nil {
			t.Error(err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func checkToken(t *testing.T, tok signin.Token) {
	t.Helper()
	if tok.AccessToken == "" || tok.RefreshToken == "" {
		t.Fatalf("token = %v; want an access and a refresh token", tok)
	}
	if d := time.Until(tok.Expiry); d < 50*time.Minute || d > time.Hour {
		t.Errorf("expiry in %v; want about an hour", d)
	}
}

func TestDeviceApproved(t *testing.T) {
	for _, confidential := range []bool{false, true} {
		t.Run(fmt.Sprint("confidential=", confidential), func(t *testing.T) {
			srv := signintest.New(t, signintest.Options{})
			var prompt signin.DevicePrompt
			tok, err := signin.Device(timeout(t), config(srv, confidential), srv.Client, func(p signin.DevicePrompt) {
				prompt = p
				// Approved after a few authorization_pending answers.
				afterPolls(srv, 3, func() { srv.Approve(p.UserCode) })
			})
			if err != nil {
				t.Fatal(err)
			}
			checkToken(t, tok)
			if !strings.HasPrefix(prompt.VerificationURI, srv.URL+"/") || prompt.UserCode == "" ||
				!strings.Contains(prompt.VerificationURIComplete, url.QueryEscape(prompt.UserCode)) {
				t.Errorf("prompt = %+v", prompt)
			}
			if d := time.Until(prompt.ExpiresAt); d < 4*time.Minute || d > 5*time.Minute {
				t.Errorf("the code expires in %v; the server said 5 minutes", d)
			}
			if n := len(srv.Polls()); n < 3 {
				t.Errorf("%d polls; want at least 3", n)
			}
			noSecrets(t, []string{fmt.Sprint(tok), fmt.Sprintf("%#v %+v %s", tok, tok, tok)}, tok.AccessToken, tok.RefreshToken)
		})
	}
}

func TestDeviceDenied(t *testing.T) {
	srv := signintest.New(t, signintest.Options{})
	_, err := signin.Device(timeout(t), config(srv, false), srv.Client, func(p signin.DevicePrompt) {
		afterPolls(srv, 2, func() { srv.Deny(p.UserCode) })
	})
	if !errors.Is(err, signin.ErrDenied) {
		t.Fatalf("err = %v; want ErrDenied", err)
	}
}

func TestDeviceExpired(t *testing.T) {
	t.Run("server says expired_token", func(t *testing.T) {
		srv := signintest.New(t, signintest.Options{})
		srv.ExpireDeviceCodes()
		_, err := signin.Device(timeout(t), config(srv, false), srv.Client, func(signin.DevicePrompt) {})
		if !errors.Is(err, signin.ErrExpired) {
			t.Fatalf("err = %v; want ErrExpired", err)
		}
	})
	t.Run("the code's lifetime passes", func(t *testing.T) {
		srv := signintest.New(t, signintest.Options{DeviceLifetime: time.Second})
		srv.KeepDeviceCodes()
		start := time.Now()
		_, err := signin.Device(timeout(t), config(srv, false), srv.Client, func(signin.DevicePrompt) {})
		if !errors.Is(err, signin.ErrExpired) {
			t.Fatalf("err = %v; want ErrExpired", err)
		}
		if d := time.Since(start); d < time.Second || d > 3*time.Second {
			t.Errorf("gave up after %v; the code lived 1s", d)
		}
	})
}

func TestDeviceSlowDown(t *testing.T) {
	srv := signintest.New(t, signintest.Options{})
	srv.SlowDown(1)
	deviceToken(t, srv, false)
	polls := srv.Polls()
	if len(polls) != 2 {
		t.Fatalf("%d polls; want 2 (slow_down, then approved)", len(polls))
	}
	// The server's interval is 1; slow_down makes it 1+5.
	if gap := polls[1].Sub(polls[0]); gap < 6*unit {
		t.Errorf("polled again after %v; slow_down asks for %v", gap, 6*unit)
	}
}

func TestDeviceCancelled(t *testing.T) {
	srv := signintest.New(t, signintest.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	_, err := signin.Device(ctx, config(srv, false), srv.Client, func(signin.DevicePrompt) {
		afterPolls(srv, 2, cancel)
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
}

func TestBrowser(t *testing.T) {
	for _, tc := range []struct {
		confidential bool
		lang         probe.Lang
		page         string
	}{
		{false, probe.English, "You are signed in"},
		{true, probe.Italian, "Accesso eseguito"},
	} {
		t.Run(fmt.Sprint("confidential=", tc.confidential), func(t *testing.T) {
			srv := signintest.New(t, signintest.Options{})
			ctx := timeout(t)
			open, pages := srv.Browser(ctx)
			var shown string
			tok, err := signin.Browser(ctx, config(srv, tc.confidential), srv.Client, tc.lang, open, func(u string) { shown = u })
			if err != nil {
				t.Fatal(err)
			}
			checkToken(t, tok)
			page := <-pages
			if page.Err != nil || page.Status != 200 || !strings.Contains(page.Text, tc.page) {
				t.Errorf("page = %+v; want %q", page, tc.page)
			}
			u, err := url.Parse(shown)
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			redirect, _ := url.Parse(q.Get("redirect_uri"))
			if q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 || len(q.Get("state")) < 43 ||
				redirect.Scheme != "http" || redirect.Hostname() != "127.0.0.1" || redirect.Path != "/" ||
				q.Get("scope") != strings.Join(signintest.Scopes, " ") {
				t.Errorf("authorization URL %s", shown)
			}
			noSecrets(t, []string{page.Text}, tok.AccessToken, tok.RefreshToken)
		})
	}
}

// The person's browser comes back with another sign-in's state: the page
// says so, the code is not used, and the right redirect still works. An
// open that fails leaves the URL shown.
func TestBrowserStateMismatch(t *testing.T) {
	srv := signintest.New(t, signintest.Options{})
	ctx := timeout(t)
	var wrong, right signintest.Page
	var code string
	done := make(chan struct{})
	show := func(authURL string) {
		go func() {
			defer close(done)
			redirect, err := srv.Authorize(ctx, authURL)
			if err != nil {
				t.Error(err)
				return
			}
			q := redirect.Query()
			code = q.Get("code")
			q.Set("state", "another-sign-in")
			forged := *redirect
			forged.RawQuery = q.Encode()
			wrong = signintest.Visit(ctx, forged.String())
			right = signintest.Visit(ctx, redirect.String())
		}()
	}
	tok, err := signin.Browser(ctx, config(srv, false), srv.Client, probe.English, func(string) error { return errors.New("no browser") }, show)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	checkToken(t, tok)
	if wrong.Status != 400 || !strings.Contains(wrong.Text, "does not belong to the sign-in") {
		t.Errorf("forged state: %+v", wrong)
	}
	if right.Status != 200 || !strings.Contains(right.Text, "signed in") {
		t.Errorf("right state: %+v", right)
	}
	noSecrets(t, []string{wrong.Text, right.Text}, tok.AccessToken, tok.RefreshToken, code)
}

func TestBrowserDenied(t *testing.T) {
	srv := signintest.New(t, signintest.Options{})
	srv.Refuse()
	ctx := timeout(t)
	open, pages := srv.Browser(ctx)
	_, err := signin.Browser(ctx, config(srv, false), srv.Client, probe.Italian, open, func(string) {})
	if !errors.Is(err, signin.ErrDenied) {
		t.Fatalf("err = %v; want ErrDenied", err)
	}
	if page := <-pages; !strings.Contains(page.Text, "non è stato concesso") {
		t.Errorf("page = %+v", page)
	}
}

func TestBrowserCancelled(t *testing.T) {
	srv := signintest.New(t, signintest.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	_, err := signin.Browser(ctx, config(srv, false), srv.Client, probe.English, nil, func(string) { cancel() })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
}

func TestRefresh(t *testing.T) {
	for _, confidential := range []bool{false, true} {
		t.Run(fmt.Sprint("confidential=", confidential), func(t *testing.T) {
			srv := signintest.New(t, signintest.Options{})
			old := deviceToken(t, srv, confidential)
			tok, err := signin.Refresh(timeout(t), config(srv, confidential), srv.Client, old.RefreshToken)
			if err != nil {
				t.Fatal(err)
			}
			checkToken(t, tok)
			if tok.RefreshToken == old.RefreshToken || tok.AccessToken == old.AccessToken {
				t.Error("the server rotates refresh tokens; the old one came back")
			}
			if srv.RefreshValid(old.RefreshToken) || !srv.RefreshValid(tok.RefreshToken) {
				t.Error("the server did not rotate")
			}
		})
	}
	t.Run("not rotated", func(t *testing.T) {
		srv := signintest.New(t, signintest.Options{})
		srv.KeepRefreshTokens()
		old := deviceToken(t, srv, false)
		tok, err := signin.Refresh(timeout(t), config(srv, false), srv.Client, old.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		if tok.RefreshToken != old.RefreshToken || tok.AccessToken == "" || tok.AccessToken == old.AccessToken {
			t.Errorf("refresh without rotation: new access token and the old refresh token expected")
		}
	})
}

func TestRefreshRevoked(t *testing.T) {
	for _, confidential := range []bool{false, true} {
		t.Run(fmt.Sprint("confidential=", confidential), func(t *testing.T) {
			srv := signintest.New(t, signintest.Options{})
			old := deviceToken(t, srv, confidential)
			if err := srv.Revoke(timeout(t), confidential, old.RefreshToken); err != nil {
				t.Fatal(err)
			}
			_, err := signin.Refresh(timeout(t), config(srv, confidential), srv.Client, old.RefreshToken)
			if !errors.Is(err, signin.ErrRevoked) {
				t.Fatalf("err = %v; want ErrRevoked", err)
			}
			noSecrets(t, []string{err.Error()}, old.AccessToken, old.RefreshToken, srv.Secret)
		})
	}
}

// A wrong client secret is the server's invalid_client, said without the
// secret.
func TestWrongSecret(t *testing.T) {
	srv := signintest.New(t, signintest.Options{})
	old := deviceToken(t, srv, true)
	cfg := config(srv, true)
	cfg.ClientSecret = "not-" + srv.Secret
	_, err := signin.Refresh(timeout(t), cfg, srv.Client, old.RefreshToken)
	var se *signin.ServerError
	if !errors.As(err, &se) || errors.Is(err, signin.ErrRevoked) {
		t.Fatalf("err = %v; want the server's error", err)
	}
	noSecrets(t, []string{errText(err)}, old.RefreshToken, cfg.ClientSecret, srv.Secret)
}

func TestNotConfigured(t *testing.T) {
	srv := signintest.New(t, signintest.Options{})
	ctx := timeout(t)
	flows := map[string]func(signin.Config) error{
		"device": func(c signin.Config) error {
			_, err := signin.Device(ctx, c, srv.Client, func(signin.DevicePrompt) { t.Error("the device flow started") })
			return err
		},
		"browser": func(c signin.Config) error {
			_, err := signin.Browser(ctx, c, srv.Client, probe.English, nil, func(string) { t.Error("the browser flow started") })
			return err
		},
		"refresh": func(c signin.Config) error {
			_, err := signin.Refresh(ctx, c, srv.Client, "r")
			return err
		},
	}
	for _, tc := range []struct {
		name   string
		change func(*signin.Config)
		flows  []string
	}{
		{"no client ID", func(c *signin.Config) { c.ClientID = "" }, []string{"device", "browser", "refresh"}},
		{"no token URL", func(c *signin.Config) { c.TokenURL = "" }, []string{"device", "browser", "refresh"}},
		{"plain HTTP", func(c *signin.Config) { c.TokenURL = strings.Replace(c.TokenURL, "https:", "http:", 1) }, []string{"device", "browser", "refresh"}},
		{"relative URL", func(c *signin.Config) { c.TokenURL = "/oauth/token" }, []string{"device", "browser", "refresh"}},
		{"no device URL", func(c *signin.Config) { c.DeviceAuthorizationURL = "" }, []string{"device"}},
		{"no authorization URL", func(c *signin.Config) { c.AuthorizationURL = "" }, []string{"browser"}},
	} {
		cfg := config(srv, false)
		tc.change(&cfg)
		for _, flow := range tc.flows {
			if err := flows[flow](cfg); !errors.Is(err, signin.ErrNotConfigured) {
				t.Errorf("%s, %s: err = %v; want ErrNotConfigured", tc.name, flow, err)
			}
		}
	}
}

// A token never shows through fmt, slog or JSON.
func TestTokenHidden(t *testing.T) {
	tok := signin.Token{AccessToken: "access-SECRET-1234", RefreshToken: "refresh-SECRET-5678", Expiry: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("signed in", "token", tok)
	slog.New(slog.NewTextHandler(&logged, nil)).Info("signed in", "token", tok)
	texts := []string{
		fmt.Sprint(tok), fmt.Sprintf("%v %+v %#v %s %q %x", tok, tok, tok, tok, tok, tok),
		fmt.Sprintf("%+v", struct{ T signin.Token }{tok}), fmt.Sprintf("%v", &tok), logged.String(),
	}
	for _, v := range []any{tok, &tok, struct{ T signin.Token }{tok}} {
		b, err := json.Marshal(v)
		if err == nil {
			t.Errorf("json.Marshal(%T) = %s; want a refusal", v, b)
		}
		texts = append(texts, string(b), errText(err))
	}
	noSecrets(t, texts, tok.AccessToken, tok.RefreshToken)
	if s := tok.String(); !strings.Contains(s, "2030-01-02T03:04:05Z") {
		t.Errorf("String() = %q; want the expiry", s)
	}
}
