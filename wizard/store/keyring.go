package store

import (
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// Service is the keyring service of postino's entries; the user of an entry
// is the account's address, so that
// `secret-tool lookup service postino username ADDRESS` finds it.
const Service = "postino"

// ErrNoPassword is a keyring that holds no password for an account.
var ErrNoPassword = errors.New("no password stored in the keyring")

// Keyring keeps one password per address. Get and Delete return
// ErrNoPassword when there is none; any other error means the keyring
// cannot be used, and the store reports it as an *UnavailableError.
type Keyring interface {
	Get(address string) (string, error)
	Set(address, password string) error
	Delete(address string) error
}

// Reason is why the keyring is unavailable, so that a person can be told
// what is missing.
type Reason int

// Why a keyring cannot be used.
const (
	KeyringFailed   Reason = iota // anything else; the error says what
	NoSessionBus                  // no D-Bus session bus to reach a keyring through
	NoSecretService               // a bus, but no keyring daemon on it
	KeyringLocked                 // a keyring that stays locked: no prompt could unlock it
	KeyringNoAnswer               // no answer in time, e.g. an unlock prompt left open
)

// UnavailableError is a keyring that cannot be used. Its error text never
// holds a password: keyrings do not repeat them.
type UnavailableError struct {
	Reason Reason
	Err    error
}

func (e *UnavailableError) Error() string { return "keyring unavailable: " + e.Err.Error() }
func (e *UnavailableError) Unwrap() error { return e.Err }

// unavailable turns any keyring error but ErrNoPassword into an
// *UnavailableError.
func unavailable(err error) error {
	var ue *UnavailableError
	if err == nil || errors.Is(err, ErrNoPassword) || errors.As(err, &ue) {
		return err
	}
	return &UnavailableError{Reason: classify(err), Err: err}
}

// classify reads the errors of go-keyring's Secret Service client, the
// only keyring whose failures commonly need a person's help (a server or a
// container without a desktop session).
func classify(err error) Reason {
	var execErr *exec.Error
	var exitErr *exec.ExitError
	var opErr *net.OpError
	var dbusErr dbus.Error
	msg := err.Error()
	switch {
	case errors.As(err, &execErr), errors.As(err, &exitErr), errors.As(err, &opErr),
		strings.Contains(msg, "session bus"):
		return NoSessionBus
	case errors.As(err, &dbusErr) && dbusErr.Name == "org.freedesktop.DBus.Error.ServiceUnknown",
		strings.Contains(msg, "org.freedesktop.secrets"):
		return NoSecretService
	case strings.Contains(msg, "unlock"), strings.Contains(msg, "locked"):
		return KeyringLocked
	}
	return KeyringFailed
}

// DefaultKeyringTimeout bounds one keyring call: a desktop keyring may wait
// for its unlock prompt, which a person may never see.
const DefaultKeyringTimeout = time.Minute

// System is the operating system's keyring: the Secret Service on Linux
// and the BSDs (gnome-keyring, KeePassXC, KWallet), the Keychain on macOS,
// the Credential Manager on Windows.
type System struct {
	// Timeout bounds each call; zero means DefaultKeyringTimeout.
	Timeout time.Duration
}

// Get returns the password stored for address.
func (k System) Get(address string) (string, error) {
	return within(k.Timeout, func() (string, error) { return keyring.Get(Service, address) })
}

// Set stores password for address, replacing any other.
func (k System) Set(address, password string) error {
	_, err := within(k.Timeout, func() (struct{}, error) { return struct{}{}, keyring.Set(Service, address, password) })
	return err
}

// Delete removes the password stored for address.
func (k System) Delete(address string) error {
	_, err := within(k.Timeout, func() (struct{}, error) { return struct{}{}, keyring.Delete(Service, address) })
	return err
}

// within runs a keyring call with a time limit and translates its errors.
// A call that does not return in time is left to finish in the background.
func within[T any](timeout time.Duration, call func() (T, error)) (T, error) {
	if timeout <= 0 {
		timeout = DefaultKeyringTimeout
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := call()
		done <- result{v, err}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		if errors.Is(r.err, keyring.ErrNotFound) {
			return r.v, ErrNoPassword
		}
		return r.v, unavailable(r.err)
	case <-timer.C:
		var zero T
		return zero, &UnavailableError{Reason: KeyringNoAnswer, Err: fmt.Errorf("no answer within %s", timeout)}
	}
}
