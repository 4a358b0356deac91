package probe

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// imapStatus is a status response: OK, NO, BAD, PREAUTH or BYE, with its
// response code ("ALERT", "CAPABILITY IMAP4rev1 ...") and text.
type imapStatus struct {
	kind, code, text string
}

func (s imapStatus) String() string {
	if s.code != "" {
		return fmt.Sprintf("%s [%s] %s", s.kind, s.code, s.text)
	}
	return s.kind + " " + s.text
}

// parseIMAPStatus reads "OK [CODE args] text".
func parseIMAPStatus(line string) imapStatus {
	kind, rest, _ := strings.Cut(line, " ")
	st := imapStatus{kind: strings.ToUpper(kind), text: rest}
	if strings.HasPrefix(rest, "[") {
		if end := strings.IndexByte(rest, ']'); end > 0 {
			st.code, st.text = rest[1:end], strings.TrimSpace(rest[end+1:])
		}
	}
	return st
}

// imapCaps reads the capability list out of "CAPABILITY IMAP4rev1 ...".
func imapCaps(s string) []string {
	fields := strings.Fields(s)
	if len(fields) == 0 || !strings.EqualFold(fields[0], "CAPABILITY") {
		return nil
	}
	return fields[1:]
}

func hasCap(caps []string, name string) bool {
	return slices.ContainsFunc(caps, func(c string) bool { return strings.EqualFold(c, name) })
}

func (c *conversation) setIMAPCaps(caps []string) {
	c.caps, c.mechs = caps, nil
	for _, cp := range caps {
		if len(cp) > 5 && strings.EqualFold(cp[:5], "AUTH=") {
			c.mechs = append(c.mechs, strings.ToUpper(cp[5:]))
		}
	}
}

func (c *conversation) imap() *Failure {
	if f := c.beginGreeting(); f != nil {
		return f
	}
	line, err := c.readLine()
	if err != nil {
		return c.fail(err)
	}
	c.greeting = line
	if !strings.HasPrefix(line, "* ") {
		return refused(CodeProtocolError, c.step, line)
	}
	greeting := parseIMAPStatus(line[2:])
	c.noteAlert(greeting)
	switch greeting.kind {
	case "OK":
	case "PREAUTH":
		// Logged in before any credential (RFC 9051, 7.1.4): on a
		// STARTTLS port this is the classic way to keep a client off TLS.
		return refused(CodeUnexpectedPreauth, c.step, line)
	case "BYE":
		return refused(CodeServerUnavailable, c.step, greeting.text)
	default:
		return refused(CodeProtocolError, c.step, line)
	}
	c.quit = "z LOGOUT"
	caps := imapCaps(greeting.code)
	if caps == nil {
		c.begin("capabilities")
		if caps, err = c.imapCapability(); err != nil {
			return c.fail(err)
		}
	}
	c.setIMAPCaps(caps)

	if c.server.Security == StartTLS {
		if !hasCap(caps, "STARTTLS") {
			return fail(CodeStartTLSNotOffered, c.step, nil)
		}
		c.begin("starttls")
		st, cont, err := c.imapCommand("s", "s STARTTLS", "s STARTTLS")
		if err != nil {
			return c.fail(err)
		}
		if cont != "" || st.kind != "OK" {
			return refused(CodeStartTLSFailed, c.step, st.String()+cont)
		}
		if f := c.startTLS(c.server.Host, c.tls); f != nil {
			return f
		}
		// Everything said before TLS could have been forged: ask again.
		c.begin("capabilities")
		if caps, err = c.imapCapability(); err != nil {
			return c.fail(err)
		}
		c.setIMAPCaps(caps)
	}

	if c.credential() == "" {
		return nil
	}
	if f := c.mayLogin(); f != nil {
		return f
	}
	c.begin("login")
	return c.imapLogin()
}

// imapCapability asks for the capabilities.
func (c *conversation) imapCapability() ([]string, error) {
	var caps []string
	c.onUntagged = func(line string) {
		if found := imapCaps(line); found != nil {
			caps = found
		}
	}
	defer func() { c.onUntagged = nil }()
	st, cont, err := c.imapCommand("c", "c CAPABILITY", "c CAPABILITY")
	if err != nil {
		return nil, err
	}
	if st.kind != "OK" || cont != "" || caps == nil {
		return nil, refused(CodeProtocolError, c.step, st.String()+cont)
	}
	return caps, nil
}

// imapCommand sends a command and reads up to its tagged status, or to a
// continuation request, whose text it returns.
func (c *conversation) imapCommand(tag, line, shown string) (imapStatus, string, error) {
	if err := c.send(line, shown); err != nil {
		return imapStatus{}, "", err
	}
	return c.imapResponse(tag)
}

func (c *conversation) imapResponse(tag string) (imapStatus, string, error) {
	for {
		line, err := c.readLine()
		if err != nil {
			return imapStatus{}, "", err
		}
		switch {
		case line == "+" || strings.HasPrefix(line, "+ "):
			return imapStatus{}, strings.TrimPrefix(strings.TrimPrefix(line, "+"), " ") + " ", nil
		case strings.HasPrefix(line, "* "):
			untagged := line[2:]
			st := parseIMAPStatus(untagged)
			c.noteAlert(st)
			if st.kind == "BYE" {
				return imapStatus{}, "", refused(CodeServerUnavailable, c.step, st.text)
			}
			if c.onUntagged != nil {
				c.onUntagged(untagged)
			}
		case strings.HasPrefix(line, tag+" "):
			st := parseIMAPStatus(line[len(tag)+1:])
			c.noteAlert(st)
			return st, "", nil
		default:
			return imapStatus{}, "", refused(CodeProtocolError, c.step, line)
		}
	}
}

func (c *conversation) noteAlert(st imapStatus) {
	if strings.EqualFold(st.code, "ALERT") {
		c.alerts = append(c.alerts, Sanitize(st.text))
	}
}

// imapLogin logs in with AUTHENTICATE where the mechanism allows,
// else LOGIN unless the server disabled it. A token goes only through
// AUTHENTICATE.
func (c *conversation) imapLogin() *Failure {
	a := c.login()
	var st imapStatus
	var err error
	switch {
	case a.token && a.mech == "":
		return fail(CodeAuthMechanismUnsupported, c.step, nil)
	case a.token || a.mech == "PLAIN" || a.mech != "" && hasCap(c.caps, "LOGINDISABLED"):
		st, err = c.imapAuthenticate(a)
	case !hasCap(c.caps, "LOGINDISABLED"):
		st, err = c.imapLoginCommand(a.user, a.secret)
	case len(c.mechs) > 0:
		return fail(CodeAuthMechanismUnsupported, c.step, nil)
	default:
		return fail(CodeLoginDisabled, c.step, nil)
	}
	if err != nil {
		return c.fail(err)
	}
	return c.imapLoginStatus(st)
}

func (c *conversation) imapLoginStatus(st imapStatus) *Failure {
	code, _, _ := strings.Cut(strings.ToUpper(st.code), " ")
	switch {
	case st.kind == "OK":
		c.loggedIn = true
		return nil
	case c.tokenRefused():
		return c.loginRefused(st.String())
	case code == "UNAVAILABLE" || code == "INUSE" || code == "SERVERBUG":
		return refused(CodeServerUnavailable, c.step, st.String())
	case code == "PRIVACYREQUIRED":
		return refused(CodeCleartextRefused, c.step, st.String())
	case st.kind == "NO":
		return c.loginRefused(st.String())
	}
	return refused(CodeProtocolError, c.step, st.String())
}

// imapAuthenticate runs AUTHENTICATE, sending the initial response at once
// when the server has SASL-IR (RFC 4959) to save a round trip.
func (c *conversation) imapAuthenticate(a *saslClient) (imapStatus, error) {
	line, shown := a.open("a AUTHENTICATE", hasCap(c.caps, "SASL-IR"))
	st, err := saslExchange(c, a, line, shown, func(line, shown string) (imapStatus, string, bool, error) {
		st, cont, err := c.imapCommand("a", line, shown)
		return st, cont, cont != "", err
	})
	if err == nil && st.kind == "BAD" && !a.rejected {
		return st, refused(CodeAuthMechanismUnsupported, c.step, st.String())
	}
	return st, err
}

// imapLoginCommand runs LOGIN with both strings quoted, or sent as literals
// when they hold characters a quoted string cannot carry.
func (c *conversation) imapLoginCommand(user, pass string) (imapStatus, error) {
	nonSync := hasCap(c.caps, "LITERAL+") || hasCap(c.caps, "LITERAL-") && len(user) <= 4096 && len(pass) <= 4096
	// The command in pieces: each synchronising literal ends one, and the
	// next is sent only after the server's "+".
	pieces := []string{"a LOGIN "}
	for i, s := range []string{user, pass} {
		last := len(pieces) - 1
		if i > 0 {
			pieces[last] += " "
		}
		switch {
		case quotable(s):
			pieces[last] += `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
		case nonSync:
			pieces[last] += "{" + strconv.Itoa(len(s)) + "+}\r\n" + s
		default:
			pieces[last] += "{" + strconv.Itoa(len(s)) + "}"
			pieces = append(pieces, s)
		}
	}
	for _, p := range pieces[:len(pieces)-1] {
		st, cont, err := c.imapCommand("a", p, "a LOGIN [redacted]")
		if err != nil || cont == "" {
			return st, err
		}
	}
	st, _, err := c.imapCommand("a", pieces[len(pieces)-1], "a LOGIN [redacted]")
	return st, err
}

// quotable reports whether s can be sent as an IMAP quoted string.
func quotable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
