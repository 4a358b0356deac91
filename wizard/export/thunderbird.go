package export

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/postino/postino/probe"
)

var (
	textTBHost  = probe.Text{EN: "Host it at https://autoconfig.%s/mail/config-v1.1.xml (or https://%s/.well-known/autoconfig/mail/config-v1.1.xml): Thunderbird then sets up every address of %s by itself.", IT: "Pubblicalo su https://autoconfig.%s/mail/config-v1.1.xml (o https://%s/.well-known/autoconfig/mail/config-v1.1.xml): Thunderbird configura da solo ogni indirizzo di %s."}
	textTBISP   = probe.Text{EN: "Or, on one computer, copy it into the isp folder of Thunderbird's installation as %s.xml.", IT: "Oppure, su un solo computer, copialo nella cartella isp dell'installazione di Thunderbird come %s.xml."}
	textTBPin   = probe.Text{EN: "Thunderbird will show the certificate trusted by fingerprint (%s): accept it permanently only if the fingerprint matches.", IT: "Thunderbird mostrerà il certificato ritenuto attendibile per la sua impronta (%s): accettalo in modo permanente solo se l'impronta coincide."}
	textTBOAuth = probe.Text{EN: "Thunderbird signs in with OAuth2 by itself, in a window of the provider, for the providers it knows (such as Google, Microsoft, Yahoo, AOL and Fastmail); to a server it does not know it cannot sign in with OAuth2.", IT: "Thunderbird accede con OAuth2 da solo, in una finestra del provider, per i provider che conosce (come Google, Microsoft, Yahoo, AOL e Fastmail); a un server che non conosce non sa accedere con OAuth2."}
	textTBCA    = probe.Text{EN: "Import the authority in %s in Thunderbird's certificate manager (Settings, Privacy & Security, Manage Certificates, Authorities).", IT: "Importa l'autorità in %s nel gestore dei certificati di Thunderbird (Impostazioni, Privacy e sicurezza, Gestisci certificati, Autorità)."}
)

// Thunderbird is the account in Thunderbird's autoconfig format
// (clientConfig 1.1), with every fallback server as an alternative.
func Thunderbird(in Input) ([]byte, error) {
	a, err := prepare(in, "thunderbird", true, true, false, true)
	if err != nil {
		return nil, err
	}
	domain := a.domain()
	for _, s := range append(append([]probe.Server{}, a.Incoming...), a.Outgoing...) {
		if !isASCIIHost(s.Host) {
			return nil, a.fail(Unwritable, s.Host)
		}
	}
	if !isASCIIHost(domain) {
		return nil, a.fail(Unwritable, domain)
	}
	display := a.ProviderName
	if display == "" {
		display = domain
	}

	var b strings.Builder
	b.WriteString(xml.Header)
	var notes []string
	notes = append(notes, a.madeBy(), textTBHost.In(a.Lang, domain, domain, domain), textTBISP.In(a.Lang, domain))
	if a.CAFile != "" {
		notes = append(notes, textTBCA.In(a.Lang, a.CAFile))
	}
	for _, p := range a.Pins {
		notes = append(notes, textTBPin.In(a.Lang, p))
	}
	if a.oauth() {
		notes = append(notes, textTBOAuth.In(a.Lang))
	}
	notes = append(notes, a.ipNotes(a.in, a.out)...)
	xmlComment(&b, notes...)
	b.WriteString(`<clientConfig version="1.1">` + "\n")
	b.WriteString(`  <emailProvider id="` + xmlEscape(domain) + `">` + "\n")
	element(&b, 4, "domain", domain)
	element(&b, 4, "displayName", display)
	element(&b, 4, "displayShortName", display)
	for _, s := range a.Incoming {
		a.tbServer(&b, "incomingServer", withUser(s, a.Address))
	}
	for _, s := range a.Outgoing {
		a.tbServer(&b, "outgoingServer", withUser(s, a.Address))
	}
	b.WriteString("  </emailProvider>\n</clientConfig>\n")
	return []byte(b.String()), nil
}

func (a *account) tbServer(b *strings.Builder, tag string, s probe.Server) {
	b.WriteString("    <" + tag + ` type="` + string(s.Protocol) + `">` + "\n")
	element(b, 6, "hostname", s.Host)
	element(b, 6, "port", strconv.Itoa(s.Port))
	element(b, 6, "socketType", tbSocket[s.Security])
	auth := "password-cleartext"
	if s.Auth == probe.AuthOAuth2 {
		auth = "OAuth2"
	}
	element(b, 6, "authentication", auth)
	element(b, 6, "username", a.placeholder(s.Username))
	b.WriteString("    </" + tag + ">\n")
}

// tbSocket is Thunderbird's name for each kind of security.
var tbSocket = map[probe.Security]string{probe.TLS: "SSL", probe.StartTLS: "STARTTLS", probe.None: "plain"}

// placeholder writes a user name that derives from the address as
// Thunderbird's placeholder, so that one file serves a whole domain.
func (a *account) placeholder(user string) string {
	switch {
	case strings.EqualFold(user, a.Address):
		return "%EMAILADDRESS%"
	case user == a.localPart():
		return "%EMAILLOCALPART%"
	}
	return user
}

func element(b *strings.Builder, indent int, name, value string) {
	b.WriteString(strings.Repeat(" ", indent) + "<" + name + ">" + xmlEscape(value) + "</" + name + ">\n")
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// xmlComment writes notes as one XML comment, which may not hold "--".
func xmlComment(b *strings.Builder, notes ...string) {
	var c strings.Builder
	commentLines(&c, "  ", notes...)
	b.WriteString("<!--\n" + strings.ReplaceAll(c.String(), "--", "- -") + "-->\n")
}
