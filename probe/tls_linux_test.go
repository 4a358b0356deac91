package probe

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/postino/postino/probe/probetest"
)

// TestVerifyChainSystemRoots: with the system's roots besides a private
// CA's, a certificate either vouches for passes, as with one pool holding
// both, and one neither knows fails. The system's roots are made a CA of
// the test's (SSL_CERT_FILE, read once per process on Linux), so the test
// runs itself again with it set.
func TestVerifyChainSystemRoots(t *testing.T) {
	dir := os.Getenv("POSTINO_VERIFY_DIR")
	if dir == "" {
		dir = t.TempDir()
		system, private, stranger := probetest.NewCA(t, "System"), probetest.NewCA(t, "Private"), probetest.NewCA(t, "Stranger")
		files := map[string][]byte{
			"system.pem":   pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: system.Cert.Raw}),
			"private.pem":  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: private.Cert.Raw}),
			"system.der":   system.Issue(t, []string{"mail.example"}, time.Time{}, time.Time{}).Certificate[0],
			"private.der":  private.Issue(t, []string{"mail.example"}, time.Time{}, time.Time{}).Certificate[0],
			"stranger.der": stranger.Issue(t, []string{"mail.example"}, time.Time{}, time.Time{}).Certificate[0],
		}
		for name, b := range files {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestVerifyChainSystemRoots$", "-test.v")
		cmd.Env = append(os.Environ(), "POSTINO_VERIFY_DIR="+dir, "SSL_CERT_FILE="+filepath.Join(dir, "system.pem"), "SSL_CERT_DIR="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("the test with the system's roots set failed: %v\n%s", err, out)
		}
		return
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	leaf := func(name string) []*x509.Certificate {
		c, err := x509.ParseCertificate(read(name))
		if err != nil {
			t.Fatal(err)
		}
		return []*x509.Certificate{c}
	}
	private := x509.NewCertPool()
	private.AppendCertsFromPEM(read("private.pem"))
	union, err := x509.SystemCertPool()
	if err != nil {
		t.Fatal(err)
	}
	union.AppendCertsFromPEM(read("private.pem"))
	tests := []struct {
		leaf, host string
		system     bool
		ok         bool
	}{
		{"private.der", "mail.example", true, true},
		{"system.der", "mail.example", true, true},
		{"private.der", "mail.example", false, true},
		{"system.der", "mail.example", false, false},
		{"stranger.der", "mail.example", true, false},
		{"system.der", "other.example", true, false},
		{"private.der", "other.example", true, false},
	}
	for _, tt := range tests {
		err := VerifyChain(leaf(tt.leaf), tt.host, private, tt.system)
		if (err == nil) != tt.ok {
			t.Errorf("VerifyChain(%s, %s, system %v) = %v, want ok %v", tt.leaf, tt.host, tt.system, err, tt.ok)
		}
		if !tt.system {
			continue
		}
		// The same answer, and the same kind of refusal, as one pool
		// holding both.
		_, want := leaf(tt.leaf)[0].Verify(x509.VerifyOptions{DNSName: tt.host, Roots: union})
		var hostErr x509.HostnameError
		var authErr x509.UnknownAuthorityError
		if (err == nil) != (want == nil) || errors.As(err, &hostErr) != errors.As(want, &hostErr) || errors.As(err, &authErr) != errors.As(want, &authErr) {
			t.Errorf("VerifyChain(%s, %s) = %v; one pool with both: %v", tt.leaf, tt.host, err, want)
		}
	}
}
