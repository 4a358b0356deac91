// Package store keeps saved accounts: their settings in a YAML file in the
// user's configuration directory, without any secret, and their passwords
// in the operating system's keyring. An account that signs in with OAuth2
// keeps its sign-in settings in the file and its refresh token in the
// keyring too, under its own entry (RefreshKey).
//
// A change takes a lock on the directory, reads the file again under it,
// writes the new file beside the old one and renames it into place, so that
// two postino processes never lose each other's changes and a crash leaves
// either the old file or the new one. A change that involves a password is
// all-or-nothing across the keyring and the file.
package store

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/postino/postino/probe"
)

// FileName is the settings file inside the store's directory.
const FileName = "accounts.yaml"

// Account is one saved account: what postino needs to test it again or to
// export it, but not its password, which is in the keyring.
type Account struct {
	// Name is how the person calls the account; by default its address.
	Name    string
	Address string
	// Incoming and Outgoing are the servers, the preferred one first.
	Incoming []probe.Server
	Outgoing []probe.Server
	// Pins are certificates trusted by fingerprint for this account.
	Pins []probe.Pin
	// Provider is the provider the settings belong to; the zero Provider
	// when none was recognised.
	Provider Provider
	// Source is where the settings came from, as mailbox.Source names it
	// (one of Sources): "manual" when they were given as URLs or edited by
	// hand; empty when unknown, as in files of schema version 1.
	Source string
	// Tests are the latest test of the servers as saved with the account,
	// each role's in the order they were tried; none in files of schema
	// version 1.
	Tests []Test
	// DisplayName is the person's name as the people they write to see
	// it, for the exports that have one; "" when none was given (schema
	// version 4).
	DisplayName string
	// OAuth2 is how the account signs in, when its servers sign in with
	// OAuth2 and the settings were saved with it (schema version 3); its
	// refresh token is in the keyring under RefreshKey(Address).
	OAuth2 *OAuth2
	// Unverified marks an account saved although its test failed (set up
	// offline or behind a firewall): list, show and the report say it is
	// not verified. A test that passes and is saved clears it (schema
	// version 4).
	Unverified bool
	// Beside asks Save to keep the account beside a saved one of the same
	// address, under its own name, instead of replacing it (schema
	// version 6). Such accounts share the address's keyring entry. It is
	// an instruction to Save, not kept in the file.
	Beside  bool
	Created time.Time
	Updated time.Time
}

// OAuth2 is an account's sign-in settings: its provider's endpoints and
// scopes and the client postino signs in as. ClientSecret is an installed
// app's, which its provider does not treat as secret; it is still never
// shown or written anywhere but the file.
// Its JSON, which list and show print, leaves the secret out.
type OAuth2 struct {
	TokenURL               string   `json:"token_url"`
	DeviceAuthorizationURL string   `json:"device_authorization_url,omitempty"`
	AuthorizationURL       string   `json:"authorization_url,omitempty"`
	ClientID               string   `json:"client_id"`
	ClientSecret           string   `json:"-"`
	Scopes                 []string `json:"scopes"`
}

// Provider names the provider of an account's settings: its id and name
// in postino's providers files, or as an autoconfig file or the ISP
// database gave them.
type Provider struct {
	ID   string
	Name string
}

// Sources are the values of Account.Source: mailbox.Source's, which this
// package cannot import.
var Sources = []string{"providers", "autoconfig", "ispdb", "autodiscover", "mx", "srv", "guess", "manual"}

// Test is one server's test as it is saved with the account: what a
// help-desk report shows (the outcome, the failed step and the server's
// reply, TLS facts, software, login methods, alerts) and when. The
// server's greeting, capabilities and step times are not kept. No
// password is ever here: the probe removes it from the server's words
// before they reach a Result.
type Test struct {
	probe.Result
	At time.Time
}

// TestOf is r, tested at at, as it is saved: only the kept fields, at
// whole seconds in UTC.
func TestOf(r probe.Result, at time.Time) Test {
	kept := probe.Result{
		Role: r.Role, Server: r.Server, OK: r.OK, Code: r.Code,
		ElapsedMS: r.ElapsedMS, Elapsed: time.Duration(r.ElapsedMS) * time.Millisecond,
		Software: r.Software, LoggedIn: r.LoggedIn,
		// Lists are never nil, so that JSON says [] as the probe's does.
		Capabilities: []string{}, Steps: []probe.Step{},
		AuthMechanisms: append([]string{}, r.AuthMechanisms...), Alerts: slices.Clone(r.Alerts),
	}
	if r.TLS != nil {
		t := *r.TLS
		if c := r.TLS.Certificate; c != nil {
			t.Certificate = &probe.CertInfo{
				Subject: c.Subject, Issuer: c.Issuer, NotAfter: c.NotAfter.UTC(), SHA256: c.SHA256,
				DNSNames: append([]string{}, c.DNSNames...), IPAddresses: slices.Clone(c.IPAddresses),
			}
		}
		kept.TLS = &t
	}
	if f := r.Failure; f != nil && (f.Step != "" || f.Reply != "") {
		kept.Failure = &probe.Failure{Code: r.Code, Step: f.Step, Reply: f.Reply}
	}
	return Test{Result: kept, At: at.UTC().Truncate(time.Second)}
}

// Record keeps results, tested at at, as the latest test of the roles they
// are of; the saved tests of the other roles stay as they were.
func (a *Account) Record(results []probe.Result, at time.Time) {
	tested := map[probe.Role]bool{}
	for _, r := range results {
		tested[r.Role] = true
	}
	var tests []Test
	for _, role := range []probe.Role{probe.Incoming, probe.Outgoing} {
		if !tested[role] {
			for _, t := range a.Tests {
				if t.Role == role {
					tests = append(tests, t)
				}
			}
			continue
		}
		for _, r := range results {
			if r.Role == role {
				tests = append(tests, TestOf(r, at))
			}
		}
	}
	a.Tests = tests
}

// ErrNoAccount is a name that no saved account has.
var ErrNoAccount = errors.New("no saved account has that name")

// NameTakenError is an account saved under a name that already belongs to
// another account (by name or by address).
type NameTakenError struct {
	Name    string
	Address string // of the account that has the name
}

func (e *NameTakenError) Error() string {
	return fmt.Sprintf("the name %q belongs to the account of %s", e.Name, e.Address)
}

// Store is the saved accounts in one directory.
type Store struct {
	// Dir holds accounts.yaml, its backup accounts.yaml.bak and the lock
	// file accounts.yaml.lock; it is created with mode 0700.
	Dir string
	// Keyring holds the passwords; nil means System{}.
	Keyring Keyring
	// Now is the clock of the created and updated times; nil means time.Now.
	Now func() time.Time
	// LockWait bounds the wait for another postino's change; zero means
	// DefaultLockWait.
	LockWait time.Duration
}

// ErrNoConfigDir is a system where the user's configuration directory is
// unknown: neither XDG_CONFIG_HOME nor HOME (or its platform's equivalent)
// is set.
var ErrNoConfigDir = errors.New("the user's configuration directory is unknown")

// DefaultDir is postino's directory in the user's configuration directory,
// as os.UserConfigDir finds it but with getenv for the environment, so that
// callers and tests can give theirs.
func DefaultDir(goos string, getenv func(string) string) (string, error) {
	var dir string
	switch goos {
	case "windows":
		dir = getenv("AppData")
	case "darwin", "ios":
		if home := getenv("HOME"); home != "" {
			dir = filepath.Join(home, "Library", "Application Support")
		}
	case "plan9":
		if home := getenv("home"); home != "" {
			dir = filepath.Join(home, "lib")
		}
	default:
		dir = getenv("XDG_CONFIG_HOME")
		if dir == "" {
			if home := getenv("HOME"); home != "" {
				dir = filepath.Join(home, ".config")
			}
		} else if !filepath.IsAbs(dir) {
			return "", fmt.Errorf("%w: XDG_CONFIG_HOME %q is not an absolute path", ErrNoConfigDir, dir)
		}
	}
	if dir == "" {
		return "", ErrNoConfigDir
	}
	return filepath.Join(dir, "postino"), nil
}

// Path is the settings file.
func (s *Store) Path() string { return filepath.Join(s.Dir, FileName) }

func (s *Store) keyring() Keyring {
	if s.Keyring == nil {
		return System{}
	}
	return s.Keyring
}

func (s *Store) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC().Truncate(time.Second)
	}
	return s.Now().UTC()
}

// Accounts is every saved account, in the order they were first saved. A
// missing file holds none.
func (s *Store) Accounts() ([]Account, error) {
	s.reconcileNow()
	accounts, _, err := s.read()
	return accounts, err
}

// Find is the account that name names: an account's name, else an
// account's address in any case.
func (s *Store) Find(name string) (Account, error) {
	accounts, err := s.Accounts()
	if err != nil {
		return Account{}, err
	}
	if i := find(accounts, name); i >= 0 {
		return accounts[i], nil
	}
	return Account{}, fmt.Errorf("%q: %w", name, ErrNoAccount)
}

// find is the index of the account name names, or -1. A name wins over an
// address, though Save keeps them from clashing.
func find(accounts []Account, name string) int {
	if i := slices.IndexFunc(accounts, func(a Account) bool { return a.Name == name }); i >= 0 {
		return i
	}
	return slices.IndexFunc(accounts, func(a Account) bool { return strings.EqualFold(a.Address, name) })
}

// Password is the password stored for a: ErrNoPassword when there is none,
// an *UnavailableError when the keyring cannot be used.
func (s *Store) Password(a Account) (string, error) {
	pw, err := s.keyring().Get(a.Address)
	return pw, unavailable(err)
}

// HasPassword reports whether a password is stored for a.
func (s *Store) HasPassword(a Account) (bool, error) { return s.has(a.Address) }

// has reports whether the keyring holds a secret for the user key.
func (s *Store) has(key string) (bool, error) {
	_, err := s.keyring().Get(key)
	if errors.Is(err, ErrNoPassword) {
		return false, nil
	}
	return err == nil, unavailable(err)
}

// RefreshKeyPrefix starts the keyring user of a refresh token.
const RefreshKeyPrefix = "oauth2:"

// RefreshKey is the keyring user under which the refresh token of the
// account of address is kept, in the same service as passwords, so that
// `secret-tool lookup service postino username oauth2:ADDRESS` finds it.
func RefreshKey(address string) string { return RefreshKeyPrefix + address }

// ErrNoRefreshToken is an account whose refresh token is not in the
// keyring: it must sign in again.
var ErrNoRefreshToken = errors.New("no refresh token stored in the keyring")

// RefreshToken is the refresh token stored for a: ErrNoRefreshToken when
// there is none, an *UnavailableError when the keyring cannot be used.
func (s *Store) RefreshToken(a Account) (string, error) {
	tok, err := s.keyring().Get(RefreshKey(a.Address))
	if errors.Is(err, ErrNoPassword) {
		return "", ErrNoRefreshToken
	}
	return tok, unavailable(err)
}

// HasRefreshToken reports whether a refresh token is stored for a.
func (s *Store) HasRefreshToken(a Account) (bool, error) { return s.has(RefreshKey(a.Address)) }

// UpdateRefreshToken calls update with the refresh token stored for the
// account name names ("" when there is none) and stores the token it
// returns in its place, all under the store's lock: two postino processes
// that refresh at once take turns, so that the second uses the token the
// first was given and a rotated token is never lost. update may be slow
// (it asks the provider); it should return the current token when nothing
// changed.
func (s *Store) UpdateRefreshToken(name string, update func(a Account, current string) (string, error)) error {
	if _, err := s.Find(name); err != nil {
		return err
	}
	return s.change(func(accounts []Account) ([]Account, func() error, error) {
		i := find(accounts, name)
		if i < 0 {
			return nil, nil, fmt.Errorf("%q: %w", name, ErrNoAccount)
		}
		a := accounts[i]
		current, err := s.RefreshToken(a)
		if err != nil && !errors.Is(err, ErrNoRefreshToken) {
			return nil, nil, err
		}
		next, err := update(a, current)
		if err != nil {
			return nil, nil, err
		}
		if next != "" && next != current {
			if _, err := s.setSecret(RefreshKey(a.Address), next); err != nil {
				return nil, nil, err
			}
		}
		// The account stays as it is: nothing is written.
		return nil, nil, errUnchanged
	})
}

// errUnchanged ends a change that wrote nothing to the file.
var errUnchanged = errors.New("unchanged")

// Save saves a and stores password in the keyring, both or neither: the
// keyring is written first, and if the file cannot be written after it, the
// keyring entry is put back as it was. An account is the same account as a
// saved one with the same address; a saved name is kept unless a has one.
func (s *Store) Save(a Account, password string) (Account, error) {
	if password == "" {
		return Account{}, errors.New("save account: empty password")
	}
	return s.save(a, &secret{key: a.Address, value: password})
}

// SaveSignIn saves a, which signs in with OAuth2, and stores its refresh
// token in the keyring, both or neither, as Save does a password.
func (s *Store) SaveSignIn(a Account, refreshToken string) (Account, error) {
	if refreshToken == "" {
		return Account{}, errors.New("save account: empty refresh token")
	}
	if a.OAuth2 == nil {
		return Account{}, errors.New("save account: a refresh token without sign-in settings")
	}
	return s.save(a, &secret{key: RefreshKeyPrefix, value: refreshToken})
}

// secret is what save stores in the keyring: a password under the
// address, or a refresh token under RefreshKey (key RefreshKeyPrefix).
type secret struct{ key, value string }

// SaveSettings saves a without touching the keyring: for a person who goes
// on without storing the password (the keyring is unavailable, or they
// prefer to type it), or to change only the settings of an account whose
// password is already stored.
func (s *Store) SaveSettings(a Account) (Account, error) {
	return s.save(a, nil)
}

func (s *Store) save(a Account, sec *secret) (Account, error) {
	a = normalise(a)
	if err := checkAccount(a); err != nil {
		return Account{}, fmt.Errorf("save account: %w", err)
	}
	var saved Account
	err := s.change(func(accounts []Account) ([]Account, func() error, error) {
		now := s.now()
		// The account of that name and address, else the address's first.
		i := slices.IndexFunc(accounts, func(b Account) bool { return b.Name == a.Name && strings.EqualFold(b.Address, a.Address) })
		if i < 0 {
			i = slices.IndexFunc(accounts, func(b Account) bool { return strings.EqualFold(b.Address, a.Address) })
		}
		if a.Beside && i >= 0 {
			// Kept beside: the address's keyring entry is shared.
			a.Address, i = accounts[i].Address, -1
		}
		a.Beside = false
		if a.Name == "" {
			a.Name = a.Address
			if i >= 0 {
				a.Name = accounts[i].Name
			}
		}
		for j, b := range accounts {
			if j == i {
				continue
			}
			same := strings.EqualFold(b.Address, a.Address)
			if b.Name == a.Name || !same && strings.EqualFold(b.Address, a.Name) {
				return nil, nil, &NameTakenError{Name: a.Name, Address: b.Address}
			}
			if !same && strings.EqualFold(b.Name, a.Address) {
				return nil, nil, &NameTakenError{Name: b.Name, Address: b.Address}
			}
		}
		a.Created, a.Updated = now, now
		if i >= 0 {
			a.Created = accounts[i].Created
			a.Address = accounts[i].Address // the keyring entry's user
			accounts[i] = a
		} else {
			accounts = append(accounts, a)
		}
		saved = a
		if sec == nil {
			return accounts, nil, nil
		}
		key := a.Address
		if sec.key == RefreshKeyPrefix {
			key = RefreshKey(a.Address)
		}
		if err := s.notePending(key); err != nil {
			return nil, nil, fmt.Errorf("note the secret to store: %w", err)
		}
		undo, err := s.setSecret(key, sec.value)
		return accounts, undo, err
	})
	return saved, err
}

// setSecret stores value under the keyring user key and returns how to
// put back what was there before.
func (s *Store) setSecret(key, value string) (undo func() error, err error) {
	kr := s.keyring()
	previous, err := kr.Get(key)
	had := err == nil
	if err != nil && !errors.Is(err, ErrNoPassword) {
		return nil, unavailable(err)
	}
	if err := kr.Set(key, value); err != nil {
		return nil, unavailable(err)
	}
	return func() error {
		if had {
			return kr.Set(key, previous)
		}
		return kr.Delete(key)
	}, nil
}

// Remove deletes the account name names, its password and its refresh
// token, all or none. hadSecret says whether the keyring still held one
// of them.
func (s *Store) Remove(name string) (removed Account, hadSecret bool, err error) {
	// Looking first keeps a mistyped name from creating the directory.
	if _, err := s.Find(name); err != nil {
		return Account{}, false, err
	}
	err = s.change(func(accounts []Account) ([]Account, func() error, error) {
		i := find(accounts, name)
		if i < 0 {
			return nil, nil, fmt.Errorf("%q: %w", name, ErrNoAccount)
		}
		removed = accounts[i]
		rest := slices.Delete(slices.Clone(accounts), i, i+1)
		if slices.ContainsFunc(rest, func(b Account) bool { return strings.EqualFold(b.Address, removed.Address) }) {
			// Another account of the address still uses its keyring entry.
			return rest, nil, nil
		}
		kr := s.keyring()
		var undos []func() error
		undo := func() error {
			var errs []error
			for _, u := range undos {
				errs = append(errs, u())
			}
			return errors.Join(errs...)
		}
		for _, key := range []string{removed.Address, RefreshKey(removed.Address)} {
			previous, err := kr.Get(key)
			if errors.Is(err, ErrNoPassword) {
				continue
			}
			if err == nil {
				err = kr.Delete(key)
			}
			if err != nil && !errors.Is(err, ErrNoPassword) {
				undo()
				return nil, nil, unavailable(err)
			}
			hadSecret = true
			undos = append(undos, func() error { return kr.Set(key, previous) })
		}
		return slices.Delete(accounts, i, i+1), undo, nil
	})
	return removed, hadSecret, err
}

// change applies edit to the accounts under the lock, on the file as it is
// now, and writes the result. edit may change the keyring and return how to
// undo that, which is done if the file cannot be written.
func (s *Store) change(edit func([]Account) ([]Account, func() error, error)) error {
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	accounts, old, err := s.read()
	if err != nil {
		return err
	}
	s.reconcile(accounts)
	accounts, undo, err := edit(accounts)
	if errors.Is(err, errUnchanged) {
		return nil
	}
	if err != nil {
		s.clearPending()
		return err
	}
	err = s.write(accounts, old)
	if err != nil && undo != nil {
		if uerr := undo(); uerr != nil {
			// The note stays: the next run deletes the password then.
			return errors.Join(err, fmt.Errorf("put the keyring entry back: %w", unavailable(uerr)))
		}
	}
	s.clearPending()
	return err
}

// read is the accounts and the file's bytes (nil when it does not exist).
func (s *Store) read() ([]Account, []byte, error) {
	data, err := os.ReadFile(s.Path())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read accounts: %w", err)
	}
	accounts, err := decode(s.Path(), data)
	return accounts, data, err
}

// normalise fills what a caller may leave out.
func normalise(a Account) Account {
	a.Name = strings.TrimSpace(a.Name)
	a.Address = strings.TrimSpace(a.Address)
	a.Incoming = slices.Clone(a.Incoming)
	a.Outgoing = slices.Clone(a.Outgoing)
	for _, list := range [][]probe.Server{a.Incoming, a.Outgoing} {
		for i := range list {
			if list[i].Auth == "" {
				list[i].Auth = probe.AuthPassword
			}
		}
	}
	var pins []probe.Pin
	for _, p := range a.Pins {
		if !slices.Contains(pins, p) {
			pins = append(pins, p)
		}
	}
	a.Pins = pins
	a.Provider.ID = strings.TrimSpace(a.Provider.ID)
	a.Provider.Name = strings.TrimSpace(a.Provider.Name)
	var tests []Test
	for _, t := range a.Tests {
		t = TestOf(t.Result, t.At)
		if t.Server.Auth == "" {
			t.Server.Auth = probe.AuthPassword
		}
		tests = append(tests, t)
	}
	a.Tests = tests
	if a.OAuth2 != nil {
		o := *a.OAuth2
		o.Scopes = slices.Clone(o.Scopes)
		a.OAuth2 = &o
	}
	return a
}

// checkAccount is what Save requires of an account.
func checkAccount(a Account) error {
	if a.Name != "" {
		if err := CheckName(a.Name); err != nil {
			return err
		}
	}
	if err := checkAddress(a.Address); err != nil {
		return err
	}
	for _, s := range a.Incoming {
		if err := checkServer(s, true); err != nil {
			return fmt.Errorf("incoming server: %w", err)
		}
	}
	for _, s := range a.Outgoing {
		if err := checkServer(s, false); err != nil {
			return fmt.Errorf("outgoing server: %w", err)
		}
	}
	if err := checkProvider(a.Provider); err != nil {
		return err
	}
	if err := checkSource(a.Source); err != nil {
		return err
	}
	for _, t := range a.Tests {
		if err := checkTest(t); err != nil {
			return fmt.Errorf("test of %s: %w", t.Server, err)
		}
	}
	if a.OAuth2 != nil {
		if err := checkOAuth2(*a.OAuth2); err != nil {
			return fmt.Errorf("oauth2: %w", err)
		}
	}
	return nil
}

// checkOAuth2 is what an account's sign-in settings must be: a client, a
// token endpoint and a way to sign in, each endpoint https, and scopes.
func checkOAuth2(o OAuth2) error {
	switch {
	case o.ClientID == "":
		return errors.New("no client_id")
	case o.TokenURL == "":
		return errors.New("no token_url")
	case o.DeviceAuthorizationURL == "" && o.AuthorizationURL == "":
		return errors.New("neither device_authorization_url nor authorization_url")
	case len(o.Scopes) == 0:
		return errors.New("no scopes")
	}
	for _, u := range []string{o.TokenURL, o.DeviceAuthorizationURL, o.AuthorizationURL} {
		if p, err := url.Parse(u); u != "" && (err != nil || p.Scheme != "https" || p.Host == "") {
			return fmt.Errorf("%q is not an https URL", u)
		}
	}
	texts := append([]string{o.ClientID, o.ClientSecret, o.TokenURL, o.DeviceAuthorizationURL, o.AuthorizationURL}, o.Scopes...)
	if slices.ContainsFunc(texts, hasControl) || slices.Contains(o.Scopes, "") {
		return errors.New("a field is empty or contains control characters")
	}
	return nil
}

func checkProvider(p Provider) error {
	switch {
	case p == Provider{}:
		return nil
	case p.ID == "" || p.Name == "":
		return fmt.Errorf("provider %q (%q) needs both an id and a name", p.Name, p.ID)
	case hasControl(p.ID) || hasControl(p.Name):
		return fmt.Errorf("provider %q (%q) contains control characters", p.Name, p.ID)
	}
	return nil
}

func checkSource(source string) error {
	if source != "" && !slices.Contains(Sources, source) {
		return fmt.Errorf("source %q is not one of %s", source, strings.Join(Sources, ", "))
	}
	return nil
}

// checkTest is what a saved test must be. Its text comes from servers and
// has been sanitised by the probe; a file edited by hand is held to the
// same rule, since the report prints it.
func checkTest(t Test) error {
	if t.Role != probe.Incoming && t.Role != probe.Outgoing {
		return fmt.Errorf("role %q is not incoming or outgoing", t.Role)
	}
	if err := checkServer(t.Server, t.Role == probe.Incoming); err != nil {
		return err
	}
	switch {
	case t.At.IsZero():
		return errors.New("no test time")
	case !codeWord.MatchString(string(t.Code)):
		return fmt.Errorf("code %q is not a diagnosis code", t.Code)
	case t.OK != (t.Code == probe.CodeOK):
		return fmt.Errorf("ok %v does not agree with code %q", t.OK, t.Code)
	case t.ElapsedMS < 0:
		return fmt.Errorf("elapsed time %d ms is negative", t.ElapsedMS)
	}
	texts := append([]string{t.Software}, t.AuthMechanisms...)
	texts = append(texts, t.Alerts...)
	if f := t.Failure; f != nil {
		texts = append(texts, f.Step, f.Reply)
	}
	if tls := t.TLS; tls != nil {
		texts = append(texts, tls.Version, tls.Cipher)
		if c := tls.Certificate; c != nil {
			texts = append(texts, c.Subject, c.Issuer, c.SHA256)
			texts = append(texts, c.DNSNames...)
			texts = append(texts, c.IPAddresses...)
		}
	}
	if slices.ContainsFunc(texts, hasControl) {
		return errors.New("a server's text contains control characters")
	}
	return nil
}

// codeWord is the shape of probe's diagnosis codes.
var codeWord = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

func hasControl(s string) bool { return strings.IndexFunc(s, unicode.IsControl) >= 0 }

// maxName bounds names and addresses (an address has at most 254 octets).
const maxName = 254

// CheckName says what is wrong with name as an account's name: empty, too
// long, like an option, or with spaces around it or control characters in
// it.
func CheckName(name string) error {
	switch {
	case name == "":
		return errors.New("an account needs a name")
	case len(name) > maxName:
		return fmt.Errorf("the name %.20q… is longer than %d bytes", name, maxName)
	case strings.HasPrefix(name, "-"):
		return fmt.Errorf("the name %q starts with -, like an option", name)
	case strings.TrimSpace(name) != name:
		return fmt.Errorf("the name %q starts or ends with a space", name)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("the name %q contains control characters", name)
	}
	return nil
}

// MaxDisplayName is the longest display name postino keeps, in
// characters: a name, not a paragraph, short enough for one header line.
const MaxDisplayName = 100

// What CheckDisplayName refuses.
var (
	ErrDisplayNameTooLong = fmt.Errorf("the name is longer than %d characters", MaxDisplayName)
	ErrDisplayNameControl = errors.New("the name contains a control character")
)

// CheckDisplayName refuses a display name that cannot go into a mail
// header or a mail program's file as it is: over MaxDisplayName
// characters, or with control characters such as a line break, or invalid
// UTF-8. The empty name is no name: it is optional.
func CheckDisplayName(name string) error {
	switch {
	case utf8.RuneCountInString(name) > MaxDisplayName:
		return ErrDisplayNameTooLong
	case probe.HasControl(name):
		return ErrDisplayNameControl
	}
	return nil
}

func checkAddress(address string) error {
	local, domain, ok := strings.Cut(address, "@")
	if !ok || local == "" || domain == "" || len(address) > maxName || strings.HasPrefix(address, RefreshKeyPrefix) ||
		strings.IndexFunc(address, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return fmt.Errorf("%q is not an email address", address)
	}
	return nil
}

func checkServer(s probe.Server, incoming bool) error {
	switch {
	case incoming && s.Protocol != probe.IMAP && s.Protocol != probe.POP3:
		return fmt.Errorf("protocol %q is not imap or pop3", s.Protocol)
	case !incoming && s.Protocol != probe.SMTP:
		return fmt.Errorf("protocol %q is not smtp", s.Protocol)
	case s.Host == "" || strings.IndexFunc(s.Host, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '/' }) >= 0:
		return fmt.Errorf("host %q is not a host name", s.Host)
	case s.Port < 1 || s.Port > 65535:
		return fmt.Errorf("port %d is not between 1 and 65535", s.Port)
	case s.Security != probe.TLS && s.Security != probe.StartTLS && s.Security != probe.None:
		return fmt.Errorf("security %q is not tls, starttls or none", s.Security)
	case s.Auth != probe.AuthPassword && s.Auth != probe.AuthAppPassword && s.Auth != probe.AuthOAuth2:
		return fmt.Errorf("auth %q is not password, app-password or oauth2", s.Auth)
	case strings.IndexFunc(s.Username, unicode.IsControl) >= 0:
		return fmt.Errorf("user name %q contains control characters", s.Username)
	}
	return nil
}

// duplicateError is an account of the file whose name or address another
// account before it already has.
type duplicateError struct {
	index int
	what  string
}

func (e *duplicateError) Error() string { return e.what }

// checkUnique refuses two accounts of one name, and a name that is
// another address's; two accounts of one address only unless shared
// allows it (schema version 6).
func checkUnique(accounts []Account, shared bool) error {
	for i, a := range accounts {
		for _, b := range accounts[:i] {
			same := strings.EqualFold(a.Address, b.Address)
			switch {
			case a.Name == b.Name:
				return &duplicateError{i, fmt.Sprintf("a second account is named %q", a.Name)}
			case same && !shared:
				return &duplicateError{i, fmt.Sprintf("a second account has the address %s", a.Address)}
			case !same && (strings.EqualFold(a.Name, b.Address) || strings.EqualFold(b.Name, a.Address)):
				return &duplicateError{i, fmt.Sprintf("the name %q is another account's address", a.Name)}
			}
		}
	}
	return nil
}

// sharesAddress reports whether two accounts have the same address.
func sharesAddress(accounts []Account) bool {
	for i, a := range accounts {
		for _, b := range accounts[:i] {
			if strings.EqualFold(a.Address, b.Address) {
				return true
			}
		}
	}
	return false
}
