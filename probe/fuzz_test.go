package probe

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxFuzzStream bounds the stream FuzzPOP3Reply makes: enough to cross
// every read limit, small enough to stay fast.
const maxFuzzStream = 4 * maxReadTotal

// FuzzPOP3Reply feeds a server's stream, data repeated repeat times, to the
// POP3 reply reader over a session set up as Test sets one up, reading
// status lines and, after each +OK, a multi-line answer, until the first
// error. It must not panic, return a line over maxLineLength, read more
// than maxReadTotal, or trace a control character.
func FuzzPOP3Reply(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte, repeat uint16) {
		stream := bytes.Repeat(data, int(repeat)%(maxFuzzStream/max(len(data), 1)+1)+1)
		if len(stream) > maxFuzzStream {
			stream = stream[:maxFuzzStream]
		}
		for _, line := range strings.Split(string(stream[:min(len(stream), 4*maxLineLength)]), "\n") {
			checkPOP3Reply(t, line)
		}

		client, server := net.Pipe()
		written := make(chan int)
		go func() {
			n, _ := server.Write(stream)
			server.Close()
			written <- n
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var trace bytes.Buffer
		ss := &session{ctx: ctx, trace: &trace}
		ss.attach(client)
		c := conversation{session: ss, server: Server{Protocol: POP3}, opts: &Options{}, facts: &facts{}}

		err := readPOP3Stream(t, &c)
		ss.close()
		n := <-written

		if read := maxReadTotal - ss.limit.left; read > maxReadTotal || read < 0 || n > maxReadTotal {
			t.Fatalf("read %d bytes, the server wrote %d: the bound is %d", read, n, maxReadTotal)
		}
		var f *Failure
		switch {
		case err == nil:
			t.Fatal("reading ended without an error")
		case errors.As(err, &f):
			if f.Code != CodeProtocolError {
				t.Fatalf("pop3Reply() = %v, want a protocol error", f)
			}
		case errors.Is(err, errLineTooLong), errors.Is(err, errTooMuchData), errors.Is(err, io.ErrUnexpectedEOF):
		default:
			t.Fatalf("reading ended with %v, want the stream's end or a bound", err)
		}
		for _, line := range strings.Split(strings.TrimSuffix(trace.String(), "\n"), "\n") {
			if bad := unfit(line); bad != "" {
				t.Fatalf("the trace holds %s: %q", bad, line)
			}
		}
	})
}

// readPOP3Stream reads replies and multi-line answers until an error, and
// checks every line it is given.
func readPOP3Stream(t *testing.T, c *conversation) error {
	for {
		r, err := c.pop3Reply()
		if err != nil {
			return err
		}
		if len(r.text) > maxLineLength || r.ok && r.cont {
			t.Fatalf("pop3Reply() = %+v", r)
		}
		if !r.ok {
			continue
		}
		lines, err := c.pop3Lines()
		if err != nil {
			return err
		}
		for _, l := range lines {
			if len(l) > maxLineLength || strings.ContainsAny(l, "\n") {
				t.Fatalf("pop3Lines() returned %d bytes: %q...", len(l), l[:min(len(l), 80)])
			}
		}
	}
}

// checkPOP3Reply checks parsePOP3Reply on one line: the reply's kind is the
// line's, and its code and text come from the line.
func checkPOP3Reply(t *testing.T, line string) {
	r, ok := parsePOP3Reply(line)
	switch {
	case !ok:
		if r != (pop3Reply{}) {
			t.Fatalf("parsePOP3Reply(%q) = %+v, false; want the zero reply", line, r)
		}
	case r.ok && (r.cont || !strings.HasPrefix(line, "+OK")),
		r.cont && !strings.HasPrefix(line, "+"),
		!r.ok && !r.cont && !strings.HasPrefix(line, "-ERR"),
		!strings.Contains(line, r.text),
		r.code != "" && (r.cont || !strings.Contains(strings.ToUpper(line), "["+r.code+"]")):
		t.Fatalf("parsePOP3Reply(%q) = %+v", line, r)
	}
}

// FuzzRecognise gives Recognise any greeting and capabilities, one a line:
// it names one of its signatures or nothing, and a version fit to show.
func FuzzRecognise(f *testing.F) {
	names := map[string]bool{"": true}
	for _, sig := range signatures() {
		names[sig.name] = true
	}
	f.Fuzz(func(t *testing.T, greeting, caps string) {
		var list []string
		if caps != "" {
			list = strings.Split(caps, "\n")
		}
		s := Recognise(greeting, list)
		if !names[s.Name] {
			t.Fatalf("Recognise(%q, %q) = %q, not a signature's name", greeting, list, s.Name)
		}
		if s.Name == "" && s.Version != "" {
			t.Fatalf("Recognise(%q, %q) = a version, %q, without a name", greeting, list, s.Version)
		}
		if bad := unfit(s.Version); bad != "" {
			t.Fatalf("Recognise(%q, %q).Version = %q: %s", greeting, list, s.Version, bad)
		}
	})
}

// FuzzSanitize checks that Sanitize's output is fit for a terminal, of
// bounded length, and left alone by a second pass.
func FuzzSanitize(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		out := Sanitize(s)
		if bad := unfit(out); bad != "" {
			t.Fatalf("Sanitize(%q) = %q: %s", s, out, bad)
		}
		if n := utf8.RuneCountInString(out); n > maxShown {
			t.Fatalf("Sanitize(%q) has %d runes, more than %d", s, n, maxShown)
		}
		if again := Sanitize(out); again != out {
			t.Fatalf("Sanitize(%q) = %q, but Sanitize of that = %q", s, out, again)
		}
	})
}

// unfit says why s may not reach a terminal, or "" when it may.
func unfit(s string) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for _, r := range s {
		switch {
		case r == 0x1b:
			return "an escape"
		case r >= 0x80 && r <= 0x9f:
			return "a C1 control"
		case unicode.IsControl(r):
			return "a control character"
		}
	}
	return ""
}
