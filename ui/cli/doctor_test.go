package cli

import (
	"encoding/json"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/found"
	"github.com/postino/postino/wizard/store"
)

// startIMAPPlain runs go-imap's in-memory server without TLS on a free
// loopback port and returns the port.
func startIMAPPlain(t *testing.T) int {
	t.Helper()
	mem := imapmemserver.New()
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

func TestDoctorNothingFound(t *testing.T) {
	home := t.TempDir()
	env := map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config")}
	for _, tt := range []struct {
		lang, want string
	}{
		{"en", "No mail account was found on this computer"},
		{"it", "Su questo computer non è stato trovato nessun account di posta"},
	} {
		code, stdout, _ := runCLI(t, "", env, "doctor", "--lang", tt.lang)
		if code != exitFailed || !strings.HasPrefix(stdout, tt.want) {
			t.Errorf("exit %d, %q; want 1 and %q", code, stdout, tt.want)
		}
	}
	code, stdout, _ := runCLI(t, "", env, "doctor", "--json")
	var got struct {
		OK       *bool             `json:"ok"`
		Accounts []json.RawMessage `json:"accounts"`
		Looked   []string          `json:"looked"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != exitFailed || got.OK == nil || *got.OK || got.Accounts == nil || len(got.Accounts) != 0 {
		t.Errorf("exit %d, %v: %s", code, err, stdout)
	}
	if !strings.Contains(strings.Join(got.Looked, "\n"), filepath.Join(home, ".msmtprc")) {
		t.Errorf("looked = %v, lacks ~/.msmtprc", got.Looked)
	}
}

func TestDoctorUsage(t *testing.T) {
	for _, args := range [][]string{
		{"doctor", "alice@example.com"},
		{"doctor", "--ca-file", "/nonexistent/ca.pem"},
		{"doctor", "--timeout", "3s"},
	} {
		if code, _, stderr := runCLI(t, "", map[string]string{"HOME": t.TempDir()}, args...); code != exitUsage || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, %q; want 2 and one sentence", args, code, stderr)
		}
	}
}

// TestDoctorNoTLS: a program set to reach its server without TLS is a
// failure even though the server answers, said in both languages.
func TestDoctorNoTLS(t *testing.T) {
	port := startIMAPPlain(t)
	home := t.TempDir()
	rc := "IMAPAccount plain\nHost 127.0.0.1\nPort " + strconv.Itoa(port) + "\nUser alice\nPass \"never read\"\nTLSType None\n"
	if err := os.WriteFile(filepath.Join(home, ".mbsyncrc"), []byte(rc), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config")}
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"mbsync (isync): " + filepath.Join(home, ".mbsyncrc"), "✗  incoming  IMAP  127.0.0.1:" + strconv.Itoa(port) + "  none  user alice", "answers, but the program is set to use it without encryption", "Set the program to SSL/TLS (port 993) or STARTTLS"}},
		{"it", []string{"✗  in arrivo  IMAP", "risponde, ma il programma è impostato per usarlo senza cifratura", "Imposta il programma su SSL/TLS (porta 993)"}},
	} {
		code, stdout, stderr := runCLI(t, "", env, "doctor", "--lang", tt.lang)
		if code != exitFailed {
			t.Errorf("exit %d, want 1: %s", code, stderr)
		}
		for _, w := range tt.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("the report lacks %q:\n%s", w, stdout)
			}
		}
		if strings.Contains(stdout+stderr, "never read") {
			t.Errorf("mbsync's password is in the output")
		}
	}
	code, stdout, _ := runCLI(t, "", env, "doctor", "--json")
	var got doctorOut
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != exitFailed || len(got.Accounts) != 1 || len(got.Accounts[0].Servers) != 1 {
		t.Fatalf("exit %d, %v: %s", code, err, stdout)
	}
	if s := got.Accounts[0].Servers[0]; s.Code != "no_tls" || s.OK || s.URL != "imap+insecure://127.0.0.1:"+strconv.Itoa(port) || s.Username != "alice" {
		t.Errorf("server = %+v", s)
	}
}

// TestDoctorUnreadable: a file that is there but cannot be understood is
// named with the reason, in the report and the JSON.
func TestDoctorUnreadable(t *testing.T) {
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, ".mbsyncrc"), []byte("IMAPAccount a\nHost \"unclosed\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config")}
	code, stdout, _ := runCLI(t, "", env, "doctor")
	if want := "Could not read " + filepath.Join(home, ".mbsyncrc") + ": line 2: a quote not closed."; code != exitFailed || !strings.Contains(stdout, want) {
		t.Errorf("exit %d, %q; want 1 and %q", code, stdout, want)
	}
	code, stdout, _ = runCLI(t, "", env, "doctor", "--json")
	var got doctorOut
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != exitFailed || len(got.Problems) != 1 || got.Problems[0].Path != filepath.Join(home, ".mbsyncrc") {
		t.Errorf("exit %d, %v: %s", code, err, stdout)
	}
}

// TestDoctorUnreadableLineQuoted: a parser that quotes the file's line
// (go-ini, for aerc) brings its line break and escape sequences along;
// the sentence stays one line, safe for the terminal, apart from the
// accounts above it.
func TestDoctorUnreadableLineQuoted(t *testing.T) {
	home := t.TempDir()
	conf := filepath.Join(home, ".config", "aerc", "accounts.conf")
	if err := os.MkdirAll(filepath.Dir(conf), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, []byte("[Garbage\x1b[31m\nsource = x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".msmtprc"), []byte("account a\nhost 127.0.0.1\nport 1\nfrom a@example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config")}
	code, stdout, _ := runCLI(t, "", env, "doctor")
	want := "\n\nCould not read " + conf + ": unclosed section: [Garbage.\n"
	if code != exitFailed || !strings.Contains(stdout, want) || strings.Contains(stdout, "\x1b") {
		t.Errorf("exit %d, %q; want 1 and %q", code, stdout, want)
	}
	code, stdout, _ = runCLI(t, "", env, "doctor", "--json")
	var got doctorOut
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != exitFailed || len(got.Problems) != 1 {
		t.Fatalf("exit %d, %v: %s", code, err, stdout)
	}
	if m := got.Problems[0].Message; m != "unclosed section: [Garbage" {
		t.Errorf("message = %q", m)
	}
}

// TestDoctorNoLoginNote: the note that logins were not tested is for the
// servers that answered without a login (another program's account, or
// one of postino's without a password); postino's own account whose
// server could not be reached leaves it out, since its login was never
// in reach.
func TestDoctorNoLoginNote(t *testing.T) {
	srv := probe.Server{Protocol: probe.SMTP, Host: "127.0.0.1", Port: 1, Security: probe.StartTLS, Username: "bob@example.test"}
	refused := found.Result{Result: probe.Result{Role: probe.Outgoing, Server: srv, Code: probe.CodeConnectionRefused}}
	answered := found.Result{Result: probe.Result{Role: probe.Outgoing, Server: srv, OK: true, Code: probe.CodeOK}}
	loggedIn := found.Result{Result: probe.Result{Role: probe.Outgoing, Server: srv, OK: true, Code: probe.CodeOK, LoggedIn: true}, LoginTested: true}
	own := found.Account{Program: found.Postino, Path: "accounts.yaml", Address: "bob@example.test",
		Servers: []found.Server{{Role: probe.Outgoing, Server: srv}}, Saved: &store.Account{Name: "bob", Address: "bob@example.test"}}
	other := own
	other.Program, other.Path, other.Saved = found.Msmtp, ".msmtprc", nil
	const note = "The login was not tested"
	for _, tt := range []struct {
		name    string
		account found.Account
		result  found.Result
		want    bool
	}{
		{"postino's, logged in", own, loggedIn, false},
		{"postino's, unreachable", own, refused, false},
		{"postino's, no password", own, answered, true},
		{"another program's, answered", other, answered, true},
		{"another program's, unreachable", other, refused, true},
	} {
		var out strings.Builder
		e := &env{lang: probe.English}
		e.writeDoctor(&out, found.Found{Accounts: []found.Account{tt.account}}, [][]found.Result{{tt.result}})
		if got := strings.Contains(out.String(), note); got != tt.want {
			t.Errorf("%s: note shown %v, want %v:\n%s", tt.name, got, tt.want, out.String())
		}
	}
}
