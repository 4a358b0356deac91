package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"runtime"
	"text/tabwriter"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/ui"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/store"
)

// store is the saved accounts of the user postino runs for: in the
// configuration directory that the environment names.
func (e *env) store() (*store.Store, error) {
	dir, err := store.DefaultDir(runtime.GOOS, e.getenv)
	if err != nil {
		return nil, err
	}
	return &store.Store{Dir: dir, Keyring: e.keyring}, nil
}

// storeFailed says in one sentence why the saved accounts or the keyring
// could not be used, and returns the exit code.
func (e *env) storeFailed(st *store.Store, err error) int {
	dir := ""
	if st != nil {
		dir = st.Dir
	}
	var fe *store.FileError
	var nt *store.NameTakenError
	var ue *store.UnavailableError
	switch {
	case errors.As(err, &fe) && fe.Newer():
		return e.say(exitSystem, ui.TextStoreNewer, fe.Path, fe.Line, fe.Version)
	case errors.As(err, &fe):
		return e.say(exitSystem, ui.TextStoreDamaged, fe.Path, fe.Line, fe.Detail)
	case errors.As(err, &nt):
		return e.say(exitUsage, ui.TextStoreNameTaken, nt.Name, nt.Address)
	case errors.Is(err, store.ErrNoConfigDir):
		return e.say(exitSystem, ui.TextStoreNoConfigDir)
	case errors.Is(err, store.ErrBusy):
		return e.say(exitSystem, ui.TextStoreBusy, dir)
	case errors.As(err, &ue) && ue.Reason == store.KeyringFailed:
		return e.say(exitSystem, ui.TextKeyringFailed, ue.Err)
	case errors.As(err, &ue):
		return e.say(exitSystem, ui.KeyringTexts[ue.Reason])
	}
	return e.say(exitSystem, ui.TextStoreFailed, dir, err)
}

// account finds the saved account that name names.
func (e *env) account(name string) (*store.Store, store.Account, int) {
	st, err := e.store()
	if err != nil {
		return nil, store.Account{}, e.storeFailed(st, err)
	}
	a, err := st.Find(name)
	if errors.Is(err, store.ErrNoAccount) {
		return nil, a, e.say(exitFailed, ui.TextStoreNoAccount, name)
	}
	if err != nil {
		return nil, a, e.storeFailed(st, err)
	}
	return st, a, exitOK
}

// accountArgs parses the flags of list, show, remove and password, and
// wants names positional arguments.
func (e *env) accountArgs(command string, args []string, names int) (positional []string, asJSON bool, code int) {
	fs := flag.NewFlagSet(command, flag.ContinueOnError)
	jsonFlag := new(bool)
	if command == "list" || command == "show" {
		fs.BoolVar(jsonFlag, "json", false, "machine output")
	}
	fs.String("lang", "", "it or en")
	positional, err := parse(fs, args)
	if err != nil {
		return nil, false, e.say(exitUsage, ui.TextBadFlag, err)
	}
	if len(positional) != names {
		if names == 0 {
			return nil, false, e.say(exitUsage, ui.TextBadFlag, fmt.Sprintf("postino %s takes no argument", command))
		}
		return nil, false, e.say(exitUsage, ui.TextStoreWantName, command)
	}
	return positional, *jsonFlag, exitOK
}

// accountJSON is one account in the JSON of list and show: never a
// password, only whether one is stored.
type accountJSON struct {
	Name           string         `json:"name"`
	Address        string         `json:"address"`
	Incoming       []probe.Server `json:"incoming"`
	Outgoing       []probe.Server `json:"outgoing"`
	Pins           []string       `json:"pins"`
	PasswordStored bool           `json:"password_stored"`
	Provider       *providerJSON  `json:"provider"`
	Source         string         `json:"source,omitempty"`
	Created        time.Time      `json:"created"`
	Updated        time.Time      `json:"updated"`
}

// providerJSON names a provider as detect's JSON does.
type providerJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func toJSON(a store.Account, stored bool) accountJSON {
	j := accountJSON{
		Name: a.Name, Address: a.Address,
		Incoming: append([]probe.Server{}, a.Incoming...), Outgoing: append([]probe.Server{}, a.Outgoing...),
		Pins: []string{}, PasswordStored: stored, Source: a.Source, Created: a.Created, Updated: a.Updated,
	}
	if a.Provider.ID != "" {
		j.Provider = &providerJSON{ID: a.Provider.ID, Name: a.Provider.Name}
	}
	for _, p := range a.Pins {
		j.Pins = append(j.Pins, p.String())
	}
	return j
}

func (e *env) printJSON(v any) {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// passwordStates asks the keyring which accounts have a password. When the
// keyring cannot be used the accounts are still shown, as having none,
// and the error is returned to be said after them.
func passwordStates(st *store.Store, accounts []store.Account) ([]bool, error) {
	stored := make([]bool, len(accounts))
	for i, a := range accounts {
		has, err := st.HasPassword(a)
		if err != nil {
			return stored, err
		}
		stored[i] = has
	}
	return stored, nil
}

// list is postino list: every saved account, one a line.
func (e *env) list(args []string) int {
	_, asJSON, code := e.accountArgs("list", args, 0)
	if code != exitOK {
		return code
	}
	st, err := e.store()
	if err != nil {
		return e.storeFailed(st, err)
	}
	accounts, err := st.Accounts()
	if err != nil {
		return e.storeFailed(st, err)
	}
	stored, keyringErr := passwordStates(st, accounts)
	if asJSON {
		out := struct {
			Accounts []accountJSON `json:"accounts"`
		}{[]accountJSON{}}
		for i, a := range accounts {
			out.Accounts = append(out.Accounts, toJSON(a, stored[i]))
		}
		e.printJSON(out)
	} else if len(accounts) == 0 {
		fmt.Fprintln(e.stdout, ui.TextStoreEmpty.In(e.lang))
	} else {
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		for i, a := range accounts {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Name, a.Address, first(a.Incoming), first(a.Outgoing), e.passwordState(stored[i], keyringErr))
		}
		tw.Flush()
	}
	if keyringErr != nil {
		return e.storeFailed(st, keyringErr)
	}
	return exitOK
}

// first is the preferred server's URL, or a dash.
func first(servers []probe.Server) string {
	if len(servers) == 0 {
		return "—"
	}
	return servers[0].String()
}

func (e *env) passwordState(stored bool, keyringErr error) string {
	switch {
	case keyringErr != nil:
		return ui.TextStoreKeyringUnknown.In(e.lang)
	case stored:
		return ui.TextStorePasswordStored.In(e.lang)
	}
	return ui.TextStoreNoPasswordStored.In(e.lang)
}

// show is postino show NAME: one account in full.
func (e *env) show(args []string) int {
	positional, asJSON, code := e.accountArgs("show", args, 1)
	if code != exitOK {
		return code
	}
	st, a, code := e.account(positional[0])
	if code != exitOK {
		return code
	}
	stored, keyringErr := passwordStates(st, []store.Account{a})
	if asJSON {
		e.printJSON(toJSON(a, stored[0]))
	} else {
		e.writeAccount(st, a, stored[0], keyringErr)
	}
	if keyringErr != nil {
		return e.storeFailed(st, keyringErr)
	}
	return exitOK
}

// writeAccount prints an account for a person, one fact a line.
func (e *env) writeAccount(st *store.Store, a store.Account, stored bool, keyringErr error) {
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	line := func(label ui.Text, value string) { fmt.Fprintf(tw, "  %s\t%s\n", label.In(e.lang), value) }
	const when = "2006-01-02 15:04 MST"
	fmt.Fprintln(tw, a.Name)
	line(ui.TextStoreAddress, a.Address)
	for _, role := range []struct {
		label   ui.Text
		servers []probe.Server
	}{{ui.TextStoreIncoming, a.Incoming}, {ui.TextStoreOutgoing, a.Outgoing}} {
		if len(role.servers) == 0 {
			line(role.label, "—")
		}
		for i, s := range role.servers {
			label := role.label
			if i > 0 {
				label = ui.TextStoreFallback
			}
			line(label, s.String()+"  "+ui.TextStoreUser.In(e.lang, s.Username))
		}
	}
	if a.Provider.Name != "" {
		line(ui.TextStoreProvider, a.Provider.Name)
	}
	if a.Source != "" {
		line(ui.TextStoreSource, ui.SourceName(mailbox.Source(a.Source), e.lang))
	}
	for _, p := range a.Pins {
		line(ui.TextStorePin, p.String())
	}
	for _, t := range a.Tests {
		mark := "✓"
		if !t.OK {
			mark = "✗"
		}
		line(ui.TextStoreLastTest, fmt.Sprintf("%s %s  %s  %s", mark, t.Server, t.Code, t.At.Format(when)))
	}
	password := e.passwordState(stored, keyringErr)
	if stored {
		password = ui.TextStorePasswordWhere.In(e.lang, store.Service, a.Address)
	}
	line(ui.TextStorePassword, password)
	line(ui.TextStoreSavedOn, ui.TextStoreSavedWhen.In(e.lang, a.Created.Format(when), a.Updated.Format(when)))
	line(ui.TextStoreFile, st.Path())
	tw.Flush()
}

// remove is postino remove NAME: the account and its password.
func (e *env) remove(args []string) int {
	positional, _, code := e.accountArgs("remove", args, 1)
	if code != exitOK {
		return code
	}
	st, err := e.store()
	if err != nil {
		return e.storeFailed(st, err)
	}
	removed, hadPassword, err := st.Remove(positional[0])
	switch {
	case errors.Is(err, store.ErrNoAccount):
		return e.say(exitFailed, ui.TextStoreNoAccount, positional[0])
	case err != nil:
		return e.storeFailed(st, err)
	case hadPassword:
		return e.say(exitOK, ui.TextStoreRemoved, removed.Name)
	}
	return e.say(exitOK, ui.TextStoreRemovedNoPassword, removed.Name)
}

// printPassword is postino password NAME: the stored password and a
// newline on stdout, for other mail clients' credential commands.
func (e *env) printPassword(args []string) int {
	positional, _, code := e.accountArgs("password", args, 1)
	if code != exitOK {
		return code
	}
	st, a, code := e.account(positional[0])
	if code != exitOK {
		return code
	}
	pw, err := st.Password(a)
	if errors.Is(err, store.ErrNoPassword) {
		return e.say(exitFailed, ui.TextStoreNoPassword, a.Name, a.Name)
	}
	if err != nil {
		return e.storeFailed(st, err)
	}
	fmt.Fprintln(e.stdout, pw)
	return exitOK
}

// savedServers is what --save keeps of a role that was tested: the server
// that passed first, then the fallbacks after it that were not needed;
// those that failed before it are dropped.
func savedServers(tested []probe.Server, results []probe.Result, role probe.Role, username string) []probe.Server {
	var attempts []probe.Result
	for _, r := range results {
		if r.Role == role {
			attempts = append(attempts, r)
		}
	}
	for i, r := range attempts {
		if !r.OK {
			continue
		}
		servers := []probe.Server{r.Server}
		for _, s := range tested[i+1:] {
			if s.Username == "" {
				s.Username = username
			}
			servers = append(servers, s)
		}
		return servers
	}
	return nil
}
