package storetest

import "sync"

// Keyring is a keyring in memory whose calls can be made to fail. It does
// not import store (whose own tests use it): NotFound is the error Get and
// Delete answer for an address without a password, store.ErrNoPassword.
type Keyring struct {
	NotFound error

	mu        sync.Mutex
	Passwords map[string]string
	// GetErr, SetErr and DeleteErr, when set, are what those calls fail
	// with; SetFrom, above zero, lets SetErr wait for that many calls of
	// Set (counting from one) before failing.
	GetErr, SetErr, DeleteErr error
	SetFrom                   int
	sets                      int
}

// NewKeyring is an empty keyring that answers notFound for a missing
// password.
func NewKeyring(notFound error) *Keyring {
	return &Keyring{NotFound: notFound, Passwords: map[string]string{}}
}

// Fail makes every call fail with err, as a keyring that is not there
// does; nil makes them work again.
func (k *Keyring) Fail(err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.GetErr, k.SetErr, k.DeleteErr = err, err, err
}

// Get is the password of address.
func (k *Keyring) Get(address string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.GetErr != nil {
		return "", k.GetErr
	}
	pw, ok := k.Passwords[address]
	if !ok {
		return "", k.NotFound
	}
	return pw, nil
}

// Set keeps password for address.
func (k *Keyring) Set(address, password string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.sets++
	if k.SetErr != nil && k.sets >= k.SetFrom {
		return k.SetErr
	}
	if k.Passwords == nil {
		k.Passwords = map[string]string{}
	}
	k.Passwords[address] = password
	return nil
}

// Delete forgets address's password.
func (k *Keyring) Delete(address string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.DeleteErr != nil {
		return k.DeleteErr
	}
	if _, ok := k.Passwords[address]; !ok {
		return k.NotFound
	}
	delete(k.Passwords, address)
	return nil
}

// Count is how many passwords the keyring holds.
func (k *Keyring) Count() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.Passwords)
}
