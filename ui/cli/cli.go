// Package cli runs postino's commands: it parses the command line, calls
// the wizard and the probe, and prints for a person or, with --json, for a
// script.
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/discover"
	"github.com/postino/postino/wizard/store"
)

// Exit codes of the command-line contract.
const (
	exitOK     = 0
	exitFailed = 1 // a test failed or nothing was found
	exitUsage  = 2 // bad usage or bad input
	exitSystem = 3 // keyring or file-system failure

	exitInterrupted = 130 // interrupted (SIGINT)
)

// env is what a command runs with, so that tests can run it in-process.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// keyring holds the saved accounts' passwords: the system's, or a
	// test's.
	keyring store.Keyring
	// network, if set, points discovery's DNS, HTTP and dialing elsewhere,
	// for tests that must not reach the internet.
	network func(*discover.Config)
	// signinClient, if set, is the HTTP client of the OAuth2 sign-in, for
	// tests whose authorization server has a certificate of its own.
	signinClient *http.Client
	lang         probe.Lang
	// describe, if set, receives the FlagSet of a command run with
	// --help, instead of the help being printed: see flagsOf.
	describe func(*flag.FlagSet)
	// jsonAsked is whether the command line asks for --json; printedJSON
	// whether an answer was printed, and said the last sentence said: a
	// command that fails before its answer still prints one (jsonError).
	jsonAsked   bool
	printedJSON bool
	said        string
}

// say prints one sentence to stderr and returns the exit code.
func (e *env) say(code int, t probe.Text, args ...any) int {
	e.said = t.In(e.lang, args...)
	fmt.Fprintln(e.stderr, e.said)
	return code
}

// Run runs postino with args (without the program's name) and returns the
// exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, keyring: store.System{}}
	return e.run(args)
}

func (e *env) run(args []string) int {
	lang, err := chooseLang(langFlag(args), e.getenv)
	e.lang = lang
	e.jsonAsked = jsonFlag(args) && takesJSON(e, args)
	if err != nil {
		return e.jsonError(e.say(exitUsage, textBadFlag, err))
	}
	code := e.runCommand(args)
	if code == exitHelped {
		return exitOK
	}
	return e.jsonError(code)
}

func (e *env) runCommand(args []string) int {
	var code int
	switch {
	case len(args) > 0 && isHelp(args[0]):
		code = e.help(args[1:])
	case len(args) > 0 && (args[0] == "--version" || args[0] == "-version"):
		code = e.version(args[1:])
	case len(args) == 0 || strings.HasPrefix(args[0], "-"):
		code = e.wizard(args)
	default:
		c, ok := findCommand(args[0])
		if !ok || c.name == "" {
			return e.say(exitUsage, textUnknownCommand, args[0])
		}
		code = c.run(e, args[1:])
	}
	return code
}

// jsonError gives a script that asked for --json an answer on stdout
// when the command failed before printing one: the exit code and the
// sentence said on stderr.
func (e *env) jsonError(code int) int {
	if code == exitOK || code == exitInterrupted || !e.jsonAsked || e.printedJSON {
		return code
	}
	type failure struct {
		Exit    int    `json:"exit"`
		Message string `json:"message"`
	}
	e.printJSON(struct {
		Schema int     `json:"schema"`
		Error  failure `json:"error"`
	}{jsonSchema, failure{code, e.said}})
	return code
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}

// chooseLang picks the language: the --lang flag if given, else the
// locale (LC_ALL, LC_MESSAGES, LANG, in POSIX order), else English.
func chooseLang(flag string, getenv func(string) string) (probe.Lang, error) {
	if flag != "" {
		lang, ok := probe.ParseLang(flag)
		if !ok {
			return probe.English, fmt.Errorf("--lang %q: choose it or en", flag)
		}
		return lang, nil
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			return probe.LocaleLang(v), nil
		}
	}
	return probe.English, nil
}

// langFlag finds --lang before the flags are parsed, so that even an error
// in parsing them is said in the right language.
func langFlag(args []string) string {
	for i, a := range args {
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "lang" {
			continue
		}
		if hasValue {
			return value
		}
		if i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

// takesJSON says whether the command args name has a --json flag: only
// those answer a failure in JSON (stdout of postino password is a
// password, for mail programs).
func takesJSON(e *env, args []string) bool {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return false
	}
	c, ok := findCommand(args[0])
	return ok && c.name != "" && e.flagsOf(c).Lookup("json") != nil
}

// jsonFlag says whether the command line asks for --json, before the
// flags are parsed, so that a bad command line gets a JSON answer too.
func jsonFlag(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && name == "json" {
			return !hasValue || value == "true" || value == "1" || value == "t" || value == "TRUE" || value == "True" || value == "T"
		}
	}
	return false
}

// listFlag is a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// parse reads flags placed before, between or after the positional
// arguments, and returns the positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// Sentences every command may say: usage and bad command lines.
var (
	textBadFlag        = probe.Text{EN: "Bad command line: %s.", IT: "Riga di comando non valida: %s."}
	textDetectNone     = probe.Text{EN: "postino found no settings for %s: ask your provider for the server names and give them with --incoming and --outgoing.", IT: "postino non ha trovato impostazioni per %s: chiedi al provider i nomi dei server e indicali con --incoming e --outgoing."}
	textStoreNameTaken = probe.Text{EN: "The name %q already belongs to the account of %s: choose another with --name.", IT: "Il nome %q appartiene già all'account di %s: scegline un altro con --name."}
	textUnknownCommand = probe.Text{EN: "postino has no command %q; run postino help.", IT: "postino non ha il comando %q; esegui postino help."}
	textWantTarget     = probe.Text{EN: "postino %[1]s needs one email address or the name of a saved account, e.g. postino %[1]s anna@example.com.", IT: "postino %[1]s richiede un indirizzo email o il nome di un account salvato, ad esempio postino %[1]s anna@example.com."}
	textWantAddress    = probe.Text{EN: "postino %[1]s needs one email address, e.g. postino %[1]s anna@example.com.", IT: "postino %[1]s richiede un indirizzo email, ad esempio postino %[1]s anna@example.com."}
)
