package wizard

import (
	"context"
	"errors"

	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/store"
)

// Saver keeps accounts: settings in a file, the password in the keyring.
// *store.Store is the real one.
type Saver interface {
	// Save stores the account and its password, both or neither; a
	// keyring that cannot be used is a *store.UnavailableError.
	Save(a store.Account, password string) (store.Account, error)
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
