package probe

import (
	"context"
	"net"
	"strconv"
	"time"
)

// Dialer opens TCP connections; *net.Dialer is one, and tests pass their own.
type Dialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// Resolver finds a host's addresses; *net.Resolver is one.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// attemptDelay is how long one address gets before the next one is tried
// alongside it (RFC 8305, section 5).
const attemptDelay = 250 * time.Millisecond

// resolve returns the host's addresses in the order RFC 8305 tries them:
// families interleaved, IPv6 first.
func resolve(ctx context.Context, r Resolver, host string) ([]net.IP, error) {
	if ip := net.ParseIP(host); ip != nil {
		return []net.IP{ip}, nil
	}
	addrs, err := r.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, err
	}
	var v6, v4 []net.IP
	for _, a := range addrs {
		if a.IP.To4() != nil {
			v4 = append(v4, a.IP)
		} else {
			v6 = append(v6, a.IP)
		}
	}
	ips := make([]net.IP, 0, len(addrs))
	for i := 0; i < len(v6) || i < len(v4); i++ {
		if i < len(v6) {
			ips = append(ips, v6[i])
		}
		if i < len(v4) {
			ips = append(ips, v4[i])
		}
	}
	return ips, nil
}

// dialFirst races connections to ips, starting the next one each time the
// running ones fail or attemptDelay passes, and keeps the first that connects
// (Happy Eyeballs). The error returned is the first one seen.
func dialFirst(ctx context.Context, d Dialer, ips []net.IP, port int) (net.Conn, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan outcome, len(ips))
	next, running := 0, 0
	start := func() {
		addr := net.JoinHostPort(ips[next].String(), strconv.Itoa(port))
		next++
		running++
		go func() {
			c, err := d.DialContext(ctx, "tcp", addr)
			results <- outcome{c, err}
		}()
	}
	start()
	timer := time.NewTimer(attemptDelay)
	defer timer.Stop()
	var firstErr error
	for running > 0 {
		select {
		case r := <-results:
			running--
			if r.err == nil {
				go closeLate(results, running)
				return r.conn, nil
			}
			if firstErr == nil {
				firstErr = r.err
			}
			if next < len(ips) {
				start()
				timer.Reset(attemptDelay)
			}
		case <-timer.C:
			if next < len(ips) {
				start()
				timer.Reset(attemptDelay)
			}
		}
	}
	return nil, firstErr
}

type outcome struct {
	conn net.Conn
	err  error
}

// closeLate closes the connections of the n attempts that lost the race.
func closeLate(results <-chan outcome, n int) {
	for ; n > 0; n-- {
		if r := <-results; r.conn != nil {
			r.conn.Close()
		}
	}
}
