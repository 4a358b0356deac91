package discover

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
)

// Suggester finds the known domain a typed one is probably a typo of;
// *providers.DB is one.
type Suggester interface {
	Suggest(domain string) (string, bool)
}

// errOffline is HasMail asked with no network allowed.
var errOffline = errors.New("offline: DNS not asked")

// Suggest is the address addr was probably meant to be, when its domain
// looks like a typo of a domain in the providers files ("did you mean
// gmail.com?"), or "". A domain that exists and receives mail (it has MX
// records) never gets a guess: people do have mail at gmial.com-like
// domains. Offline, or when DNS does not answer, only a domain whose last
// label is no top-level domain (gmail.con, libero.ti) gets one, since it
// cannot receive mail.
func Suggest(ctx context.Context, addr mailbox.Address, cfg *Config) string {
	if cfg == nil {
		cfg = &Config{}
	}
	s, ok := cfg.Catalog.(Suggester)
	if !ok {
		return ""
	}
	known, ok := s.Suggest(addr.ASCIIDomain)
	if !ok {
		return ""
	}
	hasMail, err := HasMail(ctx, addr.ASCIIDomain, cfg)
	if !providers.OfferSuggestion(addr.ASCIIDomain, hasMail, err) {
		return ""
	}
	return addr.Local + "@" + known
}

// HasMail reports whether domain has MX records; a domain that does not
// exist, or has none (or only a null MX), has no mail. An error means DNS
// could not tell, or Offline forbids asking.
func HasMail(ctx context.Context, domain string, cfg *Config) (bool, error) {
	if cfg.Offline {
		return false, errOffline
	}
	r := cfg.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	records, err := r.LookupMX(ctx, domain)
	var de *net.DNSError
	if errors.As(err, &de) && de.IsNotFound {
		return false, nil
	}
	if err != nil && len(records) == 0 {
		return false, err
	}
	for _, mx := range records {
		if h := strings.TrimSuffix(mx.Host, "."); h != "" {
			return true, nil
		}
	}
	return false, nil
}

// HasMail is HasMail with the detector's configuration, for the wizard's
// address step.
func (d Detector) HasMail(ctx context.Context, domain string) (bool, error) {
	return HasMail(ctx, domain, &d.Config)
}
