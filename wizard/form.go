package wizard

import (
	"strconv"
	"strings"

	"github.com/postino/postino/probe"
)

// Field is one field of a half of the edit form.
type Field int

// The fields, in the order the form shows them.
const (
	FieldNone Field = iota
	FieldHost
	FieldPort
	FieldSecurity
	FieldUsername
)

// Problem is what is wrong with a field; ui words it.
type Problem int

// What a field can be refused for.
const (
	ProblemNotNow Problem = iota
	ProblemHostEmpty
	ProblemHostInvalid
	ProblemPortInvalid
	ProblemSecurityInvalid
	ProblemUsernameEmpty
	ProblemUsernameInvalid // control characters, such as a line break
)

// FieldError is one refused field.
type FieldError struct {
	Role    probe.Role
	Field   Field
	Problem Problem
}

func (e FieldError) Error() string {
	return "field " + strconv.Itoa(int(e.Field)) + ": problem " + strconv.Itoa(int(e.Problem))
}

// ServerForm is one server as text fields, the way the edit form holds it.
type ServerForm struct {
	Host     string
	Port     string
	Security probe.Security
	Username string
}

// FormOf fills a form from a server.
func FormOf(s probe.Server) ServerForm {
	port := ""
	if s.Port > 0 {
		port = strconv.Itoa(s.Port)
	}
	return ServerForm{Host: s.Host, Port: port, Security: s.Security, Username: s.Username}
}

// Securities are what the form offers: a password never travels
// unencrypted from the wizard, so there is no "none".
var Securities = []probe.Security{probe.TLS, probe.StartTLS}

// Server checks the form and returns the server it describes.
func (f ServerForm) Server(p probe.Protocol, role probe.Role) (probe.Server, []FieldError) {
	var errs []FieldError
	bad := func(field Field, problem Problem) { errs = append(errs, FieldError{role, field, problem}) }
	host := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(f.Host)), ".")
	switch {
	case host == "":
		bad(FieldHost, ProblemHostEmpty)
	case !validHost(host):
		bad(FieldHost, ProblemHostInvalid)
	}
	port, err := strconv.Atoi(strings.TrimSpace(f.Port))
	if err != nil || port < 1 || port > 65535 {
		bad(FieldPort, ProblemPortInvalid)
	}
	if f.Security != probe.TLS && f.Security != probe.StartTLS {
		bad(FieldSecurity, ProblemSecurityInvalid)
	}
	user := strings.TrimSpace(f.Username)
	switch {
	case user == "":
		bad(FieldUsername, ProblemUsernameEmpty)
	case probe.HasControl(user):
		bad(FieldUsername, ProblemUsernameInvalid)
	}
	if len(errs) > 0 {
		return probe.Server{}, errs
	}
	return probe.Server{Protocol: p, Host: host, Port: port, Security: f.Security, Username: user, Auth: probe.AuthPassword}, nil
}

// validHost accepts a DNS name or an IP address: letters, digits, dots,
// hyphens and, for IPv6, colons.
func validHost(h string) bool {
	if len(h) > 253 {
		return false
	}
	for _, r := range h {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '-', r == ':':
		case r > 127: // an internationalised name, checked by DNS
		default:
			return false
		}
	}
	return !strings.HasPrefix(h, ".") && !strings.Contains(h, "..")
}
