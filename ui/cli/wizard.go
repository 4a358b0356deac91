package cli

import (
	"flag"
	"os"
	"runtime"

	"golang.org/x/term"

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
	var files listFlag
	fs.Var(&files, "providers", "extra providers file (repeatable)")
	fs.String("lang", "", "it or en")
	positional, err := parse(fs, args)
	if err != nil {
		return e.say(exitUsage, ui.TextBadFlag, err)
	}
	if len(positional) > 0 {
		return e.say(exitUsage, ui.TextUnknownCommand, positional[0])
	}
	if f, ok := e.stdin.(*os.File); !*plain && (!ok || !term.IsTerminal(int(f.Fd()))) {
		return e.say(exitUsage, ui.TextNoTerminal)
	}
	// The provider list is read before the first frame: a few milliseconds,
	// and a bad file is a usage error said before the screen takes over.
	db, code := e.catalog(files)
	if code != exitOK {
		return code
	}
	opts := ui.Options{Lang: e.lang, Formats: export.Formats()}
	opts.Detector = discover.Detector{Config: discover.Config{Catalog: db}}
	opts.Providers = func() (wizard.ProviderFinder, error) { return db, nil }
	if dir, err := store.DefaultDir(runtime.GOOS, e.getenv); err == nil {
		opts.Saver = &store.Store{Dir: dir, Keyring: e.keyring}
	}
	if *plain {
		if err := ui.RunPlain(e.ctx, e.stdin, e.stdout, opts); err != nil {
			return exitFailed
		}
		return exitOK
	}
	m, err := ui.Run(e.ctx, e.stdin, e.stdout, opts)
	if err != nil {
		return e.say(exitFailed, ui.TextWizardFailed, err)
	}
	if m.Aborted {
		return exitFailed
	}
	return exitOK
}
