package providers

import (
	"strings"

	"golang.org/x/net/publicsuffix"
)

// maxTypoDistance is how far a typed domain may be from a known one to be
// taken for a slip of the keyboard: two edits, a swap of neighbours
// counting as one (gmial.com, hotmial.con, libero.ti); one edit only for
// a known domain whose name is short (me.com, gmx.de), which many real
// domains are two edits from (acme.com).
func maxTypoDistance(known string) int {
	name, _, _ := strings.Cut(known, ".")
	if len(name) <= 4 {
		return 1
	}
	return 2
}

// tldSlips are common slips in the last label, and what was meant.
var tldSlips = map[string]string{
	"con": "com", "cm": "com", "cmo": "com", "ocm": "com", "comm": "com", "vom": "com", "xom": "com", "co": "com",
	"ti": "it", "itt": "it", "iy": "it",
	"ent": "net", "nte": "net", "met": "net",
	"ogr": "org", "rog": "org",
}

// Suggest is the known domain that domain (lower-case ASCII) is probably
// a typo of: a domain of the providers files within two edits of it
// (Damerau: swapping two neighbours is one; one for a short name), or the same with a common
// slip of the last label fixed (.con, .cm, .ti, .ocm). A domain the files
// know is no typo. The closest wins, the earlier in the files on a tie.
// It does not know whether domain exists: the caller asks DNS first.
func (db *DB) Suggest(domain string) (string, bool) {
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	if _, ok := db.ByDomain(domain); ok || domain == "" {
		return "", false
	}
	// Every known domain is a candidate: a lazy list is read now.
	db.ready()
	fixed := domain
	if i := strings.LastIndexByte(domain, '.'); i >= 0 {
		if tld, ok := tldSlips[domain[i+1:]]; ok {
			fixed = domain[:i+1] + tld
		}
	}
	best, bestDist := "", 3
	for _, p := range db.providers {
		for _, known := range p.Domains {
			if strings.HasPrefix(known, "*") || db.domains[known] != p {
				continue
			}
			d := min(distance(domain, known), distance(fixed, known))
			if d <= maxTypoDistance(known) && d < bestDist {
				best, bestDist = known, d
			}
		}
	}
	return best, best != ""
}

// distance is the optimal string alignment distance of a and b, by bytes
// (the domains are ASCII): insertions, deletions, substitutions and swaps
// of neighbours each count one.
func distance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// OfferSuggestion decides, from DNS's answer about the typed domain,
// whether a suggested domain may be offered instead: never when the typed
// domain receives mail (hasMail: it has MX records); when DNS could not
// tell (dnsErr: offline, or no answer), only when the typed domain cannot
// exist.
func OfferSuggestion(domain string, hasMail bool, dnsErr error) bool {
	switch {
	case hasMail:
		return false
	case dnsErr != nil:
		return UnknownTLD(domain)
	}
	return true
}

// UnknownTLD reports whether domain ends in a label that is no top-level
// domain (gmail.con, libero.ti): such a domain cannot receive mail, which
// is known without asking DNS.
func UnknownTLD(domain string) bool {
	_, icann := publicsuffix.PublicSuffix(strings.ToLower(strings.TrimSuffix(domain, ".")))
	return !icann
}
