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
	"github.com/postino/postino/wizard/export"
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
		return e.say(exitSystem, textStoreNewer, fe.Path, fe.Line, fe.Version)
	case errors.As(err, &fe):
		return e.say(exitSystem, textStoreDamaged, fe.Path, fe.Line, fe.Detail)
	case errors.As(err, &nt):
		return e.say(exitUsage, textStoreNameTaken, nt.Name, nt.Address)
	case errors.Is(err, store.ErrNoConfigDir):
		return e.say(exitSystem, textStoreNoConfigDir)
	case errors.Is(err, store.ErrBusy):
		return e.say(exitSystem, textStoreBusy, dir)
	case errors.As(err, &ue) && ue.Reason == store.KeyringFailed:
		return e.say(exitSystem, textKeyringFailed, ue.Err)
	case errors.As(err, &ue):
		return e.say(exitSystem, keyringTexts[ue.Reason])
	}
	return e.say(exitSystem, textStoreFailed, dir, err)
}

// account finds the saved account that name names.
func (e *env) account(name string) (*store.Store, store.Account, int) {
	st, err := e.store()
	if err != nil {
		return nil, store.Account{}, e.storeFailed(st, err)
	}
	a, err := st.Find(name)
	if errors.Is(err, store.ErrNoAccount) {
		return nil, a, e.say(exitFailed, textStoreNoAccount, name)
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
	positional, err := e.parse(fs, args)
	if err != nil {
		return nil, false, e.flagError(err)
	}
	if len(positional) != names {
		if names == 0 {
			return nil, false, e.say(exitUsage, textBadFlag, fmt.Sprintf("postino %s takes no argument", command))
		}
		return nil, false, e.say(exitUsage, textStoreWantName, command)
	}
	return positional, *jsonFlag, exitOK
}

// accountJSON is one account in the JSON of list and show: never a
// password, only whether one is stored.
type accountJSON struct {
	Name           string         `json:"name"`
	Address        string         `json:"address"`
	DisplayName    string         `json:"display_name,omitempty"`
	Incoming       []probe.Server `json:"incoming"`
	Outgoing       []probe.Server `json:"outgoing"`
	Pins           []string       `json:"pins"`
	PasswordStored bool           `json:"password_stored"`
	// RefreshTokenStored and OAuth2 are there for an account that signs
	// in with OAuth2; the client secret is never shown.
	RefreshTokenStored *bool         `json:"refresh_token_stored,omitempty"`
	OAuth2             *store.OAuth2 `json:"oauth2,omitempty"`
	Provider           *providerJSON `json:"provider"`
	Source             string        `json:"source,omitempty"`
	// Unverified is set for an account saved although its test failed.
	Unverified bool      `json:"unverified,omitempty"`
	Created    time.Time `json:"created"`
	Updated    time.Time `json:"updated"`
}

// secrets says which secrets the keyring holds for an account.
type secrets struct{ password, refreshToken bool }

// providerJSON names a provider as detect's JSON does.
type providerJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func toJSON(a store.Account, stored secrets) accountJSON {
	j := accountJSON{
		Name: a.Name, Address: a.Address, DisplayName: a.DisplayName,
		Incoming: append([]probe.Server{}, a.Incoming...), Outgoing: append([]probe.Server{}, a.Outgoing...),
		Pins: []string{}, PasswordStored: stored.password, Source: a.Source, Unverified: a.Unverified, Created: a.Created, Updated: a.Updated,
	}
	if o := a.OAuth2; o != nil {
		j.RefreshTokenStored = &stored.refreshToken
		j.OAuth2 = o
	}
	if a.Provider.ID != "" {
		j.Provider = &providerJSON{ID: a.Provider.ID, Name: a.Provider.Name}
	}
	for _, p := range a.Pins {
		j.Pins = append(j.Pins, p.String())
	}
	return j
}

// jsonSchema is the version of the JSON outputs' schemas (docs/json.md),
// the one the export's JSON report carries too.
const jsonSchema = export.JSONSchema

func (e *env) printJSON(v any) {
	e.printedJSON = true
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// passwordStates asks the keyring which accounts have a password, and
// which of those that sign in with OAuth2 a refresh token. When the
// keyring cannot be used the accounts are still shown, as having none,
// and the error is returned to be said after them.
func passwordStates(st *store.Store, accounts []store.Account) ([]secrets, error) {
	stored := make([]secrets, len(accounts))
	for i, a := range accounts {
		has, err := st.HasPassword(a)
		if err != nil {
			return stored, err
		}
		stored[i].password = has
		if a.OAuth2 != nil {
			if stored[i].refreshToken, err = st.HasRefreshToken(a); err != nil {
				return stored, err
			}
		}
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
			Schema   int           `json:"schema"`
			Accounts []accountJSON `json:"accounts"`
		}{jsonSchema, []accountJSON{}}
		for i, a := range accounts {
			out.Accounts = append(out.Accounts, toJSON(a, stored[i]))
		}
		e.printJSON(out)
	} else if len(accounts) == 0 {
		fmt.Fprintln(e.stdout, textStoreEmpty.In(e.lang))
	} else {
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, textListHeader.In(e.lang))
		for i, a := range accounts {
			state := e.secretState(a, stored[i], keyringErr)
			if a.Unverified {
				state += ", " + textStoreNotVerified.In(e.lang)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Name, a.Address, first(a.Incoming), first(a.Outgoing), state)
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

// secretState is what list says of an account's secret: its sign-in for
// an account that signs in with OAuth2, else its password.
func (e *env) secretState(a store.Account, stored secrets, keyringErr error) string {
	switch {
	case a.OAuth2 == nil || keyringErr != nil:
		return e.passwordState(stored.password, keyringErr)
	case stored.refreshToken:
		return textStoreSignInStored.In(e.lang)
	}
	return textStoreNoSignInStored.In(e.lang)
}

func (e *env) passwordState(stored bool, keyringErr error) string {
	switch {
	case keyringErr != nil:
		return textStoreKeyringUnknown.In(e.lang)
	case stored:
		return textStorePasswordStored.In(e.lang)
	}
	return textStoreNoPasswordStored.In(e.lang)
}

// namedAccount parses the arguments of command, which takes one saved
// account's name, and finds the account.
func (e *env) namedAccount(command string, args []string) (st *store.Store, a store.Account, asJSON bool, code int) {
	positional, asJSON, code := e.accountArgs(command, args, 1)
	if code != exitOK {
		return nil, a, false, code
	}
	st, a, code = e.account(positional[0])
	return st, a, asJSON, code
}

// show is postino show NAME: one account in full.
func (e *env) show(args []string) int {
	st, a, asJSON, code := e.namedAccount("show", args)
	if code != exitOK {
		return code
	}
	stored, keyringErr := passwordStates(st, []store.Account{a})
	if asJSON {
		e.printJSON(struct {
			Schema int `json:"schema"`
			accountJSON
		}{jsonSchema, toJSON(a, stored[0])})
	} else {
		e.writeAccount(st, a, stored[0], keyringErr)
	}
	if keyringErr != nil {
		return e.storeFailed(st, keyringErr)
	}
	return exitOK
}

// writeAccount prints an account for a person, one fact a line.
func (e *env) writeAccount(st *store.Store, a store.Account, stored secrets, keyringErr error) {
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	line := func(label probe.Text, value string) { fmt.Fprintf(tw, "  %s\t%s\n", label.In(e.lang), value) }
	const when = "2006-01-02 15:04 MST"
	fmt.Fprintln(tw, a.Name)
	line(textStoreAddress, a.Address)
	if a.DisplayName != "" {
		line(textStoreDisplayName, a.DisplayName)
	}
	for _, role := range []struct {
		label   probe.Text
		servers []probe.Server
	}{{textStoreIncoming, a.Incoming}, {textStoreOutgoing, a.Outgoing}} {
		if len(role.servers) == 0 {
			line(role.label, "—")
		}
		for i, s := range role.servers {
			label := role.label
			if i > 0 {
				label = textStoreFallback
			}
			line(label, s.String()+"  "+textStoreUser.In(e.lang, s.Username))
		}
	}
	if a.Provider.Name != "" {
		line(textStoreProvider, a.Provider.Name)
	}
	if a.Source != "" {
		line(textStoreSource, ui.SourceName(mailbox.Source(a.Source), e.lang))
	}
	for _, p := range a.Pins {
		line(textStorePin, p.String())
	}
	if a.Unverified {
		line(textStoreStatus, textStoreUnverified.In(e.lang, a.Name))
	}
	for _, t := range a.Tests {
		mark := "✓"
		if !t.OK {
			mark = "✗"
		}
		line(textStoreLastTest, fmt.Sprintf("%s %s  %s  %s", mark, t.Server, t.Code, t.At.Format(when)))
	}
	if a.OAuth2 != nil {
		line(textStoreSignIn, a.OAuth2.TokenURL+"  "+textStoreClient.In(e.lang, a.OAuth2.ClientID))
		signIn := e.secretState(a, stored, keyringErr)
		if stored.refreshToken {
			signIn = textStorePasswordWhere.In(e.lang, store.Service, store.RefreshKey(a.Address))
		}
		line(textStoreRefreshToken, signIn)
	}
	password := e.passwordState(stored.password, keyringErr)
	if stored.password {
		password = textStorePasswordWhere.In(e.lang, store.Service, a.Address)
	}
	if a.OAuth2 == nil || stored.password {
		line(textStorePassword, password)
	}
	line(textStoreSavedOn, textStoreSavedWhen.In(e.lang, a.Created.Format(when), a.Updated.Format(when)))
	line(textStoreFile, st.Path())
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
		return e.say(exitFailed, textStoreNoAccount, positional[0])
	case err != nil:
		return e.storeFailed(st, err)
	case hadPassword && removed.OAuth2 != nil:
		return e.say(exitOK, textStoreRemovedSignIn, removed.Name)
	case hadPassword:
		return e.say(exitOK, textStoreRemoved, removed.Name)
	}
	if other, err := st.Find(removed.Address); err == nil {
		// Kept beside another account of the address, which still uses
		// the keyring entry.
		return e.say(exitOK, textStoreRemovedShared, removed.Name, other.Name)
	}
	return e.say(exitOK, textStoreRemovedNoPassword, removed.Name)
}

// printPassword is postino password NAME: the stored password and a
// newline on stdout, for other mail clients' credential commands.
func (e *env) printPassword(args []string) int {
	st, a, _, code := e.namedAccount("password", args)
	if code != exitOK {
		return code
	}
	pw, err := st.Password(a)
	if errors.Is(err, store.ErrNoPassword) {
		return e.say(exitFailed, textStoreNoPassword, a.Name, a.Name)
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

// Sentences of the saved accounts: list, show, remove, password and test --save.
var (
	textStoreAddress           = probe.Text{EN: "address", IT: "indirizzo"}
	textStoreDisplayName       = probe.Text{EN: "name shown", IT: "nome visualizzato"}
	textStoreBusy              = probe.Text{EN: "Another postino is changing the saved accounts in %s: try again in a moment.", IT: "Un altro postino sta modificando gli account salvati in %s: riprova tra poco."}
	textListHeader             = probe.Text{EN: "NAME\tADDRESS\tINCOMING\tOUTGOING\tPASSWORD", IT: "NOME\tINDIRIZZO\tIN ARRIVO\tIN USCITA\tPASSWORD"}
	textStoreEmpty             = probe.Text{EN: "No saved accounts yet: postino test ADDRESS ... --save saves one.", IT: "Nessun account salvato per ora: postino test INDIRIZZO ... --save ne salva uno."}
	textStoreFailed            = probe.Text{EN: "Cannot use the saved accounts in %s: %s.", IT: "Impossibile usare gli account salvati in %s: %s."}
	textStoreFallback          = probe.Text{EN: "fallback", IT: "alternativa"}
	textStoreFile              = probe.Text{EN: "file", IT: "file"}
	textStoreIncoming          = probe.Text{EN: "incoming", IT: "in arrivo"}
	textStoreKeyringUnknown    = probe.Text{EN: "keyring unavailable", IT: "portachiavi non disponibile"}
	textStoreLastTest          = probe.Text{EN: "last test", IT: "ultima prova"}
	textStoreNoAccount         = probe.Text{EN: "No saved account is called %q; postino list shows the saved accounts.", IT: "Nessun account salvato si chiama %q; postino list mostra gli account salvati."}
	textStoreNoConfigDir       = probe.Text{EN: "postino cannot tell where to keep its settings: set HOME or XDG_CONFIG_HOME.", IT: "postino non sa dove tenere le impostazioni: imposta HOME o XDG_CONFIG_HOME."}
	textStoreNoPasswordStored  = probe.Text{EN: "no password stored", IT: "nessuna password salvata"}
	textStoreNotVerified       = probe.Text{EN: "not verified", IT: "non verificato"}
	textStoreStatus            = probe.Text{EN: "status", IT: "stato"}
	textStoreUnverified        = probe.Text{EN: "not verified: saved although its test failed; postino test %s --save tests it again", IT: "non verificato: salvato anche se la prova non è riuscita; postino test %s --save ripete la prova"}
	textStoreOutgoing          = probe.Text{EN: "outgoing", IT: "in uscita"}
	textStorePassword          = probe.Text{EN: "password", IT: "password"}
	textStorePasswordWhere     = probe.Text{EN: "in the keyring (service %s, user %s)", IT: "nel portachiavi (servizio %s, utente %s)"}
	textStorePin               = probe.Text{EN: "trusted certificate", IT: "certificato attendibile"}
	textStoreProvider          = probe.Text{EN: "provider", IT: "provider"}
	textStoreSignIn            = probe.Text{EN: "sign-in", IT: "accesso"}
	textStoreClient            = probe.Text{EN: "client %s", IT: "client %s"}
	textStoreRefreshToken      = probe.Text{EN: "refresh token", IT: "token di aggiornamento"}
	textStoreSignInStored      = probe.Text{EN: "signed in, refresh token in the keyring", IT: "accesso eseguito, token di aggiornamento nel portachiavi"}
	textStoreNoSignInStored    = probe.Text{EN: "not signed in: postino login", IT: "accesso non eseguito: postino login"}
	textStoreRemovedSignIn     = probe.Text{EN: "Removed %s and its sign-in from the keyring.", IT: "Rimosso %s insieme al suo accesso nel portachiavi."}
	textStoreRemoved           = probe.Text{EN: "Removed %s and its password from the keyring.", IT: "Rimosso %s insieme alla sua password nel portachiavi."}
	textStoreRemovedNoPassword = probe.Text{EN: "Removed %s; its password was already gone from the keyring.", IT: "Rimosso %s; la sua password non c'era già più nel portachiavi."}
	textStoreSavedOn           = probe.Text{EN: "saved", IT: "salvato"}
	textStoreSavedWhen         = probe.Text{EN: "%s, changed %s", IT: "%s, modificato %s"}
	textStoreSource            = probe.Text{EN: "settings from", IT: "impostazioni da"}
	textStoreUser              = probe.Text{EN: "user %s", IT: "utente %s"}
	textStoreWantName          = probe.Text{EN: "postino %s needs the name or address of one saved account; postino list shows them.", IT: "postino %s richiede il nome o l'indirizzo di un account salvato; postino list li mostra."}
)

var textKeyringFailed = probe.Text{
	EN: "The keyring is unavailable (%s): start a keyring daemon such as gnome-keyring, or run postino inside dbus-run-session (see the README, Saved accounts).",
	IT: "Il portachiavi non è disponibile (%s): avvia un servizio di portachiavi come gnome-keyring, oppure esegui postino dentro dbus-run-session (vedi il README, Saved accounts).",
}

var textStoreDamaged = probe.Text{
	EN: "The saved accounts file %s is damaged at line %d (%s): correct it or move it away; postino does not write over it.",
	IT: "Il file degli account salvati %s è danneggiato alla riga %d (%s): correggilo o spostalo; postino non lo sovrascrive.",
}

var textStoreNewer = probe.Text{
	EN: "The saved accounts file %s (line %d) has format version %d, written by a newer postino: update postino; this one does not write over it.",
	IT: "Il file degli account salvati %s (riga %d) usa la versione %d del formato: l'ha scritto un postino più recente. Aggiorna postino; questa versione non lo sovrascrive.",
}

var textStoreNoPassword = probe.Text{
	EN: "No password is stored for %s; postino test %s --password-stdin --save stores one.",
	IT: "Nessuna password è salvata per %s; postino test %s --password-stdin --save ne salva una.",
}

// Labels of postino list and show.
var textStorePasswordStored = probe.Text{EN: "password in the keyring", IT: "password nel portachiavi"}

// keyringTexts say what is missing when the keyring is unavailable, and
// how to get it.
var keyringTexts = map[store.Reason]probe.Text{
	store.NoSessionBus: {
		EN: "The keyring is unavailable: there is no D-Bus session bus to reach it through; run postino in a desktop session, or on a server without one inside dbus-run-session with gnome-keyring-daemon --unlock (see the README, Saved accounts).",
		IT: "Il portachiavi non è disponibile: non c'è un bus di sessione D-Bus per raggiungerlo; esegui postino in una sessione desktop, oppure su un server senza desktop dentro dbus-run-session con gnome-keyring-daemon --unlock (vedi il README, Saved accounts).",
	},
	store.NoSecretService: {
		EN: "The keyring is unavailable: no keyring daemon answers on the D-Bus session bus; install and start one such as gnome-keyring (or KeePassXC with its Secret Service), or on a server run postino inside dbus-run-session with gnome-keyring-daemon --unlock (see the README, Saved accounts).",
		IT: "Il portachiavi non è disponibile: nessun servizio di portachiavi risponde sul bus di sessione D-Bus; installane e avviane uno come gnome-keyring (o KeePassXC con il suo Secret Service), oppure su un server esegui postino dentro dbus-run-session con gnome-keyring-daemon --unlock (vedi il README, Saved accounts).",
	},
	store.KeyringLocked: {
		EN: "The keyring is unavailable: it is locked and postino cannot ask for its password here; unlock it (log in to the desktop, or give its password to gnome-keyring-daemon --unlock --replace) and try again.",
		IT: "Il portachiavi non è disponibile: è bloccato e postino qui non può chiederne la password; sbloccalo (accedi al desktop, oppure dai la sua password a gnome-keyring-daemon --unlock --replace) e riprova.",
	},
	store.KeyringNoAnswer: {
		EN: "The keyring did not answer: it may be waiting for you to unlock it in another window; unlock it and try again.",
		IT: "Il portachiavi non ha risposto: forse aspetta che tu lo sblocchi in un'altra finestra; sbloccalo e riprova.",
	},
}

// textStoreRemovedShared is the removal of one of two accounts kept with
// the same address: the password stays for the other.
var textStoreRemovedShared = probe.Text{EN: "Removed %s; its password stays in the keyring for %s, which has the same address.", IT: "Rimosso %s; la sua password resta nel portachiavi per %s, che ha lo stesso indirizzo."}
