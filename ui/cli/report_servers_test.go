package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/probe/probetest"
	"github.com/postino/postino/wizard/store"
)

// reportJSONOut is what the tests read of postino report --json.
type reportJSONOut struct {
	Schema     int    `json:"schema"`
	Name       string `json:"name"`
	Source     string `json:"source"`
	Unverified bool   `json:"unverified"`
	Test       struct {
		Fresh       bool `json:"fresh"`
		OK          bool `json:"ok"`
		LoginTested bool `json:"login_tested"`
		Results     []struct {
			Code     string `json:"code"`
			Software string `json:"software"`
			Message  string `json:"message"`
		} `json:"results"`
	} `json:"test"`
}

// TestReportRealServers runs postino report against the real Dovecot and
// Postfix, as a help desk would: the servers given as URLs with a right
// and a wrong password in English and Italian, without a password,
// detected from a providers file, and a saved account with the password
// in the keyring. Every output is searched for the passwords.
func TestReportRealServers(t *testing.T) {
	env := probetest.RealServers(t)
	pw, wrong := probetest.Password(), "wrong "+probetest.Password()
	host, user := env["GOOD_HOST"], env["USER"]
	incoming := "imaps://" + host + ":" + env["IMAPS_PORT"]
	outgoing := "smtp://" + host + ":" + env["SUBMISSION_PORT"]
	given := []string{"report", user, "--incoming", incoming, "--outgoing", outgoing, "--ca-file", env["CA_FILE"]}
	l := newAccountsEnv(t)
	run := func(t *testing.T, stdin string, args ...string) (int, string, string) {
		t.Helper()
		code, stdout, stderr := l.run(t, stdin, args...)
		for _, out := range []string{stdout, stderr} {
			if probe.Repeats(out, pw) || probe.Repeats(out, wrong) {
				t.Errorf("postino %v printed a password:\n%s", args, out)
			}
		}
		return code, stdout, stderr
	}

	for _, tt := range []struct {
		name     string
		password string // on standard input, when not empty
		lang     string
		code     int
		want     []string
		not      []string
	}{
		{"right password", pw, "en", 0, []string{
			"# postino report: " + user, "- Settings found in: settings entered by hand\n", "Run for this report on ",
			"### ✓ incoming IMAP `" + host + ":" + env["IMAPS_PORT"] + "` (SSL/TLS)", "### ✓ outgoing SMTP",
			"works: logged in as " + user, "- TLS: TLS 1.3", "certificate verified by an authority",
			"- Certificate: CN=mail.example.test", "- Server software: Dovecot\n", "- Server software: Postfix\n",
			"- Certificates are checked against the authorities in " + env["CA_FILE"], "**All settings work.**",
			"This report holds no password or other secret.",
		}, []string{"✗", "not tested"}},
		{"right password in Italian", pw, "it", 0, []string{
			"# Rapporto di postino: " + user, "- Impostazioni trovate in: impostazioni inserite a mano\n", "Eseguito per questo rapporto il ",
			"### ✓ in arrivo IMAP", "### ✓ in uscita SMTP", "- Software del server: Dovecot\n", "**Tutte le impostazioni funzionano.**",
		}, []string{"✗"}},
		{"wrong password", wrong, "en", 1, []string{
			"### ✗ incoming IMAP", "### ✗ outgoing SMTP", "refused the user name or password", "- Why: The server said:",
			"- What to do:\n  1. Check the user name (" + user + ") and the password", "- Server software: Dovecot\n", "- TLS: TLS 1.3",
			"**Some settings do not work.**",
		}, []string{"✓ incoming", "All settings work"}},
		{"wrong password in Italian", wrong, "it", 1, []string{
			"### ✗ in arrivo IMAP", "ha rifiutato il nome utente o la password", "- Perché: ", "- Cosa fare:\n  1. ",
			"**Alcune impostazioni non funzionano.**",
		}, []string{"Tutte le impostazioni funzionano"}},
		{"no password", "", "en", 0, []string{
			"### ✓ incoming IMAP", "postino had no password or sign-in for this test, so it tested the connection and TLS, not the login.",
			"**The connection and TLS work; the login was not tested.**",
		}, []string{"All settings work", "logged in as"}},
		{"no password in Italian", "", "it", 0, []string{
			"postino non aveva una password né un accesso salvato per questa prova, quindi ha provato la connessione e il TLS, non l'accesso.",
			"**La connessione e il TLS funzionano; l'accesso non è stato provato.**",
		}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{}, given...), "--lang", tt.lang)
			stdin := ""
			if tt.password != "" {
				args, stdin = append(args, "--password-stdin"), tt.password+"\n"
			}
			code, report, stderr := run(t, stdin, args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, report, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(report, w) {
					t.Errorf("the report lacks %q:\n%s", w, report)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(report, w) {
					t.Errorf("the report has %q:\n%s", w, report)
				}
			}
		})
	}

	t.Run("json", func(t *testing.T) {
		for _, tt := range []struct {
			password string
			code     int
			ok       bool
			codes    string
		}{{pw, 0, true, "ok ok"}, {wrong, 1, false, "auth_failed auth_failed"}} {
			code, out, stderr := run(t, tt.password+"\n", append(given, "--password-stdin", "--json")...)
			var got reportJSONOut
			if err := json.Unmarshal([]byte(out), &got); err != nil || code != tt.code {
				t.Fatalf("report --json = %d, %v:\n%s%s", code, err, out, stderr)
			}
			var codes []string
			for _, r := range got.Test.Results {
				codes = append(codes, r.Code)
				if r.Message == "" || r.Software == "" {
					t.Errorf("result %+v lacks its message or software", r)
				}
			}
			if got.Schema != 1 || got.Source != "manual" || !got.Test.Fresh || got.Test.OK != tt.ok || !got.Test.LoginTested || strings.Join(codes, " ") != tt.codes {
				t.Errorf("report --json = %+v, want ok %v and codes %s", got, tt.ok, tt.codes)
			}
		}
	})

	// Without settings, the report detects them: here from a providers
	// file that names the real servers, so that the password goes to them.
	t.Run("detected", func(t *testing.T) {
		tmpl, err := os.ReadFile("../../testdata/e2e/providers.yaml.in")
		if err != nil {
			t.Fatal(err)
		}
		r := strings.NewReplacer("@HOST@", host,
			"@IMAPS_PORT@", env["IMAPS_PORT"], "@IMAP_PORT@", env["IMAP_PORT"],
			"@POP3S_PORT@", env["POP3S_PORT"], "@POP3_PORT@", env["POP3_PORT"],
			"@SUBMISSION_PORT@", env["SUBMISSION_PORT"], "@SMTPS_PORT@", env["SMTPS_PORT"])
		file := filepath.Join(t.TempDir(), "providers.yaml")
		if err := os.WriteFile(file, []byte(r.Replace(string(tmpl))), 0o644); err != nil {
			t.Fatal(err)
		}
		l.environ = map[string]string{"POSTINO_PROVIDERS": file}
		defer func() { l.environ = nil }()
		code, report, stderr := run(t, pw+"\n", "report", user, "--ca-file", env["CA_FILE"], "--password-stdin")
		for _, w := range []string{"- Provider: Example Test Mail (`example-test`)\n", "- Settings found in: postino's provider list\n",
			"| incoming (fallback) | POP3 |", "### ✓ incoming IMAP", "### ✓ outgoing SMTP", "**All settings work.**"} {
			if !strings.Contains(report, w) {
				t.Errorf("the report lacks %q:\n%s", w, report)
			}
		}
		if code != 0 {
			t.Errorf("exit %d:\n%s%s", code, report, stderr)
		}
	})

	// A saved account: its servers and the password postino holds, and
	// the mark of an account saved although its test failed.
	t.Run("saved", func(t *testing.T) {
		port := func(key string) int { n, _ := strconv.Atoi(env[key]); return n }
		a := store.Account{
			Name: "alice", Address: user, Source: "manual", Unverified: true,
			Incoming: []probe.Server{{Protocol: probe.IMAP, Host: host, Port: port("IMAPS_PORT"), Security: probe.TLS}},
			Outgoing: []probe.Server{{Protocol: probe.SMTP, Host: host, Port: port("SUBMISSION_PORT"), Security: probe.StartTLS}},
		}
		a.Record([]probe.Result{{Role: probe.Incoming, Server: a.Incoming[0], Code: probe.CodeTimeout, Failure: &probe.Failure{Code: probe.CodeTimeout, Step: "connect"}}},
			time.Date(2026, 3, 14, 9, 26, 0, 0, time.UTC))
		l.saveAccount(t, a, pw)
		for lang, want := range map[string][]string{
			"en": {"- Account name: `alice`\n", "- Status: **not verified: saved although its test failed**\n", "Run for this report on ",
				"works: logged in as " + user, "**All settings work.**"},
			"it": {"- Stato: **non verificato: salvato anche se la prova non è riuscita**\n", "**Tutte le impostazioni funzionano.**"},
		} {
			code, report, stderr := run(t, "", "report", "alice", "--ca-file", env["CA_FILE"], "--lang", lang)
			if code != 0 {
				t.Errorf("report alice: exit %d\n%s%s", code, report, stderr)
			}
			for _, w := range want {
				if !strings.Contains(report, w) {
					t.Errorf("the %s report lacks %q:\n%s", lang, w, report)
				}
			}
		}
		// A wrong password on standard input wins over the saved one.
		if code, report, _ := run(t, wrong+"\n", "report", "alice", "--ca-file", env["CA_FILE"], "--password-stdin"); code != 1 || !strings.Contains(report, "refused the user name or password") {
			t.Errorf("report alice with a wrong password: exit %d\n%s", code, report)
		}
		// Nothing was saved: the account keeps its mark and its old test.
		if got := l.find(t, "alice"); !got.Unverified || len(got.Tests) != 1 || got.Tests[0].Code != probe.CodeTimeout {
			t.Errorf("after the reports the account is %+v", got)
		}

		// export --format report tests now by default, and with
		// --no-test shows the saved test and when it ran.
		code, report, stderr := run(t, "", "export", "alice", "--format", "report", "--ca-file", env["CA_FILE"])
		for _, w := range []string{"Run for this report on ", "### ✓ incoming IMAP", "### ✓ outgoing SMTP", "**All settings work.**", "- Status: **not verified"} {
			if code != 0 || !strings.Contains(report, w) {
				t.Errorf("export --format report: exit %d, lacks %q:\n%s%s", code, w, report, stderr)
			}
		}
		code, report, stderr = run(t, "", "export", "alice", "--format", "report", "--no-test", "--lang", "it")
		for _, w := range []string{"Eseguito il 2026-03-14 09:26 UTC e salvato con l'account.\n", "### ✗ in arrivo IMAP", "**Alcune impostazioni non funzionano.**"} {
			if code != 0 || !strings.Contains(report, w) {
				t.Errorf("export --format report --no-test: exit %d, lacks %q:\n%s%s", code, w, report, stderr)
			}
		}
		if strings.Contains(report, "rapporto il") || strings.Contains(report, "✓ in arrivo") {
			t.Errorf("export --no-test tested again:\n%s", report)
		}
		code, out, _ := run(t, "", "export", "alice", "--format", "json", "--ca-file", env["CA_FILE"])
		var got reportJSONOut
		if err := json.Unmarshal([]byte(out), &got); err != nil || code != 0 || !got.Test.Fresh || !got.Test.OK || !got.Test.LoginTested || !got.Unverified {
			t.Errorf("export --format json = %d, %v: %+v", code, err, got)
		}
	})
}
