package probe

import (
	"bufio"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// scriptServer is a TCP server on 127.0.0.1 that runs a script on every
// connection and records every byte the client sent, split at the point
// where TLS came up, so that a test can tell what crossed in the clear.
type scriptServer struct {
	t        testing.TB
	ln       net.Listener
	script   func(*scriptConn)
	implicit *tls.Config // TLS from the first byte (imaps, pop3s, smtps)
	upgrade  *tls.Config // TLS after STARTTLS

	wg       sync.WaitGroup
	finished chan struct{}

	mu     sync.Mutex
	conns  []net.Conn
	plain  []byte // received before TLS
	secure []byte // received inside TLS, decrypted
}

// startScriptServer serves script on a fresh port until the test ends.
// implicit, if set, makes the server speak TLS from the start; upgrade is
// what STARTTLS switches to.
func startScriptServer(t testing.TB, script func(*scriptConn), implicit, upgrade *tls.Config) *scriptServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("Listen() = %v", err)
	}
	s := &scriptServer{t: t, ln: ln, script: script, implicit: implicit, upgrade: upgrade, finished: make(chan struct{}, 16)}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for _, c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

func (s *scriptServer) accept() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns = append(s.conns, conn)
		s.mu.Unlock()
		s.wg.Add(1)
		go s.handle(conn)
	}
}

// handle runs the script on one connection, then reads whatever else the
// client sends until it hangs up, so that nothing it sent goes unrecorded.
func (s *scriptServer) handle(raw net.Conn) {
	defer s.wg.Done()
	defer func() { s.finished <- struct{}{} }()
	defer raw.Close()
	raw.SetDeadline(time.Now().Add(time.Minute))
	c := &scriptConn{srv: s, raw: raw}
	c.use(raw, false)
	if s.implicit != nil {
		tc := tls.Server(raw, s.implicit)
		if c.err = tc.Handshake(); c.err != nil {
			return
		}
		c.use(tc, true)
	}
	s.script(c)
	io.Copy(io.Discard, c.br)
}

// server is the probe's view of this server, for user "alice".
func (s *scriptServer) server(p Protocol, sec Security) Server {
	return Server{Protocol: p, Host: "127.0.0.1", Port: s.ln.Addr().(*net.TCPAddr).Port, Security: sec, Username: "alice", Auth: AuthPassword}
}

// wait blocks until the first connection's script and drain are over.
func (s *scriptServer) wait() {
	s.t.Helper()
	select {
	case <-s.finished:
	case <-time.After(10 * time.Second):
		s.t.Fatalf("the scripted server's connection did not end within 10s of the probe's")
	}
}

// received returns copies of what the client sent before and inside TLS.
func (s *scriptServer) received() (plain, secure []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.plain...), append([]byte(nil), s.secure...)
}

func (s *scriptServer) record(secure bool, b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if secure {
		s.secure = append(s.secure, b...)
	} else {
		s.plain = append(s.plain, b...)
	}
}

// scriptConn is the server's end of one connection, as a script sees it.
// Its first I/O error sticks: later calls do nothing and report failure.
type scriptConn struct {
	srv    *scriptServer
	raw    net.Conn
	conn   net.Conn
	br     *bufio.Reader
	secure bool
	err    error
}

// recorder passes reads through, recording them on the server.
type recorder struct {
	srv    *scriptServer
	conn   net.Conn
	secure bool
}

func (r recorder) Read(p []byte) (int, error) {
	n, err := r.conn.Read(p)
	r.srv.record(r.secure, p[:n])
	return n, err
}

func (c *scriptConn) use(conn net.Conn, secure bool) {
	c.conn, c.secure = conn, secure
	c.br = bufio.NewReader(recorder{c.srv, conn, secure})
}

// readLine returns one line without its CRLF.
func (c *scriptConn) readLine() (string, bool) {
	if c.err != nil {
		return "", false
	}
	line, err := c.br.ReadString('\n')
	if err != nil {
		c.err = err
		return "", false
	}
	return strings.TrimRight(line, "\r\n"), true
}

func (c *scriptConn) readN(n int) bool {
	if c.err != nil {
		return false
	}
	_, c.err = io.CopyN(io.Discard, c.br, int64(n))
	return c.err == nil
}

// write sends s in one write, so that a client sees it arrive at once.
func (c *scriptConn) write(s string) bool {
	if c.err != nil {
		return false
	}
	_, c.err = io.WriteString(c.conn, s)
	return c.err == nil
}

// startTLS upgrades the connection after a positive STARTTLS answer.
func (c *scriptConn) startTLS() bool {
	if c.err != nil {
		return false
	}
	if c.br.Buffered() > 0 {
		c.err = errors.New("the client spoke before the TLS handshake")
		return false
	}
	tc := tls.Server(c.raw, c.srv.upgrade)
	if c.err = tc.Handshake(); c.err != nil {
		return false
	}
	c.use(tc, true)
	return true
}

// dialog is a mail server's answers, each written in one write as given.
// "{tag}" stands for the IMAP command's tag. An empty field takes the
// protocol's well-behaved answer (imapDialog, pop3Dialog, smtpDialog).
type dialog struct {
	greeting string
	before   string // capabilities (CAPABILITY, CAPA, EHLO) before TLS
	starttls string // answer to STARTTLS or STLS; TLS follows a positive one
	after    string // capabilities inside TLS
	login    string // answer to LOGIN, AUTHENTICATE, PASS or AUTH
	// challenge, if set, is a continuation sent after the SASL
	// credentials, such as a refused token's JSON error; the client's
	// answer is read, and then delay passes, before login is sent.
	challenge string
	delay     time.Duration
}

var (
	imapDialog = dialog{
		greeting: "* OK IMAP4rev1 server ready\r\n",
		before:   "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\n{tag} OK done\r\n",
		starttls: "{tag} OK Begin TLS negotiation now\r\n",
		after:    "* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN\r\n{tag} OK done\r\n",
		login:    "{tag} OK logged in\r\n",
	}
	pop3Dialog = dialog{
		greeting: "+OK POP3 server ready\r\n",
		before:   "+OK\r\nTOP\r\nUIDL\r\nSTLS\r\n.\r\n",
		starttls: "+OK Begin TLS negotiation\r\n",
		after:    "+OK\r\nTOP\r\nUIDL\r\nUSER\r\nSASL PLAIN\r\n.\r\n",
		login:    "+OK logged in\r\n",
	}
	smtpDialog = dialog{
		greeting: "220 mail.test ESMTP ready\r\n",
		before:   "250-mail.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n",
		starttls: "220 2.0.0 Ready to start TLS\r\n",
		after:    "250-mail.test\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n",
		login:    "235 2.7.0 Authentication successful\r\n",
	}
)

func (d dialog) or(def dialog) dialog {
	pick := func(s, def string) string {
		if s == "" {
			return def
		}
		return s
	}
	return dialog{
		greeting: pick(d.greeting, def.greeting),
		before:   pick(d.before, def.before),
		starttls: pick(d.starttls, def.starttls),
		after:    pick(d.after, def.after),
		login:    pick(d.login, def.login),
		// No protocol has a challenge or a delay by default.
		challenge: d.challenge,
		delay:     d.delay,
	}
}

// challenged plays the continuation after the SASL credentials, if any.
func (d dialog) challenged(c *scriptConn) {
	if d.challenge != "" && c.write(d.challenge) {
		c.readLine()
	}
	time.Sleep(d.delay)
}

// caps is the capability answer for the connection's state.
func (d dialog) caps(c *scriptConn) string {
	if c.secure {
		return d.after
	}
	return d.before
}

// script is the server that plays d for protocol p.
func (d dialog) script(p Protocol) func(*scriptConn) {
	switch p {
	case IMAP:
		return d.or(imapDialog).imap
	case POP3:
		return d.or(pop3Dialog).pop3
	}
	return d.or(smtpDialog).smtp
}

func (d dialog) imap(c *scriptConn) {
	c.write(d.greeting)
	for {
		line, ok := c.readLine()
		if !ok {
			return
		}
		tag, rest, _ := strings.Cut(line, " ")
		verb, args, _ := strings.Cut(rest, " ")
		answer := "{tag} BAD unknown command\r\n"
		switch strings.ToUpper(verb) {
		case "CAPABILITY":
			answer = d.caps(c)
		case "STARTTLS":
			answer = d.starttls
		case "LOGIN":
			c.imapLiterals(line)
			answer = d.login
		case "AUTHENTICATE":
			if _, ir, _ := strings.Cut(args, " "); ir == "" {
				c.write("+ \r\n")
				c.readLine()
			}
			d.challenged(c)
			answer = d.login
		case "LOGOUT":
			answer = "* BYE logging out\r\n{tag} OK done\r\n"
		}
		answer = strings.ReplaceAll(answer, "{tag}", tag)
		if !c.write(answer) || strings.EqualFold(verb, "LOGOUT") {
			return
		}
		agreed := strings.HasPrefix(answer, tag+" OK") || strings.Contains(answer, "\n"+tag+" OK")
		if strings.EqualFold(verb, "STARTTLS") && agreed && !c.startTLS() {
			return
		}
	}
}

// imapLiterals reads the literals that end line, answering "+" to each
// synchronising one.
func (c *scriptConn) imapLiterals(line string) {
	for strings.HasSuffix(line, "}") {
		open := strings.LastIndexByte(line, '{')
		if open < 0 {
			return
		}
		spec := line[open+1 : len(line)-1]
		n, err := strconv.Atoi(strings.TrimSuffix(spec, "+"))
		if err != nil {
			return
		}
		if !strings.HasSuffix(spec, "+") {
			c.write("+ Ready for literal data\r\n")
		}
		c.readN(n)
		var ok bool
		if line, ok = c.readLine(); !ok {
			return
		}
	}
}

func (d dialog) pop3(c *scriptConn) {
	c.write(d.greeting)
	for {
		line, ok := c.readLine()
		if !ok {
			return
		}
		verb, args, _ := strings.Cut(line, " ")
		answer := "-ERR unknown command\r\n"
		switch strings.ToUpper(verb) {
		case "CAPA":
			answer = d.caps(c)
		case "STLS":
			answer = d.starttls
		case "USER":
			answer = "+OK\r\n"
		case "PASS":
			answer = d.login
		case "AUTH":
			if _, ir, _ := strings.Cut(args, " "); ir == "" {
				c.write("+ \r\n")
				c.readLine()
			}
			d.challenged(c)
			answer = d.login
		case "QUIT":
			answer = "+OK bye\r\n"
		}
		if !c.write(answer) || strings.EqualFold(verb, "QUIT") {
			return
		}
		if strings.EqualFold(verb, "STLS") && strings.HasPrefix(answer, "+OK") && !c.startTLS() {
			return
		}
	}
}

func (d dialog) smtp(c *scriptConn) {
	c.write(d.greeting)
	for {
		line, ok := c.readLine()
		if !ok {
			return
		}
		verb, args, _ := strings.Cut(line, " ")
		answer := "502 5.5.2 unknown command\r\n"
		switch strings.ToUpper(verb) {
		case "EHLO":
			answer = d.caps(c)
		case "STARTTLS":
			answer = d.starttls
		case "AUTH":
			mech, ir, _ := strings.Cut(args, " ")
			switch {
			case strings.EqualFold(mech, "LOGIN"):
				c.write("334 VXNlcm5hbWU6\r\n")
				c.readLine()
				c.write("334 UGFzc3dvcmQ6\r\n")
				c.readLine()
			case ir == "":
				c.write("334 \r\n")
				c.readLine()
			}
			d.challenged(c)
			answer = d.login
		case "QUIT":
			answer = "221 2.0.0 bye\r\n"
		}
		if !c.write(answer) || strings.EqualFold(verb, "QUIT") {
			return
		}
		if strings.EqualFold(verb, "STARTTLS") && strings.HasPrefix(answer, "220") && !c.startTLS() {
			return
		}
	}
}
