package probe

import (
	"strings"
)

// pop3Reply is one POP3 status line: +OK, -ERR, or a SASL continuation "+ ".
type pop3Reply struct {
	ok, cont bool
	code     string // RFC 2449 response code: AUTH, SYS/TEMP, IN-USE, ...
	text     string
}

// parsePOP3Reply reads a status line, with its [CODE] if any (RFC 2449).
func parsePOP3Reply(line string) (pop3Reply, bool) {
	var r pop3Reply
	var rest string
	switch {
	case line == "+OK" || strings.HasPrefix(line, "+OK "):
		r.ok, rest = true, strings.TrimPrefix(line[3:], " ")
	case line == "-ERR" || strings.HasPrefix(line, "-ERR "):
		rest = strings.TrimPrefix(line[4:], " ")
	case line == "+" || strings.HasPrefix(line, "+ "):
		r.cont, r.text = true, strings.TrimPrefix(line[1:], " ")
		return r, true
	default:
		return r, false
	}
	if strings.HasPrefix(rest, "[") {
		if end := strings.IndexByte(rest, ']'); end > 0 {
			r.code, rest = strings.ToUpper(rest[1:end]), strings.TrimSpace(rest[end+1:])
		}
	}
	r.text = rest
	return r, true
}

func (c *conversation) pop3Reply() (pop3Reply, error) {
	line, err := c.readLine()
	if err != nil {
		return pop3Reply{}, err
	}
	r, ok := parsePOP3Reply(line)
	if !ok {
		return r, refused(CodeProtocolError, c.step, line)
	}
	return r, nil
}

func (c *conversation) pop3Command(line, shown string) (pop3Reply, error) {
	if err := c.send(line, shown); err != nil {
		return pop3Reply{}, err
	}
	return c.pop3Reply()
}

// pop3Lines reads a multi-line answer up to its "." line, undoing the
// dot-stuffing.
func (c *conversation) pop3Lines() ([]string, error) {
	var lines []string
	for {
		line, err := c.readLine()
		if err != nil {
			return nil, err
		}
		if line == "." {
			return lines, nil
		}
		lines = append(lines, strings.TrimPrefix(line, "."))
	}
}

// pop3Capa asks for CAPA (RFC 2449). A server too old for CAPA answers
// -ERR, which leaves the capabilities unknown rather than failing.
func (c *conversation) pop3Capa() (bool, error) {
	r, err := c.pop3Command("CAPA", "CAPA")
	if err != nil || !r.ok {
		return false, err
	}
	lines, err := c.pop3Lines()
	if err != nil {
		return false, err
	}
	c.caps, c.mechs = lines, nil
	for _, l := range lines {
		if f := strings.Fields(l); len(f) > 0 && strings.EqualFold(f[0], "SASL") {
			for _, m := range f[1:] {
				c.mechs = append(c.mechs, strings.ToUpper(m))
			}
		}
	}
	return true, nil
}

func (c *conversation) pop3() *Failure {
	if f := c.beginGreeting(); f != nil {
		return f
	}
	r, err := c.pop3Reply()
	c.greeting = r.text
	if err != nil {
		return c.fail(err)
	}
	if !r.ok {
		return refused(CodeServerUnavailable, c.step, r.text)
	}
	c.quit = "QUIT"
	c.begin("capabilities")
	known, err := c.pop3Capa()
	if err != nil {
		return c.fail(err)
	}
	if c.server.Security == StartTLS {
		if known && !hasCap(c.caps, "STLS") {
			return fail(CodeStartTLSNotOffered, c.step, nil)
		}
		c.begin("starttls")
		r, err := c.pop3Command("STLS", "STLS")
		if err != nil {
			return c.fail(err)
		}
		if !r.ok {
			code := CodeStartTLSFailed
			if !known {
				code = CodeStartTLSNotOffered
			}
			return refused(code, c.step, r.text)
		}
		if f := c.startTLS(c.server.Host, c.tls); f != nil {
			return f
		}
		// Everything said before TLS could have been forged: ask again.
		c.caps, c.mechs = nil, nil
		c.begin("capabilities")
		if known, err = c.pop3Capa(); err != nil {
			return c.fail(err)
		}
	}

	if c.credential() == "" {
		return nil
	}
	if f := c.mayLogin(); f != nil {
		return f
	}
	c.begin("login")
	r, err = c.pop3Login(known)
	if err != nil {
		return c.fail(err)
	}
	switch {
	case r.ok:
		c.loggedIn = true
		return nil
	case c.tokenRefused():
		return c.loginRefused(r.text)
	case r.code == "SYS/TEMP" || r.code == "IN-USE" || r.code == "LOGIN-DELAY":
		return refused(CodeServerUnavailable, c.step, r.text)
	}
	return c.loginRefused(r.text)
}

// pop3Login uses AUTH with its initial response (RFC 5034) where a
// mechanism fits, else USER and PASS unless the server's CAPA lacks USER.
// A token goes only through AUTH.
func (c *conversation) pop3Login(known bool) (pop3Reply, error) {
	a := c.login()
	if a.mech != "" {
		line, shown := a.open("AUTH", true)
		return saslExchange(c, a, line, shown, func(line, shown string) (pop3Reply, string, bool, error) {
			r, err := c.pop3Command(line, shown)
			return r, r.text, r.cont, err
		})
	}
	if a.token || known && !hasCap(c.caps, "USER") {
		if a.token || len(c.mechs) > 0 {
			return pop3Reply{}, fail(CodeAuthMechanismUnsupported, c.step, nil)
		}
		return pop3Reply{}, fail(CodeLoginDisabled, c.step, nil)
	}
	r, err := c.pop3Command("USER "+a.user, "USER "+a.user)
	if err != nil || !r.ok {
		return r, err
	}
	return c.pop3Command("PASS "+a.secret, "PASS [redacted]")
}
