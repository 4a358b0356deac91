package signintest

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// storage is the smallest op.Storage (with the device grant) the sign-in
// flows need: clients, auth requests and codes, device codes, refresh
// tokens, one signing key. Access tokens are op's encrypted bearer tokens
// and need no storage.
type storage struct {
	key     *ecdsa.PrivateKey
	clients map[string]*client

	mu       sync.Mutex
	requests map[string]*authRequest         // by ID
	codes    map[string]string               // code → request ID
	devices  map[string]*deviceAuthorization // by device code
	users    map[string]string               // user code → device code
	refresh  map[string]*refreshToken        // by token
	access   map[string]time.Time            // access token ID → expiry
	username string                          // of active tokens

	// What a test set: see the Server's methods.
	consent    bool
	slowDowns  int
	expireNow  bool
	keepAlive  bool
	noRotation bool
	polls      []time.Time
}

type deviceAuthorization struct {
	state op.DeviceAuthorizationState
}

// authRequest is an authorization request between the authorize endpoint
// and the code exchange.
type authRequest struct {
	id, clientID, redirectURI, state, nonce string
	scopes                                  []string
	responseType                            oidc.ResponseType
	responseMode                            oidc.ResponseMode
	challenge                               *oidc.CodeChallenge
	subject                                 string
	done                                    bool
	authTime                                time.Time
}

func (a *authRequest) GetID() string                         { return a.id }
func (a *authRequest) GetACR() string                        { return "" }
func (a *authRequest) GetAMR() []string                      { return []string{"pwd"} }
func (a *authRequest) GetAudience() []string                 { return []string{a.clientID} }
func (a *authRequest) GetAuthTime() time.Time                { return a.authTime }
func (a *authRequest) GetClientID() string                   { return a.clientID }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return a.challenge }
func (a *authRequest) GetNonce() string                      { return a.nonce }
func (a *authRequest) GetRedirectURI() string                { return a.redirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType    { return a.responseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode    { return a.responseMode }
func (a *authRequest) GetScopes() []string                   { return a.scopes }
func (a *authRequest) GetState() string                      { return a.state }
func (a *authRequest) GetSubject() string                    { return a.subject }
func (a *authRequest) Done() bool                            { return a.done }

// refreshToken is what a refresh token stands for.
type refreshToken struct {
	clientID, subject string
	scopes            []string
	authTime          time.Time
}

func (r *refreshToken) GetAMR() []string            { return []string{"pwd"} }
func (r *refreshToken) GetAudience() []string       { return []string{r.clientID} }
func (r *refreshToken) GetAuthTime() time.Time      { return r.authTime }
func (r *refreshToken) GetClientID() string         { return r.clientID }
func (r *refreshToken) GetScopes() []string         { return r.scopes }
func (r *refreshToken) GetSubject() string          { return r.subject }
func (r *refreshToken) SetCurrentScopes(s []string) { r.scopes = s }

func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	a := &authRequest{
		id: rand.Text(), clientID: req.ClientID, redirectURI: req.RedirectURI, state: req.State, nonce: req.Nonce,
		scopes: req.Scopes, responseType: req.ResponseType, responseMode: req.ResponseMode,
	}
	if req.CodeChallenge != "" {
		a.challenge = &oidc.CodeChallenge{Challenge: req.CodeChallenge, Method: req.CodeChallengeMethod}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[a.id] = a
	return a, nil
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.requests[id]; ok {
		return a, nil
	}
	return nil, errors.New("no such request")
}

func (s *storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	id, ok := s.codes[code]
	s.mu.Unlock()
	if !ok {
		return nil, errors.New("no such code")
	}
	return s.AuthRequestByID(ctx, id)
}

func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = id
	return nil
}

func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.requests, id)
	for code, rid := range s.codes {
		if rid == id {
			delete(s.codes, code)
		}
	}
	return nil
}

// login ends the person's part of request id: consent given (as subject)
// or not, as the test set.
func (s *storage) login(id, subject string) (consent bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.requests[id]
	if !ok {
		return false, errors.New("no such request")
	}
	if s.consent {
		a.subject, a.done, a.authTime = subject, true, time.Now()
	}
	return s.consent, nil
}

// newAccess is a new access token ID, good for an hour; s.mu is held.
func (s *storage) newAccess() (string, time.Time) {
	id, exp := rand.Text(), time.Now().Add(time.Hour)
	s.access[id] = exp
	return id, exp
}

func (s *storage) CreateAccessToken(context.Context, op.TokenRequest) (string, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, exp := s.newAccess()
	return id, exp, nil
}

func (s *storage) CreateAccessAndRefreshTokens(_ context.Context, req op.TokenRequest, current string) (string, string, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if current != "" {
		r, ok := s.refresh[current]
		if !ok {
			return "", "", time.Time{}, errors.New("no such refresh token")
		}
		if s.noRotation {
			id, exp := s.newAccess()
			return id, "", exp, nil
		}
		delete(s.refresh, current)
		next := rand.Text()
		s.refresh[next] = r
		id, exp := s.newAccess()
		return id, next, exp, nil
	}
	clientID := req.(interface{ GetClientID() string }).GetClientID()
	next := rand.Text()
	s.refresh[next] = &refreshToken{clientID: clientID, subject: req.GetSubject(), scopes: req.GetScopes(), authTime: time.Now()}
	id, exp := s.newAccess()
	return id, next, exp, nil
}

func (s *storage) TokenRequestByRefreshToken(_ context.Context, token string) (op.RefreshTokenRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.refresh[token]; ok {
		return r, nil
	}
	return nil, errors.New("no such refresh token")
}

func (s *storage) GetRefreshTokenInfo(_ context.Context, _ string, token string) (string, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.refresh[token]; ok {
		return r.subject, token, nil
	}
	return "", "", op.ErrInvalidRefreshToken
}

func (s *storage) RevokeToken(_ context.Context, token, _, _ string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.refresh, token)
	return nil
}

func (s *storage) TerminateSession(context.Context, string, string) error { return nil }

func (s *storage) StoreDeviceAuthorization(_ context.Context, clientID, deviceCode, userCode string, expires time.Time, scopes []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[userCode]; ok {
		return op.ErrDuplicateUserCode
	}
	s.devices[deviceCode] = &deviceAuthorization{state: op.DeviceAuthorizationState{ClientID: clientID, Scopes: scopes, Expires: expires}}
	s.users[userCode] = deviceCode
	return nil
}

// GetDeviceAuthorizatonState is op's poll of a device code. A lookup that
// runs out of time is op's cue for slow_down, which is how a test asks
// for one.
func (s *storage) GetDeviceAuthorizatonState(_ context.Context, clientID, deviceCode string) (*op.DeviceAuthorizationState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.polls = append(s.polls, time.Now())
	d, ok := s.devices[deviceCode]
	if !ok || d.state.ClientID != clientID {
		return nil, errors.New("no such device code")
	}
	if s.slowDowns > 0 {
		s.slowDowns--
		return nil, context.DeadlineExceeded
	}
	state := d.state
	switch {
	case s.expireNow:
		state.Expires = time.Now().Add(-time.Second)
	case s.keepAlive:
		state.Expires = time.Now().Add(time.Hour)
	}
	return &state, nil
}

// decide approves (as subject) or denies the device code userCode.
func (s *storage) decide(userCode, subject string, approve bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.devices[s.users[userCode]]
	if !ok {
		return errors.New("no such user code")
	}
	if approve {
		d.state.Subject, d.state.Done, d.state.AuthTime = subject, true, time.Now()
	} else {
		d.state.Denied = true
	}
	return nil
}

func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	if c, ok := s.clients[id]; ok {
		if c.globs != nil {
			return globClient{c}, nil
		}
		return c, nil
	}
	return nil, errors.New("no such client")
}

func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	if c, ok := s.clients[id]; ok && c.secret != "" && c.secret == secret {
		return nil
	}
	return errors.New("wrong client or secret")
}

// The signing key signs the ID tokens op makes in the code flow.

type signingKey struct{ key *ecdsa.PrivateKey }

func (k signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.ES256 }
func (k signingKey) Key() any                                    { return k.key }
func (k signingKey) ID() string                                  { return "test" }

type publicKey struct{ key *ecdsa.PrivateKey }

func (k publicKey) ID() string                         { return "test" }
func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.ES256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return &k.key.PublicKey }

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) { return signingKey{s.key}, nil }
func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.ES256}, nil
}
func (s *storage) KeySet(context.Context) ([]op.Key, error) { return []op.Key{publicKey{s.key}}, nil }

// What the sign-in flows do not use.

func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}
func (s *storage) SetUserinfoFromToken(context.Context, *oidc.UserInfo, string, string, string) error {
	return nil
}

// SetIntrospectionFromToken describes an access token this server issued
// and that has not expired; an error makes op call it inactive.
func (s *storage) SetIntrospectionFromToken(_ context.Context, r *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.access[tokenID]
	if !ok || time.Now().After(exp) {
		return errors.New("no such access token")
	}
	r.Subject, r.Username, r.ClientID = subject, s.username, clientID
	r.Expiration = oidc.FromTime(exp)
	return nil
}
func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}
func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errors.New("no JWT profile keys")
}
func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, nil
}
func (s *storage) Health(context.Context) error { return nil }

// client is a registered OAuth2 client.
type client struct {
	id, secret string
	appType    op.ApplicationType
	redirects  []string
	globs      []string
}

func (c *client) GetID() string                       { return c.id }
func (c *client) RedirectURIs() []string              { return c.redirects }
func (c *client) PostLogoutRedirectURIs() []string    { return nil }
func (c *client) ApplicationType() op.ApplicationType { return c.appType }
func (c *client) AuthMethod() oidc.AuthMethod {
	if c.secret == "" {
		return oidc.AuthMethodNone
	}
	return oidc.AuthMethodBasic
}
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType {
	return []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken, oidc.GrantTypeDeviceCode}
}
func (c *client) LoginURL(id string) string                                    { return "/login?id=" + id }
func (c *client) AccessTokenType() op.AccessTokenType                          { return op.AccessTokenTypeBearer }
func (c *client) IDTokenLifetime() time.Duration                               { return time.Hour }
func (c *client) DevMode() bool                                                { return false }
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string     { return keep }
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string { return keep }
func (c *client) IsScopeAllowed(scope string) bool                             { return slices.Contains(Scopes, scope) }
func (c *client) IDTokenUserinfoClaimsAssertion() bool                         { return false }
func (c *client) ClockSkew() time.Duration                                     { return 0 }

func keep(scopes []string) []string { return scopes }

// globClient is a confidential client that, like Google's desktop apps,
// takes a loopback redirect on any port.
type globClient struct{ *client }

func (g globClient) RedirectURIGlobs() []string           { return g.globs }
func (g globClient) PostLogoutRedirectURIGlobs() []string { return nil }
