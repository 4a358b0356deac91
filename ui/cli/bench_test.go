package cli

import (
	"crypto/tls"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-smtp"

	"github.com/postino/postino/probe/probetest"
)

// The benchmark's link: benchOneWay of delay each way, through
// probetest's latency proxy.
const (
	benchOneWay = 25 * time.Millisecond
	benchRTT    = 2 * benchOneWay
)

// BenchmarkKnownProvider runs postino test for an address of a provider
// in the providers files, from the start of the process to its exit:
// detection, then the incoming (IMAPS) and outgoing (SMTPS) logins in
// parallel through the latency link, with the servers' private CA given
// by --ca-file. Each iteration is a new process, so nothing is warm.
//
// The critical path is the slower role's round trips on this link. The
// proxy takes the connection on loopback at once, so TCP costs none here;
// SMTPS needs 4: the TLS handshake 1, the greeting 1 (the server speaks
// only once the client's Finished reached it), EHLO 1, AUTH PLAIN with its
// initial response 1 (IMAPS needs 3: TLS, greeting with capabilities,
// AUTHENTICATE PLAIN with SASL-IR). QUIT and LOGOUT are not awaited.
// "x-critical-path" is the mean time over it.
func BenchmarkKnownProvider(b *testing.B) {
	benchmarkTest(b, func(providers, _, _ string) []string { return []string{"--providers", providers} })
}

// BenchmarkServersGiven is BenchmarkKnownProvider with the servers given
// as URLs: no detection, only the address's provider looked up in the
// providers files, then the logins, still with --ca-file.
func BenchmarkServersGiven(b *testing.B) {
	benchmarkTest(b, func(_, imaps, smtps string) []string {
		return []string{"--incoming", "imaps://" + imaps, "--outgoing", "smtps://" + smtps, "--username", unitUser}
	})
}

// benchmarkTest runs postino test with the arguments args gives, from the
// providers file naming the servers and the servers' addresses.
func benchmarkTest(b *testing.B, args func(providers, imaps, smtps string) []string) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "postino")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/postino/postino").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	ca := probetest.NewCA(b, "Bench")
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw}), 0o600); err != nil {
		b.Fatal(err)
	}
	cert := ca.Issue(b, []string{"127.0.0.1"}, time.Time{}, time.Time{})
	imaps := probetest.StartLatencyProxy(b, benchIMAPS(b, cert), benchOneWay)
	smtps := probetest.StartLatencyProxy(b, benchSMTPS(b, cert), benchOneWay)
	providers := filepath.Join(dir, "providers.yaml")
	entry := fmt.Sprintf("providers:\n  - id: bench\n    name: Bench\n    domains: [bench.example]\n    username: %q\n    incoming: [\"imaps://%s\"]\n    outgoing: [\"smtps://%s\"]\n",
		unitUser, imaps, smtps)
	if err := os.WriteFile(providers, []byte(entry), 0o600); err != nil {
		b.Fatal(err)
	}
	env := []string{"HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "LANG=C.UTF-8", "PATH=" + os.Getenv("PATH")}
	critical := 4 * benchRTT
	var total time.Duration
	runs := 0
	for b.Loop() {
		cmd := exec.Command(bin, append([]string{"test", "anna@bench.example", "--ca-file", caFile, "--password-stdin"}, args(providers, imaps, smtps)...)...)
		cmd.Env = env
		cmd.Stdin = strings.NewReader(unitPassword + "\n")
		start := time.Now()
		out, err := cmd.CombinedOutput()
		total += time.Since(start)
		runs++
		if err != nil {
			b.Fatalf("postino test: %v\n%s", err, out)
		}
	}
	mean := total / time.Duration(runs)
	b.ReportMetric(float64(mean.Microseconds())/1000, "ms")
	b.ReportMetric(float64(mean)/float64(critical), "x-critical-path")
}

// benchIMAPS runs go-imap's in-memory server, knowing alice, with
// implicit TLS; it returns its address.
func benchIMAPS(b *testing.B, cert tls.Certificate) string {
	mem := imapmemserver.New()
	mem.AddUser(imapmemserver.NewUser(unitUser, unitPassword))
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Logger: log.New(io.Discard, "", 0),
	})
	ln := benchListen(b, cert)
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// benchSMTPS runs a go-smtp submission server, knowing alice, with
// implicit TLS; it returns its address.
func benchSMTPS(b *testing.B, cert tls.Certificate) string {
	srv := smtp.NewServer(smtpBackend{})
	srv.Domain = "127.0.0.1"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln := benchListen(b, cert)
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

func benchListen(b *testing.B, cert tls.Certificate) net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	return tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
}
