package wizard

import (
	"errors"
	"fmt"
	"strings"

	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/store"
)

// ErrAlreadySaved is an address that a saved account has: SubmitAddress
// goes no further until the person chooses to replace that account
// (ReplaceSaved) or to keep both under another name (KeepBoth).
var ErrAlreadySaved = errors.New("an account with this address is saved already")

// sameAddress is the question asked when the address given is a saved
// account's, and its answer.
type sameAddress struct {
	email   string        // the address asked about
	saved   store.Account // the saved account that has it
	raw     string        // the address as typed, submitted again once answered
	decided bool
	beside  bool   // keep both, rather than replace
	name    string // the new account's name
}

// checkSaved asks, once per address, whether to replace the saved account
// that has it or keep both.
func (f *Flow) checkSaved(a mailbox.Address, raw string) error {
	if f.same.decided && f.same.email == a.String() {
		return nil
	}
	f.same = sameAddress{}
	for _, s := range f.accounts {
		if strings.EqualFold(s.Address, a.String()) {
			f.same = sameAddress{email: a.String(), saved: s, raw: raw}
			return ErrAlreadySaved
		}
	}
	return nil
}

// AlreadySaved is the saved account whose address was given, while the
// person has not chosen yet what to do with it.
func (f *Flow) AlreadySaved() (store.Account, bool) {
	return f.same.saved, f.step == StepAddress && f.same.email != "" && !f.same.decided
}

// SuggestedName is a name for a second account of the address that no
// saved account has: the saved one's name with -2, -3, ….
func (f *Flow) SuggestedName() string {
	for n := 2; ; n++ {
		name := fmt.Sprintf("%s-%d", f.same.saved.Name, n)
		if f.nameTaken(name) == nil {
			return name
		}
	}
}

// nameTaken is a *store.NameTakenError when a saved account has name as
// its name, or as its address while it is not the address given.
func (f *Flow) nameTaken(name string) error {
	for _, s := range f.accounts {
		if s.Name == name || strings.EqualFold(s.Address, name) && !strings.EqualFold(s.Address, f.same.email) {
			return &store.NameTakenError{Name: name, Address: s.Address}
		}
	}
	return nil
}

// ReplaceSaved answers the question: the new settings replace the saved
// account, which keeps its name; the flow goes on as SubmitAddress does.
func (f *Flow) ReplaceSaved() (Effect, error) {
	if _, asking := f.AlreadySaved(); !asking {
		return NoEffect, ErrNotNow
	}
	f.same.decided, f.same.beside, f.same.name = true, false, f.same.saved.Name
	return f.SubmitAddress(f.same.raw)
}

// KeepBoth answers the question: the new account is kept beside the saved
// one under name, which must be a usable name no saved account has.
func (f *Flow) KeepBoth(name string) (Effect, error) {
	if _, asking := f.AlreadySaved(); !asking {
		return NoEffect, ErrNotNow
	}
	name = strings.TrimSpace(name)
	if err := store.CheckName(name); err != nil {
		return NoEffect, err
	}
	if err := f.nameTaken(name); err != nil {
		return NoEffect, err
	}
	f.same.decided, f.same.beside, f.same.name = true, true, name
	return f.SubmitAddress(f.same.raw)
}

// AccountName is the name the account is saved under: the address, the
// name of the saved account it replaces, or the one chosen to keep both.
func (f *Flow) AccountName() string {
	if f.same.decided && f.same.email == f.email {
		return f.same.name
	}
	return f.email
}

// keptBeside reports whether the account is kept beside a saved one of
// the same address.
func (f *Flow) keptBeside() bool {
	return f.same.decided && f.same.beside && f.same.email == f.email
}

// ChangeAddress leaves the question unanswered, to edit the address.
func (f *Flow) ChangeAddress() error {
	if _, asking := f.AlreadySaved(); !asking {
		return ErrNotNow
	}
	f.same = sameAddress{}
	return nil
}
