package providers

import "testing"

const matchFile = `
providers:
  - id: wild
    name: Wildcard
    domains: ["*.example.com"]
    incoming: [imaps://imap.example.com]
    outgoing: [smtps://smtp.example.com]
  - id: exact
    name: Exact
    domains: [sub.example.com]
    incoming: [imaps://imap.sub.example.com]
    outgoing: [smtps://smtp.sub.example.com]
  - id: deep
    name: Deeper wildcard
    domains: ["*.deep.example.com"]
    incoming: [imaps://imap.deep.example.com]
    outgoing: [smtps://smtp.deep.example.com]
  - id: idn
    name: Unicode domain
    domains: [bücher.example, "*.xn--mnchen-3ya.example"]
    incoming: [imaps://imap.example.org]
    outgoing: [smtps://smtp.example.org]
  - id: hosted
    name: Hosted by MX
    mx: ["*.mx.example.net", "mail.example.org"]
    incoming: [imaps://imap.example.net]
    outgoing: [smtps://smtp.example.net]
  - id: hosted-eu
    name: Hosted by MX, European servers
    mx: ["*.eu.mx.example.net"]
    incoming: [imaps://imap.eu.example.net]
    outgoing: [smtps://smtp.eu.example.net]
`

func TestByDomain(t *testing.T) {
	db, err := Load("match.yaml", []byte(matchFile))
	if err != nil {
		t.Fatalf("Load() = %v", err)
	}
	tests := []struct {
		domain string
		want   string // "" for no match
	}{
		{"a.example.com", "wild"},
		{"a.b.example.com", "wild"},
		{"example.com", ""},
		{"sub.example.com", "exact"},
		{"SUB.Example.COM.", "exact"},
		{"x.sub.example.com", "wild"},
		{"x.deep.example.com", "deep"},
		{"deep.example.com", "wild"},
		{"bücher.example", "idn"},
		{"BÜCHER.example", "idn"},
		{"xn--bcher-kva.example", "idn"},
		{"post.münchen.example", "idn"},
		{"münchen.example", ""},
		{"other.org", ""},
		{"", ""},
		{"bad_name.example.com", ""},
	}
	for _, tt := range tests {
		p, ok := db.ByDomain(tt.domain)
		got := ""
		if ok {
			got = p.ID
		}
		if got != tt.want {
			t.Errorf("ByDomain(%q) = %q, want %q", tt.domain, got, tt.want)
		}
	}
}

func TestByMX(t *testing.T) {
	db, err := Load("match.yaml", []byte(matchFile))
	if err != nil {
		t.Fatalf("Load() = %v", err)
	}
	tests := []struct {
		hosts []string
		want  string
	}{
		{[]string{"in1.mx.example.net"}, "hosted"},
		{[]string{"in1.mx.example.net."}, "hosted"},
		{[]string{"MAIL.example.org"}, "hosted"},
		{[]string{"a.eu.mx.example.net"}, "hosted-eu"},
		{[]string{"elsewhere.example.com", "b.mx.example.net"}, "hosted"},
		{[]string{"b.eu.mx.example.net", "c.mx.example.net"}, "hosted-eu"},
		{[]string{"mx.example.net"}, ""},
		{[]string{"sub.example.com"}, ""},
		{nil, ""},
	}
	for _, tt := range tests {
		p, ok := db.ByMX(tt.hosts)
		got := ""
		if ok {
			got = p.ID
		}
		if got != tt.want {
			t.Errorf("ByMX(%q) = %q, want %q", tt.hosts, got, tt.want)
		}
	}
}

func TestMergeLaterWins(t *testing.T) {
	base, err := Load("base.yaml", []byte(`
providers:
  - id: acme
    name: Acme
    domains: [acme.example, acme-mail.example]
    incoming: [imaps://imap.acme.example]
    outgoing: [smtps://smtp.acme.example]
  - id: hosting
    name: Hosting
    domains: [hosting.example]
    mx: ["*.mx.hosting.example"]
    incoming: [imaps://imap.hosting.example]
    outgoing: [smtps://smtp.hosting.example]
`))
	if err != nil {
		t.Fatalf("Load(base) = %v", err)
	}
	org, err := Load("org.yaml", []byte(`
providers:
  - id: acme
    name: Acme (our mirror)
    domains: [acme.example]
    incoming: [imaps://imap.mirror.example]
    outgoing: [smtps://smtp.mirror.example]
  - id: ours
    name: Our own
    domains: [hosting.example]
    mx: ["*.mx.hosting.example"]
    incoming: [imaps://imap.ours.example]
    outgoing: [smtps://smtp.ours.example]
`))
	if err != nil {
		t.Fatalf("Load(org) = %v", err)
	}
	db := base.Merge(org)
	tests := []struct {
		domain, id, source string
		found              bool
	}{
		{"acme.example", "acme", "org.yaml:3", true},
		{"acme-mail.example", "", "", false}, // the replaced entry is gone
		{"hosting.example", "ours", "org.yaml:8", true},
	}
	for _, tt := range tests {
		p, ok := db.ByDomain(tt.domain)
		if ok != tt.found || ok && (p.ID != tt.id || p.Source != tt.source) {
			t.Errorf("ByDomain(%q) = %+v, %v; want %s from %s", tt.domain, p, ok, tt.id, tt.source)
		}
	}
	if p, ok := db.ByMX([]string{"a.mx.hosting.example"}); !ok || p.ID != "ours" {
		t.Errorf("ByMX() = %+v, %v; want ours", p, ok)
	}
	var ids []string
	for _, p := range db.Providers() {
		ids = append(ids, p.ID)
	}
	if len(ids) != 2 || ids[0] != "acme" || ids[1] != "ours" {
		t.Errorf("Providers() = %q, want [acme ours]", ids)
	}
	if p, _ := base.ByDomain("hosting.example"); p.ID != "hosting" {
		t.Errorf("Merge() changed its receiver: hosting.example is %q", p.ID)
	}
}
