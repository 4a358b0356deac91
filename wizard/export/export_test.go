package export

import (
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/postino/postino/probe"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/export")

const goldenDir = "../../testdata/export"

func mustPin(t testing.TB, s string) probe.Pin {
	t.Helper()
	p, err := probe.ParsePin(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fixtures are the accounts every format is exported for.
// exampleCA is the DER certificate in testdata/export/example-ca.pem.
func exampleCA(t testing.TB) []byte {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "export", "example-ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatal("example-ca.pem holds no certificate")
	}
	return block.Bytes
}

func fixtures(t testing.TB) map[string]Input {
	tested := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	cert := &probe.CertInfo{
		Subject: "CN=mail.example.test", DNSNames: []string{"mail.example.test"}, Issuer: "CN=Example CA",
		NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		SHA256:   "5c99149486dbd03135eec77b09cde46375d1dde7f18e404d280cf01ea670a9a4",
	}
	imaps := probe.Server{Protocol: probe.IMAP, Host: "mail.example.test", Port: 993, Security: probe.TLS, Auth: probe.AuthPassword}
	submission := probe.Server{Protocol: probe.SMTP, Host: "mail.example.test", Port: 587, Security: probe.StartTLS, Auth: probe.AuthPassword}
	oauthIMAP := probe.Server{Protocol: probe.IMAP, Host: "imap.example.net", Port: 993, Security: probe.TLS, Auth: probe.AuthOAuth2}
	return map[string]Input{
		"imap": {
			Name: "alice", Address: "alice@example.test", DisplayName: "Alice Rossi",
			Incoming:   []probe.Server{imaps, {Protocol: probe.IMAP, Host: "mail.example.test", Port: 143, Security: probe.StartTLS, Auth: probe.AuthPassword}},
			Outgoing:   []probe.Server{submission, {Protocol: probe.SMTP, Host: "mail.example.test", Port: 465, Security: probe.TLS, Auth: probe.AuthPassword}},
			Pins:       []probe.Pin{mustPin(t, "sha256:"+cert.SHA256)},
			CAFile:     "/etc/postino/example-ca.pem",
			CACerts:    [][]byte{exampleCA(t)},
			ProviderID: "example", ProviderName: "Example Mail", Source: "providers",
			Results: []probe.Result{
				{Role: probe.Incoming, Server: withUser(imaps, "alice@example.test"), OK: true, Code: probe.CodeOK, LoggedIn: true, ElapsedMS: 42,
					TLS:      &probe.TLSInfo{Version: "TLS 1.3", Cipher: "TLS_AES_128_GCM_SHA256", Pinned: true, Certificate: cert},
					Software: "Dovecot", AuthMechanisms: []string{"PLAIN", "LOGIN"}},
				{Role: probe.Outgoing, Server: withUser(submission, "alice@example.test"), Code: probe.CodeAuthFailed, ElapsedMS: 61,
					TLS:      &probe.TLSInfo{Version: "TLS 1.3", Cipher: "TLS_AES_256_GCM_SHA384", Pinned: true, Certificate: cert},
					Software: "Postfix", AuthMechanisms: []string{"PLAIN", "LOGIN"},
					Failure: &probe.Failure{Code: probe.CodeAuthFailed, Step: "login", Reply: "535 5.7.8 Error: authentication failed"}},
			},
			TestedAt: tested, Version: "1.0.0-test", Now: tested.Add(time.Hour),
		},
		"oauth2": {
			Name: "carla", Address: "carla@example.net", DisplayName: "Carla Bianchi",
			Incoming:   []probe.Server{oauthIMAP},
			Outgoing:   []probe.Server{{Protocol: probe.SMTP, Host: "smtp.office365.com", Port: 587, Security: probe.StartTLS, Auth: probe.AuthOAuth2}},
			ProviderID: "example-oauth", ProviderName: "Example OAuth Mail", Source: "providers",
			Results: []probe.Result{
				{Role: probe.Incoming, Server: withUser(oauthIMAP, "carla@example.net"), OK: true, Code: probe.CodeOK, LoggedIn: true, ElapsedMS: 88,
					TLS:      &probe.TLSInfo{Version: "TLS 1.3", Cipher: "TLS_AES_256_GCM_SHA384", Verified: true},
					Software: "Dovecot", AuthMechanisms: []string{"XOAUTH2", "OAUTHBEARER"}},
			},
			TestedAt: tested, Version: "1.0.0-test", Now: tested.Add(time.Hour),
		},
		"pop3": {
			Name: "bob's \"work\" mail", Address: "bob@example.org",
			Incoming: []probe.Server{{Protocol: probe.POP3, Host: "pop.example.org", Port: 110, Security: probe.StartTLS, Username: "bob", Auth: probe.AuthPassword}},
			Outgoing: []probe.Server{{Protocol: probe.SMTP, Host: "smtp.example.org", Port: 465, Security: probe.TLS, Username: "bob", Auth: probe.AuthAppPassword}},
			Source:   "manual", Version: "1.0.0-test", Now: tested,
		},
	}
}

// TestGolden exports every fixture in every format and language and
// compares with testdata/export; go test ./wizard/export -update rewrites
// the files, which are then reviewed like code.
func TestGolden(t *testing.T) {
	if *update {
		old, _ := filepath.Glob(filepath.Join(goldenDir, "*.golden"))
		for _, f := range old {
			os.Remove(f)
		}
	}
	for fixture, in := range fixtures(t) {
		for _, format := range Formats() {
			for _, lang := range []string{"en", "it"} {
				name := fixture + "." + format + "." + lang + ".golden"
				t.Run(name, func(t *testing.T) {
					f, _ := Lookup(format)
					in.Lang = probe.Lang(lang)
					got, err := f.Render(in)
					var ee *Error
					if errors.As(err, &ee) && (ee.Problem == NeedIMAP && fixture == "pop3" ||
						ee.Problem == NeedPassword && fixture == "oauth2" && (format == "apple" || format == "fetchmail")) {
						return
					}
					if err != nil {
						t.Fatalf("Render() = %v", err)
					}
					path := filepath.Join(goldenDir, name)
					if *update {
						if err := os.WriteFile(path, got, 0o644); err != nil {
							t.Fatal(err)
						}
						return
					}
					want, err := os.ReadFile(path)
					if err != nil {
						t.Fatalf("%v (run go test ./wizard/export -update)", err)
					}
					if string(got) != string(want) {
						t.Errorf("%s differs from its golden file (run go test ./wizard/export -update and review the diff):\n%s", name, got)
					}
				})
			}
		}
	}
}

func TestFormats(t *testing.T) {
	names := Formats()
	if len(names) != 12 || names[0] != "thunderbird" {
		t.Errorf("Formats() = %v", names)
	}
	for _, n := range names {
		if f, ok := Lookup(n); !ok || f.File == "" {
			t.Errorf("Lookup(%q) = %+v, %v", n, f, ok)
		}
	}
	if _, ok := Lookup("outlook2007"); ok {
		t.Error(`Lookup("outlook2007") found a format`)
	}
}

// TestRefusals: a format that cannot express the account says why.
func TestRefusals(t *testing.T) {
	fx := fixtures(t)
	imap, pop := fx["imap"], fx["pop3"]
	noOut := imap
	noOut.Outgoing = nil
	noIn := imap
	noIn.Incoming = nil
	oauth := imap
	oauth.Incoming = []probe.Server{{Protocol: probe.IMAP, Host: "imap.gmail.com", Port: 993, Security: probe.TLS, Auth: probe.AuthOAuth2}}
	idn := imap
	idn.Incoming = []probe.Server{{Protocol: probe.IMAP, Host: "posta.perché.it", Port: 993, Security: probe.TLS}}
	backtick := imap
	backtick.CredentialCommand = "echo `whoami`"
	tests := []struct {
		format string
		in     Input
		want   Problem
	}{
		{"aerc", pop, NeedIMAP},
		{"mbsync", pop, NeedIMAP},
		{"himalaya", pop, NeedIMAP},
		{"thunderbird", noOut, NeedOutgoing},
		{"outlook", noIn, NeedIncoming},
		{"msmtp", noOut, NeedOutgoing},
		{"fetchmail", noIn, NeedIncoming},
		{"apple", oauth, NeedPassword},
		{"fetchmail", oauth, NeedPassword},
		{"thunderbird", idn, Unwritable},
		{"neomutt", backtick, Unwritable},
	}
	for _, tt := range tests {
		f, _ := Lookup(tt.format)
		_, err := f.Render(tt.in)
		var ee *Error
		if !errors.As(err, &ee) || ee.Problem != tt.want || ee.Format != tt.format {
			t.Errorf("%s: Render() = %v, want problem %d", tt.format, err, tt.want)
		}
	}
	// What one role needs, the other may lack.
	for format, in := range map[string]Input{"msmtp": noIn, "mbsync": noOut, "fetchmail": noOut, "report": noIn, "json": noOut, "thunderbird": oauth} {
		f, _ := Lookup(format)
		if _, err := f.Render(in); err != nil {
			t.Errorf("%s: Render() = %v, want no error", format, err)
		}
	}
	// Every program's format but fetchmail's signs in with OAuth2, and a
	// format uses only the roles it needs: an OAuth2 outgoing server does
	// not stop fetchmail.
	for _, format := range []string{"outlook", "outlook-steps", "aerc", "neomutt", "msmtp", "mbsync", "himalaya"} {
		f, _ := Lookup(format)
		if _, err := f.Render(oauth); err != nil {
			t.Errorf("%s: Render() = %v, want no error for OAuth2", format, err)
		}
	}
	oauthOut := imap
	oauthOut.Outgoing = []probe.Server{{Protocol: probe.SMTP, Host: "smtp.gmail.com", Port: 465, Security: probe.TLS, Auth: probe.AuthOAuth2}}
	if _, err := Fetchmail(oauthOut); err != nil {
		t.Errorf("Fetchmail() = %v for an account whose outgoing server only takes OAuth2", err)
	}
	cleartext := imap
	cleartext.Incoming = []probe.Server{{Protocol: probe.IMAP, Host: "mail.example.test", Port: 143, Security: probe.None, Auth: probe.AuthOAuth2}}
	var ee *Error
	if _, err := Aerc(cleartext); !errors.As(err, &ee) || ee.Problem != Unwritable {
		t.Errorf("Aerc() = %v for OAuth2 without TLS, want Unwritable", err)
	}
}

// TestCredentialCommand: every program's file names the credential
// command (postino password NAME by default, quoted for the shell) and
// never a password.
func TestCredentialCommand(t *testing.T) {
	fx := fixtures(t)
	for _, tt := range []struct {
		fixture, format, want string
	}{
		{"imap", "aerc", "source-cred-cmd   = postino password alice\n"},
		{"imap", "neomutt", "set imap_pass = \"`postino password alice`\"\n"},
		{"imap", "msmtp", "passwordeval \"postino password alice\"\n"},
		{"imap", "mbsync", "PassCmd \"postino password alice\"\n"},
		{"imap", "himalaya", "imap.sasl.plain.password.command = \"postino password alice\"\n"},
		{"imap", "fetchmail", "postino password alice | sed"},
		{"pop3", "neomutt", "set pop_pass = \"`postino password 'bob'\\''s \"work\" mail'`\"\n"},
		{"pop3", "msmtp", `passwordeval "postino password 'bob'\\''s \"work\" mail'"`},
	} {
		f, _ := Lookup(tt.format)
		out, err := f.Render(fx[tt.fixture])
		if err != nil {
			t.Fatalf("%s: %v", tt.format, err)
		}
		if !strings.Contains(string(out), tt.want) {
			t.Errorf("%s %s lacks %q:\n%s", tt.fixture, tt.format, tt.want, out)
		}
	}
	oa := fx["oauth2"]
	for format, want := range map[string][]string{
		"aerc":     {"source            = imaps+oauthbearer://carla%40example.net@imap.example.net:993\n", "source-cred-cmd   = postino token carla\n", "outgoing          = smtp+xoauth2://carla%40example.net@smtp.office365.com:587\n"},
		"neomutt":  {"set imap_authenticators = \"oauthbearer:xoauth2\"\n", "set imap_oauth_refresh_command = \"postino token carla\"\n", "set smtp_authenticators = \"xoauth2:oauthbearer\"\n", "set smtp_oauth_refresh_command = \"postino token carla\"\n"},
		"msmtp":    {"auth xoauth2\n", "passwordeval \"postino token carla\"\n"},
		"mbsync":   {"PassCmd \"postino token carla\"\nAuthMechs XOAUTH2\n", "libsasl2-modules-kdexoauth2"},
		"himalaya": {"imap.sasl.oauthbearer.token.command = [\"sh\", \"-c\", \"postino token carla\"]\n", "smtp.sasl.xoauth2.username = \"carla@example.net\"\n"},
	} {
		f, _ := Lookup(format)
		out, err := f.Render(oa)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		for _, w := range want {
			if !strings.Contains(string(out), w) {
				t.Errorf("oauth2 %s lacks %q:\n%s", format, w, out)
			}
		}
		if strings.Contains(string(out), "postino password") {
			t.Errorf("oauth2 %s names the password command:\n%s", format, out)
		}
	}
	oa.TokenCommand = "my-token-helper carla"
	if out, _ := Msmtp(oa); !strings.Contains(string(out), `passwordeval "my-token-helper carla"`) {
		t.Errorf("Msmtp() ignores TokenCommand:\n%s", out)
	}
	in := fx["imap"]
	in.CredentialCommand = "secret-tool lookup service postino username alice@example.test"
	out, _ := Msmtp(in)
	if !strings.Contains(string(out), `passwordeval "secret-tool lookup service postino username alice@example.test"`) {
		t.Errorf("Msmtp() ignores CredentialCommand:\n%s", out)
	}
}

// TestProgram: when postino is not the one on PATH, the credential and
// token commands name it by its path, quoted for the shell and then for
// each format.
func TestProgram(t *testing.T) {
	fx := fixtures(t)
	in := fx["imap"]
	in.Program = "/opt/my tools/postino"
	for format, want := range map[string]string{
		"aerc":      "source-cred-cmd   = '/opt/my tools/postino' password alice\n",
		"neomutt":   "set imap_pass = \"`'/opt/my tools/postino' password alice`\"\n",
		"msmtp":     "passwordeval \"'/opt/my tools/postino' password alice\"\n",
		"mbsync":    "PassCmd \"'/opt/my tools/postino' password alice\"\n",
		"fetchmail": "'/opt/my tools/postino' password alice | sed",
	} {
		f, _ := Lookup(format)
		out, err := f.Render(in)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if !strings.Contains(string(out), want) {
			t.Errorf("%s lacks %q:\n%s", format, want, out)
		}
	}
	oa := fx["oauth2"]
	oa.Program = "/usr/local/bin/postino"
	if got := Token(oa); got != "/usr/local/bin/postino token carla" {
		t.Errorf("Token() = %q", got)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"alice":              "alice",
		"alice@example.test": "alice@example.test",
		"my work":            "'my work'",
		"it's":               `'it'\''s'`,
		"$(rm -rf ~)":        "'$(rm -rf ~)'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestNameUUID(t *testing.T) {
	a, b := nameUUID("x"), nameUUID("y")
	if a == b || len(a) != 36 || a[14] != '5' || !strings.ContainsAny(a[19:20], "89AB") || a != nameUUID("x") {
		t.Errorf("nameUUID: %s %s", a, b)
	}
}

// TestReportTestTimes: the report says when the saved test ran, for each
// role when they were tested apart, and that a fresh one was run.
func TestReportTestTimes(t *testing.T) {
	in := fixtures(t)["imap"]
	apart := in
	apart.RoleTestedAt = map[probe.Role]time.Time{probe.Incoming: in.TestedAt.Add(-48 * time.Hour), probe.Outgoing: in.TestedAt}
	fresh := in
	fresh.Fresh = true
	for _, tt := range []struct {
		in   Input
		lang probe.Lang
		want string
	}{
		{in, "en", "Run on 2026-03-14 09:26 UTC and saved with the account."},
		{apart, "en", "Saved with the account: the incoming servers were tested on 2026-03-12 09:26 UTC, the outgoing ones on 2026-03-14 09:26 UTC."},
		{apart, "it", "Salvato con l'account: i server in arrivo sono stati provati il 2026-03-12 09:26 UTC, quelli in uscita il 2026-03-14 09:26 UTC."},
		{fresh, "en", "Run for this report on 2026-03-14 09:26 UTC."},
		{fresh, "it", "Eseguito per questo rapporto il 2026-03-14 09:26 UTC."},
	} {
		tt.in.Lang = tt.lang
		out, err := Report(tt.in)
		if err != nil || !strings.Contains(string(out), "## "+textRepTest.In(tt.lang)+"\n\n"+tt.want+"\n") {
			t.Errorf("Report() = %v, lacks %q:\n%s", err, tt.want, out)
		}
	}
	out, err := JSON(apart)
	var got struct {
		Test struct {
			TestedAt time.Time `json:"tested_at"`
			Results  []struct {
				Role     string    `json:"role"`
				TestedAt time.Time `json:"tested_at"`
			} `json:"results"`
		} `json:"test"`
	}
	if err != nil || json.Unmarshal(out, &got) != nil {
		t.Fatalf("JSON() = %v:\n%s", err, out)
	}
	if r := got.Test.Results; len(r) != 2 || !r[0].TestedAt.Equal(apart.RoleTestedAt[probe.Incoming]) ||
		!r[1].TestedAt.Equal(in.TestedAt) || !got.Test.TestedAt.Equal(in.TestedAt) {
		t.Errorf("JSON() test = %+v, want each result at its role's time and the latest overall", got.Test)
	}
}

// TestReportOfAnOldAccount: an account saved before postino kept the
// provider and source says both are unknown, not "not recognised".
func TestReportOfAnOldAccount(t *testing.T) {
	in := fixtures(t)["pop3"]
	in.Source = ""
	for lang, want := range map[probe.Lang][]string{
		"en": {"- Provider: unknown\n", "- Settings found in: unknown\n"},
		"it": {"- Provider: sconosciuto\n", "- Impostazioni trovate in: sconosciuta\n"},
	} {
		in.Lang = lang
		out, _ := Report(in)
		for _, w := range want {
			if !strings.Contains(string(out), w) {
				t.Errorf("%s report lacks %q:\n%s", lang, w, out)
			}
		}
	}
	in.Source, in.Lang = "manual", "en"
	if out, _ := Report(in); !strings.Contains(string(out), "- Provider: not recognised\n") {
		t.Errorf("a manual account's report does not say the provider was not recognised:\n%s", out)
	}
}

// TestProviderDocs: the provider's help page is named in the files and
// reports; a link to Thunderbird's autoconfig XML never is.
func TestProviderDocs(t *testing.T) {
	in := fixtures(t)["imap"]
	in.ProviderDocs = "https://help.example.com/mail/settings"
	for _, name := range Formats() {
		f, _ := Lookup(name)
		out, err := f.Render(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if name != "apple" && name != "outlook-steps" && !strings.Contains(string(out), in.ProviderDocs) {
			t.Errorf("%s lacks the help page:\n%s", name, out)
		}
	}
	in.ProviderDocs = "https://autoconfig.thunderbird.net/v1.1/example.com"
	for _, name := range Formats() {
		f, _ := Lookup(name)
		out, _ := f.Render(in)
		if strings.Contains(string(out), "thunderbird.net") {
			t.Errorf("%s shows the autoconfig URL:\n%s", name, out)
		}
		if name == "msmtp" && !strings.Contains(string(out), "see your provider's help pages") {
			t.Errorf("%s does not send to the provider's help pages:\n%s", name, out)
		}
	}
	if out, _ := Report(in); !strings.Contains(string(out), "- Provider's help: see your provider's help pages\n") {
		t.Errorf("Report() lacks the help line:\n%s", out)
	}
}

// TestIPHost: a server given by IP address gets a note on certificate
// names, and mbsync's says what isync 1.4 does.
func TestIPHost(t *testing.T) {
	in := fixtures(t)["imap"]
	in.Incoming[0].Host = "192.0.2.7"
	in.Outgoing[0].Host = "2001:db8::7"
	for _, name := range []string{"thunderbird", "outlook", "aerc", "neomutt", "msmtp", "mbsync", "fetchmail", "himalaya"} {
		f, _ := Lookup(name)
		out, err := f.Render(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.Contains(string(out), "is an IP address: the mail program checks") {
			t.Errorf("%s lacks the IP note:\n%s", name, out)
		}
	}
	out, _ := Mbsync(in)
	if !strings.Contains(string(out), "never its IP address") {
		t.Errorf("Mbsync() lacks isync's IP note:\n%s", out)
	}
}

// TestDisplayName: every format whose program has a field for the
// person's name carries it; the others have none to carry.
func TestDisplayName(t *testing.T) {
	withName := map[string]bool{
		"outlook": true, "outlook-steps": true, "apple": true, "aerc": true, "neomutt": true, "himalaya": true, "report": true, "json": true,
		// Thunderbird's file describes the provider, msmtp, mbsync and
		// fetchmail only move mail: none has a field for a person's name.
		"thunderbird": false, "msmtp": false, "mbsync": false, "fetchmail": false,
	}
	for _, name := range Formats() {
		want, ok := withName[name]
		if !ok {
			t.Errorf("format %s: is its display name carried?", name)
			continue
		}
		f, _ := Lookup(name)
		in := fixtures(t)["imap"]
		in.DisplayName = "Niccolò Zanzibar"
		out, err := f.Render(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := strings.Contains(string(out), "Zanzibar"); got != want {
			t.Errorf("%s carries the display name: %v, want %v", name, got, want)
		}
		in.DisplayName = ""
		out, _ = f.Render(in)
		if strings.Contains(string(out), "Zanzibar") {
			t.Errorf("%s without a display name still has one", name)
		}
	}
}

// TestReportMarks: an account saved although its test failed is marked
// as not verified, and a test without a password says the login was not
// tested, in the Markdown and the JSON.
func TestReportMarks(t *testing.T) {
	in := fixtures(t)["imap"]
	in.Unverified, in.NoCredential = true, true
	for lang, want := range map[probe.Lang][]string{
		probe.English: {"- Status: **not verified: saved although its test failed**\n", "\npostino had no password or sign-in for this test, so it tested the connection and TLS, not the login.\n"},
		probe.Italian: {"- Stato: **non verificato: salvato anche se la prova non è riuscita**\n", "\npostino non aveva una password né un accesso salvato per questa prova, quindi ha provato la connessione e il TLS, non l'accesso.\n"},
	} {
		in.Lang = lang
		out, err := Report(in)
		for _, w := range want {
			if err != nil || !strings.Contains(string(out), w) {
				t.Errorf("Report(%s) = %v, lacks %q:\n%s", lang, err, w, out)
			}
		}
	}
	out, err := JSON(in)
	var got struct {
		Unverified bool `json:"unverified"`
		Test       struct {
			LoginTested bool `json:"login_tested"`
		} `json:"test"`
	}
	if err != nil || json.Unmarshal(out, &got) != nil || !got.Unverified || got.Test.LoginTested {
		t.Errorf("JSON() = %v: unverified %v, login_tested %v:\n%s", err, got.Unverified, got.Test.LoginTested, out)
	}
}
