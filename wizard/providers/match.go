package providers

import (
	"strings"

	"github.com/postino/postino/wizard/mailbox"
	"golang.org/x/net/idna"
)

// ByDomain finds the provider for an address's domain: an exact domain
// first, then the longest matching wildcard. The domain may be written in
// any case, in Unicode or in punycode, with or without a final dot.
func (db *DB) ByDomain(domain string) (*Provider, bool) {
	name, ok := normalizeHost(domain)
	if !ok {
		return nil, false
	}
	if l := db.lazy; l != nil && l.scan != nil && !l.scan().mayMatchDomain(name) {
		// No pattern of the lazy file matches: the files over it answer.
		if db.over == nil {
			return nil, false
		}
		return db.over.ByDomain(name)
	}
	db.ready()
	return lookup(db.domains, db.wildcards, name)
}

// ByMX finds the provider hosting a domain from the domain's MX hosts, taken
// in the order given (normally by preference): the first host that matches
// any provider's MX pattern decides. For that host an exact pattern wins
// over a wildcard, and a longer wildcard over a shorter one.
func (db *DB) ByMX(hosts []string) (*Provider, bool) {
	if l := db.lazy; l != nil && l.scan != nil && !l.scan().mayMatchMX(hosts) {
		if db.over == nil {
			return nil, false
		}
		return db.over.ByMX(hosts)
	}
	db.ready()
	for _, h := range hosts {
		name, ok := normalizeHost(h)
		if !ok {
			continue
		}
		if p, ok := lookup(db.mxExact, db.mxWild, name); ok {
			return p, true
		}
	}
	return nil, false
}

// lookup matches name exactly, then against "*.suffix" wildcards from the
// longest suffix to the shortest. A wildcard never matches the bare suffix.
func lookup(exact, wild map[string]*Provider, name string) (*Provider, bool) {
	if p, ok := exact[name]; ok {
		return p, true
	}
	for rest := name; ; {
		i := strings.IndexByte(rest, '.')
		if i < 0 {
			return nil, false
		}
		rest = rest[i+1:]
		if p, ok := wild[rest]; ok {
			return p, true
		}
	}
}

// normalizeHost turns a domain or host name as a person or a resolver gives
// it into the lower-case ASCII form that providers files are indexed by.
func normalizeHost(s string) (string, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if s == "" {
		return "", false
	}
	ascii, err := idna.Lookup.ToASCII(s)
	if err != nil {
		return "", false
	}
	return strings.ToLower(ascii), true
}

// normalizePattern checks a domain or MX pattern from a providers file and
// returns it in the form normalizeHost gives: a host name, or "*." and a
// host name of at least two labels. It reports why a pattern is refused.
func normalizePattern(s string) (string, string) {
	wild := strings.HasPrefix(s, "*.")
	host := strings.TrimPrefix(s, "*.")
	if strings.Contains(host, "*") {
		return "", "a wildcard may only be a leading \"*.\" label"
	}
	if strings.HasSuffix(host, ".") || strings.HasPrefix(host, ".") || strings.Contains(host, "..") {
		return "", "it has an empty label"
	}
	name, ok := normalizeHost(host)
	if !ok || !mailbox.ValidHostname(name) {
		return "", "it is not a valid domain name"
	}
	if !strings.Contains(name, ".") {
		return "", "it needs at least two labels, as in example.com"
	}
	if wild {
		return "*." + name, ""
	}
	return name, ""
}

// wildcardSuffix reports the suffix of a normalised "*.suffix" pattern.
func wildcardSuffix(pattern string) (string, bool) {
	return strings.CutPrefix(pattern, "*.")
}
