package probe

import (
	"net"
	"strconv"
	"strings"
)

// smtpReply is a whole SMTP reply, its lines joined.
type smtpReply struct {
	code  int
	lines []string
}

func (r smtpReply) String() string {
	return strconv.Itoa(r.code) + " " + strings.Join(r.lines, " / ")
}

// parseSMTPLine reads "250-text" or "250 text": the code, whether more
// lines follow, and the text.
func parseSMTPLine(line string) (code int, more bool, text string, ok bool) {
	if len(line) < 3 {
		return 0, false, "", false
	}
	code, err := strconv.Atoi(line[:3])
	if err != nil || code < 200 || code > 599 {
		return 0, false, "", false
	}
	if len(line) == 3 {
		return code, false, "", true
	}
	switch line[3] {
	case '-':
		more = true
	case ' ':
	default:
		return 0, false, "", false
	}
	return code, more, line[4:], true
}

func (c *conversation) smtpReply() (smtpReply, error) {
	var r smtpReply
	for {
		line, err := c.readLine()
		if err != nil {
			return r, err
		}
		code, more, text, ok := parseSMTPLine(line)
		if !ok || r.code != 0 && code != r.code {
			return r, refused(CodeProtocolError, c.step, line)
		}
		r.code = code
		r.lines = append(r.lines, text)
		if !more {
			return r, nil
		}
	}
}

func (c *conversation) smtpCommand(line, shown string) (smtpReply, error) {
	if err := c.send(line, shown); err != nil {
		return smtpReply{}, err
	}
	return c.smtpReply()
}

// ehlo greets the server by our address literal and reads its extensions.
func (c *conversation) ehlo() *Failure {
	r, err := c.smtpCommand("EHLO "+c.heloName(), "EHLO "+c.heloName())
	if err != nil {
		return c.fail(err)
	}
	if r.code != 250 {
		return refused(CodeProtocolError, c.step, r.String())
	}
	c.caps, c.mechs = r.lines[1:], nil
	for _, ext := range c.caps {
		f := strings.Fields(ext)
		if len(f) > 0 && (strings.EqualFold(f[0], "AUTH") || strings.EqualFold(f[0], "AUTH=LOGIN")) {
			for _, m := range f[1:] {
				c.mechs = appendNew(c.mechs, strings.ToUpper(m))
			}
		}
	}
	return nil
}

func appendNew(list []string, s string) []string {
	if hasCap(list, s) {
		return list
	}
	return append(list, s)
}

// heloName is the address literal of our end of the connection, what RFC
// 5321 asks of a client without a meaningful host name.
func (c *conversation) heloName() string {
	host, _, err := net.SplitHostPort(c.raw.LocalAddr().String())
	ip := net.ParseIP(host)
	if err != nil || ip == nil {
		return "[127.0.0.1]"
	}
	if ip.To4() == nil {
		return "[IPv6:" + ip.String() + "]"
	}
	return "[" + ip.String() + "]"
}

func (c *conversation) smtp() *Failure {
	if f := c.beginGreeting(); f != nil {
		return f
	}
	r, err := c.smtpReply()
	if len(r.lines) > 0 {
		c.greeting = strconv.Itoa(r.code) + " " + strings.Join(r.lines, " ")
	}
	if err != nil {
		return c.fail(err)
	}
	if r.code != 220 {
		// 554 and 421 are a server that will not talk to us now.
		return refused(CodeServerUnavailable, c.step, r.String())
	}
	c.quit = "QUIT"
	c.begin("capabilities")
	if f := c.ehlo(); f != nil {
		return f
	}
	if c.server.Security == StartTLS {
		if !hasCap(c.caps, "STARTTLS") {
			return fail(CodeStartTLSNotOffered, c.step, nil)
		}
		c.begin("starttls")
		r, err := c.smtpCommand("STARTTLS", "STARTTLS")
		if err != nil {
			return c.fail(err)
		}
		if r.code != 220 {
			return refused(CodeStartTLSFailed, c.step, r.String())
		}
		if f := c.startTLS(c.server.Host, c.tls); f != nil {
			return f
		}
		// Everything said before TLS could have been forged: ask again.
		c.begin("capabilities")
		if f := c.ehlo(); f != nil {
			return f
		}
	}

	if c.credential() == "" {
		return nil
	}
	if f := c.mayLogin(); f != nil {
		return f
	}
	c.begin("login")
	a := c.login()
	if a.mech == "" {
		if a.token || len(c.mechs) > 0 {
			return fail(CodeAuthMechanismUnsupported, c.step, nil)
		}
		// No AUTH at all: a relay for its own network, not a submission server.
		return fail(CodeLoginDisabled, c.step, nil)
	}
	r, err = c.smtpAuth(a)
	if err != nil {
		return c.fail(err)
	}
	switch {
	case r.code == 235:
		c.loggedIn = true
		return nil
	case c.tokenRefused():
		// go-smtp, for one, ends a refused token with 454.
		return c.loginRefused(r.String())
	case r.code == 530 || r.code == 538:
		// "Must issue a STARTTLS command first" / encryption required.
		return refused(CodeCleartextRefused, c.step, r.String())
	case r.code == 504:
		return refused(CodeAuthMechanismUnsupported, c.step, r.String())
	case r.code == 454 || r.code == 421 || r.code == 452:
		return refused(CodeServerUnavailable, c.step, r.String())
	case r.code == 535 || r.code == 534 || r.code >= 500:
		return c.loginRefused(r.String())
	}
	return refused(CodeProtocolError, c.step, r.String())
}

// smtpAuth runs AUTH (RFC 4954), with the initial response on the command
// line where the mechanism has one.
func (c *conversation) smtpAuth(a *saslClient) (smtpReply, error) {
	line, shown := a.open("AUTH", true)
	return saslExchange(c, a, line, shown, func(line, shown string) (smtpReply, string, bool, error) {
		r, err := c.smtpCommand(line, shown)
		challenge := ""
		if len(r.lines) > 0 {
			challenge = r.lines[0]
		}
		return r, challenge, r.code == 334, err
	})
}
