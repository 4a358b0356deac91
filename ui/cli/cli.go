// Package cli runs postino's commands: it parses the command line, calls
// the wizard and the probe, and prints for a person or, with --json, for a
// script.
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/postino/postino/ui"
	"github.com/postino/postino/wizard/discover"
	"github.com/postino/postino/wizard/store"
)

// Exit codes of the command-line contract.
const (
	exitOK     = 0
	exitFailed = 1 // a test failed or nothing was found
	exitUsage  = 2 // bad usage or bad input
	exitSystem = 3 // keyring or file-system failure
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
	lang    string
}

// say prints one sentence to stderr and returns the exit code.
func (e *env) say(code int, t ui.Text, args ...any) int {
	fmt.Fprintln(e.stderr, t.In(e.lang, args...))
	return code
}

// Run runs postino with args (without the program's name) and returns the
// exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, keyring: store.System{}}
	return e.run(args)
}

func (e *env) run(args []string) int {
	lang, err := ui.Lang(langFlag(args), e.getenv)
	e.lang = lang
	if err != nil {
		return e.say(exitUsage, ui.TextBadFlag, err)
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && !isHelp(args[0]) {
		return e.wizard(args)
	}
	switch args[0] {
	case "detect":
		return e.detect(args[1:])
	case "test":
		return e.test(args[1:])
	case "export":
		return e.export(args[1:])
	case "list":
		return e.list(args[1:])
	case "show":
		return e.show(args[1:])
	case "remove":
		return e.remove(args[1:])
	case "password":
		return e.printPassword(args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(e.stdout, ui.TextUsage.In(lang))
		return exitOK
	}
	return e.say(exitUsage, ui.TextUnknownCommand, args[0])
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
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
