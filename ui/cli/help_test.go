package cli

import (
	"context"
	"flag"
	"strings"
	"testing"
)

// TestHelpEveryCommand checks that every command answers --help, -h and
// postino help COMMAND on stdout with exit 0, naming every flag it parses.
func TestHelpEveryCommand(t *testing.T) {
	e := &env{ctx: context.Background(), getenv: func(string) string { return "" }}
	for _, c := range commands {
		fs := e.flagsOf(c)
		var names []string
		fs.VisitAll(func(fl *flag.Flag) { names = append(names, flagName(fl.Name)) })
		if len(names) == 0 {
			t.Errorf("%q: no flags found (not even --lang): did it parse with e.parse?", c.name)
		}
		calls := [][]string{{"--help"}, {"-h"}, {"help", c.name}}
		if c.name != "" {
			calls = [][]string{{c.name, "--help"}, {c.name, "-h"}, {c.name, "-help"}, {"help", c.name}}
		}
		for _, args := range calls {
			code, stdout, stderr := runCLI(t, "", nil, args...)
			if c.name == "" && args[0] == "help" {
				continue
			}
			if code != 0 || stderr != "" {
				t.Errorf("postino %s: exit %d, stderr %q; want 0 and nothing", strings.Join(args, " "), code, stderr)
			}
			if c.name != "" && !strings.Contains(stdout, synopsis(c)) {
				t.Errorf("postino %s: stdout %q lacks the synopsis %q", strings.Join(args, " "), stdout, synopsis(c))
			}
			for _, n := range names {
				if c.name != "" && !strings.Contains(stdout, "  "+n+" ") {
					t.Errorf("postino %s: stdout lacks the flag %s:\n%s", strings.Join(args, " "), n, stdout)
				}
			}
		}
	}
}

// TestHelpLists checks that postino --help names every command and every
// flag of the wizard and of export.
func TestHelpLists(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"--lang", "en", "--help"}, {"--plain", "-h"}} {
		code, stdout, stderr := runCLI(t, "", nil, args...)
		if code != 0 || stderr != "" {
			t.Fatalf("postino %s: exit %d, stderr %q", args[0], code, stderr)
		}
		for _, c := range commands {
			if c.name != "" && !strings.Contains(stdout, "\n  "+c.name+" ") {
				t.Errorf("postino %s does not list the command %s", args[0], c.name)
			}
		}
		e := &env{ctx: context.Background(), getenv: func(string) string { return "" }}
		for _, name := range []string{"", "export"} {
			c, _ := findCommand(name)
			e.flagsOf(c).VisitAll(func(fl *flag.Flag) {
				if !strings.Contains(stdout, "  "+flagName(fl.Name)+" ") {
					t.Errorf("postino %s does not list %q's flag %s", args[0], name, flagName(fl.Name))
				}
			})
		}
	}
	if code, _, stderr := runCLI(t, "", nil, "help", "frobnicate"); code != 2 || !strings.Contains(stderr, "frobnicate") {
		t.Errorf("postino help frobnicate: exit %d, stderr %q", code, stderr)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, stdout, stderr := runCLI(t, "", nil, args...)
		if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "postino ") || strings.Count(stdout, "\n") != 1 {
			t.Errorf("postino %s: exit %d, stdout %q, stderr %q", args[0], code, stdout, stderr)
		}
	}
	defer func(v string) { stampedVersion = v }(stampedVersion)
	stampedVersion = "1.2.3"
	if _, stdout, _ := runCLI(t, "", nil, "version"); stdout != "postino 1.2.3\n" {
		t.Errorf("stamped version: %q", stdout)
	}
}

// TestFlagsAsTyped checks that a bad flag is named as it was typed.
func TestFlagsAsTyped(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"test", "a@b.c", "--bogus"}, "not defined: --bogus."},
		{[]string{"test", "a@b.c", "-bogus"}, "not defined: -bogus."},
		{[]string{"detect", "--bogus=1", "a@b.c"}, "not defined: --bogus."},
		{[]string{"--bogus"}, "not defined: --bogus."},
		{[]string{"detect", "a@b.c", "--timeout", "x"}, "for flag --timeout:"},
		{[]string{"detect", "a@b.c", "--timeout"}, "needs an argument: --timeout"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, "", nil, tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("postino %s: exit %d, stderr %q, want 2 and %q", strings.Join(tt.args, " "), code, stderr, tt.want)
		}
	}
}

// TestFlagMeanings checks that every flag of every command has its
// meaning in both languages, and that help in Italian prints the Italian
// one.
func TestFlagMeanings(t *testing.T) {
	e := &env{ctx: context.Background(), getenv: func(string) string { return "" }}
	used := map[string]bool{}
	for _, c := range commands {
		e.flagsOf(c).VisitAll(func(fl *flag.Flag) {
			used[fl.Usage] = true
			m, ok := flagMeanings[fl.Usage]
			if !ok || m.IT == "" || m.IT == m.EN && fl.Name != "lang" {
				t.Errorf("postino %s %s: no Italian for its meaning %q in flagMeanings", c.name, flagName(fl.Name), fl.Usage)
			}
		})
	}
	for en := range flagMeanings {
		if !used[en] {
			t.Errorf("flagMeanings has %q, which no flag uses", en)
		}
	}
	_, stdout, _ := runCLI(t, "", nil, "test", "--help", "--lang", "it")
	for _, want := range []string{"uso: postino test INDIRIZZO|NOME [opzioni]", "legge la password dallo standard input", "(predefinito: 15s)", "--lang it|en ", "opzioni:"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("postino test --help --lang it lacks %q:\n%s", want, stdout)
		}
	}
}
