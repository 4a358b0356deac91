package store

import (
	"errors"
	"os"
	"slices"
	"strings"
)

// A secret (a password or a refresh token) goes to the keyring before the
// file that names its account is written, so that a failed write can put
// the keyring back. A process killed between the two would leave a secret
// that no account names and that remove cannot reach. So its keyring user
// (the address, or RefreshKey of it) is first written down in
// accounts.yaml.pending, and crossed off once the file is written; the
// next postino to find the note deletes the secret of every user in it
// whose address no account has (reconcile). An account left without its
// password the other way round is said by show and test ("no password
// stored").

// pendingPath is the note of a password being stored.
func (s *Store) pendingPath() string { return s.Path() + ".pending" }

// notePending writes key, a keyring user, down before its secret is
// stored.
func (s *Store) notePending(key string) error {
	return WriteFile(s.pendingPath(), []byte(key+"\n"), true)
}

// clearPending crosses the note off once the file is written.
func (s *Store) clearPending() {
	os.Remove(s.pendingPath())
}

// reconcile deletes the password of a noted address that no account in
// accounts has, then the note. It runs under the lock; a keyring that
// cannot be reached leaves the note for the next run.
func (s *Store) reconcile(accounts []Account) {
	data, err := os.ReadFile(s.pendingPath())
	if err != nil {
		return
	}
	for _, key := range strings.Fields(string(data)) {
		address := strings.TrimPrefix(key, RefreshKeyPrefix)
		named := slices.ContainsFunc(accounts, func(a Account) bool { return strings.EqualFold(a.Address, address) })
		if named {
			continue
		}
		if err := s.keyring().Delete(key); err != nil && !errors.Is(err, ErrNoPassword) {
			return
		}
	}
	s.clearPending()
}

// reconcileNow reconciles under the lock when a note was left behind,
// before the accounts are read.
func (s *Store) reconcileNow() {
	if _, err := os.Stat(s.pendingPath()); err != nil {
		return
	}
	unlock, err := s.lock()
	if err != nil {
		return
	}
	defer unlock()
	if accounts, _, err := s.read(); err == nil {
		s.reconcile(accounts)
	}
}
