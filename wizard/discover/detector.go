package discover

import (
	"context"
	"errors"

	"github.com/postino/postino/wizard/mailbox"
)

// Detector is discovery as the wizard's flow asks for it.
type Detector struct {
	Config Config
}

// Detect runs Discover for address. Finding nothing is not an error for
// the flow: it answers a detection without servers, with what discovery
// learned on the way as hints (an Exchange server without IMAP), and the
// flow opens the form.
func (d Detector) Detect(ctx context.Context, address string, progress func(mailbox.SourceEvent)) (mailbox.Detection, error) {
	addr, err := mailbox.ParseAddress(address)
	if err != nil {
		return mailbox.Detection{}, err
	}
	cfg := d.Config
	if progress != nil {
		own := cfg.Progress
		cfg.Progress = func(e mailbox.SourceEvent) {
			if own != nil {
				own(e)
			}
			progress(e)
		}
	}
	r, err := Discover(ctx, addr, &cfg)
	if errors.Is(err, ErrNotFound) {
		return mailbox.Detection{Hints: Advice(err)}, nil
	}
	if err != nil {
		return mailbox.Detection{}, err
	}
	return r.Detection(), nil
}

// Detection is the result as the wizard's flow takes it.
func (r *Result) Detection() mailbox.Detection {
	d := mailbox.Detection{
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
