package found

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/export"
	"github.com/postino/postino/wizard/store"
	"github.com/postino/postino/wizard/store/storetest"
)

func srv(role probe.Role, p probe.Protocol, host string, port int, sec probe.Security, user string) Server {
	return Server{Role: role, Server: probe.Server{Protocol: p, Host: host, Port: port, Security: sec, Username: user, Auth: probe.AuthPassword}}
}

// write puts files (path relative to dir → content) under dir.
func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func servers(accounts []Account) [][]Server {
	var out [][]Server
	for _, a := range accounts {
		out = append(out, a.Servers)
	}
	return out
}

// TestExportsRead reads back the files postino's exports write, which
// the exports' own tests prove the real programs accept.
func TestExportsRead(t *testing.T) {
	const user = "mario@example.com"
	imaps := probe.Server{Protocol: probe.IMAP, Host: "imap.example.com", Port: 993, Security: probe.TLS, Username: user, Auth: probe.AuthPassword}
	imap := probe.Server{Protocol: probe.IMAP, Host: "imap.example.com", Port: 143, Security: probe.StartTLS, Username: user, Auth: probe.AuthPassword}
	pop3s := probe.Server{Protocol: probe.POP3, Host: "pop.example.com", Port: 995, Security: probe.TLS, Username: user, Auth: probe.AuthPassword}
	submission := probe.Server{Protocol: probe.SMTP, Host: "smtp.example.com", Port: 587, Security: probe.StartTLS, Username: user, Auth: probe.AuthPassword}
	smtps := probe.Server{Protocol: probe.SMTP, Host: "smtp.example.com", Port: 465, Security: probe.TLS, Username: user, Auth: probe.AuthPassword}
	for _, tt := range []struct {
		format  string
		read    func(string, []byte) ([]Account, error)
		in, out probe.Server
		want    func(in, out probe.Server) []Server
	}{
		{"aerc", readAercAccounts, imaps, submission, both},
		{"aerc", readAercAccounts, imap, smtps, both},
		{"msmtp", readMsmtprc, imaps, submission, outOnly},
		{"msmtp", readMsmtprc, imaps, smtps, outOnly},
		{"mbsync", readMbsyncrc, imaps, submission, inOnly},
		{"mbsync", readMbsyncrc, imap, submission, inOnly},
		{"fetchmail", readFetchmailrc, imaps, submission, inOnly},
		{"fetchmail", readFetchmailrc, imap, submission, inOnly},
		{"fetchmail", readFetchmailrc, pop3s, submission, inOnly},
	} {
		t.Run(tt.format+" "+tt.in.String()+" "+tt.out.String(), func(t *testing.T) {
			f, _ := export.Lookup(tt.format)
			data, err := f.Render(export.Input{Name: "work", Address: user, DisplayName: "Mario Rossi",
				Incoming: []probe.Server{tt.in}, Outgoing: []probe.Server{tt.out}, Lang: probe.English, Now: time.Now(), Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			got, err := tt.read("/x/"+f.File, data)
			if err != nil {
				t.Fatalf("%v\n%s", err, data)
			}
			if len(got) != 1 || got[0].Path != "/x/"+f.File {
				t.Fatalf("accounts = %+v, want one from /x/%s\n%s", got, f.File, data)
			}
			if want := tt.want(tt.in, tt.out); !reflect.DeepEqual(got[0].Servers, want) {
				t.Errorf("servers = %+v\nwant %+v\n%s", got[0].Servers, want, data)
			}
		})
	}
}

func both(in, out probe.Server) []Server {
	return []Server{{Role: probe.Incoming, Server: in}, {Role: probe.Outgoing, Server: out}}
}
func inOnly(in, _ probe.Server) []Server   { return []Server{{Role: probe.Incoming, Server: in}} }
func outOnly(_, out probe.Server) []Server { return []Server{{Role: probe.Outgoing, Server: out}} }

// TestNeoMuttExportRead reads the NeoMutt export through the muttrc paths.
func TestNeoMuttExportRead(t *testing.T) {
	home := t.TempDir()
	f, _ := export.Lookup("neomutt")
	data, err := f.Render(export.Input{Name: "work", Address: "mario@example.com",
		Incoming: []probe.Server{{Protocol: probe.IMAP, Host: "imap.example.com", Port: 993, Security: probe.TLS, Username: "mario@example.com", Auth: probe.AuthPassword}},
		Outgoing: []probe.Server{{Protocol: probe.SMTP, Host: "smtp.example.com", Port: 587, Security: probe.StartTLS, Username: "mario@example.com", Auth: probe.AuthPassword}},
		Lang:     probe.English, Now: time.Now(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	write(t, home, map[string]string{".config/neomutt/neomuttrc": string(data)})
	got := Find(Env{GOOS: "linux", Home: home, Getenv: func(string) string { return "" }})
	want := [][]Server{{srv(probe.Incoming, probe.IMAP, "imap.example.com", 993, probe.TLS, "mario@example.com"), srv(probe.Outgoing, probe.SMTP, "smtp.example.com", 587, probe.StartTLS, "mario@example.com")}}
	if !reflect.DeepEqual(servers(got.Accounts), want) || got.Accounts[0].Address != "mario@example.com" || len(got.Problems) > 0 {
		t.Errorf("found %+v, want %+v\n%s", got, want, data)
	}
}

// A profile as Thunderbird 128 writes it: accounts, identities, a
// default SMTP server, Local Folders and a feed account.
const prefsJS = `// Mozilla User Preferences

// DO NOT EDIT THIS FILE.
//
// If you make changes to this file while the application is running,
// the changes will be overwritten when the application exits.
//
// To change a preference value, you can either:
// - modify it via the UI (e.g. via about:config in the browser); or
// - set it within a user.js file in your profile.

user_pref("app.update.lastUpdateTime.addon-background-update-timer", 1733000000);
user_pref("mail.account.account1.identities", "id1");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.account.account2.server", "server2");
user_pref("mail.account.account3.identities", "id2");
user_pref("mail.account.account3.server", "server3");
user_pref("mail.account.account4.server", "server4");
user_pref("mail.account.lastKey", 4);
user_pref("mail.accountmanager.accounts", "account1,account3,account4,account2");
user_pref("mail.accountmanager.defaultaccount", "account1");
user_pref("mail.accountmanager.localfoldersserver", "server2");
user_pref("mail.identity.id1.fullName", "Mario \"Super\" Rossi");
user_pref("mail.identity.id1.reply_on_top", 1);
user_pref("mail.identity.id1.smtpServer", "smtp1");
user_pref("mail.identity.id1.useremail", "mario@example.com");
user_pref("mail.identity.id2.fullName", "Lucia");
user_pref("mail.identity.id2.useremail", "lucia@example.org");
user_pref("mail.identity.id2.valid", true);
user_pref("mail.server.server1.check_new_mail", true);
user_pref("mail.server.server1.directory", "/home/mario/.thunderbird/abc.default-release/ImapMail/imap.example.com");
user_pref("mail.server.server1.hostname", "imap.example.com");
user_pref("mail.server.server1.login_at_startup", true);
user_pref("mail.server.server1.name", "mario@example.com");
user_pref("mail.server.server1.port", 993);
user_pref("mail.server.server1.socketType", 3);
user_pref("mail.server.server1.type", "imap");
user_pref("mail.server.server1.userName", "mario@example.com");
user_pref("mail.server.server2.directory-rel", "[ProfD]Mail/Local Folders");
user_pref("mail.server.server2.hostname", "Local Folders");
user_pref("mail.server.server2.name", "Local Folders");
user_pref("mail.server.server2.type", "none");
user_pref("mail.server.server2.userName", "nobody");
user_pref("mail.server.server3.hostname", "pop.example.org");
user_pref("mail.server.server3.name", "Lucia \u00e0 casa");
user_pref("mail.server.server3.port", 110);
user_pref("mail.server.server3.socketType", 2);
user_pref("mail.server.server3.type", "pop3");
user_pref("mail.server.server3.userName", "lucia");
user_pref("mail.server.server4.hostname", "Feeds");
user_pref("mail.server.server4.name", "Blogs & News Feeds");
user_pref("mail.server.server4.type", "rss");
user_pref("mail.server.server4.userName", "nobody");
user_pref("mail.smtp.defaultserver", "smtp2");
user_pref("mail.smtpserver.smtp1.authMethod", 3);
user_pref("mail.smtpserver.smtp1.description", "");
user_pref("mail.smtpserver.smtp1.hostname", "smtp.example.com");
user_pref("mail.smtpserver.smtp1.port", 465);
user_pref("mail.smtpserver.smtp1.try_ssl", 3);
user_pref("mail.smtpserver.smtp1.username", "mario@example.com");
user_pref("mail.smtpserver.smtp2.hostname", "mail.example.org");
user_pref("mail.smtpserver.smtp2.try_ssl", 2);
user_pref("mail.smtpserver.smtp2.username", "lucia");
user_pref("mail.smtpservers", "smtp1,smtp2");
`

func TestThunderbird(t *testing.T) {
	home := t.TempDir()
	abs := filepath.Join(t.TempDir(), "elsewhere")
	write(t, home, map[string]string{
		".thunderbird/profiles.ini": "[Install4F96D1932A9F858E]\nDefault=abc.default-release\nLocked=1\n\n" +
			"[Profile1]\nName=default\nIsRelative=1\nPath=xyz.default\n\n" +
			"[Profile0]\nName=default-release\nIsRelative=1\nPath=abc.default-release\nDefault=1\n\n" +
			"[Profile2]\nName=moved\nIsRelative=0\nPath=" + abs + "\n\n" +
			"[General]\nStartWithLastProfile=1\nVersion=2\n",
		".thunderbird/abc.default-release/prefs.js": prefsJS,
		// A profile never opened has no prefs.js: nothing, no problem.
		".thunderbird/xyz.default/times.json": "{}",
	})
	write(t, abs, map[string]string{"prefs.js": `user_pref("mail.account.account1.server", "server1");
user_pref("mail.server.server1.hostname", "imap.example.net");
user_pref("mail.server.server1.type", "imap");
user_pref("mail.server.server1.userName", "moved");
`})
	got := Find(Env{GOOS: "linux", Home: home})
	if len(got.Problems) > 0 {
		t.Fatalf("problems: %+v", got.Problems)
	}
	prefs := filepath.Join(home, ".thunderbird", "abc.default-release", "prefs.js")
	want := []Account{
		{Program: Thunderbird, Path: prefs, Name: "mario@example.com", Address: "mario@example.com", Servers: []Server{
			srv(probe.Incoming, probe.IMAP, "imap.example.com", 993, probe.TLS, "mario@example.com"),
			srv(probe.Outgoing, probe.SMTP, "smtp.example.com", 465, probe.TLS, "mario@example.com"),
		}},
		{Program: Thunderbird, Path: prefs, Name: "Lucia à casa", Address: "lucia@example.org", Servers: []Server{
			srv(probe.Incoming, probe.POP3, "pop.example.org", 110, probe.StartTLS, "lucia"),
			srv(probe.Outgoing, probe.SMTP, "mail.example.org", 25, probe.StartTLS, "lucia"),
		}},
		// An absolute profile path; no socketType is no TLS.
		{Program: Thunderbird, Path: filepath.Join(abs, "prefs.js"), Servers: []Server{
			srv(probe.Incoming, probe.IMAP, "imap.example.net", 143, probe.None, "moved"),
		}},
	}
	if !reflect.DeepEqual(got.Accounts, want) {
		t.Errorf("accounts:\n%+v\nwant\n%+v", got.Accounts, want)
	}
}

// TestThunderbirdPlaces finds profiles where each system and packaging
// keeps them.
func TestThunderbirdPlaces(t *testing.T) {
	for _, tt := range []struct {
		goos, dir string
		env       map[string]string
	}{
		{"linux", ".thunderbird", nil},
		{"linux", ".mozilla-thunderbird", nil},
		{"linux", "snap/thunderbird/common/.thunderbird", nil},
		{"linux", ".var/app/org.mozilla.Thunderbird/.thunderbird", nil},
		{"darwin", "Library/Thunderbird", nil},
		{"windows", "AppData/Roaming/Thunderbird", nil},
		{"windows", "Roaming2/Thunderbird", map[string]string{"APPDATA": "Roaming2"}},
	} {
		t.Run(tt.goos+" "+tt.dir, func(t *testing.T) {
			home := t.TempDir()
			env := map[string]string{}
			for k, v := range tt.env {
				env[k] = filepath.Join(home, v)
			}
			write(t, home, map[string]string{
				tt.dir + "/profiles.ini":                 "[Profile0]\r\nName=default\r\nIsRelative=1\r\nPath=Profiles/q1.default\r\nDefault=1\r\n",
				tt.dir + "/Profiles/q1.default/prefs.js": prefsJS,
			})
			got := Find(Env{GOOS: tt.goos, Home: home, Getenv: func(k string) string { return env[k] }})
			if len(got.Accounts) != 2 || len(got.Problems) > 0 {
				t.Errorf("found %+v", got)
			}
		})
	}
}

func TestPrefsJSBroken(t *testing.T) {
	for _, src := range []string{
		`user_pref("mail.server.server1.hostname", "imap.example.com);`,
		`user_pref("mail.server.server1.hostname" "x");`,
		`user_pref("a", );`,
		`user_pref("a", "\u12");`,
	} {
		if _, err := readPrefsJS("prefs.js", []byte(src)); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%s: err = %v, want one naming line 1", src, err)
		}
	}
	prefs, err := parsePrefs("/* a\ncomment */\nuser_pref('single', 'it\\'s');\n# hash\npref(\"n\", -3);\nuser_pref(\"e\", \"\\ud83d\\udce8\");")
	if err != nil || prefs["single"] != "it's" || prefs["n"] != "-3" || prefs["e"] != "📨" {
		t.Errorf("prefs = %q, %v", prefs, err)
	}
}

const msmtprcFixture = `# Set default values for all following accounts.
defaults
auth           on
tls            on
tls_trust_file /etc/ssl/certs/ca-certificates.crt
logfile        ~/.msmtp.log

# Gmail
account        gmail
host           smtp.gmail.com
port           587
from           mario@gmail.com
user           mario@gmail.com
passwordeval   "pass show gmail"

# A second one, inheriting and changing to SSL/TLS
account        work : gmail
host           mail.example.com
tls_starttls   off
port           465
user           "mario rossi"

# Plain, old
account local
tls off
host   localhost

account nohost

# Set a default account
account default : gmail
`

func TestMsmtp(t *testing.T) {
	rc := msmtprcFixture
	got, err := readMsmtprc("/h/.msmtprc", []byte(rc))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]Server{
		{srv(probe.Outgoing, probe.SMTP, "smtp.gmail.com", 587, probe.StartTLS, "mario@gmail.com")},
		{srv(probe.Outgoing, probe.SMTP, "mail.example.com", 465, probe.TLS, "mario rossi")},
		{srv(probe.Outgoing, probe.SMTP, "localhost", 25, probe.None, "")},
		nil,
	}
	if !reflect.DeepEqual(servers(got), want) {
		t.Errorf("servers = %+v\nwant %+v", servers(got), want)
	}
	if got[1].Name != "work" || got[1].Address != "mario@gmail.com" {
		t.Errorf("work = %+v", got[1])
	}
	if _, err := readMsmtprc("x", []byte("account a\nhost \"unclosed\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("unclosed quote: %v", err)
	}
}

var mbsyncWant = [][]Server{
	{srv(probe.Incoming, probe.IMAP, "imap.gmail.com", 993, probe.TLS, "mario@gmail.com")},
	{srv(probe.Incoming, probe.IMAP, "mail.example.com", 143, probe.None, "")},
	{srv(probe.Incoming, probe.IMAP, "imap.example.org", 1143, probe.StartTLS, "lucia")},
}

const mbsyncrcFixture = `IMAPAccount gmail
# Address to connect to
Host imap.gmail.com
User "mario@gmail.com"
PassCmd "pass gmail"
TLSType IMAPS
CertificateFile /etc/ssl/certs/ca-certificates.crt

IMAPStore gmail-remote
Account gmail

IMAPAccount old
Host mail.example.com
SSLType None

IMAPAccount tunnelled
Tunnel "ssh -q host /usr/sbin/dovecot --exec-mail imap"

IMAPStore direct
Host imap.example.org
Port 1143
User lucia

MaildirStore gmail-local
Path ~/Mail/gmail/
Inbox ~/Mail/gmail/INBOX

Channel gmail
Far :gmail-remote:
Near :gmail-local:
`

func TestMbsync(t *testing.T) {
	rc := mbsyncrcFixture
	got, err := readMbsyncrc("/h/.mbsyncrc", []byte(rc))
	if err != nil {
		t.Fatal(err)
	}
	if want := mbsyncWant; !reflect.DeepEqual(servers(got), want) {
		t.Errorf("servers = %+v\nwant %+v", servers(got), want)
	}
}

const fetchmailrcFixture = `# global options
set daemon 300
set logfile "/home/mario/.fetchmail.log"
set no syslog

defaults proto pop3 ssl

poll mail.example.com with proto IMAP port 993:
  user 'mario' there with password 'se#cr"et' is mario here options keep ssl sslproto 'TLS1.2+';

poll "pop.example.org"
  user "lucia" there has password "x y" is lucia here
  user "anna\x40home" there is anna here

poll alias.example.net via real.example.net proto pop3 service 1995 user bob no ssl

skip old.example.com proto imap user zed

poll legacy.example.com proto imap user nobody no ssl sslproto ''
poll relay.example.com proto ETRN
`

func TestFetchmail(t *testing.T) {
	rc := fetchmailrcFixture
	got, err := readFetchmailrc("/h/.fetchmailrc", []byte(rc))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]Server{
		{srv(probe.Incoming, probe.IMAP, "mail.example.com", 993, probe.TLS, "mario")},
		{srv(probe.Incoming, probe.POP3, "pop.example.org", 995, probe.TLS, "lucia")},
		{srv(probe.Incoming, probe.POP3, "pop.example.org", 995, probe.TLS, "anna@home")},
		{srv(probe.Incoming, probe.POP3, "real.example.net", 1995, probe.StartTLS, "bob")},
		{srv(probe.Incoming, probe.IMAP, "legacy.example.com", 143, probe.None, "nobody")},
	}
	if !reflect.DeepEqual(servers(got), want) {
		t.Errorf("servers = %+v\nwant %+v", servers(got), want)
	}
	for _, a := range got {
		for _, s := range a.Servers {
			if strings.Contains(s.Username+s.Host, "cr") || strings.Contains(s.Username, "x y") {
				t.Errorf("a password was read as a setting: %+v", s)
			}
		}
	}
	if _, err := readFetchmailrc("x", []byte("poll a user 'b")); err == nil {
		t.Error("an unclosed quote was accepted")
	}
}

func TestMutt(t *testing.T) {
	home := t.TempDir()
	write(t, home, map[string]string{
		".muttrc": `# main file
set realname="Mario Rossi"   # a comment
set imap_user = mario@example.com
set folder = "imaps://imap.example.com/" spoolfile='+INBOX'
set smtp_url='smtps://mario%40example.com@smtp.example.com'
source ~/.mutt/work.muttrc
source "~/.mutt/gpg.rc"
source "pass show mutt |"
set record = +Sent ; set postponed=+Drafts
`,
		".mutt/work.muttrc": "set from=lucia@work.example\nset spoolfile=\"pop://lucia@pop.work.example:1100/\"\nset smtp_url=smtp://smtp.work.example\\\n:2525\nsource loop.rc\n",
		".mutt/loop.rc":     "source work.muttrc\nsource ../.muttrc\n",
		".mutt/gpg.rc":      "set pgp_default_key = 0x1234\n",
	})
	got := Find(Env{GOOS: "linux", Home: home})
	want := []Account{
		{Program: Mutt, Path: filepath.Join(home, ".mutt", "work.muttrc"), Address: "lucia@work.example", Servers: []Server{
			srv(probe.Incoming, probe.POP3, "pop.work.example", 1100, probe.StartTLS, "lucia"),
			srv(probe.Outgoing, probe.SMTP, "smtp.work.example", 2525, probe.StartTLS, ""),
		}},
		{Program: Mutt, Path: filepath.Join(home, ".muttrc"), Servers: []Server{
			srv(probe.Incoming, probe.IMAP, "imap.example.com", 993, probe.TLS, "mario@example.com"),
			srv(probe.Outgoing, probe.SMTP, "smtp.example.com", 465, probe.TLS, "mario@example.com"),
		}},
	}
	if !reflect.DeepEqual(got.Accounts, want) || len(got.Problems) > 0 {
		t.Errorf("found %+v\nwant %+v", got, want)
	}
}

func TestMuttSourceLimits(t *testing.T) {
	home := t.TempDir()
	files := map[string]string{".muttrc": "source d1.rc\n"}
	for i := 1; i <= muttMaxDepth+2; i++ {
		files["d"+itoa(i)+".rc"] = "source d" + itoa(i+1) + ".rc\n"
	}
	write(t, home, files)
	got := Find(Env{GOOS: "linux", Home: home})
	if len(got.Problems) != 1 || !strings.Contains(got.Problems[0].Err.Error(), "too deep") {
		t.Errorf("problems = %+v, want one: sourced too deep", got.Problems)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestAerc(t *testing.T) {
	const conf = `[Personal]
source        = imap+insecure://mario:hunter2@localhost:1143
outgoing      = smtp+plain://mario@localhost:1025
from          = Mario <mario@example.com>

[Gmail]
source = imaps+oauthbearer://mario%40gmail.com@imap.gmail.com
outgoing = smtps+oauthbearer://mario%40gmail.com@smtp.gmail.com
source-cred-cmd = pass gmail ; a comment
from = mario@gmail.com

[Local]
source = maildir://~/Mail
outgoing = /usr/bin/msmtp
`
	got, err := readAercAccounts("/h/accounts.conf", []byte(conf))
	if err != nil {
		t.Fatal(err)
	}
	oauth := func(s Server) Server { s.Auth = probe.AuthOAuth2; return s }
	want := [][]Server{
		{srv(probe.Incoming, probe.IMAP, "localhost", 1143, probe.None, "mario"), srv(probe.Outgoing, probe.SMTP, "localhost", 1025, probe.StartTLS, "mario")},
		{oauth(srv(probe.Incoming, probe.IMAP, "imap.gmail.com", 993, probe.TLS, "mario@gmail.com")), oauth(srv(probe.Outgoing, probe.SMTP, "smtp.gmail.com", 465, probe.TLS, "mario@gmail.com"))},
		nil,
	}
	if !reflect.DeepEqual(servers(got), want) || got[0].Address != "mario@example.com" || got[1].Name != "Gmail" || strings.Contains(fmt.Sprint(got), "hunter2") {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestEvolution(t *testing.T) {
	home := t.TempDir()
	config := filepath.Join(home, "xdg")
	write(t, config, map[string]string{
		"evolution/sources/1700000000.1234.1@host.source": `
[Data Source]
DisplayName=mario@example.com
Enabled=true
Parent=

[Offline]
StaySynchronized=true

[Mail Account]
BackendName=imapx
IdentityUid=1700000000.1234.2@host
ArchiveFolder=
NeedsInitialSetup=false

[Authentication]
Host=imap.example.com
Method=PLAIN
Port=993
ProxyUid=system-proxy
RememberPassword=true
User=mario
CredentialName=

[Security]
Method=ssl-on-alternate-port
`,
		"evolution/sources/1700000000.1234.2@host.source": `[Data Source]
DisplayName=mario@example.com
Parent=1700000000.1234.1@host

[Mail Identity]
Address=mario@example.com
Name=Mario Rossi

[Mail Submission]
SentFolder=folder://1700000000.1234.1%40host/Sent
TransportUid=1700000000.1234.3@host
`,
		"evolution/sources/1700000000.1234.3@host.source": `[Data Source]
DisplayName=mario@example.com
Parent=1700000000.1234.1@host

[Mail Transport]
BackendName=smtp

[Authentication]
Host=smtp.example.com
Method=PLAIN
Port=587
User=mario\sr

[Security]
Method=starttls-on-standard-port
`,
		"evolution/sources/local.source":               "[Data Source]\nDisplayName=On This Computer\n\n[Mail Account]\nBackendName=maildir\n",
		"evolution/sources/system-address-book.source": "[Data Source]\nDisplayName=Personal\n\n[Address Book]\nBackendName=local\n",
		"evolution/sources/orphan.source":              "[Data Source]\nDisplayName=Relay\n\n[Mail Transport]\nBackendName=smtp\n\n[Authentication]\nHost=relay.example.com\nPort=25\n\n[Security]\nMethod=none\n",
	})
	got := Find(Env{GOOS: "linux", Home: home, Getenv: func(k string) string {
		if k == "XDG_CONFIG_HOME" {
			return config
		}
		return ""
	}})
	dir := filepath.Join(config, "evolution", "sources")
	want := []Account{
		{Program: Evolution, Path: filepath.Join(dir, "1700000000.1234.1@host.source"), Name: "mario@example.com", Address: "mario@example.com", Servers: []Server{
			srv(probe.Incoming, probe.IMAP, "imap.example.com", 993, probe.TLS, "mario"),
			srv(probe.Outgoing, probe.SMTP, "smtp.example.com", 587, probe.StartTLS, "mario r"),
		}},
		{Program: Evolution, Path: filepath.Join(dir, "orphan.source"), Name: "Relay", Servers: []Server{
			srv(probe.Outgoing, probe.SMTP, "relay.example.com", 25, probe.None, ""),
		}},
	}
	if !reflect.DeepEqual(got.Accounts, want) || len(got.Problems) > 0 {
		t.Errorf("found %+v\nwant %+v", got, want)
	}
}

// TestUnreadable: a file that is there but cannot be read is a problem
// named with its path; the other files are still read.
func TestUnreadable(t *testing.T) {
	home := t.TempDir()
	write(t, home, map[string]string{
		".mbsyncrc":    "IMAPAccount a\nHost \"unclosed\n",
		".fetchmailrc": "poll pop.example.com proto pop3 user u ssl\n",
	})
	if err := os.Mkdir(filepath.Join(home, ".msmtprc"), 0o700); err != nil {
		t.Fatal(err)
	}
	got := Find(Env{GOOS: "linux", Home: home})
	if len(got.Accounts) != 1 || len(got.Problems) != 2 {
		t.Errorf("found %+v", got)
	}
}

func TestTestServers(t *testing.T) {
	shared := srv(probe.Incoming, probe.IMAP, "imap.example.com", 993, probe.TLS, "mario")
	accounts := []Account{
		{Program: Mbsync, Servers: []Server{shared}},
		{Program: Aerc, Servers: []Server{shared, srv(probe.Outgoing, probe.SMTP, "smtp.example.com", 25, probe.None, "mario")}},
	}
	for i := range 20 {
		accounts = append(accounts, Account{Program: Fetchmail, Servers: []Server{srv(probe.Incoming, probe.POP3, "pop"+itoa(i)+".example.com", 995, probe.TLS, "")}})
	}
	var running, most, calls atomic.Int32
	var mu sync.Mutex
	tested := map[string]int{}
	tester := func(ctx context.Context, s probe.Server, o *probe.Options) probe.Result {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		calls.Add(1)
		mu.Lock()
		tested[s.String()+" "+s.Username]++
		mu.Unlock()
		if o.Password != "" || o.Username != "" {
			t.Errorf("%s tested with credentials", s)
		}
		time.Sleep(10 * time.Millisecond)
		if strings.HasPrefix(s.Host, "pop1") {
			return probe.Result{Server: s, Code: probe.CodeConnectionRefused}
		}
		return probe.Result{Server: s, OK: true, Code: probe.CodeOK}
	}
	results := Test(context.Background(), accounts, Check{Parallel: 3, Tester: tester, Options: probe.Options{Username: "x", Password: "never"}})
	if most.Load() > 3 || most.Load() < 2 {
		t.Errorf("at most %d tests ran at once, want 3", most.Load())
	}
	if calls.Load() != 22 || tested["imaps://imap.example.com:993 mario"] != 1 {
		t.Errorf("%d tests, the shared server %d times; want 22 and 1", calls.Load(), tested["imaps://imap.example.com:993 mario"])
	}
	if len(results) != len(accounts) || len(results[1]) != 2 || !results[1][0].OK || results[1][1].Code != CodeNoTLS || results[1][1].OK || results[1][1].Role != probe.Outgoing {
		t.Errorf("results = %+v", results[:2])
	}
	if results[3][0].Code != probe.CodeConnectionRefused || Passed(results) || !Passed(results[:1]) {
		t.Errorf("pop1: %+v", results[3])
	}
}

// TestPostinoOwn: postino's saved accounts are found with all their
// servers, and only they are logged in to, with their pins and the
// password postino holds.
func TestPostinoOwn(t *testing.T) {
	st := &store.Store{Dir: t.TempDir(), Keyring: storetest.NewKeyring(store.ErrNoPassword)}
	pin, err := probe.ParsePin("sha256:" + strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	in := probe.Server{Protocol: probe.IMAP, Host: "imap.example.com", Port: 993, Security: probe.TLS, Auth: probe.AuthPassword}
	fallback := probe.Server{Protocol: probe.POP3, Host: "pop.example.com", Port: 995, Security: probe.TLS, Auth: probe.AuthPassword}
	out := probe.Server{Protocol: probe.SMTP, Host: "smtp.example.com", Port: 465, Security: probe.TLS, Auth: probe.AuthPassword}
	if _, err := st.Save(store.Account{Name: "work", Address: "anna@example.com", Incoming: []probe.Server{in, fallback}, Outgoing: []probe.Server{out}, Pins: []probe.Pin{pin}}, "held by postino"); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	write(t, home, map[string]string{".mbsyncrc": "IMAPAccount other\nHost imap.example.com\nUser anna@example.com\nTLSType IMAPS\n"})
	got := Find(Env{GOOS: "linux", Home: home, Store: st})
	if len(got.Accounts) != 2 || len(got.Problems) > 0 {
		t.Fatalf("found %+v", got)
	}
	own := got.Accounts[1]
	want := []Server{{Role: probe.Incoming, Server: in}, {Role: probe.Incoming, Server: fallback}, {Role: probe.Outgoing, Server: out}}
	if own.Program != Postino || own.Path != st.Path() || own.Saved == nil || own.Name != "work" || !reflect.DeepEqual(own.Servers, want) {
		t.Errorf("postino's account = %+v", own)
	}
	var mu sync.Mutex
	logins := map[string]string{}
	tester := func(ctx context.Context, s probe.Server, o *probe.Options) probe.Result {
		mu.Lock()
		defer mu.Unlock()
		if o.Password != "" {
			logins[s.String()] = o.Username + " " + o.Password
			if len(o.Pins) != 1 || o.Pins[0] != pin {
				t.Errorf("%s tested without the account's pin: %v", s, o.Pins)
			}
		}
		return probe.Result{Server: s, OK: true, Code: probe.CodeOK, LoggedIn: o.Password != ""}
	}
	results := Test(context.Background(), got.Accounts, Check{Tester: tester, Password: func(a store.Account) string {
		pw, _ := st.Password(a)
		return pw
	}})
	if len(logins) != 3 || logins["imaps://imap.example.com:993"] != "anna@example.com held by postino" {
		t.Errorf("logins = %v, want the three servers of postino's account", logins)
	}
	if results[0][0].LoginTested || !results[1][0].LoginTested || !Passed(results) {
		t.Errorf("results = %+v", results)
	}
}
