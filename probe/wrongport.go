package probe

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"time"
)

// A port speaks either implicit TLS (993, 995, 465), where the client's
// TLS hello comes first, or plain text with STARTTLS (143, 110, 587),
// where the server greets first. Given the wrong one, a test would fail
// with a garbled handshake or wait out its whole timeout; these find out
// which the port speaks, so that the explanation can name the fix.

// greetingWait is how long a server on a port without implicit TLS may say
// nothing before postino checks whether the port is waiting for a TLS
// hello instead. Mail servers greet at once.
const greetingWait = 3 * time.Second

var (
	errPlaintextPort = errors.New("the port speaks plain text first (STARTTLS or no TLS), not TLS")
	errTLSPort       = errors.New("the port speaks TLS from the first byte: it sent no greeting and took a TLS handshake")
)

// beginGreeting starts the greeting step. On a port without implicit TLS,
// a server silent for greetingWait may be waiting for a TLS hello: while
// the greeting is still awaited, a new connection to the same address
// tries a TLS handshake, and if the server takes it the port is an
// implicit-TLS one and waiting on is pointless. A greeting that arrives
// first wins, however late, until the test's deadline.
func (c *conversation) beginGreeting() *Failure {
	c.begin("greeting")
	deadline, ok := c.deadline()
	if c.server.Security == TLS || !ok || time.Until(deadline) <= greetingWait {
		return nil
	}
	c.raw.SetReadDeadline(time.Now().Add(greetingWait))
	_, err := c.br.Peek(1)
	c.raw.SetReadDeadline(deadline)
	if err == nil || !isTimeout(err) || c.ctx.Err() != nil {
		c.unblockIfCancelled()
		return nil
	}
	c.tracef("-- no greeting within %s: trying a TLS handshake on a new connection", greetingWait)
	ctx, cancel := context.WithCancel(c.ctx)
	defer cancel()
	tlsPort := make(chan bool, 1)
	go func() {
		yes := c.speaksTLS(ctx)
		if yes {
			c.raw.SetReadDeadline(time.Now()) // stop awaiting the greeting
		}
		tlsPort <- yes
	}()
	_, err = c.br.Peek(1)
	cancel()
	yes := <-tlsPort
	c.raw.SetReadDeadline(deadline)
	c.unblockIfCancelled()
	if err != nil && yes {
		return fail(CodeProtocolError, c.step, errTLSPort)
	}
	return nil
}

// unblockIfCancelled puts back the deadline that a cancelled test sets to
// unblock every read, should a deadline set since have replaced it.
func (c *conversation) unblockIfCancelled() {
	if c.ctx.Err() != nil {
		c.raw.SetDeadline(time.Now())
	}
}

// speaksTLS reports whether the server's address takes a TLS handshake on
// a new connection; nothing is sent inside it. A certificate that would
// be refused, or a TLS version too old, still shows that the port speaks
// TLS.
func (c *conversation) speaksTLS(ctx context.Context) bool {
	conn, err := c.dialer.DialContext(ctx, "tcp", c.raw.RemoteAddr().String())
	if err != nil {
		return false
	}
	defer conn.Close()
	if d, ok := ctx.Deadline(); ok {
		conn.SetDeadline(d)
	}
	check := &tlsCheck{roots: c.tls.roots, pins: c.tls.pins}
	err = tls.Client(conn, check.config(c.server.Host)).HandshakeContext(ctx)
	if err == nil {
		return true
	}
	code := tlsFailure("", err).Code
	return code != CodeTLSHandshakeFailed && code != CodeTimeout
}

// greetedInPlaintext names the cause of a failed implicit-TLS handshake
// whose first bytes from the server were a mail server's greeting: the
// port speaks plain text first.
func greetedInPlaintext(f *Failure) *Failure {
	var rh tls.RecordHeaderError
	if f.Code == CodeTLSHandshakeFailed && errors.As(f.Err, &rh) && mailGreeting(string(rh.RecordHeader[:])) {
		f.Err = fmt.Errorf("%w: the server began with %q", errPlaintextPort, rh.RecordHeader[:])
	}
	return f
}

// mailGreeting reports whether s begins as an IMAP ("* OK"), POP3 ("+OK",
// "-ERR") or SMTP ("220 ", "220-") server's first line does.
func mailGreeting(s string) bool {
	for _, prefix := range []string{"* ", "+OK", "-ERR"} {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return len(s) >= 4 && isDigit(s[0]) && isDigit(s[1]) && isDigit(s[2]) && (s[3] == ' ' || s[3] == '-')
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
