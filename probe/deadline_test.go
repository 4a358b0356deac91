package probe

import (
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/postino/postino/probe/probetest"
)

// hangingDialer never connects: a port whose SYNs are dropped.
type hangingDialer struct{}

func (hangingDialer) DialContext(ctx context.Context, _, _ string) (net.Conn, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// silentServer accepts connections and never says anything.
func silentServer(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	probetest.Serve(t, ln, func(c net.Conn) { io.Copy(io.Discard, c) })
	return ln.Addr().(*net.TCPAddr).Port
}

// TestConnectAndGreetingTimeouts: a port that never connects, or connects
// and never greets, is given up after its own deadline, well before the
// test's.
func TestConnectAndGreetingTimeouts(t *testing.T) {
	t.Parallel()
	const within = 200 * time.Millisecond
	port := silentServer(t)
	tests := []struct {
		name   string
		server Server
		dialer Dialer
		step   string
	}{
		{"dropped SYN", Server{Protocol: IMAP, Host: "127.0.0.1", Port: 993, Security: TLS}, hangingDialer{}, "connect"},
		{"no greeting", Server{Protocol: SMTP, Host: "127.0.0.1", Port: port, Security: StartTLS}, nil, "greeting"},
		{"no greeting, POP3", Server{Protocol: POP3, Host: "127.0.0.1", Port: port, Security: StartTLS}, nil, "greeting"},
		{"no TLS handshake", Server{Protocol: IMAP, Host: "127.0.0.1", Port: port, Security: TLS}, nil, "tls"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := &Options{Dialer: tt.dialer, Timeout: time.Minute, ConnectTimeout: within, GreetingTimeout: within}
			start := time.Now()
			r := Test(context.Background(), tt.server, opts)
			if r.Code != CodeTimeout || r.Failure.Step != tt.step {
				t.Fatalf("Test() = %s at %q (%v), want timeout at %q", r.Code, r.Failure.Step, r.Failure, tt.step)
			}
			if el := time.Since(start); el > 20*time.Second {
				t.Errorf("Test() took %v, though the deadline was %v: it waited for the test's timeout", el, within)
			}
		})
	}
}

// TestGreetingTimeoutEndsWithTheGreeting: once greeted, the rest of the
// conversation has the test's own deadline, not the greeting's.
func TestGreetingTimeoutEndsWithTheGreeting(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	const within = 100 * time.Millisecond
	probetest.Serve(t, ln, func(c net.Conn) {
		c.Write([]byte("+OK ready\r\n"))
		buf := make([]byte, 512)
		c.Read(buf) // CAPA
		time.Sleep(3 * within)
		c.Write([]byte("+OK\r\nUSER\r\n.\r\n"))
		io.Copy(io.Discard, c)
	})
	s := Server{Protocol: POP3, Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, Security: None}
	r := Test(context.Background(), s, &Options{Timeout: time.Minute, GreetingTimeout: within})
	if !r.OK {
		t.Fatalf("Test() = %s (%v), want a pass: the answer after the greeting came within the test's timeout", r.Code, r.Failure)
	}
}
