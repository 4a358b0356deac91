package cli

import (
	"errors"
	"flag"
	"fmt"
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
func (e *env) discover(addr mailbox.Address, cfg *discover.Config) (*discover.Result, []probe.Text, int) {
	if e.network != nil {
		e.network(cfg)
	}
	r, err := discover.Discover(e.ctx, addr, cfg)
	if err == nil {
		return r, nil, exitOK
	}
	said, advice, _ := whyNotFound(addr, cfg, err)
	return nil, advice, e.sayAll(exitFailed, said)
}

// sentence is a text to say, with its arguments.
type sentence struct {
	text probe.Text
	args []any
}

// sayAll says each sentence and returns code.
func (e *env) sayAll(code int, said []sentence) int {
	for _, s := range said {
		e.say(code, s.text, s.args...)
	}
	return code
}

// whyNotFound is why discovery found nothing for addr (its error err):
// the sentences to say, the advice learned on the way (an Exchange
// server without IMAP) and the detect JSON's code.
func whyNotFound(addr mailbox.Address, cfg *discover.Config, err error) (said []sentence, advice []probe.Text, code string) {
	var clear *discover.CleartextOnlyError
	switch {
	case errors.As(err, &clear):
		urls := make([]string, len(clear.Servers))
		for i, s := range clear.Servers {
			urls[i] = s.String()
		}
		return []sentence{{textDetectCleartextOnly, []any{addr.Domain, clear.Provider, strings.Join(urls, ", ")}}}, nil, codeCleartextOnly
	case cfg.Offline:
		return []sentence{{textDetectOffline, []any{addr.Domain}}}, nil, codeNotFound
	case errors.Is(err, discover.ErrNoNetwork):
		return []sentence{{textDetectNoNetwork, []any{addr}}}, nil, codeNoNetwork
	}
	if advice = discover.Advice(err); len(advice) > 0 {
		for _, t := range advice {
			said = append(said, sentence{text: t})
		}
		return said, advice, codeExchangeOnly
	}
	// Nothing found, or the time ran out before anything was.
	return []sentence{{textDetectNone, []any{addr}}}, nil, codeNotFound
}

// The codes of detect --json when nothing was found.
const (
	codeNotFound      = "not_found"
	codeNoNetwork     = "no_network"
	codeCleartextOnly = "cleartext_only"
	codeExchangeOnly  = "exchange_only"
)

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
	cfg := &discover.Config{Catalog: db, Offline: *offline, Budget: *timeout}
	if e.network != nil {
		e.network(cfg)
	}
	// The typo check asks DNS once, beside the detection.
	suggestion := make(chan string, 1)
	go func() { suggestion <- discover.Suggest(e.ctx, addr, cfg) }()
	r, err := discover.Discover(e.ctx, addr, cfg)
	// "Did you mean" comes before why nothing was found: the likelier fix.
	meant := <-suggestion
	if meant != "" && !*asJSON {
		fmt.Fprintln(e.stderr, textDidYouMean.In(e.lang, meant))
	}
	if err != nil {
		said, advice, why := whyNotFound(addr, cfg, err)
		code := e.sayAll(exitFailed, said)
		if *asJSON {
			// Nothing found is an answer too: the address, found false,
			// why, no servers, and what discovery learned on the way.
			empty := &discover.Result{Address: addr, Hints: advice}
			e.printJSON(detectOutput{Schema: jsonSchema, Found: false, Code: why, DidYouMean: meant, Output: empty.JSON(e.lang)})
		}
		return code
	}
	if *asJSON {
		e.printJSON(detectOutput{Schema: jsonSchema, Found: true, DidYouMean: meant, Output: r.JSON(e.lang)})
	} else {
		ui.WriteDetection(e.stdout, r, e.lang)
	}
	return exitOK
}

// detectOutput is the JSON of postino detect (docs/json.md).
type detectOutput struct {
	Schema int  `json:"schema"`
	Found  bool `json:"found"`
	// Code says why nothing was found (not_found, no_network,
	// cleartext_only, exchange_only); empty when settings were found.
	Code string `json:"code,omitempty"`
	// DidYouMean is the address probably meant, when the domain looks
	// like a typo of a known provider's and receives no mail.
	DidYouMean string `json:"did_you_mean,omitempty"`
	discover.Output
}

// Sentences of postino detect.
var (
	textAddressProblem = probe.Text{EN: "%q is not a usable address: %s", IT: "%q non è un indirizzo utilizzabile: %s"}
	textDetectOffline  = probe.Text{EN: "postino's provider list and its copy of Thunderbird's provider database do not know %s; without --offline postino also asks the network.", IT: "L'elenco dei provider di postino e la sua copia del database dei provider di Thunderbird non conoscono %s; senza --offline postino cerca anche in rete."}
	// The servers are named so that a person who accepts the risk can
	// still give them to postino test with --allow-cleartext.
	textDetectCleartextOnly = probe.Text{EN: "The published settings for %s (%s) name only servers without encryption (%s), which postino does not propose: ask your provider whether it offers encrypted (SSL/TLS) access, then give the servers with --incoming and --outgoing.", IT: "Le impostazioni pubblicate per %s (%s) indicano solo server senza cifratura (%s), che postino non propone: chiedi al tuo provider se offre l'accesso cifrato (SSL/TLS), poi indica i server con --incoming e --outgoing."}
	textDetectNoNetwork     = probe.Text{
		EN: "No internet connection (or DNS is not working): postino could not look for the settings of %s. Check the connection and try again.",
		IT: "Nessuna connessione a internet (oppure il DNS non funziona): postino non ha potuto cercare le impostazioni di %s. Controlla la connessione e riprova.",
	}
	textDidYouMean   = probe.Text{EN: "Did you mean %s?", IT: "Forse intendevi %s?"}
	textProvidersBad = probe.Text{EN: "A providers file is not valid: %s", IT: "Un file dei provider non è valido: %s"}
)
