package probe

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// TLSInfo is what was learnt of a TLS session, also when it failed: a
// certificate that was refused is shown so the person can decide to pin it.
type TLSInfo struct {
	Version     string    `json:"version"`
	Cipher      string    `json:"cipher"`
	Verified    bool      `json:"verified"`
	Pinned      bool      `json:"pinned"`
	Certificate *CertInfo `json:"certificate"`
}

// CertInfo describes the server's own certificate.
type CertInfo struct {
	Subject     string    `json:"subject"`
	DNSNames    []string  `json:"dns_names"`
	IPAddresses []string  `json:"ip_addresses,omitempty"`
	Issuer      string    `json:"issuer"`
	NotAfter    time.Time `json:"not_after"`
	SHA256      string    `json:"sha256"`
}

// Names is every name the certificate is valid for.
func (c *CertInfo) Names() []string {
	return append(append([]string(nil), c.DNSNames...), c.IPAddresses...)
}

// Pin is the SHA-256 fingerprint of one trusted certificate.
type Pin [sha256.Size]byte

// ParsePin reads "sha256:HEX", with or without colons, in either case.
func ParsePin(s string) (Pin, error) {
	var p Pin
	hexPart := strings.TrimSpace(s)
	if i := strings.IndexByte(hexPart, ':'); i >= 0 && strings.EqualFold(hexPart[:i], "sha256") {
		hexPart = hexPart[i+1:]
	}
	hexPart = strings.ReplaceAll(hexPart, ":", "")
	b, err := hex.DecodeString(hexPart)
	if err != nil || len(b) != sha256.Size {
		return p, fmt.Errorf("%q is not a SHA-256 fingerprint: expected sha256: and 64 hex digits", s)
	}
	copy(p[:], b)
	return p, nil
}

func (p Pin) String() string { return "sha256:" + hex.EncodeToString(p[:]) }

// tlsCheck sets up one TLS handshake and records what it saw. Verification
// is done here rather than by crypto/tls so that a pinned certificate can be
// accepted and a refused one described precisely.
type tlsCheck struct {
	roots  *x509.CertPool
	system bool
	pins   []Pin
	info   TLSInfo
	seen   bool
}

func (t *tlsCheck) config(host string) *tls.Config {
	return &tls.Config{
		ServerName:         host,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // verified in verify, with pins and precise diagnoses
		VerifyConnection:   func(cs tls.ConnectionState) error { return t.verify(host, cs) },
	}
}

func (t *tlsCheck) verify(host string, cs tls.ConnectionState) error {
	t.seen = true
	t.connected(cs)
	if len(cs.PeerCertificates) == 0 {
		return &certError{CodeCertificateUntrusted, fmt.Errorf("the server sent no certificate")}
	}
	leaf := cs.PeerCertificates[0]
	err := VerifyChain(cs.PeerCertificates, host, t.roots, t.system)
	t.info.Verified = err == nil
	sum := sha256.Sum256(leaf.Raw)
	for _, p := range t.pins {
		if p == sum {
			t.info.Pinned = true
		}
	}
	switch {
	case err == nil || t.info.Pinned:
		return nil
	case len(t.pins) > 0:
		// The person trusted a certificate by its fingerprint, and the
		// server presents another one.
		return &certError{CodeCertificateChanged, &pinMismatch{pinned: t.pins, err: err}}
	}
	return classifyCertificate(err)
}

// VerifyChain checks that certs (the leaf first, then the intermediates the
// server sent) are valid for host and lead to one of roots (nil: the
// system's), or with system to one of roots or of the system's.
//
// With system, roots are asked first and the system's only when roots do
// not vouch for the chain. That is the same answer as one pool holding
// both: a pool's certificates are anchors, never links, so a chain valid
// under the union ends at one of roots or at one of the system's. The
// system's roots take tens of milliseconds of CPU to load the first time
// (they are all parsed), which a server that a private CA vouches for
// thus never waits on.
func VerifyChain(certs []*x509.Certificate, host string, roots *x509.CertPool, system bool) error {
	if len(certs) == 0 {
		return fmt.Errorf("the server sent no certificate")
	}
	intermediates := x509.NewCertPool()
	for _, c := range certs[1:] {
		intermediates.AddCert(c)
	}
	opts := x509.VerifyOptions{DNSName: host, Roots: roots, Intermediates: intermediates}
	_, err := certs[0].Verify(opts)
	var unknown x509.UnknownAuthorityError
	if err != nil && system && roots != nil && errors.As(err, &unknown) {
		opts.Roots = nil
		_, err = certs[0].Verify(opts)
	}
	return err
}

// TLSConfig is a client's TLS configuration that trusts roots (nil: the
// system's), and with system the system's roots besides, as VerifyChain does,
// for clients (HTTPS) that verify through crypto/tls.
func TLSConfig(roots *x509.CertPool, system bool) *tls.Config {
	if !system || roots == nil {
		return &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	}
	return &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // verified in VerifyConnection, by VerifyChain
		VerifyConnection: func(cs tls.ConnectionState) error {
			return VerifyChain(cs.PeerCertificates, cs.ServerName, roots, true)
		},
	}
}

// pinMismatch is a certificate that no trusted authority vouches for and
// that is not the one pinned.
type pinMismatch struct {
	pinned []Pin
	err    error // why no authority vouches for it
}

func (e *pinMismatch) Error() string {
	return fmt.Sprintf("the certificate is not the pinned one (%s): %v", joinPins(e.pinned), e.err)
}

func (e *pinMismatch) Unwrap() error { return e.err }

func joinPins(pins []Pin) string {
	shown := make([]string, len(pins))
	for i, p := range pins {
		shown[i] = p.String()
	}
	return strings.Join(shown, ", ")
}

// connected records the session's facts.
func (t *tlsCheck) connected(cs tls.ConnectionState) {
	t.info.Version = tls.VersionName(cs.Version)
	t.info.Cipher = tls.CipherSuiteName(cs.CipherSuite)
	if len(cs.PeerCertificates) > 0 {
		t.info.Certificate = describe(cs.PeerCertificates[0])
	}
}

// result is the TLS facts for a Result, nil when no handshake got as far
// as the certificate.
func (t *tlsCheck) result() *TLSInfo {
	if !t.seen {
		return nil
	}
	info := t.info
	return &info
}

// describe is what a person is shown of a certificate. Its names are the
// server's text, so they are sanitised like a greeting.
func describe(c *x509.Certificate) *CertInfo {
	sum := sha256.Sum256(c.Raw)
	info := &CertInfo{
		Subject:  Sanitize(c.Subject.String()),
		DNSNames: []string{},
		Issuer:   Sanitize(c.Issuer.String()),
		NotAfter: c.NotAfter.UTC(),
		SHA256:   hex.EncodeToString(sum[:]),
	}
	for _, n := range c.DNSNames {
		info.DNSNames = append(info.DNSNames, Sanitize(n))
	}
	for _, ip := range c.IPAddresses {
		info.IPAddresses = append(info.IPAddresses, ip.String())
	}
	return info
}

// ErrNoCertificates is a file of roots that holds no PEM certificate.
var ErrNoCertificates = errors.New("it holds no PEM certificate")

// AppendRoots adds the PEM certificates of file to pool: a file of a
// private CA's roots. A file that cannot be read is its reason (without
// the path), one with no certificate ErrNoCertificates.
func AppendRoots(pool *x509.CertPool, file string) error {
	pem, err := os.ReadFile(file)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return err
	}
	if !pool.AppendCertsFromPEM(pem) {
		return ErrNoCertificates
	}
	return nil
}
