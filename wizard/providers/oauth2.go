package providers

import (
	"net/url"

	"go.yaml.in/yaml/v3"
)

// OAuth2 is how to sign in with a provider: its endpoints, the scopes
// that reach mail, and the client ID (and, for installed apps that have
// one, the secret) registered for postino. ClientID is "" where postino
// has none of its own: an organisation's providers file sets it.
type OAuth2 struct {
	ClientID     string
	ClientSecret string
	// DeviceAuthorizationURL is set where the provider offers the device
	// flow (RFC 8628) for mail; AuthorizationURL for the authorization
	// code with PKCE on a loopback redirect (RFC 8252). One at least.
	DeviceAuthorizationURL string
	AuthorizationURL       string
	TokenURL               string
	Scopes                 []string
}

// oauth2 reads a provider's oauth2 block. A patch (an organisation's file
// giving only the client of a provider defined before) may leave out the
// endpoints and scopes; a whole entry may not.
func (d *decoder) oauth2(n *yaml.Node, what string, patch bool) *OAuth2 {
	o := &OAuth2{}
	https := func(key string, dst *string) func(*yaml.Node) {
		return func(v *yaml.Node) {
			*dst = d.scalar(v, key)
			if u, err := url.Parse(*dst); d.err == nil && (err != nil || u.Scheme != "https" || u.Host == "") {
				d.fail(v, "the %s %q must be an https URL.", key, *dst)
			}
		}
	}
	fields := map[string]func(*yaml.Node){
		"client_id":                func(v *yaml.Node) { o.ClientID = d.scalar(v, "client_id") },
		"client_secret":            func(v *yaml.Node) { o.ClientSecret = d.scalar(v, "client_secret") },
		"device_authorization_url": https("device_authorization_url", &o.DeviceAuthorizationURL),
		"authorization_url":        https("authorization_url", &o.AuthorizationURL),
		"token_url":                https("token_url", &o.TokenURL),
		"scopes": func(v *yaml.Node) {
			for _, item := range d.list(v, "the oauth2 block of "+what, "scopes") {
				o.Scopes = append(o.Scopes, d.scalar(item, "scopes"))
			}
		},
	}
	if patch {
		d.mapping(n, "the oauth2 block of "+what, fields, "client_id")
		return o
	}
	d.mapping(n, "the oauth2 block of "+what, fields, "token_url", "scopes")
	if d.err == nil && o.DeviceAuthorizationURL == "" && o.AuthorizationURL == "" {
		d.fail(n, "the oauth2 block of %s needs device_authorization_url or authorization_url, or both.", what)
	}
	if d.err == nil && len(o.Scopes) == 0 {
		d.fail(n, "the oauth2 block of %s has no scopes.", what)
	}
	return o
}

// patched is p with the client an organisation's patch sets.
func patched(p *Provider, client *OAuth2) *Provider {
	q := *p
	o := OAuth2{}
	if p.OAuth2 != nil {
		o = *p.OAuth2
	}
	o.ClientID, o.ClientSecret = client.ClientID, client.ClientSecret
	q.OAuth2 = &o
	return &q
}
