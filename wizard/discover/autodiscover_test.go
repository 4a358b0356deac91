package discover

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/mailbox"
)

// adResponse wraps an Account element's content in the response envelope
// of the 2006 and 2006a schemas.
func adResponse(account string) string {
	return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <User>
      <DisplayName>Anna Rossi</DisplayName>
    </User>
    <Account>
      <AccountType>email</AccountType>
` + account + `
    </Account>
  </Response>
</Autodiscover>`
}

// adSettings is an answer with IMAP, POP3 and SMTP as a hosting
// provider's Autodiscover script serves it.
func adSettings(domain string) string {
	return adResponse(`      <Action>settings</Action>
      <Protocol>
        <Type>IMAP</Type>
        <Server>imap.` + domain + `</Server>
        <Port>993</Port>
        <DomainRequired>off</DomainRequired>
        <LoginName>anna@` + domain + `</LoginName>
        <SPA>off</SPA>
        <SSL>on</SSL>
        <AuthRequired>on</AuthRequired>
      </Protocol>
      <Protocol>
        <Type>POP3</Type>
        <Server>pop.` + domain + `</Server>
        <Port>995</Port>
        <SPA>off</SPA>
        <SSL>on</SSL>
        <AuthRequired>on</AuthRequired>
      </Protocol>
      <Protocol>
        <Type>SMTP</Type>
        <Server>smtp.` + domain + `</Server>
        <Port>587</Port>
        <SPA>off</SPA>
        <Encryption>TLS</Encryption>
        <AuthRequired>on</AuthRequired>
        <UsePOPAuth>on</UsePOPAuth>
        <SMTPLast>off</SMTPLast>
      </Protocol>`)
}

// adExchange is the answer of an Exchange server as Microsoft documents
// it for the POX service: only Exchange's own protocols.
const adExchange = `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <User>
      <DisplayName>First Last</DisplayName>
      <LegacyDN>/o=contoso/ou=First Administrative Group/cn=Recipients/cn=iuser885646</LegacyDN>
      <DeploymentId>644560b8-a1ce-429c-8ace-23395843f701</DeploymentId>
    </User>
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <Protocol>
        <Type>EXCH</Type>
        <Server>MBX-SERVER.mail.internal.contoso.com</Server>
        <ServerDN>/o=contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=MBX-SERVER</ServerDN>
        <ServerVersion>72008287</ServerVersion>
        <MdbDN>/o=contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=MBX-SERVER/cn=Microsoft Private MDB</MdbDN>
        <ASUrl>https://mail.contoso.com/ews/exchange.asmx</ASUrl>
        <OOFUrl>https://mail.contoso.com/ews/exchange.asmx</OOFUrl>
        <UMUrl>https://mail.contoso.com/unifiedmessaging/service.asmx</UMUrl>
        <OABUrl>https://mail.contoso.com/OAB/d29844a9-724e-468c-8820-0f7b345b767b/</OABUrl>
      </Protocol>
      <Protocol>
        <Type>EXPR</Type>
        <Server>Exchange.contoso.com</Server>
        <ASUrl>https://mail.contoso.com/ews/exchange.asmx</ASUrl>
        <OOFUrl>https://mail.contoso.com/ews/exchange.asmx</OOFUrl>
        <UMUrl>https://mail.contoso.com/unifiedmessaging/service.asmx</UMUrl>
        <OABUrl>https://mail.contoso.com/OAB/d29844a9-724e-468c-8820-0f7b345b767b/</OABUrl>
      </Protocol>
      <Protocol>
        <Type>WEB</Type>
        <External>
          <OWAUrl AuthenticationMethod="Fba">https://mail.contoso.com/owa</OWAUrl>
          <Protocol>
            <Type>EXPR</Type>
            <ASUrl>https://mail.contoso.com/ews/exchange.asmx</ASUrl>
          </Protocol>
        </External>
      </Protocol>
    </Account>
  </Response>
</Autodiscover>`

// adMicrosoft365 is Exchange Online's shape: a mailbox GUID as Server.
const adMicrosoft365 = `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <MicrosoftOnline>True</MicrosoftOnline>
      <Protocol Type="mapiHttp" Version="1">
        <MailStore>
          <InternalUrl>https://outlook.office365.com/mapi/emsmdb/?MailboxId=0b7ee4b7-0e3b-4e0f-8a3d-0c1a2b3c4d5e@contoso.com</InternalUrl>
        </MailStore>
      </Protocol>
      <Protocol>
        <Type>EXCH</Type>
        <Server>0b7ee4b7-0e3b-4e0f-8a3d-0c1a2b3c4d5e@contoso.com</Server>
        <EwsUrl>https://outlook.office365.com/EWS/Exchange.asmx</EwsUrl>
      </Protocol>
    </Account>
  </Response>
</Autodiscover>`

func TestParseAutodiscoverSettings(t *testing.T) {
	addr := mustAddress(t, "anna@posta.example")
	a, err := parseAutodiscover([]byte(adSettings("posta.example")), addr)
	if err != nil {
		t.Fatalf("parseAutodiscover() = %v", err)
	}
	wantServers(t, "incoming", a.incoming, "imaps://imap.posta.example:993", "pop3s://pop.posta.example:995")
	wantServers(t, "outgoing", a.outgoing, "smtp://smtp.posta.example:587")
	for _, s := range slices.Concat(a.incoming, a.outgoing) {
		if s.Username != "anna@posta.example" || s.Auth != probe.AuthPassword {
			t.Errorf("%s: user %q, auth %q", s, s.Username, s.Auth)
		}
	}
	if a.outgoing[0].Security != probe.StartTLS {
		t.Errorf("Encryption TLS gave %s, want STARTTLS", a.outgoing[0].Security)
	}
	if len(a.notes) != 0 || a.redirectURL != "" || a.redirectAddr != nil {
		t.Errorf("answer = %+v", a)
	}
}

func TestParseAutodiscoverSecurityAndLogin(t *testing.T) {
	addr := mustAddress(t, "anna@posta.example")
	for _, c := range []struct {
		name, protocol, want, user string
		note                       bool
	}{
		{"SSL on, implicit TLS port", `<Type>IMAP</Type><Server>mail.posta.example</Server><Port>993</Port><SSL>on</SSL>`, "imaps://mail.posta.example:993", "anna@posta.example", false},
		{"SSL on, a STARTTLS port", `<Type>IMAP</Type><Server>mail.posta.example</Server><Port>143</Port><SSL>on</SSL>`, "imap://mail.posta.example:143", "anna@posta.example", false},
		{"SSL on, an unusual port", `<Type>POP3</Type><Server>mail.posta.example</Server><Port>1995</Port><SSL>on</SSL>`, "pop3s://mail.posta.example:1995", "anna@posta.example", false},
		{"Encryption SSL", `<Type>IMAP</Type><Server>mail.posta.example</Server><Port>993</Port><Encryption>SSL</Encryption>`, "imaps://mail.posta.example:993", "anna@posta.example", false},
		{"Encryption Auto goes by port", `<Type>IMAP</Type><Server>mail.posta.example</Server><Port>143</Port><Encryption>Auto</Encryption>`, "imap://mail.posta.example:143", "anna@posta.example", false},
		{"no port", `<Type>IMAP</Type><Server>mail.posta.example</Server>`, "imaps://mail.posta.example:993", "anna@posta.example", false},
		{"LoginName", `<Type>IMAP</Type><Server>mail.posta.example</Server><Port>993</Port><LoginName>arossi</LoginName>`, "imaps://mail.posta.example:993", "arossi", false},
		{"DomainRequired", `<Type>IMAP</Type><Server>mail.posta.example</Server><Port>993</Port><LoginName>arossi</LoginName><DomainName>POSTA</DomainName><DomainRequired>on</DomainRequired>`, "imaps://mail.posta.example:993", `POSTA\arossi`, false},
		{"SPA", `<Type>IMAP</Type><Server>mail.posta.example</Server><Port>993</Port><SPA>on</SPA>`, "imaps://mail.posta.example:993", "anna@posta.example", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := parseAutodiscover([]byte(adResponse("<Action>settings</Action><Protocol>"+c.protocol+"</Protocol>")), addr)
			if err != nil {
				t.Fatalf("parseAutodiscover() = %v", err)
			}
			wantServers(t, "incoming", a.incoming, c.want)
			if a.incoming[0].Username != c.user {
				t.Errorf("user = %q, want %q", a.incoming[0].Username, c.user)
			}
			if got := slices.Contains(a.notes, textAutodiscoverSPA); got != c.note {
				t.Errorf("SPA note %v, want %v (notes %v)", got, c.note, a.notes)
			}
		})
	}
}

func TestParseAutodiscoverCleartext(t *testing.T) {
	addr := mustAddress(t, "anna@posta.example")
	plain := `<Protocol><Type>IMAP</Type><Server>mail.posta.example</Server><Port>143</Port><SSL>off</SSL></Protocol>`
	secure := `<Protocol><Type>IMAP</Type><Server>mail.posta.example</Server><Port>993</Port><SSL>on</SSL></Protocol>`
	if _, err := parseAutodiscover([]byte(adResponse("<Action>settings</Action>"+plain)), addr); !errors.Is(err, errNoServer) {
		t.Errorf("cleartext only: %v, want errNoServer", err)
	}
	a, err := parseAutodiscover([]byte(adResponse("<Action>settings</Action>"+plain+secure)), addr)
	if err != nil {
		t.Fatalf("parseAutodiscover() = %v", err)
	}
	wantServers(t, "incoming", a.incoming, "imaps://mail.posta.example:993", "imap+insecure://mail.posta.example:143")
	if len(a.notes) != 1 || a.notes[0] != hint(textCleartextFallback, "imap+insecure://mail.posta.example:143") {
		t.Errorf("notes = %v", a.notes)
	}
}

func TestParseAutodiscoverExchangeOnly(t *testing.T) {
	addr := mustAddress(t, "first.last@contoso.com")
	for _, c := range []struct{ name, body, host string }{
		{"Exchange on premises", adExchange, "mail.contoso.com"},
		{"Microsoft 365", adMicrosoft365, "outlook.office365.com"},
		{"no host", adResponse(`<Action>settings</Action><Protocol><Type>EXCH</Type><Server>0b7ee4b7@contoso.com</Server></Protocol>`), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseAutodiscover([]byte(c.body), addr)
			var ex *ExchangeOnlyError
			if !errors.As(err, &ex) {
				t.Fatalf("parseAutodiscover() = %v, want an *ExchangeOnlyError", err)
			}
			if ex.Host != c.host {
				t.Errorf("host %q, want %q", ex.Host, c.host)
			}
			h := ex.Hint()
			if !strings.Contains(h.EN, "Exchange") || !strings.Contains(h.EN, "ask IT whether IMAP is on") || !strings.Contains(h.IT, "chiedi al reparto IT se IMAP è attivo") || !strings.Contains(h.EN, c.host) {
				t.Errorf("hint = %+v", h)
			}
		})
	}
	// IMAP beside Exchange is an answer.
	body := strings.Replace(adExchange, "<Protocol>", `<Protocol><Type>IMAP</Type><Server>mail.contoso.com</Server><Port>993</Port></Protocol><Protocol>`, 1)
	a, err := parseAutodiscover([]byte(body), addr)
	if err != nil {
		t.Fatalf("IMAP and Exchange: %v", err)
	}
	wantServers(t, "incoming", a.incoming, "imaps://mail.contoso.com:993")
}

func TestParseAutodiscoverRedirects(t *testing.T) {
	addr := mustAddress(t, "anna@posta.example")
	a, err := parseAutodiscover([]byte(adResponse(`<Action>redirectAddr</Action><RedirectAddr>anna.rossi@gruppo.example</RedirectAddr>`)), addr)
	if err != nil || a.redirectAddr == nil || a.redirectAddr.ASCII() != "anna.rossi@gruppo.example" {
		t.Errorf("redirectAddr: %+v, %v", a, err)
	}
	a, err = parseAutodiscover([]byte(adResponse(`<Action>redirectUrl</Action><RedirectUrl>https://ad.gruppo.example/autodiscover/autodiscover.xml</RedirectUrl>`)), addr)
	if err != nil || a.redirectURL != "https://ad.gruppo.example/autodiscover/autodiscover.xml" {
		t.Errorf("redirectUrl: %+v, %v", a, err)
	}
	for _, bad := range []string{
		`<Action>redirectUrl</Action><RedirectUrl>http://ad.gruppo.example/autodiscover/autodiscover.xml</RedirectUrl>`,
		`<Action>redirectUrl</Action><RedirectUrl>javascript:alert(1)</RedirectUrl>`,
		`<Action>redirectAddr</Action><RedirectAddr>not an address</RedirectAddr>`,
	} {
		if a, err := parseAutodiscover([]byte(adResponse(bad)), addr); err == nil {
			t.Errorf("%s: accepted as %+v", bad, a)
		}
	}
}

func TestParseAutodiscoverRefuses(t *testing.T) {
	addr := mustAddress(t, "anna@posta.example")
	for name, body := range map[string]string{
		"error answer": `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response>
    <Error Time="16:56:49.4041968" Id="1054084152">
      <ErrorCode>600</ErrorCode>
      <Message>Invalid Request</Message>
      <DebugData />
    </Error>
  </Response>
</Autodiscover>`,
		"HTML":           "<html><body>It works!</body></html>",
		"autoconfig":     autoconfigXML("posta.example"),
		"garbage":        "\x00\x01garbage",
		"no servers":     adResponse(`<Action>settings</Action>`),
		"unknown types":  adResponse(`<Action>settings</Action><Protocol><Type>XMPP</Type><Server>chat.posta.example</Server></Protocol>`),
		"bad host":       adResponse(`<Action>settings</Action><Protocol><Type>IMAP</Type><Server>mail posta</Server></Protocol>`),
		"bad port":       adResponse(`<Action>settings</Action><Protocol><Type>IMAP</Type><Server>mail.posta.example</Server><Port>99999</Port></Protocol>`),
		"only outgoing":  adResponse(`<Action>settings</Action><Protocol><Type>SMTP</Type><Server>mail.posta.example</Server><Port>465</Port></Protocol>`),
		"escape in host": adResponse("<Action>settings</Action><Protocol><Type>IMAP</Type><Server>mail.posta.example\x1b[31m</Server></Protocol>"),
	} {
		if a, err := parseAutodiscover([]byte(body), addr); err == nil {
			t.Errorf("%s: accepted as %+v", name, a)
		}
	}
}

func FuzzParseAutodiscover(f *testing.F) {
	for _, seed := range []string{
		adSettings("x.example"), adExchange, adMicrosoft365,
		adResponse(`<Action>redirectAddr</Action><RedirectAddr>b@y.example</RedirectAddr>`),
		adResponse(`<Action>redirectUrl</Action><RedirectUrl>https://y.example/a.xml</RedirectUrl>`),
		adResponse(`<Action>settings</Action><Protocol><Type>IMAP</Type><Server>a.b</Server><Port>143</Port><SSL>off</SSL><LoginName>u</LoginName><DomainName>D</DomainName><DomainRequired>on</DomainRequired><SPA>on</SPA></Protocol>`),
	} {
		f.Add([]byte(seed))
	}
	addr := mailbox.Address{Local: "anna", Domain: "x.example", ASCIIDomain: "x.example"}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := parseAutodiscover(data, addr)
		var ex *ExchangeOnlyError
		if errors.As(err, &ex) {
			if h, ok := hostName(ex.Host); ex.Host != "" && (!ok || h != ex.Host) {
				t.Fatalf("Exchange host %q is not a clean host name", ex.Host)
			}
			return
		}
		if err != nil {
			return
		}
		switch {
		case a.redirectURL != "":
			if !strings.HasPrefix(a.redirectURL, "https://") {
				t.Fatalf("redirectUrl %q", a.redirectURL)
			}
			return
		case a.redirectAddr != nil:
			printable(t, "redirectAddr", a.redirectAddr.ASCII())
			return
		}
		if len(a.incoming) == 0 || len(a.incoming) > maxServers || len(a.outgoing) > maxServers {
			t.Fatalf("%d incoming, %d outgoing servers", len(a.incoming), len(a.outgoing))
		}
		for role, list := range map[string][]probe.Server{"incoming": a.incoming, "outgoing": a.outgoing} {
			for i, srv := range list {
				if srv.Incoming() != (role == "incoming") || srv.Port < 1 || srv.Port > 65535 || srv.Auth != probe.AuthPassword {
					t.Fatalf("%s server %+v", role, srv)
				}
				if h, ok := hostName(srv.Host); !ok || h != srv.Host {
					t.Fatalf("%s host %q is not a clean host name", role, srv.Host)
				}
				if srv.Security == probe.None && (i == 0 || list[0].Security == probe.None) {
					t.Fatalf("%s: a cleartext server is proposed first: %v", role, list)
				}
				printable(t, "username", srv.Username)
			}
		}
		for _, h := range a.notes {
			printable(t, "note", h.EN)
			printable(t, "note", h.IT)
		}
	})
}
