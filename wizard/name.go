package wizard

import (
	"strings"

	"github.com/postino/postino/wizard/store"
)

// SetName takes the person's name as the people they write to see it
// (optional; spaces around it are dropped): it goes before the address in
// the test message and is saved with the account for the exports. It is
// asked with the address; store.CheckDisplayName says what it refuses.
func (f *Flow) SetName(name string) error {
	if f.step != StepAddress {
		return ErrNotNow
	}
	name = strings.TrimSpace(name)
	if err := store.CheckDisplayName(name); err != nil {
		return err
	}
	f.name = name
	return nil
}

// Name is the person's display name; "" when none was given.
func (f *Flow) Name() string { return f.name }
