package probe

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
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

// benchmarkLogin runs whole probes of s, each ending logged in.
func benchmarkLogin(b *testing.B, s Server, opts *Options) {
	for b.Loop() {
		if r := Test(context.Background(), s, opts); !r.LoggedIn {
			b.Fatalf("Test() = %s (%v), want logged in", r.Code, r.Failure)
		}
	}
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
	s.Port = startLatencyProxy(b, s.Port, benchOneWay)
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

// latencyProxy forwards loopback connections to a server, delivering every
// chunk oneWay after it was read, in each direction, in order.
type latencyProxy struct {
	ln     net.Listener
	target string
	oneWay time.Duration

	wg    sync.WaitGroup
	mu    sync.Mutex
	conns []net.Conn
}

// startLatencyProxy proxies to port on 127.0.0.1 and returns its own port,
// until the benchmark ends.
func startLatencyProxy(tb testing.TB, port int, oneWay time.Duration) int {
	tb.Helper()
	ln, proxyPort := inprocListen(tb, nil)
	p := &latencyProxy{ln: ln, target: fmt.Sprintf("127.0.0.1:%d", port), oneWay: oneWay}
	p.wg.Add(1)
	go p.accept()
	tb.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		for _, c := range p.conns {
			c.Close()
		}
		p.mu.Unlock()
		p.wg.Wait()
	})
	return proxyPort
}

func (p *latencyProxy) track(c net.Conn) {
	p.mu.Lock()
	p.conns = append(p.conns, c)
	p.mu.Unlock()
}

func (p *latencyProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.track(c)
		p.wg.Add(1)
		go p.handle(c)
	}
}

// chunk is bytes read from one end, due at the other end at due; nil
// bytes stand for the end of the stream.
type chunk struct {
	due time.Time
	b   []byte
}

// handle links a client to the server. The server's end is connected only
// oneWay after the client's, when the client's ACK would reach it, so that
// a server speaking first does so when it would across a real link.
func (p *latencyProxy) handle(client net.Conn) {
	defer p.wg.Done()
	up := make(chan chunk, 1024)
	go p.read(client, up)
	time.Sleep(p.oneWay)
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		for range up {
		}
		return
	}
	p.track(server)
	down := make(chan chunk, 1024)
	go p.read(server, down)
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

// read queues what from sends, stamped with when it is due, until it ends.
func (p *latencyProxy) read(from net.Conn, q chan<- chunk) {
	defer close(q)
	for {
		buf := make([]byte, 32<<10)
		n, err := from.Read(buf)
		if n > 0 {
			q <- chunk{due: time.Now().Add(p.oneWay), b: buf[:n]}
		}
		if err != nil {
			q <- chunk{due: time.Now().Add(p.oneWay)}
			return
		}
	}
}

// deliver writes each chunk of q to to when it is due, and passes the end
// of the stream on as a half close; a failed write closes both ends, and
// the rest of q is drained so that its reader ends too.
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
