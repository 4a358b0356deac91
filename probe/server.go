// Package probe live-tests mail servers: it connects, sets up TLS, logs in and
// says in a typed diagnosis what went wrong. It knows nothing of the wizard or
// of the terminal.
package probe

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Protocol is a mail access or submission protocol.
type Protocol string

// The protocols postino tests.
const (
	IMAP Protocol = "imap"
	POP3 Protocol = "pop3"
	SMTP Protocol = "smtp"
)

// Security is how a connection is protected.
type Security string

// Implicit TLS, STARTTLS (required, never optional), or none at all.
const (
	TLS      Security = "tls"
	StartTLS Security = "starttls"
	None     Security = "none"
)

// Auth is the kind of credential a server expects.
type Auth string

// Kinds of credential.
const (
	AuthPassword    Auth = "password"
	AuthAppPassword Auth = "app-password"
	AuthOAuth2      Auth = "oauth2"
)

// Server is one incoming or outgoing server, as DESIGN.md's JSON has it.
type Server struct {
	Protocol Protocol `json:"protocol"`
	Host     string   `json:"host"`
	Port     int      `json:"port"`
	Security Security `json:"security"`
	Username string   `json:"username"`
	Auth     Auth     `json:"auth"`
}

// Address is host:port, with brackets around an IPv6 host.
func (s Server) Address() string {
	return net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
}

// String is the server's URL in aerc's convention, e.g. imaps://host:993.
func (s Server) String() string {
	return schemeOf(s.Protocol, s.Security) + "://" + s.Address()
}

// Incoming reports whether the server is for reading mail.
func (s Server) Incoming() bool { return s.Protocol == IMAP || s.Protocol == POP3 }

type scheme struct {
	protocol Protocol
	security Security
	port     int
}

// schemes follows aerc: "s" is implicit TLS, the bare name is STARTTLS
// required, "+insecure" is no TLS at all.
var schemes = map[string]scheme{
	"imaps":         {IMAP, TLS, 993},
	"imap":          {IMAP, StartTLS, 143},
	"imap+insecure": {IMAP, None, 143},
	"pop3s":         {POP3, TLS, 995},
	"pop3":          {POP3, StartTLS, 110},
	"pop3+insecure": {POP3, None, 110},
	"smtps":         {SMTP, TLS, 465},
	"smtp":          {SMTP, StartTLS, 587},
	"smtp+insecure": {SMTP, None, 587},
}

func schemeOf(p Protocol, s Security) string {
	name := string(p)
	switch s {
	case TLS:
		name += "s"
	case None:
		name += "+insecure"
	}
	return name
}

// DefaultPort is the standard port for a protocol and security.
func DefaultPort(p Protocol, s Security) int {
	return schemes[schemeOf(p, s)].port
}

// URLProblem is what is wrong with a server URL.
type URLProblem int

// What ParseURL can refuse.
const (
	URLMalformed URLProblem = iota
	URLUnknownScheme
	URLHasPassword
	URLHasPath
	URLBadPort
	// URLControl is a user name or host with control characters, such as
	// the line break in pop3s://a%0D%0ADELE%201@host that would make a
	// second command of the user name.
	URLControl
)

// URLError is a server URL that ParseURL refused; the person-facing
// sentence is the caller's, in the person's language.
type URLError struct {
	URL     string // as given, but with any password masked
	Problem URLProblem
}

func (e *URLError) Error() string {
	return fmt.Sprintf("bad server URL %q (problem %d)", e.URL, e.Problem)
}

// ParseURL reads a server URL such as imaps://mail.example.com:993. A missing
// port takes the scheme's default; a user name in the URL is kept, a password
// is refused so that it never sits on a command line.
func ParseURL(raw string) (Server, error) {
	bad := func(p URLProblem) (Server, error) { return Server{}, &URLError{URL: raw, Problem: p} }
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return bad(URLMalformed)
	}
	sc, ok := schemes[strings.ToLower(u.Scheme)]
	if !ok {
		return bad(URLUnknownScheme)
	}
	if _, hasPassword := u.User.Password(); hasPassword {
		return Server{}, &URLError{URL: u.Redacted(), Problem: URLHasPassword}
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		return bad(URLHasPath)
	}
	port := sc.port
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return bad(URLBadPort)
		}
		port = n
	}
	if u.Hostname() == "" {
		return bad(URLMalformed)
	}
	s := Server{Protocol: sc.protocol, Host: u.Hostname(), Port: port, Security: sc.security, Auth: AuthPassword}
	if u.User != nil {
		s.Username = u.User.Username()
	}
	if HasControl(s.Host) || HasControl(s.Username) {
		return bad(URLControl)
	}
	return s, nil
}

// HasControl reports whether s holds a control character (C0, DEL, C1) or
// invalid UTF-8. No host or user name postino sends or shows may: a line
// break would end the command it goes in, an escape would drive the
// terminal it is shown on.
func HasControl(s string) bool {
	return !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0
}
