package providers

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const badDir = "../../testdata/providers"

// TestBadFiles checks that every fixture in testdata/providers fails with
// its own file:line and a sentence that says what is wrong.
func TestBadFiles(t *testing.T) {
	tests := []struct {
		file string
		line int // 0: the whole file
		want string
	}{
		{"unknown-key.yaml", 6, `unknown key "imap"`},
		{"unknown-top-key.yaml", 1, `unknown key "provider"`},
		{"bad-url.yaml", 6, `"imaps:/imap.example.com" is not a URL`},
		{"missing-url.yaml", 8, `a server of provider "example" has no "url"`},
		{"bad-port.yaml", 9, "has a bad port"},
		{"unknown-scheme.yaml", 6, "unknown scheme"},
		{"password-in-url.yaml", 6, "holds a password"},
		{"wrong-role.yaml", 7, "must use imap or pop3"},
		{"duplicate-id.yaml", 7, `the id "example" is already used by the provider on line 2`},
		{"duplicate-domain.yaml", 11, `the domain "EXAMPLE.org" is already given on line 4`},
		{"duplicate-mx.yaml", 9, `the MX pattern "*.mail.example.com" is already given on line 4`},
		{"bad-domain.yaml", 6, `the domain "mail_box.example.com" is not usable`},
		{"bad-wildcard.yaml", 4, `wildcard may only be a leading "*." label`},
		{"bad-mx.yaml", 6, `wildcard may only be a leading "*." label`},
		{"single-label.yaml", 4, "at least two labels"},
		{"unknown-auth.yaml", 7, `the auth "token" is unknown`},
		{"hint-missing-it.yaml", 10, `has no "it"`},
		{"hint-empty-en.yaml", 8, `the value of "en" is empty`},
		{"empty-incoming.yaml", 5, `"incoming" to be a list with at least one entry`},
		{"missing-outgoing.yaml", 2, `has no "outgoing"`},
		{"unknown-placeholder.yaml", 7, "unknown placeholder %EMAILUSER%"},
		{"duplicate-key.yaml", 5, `gives the key "name" twice`},
		{"no-domains.yaml", 2, `neither "domains" nor "mx"`},
		{"bad-id.yaml", 2, `the id "Example_Mail" must be lower-case`},
		{"bad-docs.yaml", 7, "must be an http or https URL"},
		{"pec-not-bool.yaml", 7, `"pec" must be true or false`},
		{"not-yaml.yaml", 4, "not valid YAML"},
		{"two-documents.yaml", 7, "second YAML document"},
		{"empty.yaml", 0, "the file is empty"},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.file] = true
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(badDir, tt.file)
			_, err := LoadFile(path)
			if err == nil {
				t.Fatalf("LoadFile(%s) = nil error, want one", path)
			}
			prefix := path + ":"
			if tt.line > 0 {
				prefix = fmt.Sprintf("%s:%d: ", path, tt.line)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, prefix) || !strings.Contains(msg, tt.want) {
				t.Fatalf("LoadFile() = %q, want it to start with %q and hold %q", msg, prefix, tt.want)
			}
			if strings.Count(msg, "\n") > 0 || !strings.HasSuffix(msg, ".") {
				t.Fatalf("LoadFile() = %q, want one sentence", msg)
			}
			var e *Error
			if !errors.As(err, &e) || e.File != path || e.Line != tt.line {
				t.Fatalf("LoadFile() error = %#v, want an *Error for %s line %d", err, path, tt.line)
			}
		})
	}
	entries, err := os.ReadDir(badDir)
	if err != nil {
		t.Fatalf("ReadDir() = %v", err)
	}
	for _, e := range entries {
		if !covered[e.Name()] {
			t.Errorf("%s has no expectation in TestBadFiles", e.Name())
		}
	}
}

func TestPasswordNeverEchoed(t *testing.T) {
	_, err := LoadFile(filepath.Join(badDir, "password-in-url.yaml"))
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("LoadFile() = %v, want an error without the password", err)
	}
}

func TestLoadDefaultsAndServerUsername(t *testing.T) {
	db, err := Load("inline.yaml", []byte(`
providers:
  - id: example
    name: Example
    domains: [Example.COM]
    incoming:
      - imaps://imap.example.com
      - {url: "pop3s://pop.example.com", username: "%EMAILLOCALPART%"}
    outgoing:
      - smtp://smtp.example.com
`))
	if err != nil {
		t.Fatalf("Load() = %v", err)
	}
	p, ok := db.ByDomain("example.com")
	if !ok {
		t.Fatalf("ByDomain(example.com) found nothing")
	}
	if p.Auth != "password" || p.PEC || p.Source != "inline.yaml:3" || p.Domains[0] != "example.com" {
		t.Fatalf("provider = %+v, want password auth, no PEC, source inline.yaml:3, domain lower-cased", p)
	}
	in, out := p.Servers("Ann.Lee@example.com")
	want := []string{"imaps://imap.example.com:993 Ann.Lee@example.com", "pop3s://pop.example.com:995 Ann.Lee", "smtp://smtp.example.com:587 Ann.Lee@example.com"}
	var got []string
	for _, s := range append(in, out...) {
		got = append(got, s.String()+" "+s.Username)
		if s.Auth != "password" {
			t.Fatalf("server %v has auth %q, want the provider's", s, s.Auth)
		}
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("Servers() = %q, want %q", got, want)
	}
	if p.Incoming[0].Username != EmailAddress {
		t.Fatalf("Servers() changed the provider: %q", p.Incoming[0].Username)
	}
}

func TestServersPlaceholders(t *testing.T) {
	db, err := Load("inline.yaml", []byte(`
providers:
  - id: example
    name: Example
    domains: [example.com]
    username: "%EMAILDOMAIN%/%EMAILLOCALPART%"
    incoming: [imaps://imap.example.com]
    outgoing: [{url: "smtps://smtp.example.com", username: "static-user"}]
`))
	if err != nil {
		t.Fatalf("Load() = %v", err)
	}
	p, _ := db.ByID("example")
	tests := []struct {
		address, in, out string
	}{
		{"ann@example.com", "example.com/ann", "static-user"},
		{"  odd@name@example.com ", "example.com/odd@name", "static-user"},
		{"no-at-sign", "/no-at-sign", "static-user"},
	}
	for _, tt := range tests {
		in, out := p.Servers(tt.address)
		if in[0].Username != tt.in || out[0].Username != tt.out {
			t.Errorf("Servers(%q) users = %q, %q; want %q, %q", tt.address, in[0].Username, out[0].Username, tt.in, tt.out)
		}
	}
}

func FuzzLoad(f *testing.F) {
	entries, _ := os.ReadDir(badDir)
	for _, e := range entries {
		if data, err := os.ReadFile(filepath.Join(badDir, e.Name())); err == nil {
			f.Add(data)
		}
	}
	if data, err := os.ReadFile("../../providers.yaml"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		db, err := Load("fuzz.yaml", data)
		scan := scanPatterns(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml:") {
				t.Fatalf("Load() = %q, want the file name first", err)
			}
			return
		}
		// A certain scan holds every pattern, so its "none matches" is
		// true.
		missed := func(patterns []string, exact, wild map[string]bool) {
			for _, d := range patterns {
				suffix, isWild := wildcardSuffix(d)
				if !exact[d] && !(isWild && wild[suffix]) {
					t.Fatalf("the scan missed the pattern %q", d)
				}
			}
		}
		for _, p := range db.providers {
			if scan.ok {
				missed(p.Domains, scan.domains, scan.domainWild)
				missed(p.MX, scan.mx, scan.mxWild)
			}
		}
		for _, p := range db.Providers() {
			if len(p.Incoming) == 0 || len(p.Outgoing) == 0 || p.ID == "" || p.Name == "" {
				t.Fatalf("Load() accepted an incomplete provider %+v", p)
			}
			for _, d := range p.Domains {
				if _, ok := db.ByDomain(d); !ok && !strings.HasPrefix(d, "*.") {
					t.Fatalf("ByDomain(%q) found nothing after loading it", d)
				}
			}
		}
	})
}
