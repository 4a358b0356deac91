package probe

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/postino/postino/probe/probetest"
)

func BenchmarkIMAPSLogin(b *testing.B) {
	e := newInprocEnv(b)
	s := inprocServer(IMAP, TLS, startIMAP(b, e, true))
	benchmarkLogin(b, s, e.options(inprocPassword, nil))
}

func BenchmarkSMTPSubmission(b *testing.B) {
	e := newInprocEnv(b)
	s := inprocServer(SMTP, StartTLS, startSMTP(b, e, false))
	benchmarkLogin(b, s, e.options(inprocPassword, nil))
}

// benchmarkLogin runs whole probes of s, each ending logged in, on
// loopback: what a probe costs besides the network. "x-tls" is a whole
// probe's time over its TLS handshake's, the work no probe can skip.
func benchmarkLogin(b *testing.B, s Server, opts *Options) {
	var total, handshake time.Duration
	for b.Loop() {
		r := Test(context.Background(), s, opts)
		if !r.LoggedIn {
			b.Fatalf("Test() = %s (%v), want logged in", r.Code, r.Failure)
		}
		total += r.Elapsed
		for _, st := range r.Steps {
			if st.Name == "tls" {
				handshake += st.elapsed
			}
		}
	}
	b.ReportMetric(float64(total)/float64(handshake), "x-tls")
}

// The RTT benchmarks put a link with benchOneWay of delay each way between
// the probe and the server, and compare a probe's time with the round trips
// its protocol cannot do without: "x-critical-path" is that ratio, where 1
// means the probe wastes no round trip, and "rtts" is the time in round
// trips. A round trip is counted where the probe has to wait for an answer
// before it can say the next thing; the goodbye (LOGOUT, QUIT) is sent
// without waiting and costs none.
//
// Two facts of the link shape every count:
//   - connecting costs one round trip (SYN, SYN-ACK), and a server that
//     speaks first can only do so when the client's ACK reaches it, so its
//     greeting arrives a second round trip after the connect began;
//   - a TLS 1.3 handshake costs one round trip: the client sends its
//     Finished and goes on at once. The server, though, finishes only when
//     that Finished reaches it (Go's crypto/tls and OpenSSL alike send no
//     0.5-RTT data), so whatever it speaks first after the handshake costs
//     another round trip, while whatever the client speaks first travels
//     with its Finished.
const (
	benchOneWay = 25 * time.Millisecond
	benchRTT    = 2 * benchOneWay
)

// IMAPS needs 4 round trips: connect 1, TLS 1, greeting 1 (the server
// speaks first after its handshake ends, see above), AUTHENTICATE PLAIN
// with SASL-IR 1. The greeting carries [CAPABILITY ...], so no CAPABILITY
// command is due.
func BenchmarkIMAPSLoginRTT(b *testing.B) {
	e := newInprocEnv(b)
	s := inprocServer(IMAP, TLS, startIMAP(b, e, true))
	benchmarkRTT(b, s, e.options(inprocPassword, nil), 4)
}

// IMAP with STARTTLS needs 6 round trips: connect 1, greeting 1 (again
// with capabilities), STARTTLS 1, TLS 1, CAPABILITY 1 (asked again as
// RFC 9051 requires; it travels with the client's Finished), AUTHENTICATE
// PLAIN with SASL-IR 1.
func BenchmarkIMAPStartTLSLoginRTT(b *testing.B) {
	e := newInprocEnv(b)
	s := inprocServer(IMAP, StartTLS, startIMAP(b, e, false))
	benchmarkRTT(b, s, e.options(inprocPassword, nil), 6)
}

// SMTP submission with STARTTLS needs 7 round trips: connect 1, greeting
// 1, EHLO 1, STARTTLS 1, TLS 1, EHLO 1 (again, as RFC 3207 requires; it
// travels with the client's Finished), AUTH PLAIN with its initial
// response 1. PIPELINING (RFC 2920) cannot shorten this: EHLO and STARTTLS
// must each end a group, and AUTH waits for the EHLO that lists it.
func BenchmarkSMTPSubmissionRTT(b *testing.B) {
	e := newInprocEnv(b)
	s := inprocServer(SMTP, StartTLS, startSMTP(b, e, false))
	benchmarkRTT(b, s, e.options(inprocPassword, nil), 7)
}

// POP3S needs 5 round trips: connect 1, TLS 1, greeting 1, CAPA 1 (the
// only way to learn of SASL PLAIN; a POP3 greeting has no capabilities),
// AUTH PLAIN with its initial response (RFC 5034) 1.
func BenchmarkPOP3SLoginRTT(b *testing.B) {
	e := newInprocEnv(b)
	s := inprocServer(POP3, TLS, startPOP3(b, newPOP3TestServer(e, true)))
	benchmarkRTT(b, s, e.options(inprocPassword, nil), 5)
}

// benchmarkRTT runs whole probes of s through a latency proxy and reports
// their mean time against roundTrips round trips. It logs the mean time of
// each step in round trips, to show where a wasted one went.
func benchmarkRTT(b *testing.B, s Server, opts *Options, roundTrips int) {
	proxy := probetest.StartLatencyProxy(b, net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)), benchOneWay)
	_, port, _ := net.SplitHostPort(proxy)
	s.Port, _ = strconv.Atoi(port)
	o := *opts
	o.Dialer = rttDialer{rtt: benchRTT}
	var (
		total time.Duration
		runs  int
		steps []Step
	)
	for b.Loop() {
		r := Test(context.Background(), s, &o)
		if !r.LoggedIn {
			b.Fatalf("Test() = %s (%v), want logged in", r.Code, r.Failure)
		}
		total += r.Elapsed
		runs++
		if steps == nil {
			steps = make([]Step, len(r.Steps))
		}
		for i, st := range r.Steps {
			steps[i].Name = st.Name
			steps[i].elapsed += st.elapsed
		}
	}
	mean := total / time.Duration(runs)
	b.ReportMetric(float64(mean)/float64(time.Duration(roundTrips)*benchRTT), "x-critical-path")
	b.ReportMetric(float64(mean)/float64(benchRTT), "rtts")
	var shown []string
	for _, st := range steps {
		shown = append(shown, fmt.Sprintf("%s %.2f", st.Name, float64(st.elapsed/time.Duration(runs))/float64(benchRTT)))
	}
	b.Logf("round trips per step: %s; expected %d in all", strings.Join(shown, ", "), roundTrips)
}

// rttDialer connects after one round trip, the SYN and the SYN-ACK, as a
// client does across the latency proxy's link.
type rttDialer struct{ rtt time.Duration }

func (d rttDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	t := time.NewTimer(d.rtt)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	var nd net.Dialer
	return nd.DialContext(ctx, network, address)
}
