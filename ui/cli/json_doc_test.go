package cli

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestJSONDocumented runs every command that prints JSON and checks that
// it carries the schema version, and that docs/json.md lists each of its
// top-level keys under the command's heading.
func TestJSONDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/json.md")
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]string{}
	for _, part := range strings.Split(string(doc), "\n## ")[1:] {
		heading, body, _ := strings.Cut(part, "\n")
		sections[strings.Fields(heading)[1]] = body
	}
	documented := regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\|")

	a := newAccountsEnv(t)
	url, pin := startIMAPS(t)
	runs := []struct {
		command string
		code    int
		run     func() (int, string, string)
	}{
		{"detect", 0, func() (int, string, string) {
			return runCLI(t, "", nil, "detect", "alice@libero.it", "--offline", "--json")
		}},
		{"detect", 1, func() (int, string, string) {
			return runCLI(t, "", nil, "detect", "nobody@nowhere.invalid", "--offline", "--json")
		}},
		{"test", 0, func() (int, string, string) {
			return a.run(t, unitPassword+"\n", "test", unitUser, "--incoming", url, "--pin", pin, "--password-stdin", "--save", "--json")
		}},
		{"list", 0, func() (int, string, string) { return a.run(t, "", "list", "--json") }},
		{"show", 0, func() (int, string, string) { return a.run(t, "", "show", unitUser, "--json") }},
		{"export", 0, func() (int, string, string) { return a.run(t, "", "export", unitUser, "--format", "json") }},
		{"report", 0, func() (int, string, string) { return a.run(t, "", "report", unitUser, "--json") }},
		{"doctor", 0, func() (int, string, string) {
			a.environ = map[string]string{"HOME": t.TempDir()}
			defer func() { a.environ = nil }()
			return a.run(t, "", "doctor", "--json")
		}},
		{"doctor", 1, func() (int, string, string) {
			return runCLI(t, "", map[string]string{"HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir()}, "doctor", "--json")
		}},
		{"*", 2, func() (int, string, string) { return runCLI(t, "", nil, "detect", "--json", "--bogus") }},
		{"*", 1, func() (int, string, string) { return a.run(t, "", "show", "nobody", "--json") }},
	}
	for _, r := range runs {
		code, stdout, stderr := r.run()
		if code != r.code {
			t.Errorf("%s --json: exit %d, want %d (stderr %q)", r.command, code, r.code, stderr)
		}
		var out map[string]any
		if err := json.Unmarshal([]byte(stdout), &out); err != nil {
			t.Errorf("%s --json: exit %d, not one JSON object (%v):\n%s%s", r.command, code, err, stdout, stderr)
			continue
		}
		if out["schema"] != float64(jsonSchema) {
			t.Errorf("%s --json: schema = %v, want %d", r.command, out["schema"], jsonSchema)
		}
		keys := map[string]bool{}
		for _, m := range documented.FindAllStringSubmatch(sections[r.command], -1) {
			keys[m[1]] = true
		}
		for k := range out {
			if !keys[k] {
				t.Errorf("%s --json prints %q, which docs/json.md does not list under postino %s", r.command, k, r.command)
			}
		}
	}
}
