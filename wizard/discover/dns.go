package discover

import (
	"cmp"
	"context"
	"errors"
	"net"
	"slices"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
)

var (
	errNoMX       = errors.New("the domain has no MX host")
	errMXInDomain = errors.New("the MX hosts are in the domain itself")
	errNoCatalog  = errors.New("no providers files")
	errNoProvider = errors.New("no provider matches")
	errNoSRV      = errors.New("no SRV record offers a mail service")
)

// mx looks up the domain's MX hosts once and answers for every rank that
// depends on them: the providers' MX patterns, and the base domain of the
// preferred MX host in the providers files, the ISP database (online and
// postino's copy) and its own autoconfig.
func (d *discovery) mx(ctx context.Context) {
	hosts, err := d.mxHosts(ctx)
	if err != nil {
		d.send(rankProviders, nil, err)
		d.failMXBase(err)
		return
	}
	d.send(d.catalogMatch(rankProviders, func(c Catalog) (*providers.Provider, bool) { return c.ByMX(hosts) }, mailbox.SourceProviders))

	base, err := publicsuffix.EffectiveTLDPlusOne(hosts[0])
	if err != nil || base == d.addr.ASCIIDomain {
		d.failMXBase(errMXInDomain)
		return
	}
	d.send(d.catalogMatch(rankMXProviders, func(c Catalog) (*providers.Provider, bool) { return c.ByDomain(base) }, mailbox.SourceMX))
	hosted := hint(textMXHosted, base)
	d.run(rankMXISPDB, func() (*Result, error) {
		s, err := d.ispdb(ctx, base)
		if err != nil {
			return nil, err
		}
		return d.fromSettings(s, mailbox.SourceMX, true, hosted), nil
	})
	d.run(rankMXISPDBBuiltin, func() (*Result, error) {
		s, err := builtinISPDB.settings(d.addr, base)
		if err != nil {
			return nil, err
		}
		return d.fromSettings(s, mailbox.SourceMX, true, hosted), nil
	})
	d.autoconfig(ctx, base, true, rankMXAutoconfig, func(s *settings) *Result {
		return d.fromSettings(s, mailbox.SourceMX, false, hint(textMXAutoconfig, base))
	})
}

// catalogMatch asks the providers files; it returns what send takes.
func (d *discovery) catalogMatch(r rank, match func(Catalog) (*providers.Provider, bool), src mailbox.Source) (rank, *Result, error) {
	if d.cfg.Catalog == nil {
		return r, nil, errNoCatalog
	}
	p, ok := match(d.cfg.Catalog)
	if !ok {
		return r, nil, errNoProvider
	}
	return r, d.fromProvider(p, src, hint(textMXHosted, p.Name)), nil
}

// failMXBase answers for the ranks of the MX base domain.
func (d *discovery) failMXBase(err error) {
	d.send(rankMXProviders, nil, err)
	d.send(rankMXISPDB, nil, err)
	d.send(rankMXISPDBBuiltin, nil, err)
	d.send(rankMXAutoconfig, nil, err)
	d.send(rankMXAutoconfig, nil, err)
}

// mxHosts is the domain's MX hosts in order of preference, in lower case
// without the final dot; a null MX (RFC 7505) counts as none.
func (d *discovery) mxHosts(ctx context.Context) ([]string, error) {
	records, err := d.resolver.LookupMX(ctx, d.addr.ASCIIDomain)
	if err != nil && len(records) == 0 {
		return nil, err
	}
	var hosts []string
	for _, mx := range records {
		if h, ok := hostName(strings.TrimSuffix(mx.Host, ".")); ok {
			hosts = append(hosts, h)
		}
	}
	if len(hosts) == 0 {
		return nil, errNoMX
	}
	return hosts, nil
}

// srvServices are the services of RFC 6186 and RFC 8314.
var srvServices = []struct {
	name     string
	protocol probe.Protocol
	security probe.Security
}{
	{"imaps", probe.IMAP, probe.TLS},
	{"imap", probe.IMAP, probe.StartTLS},
	{"pop3s", probe.POP3, probe.TLS},
	{"pop3", probe.POP3, probe.StartTLS},
	{"submissions", probe.SMTP, probe.TLS},
	{"submission", probe.SMTP, probe.StartTLS},
}

// srvEntry is one usable SRV record.
type srvEntry struct {
	priority uint16
	order    int // the resolver's order: by priority, then weighted at random
	server   probe.Server
}

// srv reads the domain's SRV records. A target "." means the service is
// not offered. Entries go by priority, then IMAP before POP3 and implicit
// TLS before STARTTLS. DNS answers are not authenticated, so the result
// always needs the person's confirmation, and targets outside the domain
// are named to them.
func (d *discovery) srv(ctx context.Context) (*Result, error) {
	type lookup struct {
		i       int
		records []*net.SRV
		err     error
	}
	answers := make(chan lookup, len(srvServices))
	for i, svc := range srvServices {
		go func() {
			_, records, err := d.resolver.LookupSRV(ctx, svc.name, "tcp", d.addr.ASCIIDomain)
			answers <- lookup{i, records, err}
		}()
	}
	var (
		entries []srvEntry
		outside []string
		errs    []error
	)
	for range srvServices {
		a := <-answers
		if a.err != nil && len(a.records) == 0 {
			errs = append(errs, a.err)
			continue
		}
		svc := srvServices[a.i]
		for j, rec := range a.records {
			target := strings.TrimSuffix(rec.Target, ".")
			host, ok := hostName(target)
			if target == "" || rec.Port == 0 || !ok {
				continue
			}
			entries = append(entries, srvEntry{rec.Priority, j, probe.Server{
				Protocol: svc.protocol, Host: host, Port: int(rec.Port), Security: svc.security,
				Username: d.addr.ASCII(), Auth: probe.AuthPassword,
			}})
			if !inDomain(host, d.addr.ASCIIDomain) && !slices.Contains(outside, host) {
				outside = append(outside, host)
			}
		}
	}
	slices.SortStableFunc(entries, func(a, b srvEntry) int {
		return cmp.Or(
			cmp.Compare(a.priority, b.priority),
			cmp.Compare(protocolOrder(a.server.Protocol), protocolOrder(b.server.Protocol)),
			cmp.Compare(securityOrder(a.server.Security), securityOrder(b.server.Security)),
			cmp.Compare(a.order, b.order),
		)
	})
	r := &Result{Address: d.addr, Source: mailbox.SourceSRV}
	for _, e := range entries {
		list := &r.Outgoing
		if e.server.Incoming() {
			list = &r.Incoming
		}
		if !slices.ContainsFunc(*list, func(s probe.Server) bool { return sameServer(s, e.server) }) {
			*list = append(*list, e.server)
		}
	}
	if len(r.Incoming) == 0 {
		if len(errs) == len(srvServices) {
			return nil, errors.Join(errs...)
		}
		return nil, errNoSRV
	}
	r.Hints = append(r.Hints, hint(textSRV))
	if len(outside) > 0 {
		r.Hints = append(r.Hints, hint(textSRVOutside, strings.Join(outside, ", ")))
	}
	r.Hints = append(r.Hints, hint(textUsernameGuessed, d.addr.ASCII()))
	if len(r.Outgoing) == 0 {
		r.Hints = append(r.Hints, hint(textSRVNoOutgoing))
	}
	return r, nil
}

func protocolOrder(p probe.Protocol) int {
	if p == probe.POP3 {
		return 1
	}
	return 0
}

func securityOrder(s probe.Security) int {
	if s == probe.TLS {
		return 0
	}
	return 1
}
