package store

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/store/storetest"
)

// The passwords the tests store; none may ever be found in a store's
// directory.
const (
	password1 = "correct horse battery staple"
	password2 = "Tr0ub4dor&3 second password"
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(child(mode))
	}
	// Every test process uses go-keyring's in-memory keyring, except the
	// children that TestRealKeyring starts.
	keyring.MockInit()
	os.Exit(m.Run())
}

// newStore is a store in a fresh directory with a fresh in-memory keyring.
// When the test ends, no file in the directory may hold a password.
func newStore(t *testing.T) *Store {
	t.Helper()
	keyring.MockInit()
	s := &Store{Dir: filepath.Join(t.TempDir(), "postino"), Keyring: System{}}
	t.Cleanup(func() { noPasswordIn(t, s.Dir) })
	return s
}

// noPasswordIn searches every file under dir for the tests' passwords.
func noPasswordIn(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("read %s: %v", path, err)
			return nil
		}
		for _, pw := range []string{password1, password2} {
			if probe.Repeats(string(data), pw) {
				t.Errorf("%s contains a password", path)
			}
		}
		return nil
	})
}

func server(raw string) probe.Server {
	s, err := probe.ParseURL(raw)
	if err != nil {
		panic(err)
	}
	return s
}

var testPin = probe.Pin{0xab, 0xcd, 0xef}

// alice is an account as postino test saves it.
func alice() Account {
	in, out := server("imaps://mail.example.test"), server("smtp://mail.example.test")
	in.Username, out.Username = "alice@example.test", "alice@example.test"
	return Account{
		Address:  "alice@example.test",
		Incoming: []probe.Server{in},
		Outgoing: []probe.Server{out},
		Pins:     []probe.Pin{testPin},
	}
}

var (
	testedAt = time.Date(2025, 3, 4, 5, 6, 0, 0, time.UTC)
	testCert = &probe.CertInfo{
		Subject: "CN=mail.example.test", Issuer: "CN=Example CA", NotAfter: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		SHA256: "abcdef0000000000000000000000000000000000000000000000000000000000", DNSNames: []string{"mail.example.test", "imap.example.test"},
	}
)

// aliceTested is alice as postino test --save saves her: with a provider,
// a source, and the results of a run in which the first outgoing server
// timed out and its fallback passed.
func aliceTested() Account {
	a := alice()
	a.Provider = Provider{ID: "example", Name: "Example Mail"}
	a.Source = "providers"
	smtps := server("smtps://mail.example.test")
	smtps.Username = "alice@example.test"
	a.Record([]probe.Result{
		{Role: probe.Incoming, Server: a.Incoming[0], OK: true, Code: probe.CodeOK, ElapsedMS: 42, LoggedIn: true,
			TLS:      &probe.TLSInfo{Version: "TLS 1.3", Cipher: "TLS_AES_128_GCM_SHA256", Pinned: true, Certificate: testCert},
			Software: "Dovecot", AuthMechanisms: []string{"PLAIN", "LOGIN"}, Alerts: []string{"Mailbox is 90% full"}},
		{Role: probe.Outgoing, Server: a.Outgoing[0], Code: probe.CodeTimeout, ElapsedMS: 15000,
			Failure: &probe.Failure{Code: probe.CodeTimeout, Step: "connect"}},
		{Role: probe.Outgoing, Server: smtps, OK: true, Code: probe.CodeOK, ElapsedMS: 61, LoggedIn: true,
			TLS:      &probe.TLSInfo{Version: "TLS 1.3", Cipher: "TLS_AES_256_GCM_SHA384", Verified: true, Certificate: testCert},
			Software: "Postfix", AuthMechanisms: []string{"PLAIN"}},
	}, testedAt)
	return a
}

func bob() Account {
	return Account{Address: "bob@example.test", Incoming: []probe.Server{server("pop3s://pop.example.test")}}
}

func TestSaveAndFind(t *testing.T) {
	s := newStore(t)
	at := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	s.Now = func() time.Time { return at }
	saved, err := s.Save(alice(), password1)
	if err != nil {
		t.Fatalf("Save() = %v", err)
	}
	if saved.Name != "alice@example.test" || !saved.Created.Equal(at) || !saved.Updated.Equal(at) {
		t.Errorf("Save() = %+v, want the address as name and both times set", saved)
	}
	for _, name := range []string{"alice@example.test", "Alice@Example.TEST"} {
		got, err := s.Find(name)
		if err != nil {
			t.Fatalf("Find(%q) = %v", name, err)
		}
		if got.Address != "alice@example.test" || len(got.Incoming) != 1 || got.Incoming[0] != alice().Incoming[0] ||
			got.Outgoing[0] != alice().Outgoing[0] || !slices.Equal(got.Pins, []probe.Pin{testPin}) || !got.Created.Equal(at) {
			t.Errorf("Find(%q) = %+v", name, got)
		}
	}
	if _, err := s.Find("carol"); !errors.Is(err, ErrNoAccount) {
		t.Errorf("Find(carol) = %v, want ErrNoAccount", err)
	}
	if pw, err := s.Password(saved); pw != password1 || err != nil {
		t.Errorf("Password() = %q, %v", pw, err)
	}
	if pw, err := keyring.Get("postino", "alice@example.test"); pw != password1 || err != nil {
		t.Errorf("keyring entry (postino, alice@example.test) = %q, %v", pw, err)
	}
	if has, err := s.HasPassword(saved); !has || err != nil {
		t.Errorf("HasPassword() = %v, %v", has, err)
	}
}

func TestSaveUpdates(t *testing.T) {
	s := newStore(t)
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { clock = clock.Add(time.Hour); return clock }
	a := alice()
	a.Name = "work"
	first, err := s.Save(a, password1)
	if err != nil {
		t.Fatalf("Save() = %v", err)
	}
	if _, err := s.Save(bob(), password2); err != nil {
		t.Fatalf("Save(bob) = %v", err)
	}
	// The same address in another case, no name, a new server: the same
	// account, renamed never, updated.
	changed := alice()
	changed.Address = "ALICE@example.test"
	changed.Name = ""
	changed.Incoming = []probe.Server{server("imap://imap.example.test")}
	second, err := s.SaveSettings(changed)
	if err != nil {
		t.Fatalf("SaveSettings() = %v", err)
	}
	if second.Name != "work" || second.Address != "alice@example.test" || !second.Created.Equal(first.Created) || !second.Updated.After(first.Updated) {
		t.Errorf("second save = %+v, first %+v", second, first)
	}
	accounts, err := s.Accounts()
	if err != nil || len(accounts) != 2 || accounts[0].Name != "work" || accounts[0].Incoming[0].Host != "imap.example.test" || accounts[1].Name != "bob@example.test" {
		t.Fatalf("Accounts() = %+v, %v", accounts, err)
	}
	if pw, _ := s.Password(second); pw != password1 {
		t.Errorf("SaveSettings changed the password to %q", pw)
	}
	// A new name renames it.
	changed.Name = "alice"
	if got, err := s.Save(changed, password2); err != nil || got.Name != "alice" {
		t.Fatalf("Save(renamed) = %+v, %v", got, err)
	}
	if _, err := s.Find("work"); !errors.Is(err, ErrNoAccount) {
		t.Errorf("the old name still finds the account: %v", err)
	}
	if pw, _ := s.Password(alice()); pw != password2 {
		t.Errorf("Password() = %q after saving a new one", pw)
	}
}

func TestNameTaken(t *testing.T) {
	s := newStore(t)
	a := alice()
	a.Name = "work"
	if _, err := s.SaveSettings(a); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, address string
	}{
		{"work", "bob@example.test"},               // another account's name
		{"alice@example.test", "bob@example.test"}, // another account's address
		{"", "work"}, // an address another account is named
	} {
		b := bob()
		b.Name, b.Address = tt.name, tt.address
		if tt.address == "work" {
			b.Address = "work@example.test"
			a.Name = "work@example.test"
			if _, err := s.SaveSettings(a); err != nil {
				t.Fatal(err)
			}
		}
		var nt *NameTakenError
		if _, err := s.Save(b, password2); !errors.As(err, &nt) || nt.Address != "alice@example.test" {
			t.Errorf("Save(%q, %s) = %v, want a NameTakenError", b.Name, b.Address, err)
		}
		if _, err := keyring.Get("postino", b.Address); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("a refused account's password was stored: %v", err)
		}
	}
}

func TestSaveRefusesBadAccounts(t *testing.T) {
	s := newStore(t)
	for name, a := range map[string]Account{
		"no address":       {Incoming: alice().Incoming},
		"smtp as incoming": {Address: "a@b.c", Incoming: alice().Outgoing},
		"imap as outgoing": {Address: "a@b.c", Outgoing: alice().Incoming},
		"option-like name": {Name: "-rf", Address: "a@b.c"},
		"control in name":  {Name: "a\x1b[2Jb", Address: "a@b.c"},
		"no port":          {Address: "a@b.c", Incoming: []probe.Server{{Protocol: probe.IMAP, Host: "h", Security: probe.TLS}}},
		"unknown source":   {Address: "a@b.c", Source: "dns"},
		"provider no id":   {Address: "a@b.c", Provider: Provider{Name: "Example"}},
		"test of no role":  {Address: "a@b.c", Tests: []Test{{Result: probe.Result{Server: alice().Incoming[0], OK: true, Code: probe.CodeOK}, At: testedAt}}},
		"untimed test":     {Address: "a@b.c", Tests: []Test{{Result: probe.Result{Role: probe.Incoming, Server: alice().Incoming[0], OK: true, Code: probe.CodeOK}}}},
	} {
		if _, err := s.Save(a, password1); err == nil {
			t.Errorf("%s: Save() accepted %+v", name, a)
		}
	}
	if _, err := s.Save(alice(), ""); err == nil {
		t.Errorf("Save() accepted an empty password")
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused account created the file: %v", err)
	}
}

func TestRemove(t *testing.T) {
	s := newStore(t)
	if _, err := s.Save(alice(), password1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveSettings(bob()); err != nil {
		t.Fatal(err)
	}
	removed, had, err := s.Remove("ALICE@example.test")
	if err != nil || !had || removed.Address != "alice@example.test" {
		t.Fatalf("Remove(alice) = %+v, %v, %v", removed, had, err)
	}
	if _, err := keyring.Get("postino", "alice@example.test"); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("the password is still in the keyring: %v", err)
	}
	if _, _, err := s.Remove("alice@example.test"); !errors.Is(err, ErrNoAccount) {
		t.Errorf("second Remove() = %v, want ErrNoAccount", err)
	}
	if _, had, err := s.Remove("bob@example.test"); err != nil || had {
		t.Errorf("Remove(bob, saved without a password) = %v, %v", had, err)
	}
	if accounts, err := s.Accounts(); err != nil || len(accounts) != 0 {
		t.Errorf("Accounts() = %+v, %v, want none", accounts, err)
	}
}

func TestFileFormat(t *testing.T) {
	s := newStore(t)
	s.Now = func() time.Time { return time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC) }
	if _, err := s.Save(aliceTested(), password1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveSettings(bob()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	want := header + `version: 2
accounts:
  - name: alice@example.test
    address: alice@example.test
    provider:
      id: example
      name: Example Mail
    source: providers
    incoming:
      - protocol: imap
        host: mail.example.test
        port: 993
        security: tls
        username: alice@example.test
        auth: password
    outgoing:
      - protocol: smtp
        host: mail.example.test
        port: 587
        security: starttls
        username: alice@example.test
        auth: password
    pins:
      - sha256:abcdef0000000000000000000000000000000000000000000000000000000000
    tests:
      - role: incoming
        tested_at: 2025-03-04T05:06:00Z
        server:
          protocol: imap
          host: mail.example.test
          port: 993
          security: tls
          username: alice@example.test
          auth: password
        ok: true
        code: ok
        elapsed_ms: 42
        logged_in: true
        tls:
          version: TLS 1.3
          cipher: TLS_AES_128_GCM_SHA256
          verified: false
          pinned: true
          certificate:
            subject: CN=mail.example.test
            issuer: CN=Example CA
            not_after: 2026-01-02T03:04:05Z
            sha256: abcdef0000000000000000000000000000000000000000000000000000000000
            dns_names:
              - mail.example.test
              - imap.example.test
        software: Dovecot
        auth_mechanisms:
          - PLAIN
          - LOGIN
        alerts:
          - Mailbox is 90% full
      - role: outgoing
        tested_at: 2025-03-04T05:06:00Z
        server:
          protocol: smtp
          host: mail.example.test
          port: 587
          security: starttls
          username: alice@example.test
          auth: password
        ok: false
        code: timeout
        step: connect
        elapsed_ms: 15000
        logged_in: false
      - role: outgoing
        tested_at: 2025-03-04T05:06:00Z
        server:
          protocol: smtp
          host: mail.example.test
          port: 465
          security: tls
          username: alice@example.test
          auth: password
        ok: true
        code: ok
        elapsed_ms: 61
        logged_in: true
        tls:
          version: TLS 1.3
          cipher: TLS_AES_256_GCM_SHA384
          verified: true
          pinned: false
          certificate:
            subject: CN=mail.example.test
            issuer: CN=Example CA
            not_after: 2026-01-02T03:04:05Z
            sha256: abcdef0000000000000000000000000000000000000000000000000000000000
            dns_names:
              - mail.example.test
              - imap.example.test
        software: Postfix
        auth_mechanisms:
          - PLAIN
    created: 2025-03-04T05:06:07Z
    updated: 2025-03-04T05:06:07Z
  - name: bob@example.test
    address: bob@example.test
    incoming:
      - protocol: pop3
        host: pop.example.test
        port: 995
        security: tls
        username: ""
        auth: password
    outgoing: []
    created: 2025-03-04T05:06:07Z
    updated: 2025-03-04T05:06:07Z
`
	if string(data) != want {
		t.Errorf("accounts.yaml =\n%s\nwant\n%s", data, want)
	}
}

// TestTestsRoundTrip: what Save returns is what Find reads back, provider,
// source and tests included.
func TestTestsRoundTrip(t *testing.T) {
	s := newStore(t)
	saved, err := s.Save(aliceTested(), password1)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Find("alice@example.test")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, saved) {
		t.Errorf("Find() =\n%+v\nSave() =\n%+v", got, saved)
	}
	if got.Provider != (Provider{"example", "Example Mail"}) || got.Source != "providers" || len(got.Tests) != 3 {
		t.Fatalf("Find() = %+v", got)
	}
	in, timeout := got.Tests[0], got.Tests[1]
	if !in.At.Equal(testedAt) || !in.OK || in.TLS.Certificate.SHA256 != testCert.SHA256 || in.Elapsed != 42*time.Millisecond || in.Failure != nil {
		t.Errorf("incoming test = %+v", in)
	}
	if timeout.OK || timeout.Failure == nil || timeout.Failure.Step != "connect" || timeout.Failure.Code != probe.CodeTimeout || timeout.TLS != nil {
		t.Errorf("timed-out test = %+v, failure %+v", timeout, timeout.Failure)
	}

	// A tested server without a login method has a password's, as the
	// account's own servers do.
	b := bob()
	b.Incoming[0].Auth = ""
	b.Record([]probe.Result{{Role: probe.Incoming, Server: b.Incoming[0], OK: true, Code: probe.CodeOK}}, testedAt)
	if saved, err := s.SaveSettings(b); err != nil || saved.Tests[0].Server != saved.Incoming[0] || saved.Incoming[0].Auth != probe.AuthPassword {
		t.Errorf("SaveSettings() = %+v, %v", saved, err)
	}
}

// TestTestOf: a saved test keeps what a report needs and drops the rest.
func TestTestOf(t *testing.T) {
	r := probe.Result{
		Role: probe.Incoming, Server: alice().Incoming[0], Code: probe.CodeAuthFailed, Message: "wrong password",
		Advice: []string{"check it"}, ElapsedMS: 1234, Elapsed: 1234567 * time.Microsecond, Greeting: "* OK ready",
		Capabilities: []string{"IMAP4rev1", "AUTH=PLAIN"}, AuthMechanisms: []string{"PLAIN"},
		Steps:   []probe.Step{{Name: "login", ElapsedMS: 9}},
		Failure: &probe.Failure{Code: probe.CodeAuthFailed, Step: "login", Reply: "NO [AUTHENTICATIONFAILED] bad", Err: errors.New("detail for logs")},
	}
	got := TestOf(r, time.Date(2025, 1, 2, 3, 4, 5, 999, time.FixedZone("CET", 3600)))
	want := probe.Result{
		Role: probe.Incoming, Server: r.Server, Code: probe.CodeAuthFailed, ElapsedMS: 1234, Elapsed: 1234 * time.Millisecond,
		Capabilities: []string{}, Steps: []probe.Step{}, AuthMechanisms: []string{"PLAIN"},
		Failure: &probe.Failure{Code: probe.CodeAuthFailed, Step: "login", Reply: "NO [AUTHENTICATIONFAILED] bad"},
	}
	if !reflect.DeepEqual(got.Result, want) || got.At != time.Date(2025, 1, 2, 2, 4, 5, 0, time.UTC) {
		t.Errorf("TestOf() = %+v at %v\nwant %+v", got.Result, got.At, want)
	}
	r.AuthMechanisms[0] = "changed"
	if got.AuthMechanisms[0] != "PLAIN" {
		t.Errorf("TestOf() shares its lists with the result")
	}
}

// TestRecord: a role tested alone replaces that role's tests; the other
// role's stay.
func TestRecord(t *testing.T) {
	a := aliceTested()
	later := testedAt.Add(time.Hour)
	a.Record([]probe.Result{{Role: probe.Outgoing, Server: alice().Outgoing[0], OK: true, Code: probe.CodeOK}}, later)
	if len(a.Tests) != 2 || a.Tests[0].Role != probe.Incoming || !a.Tests[0].At.Equal(testedAt) ||
		a.Tests[1].Role != probe.Outgoing || !a.Tests[1].OK || !a.Tests[1].At.Equal(later) {
		t.Errorf("after recording the outgoing role: %+v", a.Tests)
	}
	a.Record([]probe.Result{
		{Role: probe.Outgoing, Server: alice().Outgoing[0], OK: true, Code: probe.CodeOK},
		{Role: probe.Incoming, Server: alice().Incoming[0], OK: true, Code: probe.CodeOK},
	}, later)
	if len(a.Tests) != 2 || a.Tests[0].Role != probe.Incoming || !a.Tests[0].At.Equal(later) || a.Tests[1].Role != probe.Outgoing {
		t.Errorf("the tests are not incoming first: %+v", a.Tests)
	}
}

// TestVersion1File: a file of schema version 1, as the first postino
// wrote it, is read (no provider, source or tests), and the first change
// rewrites it as version 2, keeping the old one as the backup.
func TestVersion1File(t *testing.T) {
	s := newStore(t)
	v1 := header + `version: 1
accounts:
  - name: alice@example.test
    address: alice@example.test
    incoming:
      - protocol: imap
        host: mail.example.test
        port: 993
        security: tls
        username: alice@example.test
        auth: password
    outgoing: []
    pins:
      - sha256:abcdef0000000000000000000000000000000000000000000000000000000000
    created: 2025-03-04T05:06:07Z
    updated: 2025-03-04T05:06:07Z
`
	os.MkdirAll(s.Dir, 0o700)
	os.WriteFile(s.Path(), []byte(v1), 0o600)
	got, err := s.Find("alice@example.test")
	if err != nil {
		t.Fatalf("Find() = %v", err)
	}
	if got.Provider != (Provider{}) || got.Source != "" || got.Tests != nil || len(got.Incoming) != 1 || len(got.Pins) != 1 {
		t.Errorf("Find() = %+v", got)
	}
	if _, err := s.SaveSettings(bob()); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(s.Path()); !strings.Contains(string(data), "\nversion: 2\n") || strings.Contains(string(data), "source:") {
		t.Errorf("rewritten file:\n%s", data)
	}
	if bak, _ := os.ReadFile(s.Path() + ".bak"); string(bak) != v1 {
		t.Errorf("accounts.yaml.bak =\n%s\nwant the version 1 file", bak)
	}
}

func TestPermissions(t *testing.T) {
	s := newStore(t)
	// A directory someone made readable by others is closed again.
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, pw := range []string{password1, password2} {
		if _, err := s.Save(alice(), pw); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range map[string]os.FileMode{
		s.Dir:               0o700 | os.ModeDir,
		s.Path():            0o600,
		s.Path() + ".bak":   0o600,
		s.Path() + ".lock":  0o600,
		filepath.Dir(s.Dir): 0, // not postino's: left alone
	} {
		info, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if want != 0 && info.Mode() != want {
			t.Errorf("%s has mode %v, want %v", name, info.Mode(), want)
		}
	}
	entries, _ := os.ReadDir(s.Dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"accounts.yaml", "accounts.yaml.bak", "accounts.yaml.lock"}; !slices.Equal(names, want) {
		t.Errorf("the directory holds %v, want %v", names, want)
	}
}

func TestBackupIsThePreviousVersion(t *testing.T) {
	s := newStore(t)
	if _, err := s.Save(alice(), password1); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Path() + ".bak"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a first save made a backup: %v", err)
	}
	before, _ := os.ReadFile(s.Path())
	if _, err := s.SaveSettings(bob()); err != nil {
		t.Fatal(err)
	}
	bak, _ := os.ReadFile(s.Path() + ".bak")
	if !bytes.Equal(bak, before) {
		t.Errorf("accounts.yaml.bak =\n%s\nwant the previous file\n%s", bak, before)
	}
}

func TestMissingAndEmptyFiles(t *testing.T) {
	s := newStore(t)
	if accounts, err := s.Accounts(); err != nil || accounts != nil {
		t.Errorf("Accounts() without a directory = %v, %v", accounts, err)
	}
	if _, err := os.Stat(s.Dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("reading created the directory: %v", err)
	}
	os.MkdirAll(s.Dir, 0o700)
	os.WriteFile(s.Path(), []byte("\n  \n"), 0o600)
	if accounts, err := s.Accounts(); err != nil || accounts != nil {
		t.Errorf("Accounts() of an empty file = %v, %v", accounts, err)
	}
}

func TestDamagedFilesAreRefusedAndKept(t *testing.T) {
	const good = "version: 1\naccounts:\n  - name: alice\n    address: alice@example.test\n    incoming: []\n    outgoing: []\n"
	v2 := "version: 2" + good[len("version: 1"):]
	const okTest = "{role: incoming, tested_at: 2025-03-04T05:06:00Z, server: {protocol: imap, port: 993, host: h, security: tls, username: u, auth: password}, ok: true, code: ok, elapsed_ms: 1, logged_in: true}"
	tests := []struct {
		name    string
		content string
		line    int
		want    string
		newer   bool
	}{
		{"unclosed bracket", "version: 1\naccounts:\n  - name: [alice\n", 3, "did not find expected ',' or ']'", false},
		{"bad indentation", "version: 1\naccounts:\n  - name: alice\n   address: x\n", 3, "did not find expected '-' indicator", false},
		{"missing colon", "version: 1\naccounts:\n  - name: alice\n  foo\n", 4, "could not find expected ':'", false},
		{"tab", "version: 1\naccounts:\n  - name: alice\n\taddress: x\n", 3, "tab character", false},
		{"bad flow at line 1", "{version: 1\n", 1, "did not find expected ',' or '}'", false},
		{"unknown key", "version: 1\naccounts:\n  - name: alice\n    address: alice@example.test\n    password: hunter2\n", 5, "field password not found", false},
		{"unknown top key", good + "extra: 1\n", 7, "field extra not found", false},
		{"wrong type", "version: 1\naccounts:\n  - name: alice\n    address: alice@example.test\n    incoming: imaps://h\n", 5, "cannot unmarshal", false},
		{"bad port", good[:len(good)-len("    incoming: []\n    outgoing: []\n")] + "    incoming:\n      - {protocol: imap, host: h, port: 99999, security: tls, auth: password}\n", 6, "port 99999", false},
		{"smtp as incoming", good[:len(good)-len("    incoming: []\n    outgoing: []\n")] + "    incoming:\n      - {protocol: smtp, host: h, port: 465, security: tls, auth: password}\n", 6, `protocol "smtp"`, false},
		{"bad pin", good + "    pins: [sha256:abc]\n", 7, "pin", false},
		{"bad address", "version: 1\naccounts:\n  - name: alice\n    address: alice\n", 4, "not an email address", false},
		{"duplicate name", good + "  - name: alice\n    address: other@example.test\n", 7, "second account is named", false},
		{"shared address before version 6", good + "  - name: alice2\n    address: alice@example.test\n", 7, "second account has the address alice@example.test", false},
		{"duplicate key", "version: 1\nversion: 1\n", 2, "already defined", false},
		{"no version", "accounts: []\n", 1, "no schema version", false},
		{"version zero", "version: 0\naccounts: []\n", 1, "not a positive", false},
		{"not a mapping", "- alice\n", 1, "not a mapping", false},
		{"two documents", good + "---\nversion: 1\n", 7, "more than one", false},
		{"newer schema", "# written by a later postino\nversion: 7\naccounts:\n  - name: alice\n    future: yes\n", 2, "schema version 7 is newer than 6", true},
		{"tests in version 1", good + "    tests: []\n", 7, "field tests is not in schema version 1", false},
		{"source in version 1", good + "    source: manual\n", 7, "field source is not in schema version 1", false},
		{"unknown source", v2 + "    source: carrier-pigeon\n", 7, `source "carrier-pigeon" is not one of`, false},
		{"provider without id", v2 + "    provider: {name: Example}\n", 7, "provider needs an id and a name", false},
		{"unknown key in a test", v2 + "    tests:\n      - " + strings.TrimSuffix(okTest, "}") + ", password: hunter2}" + "\n", 8, "field password not found in type store.fileTest", false},
		{"greeting in a test", v2 + "    tests:\n      - " + strings.TrimSuffix(okTest, "}") + ", greeting: hi}" + "\n", 8, "field greeting not found", false},
		{"bad role", v2 + "    tests:\n      - " + strings.Replace(okTest, "incoming", "sideways", 1) + "\n", 8, `role "sideways"`, false},
		{"smtp tested as incoming", v2 + "    tests:\n      - " + strings.Replace(okTest, "imap, port: 993", "smtp, port: 465", 1) + "\n", 8, `protocol "smtp" is not imap or pop3`, false},
		{"ok but failed", v2 + "    tests:\n      - " + strings.Replace(okTest, "code: ok", "code: timeout", 1) + "\n", 8, `ok true does not agree with code "timeout"`, false},
		{"no test time", v2 + "    tests:\n      - " + strings.Replace(okTest, "tested_at: 2025-03-04T05:06:00Z, ", "", 1) + "\n", 8, "no test time", false},
		{"escape in a reply", v2 + "    tests:\n      - " + strings.Replace(okTest, "ok: true, code: ok", `ok: false, code: auth_failed, reply: "\e[2J"`, 1) + "\n", 8, "control characters", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			os.MkdirAll(s.Dir, 0o700)
			os.WriteFile(s.Path(), []byte(tt.content), 0o600)
			check := func(op string, err error) {
				t.Helper()
				var fe *FileError
				if !errors.As(err, &fe) {
					t.Fatalf("%s = %v, want a *FileError", op, err)
				}
				if fe.Path != s.Path() || fe.Line != tt.line || fe.Newer() != tt.newer {
					t.Errorf("%s = %+v, want %s line %d newer %v", op, fe, s.Path(), tt.line, tt.newer)
				}
				if msg := err.Error(); !strings.Contains(msg, tt.want) || !strings.HasPrefix(msg, s.Path()+":"+strconv.Itoa(tt.line)+": ") {
					t.Errorf("%s = %q, want %s:%d: …%s…", op, msg, s.Path(), tt.line, tt.want)
				}
			}
			_, err := s.Accounts()
			check("Accounts()", err)
			_, err = s.Find("alice")
			check("Find()", err)
			_, err = s.Save(bob(), password1)
			check("Save()", err)
			_, err = s.SaveSettings(bob())
			check("SaveSettings()", err)
			_, _, err = s.Remove("alice")
			check("Remove()", err)
			if data, _ := os.ReadFile(s.Path()); string(data) != tt.content {
				t.Errorf("the file was changed to\n%s", data)
			}
			if _, err := os.Stat(s.Path() + ".bak"); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a backup was written: %v", err)
			}
			if _, err := keyring.Get("postino", "bob@example.test"); !errors.Is(err, keyring.ErrNotFound) {
				t.Errorf("the keyring was written: %v", err)
			}
		})
	}
}

// errUnlockFailed is go-keyring's error when the keyring is locked.
var errUnlockFailed = errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'")

func newKeyring() *storetest.Keyring { return storetest.NewKeyring(ErrNoPassword) }

func TestKeyringUnavailableLeavesTheFile(t *testing.T) {
	for name, kr := range map[string]*storetest.Keyring{
		"get fails":    {NotFound: ErrNoPassword, GetErr: errors.New("The name org.freedesktop.secrets was not provided by any .service files")},
		"set fails":    {NotFound: ErrNoPassword, SetErr: errors.Join(errors.New("locked"), errUnlockFailed)},
		"delete fails": {NotFound: ErrNoPassword, DeleteErr: errors.New("dbus: connection closed by user")},
	} {
		t.Run(name, func(t *testing.T) {
			s := newStore(t)
			if _, err := s.Save(bob(), password2); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(s.Path())
			s.Keyring = kr
			kr.Passwords = map[string]string{"bob@example.test": password2}
			var ue *UnavailableError
			if name != "delete fails" {
				if _, err := s.Save(alice(), password1); !errors.As(err, &ue) {
					t.Errorf("Save() = %v, want an *UnavailableError", err)
				}
			}
			if name != "set fails" {
				if _, _, err := s.Remove("bob@example.test"); !errors.As(err, &ue) {
					t.Errorf("Remove() = %v, want an *UnavailableError", err)
				}
			}
			if after, _ := os.ReadFile(s.Path()); !bytes.Equal(after, before) {
				t.Errorf("the file changed:\n%s", after)
			}
			if _, err := os.Stat(s.Path() + ".bak"); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a backup was written: %v", err)
			}
			if _, err := s.HasPassword(bob()); (err != nil) != (name == "get fails") {
				t.Errorf("HasPassword() = %v", err)
			}
		})
	}
}

// breakWrites makes the next write of the file fail after the keyring was
// written: the backup cannot replace a non-empty directory.
func breakWrites(t *testing.T, s *Store) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(s.Path()+".bak", "in-the-way"), 0o700); err != nil {
		t.Fatal(err)
	}
}

func TestRollbackDeletesANewPassword(t *testing.T) {
	s := newStore(t)
	if _, err := s.SaveSettings(alice()); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(s.Path())
	breakWrites(t, s)
	if _, err := s.Save(alice(), password1); err == nil {
		t.Fatal("Save() succeeded with a directory in the backup's place")
	}
	if _, err := keyring.Get("postino", "alice@example.test"); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("the keyring kept the password of a failed save: %v", err)
	}
	if after, _ := os.ReadFile(s.Path()); !bytes.Equal(after, before) {
		t.Errorf("the file changed")
	}
}

func TestRollbackRestoresThePreviousPassword(t *testing.T) {
	s := newStore(t)
	if _, err := s.Save(alice(), password1); err != nil {
		t.Fatal(err)
	}
	breakWrites(t, s)
	changed := alice()
	changed.Name = "renamed"
	if _, err := s.Save(changed, password2); err == nil {
		t.Fatal("Save() succeeded with a directory in the backup's place")
	}
	if pw, err := keyring.Get("postino", "alice@example.test"); pw != password1 || err != nil {
		t.Errorf("keyring = %q, %v after a failed save, want the previous password", pw, err)
	}
	if a, err := s.Find("alice@example.test"); err != nil || a.Name != "alice@example.test" {
		t.Errorf("Find() = %+v, %v, want the account unchanged", a, err)
	}
}

func TestFailedRollbackIsReported(t *testing.T) {
	s := newStore(t)
	// The first password goes in, then the second; putting the first back
	// after the file write failed is the third Set, and fails.
	kr := newKeyring()
	kr.SetErr, kr.SetFrom = errUnlockFailed, 3
	s.Keyring = kr
	if _, err := s.Save(alice(), password1); err != nil {
		t.Fatal(err)
	}
	breakWrites(t, s)
	_, err := s.Save(alice(), password2)
	var ue *UnavailableError
	if err == nil || !errors.As(err, &ue) || !strings.Contains(err.Error(), "keep the previous accounts") || !strings.Contains(err.Error(), "put the keyring entry back") {
		t.Errorf("Save() = %v, want the write error and the failed rollback", err)
	}
}

func TestRemoveRollsBack(t *testing.T) {
	s := newStore(t)
	if _, err := s.Save(alice(), password1); err != nil {
		t.Fatal(err)
	}
	breakWrites(t, s)
	if _, _, err := s.Remove("alice@example.test"); err == nil {
		t.Fatal("Remove() succeeded with a directory in the backup's place")
	}
	if pw, err := keyring.Get("postino", "alice@example.test"); pw != password1 || err != nil {
		t.Errorf("keyring = %q, %v after a failed remove, want the password back", pw, err)
	}
	if _, err := s.Find("alice@example.test"); err != nil {
		t.Errorf("the account is gone after a failed remove: %v", err)
	}
}

func TestLockWaitsForAnotherWriter(t *testing.T) {
	s := newStore(t)
	unlock, err := s.lock()
	if err != nil {
		t.Fatal(err)
	}
	other := &Store{Dir: s.Dir, Keyring: s.Keyring, LockWait: 50 * time.Millisecond}
	if _, err := other.SaveSettings(bob()); !errors.Is(err, ErrBusy) {
		t.Errorf("SaveSettings() under another's lock = %v, want ErrBusy", err)
	}
	done := make(chan error)
	other.LockWait = 10 * time.Second
	go func() { _, err := other.SaveSettings(bob()); done <- err }()
	time.Sleep(100 * time.Millisecond)
	unlock()
	if err := <-done; err != nil {
		t.Errorf("SaveSettings() after the lock was released = %v", err)
	}
}

func TestConcurrentGoroutines(t *testing.T) {
	s := newStore(t)
	kr := newKeyring()
	const writers, each = 8, 5
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			// Each writer has its own Store, as separate commands would.
			mine := &Store{Dir: s.Dir, Keyring: kr}
			for i := range each {
				a := bob()
				a.Address = "user" + strconv.Itoa(w) + "-" + strconv.Itoa(i) + "@example.test"
				if _, err := mine.Save(a, password1); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Save() = %v", err)
	}
	accounts, err := s.Accounts()
	if err != nil || len(accounts) != writers*each {
		t.Errorf("Accounts() = %d accounts, %v; want %d", len(accounts), err, writers*each)
	}
	if kr.Count() != writers*each {
		t.Errorf("the keyring holds %d passwords, want %d", kr.Count(), writers*each)
	}
}

func TestDefaultDir(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, tt := range []struct {
		goos string
		env  func(string) string
		want string
		err  bool
	}{
		{"linux", env("XDG_CONFIG_HOME", "/x/config", "HOME", "/home/a"), "/x/config/postino", false},
		{"linux", env("HOME", "/home/a"), "/home/a/.config/postino", false},
		{"linux", env("XDG_CONFIG_HOME", "relative", "HOME", "/home/a"), "", true},
		{"linux", env(), "", true},
		{"darwin", env("HOME", "/Users/a", "XDG_CONFIG_HOME", "/ignored"), "/Users/a/Library/Application Support/postino", false},
		{"windows", env("AppData", "/appdata"), "/appdata/postino", false},
	} {
		got, err := DefaultDir(tt.goos, tt.env)
		if got != filepath.FromSlash(tt.want) || (err != nil) != tt.err || (err != nil && !errors.Is(err, ErrNoConfigDir)) {
			t.Errorf("DefaultDir(%s) = %q, %v; want %q, error %v", tt.goos, got, err, tt.want, tt.err)
		}
	}
	// With the process's own environment it agrees with the standard library.
	if dir, err := os.UserConfigDir(); err == nil {
		if got, err := DefaultDir(runtime.GOOS, os.Getenv); err != nil || got != filepath.Join(dir, "postino") {
			t.Errorf("DefaultDir(os.Getenv) = %q, %v; os.UserConfigDir() = %q", got, err, dir)
		}
	}
}

// TestWriteFile: a new file is whole and 0600; an existing one is kept
// unless replace is set; no temporary file stays behind.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.conf")
	if err := WriteFile(path, []byte("one\n"), false); err != nil {
		t.Fatalf("WriteFile(new) = %v", err)
	}
	if err := WriteFile(path, []byte("two\n"), false); !errors.Is(err, fs.ErrExist) {
		t.Errorf("WriteFile(existing, no replace) = %v, want fs.ErrExist", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "one\n" {
		t.Errorf("without replace the file holds %q", b)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("three\n"), true); err != nil {
		t.Fatalf("WriteFile(replace) = %v", err)
	}
	fi, err := os.Stat(path)
	if b, _ := os.ReadFile(path); err != nil || string(b) != "three\n" || fi.Mode().Perm() != 0o600 {
		t.Errorf("after replace: %q, mode %v, %v", b, fi.Mode(), err)
	}
	if names, _ := os.ReadDir(dir); len(names) != 1 {
		t.Errorf("the directory holds %d files, want only out.conf", len(names))
	}
}

// TestKeptBeside: an account saved beside another of the same address
// (Beside) is a second account, written as schema version 6, sharing the
// address's keyring entry, which stays until the last of them is
// removed; a name taken is still refused.
func TestKeptBeside(t *testing.T) {
	s := newStore(t)
	if _, err := s.Save(alice(), password1); err != nil {
		t.Fatal(err)
	}
	second := alice()
	second.Name, second.Beside = "alice-2", true
	second.Address = "Alice@Example.test"
	got, err := s.Save(second, password2)
	if err != nil || got.Name != "alice-2" || got.Address != "alice@example.test" || got.Beside {
		t.Fatalf("Save(beside) = %+v, %v", got, err)
	}
	accounts, err := s.Accounts()
	if err != nil || len(accounts) != 2 || accounts[0].Name != "alice@example.test" || accounts[1].Name != "alice-2" {
		t.Fatalf("Accounts() = %+v, %v", accounts, err)
	}
	b, _ := os.ReadFile(s.Path())
	if !strings.Contains(string(b), "version: 6\n") {
		t.Errorf("the file is not version 6:\n%s", b)
	}
	if pw, _ := s.Password(accounts[0]); pw != password2 {
		t.Errorf("the shared keyring entry holds %q, want the latest password", pw)
	}
	// Saved again by name, the second one changes, not the first.
	again := alice()
	again.Name, again.Incoming = "alice-2", bob().Incoming
	again.Incoming[0].Username = "alice@example.test"
	if _, err := s.SaveSettings(again); err != nil {
		t.Fatal(err)
	}
	if now, _ := s.Accounts(); len(now) != 2 || now[0].Incoming[0] != alice().Incoming[0] || now[1].Incoming[0] != again.Incoming[0] {
		t.Fatalf("saving alice-2 again gave %+v", now)
	}
	taken := alice()
	taken.Name, taken.Beside = "alice-2", true
	var nt *NameTakenError
	if _, err := s.SaveSettings(taken); !errors.As(err, &nt) {
		t.Errorf("Save(beside, a name taken) = %v, want a NameTakenError", err)
	}
	if _, had, err := s.Remove("alice-2"); err != nil || had {
		t.Fatalf("Remove(alice-2) = %v, %v; the entry is the other account's too", had, err)
	}
	if pw, _ := s.Password(accounts[0]); pw != password2 {
		t.Errorf("removing one account took the other's password: %q", pw)
	}
	b, _ = os.ReadFile(s.Path())
	if !strings.Contains(string(b), "version: 2\n") {
		t.Errorf("a file without a shared address is not written as version 2:\n%s", b)
	}
	if _, had, err := s.Remove("alice@example.test"); err != nil || !had {
		t.Fatalf("Remove(alice) = %v, %v", had, err)
	}
	if _, err := keyring.Get("postino", "alice@example.test"); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("the last account's removal left its password: %v", err)
	}
}
