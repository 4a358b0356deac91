package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/postino/postino/probe"
)

// man is postino man: the manual page in roff, from the same commands and
// flags as --help.
func (e *env) man(args []string) int {
	fs := flag.NewFlagSet("man", flag.ContinueOnError)
	fs.String("lang", "", "it or en")
	positional, err := e.parse(fs, args)
	if err != nil {
		return e.flagError(err)
	}
	if len(positional) > 0 {
		return e.say(exitUsage, textBadFlag, "postino man takes no argument")
	}
	e.writeMan(e.stdout)
	return exitOK
}

// roff escapes s for a line of roff text.
func roff(s string) string {
	s = strings.NewReplacer(`\`, `\e`, `-`, `\-`).Replace(s)
	var b strings.Builder
	for _, r := range s {
		if r > 127 {
			fmt.Fprintf(&b, `\[u%04X]`, r)
		} else {
			b.WriteRune(r)
		}
	}
	s = b.String()
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// writeMan writes the manual page, in English.
func (e *env) writeMan(w io.Writer) {
	en := probe.English
	fmt.Fprintf(w, ".TH POSTINO 1 \"\" \"postino %s\" \"User Commands\"\n", roff(version()))
	fmt.Fprintf(w, ".SH NAME\npostino \\- set up an email account: find, live\\-test and keep its server settings\n")
	fmt.Fprintf(w, ".SH SYNOPSIS\n")
	for _, c := range commands {
		fmt.Fprintf(w, ".B %s\n.br\n", roff(synopsis(c)))
	}
	fmt.Fprintf(w, ".SH DESCRIPTION\n%s.\n", roff(textManDescription.In(en)))
	fmt.Fprintf(w, ".SH COMMANDS\n")
	for _, c := range commands {
		title := c.name
		if title == "" {
			title = "postino (no command)"
		}
		fmt.Fprintf(w, ".SS %s\n%s.\n", roff(title), roff(c.summary.In(en)))
		e.flagsOf(c).VisitAll(func(fl *flag.Flag) {
			name, usage := flagLine(fl, en)
			fmt.Fprintf(w, ".TP\n.B %s\n%s\n", roff(name), roff(usage))
		})
	}
	fmt.Fprintf(w, ".SH EXIT STATUS\n.TP\n.B 0\nsuccess\n.TP\n.B 1\na test failed or nothing was found\n.TP\n.B 2\nbad usage or bad input\n.TP\n.B 3\nkeyring or file\\-system failure\n.TP\n.B 130\ninterrupted\n")
	fmt.Fprintf(w, ".SH ENVIRONMENT\n.TP\n.B POSTINO_PROVIDERS\nextra providers files, colon\\-separated\n.TP\n.B LC_ALL, LC_MESSAGES, LANG\nthe language (it or en) when \\-\\-lang is not given\n")
	fmt.Fprintf(w, ".SH SEE ALSO\nThe JSON outputs are described in docs/json.md of postino's sources.\n")
}

var textManDescription = probe.Text{EN: "postino finds an email account's server settings, live-tests them, explains what is wrong, and keeps the result; its commands serve scripts, with --json for machine output", IT: "postino trova le impostazioni dei server di un account email, le prova, spiega cosa non va e conserva il risultato; i suoi comandi servono agli script, con --json per l'output per le macchine"}
