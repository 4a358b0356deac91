package discover

import (
	"context"
	"fmt"
	"net"
	"sync"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/mailbox"
)

// guessSlots are what guessing looks for, in order of preference: each
// protocol with implicit TLS, then with STARTTLS, on its standard port,
// under the host names usual for it, best first. Cleartext is never tried.
var guessSlots = []struct {
	protocol probe.Protocol
	security probe.Security
	prefixes []string
}{
	{probe.IMAP, probe.TLS, imapPrefixes},
	{probe.IMAP, probe.StartTLS, imapPrefixes},
	{probe.POP3, probe.TLS, pop3Prefixes},
	{probe.POP3, probe.StartTLS, pop3Prefixes},
	{probe.SMTP, probe.TLS, smtpPrefixes},
	{probe.SMTP, probe.StartTLS, smtpPrefixes},
}

var (
	imapPrefixes = []string{"imap.", "mail.", ""}
	pop3Prefixes = []string{"pop3.", "pop.", "mail.", ""}
	smtpPrefixes = []string{"smtp.", "mail.", ""}
)

// guessTimeout bounds each candidate's test: with the connect and
// greeting deadlines (connectWithin, greetWithin), every candidate has
// answered or failed within it.
const guessTimeout = connectWithin + greetWithin

// candidate is one host and port to try.
type candidate struct {
	slot, pref int // pref: the host name's place in its slot's list
	server     probe.Server
}

// guess tries the usual host names on the standard ports, all at once,
// without credentials: a candidate counts only when its certificate is
// verified. Each time the answer improves it is told to report, so that
// the race's one wait covers the better candidates too; guess ends when
// no better candidate can still answer, or when ctx ends.
func (d *discovery) guess(ctx context.Context, report func(*Result)) (*Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var cands []candidate
	for slot, g := range guessSlots {
		for pref, prefix := range g.prefixes {
			cands = append(cands, candidate{slot, pref, probe.Server{
				Protocol: g.protocol, Host: prefix + d.addr.ASCIIDomain,
				Port: probe.DefaultPort(g.protocol, g.security), Security: g.security,
				Username: d.addr.ASCII(), Auth: probe.AuthPassword,
			}})
		}
	}
	opts := &probe.Options{
		RootCAs:         d.cfg.RootCAs,
		SystemRoots:     d.cfg.SystemRoots,
		Dialer:          d.cfg.Dialer,
		Resolver:        &onceResolver{r: d.resolver, done: map[string]*lookupOnce{}},
		Timeout:         guessTimeout,
		ConnectTimeout:  connectWithin,
		GreetingTimeout: greetWithin,
	}
	type outcome struct {
		i  int
		ok bool
	}
	outcomes := make(chan outcome, len(cands))
	for i, c := range cands {
		go func() {
			r := probe.Test(ctx, c.server, opts)
			outcomes <- outcome{i, r.OK && r.TLS != nil && r.TLS.Verified}
		}()
	}

	finished := make([]bool, len(cands))
	best := make([]int, len(guessSlots)) // the best pref that answered, or -1
	for i := range best {
		best[i] = -1
	}
	needed := func() bool {
		for i, c := range cands {
			if !finished[i] && (best[c.slot] < 0 || c.pref < best[c.slot]) {
				return true
			}
		}
		return false
	}
wait:
	for needed() {
		select {
		case o := <-outcomes:
			finished[o.i] = true
			c := cands[o.i]
			if !o.ok || best[c.slot] >= 0 && best[c.slot] < c.pref {
				continue
			}
			best[c.slot] = c.pref
			if r, err := d.guessed(cands, best); err == nil && needed() {
				report(r)
			}
		case <-ctx.Done():
			break wait
		}
	}
	return d.guessed(cands, best)
}

// guessed is the result of the candidates that answered best in each
// slot.
func (d *discovery) guessed(cands []candidate, best []int) (*Result, error) {
	r := &Result{Address: d.addr, Source: mailbox.SourceGuess}
	for slot, pref := range best {
		if pref < 0 {
			continue
		}
		for _, c := range cands {
			if c.slot == slot && c.pref == pref {
				if c.server.Incoming() {
					r.Incoming = append(r.Incoming, c.server)
				} else {
					r.Outgoing = append(r.Outgoing, c.server)
				}
			}
		}
	}
	if len(r.Incoming) == 0 {
		return nil, fmt.Errorf("no incoming server answered with a verified certificate (%d tried)", len(cands))
	}
	r.Hints = append(r.Hints, hint(textGuessed), hint(textUsernameGuessed, d.addr.ASCII()))
	if len(r.Outgoing) == 0 {
		r.Hints = append(r.Hints, hint(textNoOutgoing))
	}
	return r, nil
}

// onceResolver looks each host up once for all the candidates that share
// it.
type onceResolver struct {
	r    Resolver
	mu   sync.Mutex
	done map[string]*lookupOnce
}

type lookupOnce struct {
	ready chan struct{}
	addrs []net.IPAddr
	err   error
}

func (o *onceResolver) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	o.mu.Lock()
	l, ok := o.done[host]
	if !ok {
		l = &lookupOnce{ready: make(chan struct{})}
		o.done[host] = l
	}
	o.mu.Unlock()
	if !ok {
		l.addrs, l.err = o.r.LookupIPAddr(ctx, host)
		close(l.ready)
	}
	select {
	case <-l.ready:
		return l.addrs, l.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
