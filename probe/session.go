package probe

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// Bounds on what a server may send: a probe needs a few kilobytes, so
// anything far beyond that is a broken or hostile server.
const (
	maxLineLength = 16 << 10
	maxReadTotal  = 256 << 10
)

var (
	errLineTooLong    = errors.New("the server sent a line longer than 16 KiB")
	errTooMuchData    = errors.New("the server sent more than 256 KiB")
	errInjected       = errors.New("the server sent data ahead of the TLS handshake")
	errServerWantsTLS = errors.New("the server takes a login only over TLS")
)

// Step is one timed stage of a probe.
type Step struct {
	Name      string `json:"name"`
	ElapsedMS int64  `json:"elapsed_ms"`
	elapsed   time.Duration
}

// session is one connection spoken to line by line, with every read bounded
// in size and every step in time, and a trace that never shows a secret.
type session struct {
	name  string // the server's URL, to tell concurrent traces apart
	ctx   context.Context
	raw   net.Conn
	conn  net.Conn
	br    *bufio.Reader
	limit *limitedReader
	trace io.Writer
	stop  func() bool
	quit  string // the goodbye command, once one is due
	// progress, if set, is told of each step as it ends.
	progress func(Step)
	// secret is the password and the access token, to be found should
	// the server say one back; secretSent is set once a line carrying one
	// went out, and withheld once a line read after that held one.
	secret     *secret
	secretSent bool
	withheld   bool

	steps   []Step
	step    string
	started time.Time
	// greetWithin bounds the wait for the greeting once connected
	// (Options.GreetingTimeout); greetBy is that time, until the
	// greeting step ends.
	greetWithin time.Duration
	greetBy     time.Time
}

// attach starts speaking on a freshly connected conn.
func (s *session) attach(conn net.Conn) {
	s.raw = conn
	s.limit = &limitedReader{left: maxReadTotal}
	s.use(conn)
	if s.greetWithin > 0 {
		s.greetBy = time.Now().Add(s.greetWithin)
	}
	if d, ok := s.deadline(); ok {
		conn.SetDeadline(d)
	}
	// A cancelled probe (ctrl+c, or a caller's deadline) stops at once,
	// whatever read or write it is blocked in.
	s.stop = context.AfterFunc(s.ctx, func() { conn.SetDeadline(time.Now()) })
}

// use makes conn the connection spoken on, e.g. the TLS one after STARTTLS.
func (s *session) use(conn net.Conn) {
	s.conn = conn
	s.limit.r = conn
	s.br = bufio.NewReaderSize(s.limit, 4096)
}

// deadline is when the running step must be over: the test's deadline,
// or sooner the greeting's.
func (s *session) deadline() (time.Time, bool) {
	d, ok := s.ctx.Deadline()
	if !s.greetBy.IsZero() && (!ok || s.greetBy.Before(d)) {
		return s.greetBy, true
	}
	return d, ok
}

// begin ends the running step and starts the next one.
func (s *session) begin(name string) {
	if s.step == "greeting" && !s.greetBy.IsZero() {
		// Greeted: the rest has the test's own deadline.
		s.greetBy = time.Time{}
		d, _ := s.ctx.Deadline()
		s.raw.SetDeadline(d)
		if s.ctx.Err() != nil {
			s.raw.SetDeadline(time.Now())
		}
	}
	s.end()
	s.step, s.started = name, time.Now()
}

func (s *session) end() {
	if s.step != "" {
		d := time.Since(s.started)
		st := Step{Name: s.step, ElapsedMS: d.Milliseconds(), elapsed: d}
		s.steps = append(s.steps, st)
		s.step = ""
		if s.progress != nil {
			s.progress(st)
		}
	}
}

// readLine returns one line without its CRLF.
func (s *session) readLine() (string, error) {
	var line []byte
	for {
		chunk, err := s.br.ReadSlice('\n')
		if len(line)+len(chunk) > maxLineLength {
			return "", errLineTooLong
		}
		line = append(line, chunk...)
		if err == nil {
			break
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return "", err
		}
	}
	line = bytes.TrimRight(line, "\r\n")
	if s.secretSent && s.secret.in(string(line)) {
		s.withheld = true
		s.tracef("S: %s", withheldLine)
	} else if s.trace != nil {
		s.tracef("S: %s", Sanitize(string(line)))
	}
	return string(line), nil
}

// send writes one command line; shown is what the trace says instead, so
// that a secret in the line never reaches it. A line shown otherwise than
// sent carries a credential: from then on the server's answers are
// searched for it.
func (s *session) send(line, shown string) error {
	if shown != line {
		s.secretSent = true
	}
	s.tracef("C: %s", shown)
	if _, err := io.WriteString(s.conn, line+"\r\n"); err != nil {
		return err
	}
	return nil
}

func (s *session) tracef(format string, args ...any) {
	if s.trace != nil {
		fmt.Fprintf(s.trace, "%s %s\n", s.name, fmt.Sprintf(format, args...))
	}
}

// fail diagnoses an I/O error in the running step.
func (s *session) fail(err error) *Failure {
	return ioFailure(s.step, err)
}

// startTLS switches to TLS after the server agreed to STARTTLS. Any byte the
// server sent after its agreement was sent in the clear and could have been
// injected by anyone on the path, so it ends the probe.
func (s *session) startTLS(host string, t *tlsCheck) *Failure {
	// Until TLS is up there is no state in which a goodbye makes sense.
	quit := s.quit
	s.quit = ""
	if s.br.Buffered() > 0 {
		return fail(CodeStartTLSFailed, s.step, errInjected)
	}
	s.begin("tls")
	if f := s.handshake(host, t); f != nil {
		return f
	}
	s.quit = quit
	return nil
}

func (s *session) handshake(host string, t *tlsCheck) *Failure {
	tc := tls.Client(s.raw, t.config(host))
	if err := tc.HandshakeContext(s.ctx); err != nil {
		return tlsFailure(s.step, err)
	}
	t.connected(tc.ConnectionState())
	s.use(tc)
	return nil
}

// close ends the session, saying the protocol's goodbye without waiting for
// the answer, since nothing depends on it.
func (s *session) close() {
	s.end()
	if s.raw == nil {
		return
	}
	if s.quit != "" {
		s.conn.SetWriteDeadline(time.Now().Add(time.Second))
		s.send(s.quit, s.quit)
	}
	s.stop()
	s.raw.Close()
}

type limitedReader struct {
	r    io.Reader
	left int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, errTooMuchData
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// withheldLine stands in the trace for a server's line that says the
// password or the access token back.
const withheldLine = "[withheld: this answer repeats the password or token]"
