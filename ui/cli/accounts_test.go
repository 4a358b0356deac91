package cli

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/discover"
	"github.com/postino/postino/wizard/store"
	"github.com/postino/postino/wizard/store/storetest"
)

// The account of the in-process server. The passwords are searched for in
// every output and in the configuration directory.
const (
	unitUser     = "alice@example.test"
	unitPassword = "vault key 17 ünïcode"
	unitWrong    = "vault key 18 wrong"
)

// noBus is the error go-keyring gives where there is no session bus.
var noBus = &store.UnavailableError{Reason: store.NoSessionBus, Err: errors.New(`exec: "dbus-launch": executable file not found in $PATH`)}

// accountsEnv is a configuration directory and a keyring for one test.
// When the test ends, no file in the directory may hold a password.
type accountsEnv struct {
	config  string
	keyring *storetest.Keyring
	// environ is more of the environment; network points discovery
	// elsewhere.
	environ map[string]string
	network func(*discover.Config)
}

func newAccountsEnv(t *testing.T) *accountsEnv {
	t.Helper()
	a := &accountsEnv{config: t.TempDir(), keyring: storetest.NewKeyring(store.ErrNoPassword)}
	t.Cleanup(func() { noPasswordIn(t, a.config, unitPassword, unitWrong) })
	return a
}

// run runs postino in-process with XDG_CONFIG_HOME at the test's directory
// and the test's keyring.
func (a *accountsEnv) run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{
		ctx: context.Background(), stdin: strings.NewReader(stdin), stdout: &stdout, stderr: &stderr,
		getenv: func(k string) string {
			if k == "XDG_CONFIG_HOME" {
				return a.config
			}
			return a.environ[k]
		},
		keyring: a.keyring,
		network: a.network,
	}
	code := e.run(args)
	for _, out := range []string{stdout.String(), stderr.String()} {
		if args[0] != "password" && (probe.Repeats(out, unitPassword) || probe.Repeats(out, unitWrong)) {
			t.Errorf("postino %v printed a password:\n%s", args, out)
		}
	}
	return code, stdout.String(), stderr.String()
}

func (a *accountsEnv) file() string { return filepath.Join(a.config, "postino", "accounts.yaml") }

// noPasswordIn searches every file under dir for the passwords.
func noPasswordIn(t *testing.T, dir string, passwords ...string) {
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
		for _, pw := range passwords {
			if probe.Repeats(string(data), pw) {
				t.Errorf("%s contains a password", path)
			}
		}
		return nil
	})
}

// startIMAPS runs go-imap's in-memory server, knowing alice, with implicit
// TLS on a free loopback port and a self-signed certificate, and returns
// the server's URL and the certificate's pin.
func startIMAPS(t *testing.T) (string, string) {
	t.Helper()
	cert, pin := selfSigned(t)
	mem := imapmemserver.New()
	mem.AddUser(imapmemserver.NewUser(unitUser, unitPassword))
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Logger: log.New(io.Discard, "", 0),
	})
	ln, port := listenTLS(t, cert)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "imaps://127.0.0.1:" + strconv.Itoa(port), pin
}

// listenTLS listens with implicit TLS on a free loopback port.
func listenTLS(t *testing.T, cert tls.Certificate) (net.Listener, int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	return tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}), port
}

// selfSigned is a certificate for 127.0.0.1 that no authority issued, and
// its pin.
func selfSigned(t *testing.T) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(der)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, "sha256:" + hex.EncodeToString(sum[:])
}

// accountJSONOut is what the tests read of list --json and show --json.
type accountJSONOut struct {
	Name           string         `json:"name"`
	Address        string         `json:"address"`
	Incoming       []probe.Server `json:"incoming"`
	Outgoing       []probe.Server `json:"outgoing"`
	Pins           []string       `json:"pins"`
	PasswordStored bool           `json:"password_stored"`
}

func TestAccountsUsage(t *testing.T) {
	a := newAccountsEnv(t)
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"list", "extra"}, 2, "takes no argument"},
		{[]string{"list", "--frob"}, 2, "Bad command line"},
		{[]string{"show"}, 2, "needs the name or address of one saved account"},
		{[]string{"remove", "a", "b"}, 2, "needs the name or address of one saved account"},
		{[]string{"password", "--json", "a"}, 2, "Bad command line"},
		{[]string{"show", "nobody"}, 1, `No saved account is called "nobody"`},
		{[]string{"remove", "nobody"}, 1, `No saved account is called "nobody"`},
		{[]string{"password", "nobody"}, 1, `No saved account is called "nobody"`},
		{[]string{"test", "a@b.c", "--incoming", "imaps://h", "--name", "x"}, 2, "--name goes with --save"},
		{[]string{"test", "a@b.c", "--incoming", "imaps://h", "--save", "--name", "-x"}, 2, `"-x" cannot be an account's name`},
		{[]string{"show", "--lang", "it", "nessuno"}, 1, `Nessun account salvato si chiama "nessuno"`},
	} {
		code, stdout, stderr := a.run(t, "", tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) || stdout != "" || strings.Count(stderr, "\n") != 1 {
			t.Errorf("postino %v = %d, stdout %q, stderr %q; want %d and one sentence with %q", tt.args, code, stdout, stderr, tt.code, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(a.config, "postino")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("commands that saved nothing created the directory: %v", err)
	}
}

func TestNoConfigDir(t *testing.T) {
	for _, args := range [][]string{{"list"}, {"show", "a"}, {"remove", "a"}, {"password", "a"}, {"test", "a@b.c", "--incoming", "imaps://127.0.0.1:1", "--save"}} {
		code, stdout, stderr := runCLI(t, "", nil, args...)
		if code != 3 || stdout != "" || !strings.Contains(stderr, "set HOME or XDG_CONFIG_HOME") {
			t.Errorf("postino %v without HOME = %d, %q, %q", args, code, stdout, stderr)
		}
	}
}

func TestSavedAccountLifecycle(t *testing.T) {
	a := newAccountsEnv(t)
	url, pin := startIMAPS(t)

	// A test that fails saves nothing.
	code, _, stderr := a.run(t, unitWrong+"\n", "test", unitUser, "--incoming", url, "--pin", pin, "--password-stdin", "--save")
	if code != 1 || !strings.Contains(stderr, "Not saved: some settings do not work") {
		t.Fatalf("a failed test with --save = %d, %q", code, stderr)
	}
	if _, err := os.Stat(a.file()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed test wrote %s: %v", a.file(), err)
	}

	// One that passes saves the settings, the pin and the password.
	code, stdout, stderr := a.run(t, unitPassword+"\n", "test", unitUser, "--incoming", url, "--pin", strings.ToUpper(pin[7:]), "--password-stdin", "--save")
	if code != 0 || !strings.Contains(stdout, "All settings work.") ||
		stderr != "Saved alice@example.test; its password is in the keyring (service postino, user alice@example.test).\n"+ipNote {
		t.Fatalf("test --save = %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if pw := a.keyring.Passwords[unitUser]; pw != unitPassword {
		t.Errorf("keyring entry for %s = %q", unitUser, pw)
	}

	code, stdout, stderr = a.run(t, "", "list", "--json")
	var list struct{ Accounts []accountJSONOut }
	if err := json.Unmarshal([]byte(stdout), &list); code != 0 || err != nil || stderr != "" {
		t.Fatalf("list --json = %d, %v\n%s%s", code, err, stdout, stderr)
	}
	wantServer := probe.Server{Protocol: probe.IMAP, Host: "127.0.0.1", Port: list.Accounts[0].Incoming[0].Port, Security: probe.TLS, Username: unitUser, Auth: probe.AuthPassword}
	if got := list.Accounts; len(got) != 1 || got[0].Name != unitUser || got[0].Address != unitUser || len(got[0].Incoming) != 1 ||
		got[0].Incoming[0] != wantServer || got[0].Outgoing == nil || len(got[0].Outgoing) != 0 ||
		len(got[0].Pins) != 1 || got[0].Pins[0] != pin || !got[0].PasswordStored {
		t.Errorf("list --json = %s", stdout)
	}
	for _, key := range []string{`"outgoing": []`, `"password_stored": true`, `"created": "`} {
		if !strings.Contains(stdout, key) {
			t.Errorf("list --json lacks %s:\n%s", key, stdout)
		}
	}

	// The saved account is tested again with its stored password and pin,
	// and renamed.
	code, stdout, stderr = a.run(t, "", "test", unitUser, "--json", "--save", "--name", "work")
	if code != 0 || !strings.Contains(stdout, `"logged_in": true`) || !strings.Contains(stdout, `"pinned": true`) ||
		stderr != "Saved work; its password in the keyring is unchanged.\n"+ipNote {
		t.Fatalf("test of the saved account = %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	code, stdout, _ = a.run(t, "", "show", "work", "--json")
	var shown accountJSONOut
	if err := json.Unmarshal([]byte(stdout), &shown); code != 0 || err != nil || shown.Name != "work" || shown.Address != unitUser || !shown.PasswordStored {
		t.Errorf("show work --json = %d, %v: %s", code, err, stdout)
	}
	code, stdout, _ = a.run(t, "", "show", "ALICE@example.test")
	for _, want := range []string{"work\n", "  address ", unitUser, "  incoming ", url + "  user " + unitUser, "  outgoing ", "—", "  trusted certificate ", pin,
		"  password ", "in the keyring (service postino, user alice@example.test)", "  saved ", " UTC, changed ", "  file ", a.file()} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("show by address lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, _ = a.run(t, "", "list", "--lang", "it")
	if code != 0 || !strings.HasPrefix(stdout, "NOME  INDIRIZZO ") || !strings.Contains(stdout, "  IN ARRIVO ") {
		t.Errorf("list in Italian = %d %q", code, stdout)
	}
	code, stdout, _ = a.run(t, "", "show", "work", "--lang", "it")
	for _, want := range []string{"  indirizzo ", "  in arrivo ", "  in uscita ", "  certificato attendibile ", "nel portachiavi (servizio postino, utente alice@example.test)", "  salvato ", ", modificato "} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("show in Italian lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, _ = a.run(t, "", "list")
	if want := "NAME  ADDRESS" + strings.Repeat(" ", len(unitUser)-7) + "  INCOMING" + strings.Repeat(" ", len(url)-8) + "  OUTGOING  PASSWORD\n" +
		"work  " + unitUser + "  " + url + "  —         password in the keyring\n"; code != 0 || stdout != want {
		t.Errorf("list = %d %q, want %q", code, stdout, want)
	}

	// postino password prints it for other programs.
	code, stdout, stderr = a.run(t, "", "password", "work")
	if code != 0 || stdout != unitPassword+"\n" || stderr != "" {
		t.Errorf("password = %d, %q, %q", code, stdout, stderr)
	}

	// A wrong new password is not saved over the right one.
	code, _, stderr = a.run(t, unitWrong+"\n", "test", "work", "--password-stdin", "--save")
	if code != 1 || !strings.Contains(stderr, "Not saved") || a.keyring.Passwords[unitUser] != unitPassword {
		t.Errorf("a failing new password: %d %q, keyring %q", code, stderr, a.keyring.Passwords[unitUser])
	}

	code, stdout, stderr = a.run(t, "", "remove", "work")
	if code != 0 || stdout != "" || stderr != "Removed work and its password from the keyring.\n" {
		t.Errorf("remove = %d, %q, %q", code, stdout, stderr)
	}
	if _, ok := a.keyring.Passwords[unitUser]; ok {
		t.Errorf("the password is still in the keyring")
	}
	code, stdout, _ = a.run(t, "", "list")
	if code != 0 || stdout != "No saved accounts yet: postino test ADDRESS ... --save saves one.\n" {
		t.Errorf("list of nothing = %d, %q", code, stdout)
	}
	code, stdout, _ = a.run(t, "", "list", "--json")
	if code != 0 || stdout != "{\n  \"schema\": 1,\n  \"accounts\": []\n}\n" {
		t.Errorf("list --json of nothing = %d, %q", code, stdout)
	}
	if code, _, stderr := a.run(t, "", "remove", "work"); code != 1 || !strings.Contains(stderr, `No saved account is called "work"`) {
		t.Errorf("a second remove = %d, %q", code, stderr)
	}
}

func TestSaveWithoutPassword(t *testing.T) {
	a := newAccountsEnv(t)
	url, pin := startIMAPS(t)
	// No --password-stdin and no terminal: only the connection is tested.
	code, _, stderr := a.run(t, "", "test", unitUser, "--incoming", url, "--pin", pin, "--save", "--name", "home", "--lang", "it")
	if code != 0 || !strings.Contains(stderr, "Salvato home senza password") {
		t.Fatalf("test --save without a password = %d, %q", code, stderr)
	}
	if code, _, stderr := a.run(t, "", "password", "home"); code != 1 || !strings.Contains(stderr, "No password is stored for home; postino test home --password-stdin --save stores one.") {
		t.Errorf("password of an account without one = %d, %q", code, stderr)
	}
	if code, stdout, _ := a.run(t, "", "list"); code != 0 || !strings.HasSuffix(stdout, "no password stored\n") {
		t.Errorf("list = %d, %q", code, stdout)
	}
	// Giving one later stores it; the settings stay.
	code, _, stderr = a.run(t, unitPassword+"\n", "test", "home", "--password-stdin", "--save")
	if code != 0 || !strings.Contains(stderr, "Saved home; its password is in the keyring") || a.keyring.Passwords[unitUser] != unitPassword {
		t.Errorf("storing the password later = %d, %q", code, stderr)
	}
	if code, _, stderr := a.run(t, "", "remove", "home", "--lang", "it"); code != 0 || stderr != "Rimosso home insieme alla sua password nel portachiavi.\n" {
		t.Errorf("remove in Italian = %d, %q", code, stderr)
	}
	// An account whose password is gone from the keyring is removed all
	// the same, and postino says the password was already gone.
	for lang, want := range map[string]string{
		"en": "Removed alice@example.test; its password was already gone from the keyring.\n",
		"it": "Rimosso alice@example.test; la sua password non c'era già più nel portachiavi.\n",
	} {
		if code, _, stderr := a.run(t, "", "test", unitUser, "--incoming", url, "--pin", pin, "--save"); code != 0 {
			t.Fatalf("test --save = %d, %q", code, stderr)
		}
		if code, _, stderr := a.run(t, "", "remove", unitUser, "--lang", lang); code != 0 || stderr != want {
			t.Errorf("remove without a password = %d, %q; want %q", code, stderr, want)
		}
	}
}

func TestNewURLReplacesOneRole(t *testing.T) {
	a := newAccountsEnv(t)
	url, pin := startIMAPS(t)
	st := &store.Store{Dir: filepath.Join(a.config, "postino"), Keyring: a.keyring}
	old, _ := probe.ParseURL("imaps://old.example.test")
	out, _ := probe.ParseURL("smtps://smtp.example.test")
	earlier := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	saved := store.Account{Name: "alice", Address: unitUser, Incoming: []probe.Server{old}, Outgoing: []probe.Server{out},
		Provider: store.Provider{ID: "example", Name: "Example Mail"}, Source: "providers"}
	saved.Record([]probe.Result{
		{Role: probe.Incoming, Server: old, OK: true, Code: probe.CodeOK},
		{Role: probe.Outgoing, Server: out, OK: true, Code: probe.CodeOK},
	}, earlier)
	if _, err := st.Save(saved, unitPassword); err != nil {
		t.Fatal(err)
	}
	// Only the role given is tested and replaced; the stored password is
	// used.
	code, stdout, stderr := a.run(t, "", "test", "alice", "--incoming", url, "--pin", pin, "--save", "--json")
	if code != 0 || strings.Count(stdout, `"role"`) != 1 || !strings.Contains(stdout, `"logged_in": true`) {
		t.Fatalf("test alice --incoming = %d\n%s%s", code, stdout, stderr)
	}
	got, err := st.Find("alice")
	if err != nil || len(got.Incoming) != 1 || got.Incoming[0].String() != url || got.Incoming[0].Username != unitUser ||
		len(got.Outgoing) != 1 || got.Outgoing[0] != out || len(got.Pins) != 1 || got.Pins[0].String() != pin {
		t.Errorf("after replacing the incoming server: %+v, %v", got, err)
	}
	// The role given by hand makes the settings manual; the provider and
	// the other role's test stay.
	if got.Source != "manual" || got.Provider != saved.Provider || len(got.Tests) != 2 ||
		got.Tests[0].Server != got.Incoming[0] || !got.Tests[0].LoggedIn || !got.Tests[0].At.After(earlier) ||
		got.Tests[1].Server != out || !got.Tests[1].At.Equal(earlier) {
		t.Errorf("after replacing the incoming server: source %q, provider %+v, tests %+v", got.Source, got.Provider, got.Tests)
	}
}

// ipNote is what saving an account whose server is 127.0.0.1 adds.
const ipNote = "The server 127.0.0.1 is an IP address, not a name: other mail programs check that the certificate names the host they connect to, and most certificates carry only names (mbsync refuses an IP address outright). If the server has a name, use it.\n"

func TestKeyringUnavailableCLI(t *testing.T) {
	a := newAccountsEnv(t)
	url, pin := startIMAPS(t)
	a.keyring.Fail(noBus)
	code, _, stderr := a.run(t, unitPassword+"\n", "test", unitUser, "--incoming", url, "--pin", pin, "--password-stdin", "--save")
	if code != 3 || !strings.Contains(stderr, "there is no D-Bus session bus") || !strings.Contains(stderr, "saved as "+unitUser+" without the password") ||
		!strings.Contains(stderr, "postino test "+unitUser+" --password-stdin --save") || strings.Count(stderr, "\n") != 1 {
		t.Fatalf("test --save without a keyring = %d, %q", code, stderr)
	}
	// The settings that passed are kept, without the password.
	if got := a.find(t, unitUser); len(got.Incoming) != 1 || len(got.Tests) != 1 || !got.Tests[0].LoggedIn {
		t.Errorf("kept %+v, want the tested settings", got)
	}
	a.keyring.Fail(nil)
	if a.keyring.Count() != 0 {
		t.Error("a password was stored")
	}
	a.keyring.Fail(noBus)

	// Saved while the keyring worked, listed while it does not: the
	// accounts are shown, and the keyring's problem said.
	a.keyring.Fail(nil)
	if code, _, stderr := a.run(t, "", "test", unitUser, "--incoming", url, "--pin", pin, "--save"); code != 0 {
		t.Fatalf("test --save = %d, %q", code, stderr)
	}
	a.keyring.Fail(&store.UnavailableError{Reason: store.KeyringLocked, Err: errors.New("failed to unlock correct collection")})
	code, stdout, stderr := a.run(t, "", "list")
	if code != 3 || !strings.Contains(stdout, unitUser) || !strings.Contains(stdout, "keyring unavailable") || !strings.Contains(stderr, "it is locked") {
		t.Errorf("list without a keyring = %d, %q, %q", code, stdout, stderr)
	}
	code, stdout, stderr = a.run(t, "", "show", unitUser, "--json", "--lang", "it")
	if code != 3 || !strings.Contains(stdout, `"password_stored": false`) || !strings.Contains(stderr, "è bloccato") {
		t.Errorf("show --json without a keyring = %d, %q, %q", code, stdout, stderr)
	}
	for _, args := range [][]string{{"password", unitUser}, {"remove", unitUser}, {"test", unitUser}} {
		if code, stdout, stderr := a.run(t, "", args...); code != 3 || stdout != "" || !strings.Contains(stderr, "The keyring is unavailable") {
			t.Errorf("postino %v without a keyring = %d, %q, %q", args, code, stdout, stderr)
		}
	}
	if _, err := os.Stat(a.file()); err != nil {
		t.Errorf("remove without a keyring removed the file: %v", err)
	}
	a.keyring.Fail(&store.UnavailableError{Reason: store.KeyringFailed, Err: errors.New("Access denied")})
	if code, _, stderr := a.run(t, "", "password", unitUser); code != 3 || !strings.Contains(stderr, "The keyring is unavailable (Access denied)") {
		t.Errorf("password with a failing keyring = %d, %q", code, stderr)
	}
}

func TestDamagedAccountsFile(t *testing.T) {
	for _, tt := range []struct {
		content string
		want    string
	}{
		{"version: 1\naccounts:\n  - name: alice\n    colour: blue\n", "is damaged at line 4 (field colour not found"},
		{"version: 7\naccounts: []\n", "(line 1) has format version 7, written by a newer postino"},
	} {
		a := newAccountsEnv(t)
		os.MkdirAll(filepath.Dir(a.file()), 0o700)
		os.WriteFile(a.file(), []byte(tt.content), 0o600)
		for _, args := range [][]string{{"list"}, {"show", "alice"}, {"remove", "alice"}, {"password", "alice"}, {"test", unitUser, "--incoming", "imaps://127.0.0.1:1", "--save"}} {
			code, stdout, stderr := a.run(t, "", args...)
			if code != 3 || stdout != "" || !strings.Contains(stderr, a.file()) || !strings.Contains(stderr, tt.want) {
				t.Errorf("postino %v = %d, %q, %q; want 3 and %q", args, code, stdout, stderr, tt.want)
			}
		}
		if data, _ := os.ReadFile(a.file()); string(data) != tt.content {
			t.Errorf("the damaged file was changed to %q", data)
		}
	}
}

func TestNameTakenCLI(t *testing.T) {
	a := newAccountsEnv(t)
	url, pin := startIMAPS(t)
	st := &store.Store{Dir: filepath.Join(a.config, "postino"), Keyring: a.keyring}
	if _, err := st.SaveSettings(store.Account{Name: "work", Address: "bob@example.test"}); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := a.run(t, "", "test", unitUser, "--incoming", url, "--pin", pin, "--save", "--name", "work")
	if code != 2 || stdout != "" || stderr != "The name \"work\" already belongs to the account of bob@example.test: choose another with --name.\n" {
		t.Errorf("--name of another account = %d, %q, %q", code, stdout, stderr)
	}
}

func TestEveryKeyringReasonHasTexts(t *testing.T) {
	for r := store.NoSessionBus; r <= store.KeyringNoAnswer; r++ {
		tx, ok := keyringTexts[r]
		if !ok || tx.EN == tx.IT {
			t.Errorf("KeyringTexts[%d] = %+v, want a text translated into Italian (probe.TestEveryTextComplete checks both are there)", r, tx)
		}
	}
}
