// Package mailbox holds what the wizard's packages say about a mailbox:
// its address, the settings found for it and where they came from. It is
// the small shared root that the flow, discovery and the front ends all
// import, so that none of them has to import another for its types.
package mailbox

import (
	"fmt"
	"net"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/postino/postino/probe"
	"golang.org/x/net/idna"
)

// Address is an email address as postino uses it: the domain for display
// in Unicode, and in ASCII (punycode) for DNS, URLs and servers.
type Address struct {
	Local       string // as typed, case kept: some servers care
	Domain      string // lower case, Unicode: "posta.città.it"
	ASCIIDomain string // lower case, punycode: "posta.xn--citt-4na.it"
}

// String is the address as a person reads it.
func (a Address) String() string { return a.Local + "@" + a.Domain }

// ASCII is the address as it goes on the wire: the domain in punycode.
func (a Address) ASCII() string { return a.Local + "@" + a.ASCIIDomain }

// AddressProblem is what is wrong with a typed address.
type AddressProblem int

// What ParseAddress can refuse.
const (
	AddressEmpty AddressProblem = iota
	AddressNoAt
	AddressTwoAt
	AddressSpace
	AddressEmptyLocal
	AddressEmptyDomain
	AddressTooLong
	AddressLocalTooLong
	AddressBadLocal
	AddressBadDomain
)

// AddressProblemTexts says each problem to the person, in both languages.
var AddressProblemTexts = map[AddressProblem]probe.Text{
	AddressEmpty: {
		EN: "Type your email address, for example mario.rossi@example.com.",
		IT: "Scrivi il tuo indirizzo email, per esempio mario.rossi@example.com.",
	},
	AddressNoAt: {
		EN: "An email address has an @ between the name and the domain, for example mario.rossi@example.com.",
		IT: "Un indirizzo email ha una @ tra il nome e il dominio, per esempio mario.rossi@example.com.",
	},
	AddressTwoAt: {
		EN: "The address has more than one @: an email address has exactly one.",
		IT: "L'indirizzo ha più di una @: un indirizzo email ne ha una sola.",
	},
	AddressSpace: {
		EN: "The address contains a space: email addresses have none.",
		IT: "L'indirizzo contiene uno spazio: gli indirizzi email non ne hanno.",
	},
	AddressEmptyLocal: {
		EN: "The name before the @ is missing.",
		IT: "Manca il nome prima della @.",
	},
	AddressEmptyDomain: {
		EN: "The domain after the @ is missing, for example example.com.",
		IT: "Manca il dominio dopo la @, per esempio example.com.",
	},
	AddressTooLong: {
		EN: "The address is too long: an email address has at most 254 characters.",
		IT: "L'indirizzo è troppo lungo: un indirizzo email ha al massimo 254 caratteri.",
	},
	AddressLocalTooLong: {
		EN: "The name before the @ is too long: it can have at most 64 characters.",
		IT: "Il nome prima della @ è troppo lungo: può avere al massimo 64 caratteri.",
	},
	AddressBadLocal: {
		EN: "The name before the @ contains a character email addresses cannot have.",
		IT: "Il nome prima della @ contiene un carattere che gli indirizzi email non possono avere.",
	},
	AddressBadDomain: {
		EN: "The domain after the @ is not a valid domain name; check its spelling.",
		IT: "Il dominio dopo la @ non è un nome di dominio valido; controlla come è scritto.",
	},
}

// Text says the problem to the person.
func (p AddressProblem) Text() probe.Text { return AddressProblemTexts[p] }

// AddressError is an address ParseAddress refused; the sentence for the
// person is Problem.Text(), in their language.
type AddressError struct {
	Input   string
	Problem AddressProblem
}

func (e *AddressError) Error() string {
	return fmt.Sprintf("invalid email address %q: %s", e.Input, e.Problem.Text().EN)
}

// Limits of RFC 5321, section 4.5.3.1: the path (less its angle brackets)
// and the local part, in octets as they go on the wire.
const (
	maxAddress = 254
	maxLocal   = 64
)

// specials cannot stand unquoted in a local part (RFC 5322, 3.2.3); quoted
// local parts are left out because no provider hands them out.
const specials = `"(),:;<>[\]`

// ParseAddress reads an address as a person types it: surrounding blanks
// are dropped, the domain may be in Unicode or punycode and in any case.
func ParseAddress(s string) (Address, error) {
	s = strings.TrimSpace(s)
	bad := func(p AddressProblem) (Address, error) { return Address{}, &AddressError{Input: s, Problem: p} }
	switch {
	case s == "":
		return bad(AddressEmpty)
	case strings.IndexFunc(s, unicode.IsSpace) >= 0:
		return bad(AddressSpace)
	case utf8.RuneCountInString(s) > maxAddress:
		return bad(AddressTooLong)
	case strings.Count(s, "@") == 0:
		return bad(AddressNoAt)
	case strings.Count(s, "@") > 1:
		return bad(AddressTwoAt)
	}
	local, domain, _ := strings.Cut(s, "@")
	switch {
	case local == "":
		return bad(AddressEmptyLocal)
	case domain == "":
		return bad(AddressEmptyDomain)
	case !validLocal(local):
		return bad(AddressBadLocal)
	case len(local) > maxLocal:
		return bad(AddressLocalTooLong)
	}
	ascii, display, err := ParseDomain(domain)
	if err != nil {
		return bad(AddressBadDomain)
	}
	a := Address{Local: local, Domain: display, ASCIIDomain: ascii}
	if len(a.ASCII()) > maxAddress {
		return bad(AddressTooLong)
	}
	return a, nil
}

// validLocal accepts what mail systems hand out, UTF-8 included (RFC 6531),
// and refuses control characters and the specials.
func validLocal(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || strings.ContainsRune(specials, r) || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// lookupProfile maps a domain for lookup (case, width, normalisation) as
// RFC 5891 section 5 and UTS #46 say, and checks label lengths too.
var lookupProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.VerifyDNSLength(true))

// ParseDomain checks a domain name and gives it in ASCII (punycode) and in
// Unicode. One trailing dot is allowed; an IP address, a one-label name or
// an all-digit top-level label is not a mail domain.
func ParseDomain(s string) (ascii, display string, err error) {
	bad := func() (string, string, error) {
		return "", "", &AddressError{Input: s, Problem: AddressBadDomain}
	}
	name := strings.TrimSuffix(s, ".")
	if name == "" || !utf8.ValidString(name) || net.ParseIP(name) != nil {
		return bad()
	}
	ascii, err = lookupProfile.ToASCII(name)
	if err != nil || !strings.Contains(ascii, ".") {
		return bad()
	}
	if !ValidHostname(ascii) {
		return bad()
	}
	labels := strings.Split(ascii, ".")
	if strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return bad()
	}
	display, err = lookupProfile.ToUnicode(ascii)
	if err != nil {
		return bad()
	}
	return ascii, display, nil
}

// ValidHostname reports whether an ASCII host name is at most 253
// characters of labels of letters, digits and inner hyphens, each at most
// 63 long (RFC 1123); idna has mapped its case and width before.
func ValidHostname(name string) bool {
	if len(name) > 253 {
		return false
	}
	for _, l := range strings.Split(name, ".") {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// IsIP reports whether host is an IP address (bracketed or not) rather
// than a name.
func IsIP(host string) bool {
	return net.ParseIP(strings.Trim(host, "[]")) != nil
}

// IPHosts are the hosts of servers that are reached over TLS by an IP
// address rather than a name, each once, in order: mail programs check a
// certificate's names against them.
func IPHosts(servers ...probe.Server) []string {
	var hosts []string
	for _, s := range servers {
		if s.Security != probe.None && IsIP(s.Host) && !slices.Contains(hosts, s.Host) {
			hosts = append(hosts, s.Host)
		}
	}
	return hosts
}
