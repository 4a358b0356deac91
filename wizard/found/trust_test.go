package found

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/probe/probetest"
)

// TestTrustFiles: each format's setting of the CA file to trust, with
// msmtp's inheritance and "system", mbsync's SystemCertificates, and ~
// and $HOME made the home folder where the program does so.
func TestTrustFiles(t *testing.T) {
	home := t.TempDir()
	write(t, home, map[string]string{
		".msmtprc": `defaults
tls on
tls_trust_file ~/certs/default.pem

account a
host a.example.com

account b : a
tls_trust_file "/etc/private ca.pem"
host b.example.com

account c : b
host c.example.com

account s
tls_trust_file system
host s.example.com

account e
tls_trust_file
host e.example.com
`,
		".mbsyncrc": `IMAPAccount own
Host imap.example.com
CertificateFile ~/ca/mbsync.pem
SystemCertificates no

IMAPAccount plain
Host imap.example.org
`,
		".fetchmailrc": `defaults proto imap sslcertfile /etc/fetchmail-ca.pem
poll pop.example.com proto pop3 user u ssl
poll imap.example.net user v sslcertfile "/srv/other ca.pem"
`,
		".muttrc":     "set folder=imaps://imap.example.com/\nsource ~/.mutt/ca.rc\n",
		".mutt/ca.rc": "set ssl_ca_certificates_file = \"$HOME/.mutt/ca.pem\"\nset smtp_url=smtps://smtp.example.com\n",
	})
	got := Find(Env{GOOS: "linux", Home: home})
	if len(got.Problems) > 0 {
		t.Fatalf("problems: %+v", got.Problems)
	}
	type trust struct {
		ca       string
		noSystem bool
	}
	want := map[string]trust{
		"msmtp a":                       {filepath.Join(home, "certs", "default.pem"), false},
		"msmtp b":                       {"/etc/private ca.pem", false},
		"msmtp c":                       {"/etc/private ca.pem", false},
		"msmtp s":                       {"", false},
		"msmtp e":                       {"", false},
		"mbsync own":                    {filepath.Join(home, "ca", "mbsync.pem"), true},
		"mbsync plain":                  {"", false},
		"fetchmail pop.example.com":     {"/etc/fetchmail-ca.pem", false},
		"fetchmail imap.example.net":    {"/srv/other ca.pem", false},
		"mutt " + home + "/.muttrc":     {filepath.Join(home, ".mutt", "ca.pem"), false},
		"mutt " + home + "/.mutt/ca.rc": {filepath.Join(home, ".mutt", "ca.pem"), false},
	}
	seen := map[string]trust{}
	for _, a := range got.Accounts {
		name := a.Name
		if a.Program == Mutt {
			name = a.Path
		}
		seen[string(a.Program)+" "+name] = trust{a.CAFile, a.NoSystemRoots}
	}
	if len(seen) != len(want) {
		t.Errorf("accounts %v\nwant %v", seen, want)
	}
	for k, w := range want {
		if seen[k] != w {
			t.Errorf("%s: CA file %q, no system roots %v; want %q, %v", k, seen[k].ca, seen[k].noSystem, w.ca, w.noSystem)
		}
	}
}

// TestTestTrust: an account's CA file is trusted besides --ca-file's roots
// and the system's (or instead of the system's), only for that account; a
// CA file that cannot be used leaves the servers untested, with the reason.
func TestTestTrust(t *testing.T) {
	own, given := probetest.NewCA(t, "Own"), probetest.NewCA(t, "Given")
	dir := t.TempDir()
	ownFile, emptyFile := filepath.Join(dir, "own.pem"), filepath.Join(dir, "empty.pem")
	if err := os.WriteFile(ownFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: own.Cert.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(emptyFile, []byte("no certificate here\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	leaves := map[string]*x509.Certificate{}
	for host, ca := range map[string]*probetest.CA{"own.example.com": own, "given.example.com": given} {
		c := ca.Issue(t, []string{host}, time.Time{}, time.Time{})
		leaf, err := x509.ParseCertificate(c.Certificate[0])
		if err != nil {
			t.Fatal(err)
		}
		leaves[host] = leaf
	}
	var mu sync.Mutex
	system := map[string]bool{}
	tester := func(_ context.Context, s probe.Server, o *probe.Options) probe.Result {
		mu.Lock()
		system[s.Host+" "+s.Username] = o.SystemRoots
		mu.Unlock()
		if err := probe.VerifyChain([]*x509.Certificate{leaves[s.Host]}, s.Host, o.RootCAs, o.SystemRoots); err != nil {
			return probe.Result{Server: s, Code: probe.CodeCertificateUntrusted}
		}
		return probe.Result{Server: s, OK: true, Code: probe.CodeOK}
	}
	ownSrv := func(user string) Server {
		return srv(probe.Outgoing, probe.SMTP, "own.example.com", 465, probe.TLS, user)
	}
	givenSrv := srv(probe.Incoming, probe.IMAP, "given.example.com", 993, probe.TLS, "u")
	accounts := []Account{
		{Program: Msmtp, CAFile: ownFile, Servers: []Server{ownSrv("u")}},
		{Program: Aerc, Servers: []Server{ownSrv("u")}},
		{Program: Mbsync, CAFile: ownFile, NoSystemRoots: true, Servers: []Server{givenSrv, ownSrv("m")}},
		{Program: Fetchmail, CAFile: filepath.Join(dir, "missing.pem"), Servers: []Server{ownSrv("f")}},
		{Program: Mutt, CAFile: emptyFile, Servers: []Server{ownSrv("n")}},
	}
	results := Test(context.Background(), accounts, Check{Tester: tester, Options: probe.Options{RootCAs: given.Pool, SystemRoots: true}})
	codes := func(i int) []probe.Code {
		var out []probe.Code
		for _, r := range results[i] {
			out = append(out, r.Code)
		}
		return out
	}
	for i, want := range [][]probe.Code{
		{probe.CodeOK},
		{probe.CodeCertificateUntrusted},
		{probe.CodeOK, probe.CodeOK},
		{CodeCAFile},
		{CodeCAFile},
	} {
		if got := codes(i); len(got) != len(want) || got[0] != want[0] || got[len(got)-1] != want[len(want)-1] {
			t.Errorf("%s: codes %v, want %v", accounts[i].Program, got, want)
		}
	}
	if !system["own.example.com u"] || system["own.example.com m"] || system["given.example.com u"] {
		t.Errorf("system roots asked: %v", system)
	}
	if _, ok := system["own.example.com f"]; ok {
		t.Errorf("a server whose CA file is missing was tested")
	}
	if r := results[3][0]; r.OK || !errors.Is(r.CAFileErr, os.ErrNotExist) || r.CAFile != accounts[3].CAFile || r.Role != probe.Outgoing {
		t.Errorf("missing CA file: %+v", r)
	}
	if r := results[4][0]; !errors.Is(r.CAFileErr, probe.ErrNoCertificates) {
		t.Errorf("CA file without certificates: %+v", r)
	}
	if Passed(results[3:4]) {
		t.Errorf("an untested server passed")
	}
}
