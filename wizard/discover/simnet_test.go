package discover

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/probe/probetest"
)

// simnet is a network inside the test process. Every host has its own
// loopback address (127.0.0.2 and up) published by a DNS server on
// 127.0.0.1; a connection to one of its standard ports is routed to a real
// listener: the web servers for autoconfig, or small mail servers. Nothing
// ever leaves the machine. With oneWay set, DNS answers, connects and every
// byte sent take that long each way.
type simnet struct {
	tb     testing.TB
	ca     *testCA
	oneWay time.Duration

	mu      sync.Mutex
	records map[string][]dns.RR // lower-case FQDN → its records
	ips     map[string]string   // host → its loopback address
	routes  map[string]string   // "ip:port" as dialed → the real listener
	pages   map[string]http.HandlerFunc
	nextIP  int

	dnsAddr string
	https   *httptest.Server
	http    *httptest.Server

	dials, lookups, requests atomic.Int64
}

func newSimnet(tb testing.TB, oneWay time.Duration) *simnet {
	tb.Helper()
	n := &simnet{
		tb: tb, ca: newTestCA(tb, "Simnet"), oneWay: oneWay,
		records: map[string][]dns.RR{}, ips: map[string]string{}, routes: map[string]string{},
		pages: map[string]http.HandlerFunc{}, nextIP: 2,
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	n.dnsAddr = pc.LocalAddr().String()
	ds := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(n.serveDNS)}
	go ds.ActivateAndServe()
	tb.Cleanup(func() { ds.Shutdown() })

	quiet := log.New(io.Discard, "", 0) // clients hanging up are part of the tests
	n.https = httptest.NewUnstartedServer(http.HandlerFunc(n.serveWeb))
	n.https.TLS = &tls.Config{GetCertificate: n.ca.certFor, MinVersion: tls.VersionTLS12}
	n.https.Config.ErrorLog = quiet
	n.https.StartTLS()
	n.http = httptest.NewUnstartedServer(http.HandlerFunc(n.serveWeb))
	n.http.Config.ErrorLog = quiet
	n.http.Start()
	tb.Cleanup(func() {
		n.https.CloseClientConnections()
		n.https.Close()
		n.http.CloseClientConnections()
		n.http.Close()
	})
	// Thunderbird's ISP database is there, knowing nothing by default.
	n.website("autoconfig.thunderbird.net")
	return n
}

// config is a discovery configuration that uses only the simulated
// network, with a fresh HTTP client: nothing is reused between runs, as
// between two runs of postino.
func (n *simnet) config() *Config {
	transport := &http.Transport{
		DialContext:       n.dialHost,
		TLSClientConfig:   &tls.Config{RootCAs: n.ca.Pool, MinVersion: tls.VersionTLS12},
		DisableKeepAlives: true,
	}
	n.tb.Cleanup(transport.CloseIdleConnections)
	return &Config{
		Resolver:   n.resolver(),
		HTTPClient: &http.Client{Transport: countingTransport{transport, &n.requests}},
		Dialer:     simDialer{n},
		RootCAs:    n.ca.Pool,
	}
}

func (n *simnet) resolver() *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", n.dnsAddr)
	}}
}

// countingTransport counts HTTP requests.
type countingTransport struct {
	rt http.RoundTripper
	n  *atomic.Int64
}

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.rt.RoundTrip(r)
}

// host gives name a loopback address of its own and publishes it.
func (n *simnet) host(name string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if ip, ok := n.ips[name]; ok {
		return ip
	}
	if n.nextIP > 250 {
		n.tb.Fatal("simnet: out of loopback addresses")
	}
	ip := fmt.Sprintf("127.0.0.%d", n.nextIP)
	n.nextIP++
	n.ips[name] = ip
	n.addLocked(fmt.Sprintf("%s. 60 IN A %s", name, ip))
	return ip
}

// rr publishes a record written in zone-file syntax.
func (n *simnet) rr(format string, args ...any) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.addLocked(fmt.Sprintf(format, args...))
}

func (n *simnet) addLocked(text string) {
	r, err := dns.NewRR(text)
	if err != nil {
		n.tb.Fatalf("simnet: record %q: %v", text, err)
	}
	name := strings.ToLower(r.Header().Name)
	n.records[name] = append(n.records[name], r)
}

func (n *simnet) mx(domain string, pref int, host string) {
	n.rr("%s. 60 IN MX %d %s.", domain, pref, strings.TrimSuffix(host, "."))
}

func (n *simnet) srv(service, domain string, priority, weight, port int, target string) {
	n.rr("_%s._tcp.%s. 60 IN SRV %d %d %d %s", service, domain, priority, weight, port, target)
}

// route sends connections to ip:port to a real listener, through a
// latency proxy when the network has latency.
func (n *simnet) route(ip string, port int, real string) {
	if n.oneWay > 0 {
		real = probetest.StartLatencyProxy(n.tb, real, n.oneWay)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.routes[net.JoinHostPort(ip, fmt.Sprint(port))] = real
}

// website makes host answer HTTPS on 443 and HTTP on 80.
func (n *simnet) website(host string) {
	ip := n.host(host)
	n.route(ip, 443, n.https.Listener.Addr().String())
	n.route(ip, 80, n.http.Listener.Addr().String())
}

// page serves h at rawURL (its query is ignored), whose host becomes a
// website.
func (n *simnet) page(rawURL string, h http.HandlerFunc) {
	u, err := url.Parse(rawURL)
	if err != nil {
		n.tb.Fatal(err)
	}
	n.website(u.Hostname())
	n.mu.Lock()
	defer n.mu.Unlock()
	n.pages[u.Scheme+"://"+u.Hostname()+u.Path] = h
}

// xmlPage serves body as an XML file at rawURL.
func (n *simnet) xmlPage(rawURL, body string) {
	n.page(rawURL, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, body)
	})
}

func (n *simnet) serveWeb(w http.ResponseWriter, r *http.Request) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	n.mu.Lock()
	h := n.pages[scheme+"://"+host+r.URL.Path]
	n.mu.Unlock()
	if h == nil {
		http.NotFound(w, r)
		return
	}
	h(w, r)
}

// serveDNS answers from the records, a round trip after the question.
func (n *simnet) serveDNS(w dns.ResponseWriter, req *dns.Msg) {
	n.lookups.Add(1)
	if n.oneWay > 0 {
		time.Sleep(2 * n.oneWay)
	}
	m := new(dns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	if len(req.Question) == 1 {
		q := req.Question[0]
		n.mu.Lock()
		rrs, exists := n.records[strings.ToLower(q.Name)]
		n.mu.Unlock()
		if !exists {
			m.Rcode = dns.RcodeNameError
		}
		for _, r := range rrs {
			if r.Header().Rrtype == q.Qtype {
				m.Answer = append(m.Answer, r)
			}
		}
	}
	w.WriteMsg(m)
}

// simDialer connects to the routed listener, a round trip after it was
// asked when the network has latency; an address with no listener refuses.
type simDialer struct{ n *simnet }

func (d simDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	d.n.dials.Add(1)
	if d.n.oneWay > 0 {
		t := time.NewTimer(2 * d.n.oneWay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	d.n.mu.Lock()
	real, ok := d.n.routes[address]
	d.n.mu.Unlock()
	if !ok {
		return nil, &net.OpError{Op: "dial", Net: network, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	if real == dropSYN {
		<-ctx.Done()
		return nil, &net.OpError{Op: "dial", Net: network, Err: ctx.Err()}
	}
	var nd net.Dialer
	return nd.DialContext(ctx, "tcp", real)
}

// dialHost is the web client's dialer: it resolves the host through the
// simulated DNS, as a browser would, then dials.
func (n *simnet) dialHost(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	addrs, err := n.resolver().LookupIPAddr(ctx, host)
	if err != nil {
		return nil, err
	}
	return simDialer{n}.DialContext(ctx, network, net.JoinHostPort(addrs[0].IP.String(), port))
}

// mailBehaviour is how a mail listener acts.
type mailBehaviour int

const (
	mailOK      mailBehaviour = iota
	mailSilent                // accepts and never says anything
	mailBadCert               // a certificate from a CA nobody trusts
	mailNoTLS                 // a STARTTLS port that does not offer STARTTLS
	mailDropSYN               // the name resolves, the port never answers a connection attempt
)

// dropSYN marks a route whose connection attempts are never answered.
const dropSYN = "drop-syn"

// unreachable makes host resolve and its ports drop every connection
// attempt, as behind a firewall that drops rather than refuses.
func (n *simnet) unreachable(host string, ports ...int) {
	ip := n.host(host)
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, port := range ports {
		n.routes[net.JoinHostPort(ip, fmt.Sprint(port))] = dropSYN
	}
}

// standardPorts are the ports of guessing.
var standardPorts = map[int]struct {
	protocol probe.Protocol
	security probe.Security
}{
	993: {probe.IMAP, probe.TLS}, 143: {probe.IMAP, probe.StartTLS},
	995: {probe.POP3, probe.TLS}, 110: {probe.POP3, probe.StartTLS},
	465: {probe.SMTP, probe.TLS}, 587: {probe.SMTP, probe.StartTLS},
}

// mail starts a mail server for host on a standard port.
func (n *simnet) mail(host string, port int, b mailBehaviour) {
	std, ok := standardPorts[port]
	if !ok {
		n.tb.Fatalf("simnet: %d is not a standard port", port)
	}
	n.mailServer(host, port, std.protocol, std.security, b)
}

// mailServer starts a mail server for host, reached at host:port.
func (n *simnet) mailServer(host string, port int, p probe.Protocol, sec probe.Security, b mailBehaviour) {
	if b == mailDropSYN {
		n.unreachable(host, port)
		return
	}
	ip := n.host(host)
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		n.tb.Fatal(err)
	}
	ca := n.ca
	if b == mailBadCert {
		ca = newTestCA(n.tb, "Nobody Trusts")
	}
	cfg := &tls.Config{GetCertificate: ca.certFor, MinVersion: tls.VersionTLS12}
	probetest.Serve(n.tb, ln, func(c net.Conn) {
		defer c.Close()
		if b == mailSilent {
			io.Copy(io.Discard, c) // until the client or the test ends
			return
		}
		serveMail(c, p, sec, b, cfg)
	})
	n.route(ip, port, ln.Addr().String())
}

// serveMail speaks just enough IMAP, POP3 or SMTP for a probe without
// credentials: greeting, capabilities, STARTTLS and goodbye.
func serveMail(c net.Conn, p probe.Protocol, sec probe.Security, b mailBehaviour, cfg *tls.Config) {
	c.SetDeadline(time.Now().Add(20 * time.Second))
	if sec == probe.TLS {
		c = tls.Server(c, cfg)
	}
	r := bufio.NewReader(c)
	secure := sec == probe.TLS
	say := func(lines ...string) { fmt.Fprint(c, strings.Join(lines, "\r\n")+"\r\n") }
	offerTLS := func() bool { return !secure && b != mailNoTLS }
	upgrade := func() {
		c = tls.Server(c, cfg)
		r = bufio.NewReader(c)
		secure = true
	}
	switch p {
	case probe.IMAP:
		caps := func() string {
			if offerTLS() {
				return "IMAP4rev1 STARTTLS LOGINDISABLED"
			}
			return "IMAP4rev1 AUTH=PLAIN"
		}
		say("* OK [CAPABILITY " + caps() + "] simnet ready")
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			tag, cmd, _ := strings.Cut(strings.TrimSpace(line), " ")
			switch strings.ToUpper(cmd) {
			case "CAPABILITY":
				say("* CAPABILITY "+caps(), tag+" OK done")
			case "STARTTLS":
				say(tag + " OK begin TLS")
				upgrade()
			case "LOGOUT":
				say("* BYE", tag+" OK bye")
				return
			default:
				say(tag + " BAD unknown")
			}
		}
	case probe.POP3:
		say("+OK simnet ready")
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			switch strings.ToUpper(strings.TrimSpace(line)) {
			case "CAPA":
				if offerTLS() {
					say("+OK", "TOP", "STLS", ".")
				} else {
					say("+OK", "TOP", "USER", "SASL PLAIN", ".")
				}
			case "STLS":
				say("+OK begin TLS")
				upgrade()
			case "QUIT":
				say("+OK bye")
				return
			default:
				say("-ERR unknown")
			}
		}
	case probe.SMTP:
		say("220 simnet ESMTP ready")
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			cmd, _, _ := strings.Cut(strings.TrimSpace(line), " ")
			switch strings.ToUpper(cmd) {
			case "EHLO":
				if offerTLS() {
					say("250-simnet", "250-PIPELINING", "250 STARTTLS")
				} else {
					say("250-simnet", "250-PIPELINING", "250 AUTH PLAIN LOGIN")
				}
			case "STARTTLS":
				say("220 go ahead")
				upgrade()
			case "QUIT":
				say("221 bye")
				return
			default:
				say("502 unknown")
			}
		}
	}
}

// testCA is a throwaway certificate authority that issues a certificate
// for whatever name a client asks for.
type testCA struct {
	*probetest.CA

	mu     sync.Mutex
	issued map[string]*tls.Certificate
}

func newTestCA(tb testing.TB, org string) *testCA {
	return &testCA{CA: probetest.NewCA(tb, org), issued: map[string]*tls.Certificate{}}
}

// certFor issues, once per name, a certificate for the name in the
// client's hello.
func (ca *testCA) certFor(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	name := hello.ServerName
	if name == "" {
		name = "unnamed.invalid"
	}
	ca.mu.Lock()
	defer ca.mu.Unlock()
	if c, ok := ca.issued[name]; ok {
		return c, nil
	}
	c, err := ca.Make([]string{name}, time.Time{}, time.Time{})
	if err != nil {
		return nil, err
	}
	ca.issued[name] = &c
	return &c, nil
}

// deadDNS is the simulated network without a working DNS: with refuse,
// every question is refused at once (no server listens), as on a machine
// without a network; without, questions go to a server that never
// answers. The web client resolves through it too.
func (n *simnet) deadDNS(refuse bool) *Config {
	var addr string
	if refuse {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			n.tb.Fatal(err)
		}
		addr = pc.LocalAddr().String()
		pc.Close()
	} else {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			n.tb.Fatal(err)
		}
		n.tb.Cleanup(func() { pc.Close() })
		addr = pc.LocalAddr().String()
	}
	resolver := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", addr)
	}}
	cfg := n.config()
	cfg.Resolver = resolver
	cfg.HTTPClient.Transport = &http.Transport{
		DialContext: func(ctx context.Context, network, address string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(address)
			if err != nil {
				return nil, err
			}
			addrs, err := resolver.LookupIPAddr(ctx, host)
			if err != nil {
				return nil, err
			}
			return simDialer{n}.DialContext(ctx, network, net.JoinHostPort(addrs[0].IP.String(), port))
		},
		DisableKeepAlives: true,
	}
	return cfg
}
