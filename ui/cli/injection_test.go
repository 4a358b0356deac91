package cli

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestControlCharactersRefused: a user name or host with control
// characters, from the URL, --username or a providers file, is refused in
// one sentence (exit 2) naming where it came from, before any connection:
// a POP3 server would otherwise read the line break in
// "USER a\r\nDELE 1" as a second command.
func TestControlCharactersRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var connections atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			connections.Add(1)
			c.Write([]byte("+OK ready\r\n"))
			c.Close()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).AddrPort().Port()
	hostPort := "127.0.0.1:" + strings.TrimPrefix(ln.Addr().String(), "127.0.0.1:")
	providers := filepath.Join(t.TempDir(), "providers.yaml")
	os.WriteFile(providers, []byte(`providers:
  - id: evil
    name: Evil Mail
    domains: [evil.example]
    incoming: [{url: "pop3s://`+hostPort+`", username: "a\r\nDELE 1"}]
    outgoing: ["smtps://smtp.evil.example:465"]
`), 0o600)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"URL user name", []string{"test", "anna@example.com", "--incoming", "pop3s://a%0D%0ADELE%201@" + hostPort}, "control characters"},
		{"URL user name with an escape", []string{"test", "anna@example.com", "--incoming", "pop3s://a%1B%5B2J@" + hostPort}, "control characters"},
		{"--username", []string{"test", "anna@example.com", "--incoming", "pop3s://" + hostPort, "--username", "a\r\nDELE 1"}, "--username"},
		{"providers file", []string{"test", "anna@evil.example", "--providers", providers}, "providers.yaml:5"},
	} {
		code, stdout, stderr := runCLI(t, "pw\n", nil, append(tt.args, "--password-stdin")...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 2 and one sentence with %q", tt.name, code, stdout, stderr, tt.want)
		}
		if strings.ContainsAny(stderr, "\r\x1b") {
			t.Errorf("%s: the refusal prints the control characters: %q", tt.name, stderr)
		}
	}
	if n := connections.Load(); n != 0 {
		t.Errorf("the server was reached %d times (port %d)", n, port)
	}
}
