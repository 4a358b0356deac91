package probe

import (
	"context"
	"crypto/x509"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/postino/postino/probe/probetest"
)

// TestRealWrongSecurity gives the real Dovecot and Postfix implicit TLS
// on their STARTTLS ports and STARTTLS on their implicit-TLS ports: each
// is recognised within seconds, not blamed on a firewall after the whole
// timeout.
func TestRealWrongSecurity(t *testing.T) {
	env := probetest.RealServers(t)
	pem, err := os.ReadFile(env["CA_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatalf("no certificate in %s", env["CA_FILE"])
	}
	server := func(p Protocol, sec Security, portKey string) Server {
		port, err := strconv.Atoi(env[portKey])
		if err != nil {
			t.Fatalf("%s = %q: %v", portKey, env[portKey], err)
		}
		return Server{Protocol: p, Host: env["GOOD_HOST"], Port: port, Security: sec, Username: env["USER"], Auth: AuthPassword}
	}
	tests := []struct {
		server Server
		code   Code
		cause  error
		max    time.Duration
	}{
		{server(IMAP, TLS, "IMAP_PORT"), CodeTLSHandshakeFailed, errPlaintextPort, 2 * time.Second},
		{server(POP3, TLS, "POP3_PORT"), CodeTLSHandshakeFailed, errPlaintextPort, 2 * time.Second},
		{server(SMTP, TLS, "SUBMISSION_PORT"), CodeTLSHandshakeFailed, errPlaintextPort, 2 * time.Second},
		{server(IMAP, StartTLS, "IMAPS_PORT"), CodeProtocolError, errTLSPort, greetingWait + 2*time.Second},
		{server(POP3, StartTLS, "POP3S_PORT"), CodeProtocolError, errTLSPort, greetingWait + 2*time.Second},
		{server(SMTP, StartTLS, "SMTPS_PORT"), CodeProtocolError, errTLSPort, greetingWait + 2*time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.server.String(), func(t *testing.T) {
			t.Parallel()
			opts := &Options{Password: probetest.Password(), RootCAs: roots, Timeout: 15 * time.Second}
			r := Test(context.Background(), tt.server, opts)
			if r.Code != tt.code || !errors.Is(r.Failure, tt.cause) {
				t.Fatalf("Test() = %s (%v), want %s (%v)", r.Code, r.Failure, tt.code, tt.cause)
			}
			if r.Elapsed > tt.max {
				t.Errorf("Test() took %v, want at most %v", r.Elapsed, tt.max)
			}
		})
	}
}

// TestRealCertificateChanged: pinned to another fingerprint, the real
// Dovecot's certificate, which no trusted authority vouches for here, is
// a changed certificate, explained with both fingerprints; pinned to its
// own, it passes.
func TestRealCertificateChanged(t *testing.T) {
	env := probetest.RealServers(t)
	port, err := strconv.Atoi(env["IMAPS_PORT"])
	if err != nil {
		t.Fatal(err)
	}
	s := Server{Protocol: IMAP, Host: env["GOOD_HOST"], Port: port, Security: TLS, Username: env["USER"], Auth: AuthPassword}
	old, _ := ParsePin("sha256:" + strings.Repeat("ab", 32))
	opts := &Options{Password: probetest.Password(), RootCAs: x509.NewCertPool(), Pins: []Pin{old}}
	r := Test(context.Background(), s, opts)
	if r.Code != CodeCertificateChanged || r.TLS == nil || r.TLS.Certificate == nil {
		t.Fatalf("Test() with another pin = %s (%v), want %s", r.Code, r.Failure, CodeCertificateChanged)
	}
	for _, lang := range []Lang{English, Italian} {
		why := Explain(r, nil, lang).Why
		if !strings.Contains(why, strings.Repeat("ab", 32)) || !strings.Contains(why, r.TLS.Certificate.SHA256) {
			t.Errorf("Explain(%s).Why = %q, want both fingerprints", lang, why)
		}
	}
	current, _ := ParsePin(r.TLS.Certificate.SHA256)
	opts.Pins = []Pin{current}
	if r := Test(context.Background(), s, opts); !r.OK || !r.LoggedIn {
		t.Errorf("Test() pinned to its own certificate = %s (%v)", r.Code, r.Failure)
	}
}
