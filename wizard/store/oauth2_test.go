package store

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/postino/postino/probe"
)

const refresh1 = "refresh-token-one-9f8e7d"

// carol signs in with OAuth2.
func carol() Account {
	in := server("imaps://outlook.example.test")
	in.Auth = probe.AuthOAuth2
	out := server("smtp://smtp.example.test")
	out.Auth = probe.AuthOAuth2
	return Account{
		Address: "carol@example.test", Incoming: []probe.Server{in}, Outgoing: []probe.Server{out},
		Provider: Provider{ID: "example", Name: "Example Mail"}, Source: "providers",
		OAuth2: &OAuth2{
			TokenURL: "https://login.example.test/token", DeviceAuthorizationURL: "https://login.example.test/device",
			ClientID: "client-1", ClientSecret: "installed-app-secret", Scopes: []string{"offline_access", "mail"},
		},
	}
}

func TestFileFormatOAuth2(t *testing.T) {
	s := newStore(t)
	s.Now = func() time.Time { return time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC) }
	if _, err := s.SaveSignIn(carol(), refresh1); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	want := header + headerOAuth2 + `version: 3
accounts:
  - name: carol@example.test
    address: carol@example.test
    provider:
      id: example
      name: Example Mail
    source: providers
    incoming:
      - protocol: imap
        host: outlook.example.test
        port: 993
        security: tls
        username: ""
        auth: oauth2
    outgoing:
      - protocol: smtp
        host: smtp.example.test
        port: 587
        security: starttls
        username: ""
        auth: oauth2
    oauth2:
      token_url: https://login.example.test/token
      device_authorization_url: https://login.example.test/device
      client_id: client-1
      client_secret: installed-app-secret
      scopes:
        - offline_access
        - mail
    created: 2025-03-04T05:06:07Z
    updated: 2025-03-04T05:06:07Z
`
	if string(data) != want {
		t.Errorf("file:\n%s\nwant:\n%s", data, want)
	}
	got, err := s.Find("carol@example.test")
	if err != nil || !reflect.DeepEqual(got.OAuth2, carol().OAuth2) {
		t.Errorf("Find() = %+v, %v", got.OAuth2, err)
	}
	if strings.Contains(string(data), refresh1) {
		t.Error("the file holds the refresh token")
	}
	if tok, err := keyring.Get(Service, "oauth2:carol@example.test"); err != nil || tok != refresh1 {
		t.Errorf("keyring oauth2:carol = %q, %v", tok, err)
	}
	// Reading and writing again keeps every byte.
	if _, err := s.SaveSettings(bob()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Remove("bob@example.test"); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(s.Path()); string(again) != want {
		t.Errorf("after a round trip:\n%s", again)
	}
}

func TestOAuth2SettingsNeedVersion3(t *testing.T) {
	s := newStore(t)
	os.MkdirAll(s.Dir, 0o700)
	v3 := "version: 3\naccounts:\n  - name: c\n    address: c@example.test\n    incoming: []\n    outgoing: []\n" +
		"    oauth2:\n      token_url: https://t.example.test/token\n      authorization_url: https://t.example.test/auth\n      client_id: x\n      scopes: [mail]\n"
	os.WriteFile(s.Path(), []byte(v3), 0o600)
	if a, err := s.Find("c"); err != nil || a.OAuth2 == nil || a.OAuth2.AuthorizationURL != "https://t.example.test/auth" {
		t.Errorf("v3: %+v, %v", a, err)
	}
	for _, bad := range []struct{ name, file string }{
		{"in version 2", strings.Replace(v3, "version: 3", "version: 2", 1)},
		{"plain http", strings.Replace(v3, "https://t.example.test/token", "http://t.example.test/token", 1)},
		{"no client", strings.Replace(v3, "client_id: x", "client_id: \"\"", 1)},
		{"unknown key", strings.Replace(v3, "client_id: x", "client_id: x\n      refresh_token: abc", 1)},
	} {
		os.WriteFile(s.Path(), []byte(bad.file), 0o600)
		var fe *FileError
		if _, err := s.Accounts(); !errors.As(err, &fe) || fe.Line < 7 {
			t.Errorf("%s: Accounts() = %v, want a FileError at the oauth2 block", bad.name, err)
		}
	}
}

func TestRefreshTokenLifecycle(t *testing.T) {
	s := newStore(t)
	if _, err := s.SaveSignIn(carol(), refresh1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(alice(), password1); err != nil {
		t.Fatal(err)
	}
	a, _ := s.Find("carol@example.test")
	if has, err := s.HasRefreshToken(a); !has || err != nil {
		t.Errorf("HasRefreshToken = %v, %v", has, err)
	}
	if has, err := s.HasPassword(a); has || err != nil {
		t.Errorf("HasPassword(carol) = %v, %v: the refresh token is not a password", has, err)
	}
	err := s.UpdateRefreshToken("carol@example.test", func(a Account, current string) (string, error) {
		if current != refresh1 {
			t.Errorf("current = %q", current)
		}
		return "refresh-two", nil
	})
	if tok, _ := s.RefreshToken(a); err != nil || tok != "refresh-two" {
		t.Errorf("after the update: %q, %v", tok, err)
	}
	failed := errors.New("revoked")
	if err := s.UpdateRefreshToken("carol@example.test", func(Account, string) (string, error) { return "x", failed }); !errors.Is(err, failed) {
		t.Errorf("a failed update = %v", err)
	}
	if err := s.UpdateRefreshToken("nobody", func(Account, string) (string, error) { return "x", nil }); !errors.Is(err, ErrNoAccount) {
		t.Errorf("update of nobody = %v", err)
	}
	if _, had, err := s.Remove("carol@example.test"); err != nil || !had {
		t.Errorf("Remove(carol) = %v, %v", had, err)
	}
	if _, err := s.RefreshToken(a); !errors.Is(err, ErrNoRefreshToken) {
		t.Errorf("the refresh token outlived its account: %v", err)
	}
	if pw, err := keyring.Get(Service, "alice@example.test"); err != nil || pw != password1 {
		t.Errorf("alice's password = %v", err)
	}
}

// TestRefreshTokenUpdatesTakeTurns: concurrent updates see each other's
// token: none is lost.
func TestRefreshTokenUpdatesTakeTurns(t *testing.T) {
	// go-keyring's mock has no mutex, and the race detector does not see
	// the file lock: a keyring that has one stands in for it.
	kr := newKeyring()
	s := newStore(t)
	s.Keyring = kr
	if _, err := s.SaveSignIn(carol(), "0"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			// A store of its own, as another process has.
			other := &Store{Dir: s.Dir, Keyring: kr}
			err := other.UpdateRefreshToken("carol@example.test", func(_ Account, current string) (string, error) {
				time.Sleep(5 * time.Millisecond)
				return current + "+", nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if tok, _ := kr.Get("oauth2:carol@example.test"); tok != "0++++++++" {
		t.Errorf("token = %q, want eight updates", tok)
	}
}

// TestPendingRefreshToken: a refresh token noted but whose account was
// never written is deleted by the next postino.
func TestPendingRefreshToken(t *testing.T) {
	s := newStore(t)
	if _, err := s.SaveSettings(bob()); err != nil {
		t.Fatal(err)
	}
	keyring.Set(Service, "oauth2:carol@example.test", refresh1)
	keyring.Set(Service, "oauth2:bob@example.test", refresh1)
	os.WriteFile(s.pendingPath(), []byte("oauth2:carol@example.test\noauth2:bob@example.test\n"), 0o600)
	if _, err := s.Accounts(); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(Service, "oauth2:carol@example.test"); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("carol's refresh token outlived the failed save: %v", err)
	}
	if _, err := keyring.Get(Service, "oauth2:bob@example.test"); err != nil {
		t.Errorf("bob's refresh token was deleted: %v", err)
	}
}
