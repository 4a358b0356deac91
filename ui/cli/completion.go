package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/postino/postino/wizard/export"
)

// completion is postino completion bash|zsh|fish: a script that completes
// the commands, each command's flags and the values of --format and
// --lang, read from the same definitions as --help.
func (e *env) completion(args []string) int {
	fs := flag.NewFlagSet("completion", flag.ContinueOnError)
	fs.String("lang", "", "it or en")
	positional, err := e.parse(fs, args)
	if err != nil {
		return e.flagError(err)
	}
	if len(positional) != 1 {
		return e.say(exitUsage, textBadFlag, "postino completion takes one shell: bash, zsh or fish")
	}
	shells := map[string]func(io.Writer, []shellCommand){"bash": bashCompletion, "zsh": zshCompletion, "fish": fishCompletion}
	write, ok := shells[positional[0]]
	if !ok {
		return e.say(exitUsage, textBadFlag, fmt.Sprintf("postino completion knows bash, zsh and fish, not %q", positional[0]))
	}
	var cmds []shellCommand
	for _, c := range commands {
		sc := shellCommand{command: c}
		e.flagsOf(c).VisitAll(func(fl *flag.Flag) { sc.flags = append(sc.flags, fl) })
		switch c.name {
		case "completion":
			sc.words = []string{"bash", "zsh", "fish"}
		case "help":
			for _, c := range commands {
				if c.name != "" {
					sc.words = append(sc.words, c.name)
				}
			}
		}
		cmds = append(cmds, sc)
	}
	write(e.stdout, cmds)
	return exitOK
}

// shellCommand is a command, its flags and the words it takes.
type shellCommand struct {
	command
	flags []*flag.Flag
	words []string
}

// flagNames is every flag of c as typed.
func (c shellCommand) flagNames() []string {
	var names []string
	for _, fl := range c.flags {
		names = append(names, flagName(fl.Name))
	}
	return names
}

// flagValues are the values a flag takes, if they are a known few.
func flagValues(name string) []string {
	switch name {
	case "format":
		return append(export.Formats(), "list")
	case "lang":
		return []string{"it", "en"}
	case "auth":
		return []string{"password", "oauth2"}
	}
	return nil
}

// valueFlags is the wizard's flags that take a value, as a case pattern:
// the value that follows is not a command.
func valueFlags(wizard shellCommand) string {
	var names []string
	for _, fl := range wizard.flags {
		if !isBool(fl) {
			names = append(names, flagName(fl.Name))
		}
	}
	return strings.Join(names, "|")
}

func commandNames() []string {
	var names []string
	for _, c := range commands {
		if c.name != "" {
			names = append(names, c.name)
		}
	}
	return names
}

// commandCase is one case of a shell's completion: the command (” for
// none yet) and the words that may follow it.
type commandCase struct {
	pattern string
	words   []string
}

// commandCases are the cases of bash's and zsh's completion: before a
// command, the commands and the wizard's flags; after one, its flags and
// words.
func commandCases(cmds []shellCommand) []commandCase {
	var out []commandCase
	for _, c := range cmds {
		words := c.flagNames()
		pattern := c.name
		if c.name == "" {
			pattern = "''"
			words = append(commandNames(), words...)
		}
		out = append(out, commandCase{pattern, append(words, c.words...)})
	}
	return out
}

func bashCompletion(w io.Writer, cmds []shellCommand) {
	fmt.Fprintf(w, "# bash completion for postino: source it, or put it in\n# ~/.local/share/bash-completion/completions/postino\n")
	fmt.Fprintf(w, "_postino() {\n\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd= i words\n")
	fmt.Fprintf(w, "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n\t\tcase ${COMP_WORDS[i]} in\n\t\t%s) ((i++)) ;;\n\t\t-*) ;;\n", valueFlags(cmds[0]))
	fmt.Fprintf(w, "\t\t*) cmd=${COMP_WORDS[i]}; break ;;\n\t\tesac\n\tdone\n")
	fmt.Fprintf(w, "\tcase $prev in\n")
	for _, name := range []string{"format", "lang", "auth"} {
		fmt.Fprintf(w, "\t--%s) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;\n", name, strings.Join(flagValues(name), " "))
	}
	fmt.Fprintf(w, "\tesac\n\tcase $cmd in\n")
	for _, c := range commandCases(cmds) {
		fmt.Fprintf(w, "\t%s) words=%q ;;\n", c.pattern, strings.Join(c.words, " "))
	}
	fmt.Fprintf(w, "\t*) words= ;;\n\tesac\n\tCOMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n}\ncomplete -o default -F _postino postino\n")
}

func zshCompletion(w io.Writer, cmds []shellCommand) {
	fmt.Fprintf(w, "#compdef postino\n# zsh completion for postino: put it as _postino in a directory of $fpath,\n# or source it.\n")
	fmt.Fprintf(w, "_postino() {\n\tlocal cmd= i\n\tfor ((i = 2; i < CURRENT; i++)); do\n\t\tcase ${words[i]} in\n\t\t%s) ((i++)) ;;\n\t\t-*) ;;\n", valueFlags(cmds[0]))
	fmt.Fprintf(w, "\t\t*) cmd=${words[i]}; break ;;\n\t\tesac\n\tdone\n")
	fmt.Fprintf(w, "\tcase ${words[CURRENT-1]} in\n")
	for _, name := range []string{"format", "lang", "auth"} {
		fmt.Fprintf(w, "\t--%s) compadd -- %s; return ;;\n", name, strings.Join(flagValues(name), " "))
	}
	fmt.Fprintf(w, "\tesac\n\tcase $cmd in\n")
	for _, c := range commandCases(cmds) {
		fmt.Fprintf(w, "\t%s) compadd -- %s ;;\n", c.pattern, strings.Join(c.words, " "))
	}
	fmt.Fprintf(w, "\t*) _files ;;\n\tesac\n}\n")
	fmt.Fprintf(w, "if [ \"$funcstack[1]\" = _postino ]; then\n\t_postino \"$@\"\nelse\n\tcompdef _postino postino\nfi\n")
}

// fishQuote quotes s for fish.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func fishCompletion(w io.Writer, cmds []shellCommand) {
	fmt.Fprintf(w, "# fish completion for postino: put it in ~/.config/fish/completions/postino.fish\n")
	fmt.Fprintf(w, "complete -c postino -f\n")
	for _, c := range cmds {
		cond := "__fish_seen_subcommand_from " + c.name
		if c.name == "" {
			cond = "__fish_use_subcommand"
		} else {
			fmt.Fprintf(w, "complete -c postino -n __fish_use_subcommand -a %s -d %s\n", c.name, fishQuote(c.summary.EN))
		}
		for _, fl := range c.flags {
			opt := "-l " + fl.Name
			if len(fl.Name) == 1 {
				opt = "-s " + fl.Name
			}
			if !isBool(fl) {
				opt += " -r"
				if v := flagValues(fl.Name); v != nil {
					opt += " -x -a " + fishQuote(strings.Join(v, " "))
				} else if strings.Contains(fl.Usage, "file") || strings.Contains(fl.Usage, "FILE") {
					opt += " -F"
				}
			}
			_, usage := flag.UnquoteUsage(fl)
			fmt.Fprintf(w, "complete -c postino -n %s %s -d %s\n", fishQuote(cond), opt, fishQuote(usage))
		}
		if len(c.words) > 0 {
			fmt.Fprintf(w, "complete -c postino -n %s -a %s\n", fishQuote(cond), fishQuote(strings.Join(c.words, " ")))
		}
	}
}
