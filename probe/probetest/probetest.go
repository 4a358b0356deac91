// Package probetest holds what postino's tests share across packages: a
// throwaway certificate authority, a link with latency, and the real mail
// servers that .ci/test starts. It does not import probe, so that probe's
// own tests can use it.
package probetest

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// CA is a throwaway certificate authority made for one test.
type CA struct {
	Cert *x509.Certificate
	Key  *ecdsa.PrivateKey
	// Pool trusts the CA and nothing else.
	Pool *x509.CertPool
}

// NewCA makes a CA whose name and organisation say org.
func NewCA(tb testing.TB, org string) *CA {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: org + " Root", Organization: []string{org}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &CA{Cert: cert, Key: key, Pool: pool}
}

// Issue makes a server certificate for names (host names or IP addresses),
// valid from notBefore to notAfter; zero times mean "valid now".
func (ca *CA) Issue(tb testing.TB, names []string, notBefore, notAfter time.Time) tls.Certificate {
	tb.Helper()
	c, err := ca.Make(names, notBefore, notAfter)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// Make is Issue for where a test cannot be failed, such as a TLS server's
// GetCertificate.
func (ca *CA) Make(names []string, notBefore, notAfter time.Time) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	if notBefore.IsZero() {
		notBefore, notAfter = time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: names[0]},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// Serve accepts connections on ln and runs handle on each, in its own
// goroutine, until the test ends; then it closes the listener and every
// connection and waits for the handlers to return.
func Serve(tb testing.TB, ln net.Listener, handle func(net.Conn)) {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns []net.Conn
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				handle(c)
			}()
		}
	}()
	tb.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
}

// StartLatencyProxy forwards connections to target, delivering every chunk
// oneWay after it was read, in each direction and in order. The server's
// end is connected oneWay after the client's, when the client's ACK would
// reach it, so that a server speaking first does so when it would across a
// real link. It returns the proxy's address; it stops when the test ends.
func StartLatencyProxy(tb testing.TB, target string, oneWay time.Duration) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	var mu sync.Mutex
	var servers []net.Conn
	track := func(c net.Conn) {
		mu.Lock()
		servers = append(servers, c)
		mu.Unlock()
	}
	Serve(tb, ln, func(client net.Conn) { link(client, target, oneWay, track) })
	// Registered after Serve's, so it runs first: with the servers' ends
	// closed too, every link ends and Serve's wait returns.
	tb.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range servers {
			c.Close()
		}
	})
	return ln.Addr().String()
}

// chunk is bytes read at one end, due at the other; nil bytes end the
// stream.
type chunk struct {
	due time.Time
	b   []byte
}

func link(client net.Conn, target string, oneWay time.Duration, track func(net.Conn)) {
	up := make(chan chunk, 1024)
	go readChunks(client, up, oneWay)
	time.Sleep(oneWay)
	server, err := net.Dial("tcp", target)
	if err != nil {
		client.Close()
		for range up {
		}
		return
	}
	track(server)
	down := make(chan chunk, 1024)
	go readChunks(server, down, oneWay)
	done := make(chan struct{})
	go func() {
		deliver(server, client, up)
		close(done)
	}()
	deliver(client, server, down)
	<-done
	client.Close()
	server.Close()
}

// readChunks queues what from sends, stamped with when it is due, until it
// ends.
func readChunks(from net.Conn, q chan<- chunk, oneWay time.Duration) {
	defer close(q)
	for {
		buf := make([]byte, 32<<10)
		n, err := from.Read(buf)
		if n > 0 {
			q <- chunk{due: time.Now().Add(oneWay), b: buf[:n]}
		}
		if err != nil {
			q <- chunk{due: time.Now().Add(oneWay)}
			return
		}
	}
}

// deliver writes each chunk when it is due and passes the end of the
// stream on as a half close; after a failed write it closes both ends and
// drains the queue, so that its reader ends too.
func deliver(to, from net.Conn, q <-chan chunk) {
	broken := false
	for c := range q {
		if broken {
			continue
		}
		time.Sleep(time.Until(c.due))
		if c.b == nil {
			if tc, ok := to.(*net.TCPConn); ok {
				tc.CloseWrite()
			}
			continue
		}
		if _, err := to.Write(c.b); err != nil {
			broken = true
			to.Close()
			from.Close()
		}
	}
}

// RealServers reads the env file of testdata/servers/servers.sh for the
// Dovecot and Postfix that .ci/test starts. Without them a test skips on a
// developer's machine, and fails in CI, where skipping would hide it.
func RealServers(tb testing.TB) map[string]string {
	tb.Helper()
	dir := os.Getenv("POSTINO_TEST_SERVERS")
	if dir == "" {
		if os.Getenv("CI") != "" {
			tb.Fatal("POSTINO_TEST_SERVERS is not set: .ci/test starts the real servers")
		}
		tb.Skip("real servers not running: run bash .ci/test")
	}
	f, err := os.Open(filepath.Join(dir, "env"))
	if err != nil {
		tb.Fatalf("real servers: %v", err)
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			env[k] = strings.Trim(v, `"'`)
		}
	}
	return env
}

// Password is the password of the real servers' test user.
func Password() string {
	if pw := os.Getenv("POSTINO_TEST_PASSWORD"); pw != "" {
		return pw
	}
	return "correct horse battery staple"
}
