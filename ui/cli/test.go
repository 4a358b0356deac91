package cli

import (
	"bufio"
	"crypto/x509"
	"encoding/json"
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
	"github.com/postino/postino/wizard/discover"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/store"
)

// test is postino test: live-test the servers given as URLs, or those of
// a saved account, and with --save keep them once they all work.
func (e *env) test(args []string) int {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	var incoming, outgoing, pins listFlag
	fs.Var(&incoming, "incoming", "incoming server URL (repeatable: fallbacks)")
	fs.Var(&outgoing, "outgoing", "outgoing server URL (repeatable: fallbacks)")
	fs.Var(&pins, "pin", "trust a certificate by its SHA-256 fingerprint")
	username := fs.String("username", "", "user name (default: the address)")
	passwordStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	caFile := fs.String("ca-file", "", "PEM file of extra trusted roots")
	allowCleartext := fs.Bool("allow-cleartext", false, "permit a login without TLS")
	timeout := fs.Duration("timeout", probe.DefaultTimeout, "time allowed for each server")
	asJSON := fs.Bool("json", false, "machine output")
	debug := fs.Bool("debug", false, "print the conversation, secrets redacted, to stderr")
	save := fs.Bool("save", false, "save the account once every test passed")
	name := fs.String("name", "", "the saved account's name (default: the address)")
	var files listFlag
	fs.Var(&files, "providers", "extra providers file (repeatable)")
	fs.String("lang", "", "it or en")
	positional, err := parse(fs, args)
	if err != nil {
		return e.say(exitUsage, ui.TextBadFlag, err)
	}
	if len(positional) != 1 {
		return e.say(exitUsage, ui.TextWantAddress, "test")
	}
	if *name != "" && !*save {
		return e.say(exitUsage, ui.TextBadFlag, "--name goes with --save")
	}
	if *timeout <= 0 {
		return e.say(exitUsage, ui.TextBadFlag, "--timeout must be positive")
	}
	if *name != "" && store.CheckName(*name) != nil {
		return e.say(exitUsage, ui.TextStoreBadName, *name)
	}
	var roots *x509.CertPool
	if *caFile != "" {
		pool, code := e.caPool(*caFile)
		if code != exitOK {
			return code
		}
		roots = pool
	}
	st, saved, code := e.savedAccount(positional[0], *save)
	if code != exitOK {
		return code
	}
	address := positional[0]
	var detected *discover.Result
	if saved != nil {
		address = saved.Address
	} else {
		addr, code := e.address(address)
		if code != exitOK {
			return code
		}
		if len(incoming) == 0 && len(outgoing) == 0 {
			db, code := e.catalog(files)
			if code != exitOK {
				return code
			}
			if detected, code = e.discover(addr, &discover.Config{Catalog: db, RootCAs: roots}); detected == nil {
				return code
			}
		}
	}
	targets, code := e.targets(incoming, outgoing, saved, detected, *username)
	if code != exitOK {
		return code
	}
	if len(targets) == 0 {
		return e.say(exitFailed, ui.TextDetectNone, address)
	}
	if *save && *name != "" {
		if other, err := st.Find(*name); err == nil && !strings.EqualFold(other.Address, address) {
			return e.say(exitUsage, ui.TextStoreNameTaken, *name, other.Address)
		}
	}
	opts := &probe.Options{Username: *username, AllowCleartext: *allowCleartext, Timeout: *timeout}
	if opts.Username == "" {
		opts.Username = address
	}
	opts.RootCAs = roots
	if saved != nil {
		opts.Pins = append(opts.Pins, saved.Pins...)
	}
	for _, p := range pins {
		pin, err := probe.ParsePin(p)
		if err != nil {
			return e.say(exitUsage, ui.TextBadPin, p)
		}
		opts.Pins = append(opts.Pins, pin)
	}
	storedPassword := false
	if saved != nil && !*passwordStdin {
		opts.Password, err = st.Password(*saved)
		switch {
		case err == nil:
			storedPassword = true
		case !errors.Is(err, store.ErrNoPassword):
			return e.storeFailed(st, err)
		}
	}
	if !storedPassword {
		if opts.Password, err = e.password(*passwordStdin, address); err != nil {
			return exitUsage
		}
	}
	if detected != nil && !detected.Trusted && opts.Password != "" {
		// Settings anyone on the network could have planted get no
		// password until the person confirms them by giving them as URLs.
		opts.Password = ""
		e.say(exitOK, ui.TextTestUnconfirmed)
	}
	if *allowCleartext {
		for _, t := range targets {
			for _, s := range t.Servers {
				if s.Security == probe.None {
					e.say(exitOK, ui.TextCleartextWarn, s.Address())
				}
			}
		}
	}
	if *debug {
		opts.Trace = e.stderr
	}

	results := probe.TestAll(e.ctx, targets, opts)
	testedAt := time.Now()
	if *asJSON {
		e.writeJSON(results)
	} else {
		ui.WriteReport(e.stdout, results, e.lang)
	}
	if !probe.Passed(results) {
		if *save {
			return e.say(exitFailed, ui.TextStoreNotSaved)
		}
		return exitFailed
	}
	if !*save {
		return exitOK
	}
	if detected != nil && !detected.Trusted {
		// Nothing was logged in to, and nothing unconfirmed is kept.
		return e.say(exitFailed, ui.TextUnconfirmedNotSaved)
	}
	a := store.Account{Name: *name, Address: address, Pins: opts.Pins}
	switch {
	case saved != nil:
		a.Incoming, a.Outgoing = saved.Incoming, saved.Outgoing
		a.Provider, a.Source, a.Tests = saved.Provider, saved.Source, saved.Tests
	case detected != nil:
		a.Source = string(detected.Source)
		if p := detected.Provider; p != nil {
			a.Provider = store.Provider{ID: p.ID, Name: p.Name}
		}
	}
	if len(incoming) > 0 || len(outgoing) > 0 {
		a.Source = string(mailbox.SourceManual)
	}
	for _, t := range targets {
		servers := savedServers(t.Servers, results, t.Role, opts.Username)
		if t.Role == probe.Incoming {
			a.Incoming = servers
		} else {
			a.Outgoing = servers
		}
	}
	// The roles not tested keep their saved tests.
	a.Record(results, testedAt)
	return e.saveAccount(st, a, opts.Password, storedPassword)
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
	var err error
	switch {
	case password == "":
		a, err = st.SaveSettings(a)
		if err == nil {
			return e.say(exitOK, ui.TextStoreSavedWithoutPassword, a.Name, a.Name)
		}
	case storedPassword:
		a, err = st.SaveSettings(a)
		if err == nil {
			return e.say(exitOK, ui.TextStoreSavedKeptPassword, a.Name)
		}
	default:
		a, err = st.Save(a, password)
		if err == nil {
			return e.say(exitOK, ui.TextStoreSaved, a.Name, store.Service, a.Address)
		}
	}
	return e.storeFailed(st, err)
}

// server parses one --incoming or --outgoing URL.
func (e *env) server(raw string, role probe.Role) (probe.Server, int) {
	s, err := probe.ParseURL(raw)
	var ue *probe.URLError
	if errors.As(err, &ue) {
		return s, e.say(exitUsage, ui.URLTexts[ue.Problem], ue.URL)
	}
	if s.Incoming() != (role == probe.Incoming) {
		want := "IMAP/POP3"
		if role == probe.Outgoing {
			want = "SMTP"
		}
		return s, e.say(exitUsage, ui.TextWrongRole, raw, strings.ToUpper(string(s.Protocol)), role, want)
	}
	return s, exitOK
}

// caPool is the system's roots plus those in file.
func (e *env) caPool(file string) (*x509.CertPool, int) {
	pem, err := os.ReadFile(file)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, e.say(exitUsage, ui.TextBadCAFile, file, err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, e.say(exitUsage, ui.TextNoCertsInCAFile, file)
	}
	return pool, exitOK
}

// maxPassword bounds what is read as a password.
const maxPassword = 4096

// password reads the password: the first line of standard input with
// --password-stdin, else a hidden prompt when there is a terminal, else
// none (connection and TLS are tested, not the login).
func (e *env) password(fromStdin bool, address string) (string, error) {
	if fromStdin {
		line, err := bufio.NewReaderSize(io.LimitReader(e.stdin, maxPassword), maxPassword).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			e.say(exitUsage, ui.TextPasswordStdin, err)
			return "", err
		}
		pw := strings.TrimRight(line, "\r\n")
		if pw == "" {
			e.say(exitUsage, ui.TextEmptyPassword)
			return "", errors.New("empty password")
		}
		return pw, nil
	}
	f, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", nil
	}
	fmt.Fprint(e.stderr, ui.TextPasswordPrompt.In(e.lang, address))
	pw, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(e.stderr)
	if err != nil {
		e.say(exitUsage, ui.TextPasswordStdin, err)
		return "", err
	}
	return string(pw), nil
}

// testReport is the JSON of postino test.
type testReport struct {
	OK      bool           `json:"ok"`
	Results []probe.Result `json:"results"`
}

func (e *env) writeJSON(results []probe.Result) {
	for i := range results {
		x := probe.Explain(results[i], results, e.lang)
		results[i].Message = x.Summary()
		results[i].Advice = x.Fix
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	enc.Encode(testReport{OK: probe.Passed(results), Results: results})
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
