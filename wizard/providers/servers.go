package providers

import (
	"strings"

	"github.com/postino/postino/probe"
)

// The placeholders a server's user name may hold, as in Thunderbird's
// autoconfig files.
const (
	EmailAddress   = "%EMAILADDRESS%"
	EmailLocalPart = "%EMAILLOCALPART%"
	EmailDomain    = "%EMAILDOMAIN%"
)

var placeholders = []string{EmailAddress, EmailLocalPart, EmailDomain}

// Servers returns the provider's incoming and outgoing servers for one
// address, with the user name patterns filled in; the provider itself is
// not changed.
func (p *Provider) Servers(address string) (incoming, outgoing []probe.Server) {
	return expand(p.Incoming, address), expand(p.Outgoing, address)
}

func expand(servers []probe.Server, address string) []probe.Server {
	address = strings.TrimSpace(address)
	local, domain := address, ""
	if i := strings.LastIndexByte(address, '@'); i >= 0 {
		local, domain = address[:i], address[i+1:]
	}
	r := strings.NewReplacer(EmailAddress, address, EmailLocalPart, local, EmailDomain, domain)
	out := make([]probe.Server, len(servers))
	for i, s := range servers {
		s.Username = r.Replace(s.Username)
		out[i] = s
	}
	return out
}

// unknownPlaceholder returns the first %WORD% in a user name pattern that
// is not one of the placeholders above, or "".
func unknownPlaceholder(pattern string) string {
	for rest := pattern; ; {
		start := strings.IndexByte(rest, '%')
		if start < 0 {
			return ""
		}
		end := strings.IndexByte(rest[start+1:], '%')
		if end < 0 {
			return ""
		}
		word := rest[start : start+end+2]
		known := false
		for _, p := range placeholders {
			if word == p {
				known = true
			}
		}
		if !known {
			return word
		}
		rest = rest[start+end+2:]
	}
}
