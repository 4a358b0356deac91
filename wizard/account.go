package wizard

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/postino/postino/probe"

	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
	"github.com/postino/postino/wizard/store"
)

// Saver keeps accounts: settings in a file, the password in the keyring.
// *store.Store is the real one.
type Saver interface {
	// Save stores the account and its password, both or neither; a
	// keyring that cannot be used is a *store.UnavailableError.
	Save(a store.Account, password string) (store.Account, error)
	// SaveSignIn stores an account that signs in with OAuth2 and its
	// refresh token, both or neither.
	SaveSignIn(a store.Account, refreshToken string) (store.Account, error)
	// SaveSettings stores the settings alone.
	SaveSettings(a store.Account) (store.Account, error)
	// Accounts lists the saved accounts.
	Accounts() ([]store.Account, error)
}

// KeyringUnavailable reports whether saving failed only because the keyring
// cannot be used: then the settings can still be saved without the
// password.
func KeyringUnavailable(err error) bool {
	var ue *store.UnavailableError
	return errors.As(err, &ue)
}

// Detector finds the settings for an address. It calls progress, from any
// goroutine, as each source starts and ends, and stops when ctx is done.
type Detector interface {
	Detect(ctx context.Context, address string, progress func(mailbox.SourceEvent)) (mailbox.Detection, error)
}

// MailChecker tells whether a domain receives mail (has MX records);
// discover.Detector is one. The address step asks it before offering
// "did you mean"; without one, only a domain that cannot exist gets the
// offer.
type MailChecker interface {
	HasMail(ctx context.Context, domain string) (bool, error)
}

// AccountOAuth2 is a provider's sign-in settings as a saved account keeps
// them, so that token, login and tests need no providers file.
func AccountOAuth2(o *providers.OAuth2) *store.OAuth2 {
	return &store.OAuth2{
		ClientID: o.ClientID, ClientSecret: o.ClientSecret, TokenURL: o.TokenURL,
		DeviceAuthorizationURL: o.DeviceAuthorizationURL, AuthorizationURL: o.AuthorizationURL, Scopes: o.Scopes,
	}
}

// Origin is where saved settings came from: their source and the provider
// they belong to (the zero Provider when none was recognised).
type Origin struct {
	Source   mailbox.Source
	Provider store.Provider
}

// DetectedOrigin is the origin of the settings d found; a detection that
// found nothing leaves them to the person.
func DetectedOrigin(d mailbox.Detection) Origin {
	o := Origin{Source: d.Source}
	if d.ProviderID != "" {
		o.Provider = store.Provider{ID: d.ProviderID, Name: d.Provider}
	}
	if o.Source == "" {
		o.Source = mailbox.SourceManual
	}
	return o
}

// Given is the origin once the person gave the settings themselves, typed
// in the form or as server URLs: manual, for the same provider.
func (o Origin) Given() Origin {
	o.Source = mailbox.SourceManual
	return o
}

// SavedAccount is what is saved of a once its tests passed: a with the
// origin of its settings and the tests in results, run at testedAt. The
// roles that results do not test keep a's tests.
func SavedAccount(a store.Account, o Origin, results []probe.Result, testedAt time.Time) store.Account {
	a.Source = string(o.Source)
	a.Provider = o.Provider
	a.Record(results, testedAt)
	return a
}

// IPHostNotes warn, once for each server of a that is reached over TLS
// by an IP address rather than a name, that mail programs check the
// certificate's names against it: postino's own test may have passed
// with a pinned or IP-bearing certificate that another program refuses.
func IPHostNotes(a store.Account, lang probe.Lang) []string {
	var notes []string
	for _, host := range mailbox.IPHosts(append(slices.Clone(a.Incoming), a.Outgoing...)...) {
		notes = append(notes, textIPHostSaved.In(lang, host))
	}
	return notes
}

var textIPHostSaved = probe.Text{
	EN: "The server %s is an IP address, not a name: other mail programs check that the certificate names the host they connect to, and most certificates carry only names (mbsync refuses an IP address outright). If the server has a name, use it.",
	IT: "Il server %s è un indirizzo IP, non un nome: gli altri programmi di posta verificano che il certificato riporti l'host a cui si collegano, e quasi tutti i certificati riportano solo nomi (mbsync rifiuta del tutto un indirizzo IP). Se il server ha un nome, usa quello.",
}
