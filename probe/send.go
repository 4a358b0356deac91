package probe

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Message is the test message Send writes: from an address to itself.
type Message struct {
	// Address is both the sender and the recipient; Name, when set, is
	// the person's name before it in From and To.
	Address string
	Name    string
	// Lang is the language of the subject and the text.
	Lang Lang
	// Date is the message's date; zero means now.
	Date time.Time
	// Text replaces postino's own few lines as the body when set.
	Text string
}

// The steps a sending adds after the login, in order.
const (
	StepMail = "mail"
	StepRcpt = "rcpt"
	StepData = "data"
)

var (
	errNotSMTP       = errors.New("only an SMTP server sends mail")
	errNeedsSMTPUTF8 = errors.New("the address is not ASCII and the server does not offer SMTPUTF8")
)

var (
	textTestSubject = Text{EN: "postino test message", IT: "messaggio di prova di postino"}
	textTestBody    = Text{
		EN: "This is a test message from postino.\nIf you can read it, sending mail from %s through %s works.\n",
		IT: "Questo è un messaggio di prova di postino.\nSe lo leggi, l'invio della posta da %s tramite %s funziona.\n",
	}
)

// Subject is the subject of the test message in lang, for finding it in a
// mailbox.
func Subject(lang Lang) string { return textTestSubject.In(lang) }

// Send logs in to an outgoing (SMTP) server exactly as Test does, with
// the same TLS and STARTTLS rules, and then sends msg from its address to
// that same address. The result is Test's, with the steps StepMail,
// StepRcpt and StepData after the login; a refusal there is
// server_unavailable for a temporary (4xx) answer and protocol_error for a
// permanent one, with the server's reply.
func Send(ctx context.Context, s Server, opts *Options, msg Message) Result {
	if msg.Date.IsZero() {
		msg.Date = time.Now()
	}
	return test(ctx, s, opts, func(c *conversation) *Failure {
		if s.Protocol != SMTP {
			return fail(CodeProtocolError, c.step, errNotSMTP)
		}
		return c.sendMessage(msg)
	})
}

// sendMessage runs MAIL FROM, RCPT TO and DATA on a session that has logged in.
func (c *conversation) sendMessage(msg Message) *Failure {
	from, utf8Local := mailbox(msg.Address)
	params := ""
	eightBit := hasCap(c.caps, "8BITMIME")
	if eightBit {
		params += " BODY=8BITMIME"
	}
	if utf8Local {
		if !hasCap(c.caps, "SMTPUTF8") {
			return fail(CodeProtocolError, StepMail, errNeedsSMTPUTF8)
		}
		params += " SMTPUTF8"
	}
	c.begin(StepMail)
	if f := c.expect("MAIL FROM:<"+from+">"+params, 250); f != nil {
		return f
	}
	c.begin(StepRcpt)
	if f := c.expect("RCPT TO:<"+from+">", 250, 251); f != nil {
		return f
	}
	c.begin(StepData)
	if f := c.expect("DATA", 354); f != nil {
		return f
	}
	data := dotStuff(compose(msg, from, c.server.Host, eightBit))
	c.tracef("C: [the test message, %d bytes]", len(data))
	if _, err := c.conn.Write(data); err != nil {
		return c.fail(err)
	}
	return c.expect(".", 250)
}

// expect sends one command and wants one of the replies given.
func (c *conversation) expect(cmd string, want ...int) *Failure {
	r, err := c.smtpCommand(cmd, cmd)
	if err != nil {
		return c.fail(err)
	}
	for _, code := range want {
		if r.code == code {
			return nil
		}
	}
	if r.code < 500 {
		return refused(CodeServerUnavailable, c.step, r.String())
	}
	return refused(CodeProtocolError, c.step, r.String())
}

// mailbox is the address as SMTP writes it, its domain in ASCII (IDNA), and
// whether its local part still needs SMTPUTF8.
func mailbox(address string) (string, bool) {
	local, domain, ok := strings.Cut(address, "@")
	if !ok {
		return address, !isASCII(address)
	}
	if a, err := idna.Lookup.ToASCII(domain); err == nil {
		domain = a
	}
	return local + "@" + domain, !isASCII(local)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// compose is the message in RFC 5322 form with CRLF line ends: 8bit text
// when the server takes it, else quoted-printable.
func compose(msg Message, from, via string, eightBit bool) []byte {
	text := msg.Text
	if text == "" {
		text = textTestBody.In(msg.Lang, msg.Address, via)
	}
	_, domain, _ := strings.Cut(from, "@")
	if domain == "" {
		domain = "postino.invalid"
	}
	var b bytes.Buffer
	header := func(name, value string) { b.WriteString(name + ": " + value + "\r\n") }
	header("Date", msg.Date.Format(time.RFC1123Z))
	header("From", addressHeader(msg.Name, from))
	header("To", addressHeader(msg.Name, from))
	header("Subject", textTestSubject.In(msg.Lang))
	header("Message-ID", "<"+randomID()+".postino@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\n", "\r\n")
	if !strings.HasSuffix(text, "\r\n") {
		text += "\r\n"
	}
	switch {
	case isASCII(text):
		header("Content-Transfer-Encoding", "7bit")
		b.WriteString("\r\n" + text)
	case eightBit:
		header("Content-Transfer-Encoding", "8bit")
		b.WriteString("\r\n" + text)
	default:
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		w := quotedprintable.NewWriter(&b)
		w.Write([]byte(text))
		w.Close()
	}
	return b.Bytes()
}

// addressHeader is a From or To header's value: the name, when there is
// one, quoted (or as an RFC 2047 encoded word when it is not ASCII) before
// the address in angle brackets.
func addressHeader(name, address string) string {
	if name == "" {
		return "<" + address + ">"
	}
	return (&mail.Address{Name: name, Address: address}).String()
}

// randomID is the random part of a Message-ID.
func randomID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// dotStuff doubles the dot that starts a line (RFC 5321 4.5.2), so that
// no line of the message reads as the lone dot that ends it.
func dotStuff(data []byte) []byte {
	var b bytes.Buffer
	for line := range bytes.Lines(data) {
		if line[0] == '.' {
			b.WriteByte('.')
		}
		b.Write(line)
	}
	return b.Bytes()
}
