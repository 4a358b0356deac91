// Package signintest runs a real OAuth2 authorization server for tests:
// zitadel's OpenID provider (github.com/zitadel/oidc/v3/pkg/op) over HTTPS
// on 127.0.0.1, with a throwaway CA, an in-memory storage, two clients
// (a public native one and a confidential one) and a login page that a
// test answers for the person.
package signintest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"

	"github.com/postino/postino/probe/probetest"
	"github.com/postino/postino/wizard/signin"
)

// Scopes are the scopes the clients may ask for: offline_access brings a
// refresh token, as a mail provider's scope does.
var Scopes = []string{oidc.ScopeOfflineAccess, "mail"}

// The registered clients.
const (
	PublicClient       = "postino-public"
	ConfidentialClient = "postino"
	// Subject is the person who signs in.
	Subject = "alice"
)

// Server is one authorization server, closed when the test ends.
type Server struct {
	// URL is the issuer, https://127.0.0.1:PORT.
	URL string
	// Client trusts the server's certificate and nothing else.
	Client *http.Client
	// Secret is the confidential client's secret.
	Secret string

	provider *op.Provider
	store    *storage
}

// Options change what the server says; the zero value is a device code
// that lives five minutes and a poll interval of one second, on a port
// of its own with a certificate from a CA of its own.
type Options struct {
	DeviceLifetime time.Duration

	// Addr, if set, is the address to listen on, such as the OAUTH_PORT
	// of the real servers, whose Dovecot asks this server about tokens.
	Addr string
	// CertFile and KeyFile, if set, are the server's certificate and
	// key in PEM; Client then trusts the system's roots and the CAs in
	// CAFile.
	CertFile, KeyFile, CAFile string
	// IntrospectionClient and IntrospectionSecret, if set, register a
	// resource server that may ask the introspection endpoint about
	// tokens (RFC 7662), authenticating with HTTP basic auth.
	IntrospectionClient, IntrospectionSecret string
	// Username is the username the introspection endpoint gives for an
	// active token; the default is Subject.
	Username string
}

// New starts a server for tb.
func New(tb testing.TB, opts Options) *Server {
	tb.Helper()
	if opts.DeviceLifetime == 0 {
		opts.DeviceLifetime = 5 * time.Minute
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{Secret: rand.Text()}
	s.store = &storage{
		key: key,
		clients: map[string]*client{
			PublicClient:       {id: PublicClient, appType: op.ApplicationTypeNative, redirects: []string{"http://127.0.0.1/"}},
			ConfidentialClient: {id: ConfidentialClient, secret: s.Secret, appType: op.ApplicationTypeWeb, globs: []string{"http://127.0.0.1:*/"}},
		},
		requests: map[string]*authRequest{},
		codes:    map[string]string{},
		devices:  map[string]*deviceAuthorization{},
		users:    map[string]string{},
		refresh:  map[string]*refreshToken{},
		access:   map[string]time.Time{},
		consent:  true,
		username: opts.Username,
	}
	if s.store.username == "" {
		s.store.username = Subject
	}
	if opts.IntrospectionClient != "" {
		s.store.clients[opts.IntrospectionClient] = &client{id: opts.IntrospectionClient, secret: opts.IntrospectionSecret, appType: op.ApplicationTypeWeb}
	}

	hs := httptest.NewUnstartedServer(nil)
	var roots *x509.CertPool
	if opts.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(opts.CertFile, opts.KeyFile)
		if err != nil {
			tb.Fatal(err)
		}
		hs.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
		roots = x509.NewCertPool()
		if opts.CAFile != "" {
			pem, err := os.ReadFile(opts.CAFile)
			if err != nil {
				tb.Fatal(err)
			}
			if !roots.AppendCertsFromPEM(pem) {
				tb.Fatalf("no certificate in %s", opts.CAFile)
			}
		}
	} else {
		ca := probetest.NewCA(tb, "signintest")
		hs.TLS = &tls.Config{Certificates: []tls.Certificate{ca.Issue(tb, []string{"127.0.0.1"}, time.Time{}, time.Time{})}}
		roots = ca.Pool
	}
	if opts.Addr != "" {
		hs.Listener.Close()
		// The port was chosen for this server; another test may still be
		// letting go of it.
		var ln net.Listener
		for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
			if ln, err = net.Listen("tcp", opts.Addr); err == nil || time.Since(start) > 30*time.Second {
				break
			}
		}
		if err != nil {
			tb.Fatal(err)
		}
		hs.Listener = ln
	}
	s.URL = "https://" + hs.Listener.Addr().String()
	var cryptoKey [32]byte
	rand.Read(cryptoKey[:])
	s.provider, err = op.NewProvider(&op.Config{
		CryptoKey:             cryptoKey,
		CodeMethodS256:        true,
		GrantTypeRefreshToken: true,
		SupportedUILocales:    []language.Tag{language.English},
		DeviceAuthorization: op.DeviceAuthorizationConfig{
			Lifetime:     opts.DeviceLifetime,
			PollInterval: time.Second,
			UserFormPath: "/device",
			UserCode:     op.UserCodeBase20,
		},
	}, s.store, op.StaticIssuer(s.URL))
	if err != nil {
		tb.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/login", op.NewIssuerInterceptor(s.provider.IssuerFromRequest).HandlerFunc(s.login))
	mux.Handle("/", s.provider)
	hs.Config.Handler = mux
	hs.StartTLS()
	tb.Cleanup(hs.Close)

	s.Client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	tb.Cleanup(s.Client.CloseIdleConnections)
	return s
}

// login is the provider's login and consent page, answered at once as
// the test set: consent redirects to op's callback, which sends the
// browser on with a code; a refusal sends it on with access_denied.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	consent, err := s.store.login(id, Subject)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if consent {
		http.Redirect(w, r, op.AuthCallbackURL(s.provider)(r.Context(), id), http.StatusFound)
		return
	}
	req, _ := s.store.AuthRequestByID(r.Context(), id)
	op.AuthRequestError(w, r, req, oidc.ErrAccessDenied().WithDescription("the person said no"), s.provider)
}

// Config is the sign-in configuration of the public client (no secret),
// or of the confidential one.
func (s *Server) Config(confidential bool) signin.Config {
	c := signin.Config{
		ClientID:               PublicClient,
		DeviceAuthorizationURL: s.provider.DeviceAuthorizationEndpoint().Absolute(s.URL),
		AuthorizationURL:       s.provider.AuthorizationEndpoint().Absolute(s.URL),
		TokenURL:               s.provider.TokenEndpoint().Absolute(s.URL),
		Scopes:                 Scopes,
	}
	if confidential {
		c.ClientID, c.ClientSecret = ConfidentialClient, s.Secret
	}
	return c
}

// Approve approves the device sign-in with userCode, as the person would
// on the provider's page.
func (s *Server) Approve(userCode string) error { return s.store.decide(userCode, Subject, true) }

// Deny refuses the device sign-in with userCode.
func (s *Server) Deny(userCode string) error { return s.store.decide(userCode, "", false) }

// Refuse makes the login page refuse consent from now on.
func (s *Server) Refuse() { s.store.set(func(st *storage) { st.consent = false }) }

// SlowDown makes the next n device polls answer slow_down.
func (s *Server) SlowDown(n int) { s.store.set(func(st *storage) { st.slowDowns = n }) }

// ExpireDeviceCodes makes the server say expired_token to every poll.
func (s *Server) ExpireDeviceCodes() { s.store.set(func(st *storage) { st.expireNow = true }) }

// KeepDeviceCodes makes the server answer authorization_pending past a
// device code's lifetime, so that only the client can tell it expired.
func (s *Server) KeepDeviceCodes() { s.store.set(func(st *storage) { st.keepAlive = true }) }

// KeepRefreshTokens makes a refresh answer without a new refresh token.
func (s *Server) KeepRefreshTokens() { s.store.set(func(st *storage) { st.noRotation = true }) }

// Polls are the times of the device polls so far.
func (s *Server) Polls() []time.Time {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	return append([]time.Time(nil), s.store.polls...)
}

// RefreshValid reports whether the server still takes token.
func (s *Server) RefreshValid(token string) bool {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	_, ok := s.store.refresh[token]
	return ok
}

func (st *storage) set(f func(*storage)) {
	st.mu.Lock()
	defer st.mu.Unlock()
	f(st)
}

// Revoke revokes a refresh token through the revocation endpoint (RFC
// 7009), as the person would by removing postino's access.
func (s *Server) Revoke(ctx context.Context, confidential bool, token string) error {
	form := url.Values{"token": {token}, "token_type_hint": {"refresh_token"}}
	if !confidential {
		form.Set("client_id", PublicClient)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.provider.RevocationEndpoint().Absolute(s.URL), strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if confidential {
		req.SetBasicAuth(ConfidentialClient, s.Secret)
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		return fmt.Errorf("revoke: HTTP %d: %s", resp.StatusCode, body)
	}
	return nil
}

// Authorize is the person's browser up to the provider's redirect back to
// the application: it opens authURL, passes the login page, and returns
// the redirect (with code and state, or error) without following it.
func (s *Server) Authorize(ctx context.Context, authURL string) (*url.URL, error) {
	c := *s.Client
	c.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if req.URL.Host != strings.TrimPrefix(s.URL, "https://") {
			return http.ErrUseLastResponse
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return nil, fmt.Errorf("authorize: HTTP %d, not a redirect to the application", resp.StatusCode)
	}
	return resp.Location()
}

// Page is what the browser shows at the end.
type Page struct {
	Status int
	Text   string
	Err    error
}

// Visit opens u in the browser and returns the page it shows.
func Visit(ctx context.Context, u string) Page {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return Page{Err: err}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Page{Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	return Page{Status: resp.StatusCode, Text: string(body), Err: err}
}

// Browser is an open function for signin.Browser: like a real browser it
// returns at once and, in the background, signs in at the provider and
// follows the redirect back; the page it ends on comes on the channel.
func (s *Server) Browser(ctx context.Context) (open func(string) error, pages <-chan Page) {
	ch := make(chan Page, 1)
	return func(authURL string) error {
		go func() {
			redirect, err := s.Authorize(ctx, authURL)
			if err != nil {
				ch <- Page{Err: err}
				return
			}
			ch <- Visit(ctx, redirect.String())
		}()
		return nil
	}, ch
}

// ForRealServers starts the authorization server that the real Dovecot
// of testdata/servers/servers.sh asks about tokens: on its OAUTH_PORT,
// with its certificate, its introspection client, and OAUTH_USER as the
// username of every active token. env is probetest.RealServers'. Only
// one such server can run at a time; New waits for the port.
func ForRealServers(tb testing.TB, env map[string]string, opts Options) *Server {
	tb.Helper()
	opts.Addr = env["GOOD_HOST"] + ":" + env["OAUTH_PORT"]
	opts.CertFile, opts.KeyFile, opts.CAFile = env["OAUTH_CERT_FILE"], env["OAUTH_KEY_FILE"], env["CA_FILE"]
	opts.IntrospectionClient, opts.IntrospectionSecret = env["OAUTH_CLIENT_ID"], env["OAUTH_CLIENT_SECRET"]
	opts.Username = env["OAUTH_USER"]
	if env["OAUTH_PORT"] == "" || env["OAUTH_CLIENT_SECRET"] == "" {
		tb.Fatal("the real servers' env has no OAUTH_PORT or OAUTH_CLIENT_SECRET: restart them with this servers.sh")
	}
	return New(tb, opts)
}
