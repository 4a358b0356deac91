package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/postino/postino/probe"
)

// command is one of postino's commands, as --help, postino help, the man
// page and the completion scripts describe it. Its flags are not listed
// here: they are read from the FlagSet the command itself parses with.
type command struct {
	name    string // "" is the wizard, postino without a command
	args    string // the positional arguments, as the synopsis shows them
	summary probe.Text
	run     func(*env, []string) int
}

// commands is every command, in the order help shows them (set in init:
// help itself reads it).
var commands []command

func init() {
	commands = []command{
		{"", "", probe.Text{EN: "the wizard: find, test and save an account, step by step", IT: "la procedura guidata: trova, prova e salva un account, passo per passo"}, (*env).wizard},
		{"detect", "ADDRESS", probe.Text{EN: "find the settings for an address and say where they came from", IT: "trova le impostazioni di un indirizzo e dice da dove vengono"}, (*env).detect},
		{"test", "ADDRESS|NAME", probe.Text{EN: "live-test the servers of an address or a saved account, and with --save keep them", IT: "prova i server di un indirizzo o di un account salvato, e con --save li salva"}, (*env).test},
		{"list", "", probe.Text{EN: "list the saved accounts", IT: "elenca gli account salvati"}, (*env).list},
		{"show", "NAME", probe.Text{EN: "show one saved account", IT: "mostra un account salvato"}, (*env).show},
		{"remove", "NAME", probe.Text{EN: "remove a saved account and its password", IT: "rimuove un account salvato e la sua password"}, (*env).remove},
		{"password", "NAME", probe.Text{EN: "print a saved account's password", IT: "stampa la password di un account salvato"}, (*env).printPassword},
		{"token", "NAME", probe.Text{EN: "print a fresh OAuth2 access token", IT: "stampa un nuovo token di accesso OAuth2"}, (*env).token},
		{"login", "NAME", probe.Text{EN: "sign in again to an OAuth2 account", IT: "accede di nuovo a un account OAuth2"}, (*env).login},
		{"report", "ADDRESS|NAME", probe.Text{EN: "test an address or a saved account now and print a help-desk report (Markdown, or --json)", IT: "prova ora un indirizzo o un account salvato e stampa un rapporto per l'assistenza (Markdown, o --json)"}, (*env).report},
		{"doctor", "", probe.Text{EN: "find the mail accounts set up on this computer (Thunderbird, msmtp, mbsync, fetchmail, NeoMutt, aerc, Evolution, postino) and test their servers", IT: "trova gli account di posta configurati su questo computer (Thunderbird, msmtp, mbsync, fetchmail, NeoMutt, aerc, Evolution, postino) e ne prova i server"}, (*env).doctor},
		{"export", "NAME --format F", probe.Text{EN: "write a saved account in another mail program's format, or a help-desk report", IT: "scrive un account salvato nel formato di un altro programma di posta, o un rapporto per l'assistenza"}, (*env).export},
		{"completion", "bash|zsh|fish", probe.Text{EN: "print a shell completion script", IT: "stampa uno script di completamento per la shell"}, (*env).completion},
		{"man", "", probe.Text{EN: "print the manual page (roff)", IT: "stampa la pagina di manuale (roff)"}, (*env).man},
		{"version", "", probe.Text{EN: "print postino's version", IT: "stampa la versione di postino"}, (*env).version},
		{"help", "[COMMAND]", probe.Text{EN: "help on postino or one command", IT: "aiuto su postino o su un comando"}, (*env).help},
	}
}

// findCommand is the command called name.
func findCommand(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// exitHelped is what a command returns once it printed its help: it stops
// the command, and run turns it into exitOK.
const exitHelped = -1

// errHelped is parse's answer to -h or --help, once the help is printed.
var errHelped = errors.New("help printed")

// flagsOf is the FlagSet command c parses with: c runs with --help while
// parse hands the FlagSet over instead of printing it.
func (e *env) flagsOf(c command) *flag.FlagSet {
	var fs *flag.FlagSet
	quiet := &env{ctx: e.ctx, stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: e.getenv,
		keyring: e.keyring, lang: e.lang, describe: func(f *flag.FlagSet) { fs = f }}
	c.run(quiet, []string{"--help"})
	if fs == nil {
		fs = flag.NewFlagSet(c.name, flag.ContinueOnError)
	}
	return fs
}

// parse reads the flags and returns the positional arguments; -h or
// --help prints the command's help (errHelped).
func (e *env) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	positional, err := parse(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		if e.describe != nil {
			e.describe(fs)
		} else {
			if c, ok := findCommand(fs.Name()); ok {
				e.commandHelp(c, fs)
			} else {
				// The wizard's FlagSet, "postino": postino --plain --help
				// is postino --help.
				e.usage()
			}
		}
		return nil, errHelped
	}
	if err != nil {
		return nil, asTyped(err, args)
	}
	return positional, nil
}

// flagError is the exit code for an error of parse.
func (e *env) flagError(err error) int {
	if errors.Is(err, errHelped) {
		return exitHelped
	}
	return e.say(exitUsage, textBadFlag, err)
}

// flagInError finds the flag the flag package names with a single dash.
var flagInError = regexp.MustCompile(`(not defined: |for flag |needs an argument: )-([^\s:=]+)`)

// asTyped names the flag in err as the command line typed it: --bogus,
// not the flag package's -bogus.
func asTyped(err error, args []string) error {
	m := flagInError.FindStringSubmatchIndex(err.Error())
	if m == nil {
		return err
	}
	msg := err.Error()
	name := msg[m[4]:m[5]]
	typed := "-" + name
	for _, a := range args {
		if a == "--" {
			break
		}
		if n, _, _ := strings.Cut(a, "="); n == "--"+name || n == "-"+name {
			typed = n
			break
		}
	}
	return errors.New(msg[:m[4]-1] + typed + msg[m[5]:])
}

// flagName is how a flag is written: -o, --format.
func flagName(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// isBool says whether fl takes no value.
func isBool(fl *flag.Flag) bool {
	b, ok := fl.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// metavars name the value of the flags that take one.
var metavars = map[string]string{
	"incoming": "URL", "outgoing": "URL", "pin": "sha256:HEX", "providers": "FILE", "ca-file": "FILE",
	"o": "FILE", "format": "F", "username": "U", "name": "N", "auth": "password|oauth2", "lang": "it|en",
	"password-command": "CMD", "token-command": "CMD", "maildir": "DIR", "mda": "CMD", "timeout": "D",
}

// flagLine is a flag as help writes it, and its meaning in lang.
func flagLine(fl *flag.Flag, lang probe.Lang) (string, string) {
	arg, usage := flag.UnquoteUsage(fl)
	name := flagName(fl.Name)
	if !isBool(fl) {
		if m, ok := metavars[fl.Name]; ok {
			arg = m // as written: it|en are the values themselves
		} else if arg == "" || arg == "value" || arg == "string" {
			arg = "VALUE"
		} else {
			arg = strings.ToUpper(arg)
		}
		name += " " + arg
	}
	if d := fl.DefValue; d != "" && d != "false" && d != "0" && d != "0s" && d != "[]" {
		return name, flagMeaning(usage, lang) + " " + textFlagDefault.In(lang, d)
	}
	return name, flagMeaning(usage, lang)
}

// synopsis is "postino NAME ARGS [flags]".
func synopsis(c command) string {
	s := "postino"
	for _, part := range []string{c.name, c.args} {
		if part != "" {
			s += " " + part
		}
	}
	return s + " [flags]"
}

// placeholders writes the words of a synopsis that stand for what the
// person types (ADDRESS, [flags]) in lang; command and flag names stay.
func placeholders(s string, lang probe.Lang) string {
	if lang != probe.Italian {
		return s
	}
	return italianPlaceholders.Replace(s)
}

var italianPlaceholders = strings.NewReplacer("ADDRESS", "INDIRIZZO", "NAME", "NOME", "[COMMAND]", "[COMANDO]", "[flags]", "[opzioni]")

// writeFlags lists every flag of fs with its meaning.
func writeFlags(w io.Writer, fs *flag.FlagSet, lang probe.Lang) {
	width := 0
	fs.VisitAll(func(fl *flag.Flag) {
		name, _ := flagLine(fl, lang)
		width = max(width, len(name))
	})
	fs.VisitAll(func(fl *flag.Flag) {
		name, usage := flagLine(fl, lang)
		fmt.Fprintf(w, "  %-*s  %s\n", width, name, usage)
	})
}

// commandHelp prints the help of one command.
func (e *env) commandHelp(c command, fs *flag.FlagSet) {
	fmt.Fprintf(e.stdout, "%s %s\n\n%s.\n", textUsageWord.In(e.lang), placeholders(synopsis(c), e.lang), c.summary.In(e.lang))
	fmt.Fprintf(e.stdout, "\n%s\n", textFlagsWord.In(e.lang))
	writeFlags(e.stdout, fs, e.lang)
}

// usage prints postino --help: every command, then the wizard's and
// export's flags.
func (e *env) usage() {
	w := e.stdout
	fmt.Fprintf(w, "%s %s\n\n%s\n", textUsageWord.In(e.lang), placeholders("postino [COMMAND] [flags]", e.lang), textCommandsWord.In(e.lang))
	for _, c := range commands {
		name := c.name
		if name == "" {
			name = textNoCommand.In(e.lang)
		}
		fmt.Fprintf(w, "  %-11s %s\n", name, c.summary.In(e.lang))
	}
	for _, name := range []string{"", "export"} {
		c, _ := findCommand(name)
		fmt.Fprintf(w, "\n%s %s\n", textFlagsOf.In(e.lang), placeholders(synopsis(c), e.lang))
		writeFlags(w, e.flagsOf(c), e.lang)
	}
	fmt.Fprintf(w, "\n%s\n", textMoreHelp.In(e.lang))
}

// help is postino help [COMMAND].
func (e *env) help(args []string) int {
	fs := flag.NewFlagSet("help", flag.ContinueOnError)
	fs.String("lang", "", "it or en")
	positional, err := e.parse(fs, args)
	if err != nil {
		return e.flagError(err)
	}
	switch len(positional) {
	case 0:
		e.usage()
		return exitOK
	case 1:
		c, ok := findCommand(positional[0])
		if !ok || c.name == "" {
			return e.say(exitUsage, textUnknownCommand, positional[0])
		}
		e.commandHelp(c, e.flagsOf(c))
		return exitOK
	}
	return e.say(exitUsage, textBadFlag, "postino help takes one command")
}

// Words of the help.
var (
	textUsageWord    = probe.Text{EN: "usage:", IT: "uso:"}
	textCommandsWord = probe.Text{EN: "commands:", IT: "comandi:"}
	textFlagsWord    = probe.Text{EN: "flags:", IT: "opzioni:"}
	textFlagsOf      = probe.Text{EN: "flags of", IT: "opzioni di"}
	textNoCommand    = probe.Text{EN: "(none)", IT: "(nessuno)"}
	textMoreHelp     = probe.Text{EN: "Run postino help COMMAND, or postino COMMAND --help, for a command's flags.", IT: "Esegui postino help COMANDO, o postino COMANDO --help, per le opzioni di un comando."}
)
