package probe

import (
	"context"
	"errors"
	"net"
	"sync"
	"syscall"
	"testing"
)

type fakeResolver map[string][]net.IPAddr

func (r fakeResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	if a, ok := r[host]; ok {
		return a, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func TestResolveInterleavesFamilies(t *testing.T) {
	r := fakeResolver{"h": {{IP: net.ParseIP("192.0.2.1")}, {IP: net.ParseIP("192.0.2.2")}, {IP: net.ParseIP("2001:db8::1")}}}
	ips, err := resolve(context.Background(), r, "h")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2001:db8::1", "192.0.2.1", "192.0.2.2"}
	for i, ip := range ips {
		if ip.String() != want[i] {
			t.Fatalf("resolve() = %v, want %v", ips, want)
		}
	}
	if _, err := resolve(context.Background(), r, "nowhere"); dialFailure("dns", err).Code != CodeDNSError {
		t.Errorf("unknown host: %v, want dns_error", err)
	}
}

// scriptedDialer answers each address as told: a silent address blocks
// until the dial is cancelled.
type scriptedDialer struct {
	mu        sync.Mutex
	refuse    map[string]bool
	silent    map[string]bool
	cancelled []string
}

func (d *scriptedDialer) DialContext(ctx context.Context, _, addr string) (net.Conn, error) {
	switch {
	case d.refuse[addr]:
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	case d.silent[addr]:
		<-ctx.Done()
		d.mu.Lock()
		d.cancelled = append(d.cancelled, addr)
		d.mu.Unlock()
		return nil, ctx.Err()
	}
	c, _ := net.Pipe()
	return c, nil
}

func TestDialFirstRacesAddresses(t *testing.T) {
	ips := []net.IP{net.ParseIP("2001:db8::1"), net.ParseIP("192.0.2.1"), net.ParseIP("192.0.2.2")}
	d := &scriptedDialer{silent: map[string]bool{"[2001:db8::1]:993": true}, refuse: map[string]bool{"192.0.2.1:993": true}}
	conn, err := dialFirst(context.Background(), d, ips, 993)
	if err != nil {
		t.Fatalf("dialFirst() = %v, want the third address", err)
	}
	conn.Close()

	d = &scriptedDialer{refuse: map[string]bool{"[2001:db8::1]:993": true, "192.0.2.1:993": true, "192.0.2.2:993": true}}
	_, err = dialFirst(context.Background(), d, ips, 993)
	if !errors.Is(err, syscall.ECONNREFUSED) || dialFailure("connect", err).Code != CodeConnectionRefused {
		t.Errorf("all refused: %v, want connection_refused", err)
	}
}
