package providers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/postino/postino/probe"
)

// realFile is the database the binary embeds (main.go embeds it; the
// package takes bytes, so the tests read it from disk).
const realFile = "../../providers.yaml"

func loadReal(t *testing.T) *DB {
	t.Helper()
	db, err := LoadFile(realFile)
	if err != nil {
		t.Fatalf("Load() = %v", err)
	}
	return db
}

func TestRealFileEntries(t *testing.T) {
	db := loadReal(t)
	list := db.Providers()
	if len(list) < 60 {
		t.Fatalf("providers.yaml has %d providers, want at least 60", len(list))
	}
	for _, p := range list {
		if !strings.HasPrefix(p.Docs, "https://") && !strings.HasPrefix(p.Docs, "http://") {
			t.Errorf("%s (%s): docs = %q, want the source the settings were checked against", p.ID, p.Source, p.Docs)
		}
		if len(p.Hints) == 0 {
			t.Errorf("%s (%s): no hints", p.ID, p.Source)
		}
		for _, h := range p.Hints {
			if h.EN == "" || h.IT == "" || h.EN == h.IT {
				t.Errorf("%s (%s): hint %+v, want English and Italian texts", p.ID, p.Source, h)
			}
		}
		if len(p.Incoming) == 0 || len(p.Outgoing) == 0 {
			t.Errorf("%s (%s): %d incoming, %d outgoing servers, want at least one of each", p.ID, p.Source, len(p.Incoming), len(p.Outgoing))
		}
		for _, s := range append(append([]probe.Server{}, p.Incoming...), p.Outgoing...) {
			if s.Security == probe.None {
				t.Errorf("%s (%s): %v offers no TLS; cleartext is never proposed", p.ID, p.Source, s)
			}
		}
		if p.PEC && !strings.Contains(strings.ToLower(p.Hints[0].IT), "pec") {
			t.Errorf("%s (%s): a PEC provider's first hint should say it is certified mail", p.ID, p.Source)
		}
	}
}

func TestRealFileByDomain(t *testing.T) {
	db := loadReal(t)
	tests := []struct {
		address  string
		id       string
		incoming string // first incoming server, as a URL
		outgoing string // first outgoing server, as a URL
		username string // first incoming server's user name
		auth     probe.Auth
		pec      bool
	}{
		{"mario.rossi@libero.it", "libero", "imaps://imapmail.libero.it:993", "smtps://smtp.libero.it:465", "mario.rossi@libero.it", probe.AuthPassword, false},
		{"m.rossi@inwind.it", "libero", "imaps://imapmail.libero.it:993", "smtps://smtp.libero.it:465", "m.rossi@inwind.it", probe.AuthPassword, false},
		{"ann@gmail.com", "gmail", "imaps://imap.gmail.com:993", "smtps://smtp.gmail.com:465", "ann@gmail.com", probe.AuthAppPassword, false},
		{"ann@GoogleMail.com", "gmail", "imaps://imap.gmail.com:993", "smtps://smtp.gmail.com:465", "ann@GoogleMail.com", probe.AuthAppPassword, false},
		{"bob@hotmail.it", "outlook", "imaps://outlook.office365.com:993", "smtp://smtp-mail.outlook.com:587", "bob@hotmail.it", probe.AuthOAuth2, false},
		{"eve@me.com", "icloud", "imaps://imap.mail.me.com:993", "smtp://smtp.mail.me.com:587", "eve", probe.AuthAppPassword, false},
		{"x@gmx.de", "gmx", "imaps://imap.gmx.net:993", "smtps://mail.gmx.net:465", "x@gmx.de", probe.AuthPassword, false},
		{"y@pm.me", "proton-bridge", "imap://127.0.0.1:1143", "smtp://127.0.0.1:1025", "y@pm.me", probe.AuthPassword, false},
		{"studio@pec.it", "aruba-pec", "imaps://imaps.pec.aruba.it:993", "smtps://smtps.pec.aruba.it:465", "studio@pec.it", probe.AuthPassword, true},
		{"avv.bianchi@postecert.it", "postecert", "imaps://mail.postecert.it:993", "smtps://mail.postecert.it:465", "avv.bianchi@postecert.it", probe.AuthPassword, true},
		{"bob@outlook.com.br", "outlook", "imaps://outlook.office365.com:993", "smtp://smtp-mail.outlook.com:587", "bob@outlook.com.br", probe.AuthOAuth2, false},
		{"bob@hotmail.co.jp", "outlook", "imaps://outlook.office365.com:993", "smtp://smtp-mail.outlook.com:587", "bob@hotmail.co.jp", probe.AuthOAuth2, false},
		{"bob@livemail.tw", "outlook", "imaps://outlook.office365.com:993", "smtp://smtp-mail.outlook.com:587", "bob@livemail.tw", probe.AuthOAuth2, false},
		{"x@posteo.jp", "posteo", "imaps://posteo.de:993", "smtps://posteo.de:465", "x@posteo.jp", probe.AuthPassword, false},
		{"x@gmx.com.br", "gmx-com", "imaps://imap.gmx.com:993", "smtps://mail.gmx.com:465", "x@gmx.com.br", probe.AuthPassword, false},
		{"x@aol.com.au", "aol", "imaps://imap.aol.com:993", "smtps://smtp.aol.com:465", "x@aol.com.au", probe.AuthAppPassword, false},
		{"x@yahoo.ca", "yahoo", "imaps://imap.mail.yahoo.com:993", "smtps://smtp.mail.yahoo.com:465", "x@yahoo.ca", probe.AuthAppPassword, false},
		{"x@zohomail.eu", "zoho-eu", "imaps://imap.zoho.eu:993", "smtps://smtp.zoho.eu:465", "x@zohomail.eu", probe.AuthPassword, false},
		{"x@zohocloud.ca", "zoho-ca", "imaps://imap.zohocloud.ca:993", "smtps://smtp.zohocloud.ca:465", "x@zohocloud.ca", probe.AuthPassword, false},
		{"x@yandex.ru", "yandex", "imaps://imap.yandex.com:993", "smtps://smtp.yandex.com:465", "x@yandex.ru", probe.AuthAppPassword, false},
		{"studio@lamiapec.it", "namirial-pec", "imaps://imaps.sicurezzapostale.it:993", "smtps://smtps.sicurezzapostale.it:465", "studio@lamiapec.it", probe.AuthPassword, true},
		{"m.rossi@pec.libero.it", "libero-pec", "imaps://mail.postacert.it.net:993", "smtps://mail.postacert.it.net:465", "m.rossi@pec.libero.it", probe.AuthPassword, true},
		{"m.rossi@postecertifica.it", "postecertifica", "imaps://mail.postecertifica.it:993", "smtps://mail.postecertifica.it:465", "m.rossi@postecertifica.it", probe.AuthAppPassword, true},
		{"studio@sicurezzapostale.it", "namirial-pec", "imaps://imaps.sicurezzapostale.it:993", "smtps://smtps.sicurezzapostale.it:465", "studio@sicurezzapostale.it", probe.AuthPassword, true},
		{"ufficio@ordine.legalmail.it", "legalmail", "imaps://mbox.cert.legalmail.it:993", "smtps://sendm.cert.legalmail.it:465", "ufficio@ordine.legalmail.it", probe.AuthPassword, true},
	}
	for _, tt := range tests {
		domain := tt.address[strings.LastIndexByte(tt.address, '@')+1:]
		p, ok := db.ByDomain(domain)
		if !ok || p.ID != tt.id {
			t.Errorf("ByDomain(%q) = %v, %v; want %s", domain, p, ok, tt.id)
			continue
		}
		in, out := p.Servers(tt.address)
		if got := in[0].String(); got != tt.incoming {
			t.Errorf("%s: first incoming = %s, want %s", tt.address, got, tt.incoming)
		}
		if got := out[0].String(); got != tt.outgoing {
			t.Errorf("%s: first outgoing = %s, want %s", tt.address, got, tt.outgoing)
		}
		if in[0].Username != tt.username || in[0].Auth != tt.auth || p.PEC != tt.pec {
			t.Errorf("%s: user %q auth %q pec %v, want %q %q %v", tt.address, in[0].Username, in[0].Auth, p.PEC, tt.username, tt.auth, tt.pec)
		}
	}
}

// TestRealFileLibero pins what the acceptance test relies on, field by field.
func TestRealFileLibero(t *testing.T) {
	p, ok := loadReal(t).ByDomain("libero.it")
	if !ok {
		t.Fatalf("ByDomain(libero.it) found nothing")
	}
	in, out := p.Incoming[0], p.Outgoing[0]
	if in.Protocol != probe.IMAP || in.Host != "imapmail.libero.it" || in.Port != 993 || in.Security != probe.TLS {
		t.Errorf("libero.it incoming = %+v, want IMAP imapmail.libero.it:993 tls", in)
	}
	if out.Protocol != probe.SMTP || out.Host != "smtp.libero.it" || out.Port != 465 || out.Security != probe.TLS {
		t.Errorf("libero.it outgoing = %+v, want SMTP smtp.libero.it:465 tls", out)
	}
}

func TestRealFileGmailHint(t *testing.T) {
	p, ok := loadReal(t).ByDomain("gmail.com")
	if !ok {
		t.Fatalf("ByDomain(gmail.com) found nothing")
	}
	var en, it bool
	for _, h := range p.Hints {
		en = en || strings.Contains(h.EN, "app password") && strings.Contains(h.EN, "2-Step Verification")
		it = it || strings.Contains(h.IT, "password per le app") && strings.Contains(h.IT, "verifica in due passaggi")
	}
	if !en || !it || p.Auth != probe.AuthAppPassword {
		t.Errorf("gmail hints = %+v, auth %q; want the app-password advice in English and Italian", p.Hints, p.Auth)
	}
}

func TestRealFileByMX(t *testing.T) {
	db := loadReal(t)
	tests := []struct {
		hosts []string
		id    string
	}{
		{[]string{"aspmx.l.google.com"}, "google-workspace"},
		{[]string{"ALT1.ASPMX.L.GOOGLE.COM."}, "google-workspace"},
		{[]string{"smtp.google.com"}, "google-workspace"},
		{[]string{"aspmx2.googlemail.com"}, "google-workspace"},
		{[]string{"contoso-com.mail.protection.outlook.com"}, "microsoft365"},
		{[]string{"contoso-com.olc.protection.outlook.com"}, "outlook"},
		{[]string{"mx.unknown.example", "in1-smtp.messagingengine.com"}, "fastmail"},
		{[]string{"mx.zoho.com"}, "zoho-business"},
		{[]string{"mx.cert.legalmail.it"}, "legalmail"},
		{[]string{"mx.aruba.it"}, "aruba"},
	}
	for _, tt := range tests {
		p, ok := db.ByMX(tt.hosts)
		if !ok || p.ID != tt.id {
			t.Errorf("ByMX(%q) = %v, %v; want %s", tt.hosts, p, ok, tt.id)
		}
	}
	if p, ok := db.ByMX([]string{"mx.example.org"}); ok {
		t.Errorf("ByMX(mx.example.org) = %s, want no provider", p.ID)
	}
	p, _ := db.ByMX([]string{"contoso-com.mail.protection.outlook.com"})
	if p.Auth != probe.AuthOAuth2 || !strings.Contains(p.Hints[0].EN, "basic authentication") {
		t.Errorf("microsoft365 = auth %q, hints %+v; want oauth2 and a plain word on basic authentication", p.Auth, p.Hints)
	}
}

// TestLoadAllLaterFileWins loads the real file plus an organisation's file
// that takes over libero.it and adds its own hosting by MX.
func TestLoadAllLaterFileWins(t *testing.T) {
	embedded, err := os.ReadFile(realFile)
	if err != nil {
		t.Fatalf("ReadFile() = %v", err)
	}
	org := filepath.Join(t.TempDir(), "org.yaml")
	if err := os.WriteFile(org, []byte(`providers:
  - id: our-relay
    name: Our relay for Libero
    domains: [libero.it]
    mx: ["*.mail.protection.outlook.com"]
    incoming: [imaps://imap.relay.example]
    outgoing: [smtps://smtp.relay.example]
`), 0o600); err != nil {
		t.Fatalf("WriteFile() = %v", err)
	}
	db, err := LoadAll(embedded, []string{org})
	if err != nil {
		t.Fatalf("LoadAll() = %v", err)
	}
	if p, _ := db.ByDomain("libero.it"); p.ID != "our-relay" || p.Source != org+":2" {
		t.Errorf("ByDomain(libero.it) = %s from %s, want our-relay from %s:2", p.ID, p.Source, org)
	}
	if p, _ := db.ByDomain("iol.it"); p.ID != "libero" {
		t.Errorf("ByDomain(iol.it) = %s, want libero still", p.ID)
	}
	if p, _ := db.ByMX([]string{"x.mail.protection.outlook.com"}); p.ID != "our-relay" {
		t.Errorf("ByMX() = %s, want our-relay", p.ID)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("providers:\n  - id: x\n    nme: X\n"), 0o600); err != nil {
		t.Fatalf("WriteFile() = %v", err)
	}
	if _, err := LoadAll(embedded, []string{org, bad}); err == nil || !strings.HasPrefix(err.Error(), bad+":3: ") {
		t.Errorf("LoadAll() = %v, want an error at %s:3", err, bad)
	}
	if _, err := LoadAll(embedded, []string{filepath.Join(t.TempDir(), "missing.yaml")}); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("LoadAll() = %v, want an error naming missing.yaml", err)
	}
}
