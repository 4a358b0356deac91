package cli

import (
	"flag"
	"os"
	"runtime"
	"strings"

	"golang.org/x/term"

	"github.com/postino/postino/ui"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/export"
	"github.com/postino/postino/wizard/providers"
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
	if env := e.getenv("POSTINO_PROVIDERS"); env != "" {
		files = append(strings.Split(env, ":"), files...)
	}
	opts := ui.Options{Lang: e.lang, Formats: export.Formats()}
	db, err := loadProviders(files)
	if err != nil {
		return e.say(exitUsage, ui.TextBadFlag, err)
	}
	if db != nil {
		opts.Detector = wizard.ListDetector{DB: db}
		opts.Providers = func() (wizard.ProviderFinder, error) { return db, nil }
	}
	if dir, err := store.DefaultDir(runtime.GOOS, e.getenv); err == nil {
		opts.Saver = &store.Store{Dir: dir, Keyring: e.keyring}
	}
	if *plain {
		if err := ui.RunPlain(e.ctx, e.stdin, e.stdout, opts); err != nil {
			return exitFailed
		}
		return exitOK
	}
	f, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return e.say(exitUsage, ui.TextNoTerminal)
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

// loadProviders reads the providers files given, later ones winning; nil
// when there are none. The embedded list joins them once main embeds it.
func loadProviders(files []string) (*providers.DB, error) {
	var db *providers.DB
	for _, f := range files {
		next, err := providers.LoadFile(f)
		if err != nil {
			return nil, err
		}
		if db == nil {
			db = next
		} else {
			db = db.Merge(next)
		}
	}
	return db, nil
}
