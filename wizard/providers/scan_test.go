package providers

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScanFindsEveryPattern: the scan of the embedded file, and of a large
// one, is certain and finds exactly the patterns that decoding finds, so
// that its "no pattern matches" is true.
func TestScanFindsEveryPattern(t *testing.T) {
	embedded, err := os.ReadFile(realFile)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"providers.yaml": embedded, "large.yaml": largeFile(50)} {
		s := scanPatterns(data)
		if !s.ok {
			t.Fatalf("%s: the scan is not certain", name)
		}
		db, err := Load(name, data)
		if err != nil {
			t.Fatal(err)
		}
		keys := func(m map[string]*Provider) map[string]bool {
			out := map[string]bool{}
			for k := range m {
				out[k] = true
			}
			return out
		}
		for what, pair := range map[string][2]map[string]bool{
			"domains": {s.domains, keys(db.domains)}, "domain wildcards": {s.domainWild, keys(db.wildcards)},
			"MX hosts": {s.mx, keys(db.mxExact)}, "MX wildcards": {s.mxWild, keys(db.mxWild)},
		} {
			if !maps.Equal(pair[0], pair[1]) {
				t.Errorf("%s: the scan's %s are %v, decoding's %v", name, what, pair[0], pair[1])
			}
		}
	}
}

// TestScanNotCertain: forms the scan does not read with certainty leave it
// not ok, and the file is then read whole.
func TestScanNotCertain(t *testing.T) {
	entry := func(lines string) string {
		return "providers:\n  - id: a\n    name: A\n" + lines + "    incoming: [imaps://imap.a.example]\n    outgoing: [smtps://smtp.a.example]\n"
	}
	for name, data := range map[string]string{
		"an anchor":            entry("    domains: &d [a.example]\n"),
		"a tag":                entry("    domains: !!seq [a.example]\n"),
		"a quoted key":         entry("    \"domains\": [a.example]\n"),
		"a space before colon": entry("    domains : [a.example]\n"),
		"a list over lines":    entry("    domains: [a.example,\n      b.example]\n"),
		"an escape":            entry("    domains: [\"a\\x2eexample\"]\n"),
		"an alias":             entry("    mx: [*.a.example]\n"),
		"a flow list below":    entry("    domains:\n      [a.example]\n"),
		"a block scalar":       entry("    domains: |\n      a.example\n"),
		"twice":                entry("    domains: [a.example]\n    domains: [b.example]\n"),
		"a flow mapping":       "providers:\n  - {id: a, domains: [a.example]}\n",
		"a flow list":          "providers: [{id: a, domains: [a.example]}]\n",
	} {
		if scanPatterns([]byte(data)).ok {
			t.Errorf("%s: the scan is certain of\n%s", name, data)
		}
	}
	// The keys begin on the line after the dash, deeper than they would
	// beside it.
	below := "providers:\n  - # the first\n      id: a\n      name: A\n      domains: [a.example]\n      incoming: [imaps://imap.a.example]\n      outgoing: [smtps://smtp.a.example]\n"
	if s := scanPatterns([]byte(below)); !s.ok || !s.domains["a.example"] {
		t.Errorf("scan = %+v, want a.example of\n%s", s, below)
	}
	if _, err := Load("below.yaml", []byte(below)); err != nil {
		t.Errorf("Load() = %v", err)
	}
	bare := strings.Replace(below, "- # the first", "-", 1)
	if s := scanPatterns([]byte(bare)); !s.ok || !s.domains["a.example"] {
		t.Errorf("scan = %+v, want a.example of\n%s", s, bare)
	}
	ok := entry("    domains:   # the company's\n      - a.example  # main\n\n      - 'b.example'\n      - \"*.c.example\"\n    mx: [\"*.mx.a.example\", mx.b.example] # hosts\n")
	s := scanPatterns([]byte(ok))
	if !s.ok || !s.domains["a.example"] || !s.domains["b.example"] || !s.domainWild["c.example"] || !s.mxWild["mx.a.example"] || !s.mx["mx.b.example"] {
		t.Errorf("scan = %+v, want every pattern of\n%s", s, ok)
	}
}

// TestLazyAnswersAsBuilt: a lazy database answers every question as the
// same database read whole does, whether the scan spares the reading or
// not.
func TestLazyAnswersAsBuilt(t *testing.T) {
	embedded, err := os.ReadFile(realFile)
	if err != nil {
		t.Fatal(err)
	}
	org := filepath.Join(t.TempDir(), "org.yaml")
	os.WriteFile(org, []byte("providers:\n  - id: acme\n    name: ACME\n    domains: [acme.example, googlemail.com, \"*.corp.example\"]\n    mx: [mx.acme.example]\n    incoming: [imaps://imap.acme.example]\n    outgoing: [smtps://smtp.acme.example]\n"), 0o600)
	whole, err := LoadAll(embedded, []string{org})
	if err != nil {
		t.Fatal(err)
	}
	whole.ready()
	domains := []string{"gmail.com", "GMAIL.com.", "googlemail.com", "acme.example", "x.corp.example", "corp.example", "tenant.onmicrosoft.com", "onmicrosoft.com", "nowhere.example", "münchen.example", ""}
	mx := [][]string{{"aspmx.l.google.com"}, {"mx.acme.example"}, {"mx.nowhere.example", "x.mail.protection.outlook.com"}, {"mx.nowhere.example"}, nil}
	for _, d := range domains {
		lazy, _ := LoadAll(embedded, []string{org})
		got, gotOK := lazy.ByDomain(d)
		want, wantOK := whole.ByDomain(d)
		if gotOK != wantOK || gotOK && got.Source != want.Source {
			t.Errorf("ByDomain(%q) = %v, %v lazily; %v, %v read whole", d, got, gotOK, want, wantOK)
		}
	}
	for _, hosts := range mx {
		lazy, _ := LoadAll(embedded, []string{org})
		got, gotOK := lazy.ByMX(hosts)
		want, wantOK := whole.ByMX(hosts)
		if gotOK != wantOK || gotOK && got.Source != want.Source {
			t.Errorf("ByMX(%q) = %v, %v lazily; %v, %v read whole", hosts, got, gotOK, want, wantOK)
		}
	}
	lazy, _ := LoadAll(embedded, nil)
	if _, ok := lazy.ByDomain("nowhere.example"); ok || lazy.providers != nil {
		t.Error("a domain no pattern matches had the embedded file read")
	}
}
