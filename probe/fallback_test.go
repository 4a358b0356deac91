package probe

import (
	"context"
	"crypto/tls"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/postino/postino/probe/probetest"
)

// loginCount is how many logins the client sent inside TLS.
func loginCount(secure []byte) int {
	n := 0
	for line := range strings.SplitSeq(string(secure), "\n") {
		f := strings.Fields(line)
		for _, verb := range []string{"LOGIN", "AUTHENTICATE", "AUTH", "PASS"} {
			if len(f) > 0 && strings.EqualFold(f[0], verb) || len(f) > 1 && strings.EqualFold(f[1], verb) {
				n++
				break
			}
		}
	}
	return n
}

// TestTestAllWrongPasswordOncePerHost: a password refused by one server is
// not tried on the role's other servers of the same host, however its name
// is written, but is on another host's, and on the other role's.
func TestTestAllWrongPasswordOncePerHost(t *testing.T) {
	ca := probetest.NewCA(t, "Postino Fallback Test")
	good := serverTLS(ca.Issue(t, []string{"mail.example.test", "other.example.test"}, time.Time{}, time.Time{}))
	loopback := []net.IPAddr{{IP: net.IPv4(127, 0, 0, 1)}}
	resolver := fakeResolver{"mail.example.test": loopback, "Mail.Example.TEST": loopback, "MAIL.example.test": loopback, "other.example.test": loopback}

	type fallback struct {
		role     Role
		proto    Protocol
		security Security
		host     string
		username string // the Options' when empty
		reply    string // the answer to the login
		logins   int    // how many the server must see
	}
	fallbacks := []fallback{
		{Incoming, IMAP, TLS, "mail.example.test", "", "{tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n", 1},
		{Incoming, POP3, TLS, "Mail.Example.TEST", "", "-ERR [AUTH] Invalid credentials\r\n", 0},
		{Incoming, IMAP, StartTLS, "mail.example.test", "", "{tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n", 0},
		{Incoming, IMAP, StartTLS, "mail.example.test", "bob", "{tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n", 1},
		{Incoming, POP3, StartTLS, "other.example.test", "", "-ERR [AUTH] Invalid credentials\r\n", 1},
		{Outgoing, SMTP, StartTLS, "mail.example.test", "", "535 5.7.8 Authentication credentials invalid\r\n", 1},
		{Outgoing, SMTP, TLS, "MAIL.example.test", "", "235 2.7.0 Authentication successful\r\n", 0},
	}
	var servers []*scriptServer
	targets := []Target{{Role: Incoming}, {Role: Outgoing}}
	for _, fb := range fallbacks {
		var implicit *tls.Config
		if fb.security == TLS {
			implicit = good
		}
		srv := startScriptServer(t, dialog{login: fb.reply}.script(fb.proto), implicit, good)
		servers = append(servers, srv)
		s := srv.server(fb.proto, fb.security)
		s.Host, s.Username = fb.host, fb.username
		tg := &targets[0]
		if fb.role == Outgoing {
			tg = &targets[1]
		}
		tg.Servers = append(tg.Servers, s)
	}
	opts := &Options{Username: "alice", Password: hostilePassword, RootCAs: ca.Pool, Resolver: resolver, Timeout: 10 * time.Second}
	results := TestAll(context.Background(), targets, opts)

	type attempt struct {
		role Role
		host string
		user string
		code Code
	}
	var got []attempt
	for _, r := range results {
		got = append(got, attempt{r.Role, r.Server.Host, r.Server.Username, r.Code})
	}
	want := []attempt{
		{Incoming, "mail.example.test", "alice", CodeAuthFailed},
		{Incoming, "mail.example.test", "bob", CodeAuthFailed},
		{Incoming, "other.example.test", "alice", CodeAuthFailed},
		{Outgoing, "mail.example.test", "alice", CodeAuthFailed},
	}
	if !slices.Equal(got, want) {
		t.Errorf("TestAll() attempts = %+v, want %+v: the servers that would get the refused login again left out", got, want)
	}
	for i, fb := range fallbacks {
		if fb.logins > 0 {
			servers[i].wait()
		}
		plain, secure := servers[i].received()
		if n := loginCount(secure); n != fb.logins {
			t.Errorf("%s://%s as %q: %d logins, want %d", fb.proto, fb.host, fb.username, n, fb.logins)
		}
		if fb.logins == 0 && len(plain) > 0 {
			t.Errorf("%s://%s was connected to; it should not have been tested: %q", fb.proto, fb.host, plain)
		}
	}
	if Passed(results) {
		t.Errorf("Passed() = true, want false: no role has a working server")
	}
}
