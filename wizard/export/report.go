package export

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/postino/postino/probe"
)

var (
	textRepTitle      = probe.Text{EN: "postino report: %s", IT: "Rapporto di postino: %s"}
	textRepDate       = probe.Text{EN: "Date", IT: "Data"}
	textRepName       = probe.Text{EN: "Account name", IT: "Nome dell'account"}
	textRepAddress    = probe.Text{EN: "Address", IT: "Indirizzo"}
	textRepPerson     = probe.Text{EN: "Name", IT: "Nome"}
	textRepProvider   = probe.Text{EN: "Provider", IT: "Provider"}
	textRepHelp       = probe.Text{EN: "Provider's help", IT: "Guida del provider"}
	textRepSeeHelp    = probe.Text{EN: "see your provider's help pages", IT: "consulta le pagine di aiuto del provider"}
	textRepNoProvider = probe.Text{EN: "not recognised", IT: "non riconosciuto"}
	textRepUnknownPrv = probe.Text{EN: "unknown", IT: "sconosciuto"}
	textRepSource     = probe.Text{EN: "Settings found in", IT: "Impostazioni trovate in"}
	textRepSettings   = probe.Text{EN: "Settings", IT: "Impostazioni"}
	textRepHeader     = probe.Text{EN: "| Role | Protocol | Server | Port | Encryption | User name | Login | Source |", IT: "| Ruolo | Protocollo | Server | Porta | Cifratura | Nome utente | Accesso | Fonte |"}
	textRepTrust      = probe.Text{EN: "Trust", IT: "Fiducia"}
	textRepSystemCA   = probe.Text{EN: "Certificates are checked against the system's authorities.", IT: "I certificati sono verificati con le autorità del sistema."}
	textRepPins       = probe.Text{EN: "Certificates trusted by SHA-256 fingerprint", IT: "Certificati ritenuti attendibili per impronta SHA-256"}
	textRepTest       = probe.Text{EN: "Latest test", IT: "Ultima prova"}
	textRepSaved      = probe.Text{EN: "Run on %s and saved with the account.", IT: "Eseguita il %s e salvata con l'account."}
	textRepSavedApart = probe.Text{EN: "Saved with the account: the incoming servers were tested on %s, the outgoing ones on %s.", IT: "Salvato con l'account: i server in arrivo sono stati provati il %s, quelli in uscita il %s."}
	textRepFresh      = probe.Text{EN: "Run for this report on %s.", IT: "Eseguita per questo rapporto il %s."}
	textRepNoCred     = probe.Text{EN: "postino had no password or sign-in for this test, so it tested the connection and TLS, not the login.", IT: "postino non aveva una password né un accesso salvato per questa prova, quindi ha provato la connessione e il TLS, non l'accesso."}
	textRepStatus     = probe.Text{EN: "Status", IT: "Stato"}
	textRepNotVerif   = probe.Text{EN: "not verified: saved although its test failed", IT: "non verificato: salvato anche se la prova non è riuscita"}
	textRepNoTest     = probe.Text{EN: "No test results are available.", IT: "Nessun risultato di prova disponibile."}
	textRepTLS        = probe.Text{EN: "TLS", IT: "TLS"}
	textRepVerified   = probe.Text{EN: "certificate verified by an authority", IT: "certificato verificato da un'autorità"}
	textRepPinnedOK   = probe.Text{EN: "certificate trusted by its fingerprint", IT: "certificato ritenuto attendibile per la sua impronta"}
	textRepUnverified = probe.Text{EN: "certificate not trusted", IT: "certificato non attendibile"}
	textRepCert       = probe.Text{EN: "Certificate", IT: "Certificato"}
	textRepCertLine   = probe.Text{EN: "%s, issued by %s, valid until %s, SHA-256 %s", IT: "%s, emesso da %s, valido fino al %s, SHA-256 %s"}
	textRepSoftware   = probe.Text{EN: "Server software", IT: "Software del server"}
	textRepMechs      = probe.Text{EN: "Login methods offered", IT: "Metodi di accesso offerti"}
	textRepElapsed    = probe.Text{EN: "Time", IT: "Tempo"}
	textRepWhy        = probe.Text{EN: "Why", IT: "Perché"}
	textRepToDo       = probe.Text{EN: "What to do", IT: "Cosa fare"}
	textRepAllGood    = probe.Text{EN: "All settings work.", IT: "Tutte le impostazioni funzionano."}
	textRepNoLogin    = probe.Text{EN: "The connection and TLS work; the login was not tested.", IT: "La connessione e il TLS funzionano; l'accesso non è stato provato."}
	textRepSomeBad    = probe.Text{EN: "Some settings do not work.", IT: "Alcune impostazioni non funzionano."}
	textRepSecrets    = probe.Text{EN: "This report holds no password or other secret.", IT: "Questo rapporto non contiene password né altri segreti."}
	textRepFallback   = probe.Text{EN: "fallback", IT: "alternativa"}
	textRepUnknown    = probe.Text{EN: "unknown", IT: "sconosciuta"}

	roleNames = map[probe.Role]probe.Text{probe.Incoming: {EN: "incoming", IT: "in arrivo"}, probe.Outgoing: {EN: "outgoing", IT: "in uscita"}}
	authNames = map[probe.Auth]probe.Text{
		probe.AuthPassword:    {EN: "password", IT: "password"},
		probe.AuthAppPassword: {EN: "app password", IT: "password per le app"},
		probe.AuthOAuth2:      {EN: "OAuth2", IT: "OAuth2"},
	}
	sourceNames = map[string]probe.Text{
		"providers":    {EN: "postino's provider list", IT: "l'elenco dei provider di postino"},
		"autoconfig":   {EN: "the provider's autoconfig file", IT: "il file autoconfig del provider"},
		"ispdb":        {EN: "Thunderbird's ISP database", IT: "il database dei provider di Thunderbird"},
		"autodiscover": {EN: "the domain's Exchange Autodiscover service", IT: "il servizio Autodiscover Exchange del dominio"},
		"mx":           {EN: "the domain's MX records", IT: "i record MX del dominio"},
		"srv":          {EN: "the domain's SRV records (RFC 6186)", IT: "i record SRV del dominio (RFC 6186)"},
		"guess":        {EN: "a guess at the usual server names", IT: "un tentativo con i nomi di server consueti"},
		"manual":       {EN: "settings entered by hand", IT: "impostazioni inserite a mano"},
	}
)

// Report is a help-desk report in Markdown: the account, every setting and
// where it came from, the trust in certificates, and the latest test with
// its diagnosis. It holds no secret.
func Report(in Input) ([]byte, error) {
	a, err := prepare(in, "report", false, false, false, true)
	if err != nil {
		return nil, err
	}
	l := a.Lang
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# %s\n\n", md(textRepTitle.In(l, a.Address)))
	p("- %s: %s\n", textRepDate.In(l), reportTime(a.Now))
	p("- postino: %s\n", md(a.Version))
	p("- %s: %s\n", textRepName.In(l), code(a.Name))
	p("- %s: %s\n", textRepAddress.In(l), code(a.Address))
	if a.DisplayName != "" {
		p("- %s: %s\n", textRepPerson.In(l), md(a.DisplayName))
	}
	provider := textRepNoProvider.In(l)
	switch {
	case a.ProviderID != "" || a.ProviderName != "":
		provider = md(a.ProviderName) + " (" + code(a.ProviderID) + ")"
	case a.Source == "":
		// An account saved before postino kept its provider.
		provider = textRepUnknownPrv.In(l)
	}
	p("- %s: %s\n", textRepProvider.In(l), provider)
	switch page, ok := a.helpPage(); {
	case !ok:
		p("- %s: %s\n", textRepHelp.In(l), textRepSeeHelp.In(l))
	case page != "":
		p("- %s: <%s>\n", textRepHelp.In(l), page)
	}
	p("- %s: %s\n", textRepSource.In(l), a.sourceName())
	if a.Unverified {
		p("- %s: **%s**\n", textRepStatus.In(l), textRepNotVerif.In(l))
	}

	p("\n## %s\n\n%s\n|---|---|---|---|---|---|---|---|\n", textRepSettings.In(l), textRepHeader.In(l))
	for _, role := range []struct {
		role    probe.Role
		servers []probe.Server
	}{{probe.Incoming, a.Incoming}, {probe.Outgoing, a.Outgoing}} {
		for i, s := range role.servers {
			s = withUser(s, a.Address)
			name := roleNames[role.role].In(l)
			if i > 0 {
				name += " (" + textRepFallback.In(l) + ")"
			}
			p("| %s | %s | %s | %d | %s | %s | %s | %s |\n", name, strings.ToUpper(string(s.Protocol)), code(s.Host), s.Port,
				s.Security.Describe(l), code(s.Username), authNames[s.Auth].In(l), a.sourceName())
		}
	}

	p("\n## %s\n\n", textRepTrust.In(l))
	if a.CAFile != "" {
		p("- %s\n", md(textCAFile.In(l, a.CAFile)))
	} else {
		p("- %s\n", textRepSystemCA.In(l))
	}
	if len(a.Pins) > 0 {
		p("- %s:\n", textRepPins.In(l))
		for _, pin := range a.Pins {
			p("  - %s\n", code(pin.String()))
		}
	}

	p("\n## %s\n\n", textRepTest.In(l))
	switch {
	case len(a.Results) == 0:
		p("%s\n", textRepNoTest.In(l))
	case a.Fresh:
		p("%s\n", textRepFresh.In(l, reportTime(a.TestedAt)))
	case len(a.RoleTestedAt) > 1:
		p("%s\n", textRepSavedApart.In(l, reportTime(a.testedAt(probe.Incoming)), reportTime(a.testedAt(probe.Outgoing))))
	default:
		p("%s\n", textRepSaved.In(l, reportTime(a.TestedAt)))
	}
	if len(a.Results) > 0 && a.NoCredential {
		p("\n%s\n", textRepNoCred.In(l))
	}
	seen := map[probe.Role]bool{}
	for _, r := range a.Results {
		a.reportResult(&b, r, seen[r.Role])
		seen[r.Role] = true
	}
	if len(a.Results) > 0 {
		verdict := textRepSomeBad.In(l)
		switch {
		case probe.Passed(a.Results) && !probe.LoginTested(a.Results):
			verdict = textRepNoLogin.In(l)
		case probe.Passed(a.Results):
			verdict = textRepAllGood.In(l)
		}
		p("\n**%s**\n", verdict)
	}
	p("\n%s\n", textRepSecrets.In(l))
	return []byte(b.String()), nil
}

// reportTime is a time as the report shows it, to the minute in UTC.
func reportTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 MST") }

func (a *account) reportResult(b *strings.Builder, r probe.Result, fallback bool) {
	l := a.Lang
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	x := probe.Explain(r, a.Results, l)
	mark := "✓"
	if !r.OK {
		mark = "✗"
	}
	role := roleNames[r.Role].In(l)
	if fallback {
		role += " (" + textRepFallback.In(l) + ")"
	}
	p("\n### %s %s %s %s (%s)\n\n", mark, role, strings.ToUpper(string(r.Server.Protocol)), code(r.Server.Address()), r.Server.Security.Describe(l))
	p("%s\n\n", md(x.What))
	if !r.OK && x.Why != "" {
		p("- %s: %s\n", textRepWhy.In(l), md(x.Why))
	}
	if !r.OK && len(x.Fix) > 0 {
		p("- %s:\n", textRepToDo.In(l))
		for i, f := range x.Fix {
			p("  %d. %s\n", i+1, md(f))
		}
	}
	if t := r.TLS; t != nil && t.Version != "" {
		trust := textRepUnverified.In(l)
		switch {
		case t.Verified:
			trust = textRepVerified.In(l)
		case t.Pinned:
			trust = textRepPinnedOK.In(l)
		}
		p("- %s: %s, %s, %s\n", textRepTLS.In(l), t.Version, code(t.Cipher), trust)
	}
	if r.TLS != nil && r.TLS.Certificate != nil {
		c := r.TLS.Certificate
		p("- %s: %s\n", textRepCert.In(l), textRepCertLine.In(l, md(c.Subject), md(c.Issuer), c.NotAfter.UTC().Format(time.DateOnly), code(c.SHA256)))
	}
	if r.Software != "" {
		p("- %s: %s\n", textRepSoftware.In(l), md(r.Software))
	}
	if len(r.AuthMechanisms) > 0 {
		p("- %s: %s\n", textRepMechs.In(l), code(strings.Join(r.AuthMechanisms, " ")))
	}
	p("- %s: %s ms\n", textRepElapsed.In(l), strconv.FormatInt(r.ElapsedMS, 10))
	for _, n := range x.Notes {
		p("- %s\n", md(n))
	}
}

func (a *account) sourceName() string {
	if t, ok := sourceNames[a.Source]; ok {
		return t.In(a.Lang)
	}
	if a.Source != "" {
		return md(a.Source)
	}
	return textRepUnknown.In(a.Lang)
}

// md escapes text for Markdown, so that a server's words cannot format or
// link anything.
func md(s string) string {
	return mdEscaper.Replace(s)
}

var mdEscaper = strings.NewReplacer(`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`, `<`, `&lt;`, `>`, `&gt;`, `|`, `\|`, `#`, `\#`, "\n", " ", "\r", " ")

// code is a value in a code span; a value holding a backtick is escaped
// as text instead, since no code span can contain one safely.
func code(s string) string {
	if s == "" {
		return ""
	}
	if strings.ContainsAny(s, "`|\n\r") {
		return md(s)
	}
	return "`" + s + "`"
}

// JSONSchema is the version of the JSON outputs' schemas (docs/json.md),
// the report's and the commands' alike: adding a field keeps it, renaming
// or removing one changes it.
const JSONSchema = 1

// reportJSON is the report for scripts and ticket systems.
type reportJSON struct {
	Schema      int       `json:"schema"`
	Postino     string    `json:"postino"`
	Date        time.Time `json:"date"`
	Name        string    `json:"name"`
	Address     string    `json:"address"`
	DisplayName string    `json:"display_name,omitempty"`
	// Unverified is set for an account saved although its test failed.
	Unverified bool         `json:"unverified,omitempty"`
	Provider   *providerRef `json:"provider"`
	Source     string       `json:"source"`
	Incoming   []setting    `json:"incoming"`
	Outgoing   []setting    `json:"outgoing"`
	CAFile     string       `json:"ca_file,omitempty"`
	Pins       []string     `json:"pins"`
	Test       *testJSON    `json:"test"`
	Secrets    string       `json:"secrets"`
}

type providerRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Docs is the provider's help page, never an autoconfig XML file.
	Docs string `json:"docs,omitempty"`
}

// setting is a server with where it came from.
type setting struct {
	probe.Server
	Source string `json:"source"`
}

// testJSON is the latest test: TestedAt is when its last role was
// tested, each result's own time is in the result.
type testJSON struct {
	TestedAt time.Time `json:"tested_at"`
	Fresh    bool      `json:"fresh"`
	OK       bool      `json:"ok"`
	// LoginTested is false when no password or token was given.
	LoginTested bool         `json:"login_tested"`
	Results     []resultJSON `json:"results"`
}

type resultJSON struct {
	probe.Result
	TestedAt time.Time `json:"tested_at"`
}

// JSON is the report as JSON, with each result's message and advice in
// the chosen language.
func JSON(in Input) ([]byte, error) {
	a, err := prepare(in, "json", false, false, false, true)
	if err != nil {
		return nil, err
	}
	r := reportJSON{
		Schema: JSONSchema, Postino: a.Version, Date: a.Now.UTC(), Name: a.Name, Address: a.Address, DisplayName: a.DisplayName, Unverified: a.Unverified,
		Source: a.Source, CAFile: a.CAFile, Pins: []string{}, Secrets: "none included",
		Incoming: settings(a.Incoming, a.Address, a.Source), Outgoing: settings(a.Outgoing, a.Address, a.Source),
	}
	if a.ProviderID != "" || a.ProviderName != "" {
		page, _ := a.helpPage()
		r.Provider = &providerRef{a.ProviderID, a.ProviderName, page}
	}
	for _, p := range a.Pins {
		r.Pins = append(r.Pins, p.String())
	}
	if len(a.Results) > 0 {
		t := &testJSON{TestedAt: a.TestedAt.UTC(), Fresh: a.Fresh, OK: probe.Passed(a.Results), LoginTested: !a.NoCredential && probe.LoginTested(a.Results)}
		for _, res := range a.Results {
			x := probe.Explain(res, a.Results, a.Lang)
			res.Message = x.Summary()
			res.Advice = x.Fix
			at := a.testedAt(res.Role).UTC()
			if at.After(t.TestedAt) {
				t.TestedAt = at
			}
			t.Results = append(t.Results, resultJSON{res, at})
		}
		r.Test = t
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("export json: %w", err)
	}
	return []byte(b.String()), nil
}

func settings(servers []probe.Server, address, source string) []setting {
	out := make([]setting, 0, len(servers))
	for _, s := range servers {
		out = append(out, setting{withUser(s, address), source})
	}
	return out
}
