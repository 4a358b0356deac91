package cli

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/postino/postino/wizard/export"
)

// shellCheck checks a script's syntax with the shell's -n, skipping when
// the shell is not installed (in CI it must be: .ci/packages.txt).
func shellCheck(t *testing.T, shell, script string) {
	t.Helper()
	path, err := exec.LookPath(shell)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed", shell)
		}
		t.Skipf("%s is not installed", shell)
	}
	file := filepath.Join(t.TempDir(), "postino."+shell)
	if err := os.WriteFile(file, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(path, "-n", file).CombinedOutput(); err != nil {
		t.Errorf("%s -n: %v\n%s\n%s", shell, err, out, script)
	}
}

// TestCompletion checks that each script names every command, every flag
// and the values of --format and --lang, and that its shell reads it.
func TestCompletion(t *testing.T) {
	e := &env{ctx: context.Background(), getenv: func(string) string { return "" }}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			code, script, stderr := runCLI(t, "", nil, "completion", shell)
			if code != 0 || stderr != "" {
				t.Fatalf("completion %s: exit %d, stderr %q", shell, code, stderr)
			}
			var words []string
			for _, c := range commands {
				words = append(words, c.name)
				e.flagsOf(c).VisitAll(func(fl *flag.Flag) {
					if shell == "fish" {
						words = append(words, map[bool]string{true: "-s ", false: "-l "}[len(fl.Name) == 1]+fl.Name)
					} else {
						words = append(words, flagName(fl.Name))
					}
				})
			}
			words = append(append(words, export.Formats()...), "it en")
			for _, w := range words {
				if !strings.Contains(script, w) {
					t.Errorf("the %s script lacks %q", shell, w)
				}
			}
			shellCheck(t, shell, script)
		})
	}
	if code, _, _ := runCLI(t, "", nil, "completion", "tcsh"); code != 2 {
		t.Errorf("completion tcsh: exit %d, want 2", code)
	}
}

// TestBashCompletes runs the bash script's function as bash completion
// would.
func TestBashCompletes(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	_, script, _ := runCLI(t, "", nil, "completion", "bash")
	tests := []struct{ line, want string }{
		{"postino --lang it exp", "export"},
		{"postino export x --format thu", "thunderbird"},
		{"postino test a@b.c --allow", "--allow-cleartext"},
		{"postino --lang i", "it"},
	}
	for _, tt := range tests {
		cmd := exec.Command("bash", "-c", script+`
COMP_WORDS=($LINE); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _postino; echo "${COMPREPLY[*]}"`)
		cmd.Env = append(os.Environ(), "LINE="+tt.line)
		out, err := cmd.Output()
		if err != nil || strings.TrimSpace(string(out)) != tt.want {
			t.Errorf("%s<tab> = %q, %v; want %q", tt.line, out, err, tt.want)
		}
	}
}
