package found

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/postino/postino/probe"
)

// These tests hand the files the readers are tested with to the real
// programs (msmtp, mbsync, fetchmail, NeoMutt, as .ci/run installs them)
// and check that each program accepts them and, where it can say what it
// read without connecting anywhere, that it read the same servers.

func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing: .ci/run installs it", name)
		}
		t.Skipf("%s is not installed", name)
	}
}

// program runs a program with a home of its own, nothing else from the
// environment but PATH.
func program(t *testing.T, home, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "LANG=C.UTF-8"}
	cmd.Dir = home
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func fixture(t *testing.T, name, content string) (home, path string) {
	t.Helper()
	home = t.TempDir()
	path = filepath.Join(home, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return home, path
}

// TestMsmtpAgrees: msmtp --pretend prints each account's settings as it
// read them; the reader's server is the same.
func TestMsmtpAgrees(t *testing.T) {
	needTool(t, "msmtp")
	// passwordeval runs with --pretend: a stand-in that needs no store.
	home, path := fixture(t, ".msmtprc", strings.ReplaceAll(msmtprcFixture, `"pass show gmail"`, `"echo stand-in"`))
	accounts, err := readMsmtprc(path, []byte(msmtprcFixture))
	if err != nil {
		t.Fatal(err)
	}
	field := func(out, name string) string {
		m := regexp.MustCompile(`(?m)^` + name + ` = (.*)$`).FindStringSubmatch(out)
		if m == nil {
			return "?"
		}
		return m[1]
	}
	for _, a := range accounts {
		out, err := program(t, home, "msmtp", "-C", path, "-a", a.Name, "--pretend")
		if len(a.Servers) == 0 {
			// An account without a host is no server to msmtp either.
			if err == nil || !strings.Contains(out, "host not set") {
				t.Errorf("%s: the reader has no server; msmtp: %v\n%s", a.Name, err, out)
			}
			continue
		}
		if err != nil {
			t.Errorf("msmtp -a %s --pretend: %v\n%s", a.Name, err, out)
			continue
		}
		s := a.Servers[0]
		sec := probe.None
		if field(out, "tls") == "on" {
			sec = probe.StartTLS
			if field(out, "tls_starttls") == "off" {
				sec = probe.TLS
			}
		}
		user := field(out, "user")
		if user == "(not set)" {
			user = ""
		}
		port, _ := strconv.Atoi(field(out, "port"))
		if got := srv(probe.Outgoing, probe.SMTP, field(out, "host"), port, sec, user); s != got {
			t.Errorf("%s: the reader has %+v, msmtp read %+v", a.Name, s, got)
		}
	}
}

// TestFetchmailAgrees: fetchmail --configdump prints what its own parser
// read; the reader's servers are the same.
func TestFetchmailAgrees(t *testing.T) {
	needTool(t, "fetchmail")
	home, path := fixture(t, ".fetchmailrc", fetchmailrcFixture)
	out, err := program(t, home, "fetchmail", "-f", path, "--configdump")
	if err != nil {
		t.Fatalf("fetchmail --configdump: %v\n%s", err, out)
	}
	str := func(block, key string) (string, bool) {
		m := regexp.MustCompile(`"` + key + `":(None|"((?:[^"\\]|\\.)*)")`).FindStringSubmatch(block)
		if m == nil || m[1] == "None" {
			return "", false
		}
		return strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(m[2]), true
	}
	var dumped []Server
	for _, block := range strings.Split(out, `"pollname":`)[1:] {
		host := regexp.MustCompile(`^"([^"]*)"`).FindStringSubmatch(block)[1]
		if strings.Contains(block, "'active':FALSE") {
			continue
		}
		if via, ok := str(block, "via"); ok {
			host = via
		}
		proto, _ := str(block, "protocol")
		p, ok := map[string]probe.Protocol{"IMAP": probe.IMAP, "POP3": probe.POP3}[proto]
		if !ok {
			continue // ETRN: no mailbox read
		}
		service, _ := str(block, "service")
		port, _ := strconv.Atoi(service)
		for _, user := range strings.Split(block, `"remote":`)[1:] {
			remote := regexp.MustCompile(`^"((?:[^"\\]|\\.)*)"`).FindStringSubmatch(user)[1]
			sec := probe.StartTLS
			if proto, ok := str(user, "sslproto"); ok && proto == "" {
				sec = probe.None
			}
			if strings.Contains(user, "'ssl':TRUE") {
				sec = probe.TLS
			}
			s, _ := server(probe.Incoming, p, host, port, sec, remote)
			dumped = append(dumped, s)
		}
	}
	accounts, err := readFetchmailrc(path, []byte(fetchmailrcFixture))
	if err != nil {
		t.Fatal(err)
	}
	var read []Server
	for _, a := range accounts {
		read = append(read, a.Servers...)
	}
	if len(dumped) != 5 || !reflect.DeepEqual(read, dumped) {
		t.Errorf("the reader has\n%+v\nfetchmail read\n%+v", read, dumped)
	}
	if strings.Contains(out, "se#cr") == false {
		t.Errorf("fetchmail did not read the password the reader passes over:\n%s", out)
	}
}

// TestMbsyncAccepts: mbsync reads the file without a complaint about it
// (isync 1.4 knows SSLType, 1.5 TLSType too); it stops only at the
// channel asked for, which does not exist, before connecting anywhere.
func TestMbsyncAccepts(t *testing.T) {
	needTool(t, "mbsync")
	rc := strings.ReplaceAll(mbsyncrcFixture, "TLSType", "SSLType")
	home, path := fixture(t, ".mbsyncrc", rc)
	out, _ := program(t, home, "mbsync", "-c", path, "no-such-channel")
	if strings.Contains(out, path+":") || !strings.Contains(out, "no-such-channel") {
		t.Errorf("mbsync did not take the file:\n%s", out)
	}
	a, err := readMbsyncrc(path, []byte(rc))
	if err != nil || !reflect.DeepEqual(servers(a), mbsyncWant) {
		t.Errorf("with SSLType: %+v, %v", servers(a), err)
	}
}

// TestNeoMuttAgrees: NeoMutt -Q prints the variables as it read them;
// the reader built its servers from the same values.
func TestNeoMuttAgrees(t *testing.T) {
	needTool(t, "neomutt")
	const rc = `set realname="Mario Rossi"   # a comment
set imap_user = mario@example.com
set folder = "imaps://imap.example.com:1993/" spoolfile='+INBOX'
set smtp_url='smtps://anna%40example.com@smtp.example.com' ; set record = +Sent
set smtp_user = "it's \"me\""
set from = "mario@example.com"
`
	home, path := fixture(t, "muttrc", rc)
	out, err := program(t, home, "neomutt", "-n", "-F", path, "-Q", "folder", "-Q", "smtp_url", "-Q", "imap_user")
	if err != nil {
		t.Fatalf("neomutt -Q: %v\n%s", err, out)
	}
	vars := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		m := regexp.MustCompile(`^set (\w+) = "(.*)"$`).FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("neomutt -Q printed %q", line)
		}
		vars[m[1]] = m[2]
	}
	in, _ := muttServer(vars["folder"], vars)
	out2, _ := muttServer(vars["smtp_url"], vars)
	got := Find(Env{GOOS: "linux", Home: home, Getenv: func(k string) string {
		if k == "XDG_CONFIG_HOME" {
			return filepath.Join(home, "none")
		}
		return ""
	}})
	// NeoMutt's home folder holds the file as muttrc, not .muttrc: read
	// it by its path.
	r := &muttReader{f: &finder{}, home: home, vars: map[string]string{}, read: map[string]bool{}}
	r.source(path, 0)
	if len(got.Accounts) != 0 || len(r.f.out.Accounts) != 1 || !reflect.DeepEqual(r.f.out.Accounts[0].Servers, []Server{in, out2}) {
		t.Errorf("the reader has %+v; NeoMutt read %v", r.f.out.Accounts, vars)
	}
	if in.Port != 1993 || out2.Username != "anna@example.com" {
		t.Errorf("from NeoMutt's values: %+v %+v", in, out2)
	}
}
