package cli

import (
	"context"
	"flag"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/term"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/ui"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/discover"
	"github.com/postino/postino/wizard/export"
	"github.com/postino/postino/wizard/store"
)

// wizard is postino without a command: the full-screen wizard on a
// terminal, or with --plain the same questions line by line.
func (e *env) wizard(args []string) int {
	fs := flag.NewFlagSet("postino", flag.ContinueOnError)
	plain := fs.Bool("plain", false, "plain line prompts instead of the full screen")
	noBrowser := fs.Bool("no-browser", false, "OAuth2: show the sign-in address, open nothing")
	var files listFlag
	fs.Var(&files, "providers", "extra providers file (repeatable)")
	fs.String("lang", "", "it or en")
	positional, err := e.parse(fs, args)
	if err != nil {
		return e.flagError(err)
	}
	if len(positional) > 0 {
		return e.say(exitUsage, textUnknownCommand, positional[0])
	}
	if f, ok := e.stdin.(*os.File); !*plain && (!ok || !term.IsTerminal(int(f.Fd()))) {
		return e.say(exitUsage, textNoTerminal)
	}
	// The organisation's providers files are read before the first frame,
	// so that a bad one is a usage error said before the screen takes
	// over; the embedded list is read when the address is first matched.
	db, code := e.catalog(files)
	if code != exitOK {
		return code
	}
	opts := ui.Options{Lang: e.lang, Formats: export.Formats(), NoBrowser: *noBrowser, HTTPClient: e.signinClient, Width: e.width(), Command: e.accountCommand}
	opts.Detector = discover.Detector{Config: discover.Config{Catalog: db}}
	opts.Providers = func() (wizard.ProviderFinder, error) { return db, nil }
	if dir, err := store.DefaultDir(runtime.GOOS, e.getenv); err == nil {
		opts.Saver = &store.Store{Dir: dir, Keyring: e.keyring}
	}
	if *plain {
		if err := ui.RunPlain(e.ctx, e.stdin, e.stdout, opts); err != nil {
			if e.ctx.Err() != nil {
				// ctrl+c on a terminal is SIGINT, which cancels e.ctx.
				return exitInterrupted
			}
			return exitFailed
		}
		return exitOK
	}
	m, err := ui.Run(e.ctx, e.stdin, e.stdout, opts)
	if err != nil {
		return e.say(exitFailed, textWizardFailed, err)
	}
	if m.Interrupted || e.ctx.Err() != nil {
		return exitInterrupted
	}
	if m.Aborted {
		return exitFailed
	}
	return exitOK
}

// accountCommand runs one of postino's commands for the wizard's welcome
// screen (test, report, export or remove of a saved account), in the
// wizard's language, with its output in out: the commands' own rules,
// never a copy. Nothing is read from the terminal the wizard holds: a
// saved account's password comes from the keyring.
func (e *env) accountCommand(ctx context.Context, args []string, out io.Writer) int {
	sub := &env{ctx: ctx, stdin: strings.NewReader(""), stdout: out, stderr: out, getenv: e.getenv,
		keyring: e.keyring, network: e.network, signinClient: e.signinClient}
	return sub.run(append(slices.Clone(args), "--lang", string(e.lang)))
}

// width is the terminal's width for the plain wizard's lines: COLUMNS,
// else the size of the terminal on standard output, else 80.
func (e *env) width() int {
	if n, err := strconv.Atoi(e.getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if f, ok := e.stdout.(*os.File); ok {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return 80
}

// Sentences of the wizard as a command.
var (
	textNoTerminal   = probe.Text{EN: "postino needs a terminal for the wizard: run postino --plain for plain questions, or in scripts its commands, e.g. postino test ADDRESS --password-stdin.", IT: "postino richiede un terminale per la procedura guidata: esegui postino --plain per rispondere alle domande riga per riga oppure, negli script, usa i suoi comandi, ad esempio postino test INDIRIZZO --password-stdin."}
	textWizardFailed = probe.Text{EN: "The wizard stopped: %s.", IT: "La procedura guidata si è interrotta: %s."}
)
