package discover

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/mailbox"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "autoconfig", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseAutoconfigFiles(t *testing.T) {
	tests := []struct {
		file, addr, domain string
		id, name, docs     string
		incoming, outgoing []string
		usernames          []string // of the incoming servers
		auth               []probe.Auth
		hints              []probe.Text
		notes              int
	}{
		{
			file: "two-providers.xml", addr: "anna@posta.example", domain: "posta.example",
			id: "posta", name: "Posta Example", docs: "https://posta.example/help/imap",
			incoming:  []string{"imaps://imap.posta.example:993", "imap://imap.posta.example:143", "pop3s://pop.posta.example:995"},
			outgoing:  []string{"smtps://smtp.posta.example:465", "smtp://smtp.posta.example:587"},
			usernames: []string{"anna@posta.example", "anna@posta.example", "anna"},
			auth:      []probe.Auth{probe.AuthPassword, probe.AuthPassword, probe.AuthPassword},
			hints: []probe.Text{{
				EN: `Turn on "Access from mail programs". https://posta.example/settings/access`,
				IT: `Attiva "Accesso dai programmi di posta". https://posta.example/settings/access`,
			}},
		},
		{
			file: "two-providers.xml", addr: "anna@unknown.example", domain: "unknown.example",
			id: "other.example", name: "Other Mail",
			incoming:  []string{"imaps://imap.other.example:993"},
			usernames: []string{"anna@unknown.example"},
			auth:      []probe.Auth{probe.AuthPassword},
			hints: []probe.Text{{
				EN: `Turn on "Access from mail programs". https://posta.example/settings/access`,
				IT: `Attiva "Accesso dai programmi di posta". https://posta.example/settings/access`,
			}},
		},
		{
			file: "hosting-placeholders.xml", addr: "Bea@Studio.example", domain: "studio.example",
			id: "studio.example", name: "studio.example Mail",
			incoming:  []string{"imaps://mail.studio.example:993"},
			outgoing:  []string{"smtp://mail.studio.example:587"},
			usernames: []string{"Bea@studio.example"},
			auth:      []probe.Auth{probe.AuthPassword},
		},
		{
			file: "latin1.xml", addr: "bar@caffe.example", domain: "caffe.example",
			id: "caffè.example", name: "Posta del Caffè",
			incoming:  []string{"pop3s://pop.caffe.example:995"},
			outgoing:  []string{"smtps://smtp.caffe.example:465"},
			usernames: []string{"bar@caffe.example"},
			auth:      []probe.Auth{probe.AuthPassword},
		},
		{
			file: "oauth.xml", addr: "anna@bigmail.example", domain: "bigmail.example",
			id: "bigmail.example", name: "BigMail",
			incoming:  []string{"imaps://imap.bigmail.example:993"},
			outgoing:  []string{"smtps://smtp.bigmail.example:465"},
			usernames: []string{"anna@bigmail.example"},
			auth:      []probe.Auth{probe.AuthPassword},
			hints: []probe.Text{{
				EN: `Check "Enable IMAP" and save. https://mail.bigmail.example/settings/pop-imap`,
				IT: "Prima che postino possa collegarsi, attiva l'accesso per i programmi di posta (IMAP/POP) da https://mail.bigmail.example/settings/pop-imap",
			}},
		},
		{
			file: "cleartext-fallback.xml", addr: "anna@oldisp.example", domain: "oldisp.example",
			id: "oldisp.example", name: "Old ISP",
			incoming:  []string{"pop3s://pop.oldisp.example:995", "pop3+insecure://pop.oldisp.example:110"},
			usernames: []string{"anna", "anna"},
			auth:      []probe.Auth{probe.AuthPassword, probe.AuthPassword},
			notes:     2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.file+" "+tt.addr, func(t *testing.T) {
			s, err := parseAutoconfig(readFixture(t, tt.file), mustAddress(t, tt.addr), tt.domain)
			if err != nil {
				t.Fatalf("parseAutoconfig() = %v", err)
			}
			p := s.provider
			if p.ID != tt.id || p.Name != tt.name || p.Docs != tt.docs {
				t.Errorf("provider = %q, %q, %q; want %q, %q, %q", p.ID, p.Name, p.Docs, tt.id, tt.name, tt.docs)
			}
			wantServers(t, "incoming", s.incoming, tt.incoming...)
			wantServers(t, "outgoing", s.outgoing, tt.outgoing...)
			for i, srv := range s.incoming {
				if i < len(tt.usernames) && srv.Username != tt.usernames[i] {
					t.Errorf("incoming %d username = %q, want %q", i, srv.Username, tt.usernames[i])
				}
				if i < len(tt.auth) && srv.Auth != tt.auth[i] {
					t.Errorf("incoming %d auth = %q, want %q", i, srv.Auth, tt.auth[i])
				}
			}
			if !slices.Equal(p.Hints, tt.hints) {
				t.Errorf("hints = %+v\nwant %+v", p.Hints, tt.hints)
			}
			if len(s.notes) != tt.notes {
				t.Errorf("notes = %+v, want %d", s.notes, tt.notes)
			}
		})
	}
}

func TestParseAutoconfigOAuthOnlyOutgoing(t *testing.T) {
	s, err := parseAutoconfig(readFixture(t, "oauth.xml"), mustAddress(t, "anna@bigmail.example"), "bigmail.example")
	if err != nil {
		t.Fatalf("parseAutoconfig() = %v", err)
	}
	if s.outgoing[0].Auth != probe.AuthOAuth2 {
		t.Errorf("outgoing auth = %q, want oauth2", s.outgoing[0].Auth)
	}
}

// config wraps servers in a minimal file.
func config(servers string) []byte {
	return []byte(`<clientConfig version="1.1"><emailProvider id="x.example"><domain>x.example</domain>` + servers + `</emailProvider></clientConfig>`)
}

func server(role, typ, host, port, socket string, auth ...string) string {
	s := `<` + role + ` type="` + typ + `"><hostname>` + host + `</hostname><port>` + port + `</port><socketType>` + socket + `</socketType><username>%EMAILADDRESS%</username>`
	for _, a := range auth {
		s += `<authentication>` + a + `</authentication>`
	}
	return s + `</` + role + `>`
}

func TestParseAutoconfigServers(t *testing.T) {
	in := func(typ, host, port, socket string, auth ...string) string {
		return server("incomingServer", typ, host, port, socket, auth...)
	}
	out := func(host, port, socket string, auth ...string) string {
		return server("outgoingServer", "smtp", host, port, socket, auth...)
	}
	tests := []struct {
		name               string
		servers            string
		incoming, outgoing []string
		err                error
	}{
		{"socket types in any case", in("IMAP", "a.x.example", "993", "ssl") + in("pop3", "b.x.example", "110", "StartTLS") + out("c.x.example", "25", "STARTTLS"),
			[]string{"imaps://a.x.example:993", "pop3://b.x.example:110"}, []string{"smtp://c.x.example:25"}, nil},
		{"a missing port takes the default", in("imap", "a.x.example", "", "SSL"),
			[]string{"imaps://a.x.example:993"}, nil, nil},
		{"unknown socket type, type, bad port or host is left out",
			in("imap", "a.x.example", "993", "TLS") + in("jmap", "a.x.example", "443", "SSL") + in("imap", "a.x.example", "99999", "SSL") +
				in("imap", "a.x.example", "x", "SSL") + in("imap", "bad host.example", "993", "SSL") + in("imap", "a\u009b2J.example", "993", "SSL") +
				in("imap", "ok.x.example", "993", "SSL"),
			[]string{"imaps://ok.x.example:993"}, nil, nil},
		{"an smtp server is not incoming, nor imap outgoing", in("smtp", "a.x.example", "465", "SSL") + server("outgoingServer", "imap", "b.x.example", "993", "SSL") + in("imap", "c.x.example", "993", "SSL"),
			[]string{"imaps://c.x.example:993"}, nil, nil},
		{"repeats are dropped", in("imap", "A.x.example", "993", "SSL") + in("imap", "a.x.example.", "993", "SSL"),
			[]string{"imaps://a.x.example:993"}, nil, nil},
		{"unicode host names go to punycode", in("imap", "posta.città.example", "993", "SSL"),
			[]string{"imaps://posta.xn--citt-3na.example:993"}, nil, nil},
		{"IP addresses are kept", in("imap", "192.0.2.7", "993", "SSL"),
			[]string{"imaps://192.0.2.7:993"}, nil, nil},
		{"NTLM, Kerberos, client certificates and none cannot be set up",
			in("imap", "a.x.example", "993", "SSL", "NTLM") + in("imap", "b.x.example", "993", "SSL", "GSSAPI") +
				in("imap", "c.x.example", "993", "SSL", "TLS-client-cert") + out("d.x.example", "25", "STARTTLS", "none") + in("imap", "e.x.example", "993", "SSL", "client-IP-address"),
			nil, nil, errNoServer},
		{"cleartext only is never proposed", in("imap", "a.x.example", "143", "plain") + out("b.x.example", "587", "STARTTLS"),
			nil, nil, errNoServer},
		{"cleartext goes behind TLS", in("imap", "a.x.example", "143", "plain") + in("imap", "a.x.example", "143", "STARTTLS") + out("b.x.example", "25", "plain") + out("b.x.example", "465", "SSL"),
			[]string{"imap://a.x.example:143", "imap+insecure://a.x.example:143"}, []string{"smtps://b.x.example:465", "smtp+insecure://b.x.example:25"}, nil},
		{"no incoming server", out("b.x.example", "465", "SSL"), nil, nil, errNoServer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := parseAutoconfig(config(tt.servers), mustAddress(t, "anna@x.example"), "x.example")
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Errorf("parseAutoconfig() = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseAutoconfig() = %v", err)
			}
			wantServers(t, "incoming", s.incoming, tt.incoming...)
			wantServers(t, "outgoing", s.outgoing, tt.outgoing...)
		})
	}
}

func TestParseAutoconfigRefuses(t *testing.T) {
	tests := map[string]string{
		"empty":          "",
		"HTML":           `<!DOCTYPE html><html><head><title>Welcome</title></head><body><p>Hello<br></body></html>`,
		"XHTML":          `<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>`,
		"another root":   `<autodiscover><clientConfig/></autodiscover>`,
		"no provider":    `<clientConfig version="1.1"/>`,
		"broken":         `<clientConfig><emailProvider id="x">`,
		"entity":         `<!DOCTYPE c [<!ENTITY e SYSTEM "file:///etc/passwd">]><clientConfig>&e;</clientConfig>`,
		"bad encoding":   `<?xml version="1.0" encoding="EBCDIC-US"?><clientConfig/>`,
		"JSON":           `{"clientConfig": {}}`,
		"binary garbage": "\x00\x01\x02<clientConfig>",
	}
	for name, body := range tests {
		if _, err := parseAutoconfig([]byte(body), mustAddress(t, "anna@x.example"), "x.example"); !errors.Is(err, errNotAutoconfig) {
			t.Errorf("%s: parseAutoconfig() = %v, want errNotAutoconfig", name, err)
		}
	}
}

func TestParseAutoconfigCleansText(t *testing.T) {
	// XML itself refuses ESC and most C0 controls; C1 controls pass it.
	body := "\ufeff" + `<?xml version="1.0"?><clientConfig><emailProvider id="x&#x9b;31m.example">
		<displayName>Evil&#x9d;0;owned&#x9c;   Mail
		</displayName>` +
		server("incomingServer", "imap", "a.x.example", "993", "SSL") + `
		<enable visiturl="javascript:alert(1)"><instruction>Click</instruction></enable>
		<enable visiturl="//x.example/relative"><instruction>Click</instruction></enable>
		<enable visiturl="https://x.example/ok"><instruction>Go&#x9b;31m there</instruction></enable>
		<documentation url="file:///etc/passwd"/>
	</emailProvider></clientConfig>`
	s, err := parseAutoconfig([]byte(body), mustAddress(t, "anna@x.example"), "x.example")
	if err != nil {
		t.Fatalf("parseAutoconfig() = %v", err)
	}
	if s.provider.ID != "x.example" || s.provider.Name != "Evil Mail" || s.provider.Docs != "" {
		t.Errorf("provider = %q, %q, %q", s.provider.ID, s.provider.Name, s.provider.Docs)
	}
	want := []probe.Text{hint(textEnableAccess, "https://x.example/ok")}
	want[0].EN = "Go there https://x.example/ok"
	if !slices.Equal(s.provider.Hints, want) {
		t.Errorf("hints = %+v, want %+v", s.provider.Hints, want)
	}
}

func FuzzParseAutoconfig(f *testing.F) {
	for _, name := range []string{"two-providers.xml", "hosting-placeholders.xml", "latin1.xml", "oauth.xml", "cleartext-fallback.xml"} {
		f.Add(readFixture(f, name))
	}
	f.Add(config(server("incomingServer", "imap", "%EMAILDOMAIN%", "993", "SSL")))
	f.Add([]byte(`<clientConfig><emailProvider><incomingServer type="imap"><hostname>a.b</hostname><socketType>plain</socketType></incomingServer></emailProvider></clientConfig>`))
	addr := mailbox.Address{Local: "anna", Domain: "x.example", ASCIIDomain: "x.example"}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parseAutoconfig(data, addr, "x.example")
		if err != nil {
			return
		}
		if len(s.incoming) == 0 || len(s.incoming) > maxServers || len(s.outgoing) > maxServers {
			t.Fatalf("%d incoming, %d outgoing servers", len(s.incoming), len(s.outgoing))
		}
		for role, list := range map[string][]probe.Server{"incoming": s.incoming, "outgoing": s.outgoing} {
			for i, srv := range list {
				if srv.Incoming() != (role == "incoming") || srv.Port < 1 || srv.Port > 65535 || srv.Auth == "" {
					t.Fatalf("%s server %+v", role, srv)
				}
				if h, ok := hostName(srv.Host); !ok || h != srv.Host {
					t.Fatalf("%s host %q is not a clean host name", role, srv.Host)
				}
				if srv.Security == probe.None && (i == 0 || list[0].Security == probe.None) {
					t.Fatalf("%s: a cleartext server is proposed first: %v", role, list)
				}
				if srv.Security != probe.TLS && srv.Security != probe.StartTLS && srv.Security != probe.None {
					t.Fatalf("%s security %q", role, srv.Security)
				}
				printable(t, "username", srv.Username)
			}
		}
		printable(t, "id", s.provider.ID)
		printable(t, "name", s.provider.Name)
		printable(t, "docs", s.provider.Docs)
		for _, h := range append(s.provider.Hints, s.notes...) {
			printable(t, "hint", h.EN)
			printable(t, "hint", h.IT)
		}
	})
}

// printable fails on text a terminal could take for a command.
func printable(t *testing.T, what, s string) {
	t.Helper()
	for _, r := range s {
		if unicode.IsControl(r) {
			t.Fatalf("%s %q has a control character", what, s)
		}
	}
}
