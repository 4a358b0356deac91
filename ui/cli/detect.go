package cli

import (
	"errors"
	"flag"
	"strings"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/ui"
	"github.com/postino/postino/wizard/discover"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
)

// EmbeddedProviders is the providers.yaml built into the binary; main sets
// it before Run.
var EmbeddedProviders []byte

// providerFiles is every providers file asked for: POSTINO_PROVIDERS
// (colon-separated) first, then the --providers flags, later ones winning.
func (e *env) providerFiles(flags []string) []string {
	var files []string
	for _, f := range strings.Split(e.getenv("POSTINO_PROVIDERS"), ":") {
		if f != "" {
			files = append(files, f)
		}
	}
	return append(files, flags...)
}

// catalog loads the embedded providers and the organisation's own files.
func (e *env) catalog(flags []string) (*providers.DB, int) {
	db, err := providers.LoadAll(EmbeddedProviders, e.providerFiles(flags))
	if err != nil {
		return nil, e.say(exitUsage, textProvidersBad, err)
	}
	return db, exitOK
}

// address parses an address, saying what is wrong with it in the person's
// language.
func (e *env) address(s string) (mailbox.Address, int) {
	a, err := mailbox.ParseAddress(s)
	var ae *mailbox.AddressError
	if errors.As(err, &ae) {
		return a, e.say(exitUsage, textAddressProblem, s, ae.Problem.Text().In(e.lang))
	}
	return a, exitOK
}

// discover finds the settings for addr; a nil result has been explained,
// and advice is then what discovery learned on the way (an Exchange server
// without IMAP), which is said instead of "nothing found".
func (e *env) discover(addr mailbox.Address, cfg *discover.Config) (r *discover.Result, advice []probe.Text, code int) {
	if e.network != nil {
		e.network(cfg)
	}
	r, err := discover.Discover(e.ctx, addr, cfg)
	var clear *discover.CleartextOnlyError
	switch {
	case err == nil:
		return r, nil, exitOK
	case errors.As(err, &clear):
		urls := make([]string, len(clear.Servers))
		for i, s := range clear.Servers {
			urls[i] = s.String()
		}
		return nil, nil, e.say(exitFailed, textDetectCleartextOnly, addr.Domain, clear.Provider, strings.Join(urls, ", "))
	case cfg.Offline:
		return nil, nil, e.say(exitFailed, textDetectOffline, addr.Domain)
	}
	if advice = discover.Advice(err); len(advice) > 0 {
		for _, t := range advice {
			code = e.say(exitFailed, t)
		}
		return nil, advice, code
	}
	// Nothing found, or the time ran out before anything was.
	return nil, nil, e.say(exitFailed, textDetectNone, addr)
}

// detect is postino detect: the settings for an address and where they
// came from.
func (e *env) detect(args []string) int {
	fs := flag.NewFlagSet("detect", flag.ContinueOnError)
	var files listFlag
	fs.Var(&files, "providers", "extra providers file (repeatable)")
	offline := fs.Bool("offline", false, "providers files and the built-in ISP database, no network")
	timeout := fs.Duration("timeout", discover.DefaultBudget, "time allowed for detection")
	asJSON := fs.Bool("json", false, "machine output")
	fs.String("lang", "", "it or en")
	positional, err := e.parse(fs, args)
	if err != nil {
		return e.flagError(err)
	}
	if len(positional) != 1 {
		return e.say(exitUsage, textWantAddress, "detect")
	}
	if *timeout <= 0 {
		return e.say(exitUsage, textBadFlag, "--timeout must be positive")
	}
	addr, code := e.address(positional[0])
	if code != exitOK {
		return code
	}
	db, code := e.catalog(files)
	if code != exitOK {
		return code
	}
	r, advice, code := e.discover(addr, &discover.Config{Catalog: db, Offline: *offline, Budget: *timeout})
	if r == nil {
		if *asJSON && code == exitFailed {
			// Nothing found is an answer too: the address, found false,
			// no servers, and what discovery learned on the way.
			empty := &discover.Result{Address: addr, Hints: advice}
			e.printJSON(detectOutput{Schema: jsonSchema, Found: false, Output: empty.JSON(e.lang)})
		}
		return code
	}
	if *asJSON {
		e.printJSON(detectOutput{Schema: jsonSchema, Found: true, Output: r.JSON(e.lang)})
	} else {
		ui.WriteDetection(e.stdout, r, e.lang)
	}
	return exitOK
}

// detectOutput is the JSON of postino detect (docs/json.md).
type detectOutput struct {
	Schema int  `json:"schema"`
	Found  bool `json:"found"`
	discover.Output
}

// Sentences of postino detect.
var (
	textAddressProblem = probe.Text{EN: "%q is not a usable address: %s", IT: "%q non è un indirizzo utilizzabile: %s"}
	textDetectOffline  = probe.Text{EN: "postino's provider list and its copy of Thunderbird's provider database do not know %s; without --offline postino also asks the network.", IT: "L'elenco dei provider di postino e la sua copia del database dei provider di Thunderbird non conoscono %s; senza --offline postino cerca anche in rete."}
	// The servers are named so that a person who accepts the risk can
	// still give them to postino test with --allow-cleartext.
	textDetectCleartextOnly = probe.Text{EN: "The published settings for %s (%s) name only servers without encryption (%s), which postino does not propose: ask your provider whether it offers encrypted (SSL/TLS) access, then give the servers with --incoming and --outgoing.", IT: "Le impostazioni pubblicate per %s (%s) indicano solo server senza cifratura (%s), che postino non propone: chiedi al tuo provider se offre l'accesso cifrato (SSL/TLS), poi indica i server con --incoming e --outgoing."}
	textProvidersBad        = probe.Text{EN: "A providers file is not valid: %s", IT: "Un file dei provider non è valido: %s"}
)
