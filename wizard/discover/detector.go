package discover

import (
	"context"
	"errors"

	"github.com/postino/postino/wizard"
)

// Detector is discovery as the wizard's flow asks for it.
type Detector struct {
	Config Config
}

// Detect runs Discover for address. Finding nothing is not an error for
// the flow: it answers an empty detection, as the wizard's ListDetector
// does. A source stopped because a better one answered ends as not found,
// the nearest of the flow's states.
func (d Detector) Detect(ctx context.Context, address string, progress func(wizard.SourceEvent)) (wizard.Detection, error) {
	addr, err := wizard.ParseAddress(address)
	if err != nil {
		return wizard.Detection{}, err
	}
	cfg := d.Config
	if progress != nil {
		own := cfg.Progress
		cfg.Progress = func(e Event) {
			if own != nil {
				own(e)
			}
			st := wizard.SourceNotFound
			switch e.State {
			case Running:
				st = wizard.SourceRunning
			case Found:
				st = wizard.SourceFound
			}
			progress(wizard.SourceEvent{Source: e.Source, State: st})
		}
	}
	r, err := Discover(ctx, addr, &cfg)
	if errors.Is(err, ErrNotFound) {
		return wizard.Detection{}, nil
	}
	if err != nil {
		return wizard.Detection{}, err
	}
	return r.Detection(), nil
}

// Detection is the result as the wizard's flow takes it.
func (r *Result) Detection() wizard.Detection {
	d := wizard.Detection{
		Source:   r.Source,
		Trusted:  r.Trusted,
		Incoming: r.Incoming,
		Outgoing: r.Outgoing,
		Hints:    r.Hints,
	}
	if r.Provider != nil {
		d.Provider, d.ProviderID = r.Provider.Name, r.Provider.ID
	}
	return d
}
