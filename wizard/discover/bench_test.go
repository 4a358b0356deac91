package discover

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/postino/postino/wizard/mailbox"
)

// The benchmarks run discovery over the simulated network with benchOneWay
// of delay each way: a DNS answer, a TCP connect, a TLS 1.3 handshake and
// an HTTP exchange each cost one round trip. "x-critical-path" is the mean
// time over the round trips discovery cannot do without, so 1 means no
// time is wasted.
const (
	benchOneWay = 25 * time.Millisecond
	benchRTT    = 2 * benchOneWay
)

// A domain with its own autoconfig file. The critical path is 4 round
// trips: the DNS lookup of autoconfig.DOMAIN, the TCP connect, the TLS
// handshake, and the HTTP request with its answer (sent together with the
// client's Finished). Everything ranked above autoconfig, the MX lookup
// for the providers' MX patterns, answers within the first round trip.
func BenchmarkAutoconfig(b *testing.B) {
	n := newSimnet(b, benchOneWay)
	n.xmlPage("https://autoconfig.posta.example/mail/config-v1.1.xml", autoconfigXML("posta.example"))
	addr := mustAddress(b, "anna@posta.example")
	benchmarkDiscover(b, n, addr, mailbox.SourceAutoconfig, 4*benchRTT)
}

// A domain with only an Autodiscover service, at autodiscover.DOMAIN. The
// critical path is 4 round trips, as for autoconfig: the DNS lookup, the
// TCP connect, the TLS handshake and the POST with its answer. Above it,
// the domain's autoconfig finds no host within one round trip, and
// Thunderbird's ISP database says 404 after the same 4.
func BenchmarkAutodiscover(b *testing.B) {
	n := newSimnet(b, benchOneWay)
	n.xmlPage("https://autodiscover.posta.example/autodiscover/autodiscover.xml", adSettings("posta.example"))
	addr := mustAddress(b, "anna@posta.example")
	benchmarkDiscover(b, n, addr, mailbox.SourceAutodiscover, 4*benchRTT)
}

// A domain found only by guessing, most of whose candidate ports never
// answer: imap., pop3. and smtp. answer with implicit TLS, while their
// STARTTLS ports accept connections and never speak, and every port of
// mail. drops connection attempts. The critical path is the slowest
// answer that is used, 5 round trips for POP3S and SMTPS: DNS, connect,
// TLS, greeting, CAPA or EHLO. Discovery then waits once for better
// answers, twice as long as the first took and at least minGrace: the aim
// is to stay within 1 s of the critical path ("excess-ms").
func BenchmarkGuessHalfSilent(b *testing.B) {
	n := newSimnet(b, benchOneWay)
	d := "posta.example"
	halfSilent(n, d)
	benchmarkGuess(b, n, d)
}

// The same domain whose autoconfig server, ranked above guessing, takes
// the connection and never answers: guessing's answer must not wait for
// it beyond the one wait.
func BenchmarkGuessAutoconfigStalls(b *testing.B) {
	n := newSimnet(b, benchOneWay)
	d := "posta.example"
	halfSilent(n, d)
	n.page("https://autoconfig."+d+"/mail/config-v1.1.xml", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	benchmarkGuess(b, n, d)
}

// halfSilent makes d a domain guessing finds with half its ports silent
// and mail.d dropping connection attempts.
func halfSilent(n *simnet, d string) {
	guessable(n, d, map[string][]int{"imap.": {993}, "pop3.": {995}, "smtp.": {465}}, mailOK)
	guessable(n, d, map[string][]int{"imap.": {143}, "pop3.": {110}, "smtp.": {587}}, mailSilent)
	guessable(n, d, map[string][]int{"mail.": {993, 143, 995, 110, 465, 587}}, mailDropSYN)
}

func benchmarkGuess(b *testing.B, n *simnet, d string) {
	critical := 5 * benchRTT
	mean := benchmarkDiscover(b, n, mustAddress(b, "anna@"+d), mailbox.SourceGuess, critical)
	b.ReportMetric(float64((mean - critical).Milliseconds()), "excess-ms")
}

// A domain whose names resolve and whose ports never answer: guessing's
// candidates drop connection attempts or take them and say nothing, and
// so do the web servers of its autoconfig. The goal is "nothing found"
// within nothingFoundGoal; "x-goal" is the mean time over it.
func BenchmarkNothingFound(b *testing.B) {
	const nothingFoundGoal = 4 * time.Second
	n := newSimnet(b, benchOneWay)
	d := "posta.example"
	guessable(n, d, map[string][]int{"imap.": {993, 143}, "pop3.": {995, 110}, "smtp.": {465, 587}}, mailDropSYN)
	guessable(n, d, map[string][]int{"mail.": {993, 143, 995, 110, 465, 587}}, mailSilent)
	n.unreachable("autoconfig."+d, 443, 80)
	n.unreachable(d, 443, 80)
	addr := mustAddress(b, "anna@"+d)
	var total time.Duration
	runs := 0
	for b.Loop() {
		cfg := n.config()
		cfg.Catalog = catalog
		start := time.Now()
		_, err := Discover(context.Background(), addr, cfg)
		total += time.Since(start)
		runs++
		if !errors.Is(err, ErrNotFound) {
			b.Fatalf("Discover() = %v, want ErrNotFound", err)
		}
	}
	mean := total / time.Duration(runs)
	b.ReportMetric(float64(mean.Milliseconds()), "ms")
	b.ReportMetric(float64(mean)/float64(nothingFoundGoal), "x-goal")
}

// benchmarkDiscover runs discoveries that must end at source, and reports
// their mean time in milliseconds and against the critical path.
func benchmarkDiscover(b *testing.B, n *simnet, addr mailbox.Address, source mailbox.Source, critical time.Duration) time.Duration {
	b.Helper()
	var total time.Duration
	runs := 0
	for b.Loop() {
		cfg := n.config()
		cfg.Catalog = catalog
		start := time.Now()
		r, err := Discover(context.Background(), addr, cfg)
		total += time.Since(start)
		runs++
		if err != nil || r.Source != source {
			b.Fatalf("Discover() = %+v, %v; want source %s", r, err, source)
		}
	}
	mean := total / time.Duration(runs)
	b.ReportMetric(float64(mean.Milliseconds()), "ms")
	b.ReportMetric(float64(mean)/float64(critical), "x-critical-path")
	return mean
}
