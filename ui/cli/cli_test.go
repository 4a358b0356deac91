package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/postino/postino/probe"
)

// runCLI runs postino in-process and returns its exit code and outputs.
func runCLI(t *testing.T, stdin string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code := Run(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr, getenv)
	return code, stdout.String(), stderr.String()
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		env   map[string]string
		args  []string
		code  int
		want  string
	}{
		{"no terminal", "", nil, nil, 2, "needs a terminal"},
		{"unknown command", "", nil, []string{"frobnicate"}, 2, `no command "frobnicate"`},
		{"no address", "", nil, []string{"test"}, 2, "needs one email address"},
		{"two addresses", "", nil, []string{"test", "a@b.c", "d@e.f"}, 2, "needs one email address"},
		{"bad address", "", nil, []string{"test", "not-an-address", "--incoming", "imaps://h"}, 2, "is not a usable address"},
		{"unknown flag", "", nil, []string{"test", "a@b.c", "--frob"}, 2, "Bad command line"},
		{"bad scheme", "", nil, []string{"test", "a@b.c", "--incoming", "http://h"}, 2, "unknown scheme"},
		{"password in URL", "", nil, []string{"test", "a@b.c", "--incoming", "imaps://u:hunter2@h"}, 2, "contains a password"},
		{"bad port", "", nil, []string{"test", "a@b.c", "--outgoing", "smtps://h:99999"}, 2, "bad port"},
		{"smtp as incoming", "", nil, []string{"test", "a@b.c", "--incoming", "smtps://h"}, 2, "--incoming needs IMAP/POP3"},
		{"imap as outgoing", "", nil, []string{"test", "a@b.c", "--outgoing", "imaps://h"}, 2, "--outgoing needs SMTP"},
		{"smtp as incoming, the sentence", "", nil, []string{"test", "a@b.c", "--incoming", "smtp://h"}, 2, "smtp://h speaks SMTP, but --incoming needs IMAP/POP3."},
		{"imap as outgoing, the sentence", "", nil, []string{"test", "a@b.c", "--outgoing", "imaps://h"}, 2, "imaps://h speaks IMAP, but --outgoing needs SMTP."},
		{"bad pin", "", nil, []string{"test", "a@b.c", "--incoming", "imaps://h", "--pin", "sha256:xyz"}, 2, "not a SHA-256 fingerprint"},
		// A bad pin is bad usage before anything is looked up: not a
		// failed detection, not an account or address not found.
		{"bad pin, nothing given", "", nil, []string{"test", "not-an-address", "--pin", "sha256:xyz"}, 2, "not a SHA-256 fingerprint"},
		{"missing CA file", "", nil, []string{"test", "a@b.c", "--incoming", "imaps://h", "--ca-file", "/nonexistent/ca.pem"}, 2, "no such file"},
		{"CA file without certificates", "", nil, []string{"test", "a@b.c", "--incoming", "imaps://h", "--ca-file", "cli.go"}, 2, "holds no PEM certificate"},
		{"empty password", "\n", nil, []string{"test", "a@b.c", "--incoming", "imaps://h", "--password-stdin"}, 2, "password read from standard input is empty"},
		{"zero timeout", "", nil, []string{"test", "a@b.c", "--incoming", "imaps://h", "--timeout", "0s"}, 2, "--timeout must be positive"},
		{"bad lang", "", nil, []string{"test", "--lang", "fr"}, 2, `--lang "fr"`},
		{"italian by flag", "", nil, []string{"test", "--lang", "it"}, 2, "richiede un indirizzo email"},
		{"italian by locale", "", map[string]string{"LANG": "it_IT.UTF-8"}, []string{"test", "x"}, 2, "non è un indirizzo utilizzabile"},
		{"LC_ALL wins over LANG", "", map[string]string{"LC_ALL": "en_US.UTF-8", "LANG": "it_IT.UTF-8"}, []string{"test"}, 2, "needs one email address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.stdin, tt.env, tt.args...)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.want)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if n := strings.Count(strings.TrimSpace(stderr), "\n"); n != 0 {
				t.Errorf("stderr has %d lines, want one sentence: %q", n+1, stderr)
			}
			if strings.Contains(stderr, "hunter2") {
				t.Errorf("stderr repeats the password: %q", stderr)
			}
		})
	}
}

func TestFlagsAnywhere(t *testing.T) {
	// Flags may come before or after the address; a closed port proves
	// both the parsing and the exit code of a failed test.
	for _, args := range [][]string{
		{"test", "--json", "a@b.c", "--incoming", "imaps://127.0.0.1:1"},
		{"test", "a@b.c", "--incoming=imaps://127.0.0.1:1", "--json"},
	} {
		code, stdout, stderr := runCLI(t, "", nil, args...)
		if code != 1 || !strings.Contains(stdout, `"code": "connection_refused"`) || stderr != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}

func TestChooseLang(t *testing.T) {
	tests := []struct {
		flag string
		env  map[string]string
		want probe.Lang
		bad  bool
	}{
		{"", nil, "en", false},
		{"it", nil, "it", false},
		{"IT", map[string]string{"LANG": "en_US"}, "it", false},
		{"en", map[string]string{"LANG": "it_IT.UTF-8"}, "en", false},
		{"", map[string]string{"LANG": "it_IT.UTF-8"}, "it", false},
		{"", map[string]string{"LC_MESSAGES": "it_CH", "LANG": "en_GB"}, "it", false},
		{"", map[string]string{"LC_ALL": "C", "LANG": "it_IT"}, "en", false},
		{"de", nil, "en", true},
	}
	for _, tt := range tests {
		got, err := chooseLang(tt.flag, func(k string) string { return tt.env[k] })
		if got != tt.want || (err != nil) != tt.bad {
			t.Errorf("chooseLang(%q, %v) = %q, %v; want %q, error %v", tt.flag, tt.env, got, err, tt.want, tt.bad)
		}
	}
}

func TestEveryURLProblemHasTexts(t *testing.T) {
	for p := probe.URLMalformed; p <= probe.URLControl; p++ {
		tx, ok := urlTexts[p]
		if !ok || tx.EN == tx.IT {
			t.Errorf("urlTexts[%d] = %+v, want a text translated into Italian (probe.TestEveryTextComplete checks both are there)", p, tx)
		}
	}
}

// TestPasswordRefusedNotCut: a password over 4096 bytes, or with a NUL
// byte, is refused in one sentence (exit 2) before anything is tested or
// saved; the longest one is taken whole.
func TestPasswordRefusedNotCut(t *testing.T) {
	config := t.TempDir()
	env := map[string]string{"XDG_CONFIG_HOME": config, "HOME": config}
	args := []string{"test", "anna@example.com", "--incoming", "imaps://127.0.0.1:1", "--password-stdin", "--save", "--timeout", "1s"}
	for _, tt := range []struct {
		name, stdin, want string
		code              int
	}{
		{"too long", strings.Repeat("p", 4097) + "\n", "longer than 4096 bytes", 2},
		{"far too long", strings.Repeat("p", 100000), "longer than 4096 bytes", 2},
		{"a NUL byte", "pass\x00word\n", "NUL byte", 2},
		{"empty", "\n", "is empty", 2},
	} {
		code, stdout, stderr := runCLI(t, tt.stdin, env, args...)
		if code != tt.code || stdout != "" || !strings.Contains(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want %d and one sentence with %q", tt.name, code, stdout, stderr, tt.code, tt.want)
		}
	}
	// The longest password is tested whole: the server refuses the
	// connection, so the test fails (exit 1) rather than the input.
	code, _, stderr := runCLI(t, strings.Repeat("p", 4096)+"\r\n", env, args...)
	if code != 1 || strings.Contains(stderr, "4096") {
		t.Errorf("a 4096-byte password: exit %d, stderr %q; want it taken", code, stderr)
	}
	if entries, _ := os.ReadDir(filepath.Join(config, "postino")); len(entries) != 0 {
		t.Errorf("something was saved: %v", entries)
	}
}

// TestJSONOnFailure checks that a command run with --json answers on
// stdout even when it stops first: one object naming the exit code and
// the sentence said on stderr, in the chosen language; without --json
// stdout stays empty.
func TestJSONOnFailure(t *testing.T) {
	cases := []struct {
		args []string
		code int
	}{
		{[]string{"detect", "notanaddress", "--json"}, exitUsage},
		{[]string{"detect", "--json", "--bogus", "a@example.com"}, exitUsage},
		{[]string{"detect", "--json=true", "a@example.com", "b@example.com"}, exitUsage},
		{[]string{"detect", "--json", "--lang", "xx", "a@example.com"}, exitUsage},
		{[]string{"test", "--json", "a@example.com", "--incoming", "gopher://x"}, exitUsage},
		{[]string{"detect", "--lang", "it", "--json", "notanaddress"}, exitUsage},
	}
	for _, c := range cases {
		code, stdout, stderr := runCLI(t, "", nil, c.args...)
		if code != c.code {
			t.Errorf("%q: exit %d, want %d", c.args, code, c.code)
		}
		var out struct {
			Schema int `json:"schema"`
			Error  struct {
				Exit    int    `json:"exit"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal([]byte(stdout), &out); err != nil {
			t.Errorf("%q: stdout is not one JSON object (%v): %q", c.args, err, stdout)
			continue
		}
		if out.Schema != jsonSchema || out.Error.Exit != code || out.Error.Message == "" || out.Error.Message != strings.TrimSpace(stderr) {
			t.Errorf("%q: JSON %+v, stderr %q", c.args, out, stderr)
		}
	}
	if code, stdout, _ := runCLI(t, "", nil, "detect", "--json=false", "notanaddress"); code != exitUsage || stdout != "" {
		t.Errorf("--json=false: exit %d, stdout %q", code, stdout)
	}
	// postino password's stdout is a password for mail programs: it has
	// no --json and never answers in JSON.
	if code, stdout, _ := runCLI(t, "", nil, "password", "--json", "a"); code != exitUsage || stdout != "" {
		t.Errorf("password --json: exit %d, stdout %q", code, stdout)
	}
	if code, stdout, _ := runCLI(t, "", nil, "detect", "notanaddress"); code != exitUsage || stdout != "" {
		t.Errorf("without --json: exit %d, stdout %q", code, stdout)
	}
	_, stdout, _ := runCLI(t, "", nil, "detect", "--lang", "it", "--json", "notanaddress")
	if !strings.Contains(stdout, "non è un indirizzo") {
		t.Errorf("--lang it: the message is not Italian: %s", stdout)
	}
}
