package wizard

import (
	"context"

	"github.com/postino/postino/wizard/providers"
)

// ListDetector finds settings in the provider list alone, by the address's
// domain, without touching the network.
type ListDetector struct {
	DB *providers.DB
}

// Detect looks the address's domain up in the list.
func (l ListDetector) Detect(ctx context.Context, address string, progress func(SourceEvent)) (Detection, error) {
	progress(SourceEvent{Source: SourceProviders, State: SourceRunning})
	a, err := ParseAddress(address)
	if err != nil {
		return Detection{}, err
	}
	p, ok := l.DB.ByDomain(a.ASCIIDomain)
	if !ok {
		progress(SourceEvent{Source: SourceProviders, State: SourceNotFound})
		return Detection{}, ctx.Err()
	}
	progress(SourceEvent{Source: SourceProviders, State: SourceFound})
	in, out := p.Servers(a.ASCII())
	return Detection{Source: SourceProviders, Trusted: true, Provider: p.Name, Incoming: in, Outgoing: out, Hints: p.Hints}, nil
}
