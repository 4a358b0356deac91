package cli

import (
	"bufio"
	"context"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/ui"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/discover"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
	"github.com/postino/postino/wizard/signin"
	"github.com/postino/postino/wizard/store"
)

// testFlags are postino test's flags.
type testFlags struct {
	incoming, outgoing, pins, files listFlag
	username, caFile, name          string
	passwordStdin, allowCleartext   bool
	asJSON, debug, save             bool
	timeout                         time.Duration
	// timeoutGiven is set when --timeout was given: it then bounds the
	// sign-in's wait too, which otherwise lasts as long as its code.
	timeoutGiven bool
	auth         string
	noBrowser    bool
}

// testCommand is one postino test: what is tested, with what, and where
// the settings came from.
type testCommand struct {
	flags    testFlags
	address  string
	st       *store.Store
	saved    *store.Account   // the saved account named, if any
	detected *discover.Result // the detection, when no servers were given
	// provider is the address's provider: the detection's, else the one
	// its domain names in the providers files.
	provider *providers.Provider
	targets  []probe.Target
	// pins are --pin's fingerprints, read before anything is looked up.
	pins []probe.Pin
	opts *probe.Options
	// storedPassword is set when the password is the one in the keyring.
	storedPassword bool
	// token is the sign-in's, for the servers that sign in with OAuth2:
	// a new sign-in's, or a saved account's refreshed with its refresh
	// token (then refreshed is set, and any new refresh token is stored).
	token     signin.Token
	refreshed bool
	// forReport is a test for a report: it never asks for a password or
	// a new sign-in, and a keyring that cannot be read leaves the login
	// untested rather than stopping it.
	forReport bool
}

// test is postino test: live-test the servers given as URLs, or those of
// a saved account, and with --save keep them once they all work.
func (e *env) test(args []string) int {
	var c testCommand
	roots, code := c.parse(e, args)
	if code != exitOK {
		return code
	}
	if code := c.find(e, roots); code != exitOK {
		return code
	}
	if code := c.options(e, roots); code != exitOK {
		return code
	}
	results := probe.TestAll(e.ctx, c.targets, c.opts)
	testedAt := time.Now()
	if c.flags.asJSON {
		e.writeJSON(results)
	} else {
		ui.WriteReport(e.stdout, results, e.lang)
		c.repeatHints(e, results)
	}
	if !probe.Passed(results) {
		if c.flags.save {
			return e.say(exitFailed, textStoreNotSaved)
		}
		return exitFailed
	}
	if !c.flags.save {
		return exitOK
	}
	if !wizard.MayReceivePassword(c.detection(), false) {
		// Nothing was logged in to, and nothing unconfirmed is kept.
		return e.say(exitFailed, textUnconfirmedNotSaved)
	}
	if c.signsIn() {
		return c.saveSignedIn(e, c.account(results, testedAt))
	}
	return e.saveAccount(c.st, c.account(results, testedAt), c.opts.Password, c.storedPassword)
}

// parse reads the flags and the address, and the roots of --ca-file.
func (c *testCommand) parse(e *env, args []string) (*x509.CertPool, int) {
	f := &c.flags
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.Var(&f.incoming, "incoming", "incoming server URL (repeatable: fallbacks)")
	fs.Var(&f.outgoing, "outgoing", "outgoing server URL (repeatable: fallbacks)")
	fs.Var(&f.pins, "pin", "trust a certificate by its SHA-256 fingerprint")
	fs.StringVar(&f.username, "username", "", "user name (default: the address)")
	fs.BoolVar(&f.passwordStdin, "password-stdin", false, "read the password from standard input")
	fs.StringVar(&f.caFile, "ca-file", "", "PEM file of extra trusted roots")
	fs.BoolVar(&f.allowCleartext, "allow-cleartext", false, "permit a login without TLS")
	fs.DurationVar(&f.timeout, "timeout", probe.DefaultTimeout, "time allowed for each server")
	fs.BoolVar(&f.asJSON, "json", false, "machine output")
	fs.BoolVar(&f.debug, "debug", false, "print the conversation, secrets redacted, to stderr")
	fs.BoolVar(&f.save, "save", false, "save the account once every test passed")
	fs.StringVar(&f.name, "name", "", "the saved account's name (default: the address)")
	fs.Var(&f.files, "providers", "extra providers file (repeatable)")
	fs.StringVar(&f.auth, "auth", "", "password or oauth2 (default: what the provider needs)")
	fs.BoolVar(&f.noBrowser, "no-browser", false, "OAuth2: show the sign-in address, open nothing")
	fs.String("lang", "", "it or en")
	positional, err := e.parse(fs, args)
	if err != nil {
		return nil, e.flagError(err)
	}
	fs.Visit(func(fl *flag.Flag) { f.timeoutGiven = f.timeoutGiven || fl.Name == "timeout" })
	if f.auth != "" && f.auth != string(probe.AuthPassword) && f.auth != string(probe.AuthOAuth2) {
		return nil, e.say(exitUsage, textBadFlag, "--auth takes password or oauth2")
	}
	if len(positional) != 1 {
		return nil, e.say(exitUsage, textWantTarget, "test")
	}
	if f.name != "" && !f.save {
		return nil, e.say(exitUsage, textBadFlag, "--name goes with --save")
	}
	if f.timeout <= 0 {
		return nil, e.say(exitUsage, textBadFlag, "--timeout must be positive")
	}
	if probe.HasControl(f.username) {
		return nil, e.say(exitUsage, textUsernameControl, f.username)
	}
	if f.name != "" && store.CheckName(f.name) != nil {
		return nil, e.say(exitUsage, textStoreBadName, f.name)
	}
	for _, p := range f.pins {
		pin, err := probe.ParsePin(p)
		if err != nil {
			return nil, e.say(exitUsage, textBadPin, p)
		}
		c.pins = append(c.pins, pin)
	}
	c.address = positional[0]
	if f.caFile == "" {
		return nil, exitOK
	}
	return e.caPool(f.caFile)
}

// find decides what to test: the servers given, else the saved account's,
// else those detected for the address.
func (c *testCommand) find(e *env, roots *x509.CertPool) int {
	f := &c.flags
	var code int
	c.st, c.saved, code = e.savedAccount(c.address, f.save)
	if code != exitOK {
		return code
	}
	if c.saved != nil {
		c.address = c.saved.Address
	} else {
		addr, code := e.address(c.address)
		if code != exitOK {
			return code
		}
		db, code := e.catalog(f.files)
		if code != exitOK {
			return code
		}
		c.provider, _ = db.ByDomain(addr.ASCIIDomain)
		if len(f.incoming) == 0 && len(f.outgoing) == 0 {
			if c.detected, _, code = e.discover(addr, &discover.Config{Catalog: db, RootCAs: roots, SystemRoots: true}); c.detected == nil {
				return code
			}
			if c.detected.Provider != nil {
				c.provider = c.detected.Provider
			}
		}
	}
	c.targets, code = e.targets(f.incoming, f.outgoing, c.saved, c.detected, f.username)
	if code != exitOK {
		return code
	}
	c.chooseAuth()
	if len(c.targets) == 0 {
		return e.say(exitFailed, textDetectNone, c.address)
	}
	if f.save && f.name != "" {
		if other, err := c.st.Find(f.name); err == nil && !strings.EqualFold(other.Address, c.address) {
			return e.say(exitUsage, textStoreNameTaken, f.name, other.Address)
		}
	}
	return exitOK
}

// options are the probe's options: user name, pins, roots and the password
// (the one in the keyring for a saved account, else read), which settings
// nobody confirmed do not get.
func (c *testCommand) options(e *env, roots *x509.CertPool) int {
	f := &c.flags
	c.opts = &probe.Options{Username: f.username, AllowCleartext: f.allowCleartext, Timeout: f.timeout, RootCAs: roots, SystemRoots: true}
	if c.opts.Username == "" {
		c.opts.Username = c.address
	}
	if c.saved != nil {
		c.opts.Pins = append(c.opts.Pins, c.saved.Pins...)
	}
	c.opts.Pins = append(c.opts.Pins, c.pins...)
	if c.signsIn() {
		code := c.signIn(e, roots)
		if code != exitOK || !c.needsPassword() {
			return code
		}
	}
	var err error
	if c.saved != nil && !f.passwordStdin {
		c.opts.Password, err = c.st.Password(*c.saved)
		switch {
		case err == nil:
			c.storedPassword = true
		case c.forReport && !errors.Is(err, store.ErrNoPassword):
			e.storeFailed(c.st, err)
		case !errors.Is(err, store.ErrNoPassword):
			return e.storeFailed(c.st, err)
		}
	}
	if !c.storedPassword && (f.passwordStdin || !c.forReport) {
		if c.opts.Password, err = e.password(f.passwordStdin, c.address); err != nil {
			return exitUsage
		}
	}
	if c.opts.Password != "" && !wizard.MayReceivePassword(c.detection(), false) {
		c.opts.Password = ""
		e.say(exitOK, textTestUnconfirmed)
	}
	if f.allowCleartext {
		for _, t := range c.targets {
			for _, s := range t.Servers {
				if s.Security == probe.None {
					e.say(exitOK, textCleartextWarn, s.Address())
				}
			}
		}
	}
	if f.debug {
		c.opts.Trace = e.stderr
	}
	return exitOK
}

// repeatHints says the provider's advice again when a password was refused
// by a provider that takes only app passwords: it says how to make one.
func (c *testCommand) repeatHints(e *env, results []probe.Result) {
	if c.detected == nil || len(c.detected.Hints) == 0 {
		return
	}
	for _, r := range results {
		if r.Code == probe.CodeAuthFailed && r.Server.Auth == probe.AuthAppPassword {
			fmt.Fprintln(e.stdout, textProviderSays.In(e.lang))
			for _, h := range c.detected.Hints {
				fmt.Fprintln(e.stdout, "  - "+h.In(e.lang))
			}
			return
		}
	}
}

// chooseAuth sets how each server logs in: as --auth says, else servers
// given as URLs as the address's provider needs (the detected and saved
// ones carry their own).
func (c *testCommand) chooseAuth() {
	auth := probe.Auth(c.flags.auth)
	given := len(c.flags.incoming) > 0 || len(c.flags.outgoing) > 0
	if auth == "" && given && c.provider != nil && c.provider.Auth == probe.AuthOAuth2 {
		auth = probe.AuthOAuth2
	}
	if auth == "" {
		return
	}
	for i := range c.targets {
		for j := range c.targets[i].Servers {
			c.targets[i].Servers[j].Auth = auth
		}
	}
}

// signsIn reports whether a server logs in with OAuth2.
func (c *testCommand) signsIn() bool {
	return c.countAuth(probe.AuthOAuth2) > 0
}

// needsPassword reports whether a server logs in with a password.
func (c *testCommand) needsPassword() bool {
	n := 0
	for _, t := range c.targets {
		n += len(t.Servers)
	}
	return c.countAuth(probe.AuthOAuth2) < n
}

func (c *testCommand) countAuth(a probe.Auth) int {
	n := 0
	for _, t := range c.targets {
		for _, s := range t.Servers {
			if s.Auth == a {
				n++
			}
		}
	}
	return n
}

// signIn gets the access token for the servers that sign in with OAuth2,
// unless nobody confirmed the settings: those get no credential at all. A
// saved account with its sign-in settings is refreshed, with no prompt.
func (c *testCommand) signIn(e *env, roots *x509.CertPool) int {
	if !wizard.MayReceivePassword(c.detection(), false) {
		return exitOK
	}
	ctx := e.ctx
	if c.flags.timeoutGiven {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.flags.timeout)
		defer cancel()
	}
	var code int
	switch {
	case c.saved != nil && c.saved.OAuth2 != nil:
		c.token, code = e.refresh(ctx, c.st, *c.saved)
		c.refreshed = true
		if c.forReport && code != exitInterrupted {
			// Said on stderr; the report tests without a login.
			code = exitOK
		}
	case c.forReport:
		// A report signs in only with what postino holds.
		return exitOK
	default:
		c.token, code = e.signIn(ctx, c.provider, roots, c.flags.noBrowser)
	}
	c.opts.AccessToken = c.token.AccessToken
	return code
}

// saveSignedIn saves a, whose servers sign in with OAuth2, once its tests
// passed: with the new sign-in's refresh token, or keeping the one stored
// (already rotated by the refresh); a password typed for the other
// servers is stored after it.
func (c *testCommand) saveSignedIn(e *env, a store.Account) int {
	st := c.st
	if a.OAuth2 == nil {
		return e.say(exitFailed, textSignInUnknown)
	}
	var (
		saved store.Account
		err   error
		code  int
	)
	switch {
	case c.refreshed:
		saved, err = st.SaveSettings(a)
		if err == nil {
			code = e.say(exitOK, textStoreSavedKeptSignIn, saved.Name)
		}
	case c.token.RefreshToken == "":
		saved, err = st.SaveSettings(a)
		if err == nil {
			code = e.say(exitOK, textStoreSavedNoRefresh, saved.Name, saved.Name)
		}
	default:
		saved, err = st.SaveSignIn(a, c.token.RefreshToken)
		var ue *store.UnavailableError
		if errors.As(err, &ue) {
			if saved, serr := st.SaveSettings(a); serr == nil {
				e.storeFailed(st, err)
				return e.say(exitSystem, textStoreSavedSignInDown, saved.Name, saved.Name)
			}
		}
		if err == nil {
			code = e.say(exitOK, textStoreSavedSignIn, saved.Name, store.Service, store.RefreshKey(saved.Address))
		}
	}
	if err != nil {
		return e.storeFailed(st, err)
	}
	if c.needsPassword() && c.opts.Password != "" && !c.storedPassword {
		return e.saveAccount(st, saved, c.opts.Password, false)
	}
	return code
}

// detection is what detection found, as the flow's rules take it; nil
// when the servers were given or saved.
func (c *testCommand) detection() *mailbox.Detection {
	if c.detected == nil {
		return nil
	}
	d := c.detected.Detection()
	return &d
}

// account is what --save keeps once results passed: the servers tested,
// where they came from, and the tests; the roles not tested keep their
// saved tests.
func (c *testCommand) account(results []probe.Result, testedAt time.Time) store.Account {
	a := store.Account{Name: c.flags.name, Address: c.address, Pins: c.opts.Pins}
	if c.saved != nil {
		a.Incoming, a.Outgoing, a.Tests, a.OAuth2 = c.saved.Incoming, c.saved.Outgoing, c.saved.Tests, c.saved.OAuth2
		if a.Name == "" {
			// Of two accounts kept with one address, the one named.
			a.Name = c.saved.Name
		}
		a.DisplayName = c.saved.DisplayName
	}
	origin := c.origin()
	for _, t := range c.targets {
		servers := savedServers(t.Servers, results, t.Role, c.opts.Username)
		if t.Role == probe.Incoming {
			a.Incoming = servers
		} else {
			a.Outgoing = servers
		}
	}
	if a.OAuth2 == nil && c.signsIn() && c.provider != nil && c.provider.OAuth2 != nil {
		a.OAuth2 = wizard.AccountOAuth2(c.provider.OAuth2)
	}
	return wizard.SavedAccount(a, origin, results, testedAt)
}

// origin is where the settings tested came from: the saved account's, the
// detection's, or the person's when given as URLs.
func (c *testCommand) origin() wizard.Origin {
	var origin wizard.Origin
	switch {
	case c.saved != nil:
		origin = wizard.Origin{Source: mailbox.Source(c.saved.Source), Provider: c.saved.Provider}
	case c.detected != nil:
		origin = wizard.DetectedOrigin(*c.detection())
	}
	if len(c.flags.incoming) > 0 || len(c.flags.outgoing) > 0 {
		origin = origin.Given()
	}
	return origin
}

// savedAccount is the saved account that name names, if there is one and
// postino can tell where accounts are kept; with --save it must be able
// to.
func (e *env) savedAccount(name string, save bool) (*store.Store, *store.Account, int) {
	st, err := e.store()
	if err != nil {
		if save {
			return nil, nil, e.storeFailed(st, err)
		}
		return nil, nil, exitOK
	}
	a, err := st.Find(name)
	switch {
	case err == nil:
		return st, &a, exitOK
	case errors.Is(err, store.ErrNoAccount):
		return st, nil, exitOK
	}
	return nil, nil, e.storeFailed(st, err)
}

// saveAccount saves a after its tests passed, with password unless it is
// the one already stored or there is none, and says so.
func (e *env) saveAccount(st *store.Store, a store.Account, password string, storedPassword bool) int {
	code := e.keep(st, a, password, storedPassword)
	if code == exitOK {
		for _, note := range wizard.IPHostNotes(a, e.lang) {
			fmt.Fprintln(e.stderr, note)
		}
	}
	return code
}

// keep saves a, and its password unless storedPassword says the keyring
// holds it already, and says what it did.
func (e *env) keep(st *store.Store, a store.Account, password string, storedPassword bool) int {
	var err error
	switch {
	case password == "":
		a, err = st.SaveSettings(a)
		if err == nil {
			return e.say(exitOK, textStoreSavedWithoutPassword, a.Name, a.Name)
		}
	case storedPassword:
		a, err = st.SaveSettings(a)
		if err == nil {
			return e.say(exitOK, textStoreSavedKeptPassword, a.Name)
		}
	default:
		var saved store.Account
		saved, err = st.Save(a, password)
		if err == nil {
			return e.say(exitOK, textStoreSaved, saved.Name, store.Service, saved.Address)
		}
		// Settings that passed are not lost to a keyring that is not
		// there: they are kept, and the person told how to add the
		// password once it works.
		var ue *store.UnavailableError
		if errors.As(err, &ue) {
			if saved, serr := st.SaveSettings(a); serr == nil {
				why := textKeyringFailed.In(e.lang, ue.Err)
				if ue.Reason != store.KeyringFailed {
					why = keyringTexts[ue.Reason].In(e.lang)
				}
				return e.say(exitSystem, textStoreSavedKeyringDown, why, saved.Name, saved.Name)
			}
		}
	}
	return e.storeFailed(st, err)
}

// server parses one --incoming or --outgoing URL.
func (e *env) server(raw string, role probe.Role) (probe.Server, int) {
	s, err := probe.ParseURL(raw)
	var ue *probe.URLError
	if errors.As(err, &ue) {
		return s, e.say(exitUsage, urlTexts[ue.Problem], ue.URL)
	}
	if s.Incoming() != (role == probe.Incoming) {
		want := "IMAP/POP3"
		if role == probe.Outgoing {
			want = "SMTP"
		}
		return s, e.say(exitUsage, textWrongRole, raw, strings.ToUpper(string(s.Protocol)), role, want)
	}
	return s, exitOK
}

// caPool is the roots in file, which vouch besides the system's
// (probe.Options.SystemRoots): those are loaded only when a certificate
// needs them, off the path of a server the file's roots vouch for.
func (e *env) caPool(file string) (*x509.CertPool, int) {
	pool := x509.NewCertPool()
	if err := probe.AppendRoots(pool, file); errors.Is(err, probe.ErrNoCertificates) {
		return nil, e.say(exitUsage, textNoCertsInCAFile, file)
	} else if err != nil {
		return nil, e.say(exitUsage, textBadCAFile, file, err)
	}
	return pool, exitOK
}

// password reads the password: the first line of standard input with
// --password-stdin, else a hidden prompt when there is a terminal, else
// none (connection and TLS are tested, not the login). A password that
// wizard.CheckPassword refuses is said in one sentence, never cut.
func (e *env) password(fromStdin bool, address string) (string, error) {
	var pw string
	if fromStdin {
		// Room for the longest password, its line break, and one byte
		// more to tell a longer one.
		line, err := bufio.NewReaderSize(io.LimitReader(e.stdin, wizard.MaxPassword+3), wizard.MaxPassword+3).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			e.say(exitUsage, textPasswordStdin, err)
			return "", err
		}
		pw = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	} else {
		f, ok := e.stdin.(*os.File)
		if !ok || !term.IsTerminal(int(f.Fd())) {
			return "", nil
		}
		fmt.Fprint(e.stderr, textPasswordPrompt.In(e.lang, address))
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			e.say(exitUsage, textPasswordStdin, err)
			return "", err
		}
		if len(b) == 0 {
			return "", nil // enter alone: connection and TLS only
		}
		pw = string(b)
	}
	if err := wizard.CheckPassword(pw); err != nil {
		e.say(exitUsage, passwordProblems[err])
		return "", err
	}
	return pw, nil
}

// testReport is the JSON of postino test.
type testReport struct {
	Schema  int            `json:"schema"`
	OK      bool           `json:"ok"`
	Results []probe.Result `json:"results"`
}

func (e *env) writeJSON(results []probe.Result) {
	for i := range results {
		x := probe.Explain(results[i], results, e.lang)
		results[i].Message = x.Summary()
		results[i].Advice = x.Fix
	}
	e.printJSON(testReport{Schema: jsonSchema, OK: probe.Passed(results), Results: results})
}

// targets are the servers to test for each role: the URLs given, else the
// saved account's servers, else the detected ones. With URLs for one role
// only, only that role is tested.
func (e *env) targets(incoming, outgoing []string, saved *store.Account, detected *discover.Result, username string) ([]probe.Target, int) {
	var targets []probe.Target
	for _, role := range []struct {
		role     probe.Role
		urls     []string
		saved    func(store.Account) []probe.Server
		detected func(*discover.Result) []probe.Server
	}{
		{probe.Incoming, incoming, func(a store.Account) []probe.Server { return a.Incoming }, func(r *discover.Result) []probe.Server { return r.Incoming }},
		{probe.Outgoing, outgoing, func(a store.Account) []probe.Server { return a.Outgoing }, func(r *discover.Result) []probe.Server { return r.Outgoing }},
	} {
		t := probe.Target{Role: role.role}
		for _, raw := range role.urls {
			s, code := e.server(raw, role.role)
			if code != exitOK {
				return nil, code
			}
			t.Servers = append(t.Servers, s)
		}
		// A saved account is tested with its own servers, an address with
		// those detected for it, unless URLs were given: then only the
		// roles given are tested.
		var known []probe.Server
		switch {
		case saved != nil && len(incoming) == 0 && len(outgoing) == 0:
			known = role.saved(*saved)
		case detected != nil:
			known = role.detected(detected)
		}
		for _, s := range known {
			if username != "" {
				s.Username = username
			}
			t.Servers = append(t.Servers, s)
		}
		if len(t.Servers) > 0 {
			targets = append(targets, t)
		}
	}
	return targets, exitOK
}

// Sentences of postino test.
var (
	textProviderSays           = probe.Text{EN: "Your provider's advice:", IT: "Il consiglio del tuo provider:"}
	textUsernameControl        = probe.Text{EN: "--username %q has control characters (such as a line break), which postino never sends to a server.", IT: "--username %q contiene caratteri di controllo (come un a capo), che postino non invia mai a un server."}
	textBadCAFile              = probe.Text{EN: "Cannot use --ca-file %s: %s.", IT: "Impossibile usare --ca-file %s: %s."}
	textBadPin                 = probe.Text{EN: "%q is not a SHA-256 fingerprint: give sha256: and 64 hex digits.", IT: "%q non è un'impronta SHA-256: indica sha256: e 64 cifre esadecimali."}
	textCleartextWarn          = probe.Text{EN: "Warning: --allow-cleartext lets the password travel unencrypted to %s.", IT: "Attenzione: --allow-cleartext fa viaggiare la password senza cifratura verso %s."}
	textNoCertsInCAFile        = probe.Text{EN: "Cannot use --ca-file %s: it holds no PEM certificate.", IT: "Impossibile usare --ca-file %s: non contiene certificati PEM."}
	textPasswordPrompt         = probe.Text{EN: "Password for %s (not shown): ", IT: "Password per %s (non viene mostrata): "}
	textPasswordStdin          = probe.Text{EN: "Cannot read the password from standard input: %s.", IT: "Impossibile leggere la password dallo standard input: %s."}
	textStoreBadName           = probe.Text{EN: "%q cannot be an account's name: use letters, digits and punctuation, not starting with - and without spaces around it.", IT: "%q non può essere il nome di un account: usa lettere, cifre e punteggiatura, senza iniziare con - e senza spazi attorno."}
	textStoreNotSaved          = probe.Text{EN: "Not saved: some settings do not work; fix them and test again.", IT: "Non salvato: alcune impostazioni non funzionano; correggile e riprova."}
	textStoreSaved             = probe.Text{EN: "Saved %s; its password is in the keyring (service %s, user %s).", IT: "Salvato %s; la sua password è nel portachiavi (servizio %s, utente %s)."}
	textStoreSavedKeptPassword = probe.Text{EN: "Saved %s; its password in the keyring is unchanged.", IT: "Salvato %s; la sua password nel portachiavi non è cambiata."}
	textTestUnconfirmed        = probe.Text{EN: "The settings found are not confirmed, so postino tested them without your password; to test the login, give them with --incoming and --outgoing.", IT: "Le impostazioni trovate non sono confermate, quindi postino le ha provate senza la tua password; per provare l'accesso, indicale con --incoming e --outgoing."}
	textUnconfirmedNotSaved    = probe.Text{EN: "Not saved: the settings found are not confirmed; give them with --incoming and --outgoing to test the login and save them.", IT: "Non salvato: le impostazioni trovate non sono confermate; indicale con --incoming e --outgoing per provare l'accesso e salvarle."}
	textWrongRole              = probe.Text{EN: "%s speaks %s, but --%s needs %s.", IT: "%s è un server %s, ma --%s richiede %s."}
)

var textStoreSavedKeyringDown = probe.Text{
	EN: "%s The settings are saved as %s without the password; once the keyring works, postino test %s --password-stdin --save stores it.",
	IT: "%s Le impostazioni sono salvate come %s senza la password; quando il portachiavi funziona, postino test %s --password-stdin --save la salva.",
}

var textStoreSavedWithoutPassword = probe.Text{
	EN: "Saved %s without a password: none was given, so the login was not tested; postino test %s --password-stdin --save stores one.",
	IT: "Salvato %s senza password: non ne è stata data una, quindi l'accesso non è stato provato; postino test %s --password-stdin --save ne salva una.",
}

// urlTexts explain each way a server URL can be wrong.
var urlTexts = map[probe.URLProblem]probe.Text{
	probe.URLMalformed:     {EN: "%q is not a server URL like imaps://mail.example.com:993.", IT: "%q non è un URL di server come imaps://mail.example.com:993."},
	probe.URLUnknownScheme: {EN: "%q has an unknown scheme: use imaps, imap, imap+insecure, pop3s, pop3, pop3+insecure, smtps, smtp or smtp+insecure.", IT: "%q ha uno schema sconosciuto: usa imaps, imap, imap+insecure, pop3s, pop3, pop3+insecure, smtps, smtp o smtp+insecure."},
	probe.URLHasPassword:   {EN: "%q contains a password: never put one on the command line, use --password-stdin.", IT: "%q contiene una password: non metterla mai sulla riga di comando, usa --password-stdin."},
	probe.URLHasPath:       {EN: "%q has a path or query: give only scheme://host:port.", IT: "%q ha un percorso o una query: indica solo schema://host:porta."},
	probe.URLBadPort:       {EN: "%q has a bad port: a port is a number from 1 to 65535.", IT: "%q ha una porta non valida: una porta è un numero da 1 a 65535."},
	probe.URLControl:       {EN: "%q has control characters (such as a line break) in its host or user name: postino sends neither.", IT: "%q ha caratteri di controllo (come un a capo) nel nome del server o nel nome utente: postino non li invia."},
}

// passwordProblems say why wizard.CheckPassword refused the password.
var passwordProblems = map[error]probe.Text{
	wizard.ErrEmptyPassword:   {EN: "The password read from standard input is empty.", IT: "La password letta dallo standard input è vuota."},
	wizard.ErrPasswordTooLong: {EN: "The password is longer than 4096 bytes; postino does not cut it: check what is given on standard input.", IT: "La password supera i 4096 byte; postino non la accorcia: controlla cosa arriva sullo standard input."},
	wizard.ErrPasswordControl: {EN: "The password contains a NUL byte or a line break, which cannot be sent to a mail server.", IT: "La password contiene un byte NUL o un a capo, che non si possono inviare a un server di posta."},
}
