package export

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// tbConfig is clientConfig as Thunderbird's readFromXML reads it.
type tbConfig struct {
	XMLName  xml.Name `xml:"clientConfig"`
	Version  string   `xml:"version,attr"`
	Provider []struct {
		ID          string     `xml:"id,attr"`
		Domains     []string   `xml:"domain"`
		DisplayName string     `xml:"displayName"`
		Incoming    []tbServer `xml:"incomingServer"`
		Outgoing    []tbServer `xml:"outgoingServer"`
	} `xml:"emailProvider"`
}

type tbServer struct {
	Type           string   `xml:"type,attr"`
	Hostname       string   `xml:"hostname"`
	Port           string   `xml:"port"`
	SocketTypes    []string `xml:"socketType"`
	Authentication []string `xml:"authentication"`
	Username       *string  `xml:"username"`
	Password       *string  `xml:"password"`
}

// thunderbirdHost is Thunderbird's Sanitizer.hostname: letters, digits,
// '-' and '.', or a name with %PLACEHOLDERS%.
var thunderbirdHost = regexp.MustCompile(`^[a-zA-Z0-9\-.]+$|^[a-zA-Z0-9\-.]*(%[A-Z0-9]+%[a-zA-Z0-9\-.]*)+$`)

// checkThunderbird applies the rules of Thunderbird's readFromXML.js (the
// parser of its account set-up) to a clientConfig file, and returns every
// rule it breaks.
func checkThunderbird(data []byte) []string {
	var c tbConfig
	if err := xml.Unmarshal(data, &c); err != nil {
		return []string{"not XML: " + err.Error()}
	}
	var bad []string
	if c.Version != "1.1" {
		bad = append(bad, "clientConfig version is "+c.Version)
	}
	if len(c.Provider) != 1 {
		return append(bad, "want exactly one emailProvider")
	}
	p := c.Provider[0]
	if !thunderbirdHost.MatchString(p.ID) {
		bad = append(bad, "emailProvider id is not a host name: "+p.ID)
	}
	if len(p.Domains) == 0 || !slices.Contains(p.Domains, p.ID) {
		bad = append(bad, "the id should be one of the <domain>s")
	}
	if strings.TrimSpace(p.DisplayName) == "" {
		bad = append(bad, "no displayName")
	}
	check := func(s tbServer, types, auths []string) {
		if !slices.Contains(types, s.Type) {
			bad = append(bad, "server type "+s.Type)
		}
		if !thunderbirdHost.MatchString(s.Hostname) {
			bad = append(bad, "hostname "+s.Hostname)
		}
		if n, err := strconv.Atoi(s.Port); err != nil || n < 1 || n > 65535 {
			bad = append(bad, "port "+s.Port)
		}
		if len(s.SocketTypes) == 0 || !slices.Contains([]string{"plain", "SSL", "STARTTLS"}, s.SocketTypes[0]) {
			bad = append(bad, "socketType "+strings.Join(s.SocketTypes, ","))
		}
		if len(s.Authentication) == 0 || !slices.Contains(auths, s.Authentication[0]) {
			bad = append(bad, "authentication "+strings.Join(s.Authentication, ","))
		}
		if s.Username == nil || *s.Username == "" {
			bad = append(bad, "no username")
		} else if strings.Contains(*s.Username, "%") && !slices.Contains([]string{"%EMAILADDRESS%", "%EMAILLOCALPART%"}, *s.Username) {
			bad = append(bad, "unknown placeholder in "+*s.Username)
		}
		if s.Password != nil {
			bad = append(bad, "holds a password")
		}
	}
	if len(p.Incoming) == 0 || len(p.Outgoing) == 0 {
		bad = append(bad, "needs an incomingServer and an outgoingServer")
	}
	for _, s := range p.Incoming {
		check(s, []string{"imap", "pop3"}, []string{"password-cleartext", "password-encrypted", "GSSAPI", "NTLM", "OAuth2"})
	}
	for _, s := range p.Outgoing {
		check(s, []string{"smtp"}, []string{"none", "client-IP-address", "smtp-after-pop", "password-cleartext", "password-encrypted", "GSSAPI", "NTLM", "OAuth2"})
	}
	return bad
}

func TestThunderbirdRules(t *testing.T) {
	for name, in := range fixtures(t) {
		out, err := Thunderbird(in)
		if err != nil {
			t.Fatal(err)
		}
		if bad := checkThunderbird(out); len(bad) > 0 {
			t.Errorf("%s breaks Thunderbird's rules: %v\n%s", name, bad, out)
		}
	}
	out, _ := Thunderbird(fixtures(t)["pop3"])
	for _, want := range []string{`<incomingServer type="pop3">`, "<username>%EMAILLOCALPART%</username>", "<socketType>STARTTLS</socketType>", "<socketType>SSL</socketType>", `<emailProvider id="example.org">`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("Thunderbird(pop3) lacks %s", want)
		}
	}
	// The checker itself catches what Thunderbird refuses.
	for _, broken := range []string{
		`<clientConfig version="1.1"><emailProvider id="x.org"><domain>x.org</domain><displayName>x</displayName><incomingServer type="imap"><hostname>a b</hostname><port>0</port><socketType>TLS</socketType><authentication>plain-text</authentication><username>%EMAIL%</username></incomingServer></emailProvider></clientConfig>`,
		`<clientConfig version="1.1"/>`,
	} {
		if len(checkThunderbird([]byte(broken))) == 0 {
			t.Errorf("checkThunderbird accepts %s", broken)
		}
	}
}

// autodiscover is the shape of an Autodiscover POX response for email.
type autodiscover struct {
	XMLName  xml.Name `xml:"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006 Autodiscover"`
	Response struct {
		XMLName xml.Name `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a Response"`
		User    struct {
			DisplayName string
		}
		Account struct {
			AccountType string
			Action      string
			Protocol    []struct {
				Type, Server, Port, DomainRequired, LoginName, SPA, SSL, Encryption, AuthRequired string
			}
		}
	}
}

func TestOutlookAutodiscover(t *testing.T) {
	for name, want := range map[string][][4]string{
		"imap":   {{"IMAP", "993", "on", "SSL"}, {"SMTP", "587", "on", "TLS"}},
		"pop3":   {{"POP3", "110", "on", "TLS"}, {"SMTP", "465", "on", "SSL"}},
		"oauth2": {{"IMAP", "993", "on", "SSL"}, {"SMTP", "587", "on", "TLS"}},
	} {
		in := fixtures(t)[name]
		out, err := Outlook(in)
		if err != nil {
			t.Fatal(err)
		}
		var ad autodiscover
		if err := xml.Unmarshal(out, &ad); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
		acc := ad.Response.Account
		if acc.AccountType != "email" || acc.Action != "settings" || len(acc.Protocol) != len(want) {
			t.Fatalf("%s: account %+v", name, acc)
		}
		for i, p := range acc.Protocol {
			got := [4]string{p.Type, p.Port, p.SSL, p.Encryption}
			if got != want[i] || p.SPA != "off" || p.AuthRequired != "on" || p.DomainRequired != "off" || p.LoginName == "" || p.Server == "" {
				t.Errorf("%s protocol %d = %+v, want %v", name, i, p, want[i])
			}
		}
	}
}

// TestAppleProfile reads the profile with real property-list parsers:
// plistutil (libplist, Debian's libplist-utils) and Python's plistlib.
func TestAppleProfile(t *testing.T) {
	in := fixtures(t)["pop3"]
	out, err := Apple(in)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "p.mobileconfig")
	os.WriteFile(file, out, 0o600)
	checked := 0
	if _, err := exec.LookPath("plistutil"); err == nil {
		bin := filepath.Join(t.TempDir(), "p.bin")
		if out, err := exec.Command("plistutil", "-i", file, "-o", bin).CombinedOutput(); err != nil {
			t.Errorf("plistutil refuses the profile: %v %s", err, out)
		}
		if fi, err := os.Stat(bin); err != nil || fi.Size() == 0 {
			t.Errorf("plistutil wrote no binary plist: %v", err)
		}
		checked++
	}
	script := `
import plistlib, sys
p = plistlib.load(open(sys.argv[1], "rb"))
assert p["PayloadType"] == "Configuration", p["PayloadType"]
assert p["PayloadVersion"] == 1
m = p["PayloadContent"][0]
assert m["PayloadType"] == "com.apple.mail.managed"
assert m["EmailAccountType"] == "EmailTypePOP", m["EmailAccountType"]
assert m["EmailAddress"] == "bob@example.org"
assert m["IncomingMailServerHostName"] == "pop.example.org"
assert m["IncomingMailServerPortNumber"] == 110
assert m["IncomingMailServerUseSSL"] is True
assert m["IncomingMailServerUsername"] == "bob"
assert m["IncomingMailServerAuthentication"] == "EmailAuthPassword"
assert m["OutgoingMailServerHostName"] == "smtp.example.org"
assert m["OutgoingMailServerPortNumber"] == 465
assert m["OutgoingMailServerUseSSL"] is True
assert m["OutgoingMailServerAuthentication"] == "EmailAuthPassword"
assert "IncomingPassword" not in m and "OutgoingPassword" not in m
assert m["PayloadUUID"] != p["PayloadUUID"]
assert m["PayloadIdentifier"].startswith(p["PayloadIdentifier"] + ".")
import uuid
uuid.UUID(p["PayloadUUID"]); uuid.UUID(m["PayloadUUID"])
print("ok")
`
	if py, err := exec.LookPath("python3"); err == nil {
		out, err := exec.Command(py, "-c", script, file).CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "ok" {
			t.Errorf("plistlib: %v\n%s", err, out)
		}
		checked++
	}
	if checked == 0 {
		noTool(t, "plistutil or python3")
	}
}

// TestHimalayaTOML: himalaya is not packaged by Debian 12, so its file is
// checked by a TOML parser (Python's tomllib) against the keys himalaya 2
// reads.
func TestHimalayaTOML(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		noTool(t, "python3")
	}
	in := fixtures(t)["imap"]
	in.Name = `work "main"`
	out, err := Himalaya(in)
	if err != nil {
		t.Fatal(err)
	}
	script := `
import sys, tomllib
c = tomllib.loads(sys.stdin.read())
a = c["accounts"]['work "main"']
assert a["default"] is True
assert a["imap"]["server"] == "imaps://mail.example.test:993"
assert "starttls" not in a["imap"]
assert a["imap"]["sasl"]["plain"]["username"] == "alice@example.test"
assert a["imap"]["sasl"]["plain"]["password"]["command"] == "postino password 'work \"main\"'"
assert a["smtp"]["server"] == "smtp://mail.example.test:587"
assert a["smtp"]["starttls"] is True
assert a["smtp"]["tls"]["cert"] == "/etc/postino/example-ca.pem"
print("ok")
`
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = strings.NewReader(string(out))
	if got, err := cmd.CombinedOutput(); err != nil || strings.TrimSpace(string(got)) != "ok" {
		t.Errorf("tomllib: %v\n%s\n%s", err, got, out)
	}
}

// noTool skips a test on a developer's machine without a program, and
// fails it in CI, where skipping would hide it.
func noTool(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing: .ci/run installs it", what)
	}
	t.Skipf("%s is not installed", what)
}

// TestProgramsReadOAuth2: the OAuth2 exports read by the programs' own
// configuration parsers, offline: msmtp --pretend (which runs
// passwordeval, here a stand-in token command), NeoMutt -Q and, for
// himalaya, tomllib. No server is contacted.
func TestProgramsReadOAuth2(t *testing.T) {
	in := fixtures(t)["oauth2"]
	in.TokenCommand = "echo stand-in-token"
	dir := t.TempDir()
	write := func(name string, render func(Input) ([]byte, error)) string {
		t.Helper()
		out, err := render(in)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, out, 0o600); err != nil {
			t.Fatal(err)
		}
		return file
	}
	t.Run("msmtp", func(t *testing.T) {
		if _, err := exec.LookPath("msmtp"); err != nil {
			noTool(t, "msmtp")
		}
		out, err := exec.Command("msmtp", "-C", write("msmtprc", Msmtp), "--pretend").CombinedOutput()
		for _, want := range []string{"auth = XOAUTH2\n", "user = carla@example.net\n", "passwordeval = echo stand-in-token\n", "tls_starttls = on\n"} {
			if err != nil || !strings.Contains(string(out), want) {
				t.Errorf("msmtp --pretend: %v, lacks %q:\n%s", err, want, out)
			}
		}
	})
	t.Run("neomutt", func(t *testing.T) {
		if _, err := exec.LookPath("neomutt"); err != nil {
			noTool(t, "neomutt")
		}
		cmd := exec.Command("neomutt", "-n", "-F", write("muttrc", NeoMutt), "-Q", "imap_authenticators", "-Q", "imap_oauth_refresh_command",
			"-Q", "smtp_authenticators", "-Q", "smtp_oauth_refresh_command", "-Q", "imap_user")
		cmd.Env = append(os.Environ(), "HOME="+dir)
		out, err := cmd.CombinedOutput()
		want := `set imap_authenticators = "oauthbearer:xoauth2"
set imap_oauth_refresh_command = "echo stand-in-token"
set smtp_authenticators = "xoauth2:oauthbearer"
set smtp_oauth_refresh_command = "echo stand-in-token"
set imap_user = "carla@example.net"
`
		if err != nil || string(out) != want {
			t.Errorf("neomutt -Q: %v\n%s\nwant\n%s", err, out, want)
		}
	})
	t.Run("himalaya", func(t *testing.T) {
		py, err := exec.LookPath("python3")
		if err != nil {
			noTool(t, "python3")
		}
		script := `
import sys, tomllib
a = tomllib.load(open(sys.argv[1], "rb"))["accounts"]["carla"]
i, s = a["imap"]["sasl"], a["smtp"]["sasl"]
assert list(i) == ["oauthbearer"] and list(s) == ["xoauth2"], (i, s)
assert i["oauthbearer"]["username"] == "carla@example.net"
assert i["oauthbearer"]["token"]["command"] == ["sh", "-c", "echo stand-in-token"]
assert s["xoauth2"]["token"]["command"] == ["sh", "-c", "echo stand-in-token"]
assert a["smtp"]["starttls"] is True
print("ok")
`
		if out, err := exec.Command(py, "-c", script, write("config.toml", Himalaya)).CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "ok" {
			t.Errorf("tomllib: %v\n%s", err, out)
		}
	})
}

// TestFetchmailQuoting: fetchmail's own parser (--configdump) reads the
// mda and the password added on the pipe as they were, with ", ', \ and
// spaces in them.
func TestFetchmailQuoting(t *testing.T) {
	if _, err := exec.LookPath("fetchmail"); err != nil {
		noTool(t, "fetchmail")
	}
	dir := t.TempDir()
	const password = `p"a's\s w\x22"d`
	const mda = `/usr/bin/procmail -a "it's \x" -d 'me'`
	cred := filepath.Join(dir, "password.sh")
	os.WriteFile(cred, []byte("#!/bin/sh\nprintf '%s\\n' "+shellQuote(password)+"\n"), 0o700)
	in := fixtures(t)["imap"]
	in.MDA, in.CredentialCommand = mda, cred
	in.Path = filepath.Join(dir, "fetch mail's rc")
	out, err := Fetchmail(in)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(in.Path, out, 0o600)
	cmd := strings.Replace(FetchmailCommand(in.Path, cred), "fetchmail -f -", "fetchmail --configdump -f -", 1)
	c := exec.Command("sh", "-c", cmd)
	c.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	dump, err := c.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s\n%s", cmd, err, dump, out)
	}
	dumped := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	for _, want := range []string{`"password":"` + dumped.Replace(password) + `"`, `"mda":"` + dumped.Replace(mda) + `"`} {
		if !strings.Contains(string(dump), want) {
			t.Errorf("fetchmail --configdump lacks %s:\n%s\nfile:\n%s", want, dump, out)
		}
	}
}

// TestAppleRootCA: the CA given with --ca-file travels in the profile as a
// com.apple.security.root payload holding the certificate's DER bytes.
func TestAppleRootCA(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		noTool(t, "python3")
	}
	in := fixtures(t)["imap"]
	out, err := Apple(in)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "p.mobileconfig")
	der := filepath.Join(t.TempDir(), "ca.der")
	os.WriteFile(file, out, 0o600)
	os.WriteFile(der, in.CACerts[0], 0o600)
	script := `
import plistlib, sys, uuid
p = plistlib.load(open(sys.argv[1], "rb"))
roots = [c for c in p["PayloadContent"] if c["PayloadType"] == "com.apple.security.root"]
assert len(roots) == 1, roots
r = roots[0]
assert r["PayloadContent"] == open(sys.argv[2], "rb").read()
assert r["PayloadVersion"] == 1
assert r["PayloadIdentifier"].startswith(p["PayloadIdentifier"] + ".")
uuid.UUID(r["PayloadUUID"])
assert len({c["PayloadUUID"] for c in p["PayloadContent"]}) == len(p["PayloadContent"])
print("ok")
`
	if out, err := exec.Command(py, "-c", script, file, der).CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Errorf("plistlib: %v\n%s", err, out)
	}
	in.CACerts = nil
	if _, err := Apple(in); err == nil {
		t.Errorf("Apple() with a CA file and no certificates = nil error, want Unwritable")
	}
}
