// Package providers loads the curated provider database (providers.yaml,
// embedded in the binary, plus an organisation's own files) and matches an
// address's domain or its MX hosts to a provider.
package providers

import (
	"net/url"
	"strings"

	"github.com/postino/postino/probe"
)

// Provider is one mail provider's settings, as providers.yaml has them.
type Provider struct {
	ID      string
	Name    string
	Domains []string // exact domains and wildcards such as "*.example.com"
	MX      []string // MX host patterns: a custom domain hosted here
	// Incoming and Outgoing are in order of preference; later ones are
	// fallbacks. Their Username is a pattern: %EMAILADDRESS%,
	// %EMAILLOCALPART%, %EMAILDOMAIN%, or literal text.
	Incoming []probe.Server
	Outgoing []probe.Server
	// Auth is how the person logs in, preferred first in Auths when
	// there are several (oauth2 alongside a password where both work).
	Auth   probe.Auth
	Auths  []probe.Auth
	OAuth2 *OAuth2      // how to sign in, when Auths has oauth2
	Hints  []probe.Text // advice shown before the password
	Docs   string       // the provider's own documentation of these settings
	PEC    bool         // Italian certified mail (posta elettronica certificata)
	Source string       // file:line where the entry was read
	// patch is an organisation's entry that sets only the oauth2 client
	// of a provider defined in an earlier file.
	patch bool
}

// IsHelpPage reports whether a provider's documentation link is a page
// for people: a link to Thunderbird's autoconfig database, or another XML
// file, is for mail programs and is not shown as help.
func IsHelpPage(link string) bool {
	u, err := url.Parse(link)
	return link != "" && err == nil && !strings.EqualFold(u.Hostname(), "autoconfig.thunderbird.net") &&
		!strings.HasSuffix(strings.ToLower(u.Path), ".xml")
}
