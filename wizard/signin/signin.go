// Package signin gets OAuth2 tokens for a mail account: the device flow
// (RFC 8628) for a terminal without a browser, the authorization code
// flow with PKCE (RFC 7636) and a loopback redirect (RFC 8252) when a
// browser can be opened, and the refresh of a saved token.
//
// Tokens, codes and client secrets are secrets like passwords: no error
// text, String or JSON holds them.
package signin

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/postino/postino/probe"
)

// Config is what a provider's OAuth2 sign-in needs.
type Config struct {
	ClientID     string
	ClientSecret string // empty for a public client
	// DeviceAuthorizationURL is needed by Device only, AuthorizationURL by
	// Browser only; every flow needs TokenURL.
	DeviceAuthorizationURL string
	AuthorizationURL       string
	TokenURL               string
	Scopes                 []string
	// PollUnit is how long one second of the device flow's poll interval
	// lasts: zero means a second. Only tests shorten it.
	PollUnit time.Duration
}

// Token is what a sign-in gives. Its access and refresh tokens never reach
// fmt, slog, JSON or text output: save them field by field, in the keyring.
type Token struct {
	AccessToken  string
	RefreshToken string
	Expiry       time.Time // zero when the server did not say
}

// String tells which tokens are there and when the access token expires,
// never the tokens.
func (t Token) String() string {
	has := func(s string) string {
		if s == "" {
			return "none"
		}
		return "set"
	}
	exp := "unknown"
	if !t.Expiry.IsZero() {
		exp = t.Expiry.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("signin.Token{access: %s, refresh: %s, expiry: %s}", has(t.AccessToken), has(t.RefreshToken), exp)
}

// GoString is String, so that %#v hides the tokens too.
func (t Token) GoString() string { return t.String() }

// Format prints String for every verb.
func (t Token) Format(f fmt.State, _ rune) { io.WriteString(f, t.String()) }

// LogValue keeps the tokens out of slog's output.
func (t Token) LogValue() slog.Value { return slog.StringValue(t.String()) }

// errMarshal refuses to write a token where it could end up in a file or
// a report.
var errMarshal = errors.New("signin: a token is a secret and is not marshalled")

// MarshalJSON refuses: a token is stored field by field, in the keyring.
func (Token) MarshalJSON() ([]byte, error) { return nil, errMarshal }

// MarshalText refuses, for YAML, XML and the like.
func (Token) MarshalText() ([]byte, error) { return nil, errMarshal }

// The outcomes a caller tells apart; each flow wraps them with what it was
// doing.
var (
	// ErrDenied: the person (or the provider's policy) refused access.
	ErrDenied = errors.New("access was denied")
	// ErrExpired: the device code or the sign-in expired before approval.
	ErrExpired = errors.New("the sign-in expired")
	// ErrRevoked: the refresh token is no longer valid; sign in again.
	ErrRevoked = errors.New("the refresh token was revoked or is no longer valid")
	// ErrNotConfigured: the Config lacks what the flow needs.
	ErrNotConfigured = errors.New("OAuth2 is not configured")
)

// ServerError is an OAuth2 error answer (RFC 6749 section 5.2).
// Description is the server's text made safe for a terminal, and left out
// when it repeats anything secret that was sent.
type ServerError struct {
	Status      int
	Code        string
	Description string
}

func (e *ServerError) Error() string {
	s := fmt.Sprintf("the server answered %s (HTTP %d)", e.Code, e.Status)
	if e.Description != "" {
		s += ": " + e.Description
	}
	return s
}

// Bounds on every request to the provider.
const (
	maxBody        = 1 << 20
	requestTimeout = 30 * time.Second
)

// check reports ErrNotConfigured unless the client ID and every URL the
// flow needs are given, and every URL is https: tokens and codes are
// credentials, never sent in the clear.
func (c Config) check(urls ...string) error {
	if c.ClientID == "" {
		return fmt.Errorf("%w: no client ID", ErrNotConfigured)
	}
	for _, s := range urls {
		if s == "" {
			return fmt.Errorf("%w: an endpoint URL is missing", ErrNotConfigured)
		}
		u, err := url.Parse(s)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return fmt.Errorf("%w: %q is not an https URL", ErrNotConfigured, s)
		}
	}
	return nil
}

// authenticate identifies the client: a confidential client with HTTP
// Basic (RFC 6749 section 2.3.1, which every server must take), a public
// one by its client_id in the form.
func (c Config) authenticate(form url.Values) (header string) {
	if c.ClientSecret == "" {
		form.Set("client_id", c.ClientID)
		return ""
	}
	pair := url.QueryEscape(c.ClientID) + ":" + url.QueryEscape(c.ClientSecret)
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(pair))
}

// tokenAnswer is a token endpoint's success answer.
type tokenAnswer struct {
	AccessToken  string  `json:"access_token"`
	TokenType    string  `json:"token_type"`
	RefreshToken string  `json:"refresh_token"`
	ExpiresIn    seconds `json:"expires_in"`
}

// seconds is a count of seconds sent as a number or, by some providers, as
// a string.
type seconds int64

func (s *seconds) UnmarshalJSON(b []byte) error {
	n, err := strconv.ParseInt(strings.Trim(string(b), `"`), 10, 64)
	if err != nil {
		if string(b) == "null" {
			return nil
		}
		return fmt.Errorf("not a number of seconds")
	}
	*s = seconds(n)
	return nil
}

// token posts form to the token endpoint and reads the token it answers.
func token(ctx context.Context, cfg Config, client *http.Client, form url.Values) (Token, error) {
	var a tokenAnswer
	if err := post(ctx, cfg, client, cfg.TokenURL, form, &a); err != nil {
		return Token{}, err
	}
	if a.AccessToken == "" {
		return Token{}, errors.New("the answer holds no access token")
	}
	if a.TokenType != "" && !strings.EqualFold(a.TokenType, "bearer") {
		return Token{}, fmt.Errorf("the token type %q is not bearer", probe.Sanitize(a.TokenType))
	}
	t := Token{AccessToken: a.AccessToken, RefreshToken: a.RefreshToken}
	if a.ExpiresIn > 0 {
		t.Expiry = time.Now().Add(time.Duration(a.ExpiresIn) * time.Second)
	}
	return t, nil
}

// post sends form to endpoint as cfg's client and decodes a JSON success answer into out;
// an OAuth2 error answer is a *ServerError. Redirects are not followed: a
// redirected POST would carry the credentials to another place.
func post(ctx context.Context, cfg Config, client *http.Client, endpoint string, form url.Values, out any) error {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	auth := cfg.authenticate(form)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	c := http.Client{}
	if client != nil {
		c = *client
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return fmt.Errorf("reading the answer: %w", err)
	}
	if len(answer) > maxBody {
		return fmt.Errorf("the answer is over %d bytes", maxBody)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "application/json" {
		return fmt.Errorf("the answer (HTTP %d) is %q, not JSON", resp.StatusCode, probe.Sanitize(mt))
	}
	if resp.StatusCode != http.StatusOK {
		return serverError(resp.StatusCode, answer, form, cfg.ClientSecret)
	}
	if err := json.Unmarshal(answer, out); err != nil {
		return fmt.Errorf("the answer is not valid JSON: %w", err)
	}
	return nil
}

// serverError reads an OAuth2 error answer. Its code and description are
// withheld when they repeat a secret that was sent, should the server
// quote the code or token it refused.
func serverError(status int, body []byte, sent url.Values, secret string) error {
	var e struct {
		Code        string `json:"error"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(body, &e) != nil || e.Code == "" {
		return fmt.Errorf("the server answered HTTP %d without an OAuth2 error", status)
	}
	se := &ServerError{Status: status, Code: probe.Sanitize(e.Code), Description: probe.Sanitize(e.Description)}
	secrets := []string{secret}
	for _, name := range []string{"code", "code_verifier", "device_code", "refresh_token"} {
		secrets = append(secrets, sent.Get(name))
	}
	for _, s := range secrets {
		if probe.Repeats(se.Code, s) {
			se.Code = "(withheld)"
		}
		if probe.Repeats(se.Description, s) {
			se.Description = ""
		}
	}
	return se
}

// errorCode is the OAuth2 error code of err, or "".
func errorCode(err error) string {
	var se *ServerError
	if errors.As(err, &se) {
		return se.Code
	}
	return ""
}

// Refresh trades refreshToken for a new access token. The answer keeps
// refreshToken when the server does not rotate it. A refresh token the
// server no longer takes (invalid_grant) is ErrRevoked.
func Refresh(ctx context.Context, cfg Config, client *http.Client, refreshToken string) (Token, error) {
	if err := cfg.check(cfg.TokenURL); err != nil {
		return Token{}, fmt.Errorf("refresh: %w", err)
	}
	if refreshToken == "" {
		return Token{}, fmt.Errorf("refresh: %w: there is no refresh token", ErrRevoked)
	}
	t, err := token(ctx, cfg, client, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}})
	if errorCode(err) == "invalid_grant" {
		return Token{}, fmt.Errorf("refresh: %w (%w)", ErrRevoked, err)
	}
	if err != nil {
		return Token{}, fmt.Errorf("refresh: %w", err)
	}
	if t.RefreshToken == "" {
		t.RefreshToken = refreshToken
	}
	return t, nil
}
