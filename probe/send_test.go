package probe

import (
	"bytes"
	"context"
	"io"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// sendBackend is go-smtp's server knowing alice, recording what it is
// sent; rcptErr and dataErr refuse the recipient or the message.
type sendBackend struct {
	mu       sync.Mutex
	from     []string
	to       []string
	bodies   []smtp.BodyType
	messages [][]byte
	rcptErr  error
	dataErr  error
}

func (b *sendBackend) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &sendSession{smtpTestSession: &smtpTestSession{}, b: b}, nil
}

type sendSession struct {
	*smtpTestSession
	b *sendBackend
}

func (s *sendSession) Mail(from string, opts *smtp.MailOptions) error {
	if err := s.smtpTestSession.Mail(from, opts); err != nil {
		return err
	}
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.from = append(s.b.from, from)
	s.b.bodies = append(s.b.bodies, opts.Body)
	return nil
}

func (s *sendSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if s.b.rcptErr != nil {
		return s.b.rcptErr
	}
	s.b.to = append(s.b.to, to)
	return nil
}

func (s *sendSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if s.b.dataErr != nil {
		return s.b.dataErr
	}
	s.b.messages = append(s.b.messages, data)
	return nil
}

func sendWithTrace(t *testing.T, e *inprocEnv, s Server, password string, msg Message) (Result, string) {
	t.Helper()
	var trace bytes.Buffer
	r := Send(context.Background(), s, e.options(password, &trace), msg)
	requireNoSecret(t, trace.String(), r)
	return r, trace.String()
}

func TestSend(t *testing.T) {
	e := newInprocEnv(t)
	date := time.Date(2027, 3, 1, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name     string
		security Security
		lang     string
		subject  string
		text     string // what the body should say
		cte      string
	}{
		{"implicit TLS, English", TLS, "en", "postino test message", "This is a test message from postino.", "7bit"},
		{"STARTTLS, Italian", StartTLS, "it", "messaggio di prova di postino", "Questo è un messaggio di prova di postino.", "8bit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &sendBackend{}
			s := inprocServer(SMTP, tt.security, startSMTPWith(t, e, b, tt.security == TLS))
			r, trace := sendWithTrace(t, e, s, inprocPassword, Message{Address: inprocUser, Lang: Lang(tt.lang), Date: date})
			if !r.OK || !r.LoggedIn {
				t.Fatalf("Send() = %s, %v; want ok\n%s", r.Code, r.Failure, trace)
			}
			names := stepNames(r)
			if got := names[len(names)-4:]; strings.Join(got, " ") != "login mail rcpt data" {
				t.Errorf("steps = %v, want login, mail, rcpt, data at the end", names)
			}
			b.mu.Lock()
			defer b.mu.Unlock()
			if len(b.messages) != 1 || b.from[0] != inprocUser || len(b.to) != 1 || b.to[0] != inprocUser || b.bodies[0] != smtp.Body8BitMIME {
				t.Fatalf("the server got from %v to %v body %v, %d messages; want one from and to %s with BODY=8BITMIME", b.from, b.to, b.bodies, len(b.messages), inprocUser)
			}
			raw := b.messages[0]
			if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
				t.Errorf("the message has a bare LF:\n%q", raw)
			}
			m, err := mail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatalf("mail.ReadMessage() = %v\n%s", err, raw)
			}
			h := m.Header
			for name, want := range map[string]string{
				"From": "<" + inprocUser + ">", "To": "<" + inprocUser + ">", "Subject": tt.subject,
				"MIME-Version": "1.0", "Content-Type": "text/plain; charset=utf-8", "Content-Transfer-Encoding": tt.cte,
			} {
				if got := h.Get(name); got != want {
					t.Errorf("%s: %q, want %q", name, got, want)
				}
			}
			if got, err := h.Date(); err != nil || !got.Equal(date) {
				t.Errorf("Date: %v, %v; want %v", got, err, date)
			}
			if id := h.Get("Message-ID"); !regexp.MustCompile(`^<[0-9a-f]{24}\.postino@example\.test>$`).MatchString(id) {
				t.Errorf("Message-ID: %q, want a random part and the sender's domain", id)
			}
			body, _ := io.ReadAll(m.Body)
			if !strings.Contains(string(body), tt.text) || !strings.Contains(string(body), inprocUser) {
				t.Errorf("body:\n%s\nwant %q and the address", body, tt.text)
			}
			if strings.Contains(string(raw), "hunter2") {
				t.Errorf("the message holds the password:\n%s", raw)
			}
			if !strings.Contains(trace, "C: MAIL FROM:<"+inprocUser+"> BODY=8BITMIME") || !strings.Contains(trace, "C: [the test message,") {
				t.Errorf("trace:\n%s", trace)
			}
		})
	}
}

// TestSendDisplayName: the person's name goes before the address in From
// and To, quoted, or as an encoded word when it is not ASCII, and reads
// back as given.
func TestSendDisplayName(t *testing.T) {
	e := newInprocEnv(t)
	for _, name := range []string{"Anna Rossi", "Rossi, Anna", "Niccolò D'Agostino", `Anna "the boss" Rossi`} {
		b := &sendBackend{}
		s := inprocServer(SMTP, TLS, startSMTPWith(t, e, b, true))
		r, trace := sendWithTrace(t, e, s, inprocPassword, Message{Address: inprocUser, Name: name, Lang: English})
		if !r.OK {
			t.Fatalf("Send() = %s, %v\n%s", r.Code, r.Failure, trace)
		}
		b.mu.Lock()
		m, err := mail.ReadMessage(bytes.NewReader(b.messages[0]))
		b.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range []string{"From", "To"} {
			a, err := m.Header.AddressList(h)
			if err != nil || len(a) != 1 || a[0].Name != name || a[0].Address != inprocUser {
				t.Errorf("%s: %q = %v, %v; want %q <%s>", h, m.Header.Get(h), a, err, name, inprocUser)
			}
		}
		if b.from[0] != inprocUser {
			t.Errorf("MAIL FROM %q, want the address alone", b.from[0])
		}
	}
}

func TestSendDotStuffing(t *testing.T) {
	e := newInprocEnv(t)
	b := &sendBackend{}
	s := inprocServer(SMTP, TLS, startSMTPWith(t, e, b, true))
	text := "first\n.\n..two dots\n.one dot\nlast"
	r, trace := sendWithTrace(t, e, s, inprocPassword, Message{Address: inprocUser, Text: text})
	if !r.OK {
		t.Fatalf("Send() = %s, %v\n%s", r.Code, r.Failure, trace)
	}
	m, err := mail.ReadMessage(bytes.NewReader(b.messages[0]))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(m.Body)
	if want := strings.ReplaceAll(text, "\n", "\r\n") + "\r\n"; string(body) != want {
		t.Errorf("body = %q, want %q", body, want)
	}
	if got := m.Header.Get("Content-Transfer-Encoding"); got != "7bit" {
		t.Errorf("Content-Transfer-Encoding = %q, want 7bit for ASCII", got)
	}
}

func TestSendRefused(t *testing.T) {
	e := newInprocEnv(t)
	tests := []struct {
		name    string
		b       *sendBackend
		code    Code
		step    string
		reply   string
		explain string
	}{
		{"RCPT refused for good",
			&sendBackend{rcptErr: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Relay access denied"}},
			CodeProtocolError, StepRcpt, "550 5.7.1 Relay access denied", "did not accept the test message (at RCPT TO)"},
		{"RCPT refused for now",
			&sendBackend{rcptErr: &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try later"}},
			CodeServerUnavailable, StepRcpt, "451 4.3.0 Try later", "Try again in a few minutes."},
		{"DATA refused",
			&sendBackend{dataErr: &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Message rejected"}},
			CodeProtocolError, StepData, "554 5.6.0 Message rejected", "(at DATA)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := inprocServer(SMTP, StartTLS, startSMTPWith(t, e, tt.b, false))
			r, trace := sendWithTrace(t, e, s, inprocPassword, Message{Address: inprocUser})
			if r.OK || r.Code != tt.code || r.Failure == nil || r.Failure.Step != tt.step || r.Failure.Reply != tt.reply || !r.LoggedIn {
				t.Fatalf("Send() = %s, %+v; want %s at %s with %q after the login\n%s", r.Code, r.Failure, tt.code, tt.step, tt.reply, trace)
			}
			ex := Explain(r, nil, "en")
			if all := ex.What + " " + ex.Why + " " + strings.Join(ex.Fix, " "); !strings.Contains(all, tt.explain) || !strings.Contains(all, tt.reply) {
				t.Errorf("Explain() = %+v, want %q and the reply", ex, tt.explain)
			}
			if it := Explain(r, nil, "it"); !strings.Contains(it.What, "messaggio di prova") {
				t.Errorf("Explain(it).What = %q", it.What)
			}
		})
	}

	t.Run("a wrong password sends nothing", func(t *testing.T) {
		b := &sendBackend{}
		s := inprocServer(SMTP, TLS, startSMTPWith(t, e, b, true))
		r, _ := sendWithTrace(t, e, s, inprocWrong, Message{Address: inprocUser})
		if r.Code != CodeAuthFailed || len(b.from) != 0 {
			t.Errorf("Code = %s, MAIL FROM seen %v; want auth_failed and no MAIL", r.Code, b.from)
		}
	})
	t.Run("not SMTP", func(t *testing.T) {
		s := inprocServer(IMAP, TLS, startIMAP(t, e, true))
		r, _ := sendWithTrace(t, e, s, inprocPassword, Message{Address: inprocUser})
		if r.OK || r.Code != CodeProtocolError {
			t.Errorf("Send() over IMAP = %s, want protocol_error", r.Code)
		}
	})
}

func TestCompose(t *testing.T) {
	date := time.Date(2027, 3, 1, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name     string
		msg      Message
		eightBit bool
		cte      string
		subject  string
	}{
		{"English is ASCII", Message{Address: "anna@example.com", Lang: "en", Date: date}, false, "7bit", "postino test message"},
		{"Italian with 8BITMIME", Message{Address: "anna@example.com", Lang: "it", Date: date}, true, "8bit", "messaggio di prova di postino"},
		{"Italian without 8BITMIME", Message{Address: "anna@example.com", Lang: "it", Date: date}, false, "quoted-printable", "messaggio di prova di postino"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := compose(tt.msg, tt.msg.Address, "smtp.example.com", tt.eightBit)
			if !tt.eightBit {
				for _, c := range raw {
					if c >= 0x80 {
						t.Fatalf("8-bit byte in a message for a server without 8BITMIME:\n%s", raw)
					}
				}
			}
			m, err := mail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Header.Get("Content-Transfer-Encoding"); got != tt.cte {
				t.Errorf("Content-Transfer-Encoding = %q, want %q", got, tt.cte)
			}
			if got := m.Header.Get("Subject"); got != tt.subject {
				t.Errorf("Subject = %q, want %q", got, tt.subject)
			}
			var body io.Reader = m.Body
			if tt.cte == "quoted-printable" {
				body = quotedprintable.NewReader(body)
			}
			text, _ := io.ReadAll(body)
			if want := textTestBody.In(tt.msg.Lang, "anna@example.com", "smtp.example.com"); strings.ReplaceAll(string(text), "\r\n", "\n") != want {
				t.Errorf("body = %q, want %q", text, want)
			}
		})
	}
}

func TestDotStuff(t *testing.T) {
	for in, want := range map[string]string{
		"a\r\n":             "a\r\n",
		".\r\n":             "..\r\n",
		"a\r\n.b\r\n":       "a\r\n..b\r\n",
		"a.\r\n..\r\nb\r\n": "a.\r\n...\r\nb\r\n",
	} {
		if got := string(dotStuff([]byte(in))); got != want {
			t.Errorf("dotStuff(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMailbox(t *testing.T) {
	for in, want := range map[string]struct {
		addr string
		utf8 bool
	}{
		"anna@example.com": {"anna@example.com", false},
		"anna@bücher.de":   {"anna@xn--bcher-kva.de", false},
		"josé@example.com": {"josé@example.com", true},
	} {
		if addr, u := mailbox(in); addr != want.addr || u != want.utf8 {
			t.Errorf("mailbox(%q) = %q, %v; want %q, %v", in, addr, u, want.addr, want.utf8)
		}
	}
}
