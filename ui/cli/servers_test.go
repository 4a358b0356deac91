package cli

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/probe/probetest"
)

// testJSON is what the tests read of postino test --json.
type testJSON struct {
	OK      bool `json:"ok"`
	Results []struct {
		Role   string `json:"role"`
		OK     bool   `json:"ok"`
		Code   string `json:"code"`
		Server struct {
			Protocol, Host, Security string
			Port                     int
		} `json:"server"`
		TLS *struct {
			Version  string `json:"version"`
			Verified bool   `json:"verified"`
			Pinned   bool   `json:"pinned"`
		} `json:"tls"`
		Software       string   `json:"software"`
		AuthMechanisms []string `json:"auth_mechanisms"`
		Message        string   `json:"message"`
	} `json:"results"`
}

func TestRealServers(t *testing.T) {
	env := probetest.RealServers(t)
	pw := probetest.Password()
	good, user := env["GOOD_HOST"], env["USER"]
	url := func(scheme, host, portKey string) string { return scheme + "://" + host + ":" + env[portKey] }
	tests := []struct {
		name     string
		args     []string
		password string
		code     int
		want     []string // the code of each result, in order
	}{
		{"imaps and submission", []string{"--incoming", url("imaps", good, "IMAPS_PORT"), "--outgoing", url("smtp", good, "SUBMISSION_PORT")}, pw, 0, []string{"ok", "ok"}},
		{"imap starttls and smtps", []string{"--incoming", url("imap", good, "IMAP_PORT"), "--outgoing", url("smtps", good, "SMTPS_PORT")}, pw, 0, []string{"ok", "ok"}},
		{"pop3s", []string{"--incoming", url("pop3s", good, "POP3S_PORT")}, pw, 0, []string{"ok"}},
		{"pop3 starttls", []string{"--incoming", url("pop3", good, "POP3_PORT")}, pw, 0, []string{"ok"}},
		// The incoming fallback on the same host is not tried with the refused password.
		{"wrong password once per host and role", []string{"--incoming", url("imaps", good, "IMAPS_PORT"), "--incoming", url("pop3", good, "POP3_PORT"), "--outgoing", url("smtp", good, "SUBMISSION_PORT")}, "not-" + pw, 1, []string{"auth_failed", "auth_failed"}},
		{"closed port then fallback", []string{"--incoming", "imaps://" + good + ":1", "--incoming", url("imaps", good, "IMAPS_PORT")}, pw, 0, []string{"connection_refused", "ok"}},
		{"certificate for another name", []string{"--incoming", "imaps://localhost:" + env["IMAPS_PORT"]}, pw, 1, []string{"certificate_hostname_mismatch"}},
		{"unknown CA", []string{"--incoming", url("imaps", env["UNTRUSTED_HOST"], "IMAPS_PORT")}, pw, 1, []string{"certificate_untrusted"}},
		{"unknown CA pinned", []string{"--incoming", url("imaps", env["UNTRUSTED_HOST"], "IMAPS_PORT"), "--pin", "sha256:" + env["UNTRUSTED_SHA256"]}, pw, 0, []string{"ok"}},
		{"unknown CA pinned over STARTTLS", []string{"--incoming", url("pop3", env["UNTRUSTED_HOST"], "POP3_PORT"), "--pin", strings.ToUpper(env["UNTRUSTED_SHA256"])}, pw, 0, []string{"ok"}},
		{"cleartext refused by postino", []string{"--incoming", url("imap+insecure", env["STRICT_HOST"], "IMAP_PORT"), "--outgoing", url("smtp+insecure", env["STRICT_HOST"], "SUBMISSION_PORT")}, pw, 1, []string{"cleartext_refused", "cleartext_refused"}},
		{"cleartext refused by the servers", []string{"--allow-cleartext", "--incoming", url("imap+insecure", env["STRICT_HOST"], "IMAP_PORT"), "--incoming", url("pop3+insecure", env["STRICT_HOST"], "POP3_PORT"), "--outgoing", url("smtp+insecure", env["STRICT_HOST"], "SUBMISSION_PORT")}, pw, 1, []string{"cleartext_refused", "cleartext_refused", "cleartext_refused"}},
		{"expired certificate", []string{"--incoming", url("imap", env["EXPIRED_HOST"], "IMAP_PORT")}, pw, 1, []string{"certificate_expired"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"test", user, "--ca-file", env["CA_FILE"], "--password-stdin", "--json", "--debug"}, tt.args...)
			code, stdout, stderr := runCLI(t, tt.password+"\n", nil, args...)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			var got testJSON
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
			}
			if len(got.Results) != len(tt.want) {
				t.Fatalf("%d results, want %d: %s", len(got.Results), len(tt.want), stdout)
			}
			for i, r := range got.Results {
				if r.Code != tt.want[i] || r.OK != (tt.want[i] == "ok") || r.Message == "" {
					t.Errorf("result %d (%s %s:%d) = %s %q, want %s", i, r.Server.Protocol, r.Server.Host, r.Server.Port, r.Code, r.Message, tt.want[i])
				}
				if r.OK && (r.TLS == nil || r.TLS.Version == "" || !(r.TLS.Verified || r.TLS.Pinned)) {
					t.Errorf("result %d passed without verified TLS: %+v", i, r.TLS)
				}
				if r.OK && r.Software != "Dovecot" && r.Software != "Postfix" {
					t.Errorf("result %d software = %q, want Dovecot or Postfix", i, r.Software)
				}
			}
			if got.OK != (tt.code == 0) {
				t.Errorf(`"ok" = %v with exit %d`, got.OK, code)
			}
			loggedIn := slices.ContainsFunc(tt.want, func(c string) bool { return c == "ok" || c == "auth_failed" })
			if loggedIn != strings.Contains(stderr, "[redacted]") {
				t.Errorf("the debug trace should show a redacted login exactly when one was tried:\n%s", stderr)
			}
			for _, out := range []string{stdout, stderr} {
				if probe.Repeats(out, tt.password) {
					t.Errorf("the password appears in the output:\n%s", out)
				}
			}
		})
	}
}

// TestRealServersBinary runs the built binary the way a help desk would,
// readable report and JSON, in English and Italian.
func TestRealServersBinary(t *testing.T) {
	env := probetest.RealServers(t)
	bin := filepath.Join(t.TempDir(), "postino")
	if out, err := exec.Command("go", "build", "-o", bin, "../..").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	incoming := "imaps://" + env["GOOD_HOST"] + ":" + env["IMAPS_PORT"]
	outgoing := "smtp://" + env["GOOD_HOST"] + ":" + env["SUBMISSION_PORT"]
	for _, tt := range []struct {
		name     string
		password string
		extra    []string
		code     int
		want     []string
	}{
		{"json ok", probetest.Password(), []string{"--json"}, 0, []string{`"ok": true`, `"code": "ok"`, `"version": "TLS 1.3"`, `"verified": true`}},
		{"json wrong password", "wrong " + probetest.Password(), []string{"--json"}, 1, []string{`"ok": false`, `"code": "auth_failed"`}},
		{"report ok", probetest.Password(), nil, 0, []string{"✓  incoming  IMAP  " + env["GOOD_HOST"] + ":" + env["IMAPS_PORT"] + "  SSL/TLS  TLS 1.3  Dovecot", "✓  outgoing  SMTP", "All settings work."}},
		{"report wrong password in Italian", "wrong " + probetest.Password(), []string{"--lang", "it"}, 1, []string{"✗  in arrivo  IMAP", "ha rifiutato il nome utente o la password", "Cosa fare:"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"test", env["USER"], "--incoming", incoming, "--outgoing", outgoing, "--ca-file", env["CA_FILE"], "--password-stdin"}, tt.extra...)
			cmd := exec.Command(bin, args...)
			cmd.Stdin = strings.NewReader(tt.password + "\n")
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, _ := cmd.Output()
			if code := cmd.ProcessState.ExitCode(); code != tt.code {
				t.Errorf("exit code = %d, want %d\n%s%s", code, tt.code, out, stderr.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if probe.Repeats(string(out)+stderr.String(), tt.password) {
				t.Errorf("the password appears in the output")
			}
		})
	}
}
