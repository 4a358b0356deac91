package cli

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestManPage checks the roff structure of postino man, that it has every
// command and flag of --help, and renders it with man or groff when
// installed.
func TestManPage(t *testing.T) {
	code, page, stderr := runCLI(t, "", nil, "man")
	if code != 0 || stderr != "" {
		t.Fatalf("man: exit %d, stderr %q", code, stderr)
	}
	if !strings.HasPrefix(page, ".TH POSTINO 1 ") {
		t.Errorf("the page does not start with .TH: %q", page[:min(40, len(page))])
	}
	for _, section := range []string{"NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "EXIT STATUS"} {
		if !strings.Contains(page, "\n.SH "+section+"\n") {
			t.Errorf("the page has no %s section", section)
		}
	}
	for i, line := range strings.Split(page, "\n") {
		if strings.HasPrefix(line, ".") && !strings.HasPrefix(line, `.\"`) {
			macro := strings.Fields(line)[0]
			switch macro {
			case ".TH", ".SH", ".SS", ".TP", ".B", ".br":
			default:
				t.Errorf("line %d: unexpected request %s", i+1, macro)
			}
		}
		if strings.HasPrefix(line, "'") {
			t.Errorf("line %d starts with ': %q", i+1, line)
		}
	}
	e := &env{ctx: context.Background(), getenv: func(string) string { return "" }}
	for _, c := range commands {
		if c.name != "" && !strings.Contains(page, "\n.SS "+c.name+"\n") {
			t.Errorf("the page has no section for %s", c.name)
		}
		e.flagsOf(c).VisitAll(func(fl *flag.Flag) {
			if !strings.Contains(page, "\n.B "+roff(flagName(fl.Name))) {
				t.Errorf("the page lacks %s's flag %s", c.name, flagName(fl.Name))
			}
		})
	}

	rendered := false
	if _, err := exec.LookPath("groff"); err == nil {
		cmd := exec.Command("groff", "-man", "-Tutf8", "-ww", "-z")
		cmd.Stdin = strings.NewReader(page)
		if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("groff: %v\n%s", err, out)
		}
		rendered = true
	}
	if _, err := exec.LookPath("man"); err == nil {
		cmd := exec.Command("man", "-l", "-")
		cmd.Env = append(os.Environ(), "MANPAGER=cat", "PAGER=cat", "MANWIDTH=80")
		cmd.Stdin = strings.NewReader(page)
		out, err := cmd.CombinedOutput()
		text := strings.ReplaceAll(string(out), "‐", "-")
		if err != nil || strings.Contains(text, "warning") {
			t.Errorf("man -l: %v\n%s", err, out)
		}
		for _, want := range []string{"NAME", "--format", "export", "…"} {
			if !strings.Contains(text, want) {
				t.Errorf("man's rendering lacks %q:\n%s", want, text)
			}
		}
		rendered = true
	}
	if !rendered {
		if os.Getenv("CI") == "true" {
			t.Fatal("neither man nor groff is installed")
		}
		t.Skip("neither man nor groff is installed: the roff structure alone was checked")
	}
}
