// Package discover finds the server settings for an address: from the
// providers files, the provider's own autoconfig, Thunderbird's ISP
// database (online, and the copy built into postino), Exchange
// Autodiscover, the base domain of the MX hosts, RFC 6186 SRV records and,
// last, by guessing. All sources start at once and the best answer wins.
//
// An answer is trusted when a person could not have been sent elsewhere by
// someone on the network: it comes from the providers files (also when the
// domain was matched through its MX hosts: the servers are still the
// curated ones), from Thunderbird's ISP database (online over HTTPS, or
// postino's own copy), or from the domain's own autoconfig file or
// Autodiscover service over HTTPS with a verified certificate, from a host
// of the domain. Everything else rests on unauthenticated DNS or plain
// HTTP (autoconfig over HTTP, the MX base domain's own autoconfig,
// Autodiscover answered by another domain's host, SRV records, guessing)
// and needs the person's confirmation before a password is sent; its
// hints say why. DNSSEC is not checked, so no DNS answer is trusted.
package discover

import (
	"cmp"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
)

// Catalog is the providers database as discovery uses it;
// *providers.DB is one.
type Catalog interface {
	ByDomain(domain string) (*providers.Provider, bool)
	ByMX(hosts []string) (*providers.Provider, bool)
}

// Resolver answers the DNS questions of discovery; *net.Resolver is one.
type Resolver interface {
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupSRV(ctx context.Context, service, proto, name string) (string, []*net.SRV, error)
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// Defaults of Config.
const (
	DefaultBudget = 8 * time.Second
	DefaultGrace  = time.Second
)

// minGrace is the shortest wait for better sources once one has answered
// (unless Config.Grace is shorter still).
const minGrace = 500 * time.Millisecond

// A connection of any source, a mail server's or a web server's, must be
// made within connectWithin, and greet (or finish its TLS handshake)
// within greetWithin after that: names that resolve to ports that never
// answer are given up in seconds, not at the end of the budget.
const (
	connectWithin = 1500 * time.Millisecond
	greetWithin   = 2 * time.Second
)

// Config is how Discover works; a nil config is equivalent to a zero one.
type Config struct {
	// Catalog is the providers files; nil means none.
	Catalog Catalog
	// Offline asks the providers files and then the ISP database built
	// into postino: no network at all.
	Offline bool
	// Resolver, HTTPClient and Dialer default to the standard library's.
	// HTTPClient's own CheckRedirect is replaced by discovery's limit.
	Resolver   Resolver
	HTTPClient *http.Client
	Dialer     probe.Dialer
	// RootCAs are the trusted roots for HTTPS and mail servers; nil means
	// the system's.
	RootCAs *x509.CertPool
	// SystemRoots makes the system's roots vouch too, besides RootCAs
	// (probe.Options.SystemRoots).
	SystemRoots bool
	// Budget bounds the whole discovery (DefaultBudget when zero).
	Budget time.Duration
	// Grace is the longest that better sources may still answer once a
	// worse one has (DefaultGrace when zero). Within it the wait is
	// twice as long as that first answer took, and at least minGrace: a
	// better source started at the same time and needs about as many
	// round trips.
	Grace time.Duration
	// Progress, if set, is told as each source starts and ends. It is
	// called on Discover's own goroutine, one event at a time.
	Progress func(mailbox.SourceEvent)
}

// ErrNotFound is returned, wrapped with each source's reason, when no
// source found settings.
var ErrNotFound = errors.New("no settings found")

// ErrNoNetwork is returned, wrapped with each source's reason, when no
// source found settings because the network itself failed: the domain's
// DNS question (MX) got no answer at all, not even "no such domain", and
// Thunderbird's ISP database could not be reached either. Then "no
// settings found" would send the person looking for settings that are
// not missing.
var ErrNoNetwork = errors.New("no internet connection (or DNS is not working)")

// rank orders the answers; the lowest wins. It is DESIGN.md's order of the
// sources, except that an answer the person must confirm never beats a
// trusted one: an autoconfig file fetched over plain HTTP, or found through
// the MX hosts, comes after the trusted answers.
type rank int

const (
	rankProviders         rank = iota // providers by MX pattern
	rankAutoconfig                    // the domain's autoconfig over HTTPS
	rankISPDB                         // Thunderbird's ISP database
	rankISPDBBuiltin                  // postino's copy of it: older, but offline
	rankAutodiscover                  // the domain's Autodiscover over HTTPS
	rankMXProviders                   // the MX base domain in the providers files
	rankMXISPDB                       // the MX base domain in the ISP database
	rankMXISPDBBuiltin                // the MX base domain in postino's copy
	rankAutodiscoverOther             // Autodiscover where plain HTTP or SRV sent
	rankAutoconfigHTTP                // the domain's autoconfig over plain HTTP
	rankMXAutoconfig                  // the MX base domain's autoconfig over HTTPS
	rankSRV
	rankGuess
	numRanks
)

var rankSource = [numRanks]mailbox.Source{
	mailbox.SourceProviders, mailbox.SourceAutoconfig, mailbox.SourceISPDB, mailbox.SourceISPDB, mailbox.SourceAutodiscover,
	mailbox.SourceMX, mailbox.SourceMX, mailbox.SourceMX, mailbox.SourceAutodiscover,
	mailbox.SourceAutoconfig, mailbox.SourceMX, mailbox.SourceSRV, mailbox.SourceGuess,
}

// attempts is how many answers each rank waits for: the autoconfig ranks
// ask two places each; Autodiscover asks two places over HTTPS, then where
// the plain HTTP redirect and the SRV record send.
var attempts = [numRanks]int{1, 2, 1, 1, 2, 1, 1, 1, 2, 2, 2, 1, 1}

// ispdbURL is Thunderbird's ISP database; the domain follows.
const ispdbURL = "https://autoconfig.thunderbird.net/v1.1/"

// Discover finds the settings for addr. A match in the providers files by
// domain answers at once, without any network (offline, so does postino's
// copy of the ISP database); otherwise every source
// starts together and the highest-ranked success wins, a lower one being
// taken only when everything above it has failed or the grace has passed
// since the first success. There is one wait, whatever the source: a
// source that improves its answer as it goes (guessing) tells each
// improvement at once, and the grace covers its improvements as it does
// better sources.
func Discover(ctx context.Context, addr mailbox.Address, cfg *Config) (*Result, error) {
	if cfg == nil {
		cfg = &Config{}
	}
	d := &discovery{addr: addr, cfg: cfg}
	d.emit(mailbox.SourceProviders, mailbox.SourceRunning, nil)
	if cfg.Catalog != nil {
		if p, ok := cfg.Catalog.ByDomain(addr.ASCIIDomain); ok {
			d.emit(mailbox.SourceProviders, mailbox.SourceFound, nil)
			return d.fromProvider(p, mailbox.SourceProviders), nil
		}
	}
	if cfg.Offline {
		return d.offline()
	}
	d.resolver = cfg.Resolver
	if d.resolver == nil {
		d.resolver = net.DefaultResolver
	}
	d.client = httpClient(cfg)
	return d.race(ctx)
}

// offline answers from postino's copy of the ISP database once the
// providers files have no entry for the domain.
func (d *discovery) offline() (*Result, error) {
	if d.cfg.Catalog == nil {
		d.emit(mailbox.SourceProviders, mailbox.SourceNotFound, errNoCatalog)
	} else {
		d.emit(mailbox.SourceProviders, mailbox.SourceNotFound, errNoProvider)
	}
	d.emit(mailbox.SourceISPDB, mailbox.SourceRunning, nil)
	s, err := builtinISPDB.settings(d.addr, d.addr.ASCIIDomain)
	if err != nil {
		if errors.Is(err, errNotInSnapshot) {
			err = fmt.Errorf("%w for %s in the providers files or postino's copy of the ISP database", ErrNotFound, d.addr)
		} else {
			err = fmt.Errorf("%w for %s: %w", ErrNotFound, d.addr, err)
		}
		d.emit(mailbox.SourceISPDB, mailbox.SourceNotFound, err)
		return nil, err
	}
	d.emit(mailbox.SourceISPDB, mailbox.SourceFound, nil)
	return d.fromSettings(s, mailbox.SourceISPDB, true), nil
}

// discovery is one run of Discover.
type discovery struct {
	addr     mailbox.Address
	cfg      *Config
	resolver Resolver
	client   *http.Client
	answers  chan answer
	// done is closed when the race is over: improvements no one awaits
	// are dropped.
	done chan struct{}
}

// answer is one attempt's outcome at its rank; a provisional one may be
// improved by a later answer of the same attempt.
type answer struct {
	rank        rank
	res         *Result
	err         error
	provisional bool
}

func (d *discovery) emit(s mailbox.Source, st mailbox.SourceState, err error) {
	if d.cfg.Progress != nil {
		d.cfg.Progress(mailbox.SourceEvent{Source: s, State: st, Err: err})
	}
}

// race runs the sources and picks the answer.
func (d *discovery) race(parent context.Context) (*Result, error) {
	budget, grace := d.cfg.Budget, d.cfg.Grace
	if budget <= 0 {
		budget = DefaultBudget
	}
	if grace <= 0 {
		grace = DefaultGrace
	}
	ctx, cancel := context.WithTimeout(parent, budget)
	defer cancel()

	pending := attempts
	sources := newSourceStates(d)
	total := 0
	for r, n := range pending {
		sources.plan(rankSource[r], n)
		total += n
	}
	d.answers = make(chan answer, total)
	d.done = make(chan struct{})
	defer close(d.done)
	sources.start()
	domain := d.addr.ASCIIDomain
	go d.mx(ctx)
	d.autoconfig(ctx, domain, true, rankAutoconfig, func(s *settings) *Result {
		if s.redirectedTo != "" {
			// HTTPS vouches for the other domain, not for this one.
			return d.fromSettings(s, mailbox.SourceAutoconfig, false, hint(textRedirected, s.redirectedTo))
		}
		return d.fromSettings(s, mailbox.SourceAutoconfig, true)
	})
	d.autoconfig(ctx, domain, false, rankAutoconfigHTTP, func(s *settings) *Result {
		return d.fromSettings(s, mailbox.SourceAutoconfig, false, hint(textPlainHTTP))
	})
	d.run(rankISPDB, func() (*Result, error) {
		s, err := d.ispdb(ctx, domain)
		if err != nil {
			return nil, err
		}
		return d.fromSettings(s, mailbox.SourceISPDB, true), nil
	})
	d.run(rankISPDBBuiltin, func() (*Result, error) {
		s, err := builtinISPDB.settings(d.addr, domain)
		if err != nil {
			return nil, err
		}
		return d.fromSettings(s, mailbox.SourceISPDB, true), nil
	})
	d.autodiscover(ctx)
	d.run(rankSRV, func() (*Result, error) { return d.srv(ctx) })
	go func() {
		res, err := d.guess(ctx, func(r *Result) { d.improve(rankGuess, r) })
		d.send(rankGuess, res, err)
	}()

	start := time.Now()
	var (
		best  *answer
		errs  []error
		waitC <-chan time.Time
		// offline collects what tells a dead network from a domain
		// without settings.
		offline networkState
	)
	for {
		if best != nil && !best.provisional && settled(pending, best.rank) {
			return sources.finish(best), nil
		}
		if best == nil && settled(pending, numRanks) {
			return nil, sources.notFound(errs, offline.down())
		}
		select {
		case a := <-d.answers:
			sources.answered(a)
			if !a.provisional {
				pending[a.rank]--
			}
			if a.err != nil {
				offline.failed(a)
				errs = append(errs, fmt.Errorf("%s: %w", rankSource[a.rank], a.err))
				if best != nil && best.rank == a.rank && pending[a.rank] == 0 {
					best.provisional = false // nothing more will improve it
				}
				continue
			}
			offline.answered(a)
			if best == nil || a.rank < best.rank || a.rank == best.rank && best.provisional {
				best = &a
			}
			if waitC == nil {
				t := time.NewTimer(min(grace, max(2*time.Since(start), minGrace)))
				defer t.Stop()
				waitC = t.C
			}
		case <-waitC:
			return sources.finish(best), nil
		case <-ctx.Done():
			if err := parent.Err(); err != nil {
				sources.stop()
				return nil, err
			}
			if best != nil {
				return sources.finish(best), nil
			}
			return nil, sources.notFound(append(errs, fmt.Errorf("no answer within %v", budget)), offline.silent())
		}
	}
}

// settled reports whether every rank above r has answered.
func settled(pending [numRanks]int, r rank) bool {
	for i := rank(0); i < r; i++ {
		if pending[i] > 0 {
			return false
		}
	}
	return true
}

// run starts one attempt at rank r.
func (d *discovery) run(r rank, attempt func() (*Result, error)) {
	go func() {
		res, err := attempt()
		d.send(r, res, err)
	}()
}

// send delivers an answer; the channel holds every planned answer, so
// attempts still running when Discover returns never block.
func (d *discovery) send(r rank, res *Result, err error) {
	d.answers <- answer{rank: r, res: res, err: err}
}

// improve delivers a provisional answer of an attempt still running, while
// the race awaits it.
func (d *discovery) improve(r rank, res *Result) {
	select {
	case d.answers <- answer{rank: r, res: res, provisional: true}:
	case <-d.done:
	}
}

// sourceStates turns the answers of each rank into the events of each
// source.
type sourceStates struct {
	d       *discovery
	order   []mailbox.Source
	pending map[mailbox.Source]int
	found   map[mailbox.Source]bool
	lastErr map[mailbox.Source]error
}

func newSourceStates(d *discovery) *sourceStates {
	return &sourceStates{d: d, pending: map[mailbox.Source]int{}, found: map[mailbox.Source]bool{}, lastErr: map[mailbox.Source]error{}}
}

func (s *sourceStates) plan(src mailbox.Source, n int) {
	if _, ok := s.pending[src]; !ok {
		s.order = append(s.order, src)
	}
	s.pending[src] += n
}

// start announces the sources; the providers files were announced when
// they were asked by domain.
func (s *sourceStates) start() {
	for _, src := range s.order {
		if src != mailbox.SourceProviders {
			s.d.emit(src, mailbox.SourceRunning, nil)
		}
	}
}

func (s *sourceStates) answered(a answer) {
	src := rankSource[a.rank]
	if a.provisional {
		s.found[src] = true
		return
	}
	s.pending[src]--
	if a.err == nil {
		s.found[src] = true
	} else {
		s.lastErr[src] = a.err
	}
	if s.pending[src] > 0 {
		return
	}
	if s.found[src] {
		s.d.emit(src, mailbox.SourceFound, nil)
	} else {
		s.d.emit(src, mailbox.SourceNotFound, s.lastErr[src])
	}
}

// finish ends every source still running and returns the winner.
func (s *sourceStates) finish(best *answer) *Result {
	for _, src := range s.order {
		if s.pending[src] > 0 {
			if s.found[src] {
				s.d.emit(src, mailbox.SourceFound, nil)
			} else {
				s.d.emit(src, mailbox.SourceStopped, nil)
			}
			s.pending[src] = 0
		}
	}
	return best.res
}

func (s *sourceStates) stop() {
	for _, src := range s.order {
		if s.pending[src] > 0 {
			s.d.emit(src, mailbox.SourceStopped, nil)
			s.pending[src] = 0
		}
	}
}

func (s *sourceStates) notFound(errs []error, noNetwork bool) error {
	s.stop()
	if noNetwork {
		return fmt.Errorf("%w: %w", ErrNoNetwork, errors.Join(errs...))
	}
	return fmt.Errorf("%w for %s: %w", ErrNotFound, s.d.addr, errors.Join(errs...))
}

// networkState follows the two answers that tell a dead network from a
// domain without settings: the domain's MX question and Thunderbird's
// ISP database, a web server that is always there.
type networkState struct {
	mxAnswered, mxDead       bool
	ispdbAnswered, ispdbDead bool
}

func (n *networkState) answered(a answer) {
	switch a.rank {
	case rankProviders:
		n.mxAnswered = true
	case rankISPDB:
		n.ispdbAnswered = true
	}
}

func (n *networkState) failed(a answer) {
	switch a.rank {
	case rankProviders:
		// The MX rank also fails with no provider for hosts it found:
		// then DNS answered.
		n.mxAnswered = true
		n.mxDead = dnsDead(a.err)
	case rankISPDB:
		n.ispdbAnswered = true
		n.ispdbDead = unreachable(a.err)
	}
}

// down reports, once every source answered, whether the network failed:
// DNS gave no answer for the domain and the ISP database was unreachable.
func (n *networkState) down() bool { return n.mxDead && n.ispdbDead }

// silent reports, when the time ran out, whether the network failed: DNS
// gave the domain no answer (none yet, or a failure) and the ISP database
// none either.
func (n *networkState) silent() bool {
	return (!n.mxAnswered || n.mxDead) && (!n.ispdbAnswered || n.ispdbDead)
}

// dnsDead reports whether err is DNS failing to answer at all (no server
// reached, a timeout, a server failure) rather than answering that the
// name or its records do not exist.
func dnsDead(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && !de.IsNotFound
}

// unreachable reports whether a web request failed before any answer
// came: its name did not resolve or no connection was made.
func unreachable(err error) bool {
	var ue *url.Error
	return errors.As(err, &ue)
}

// httpClient is the configured client, or one that trusts RootCAs and
// dials through Dialer, with discovery's limit on redirects.
func httpClient(cfg *Config) *http.Client {
	var c http.Client
	if cfg.HTTPClient != nil {
		c = *cfg.HTTPClient
	} else {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.TLSClientConfig = probe.TLSConfig(cfg.RootCAs, cfg.SystemRoots)
		if cfg.Dialer != nil {
			t.DialContext = cfg.Dialer.DialContext
		}
		c.Transport = t
	}
	c.CheckRedirect = limitRedirects
	return &c
}

// fromProvider is a providers-file entry's settings for the address.
func (d *discovery) fromProvider(p *providers.Provider, src mailbox.Source, extra ...probe.Text) *Result {
	incoming, outgoing := p.Servers(d.addr.ASCII())
	return &Result{
		Address:  d.addr,
		Provider: p,
		Source:   src,
		Trusted:  true,
		Incoming: withAuth(incoming, p.Auth),
		Outgoing: withAuth(outgoing, p.Auth),
		Hints:    append(append([]probe.Text{}, p.Hints...), extra...),
	}
}

// withAuth gives every server a kind of credential: its own, else the
// provider's, else a password.
func withAuth(list []probe.Server, auth probe.Auth) []probe.Server {
	for i := range list {
		list[i].Auth = cmp.Or(list[i].Auth, auth, probe.AuthPassword)
	}
	return list
}

// fromSettings is an autoconfig file's settings as a result. Advice from a
// file the person must confirm is left out: it could send them anywhere.
func (d *discovery) fromSettings(s *settings, src mailbox.Source, trusted bool, extra ...probe.Text) *Result {
	r := &Result{
		Address:  d.addr,
		Provider: s.provider,
		Source:   src,
		Trusted:  trusted,
		Incoming: s.incoming,
		Outgoing: s.outgoing,
	}
	if trusted {
		r.Hints = append(r.Hints, s.provider.Hints...)
	} else {
		s.provider.Hints, s.provider.Docs = nil, ""
	}
	r.Hints = append(append(r.Hints, s.notes...), extra...)
	return r
}
