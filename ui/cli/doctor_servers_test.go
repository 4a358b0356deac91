package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/probe/probetest"
)

// doctorOut is what the tests read of postino doctor --json.
type doctorOut struct {
	Schema   int  `json:"schema"`
	OK       bool `json:"ok"`
	Accounts []struct {
		Program string `json:"program"`
		Path    string `json:"path"`
		CAFile  string `json:"ca_file"`
		Servers []struct {
			URL         string `json:"url"`
			Code        string `json:"code"`
			OK          bool   `json:"ok"`
			Username    string `json:"username"`
			Message     string `json:"message"`
			LoginTested bool   `json:"login_tested"`
		} `json:"servers"`
	} `json:"accounts"`
	Problems []struct{ Path, Message string } `json:"problems"`
}

// fakeHome writes, under a new home folder, the settings of Thunderbird,
// msmtp, mbsync, fetchmail, Mutt, aerc and Evolution, each pointing at
// the real test servers; mbsync's host is the one whose certificate no
// trusted authority issued when broken is set. It returns the home and
// each program's file with the server URLs it names.
func fakeHome(t *testing.T, env map[string]string, broken bool) (string, map[string][]string) {
	t.Helper()
	home := t.TempDir()
	good, user := env["GOOD_HOST"], env["USER"]
	hp := func(port string) string { return good + ":" + env[port] }
	mbsyncHost := good
	if broken {
		mbsyncHost = env["UNTRUSTED_HOST"]
	}
	files := map[string]string{
		".thunderbird/profiles.ini": "[Profile0]\nName=default-release\nIsRelative=1\nPath=k3x9.default-release\nDefault=1\n\n[General]\nStartWithLastProfile=1\nVersion=2\n",
		".thunderbird/k3x9.default-release/prefs.js": `// Mozilla User Preferences
user_pref("mail.account.account1.identities", "id1");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.account.account2.server", "server2");
user_pref("mail.accountmanager.accounts", "account1,account2");
user_pref("mail.identity.id1.smtpServer", "smtp1");
user_pref("mail.identity.id1.useremail", "` + user + `");
user_pref("mail.server.server1.hostname", "` + good + `");
user_pref("mail.server.server1.port", ` + env["IMAPS_PORT"] + `);
user_pref("mail.server.server1.socketType", 3);
user_pref("mail.server.server1.type", "imap");
user_pref("mail.server.server1.userName", "` + user + `");
user_pref("mail.server.server2.hostname", "Local Folders");
user_pref("mail.server.server2.type", "none");
user_pref("mail.smtpserver.smtp1.hostname", "` + good + `");
user_pref("mail.smtpserver.smtp1.port", ` + env["SUBMISSION_PORT"] + `);
user_pref("mail.smtpserver.smtp1.try_ssl", 2);
user_pref("mail.smtpserver.smtp1.username", "` + user + `");
user_pref("mail.smtpservers", "smtp1");
`,
		".msmtprc":     "defaults\ntls on\n\naccount test\nhost " + good + "\nport " + env["SMTPS_PORT"] + "\ntls_starttls off\nuser " + user + "\nfrom " + user + "\n\naccount default : test\n",
		".mbsyncrc":    "IMAPAccount test\nHost " + mbsyncHost + "\nPort " + env["IMAP_PORT"] + "\nUser " + user + "\nTLSType STARTTLS\n\nIMAPStore test-remote\nAccount test\n",
		".fetchmailrc": "poll " + good + " proto pop3 service " + env["POP3S_PORT"] + "\n  user \"" + user + "\" there with password \"not read\" is me here\n  ssl\n",
		".muttrc":      "set from = " + user + "\nset imap_user = \"" + user + "\"\nset folder = \"imaps://" + hp("IMAPS_PORT") + "/\"\nset spoolfile = +INBOX\nset smtp_url = \"smtp://" + hp("SUBMISSION_PORT") + "/\"\n",
		".config/aerc/accounts.conf": "[test]\nsource = imap://" + strings.ReplaceAll(user, "@", "%40") + "@" + hp("IMAP_PORT") + "\n" +
			"outgoing = smtps+plain://" + strings.ReplaceAll(user, "@", "%40") + "@" + hp("SMTPS_PORT") + "\nfrom = Alice <" + user + ">\n",
		".config/evolution/sources/1733.1@host.source": "[Data Source]\nDisplayName=" + user + "\n\n[Mail Account]\nBackendName=imapx\nIdentityUid=1733.2@host\n\n[Authentication]\nHost=" + good + "\nPort=" + env["IMAP_PORT"] + "\nUser=" + user + "\n\n[Security]\nMethod=starttls-on-standard-port\n",
		".config/evolution/sources/1733.2@host.source": "[Data Source]\nDisplayName=" + user + "\n\n[Mail Identity]\nAddress=" + user + "\n\n[Mail Submission]\nTransportUid=1733.3@host\n",
		".config/evolution/sources/1733.3@host.source": "[Data Source]\nDisplayName=" + user + "\n\n[Mail Transport]\nBackendName=smtp\n\n[Authentication]\nHost=" + good + "\nPort=" + env["SUBMISSION_PORT"] + "\n\n[Security]\nMethod=starttls-on-standard-port\n",
	}
	for name, content := range files {
		p := filepath.Join(home, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	path := func(name string) string { return filepath.Join(home, filepath.FromSlash(name)) }
	want := map[string][]string{
		path(".thunderbird/k3x9.default-release/prefs.js"): {"imaps://" + hp("IMAPS_PORT"), "smtp://" + hp("SUBMISSION_PORT")},
		path(".msmtprc"):                   {"smtps://" + hp("SMTPS_PORT")},
		path(".mbsyncrc"):                  {"imap://" + mbsyncHost + ":" + env["IMAP_PORT"]},
		path(".fetchmailrc"):               {"pop3s://" + hp("POP3S_PORT")},
		path(".muttrc"):                    {"imaps://" + hp("IMAPS_PORT"), "smtp://" + hp("SUBMISSION_PORT")},
		path(".config/aerc/accounts.conf"): {"imap://" + hp("IMAP_PORT"), "smtps://" + hp("SMTPS_PORT")},
		path(".config/evolution/sources/1733.1@host.source"): {"imap://" + hp("IMAP_PORT"), "smtp://" + hp("SUBMISSION_PORT")},
	}
	return home, want
}

// TestDoctorRealServers runs postino doctor over a home holding seven
// programs' settings, all pointing at the real Dovecot and Postfix: all
// fine, then with one broken.
func TestDoctorRealServers(t *testing.T) {
	env := probetest.RealServers(t)
	for _, broken := range []bool{false, true} {
		name := "all fine"
		if broken {
			name = "mbsync broken"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			home, want := fakeHome(t, env, broken)
			environ := map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config")}
			code, stdout, stderr := runCLI(t, "", environ, "doctor", "--ca-file", env["CA_FILE"], "--json")
			wantCode := 0
			if broken {
				wantCode = 1
			}
			if code != wantCode {
				t.Errorf("exit %d, want %d\n%s%s", code, wantCode, stdout, stderr)
			}
			var got doctorOut
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, stdout)
			}
			if got.Schema != 1 || got.OK == broken || len(got.Problems) > 0 {
				t.Errorf("schema %d, ok %v, problems %v", got.Schema, got.OK, got.Problems)
			}
			seen := map[string][]string{}
			for _, a := range got.Accounts {
				for _, s := range a.Servers {
					seen[a.Path] = append(seen[a.Path], s.URL)
					wantCode := "ok"
					if broken && strings.HasSuffix(a.Path, ".mbsyncrc") {
						wantCode = "certificate_untrusted"
					}
					if s.Code != wantCode || s.OK != (wantCode == "ok") || s.LoginTested || s.Message == "" {
						t.Errorf("%s %s %s: code %s ok %v login tested %v %q, want %s", a.Program, a.Path, s.URL, s.Code, s.OK, s.LoginTested, s.Message, wantCode)
					}
				}
			}
			for p := range want {
				sort.Strings(want[p])
				sort.Strings(seen[p])
			}
			if len(got.Accounts) != 7 || !equalURLs(seen, want) {
				t.Errorf("%d accounts; servers by file:\n%v\nwant\n%v", len(got.Accounts), seen, want)
			}
			if probe.Repeats(stdout+stderr, "not read") {
				t.Errorf("fetchmail's password is in the output")
			}
		})
	}
}

func equalURLs(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if strings.Join(v, " ") != strings.Join(b[k], " ") {
			return false
		}
	}
	return true
}

// TestDoctorRealServersReport is the report a person reads, in English
// and Italian, with the broken account.
func TestDoctorRealServersReport(t *testing.T) {
	env := probetest.RealServers(t)
	home, _ := fakeHome(t, env, true)
	environ := map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config")}
	untrusted := env["UNTRUSTED_HOST"] + ":" + env["IMAP_PORT"]
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"en", []string{
			"Thunderbird: " + filepath.Join(home, ".thunderbird", "k3x9.default-release", "prefs.js"),
			"mbsync (isync): " + filepath.Join(home, ".mbsyncrc"),
			"✗  incoming  IMAP  " + untrusted + "  STARTTLS  user " + env["USER"],
			"What to do:",
			"have mbsync (isync) trust it: its SHA-256 fingerprint is " + env["UNTRUSTED_SHA256"],
			"✓  outgoing  SMTP  " + env["GOOD_HOST"] + ":" + env["SMTPS_PORT"] + "  SSL/TLS  user " + env["USER"] + "  TLS 1.3  Postfix",
			"The connection and TLS work; the login was not tested.",
			"Accounts: 7. Servers tested: 11; working: 10; not working: 1.",
			"The login was not tested where postino holds no password",
		}},
		{"it", []string{
			"Evolution: " + filepath.Join(home, ".config", "evolution", "sources", "1733.1@host.source"),
			"✗  in arrivo  IMAP  " + untrusted + "  STARTTLS  utente " + env["USER"],
			"Cosa fare:",
			"La connessione e il TLS funzionano; l'accesso non è stato provato.",
			"Account: 7. Server provati: 11; funzionanti: 10; non funzionanti: 1.",
		}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", environ, "doctor", "--ca-file", env["CA_FILE"], "--lang", tt.lang)
			if code != 1 {
				t.Errorf("exit %d, want 1\n%s", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("the report lacks %q:\n%s", w, stdout)
				}
			}
		})
	}
}

// TestDoctorRealServersTrustFile: without --ca-file, the CA file msmtp
// (tls_trust_file) and mbsync (CertificateFile with ~, and
// SystemCertificates no) are set to trust makes the real servers' test
// pass; without it the certificate is untrusted; one that cannot be read
// is said, in English and Italian.
func TestDoctorRealServersTrustFile(t *testing.T) {
	env := probetest.RealServers(t)
	good, user := env["GOOD_HOST"], env["USER"]
	ca, err := os.ReadFile(env["CA_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	msmtprc := func(trust string) string {
		return "defaults\ntls on\n" + trust + "\naccount test\nhost " + good + "\nport " + env["SMTPS_PORT"] + "\ntls_starttls off\nuser " + user + "\n"
	}
	const mbsyncrc = "IMAPAccount test\nHost %s\nPort %s\nUser %s\nTLSType IMAPS\nCertificateFile ~/private/ca.pem\nSystemCertificates no\n"
	for _, tt := range []struct {
		name, trust, wantCA, wantCode string
		mbsync                        bool
	}{
		{"trusted", "tls_trust_file " + env["CA_FILE"], env["CA_FILE"], "ok", true},
		{"inherited system", "tls_trust_file system", "", "certificate_untrusted", false},
		{"none", "", "", "certificate_untrusted", false},
		{"missing", "tls_trust_file ~/no-such-ca.pem", "no-such-ca.pem", "ca_file_unreadable", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			home := t.TempDir()
			files := map[string]string{".msmtprc": msmtprc(tt.trust)}
			if tt.mbsync {
				files[".mbsyncrc"] = fmt.Sprintf(mbsyncrc, good, env["IMAPS_PORT"], user)
				files["private/ca.pem"] = string(ca)
			}
			for name, content := range files {
				p := filepath.Join(home, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			environ := map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config")}
			code, stdout, stderr := runCLI(t, "", environ, "doctor", "--json")
			if code != map[bool]int{true: 0, false: 1}[tt.wantCode == "ok"] {
				t.Errorf("exit %d\n%s%s", code, stdout, stderr)
			}
			var got doctorOut
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, stdout)
			}
			want := 1
			if tt.mbsync {
				want = 2
			}
			if len(got.Accounts) != want {
				t.Fatalf("%d accounts, want %d: %s", len(got.Accounts), want, stdout)
			}
			for _, a := range got.Accounts {
				wantCA, wantCode := tt.wantCA, tt.wantCode
				if a.Program == "mbsync" {
					wantCA, wantCode = filepath.Join(home, "private", "ca.pem"), "ok"
				}
				if !strings.HasSuffix(a.CAFile, wantCA) || (wantCA == "") != (a.CAFile == "") {
					t.Errorf("%s: ca_file %q, want %q", a.Program, a.CAFile, wantCA)
				}
				if len(a.Servers) != 1 || a.Servers[0].Code != wantCode {
					t.Errorf("%s: servers %+v, want %s", a.Program, a.Servers, wantCode)
				}
			}
			if tt.wantCode != "ca_file_unreadable" {
				return
			}
			missing := filepath.Join(home, "no-such-ca.pem")
			for lang, want := range map[string]string{
				"en": "msmtp is set to trust the certificate authorities in " + missing + ", but that file cannot be used (no such file or directory): the server was not tested.",
				"it": "msmtp è impostato per fidarsi delle autorità di certificazione in " + missing + ", ma quel file non si può usare (no such file or directory): il server non è stato provato.",
			} {
				_, stdout, _ := runCLI(t, "", environ, "doctor", "--lang", lang)
				if !strings.Contains(stdout, want) || !strings.Contains(stdout, missing) {
					t.Errorf("%s: the report lacks %q:\n%s", lang, want, stdout)
				}
			}
		})
	}
}
