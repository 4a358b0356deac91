package export

import (
	"strconv"
	"strings"

	"github.com/postino/postino/probe"
)

var (
	textODCA    = probe.Text{EN: "Outlook checks certificates against the system's store, not a file: first install the authority in %[1]s as a trusted root. On Windows: certutil -user -addstore Root %[1]s (or open the file, Install Certificate, Trusted Root Certification Authorities). On a Mac: security add-trusted-cert -r trustRoot -k ~/Library/Keychains/login.keychain-db %[1]s (or add it to the login keychain in Keychain Access and set it to Always Trust).", IT: "Outlook verifica i certificati con l'archivio del sistema, non con un file: installa prima l'autorità in %[1]s come radice attendibile. Su Windows: certutil -user -addstore Root %[1]s (oppure apri il file, Installa certificato, Autorità di certificazione radice attendibili). Su Mac: security add-trusted-cert -r trustRoot -k ~/Library/Keychains/login.keychain-db %[1]s (oppure aggiungilo al portachiavi login in Accesso Portachiavi e impostalo su Fidati sempre)."}
	textODHost  = probe.Text{EN: "This is an Autodiscover (POX) answer for %s. Serve it at https://autodiscover.%s/autodiscover/autodiscover.xml in answer to Outlook's POST; a server answering for several people must put each one's own LoginName.", IT: "Questa è una risposta Autodiscover (POX) per %s. Servila su https://autodiscover.%s/autodiscover/autodiscover.xml in risposta al POST di Outlook; un server che risponde per più persone deve indicare il LoginName di ciascuna."}
	textODOAuth = probe.Text{EN: "Outlook signs in with OAuth2 (Modern Authentication) by itself for Microsoft and Google accounts: it opens the provider's sign-in page, and no password is typed. To another provider's server that takes only OAuth2 it cannot sign in.", IT: "Outlook accede con OAuth2 (autenticazione moderna) da solo per gli account Microsoft e Google: apre la pagina di accesso del provider, e non si digita alcuna password. Non sa invece accedere al server di un altro provider che accetta solo OAuth2."}
	textODSteps = probe.Text{EN: "Recent Outlook versions may skip Autodiscover for IMAP and POP accounts: then follow the steps of postino's outlook-steps export.", IT: "Le versioni recenti di Outlook possono ignorare Autodiscover per gli account IMAP e POP: in tal caso segui i passi dell'esportazione outlook-steps di postino."}
)

// Outlook is the account as an Autodiscover (POX) response, the file an
// administrator hosts so that Outlook finds the settings by itself. Only
// the preferred servers are given: Outlook takes the first of each kind.
//
// SSL says whether TLS is used at all and Encryption how: SSL for implicit
// TLS, TLS for STARTTLS. An Outlook that knows Encryption follows it; one
// that does not reads SSL on and tries implicit TLS, which fails on a
// STARTTLS port rather than sending the password unencrypted.
func Outlook(in Input) ([]byte, error) {
	a, err := prepare(in, "outlook", true, true, false, true)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	notes := []string{a.madeBy(), textODHost.In(a.Lang, a.Address, a.domain()), textODSteps.In(a.Lang)}
	if a.in.Auth == probe.AuthOAuth2 || a.out.Auth == probe.AuthOAuth2 {
		notes = append(notes, textODOAuth.In(a.Lang))
	}
	if a.CAFile != "" {
		notes = append(notes, textODCA.In(a.Lang, a.CAFile))
	}
	notes = append(notes, a.ipNotes(a.in, a.out)...)
	xmlComment(&b, notes...)
	b.WriteString(`<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">` + "\n")
	b.WriteString(`  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">` + "\n")
	if a.DisplayName != "" {
		b.WriteString("    <User>\n")
		element(&b, 6, "DisplayName", a.DisplayName)
		b.WriteString("    </User>\n")
	}
	b.WriteString("    <Account>\n")
	element(&b, 6, "AccountType", "email")
	element(&b, 6, "Action", "settings")
	for _, s := range []*probe.Server{a.in, a.out} {
		b.WriteString("      <Protocol>\n")
		element(&b, 8, "Type", strings.ToUpper(string(s.Protocol)))
		element(&b, 8, "Server", s.Host)
		element(&b, 8, "Port", strconv.Itoa(s.Port))
		element(&b, 8, "DomainRequired", "off")
		element(&b, 8, "LoginName", s.Username)
		element(&b, 8, "SPA", "off")
		element(&b, 8, "SSL", onOff(s.Security != probe.None))
		element(&b, 8, "Encryption", odEncryption[s.Security])
		element(&b, 8, "AuthRequired", "on")
		if s.Protocol == probe.SMTP {
			element(&b, 8, "UsePOPAuth", "off")
			element(&b, 8, "SMTPLast", "off")
		}
		b.WriteString("      </Protocol>\n")
	}
	b.WriteString("    </Account>\n  </Response>\n</Autodiscover>\n")
	return []byte(b.String()), nil
}

// odEncryption is Autodiscover's name for each kind of security.
var odEncryption = map[probe.Security]string{probe.TLS: "SSL", probe.StartTLS: "TLS", probe.None: "None"}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

var (
	textStepsTitle   = probe.Text{EN: "Setting up %s in Outlook", IT: "Configurare %s in Outlook"}
	textStepsValues  = probe.Text{EN: "The settings", IT: "Le impostazioni"}
	textStepsWindows = probe.Text{EN: "Outlook for Windows (classic Outlook and the new Outlook)", IT: "Outlook per Windows (Outlook classico e il nuovo Outlook)"}
	textStepsMac     = probe.Text{EN: "Outlook for Mac", IT: "Outlook per Mac"}
	textStepsPwd     = probe.Text{EN: "Type the password when Outlook asks for it; postino does not put it in this file.", IT: "Digita la password quando Outlook la chiede; postino non la mette in questo file."}
	textStepsTest    = probe.Text{EN: "postino tested these settings on %s: %s", IT: "postino ha verificato queste impostazioni il %s: %s"}
	textStepsAllOK   = probe.Text{EN: "they all work.", IT: "funzionano tutte."}
	textStepsSomeBad = probe.Text{EN: "some did not work; see postino export NAME --format report.", IT: "alcune non hanno funzionato; vedi postino export NOME --format report."}

	textRowAddress  = probe.Text{EN: "Email address", IT: "Indirizzo email"}
	textRowName     = probe.Text{EN: "Your name", IT: "Il tuo nome"}
	textRowType     = probe.Text{EN: "Account type", IT: "Tipo di account"}
	textRowIncoming = probe.Text{EN: "Incoming mail server", IT: "Server posta in arrivo"}
	textRowOutgoing = probe.Text{EN: "Outgoing mail server (SMTP)", IT: "Server posta in uscita (SMTP)"}
	textRowPort     = probe.Text{EN: "port", IT: "porta"}
	textRowEnc      = probe.Text{EN: "encryption", IT: "crittografia"}
	textRowUser     = probe.Text{EN: "User name", IT: "Nome utente"}
	textRowSPA      = probe.Text{EN: "Secure Password Authentication (SPA)", IT: "Autenticazione password di protezione (SPA)"}
	textRowSPAOff   = probe.Text{EN: "off", IT: "disattivata"}
	textRowAuth     = probe.Text{EN: "The outgoing server requires authentication", IT: "Il server della posta in uscita richiede l'autenticazione"}
	textRowAuthOn   = probe.Text{EN: "on, same settings as the incoming server", IT: "sì, con le stesse impostazioni del server in arrivo"}
	textRowAuthUser = probe.Text{EN: "on, user name %s", IT: "sì, nome utente %s"}

	stepsWindows = []probe.Text{
		{EN: "Open Outlook and choose File, then Add Account (in the new Outlook: Settings, Accounts, Add account).", IT: "Apri Outlook e scegli File, poi Aggiungi account (nel nuovo Outlook: Impostazioni, Account, Aggiungi account)."},
		{EN: "Type %s, open Advanced options, tick \"Let me set up my account manually\" and choose Connect.", IT: "Digita %s, apri Opzioni avanzate, seleziona \"Configura manualmente l'account\" e scegli Connetti."},
		{EN: "Choose %s.", IT: "Scegli %s."},
		{EN: "Incoming mail: server %s, port %d, encryption method %s; leave \"Require logon using Secure Password Authentication (SPA)\" unticked.", IT: "Posta in arrivo: server %s, porta %d, metodo di crittografia %s; lascia deselezionato \"Richiedi accesso con autenticazione password di protezione (SPA)\"."},
		{EN: "Outgoing mail: server %s, port %d, encryption method %s; SPA unticked.", IT: "Posta in uscita: server %s, porta %d, metodo di crittografia %s; SPA deselezionato."},
		{EN: "Choose Next, type the password and choose Connect.", IT: "Scegli Avanti, digita la password e scegli Connetti."},
	}
	stepsMac = []probe.Text{
		{EN: "Open Outlook and choose Outlook, Settings, Accounts, then + and New Account.", IT: "Apri Outlook e scegli Outlook, Impostazioni, Account, poi + e Nuovo account."},
		{EN: "Type %s and choose Continue; if Outlook offers a provider, choose \"Not your provider?\" and then %s.", IT: "Digita %s e scegli Continua; se Outlook propone un provider, scegli \"Non è il tuo provider?\" e poi %s."},
		{EN: "User name %s and the password.", IT: "Inserisci il nome utente %s e la password."},
		{EN: "Incoming server %s, port %d; \"Use SSL to connect\": %s.", IT: "Server in arrivo %s, porta %d; \"Usa SSL per la connessione\": %s."},
		{EN: "Outgoing server %s, port %d; \"Use SSL to connect\": %s.", IT: "Server in uscita %s, porta %d; \"Usa SSL per la connessione\": %s."},
		{EN: "Choose Add Account.", IT: "Scegli Aggiungi account."},
	}
	// stepsOAuth replace the last steps when a server signs in with
	// OAuth2: Outlook then finds the provider and signs in by itself.
	stepsOAuth = []probe.Text{
		{EN: "Type %s and choose Connect, without setting the account up manually.", IT: "Digita %s e scegli Connetti, senza configurare l'account manualmente."},
		{EN: "Type %s and choose Continue.", IT: "Digita %s e scegli Continua."},
		{EN: "Outlook opens the sign-in page of %s: sign in there and allow Outlook to use your mail. No password is typed in Outlook.", IT: "Outlook apre la pagina di accesso di %s: accedi lì e consenti a Outlook di usare la tua posta. In Outlook non si digita alcuna password."},
	}
	textStepsOAuth = probe.Text{EN: "This account signs in with OAuth2. Outlook does that by itself (Modern Authentication) for Microsoft and Google accounts; for another provider's server that takes only OAuth2, Outlook cannot sign in.", IT: "Questo account accede con OAuth2. Outlook lo fa da solo (autenticazione moderna) per gli account Microsoft e Google; non sa invece accedere al server di un altro provider che accetta solo OAuth2."}
	textYes        = probe.Text{EN: "on", IT: "sì"}
	textNo         = probe.Text{EN: "off", IT: "no"}
)

// OutlookSteps is step-by-step instructions for setting the account up by
// hand in Outlook for Windows and for Mac, with the values filled in.
func OutlookSteps(in Input) ([]byte, error) {
	a, err := prepare(in, "outlook-steps", true, true, false, true)
	if err != nil {
		return nil, err
	}
	l := a.Lang
	kind := strings.ToUpper(string(a.in.Protocol))
	var b strings.Builder
	title := textStepsTitle.In(l, a.Address)
	b.WriteString(title + "\n" + strings.Repeat("=", len([]rune(title))) + "\n\n")
	b.WriteString(textStepsValues.In(l) + ":\n")
	row := func(k, v string) { b.WriteString("  " + k + ": " + v + "\n") }
	row(textRowAddress.In(l), a.Address)
	if a.DisplayName != "" {
		row(textRowName.In(l), a.DisplayName)
	}
	row(textRowType.In(l), kind)
	row(textRowIncoming.In(l), a.in.Host+", "+textRowPort.In(l)+" "+strconv.Itoa(a.in.Port)+", "+textRowEnc.In(l)+" "+a.in.Security.Describe(l))
	row(textRowOutgoing.In(l), a.out.Host+", "+textRowPort.In(l)+" "+strconv.Itoa(a.out.Port)+", "+textRowEnc.In(l)+" "+a.out.Security.Describe(l))
	row(textRowUser.In(l), a.in.Username)
	row(textRowSPA.In(l), textRowSPAOff.In(l))
	if a.out.Username == a.in.Username {
		row(textRowAuth.In(l), textRowAuthOn.In(l))
	} else {
		row(textRowAuth.In(l), textRowAuthUser.In(l, a.out.Username))
	}
	oauth := a.in.Auth == probe.AuthOAuth2 || a.out.Auth == probe.AuthOAuth2
	if oauth {
		b.WriteString("\n" + textStepsOAuth.In(l) + "\n")
	} else {
		b.WriteString("\n" + textStepsPwd.In(l) + "\n")
	}
	if a.CAFile != "" {
		b.WriteString(textODCA.In(l, a.CAFile) + "\n")
	}
	for _, s := range []*probe.Server{a.in, a.out} {
		if s.Security == probe.None {
			b.WriteString(textCleartext.In(l, s.String()) + "\n")
		}
	}
	section := func(name string) { b.WriteString("\n" + name + "\n" + strings.Repeat("-", len([]rune(name))) + "\n") }
	step := func(n int, s string) { b.WriteString(strconv.Itoa(n) + ". " + s + "\n") }

	provider := a.ProviderName
	if provider == "" {
		provider = a.domain()
	}
	section(textStepsWindows.In(l))
	step(1, stepsWindows[0].In(l))
	if oauth {
		step(2, stepsOAuth[0].In(l, a.Address))
		step(3, stepsOAuth[2].In(l, provider))
		section(textStepsMac.In(l))
		step(1, stepsMac[0].In(l))
		step(2, stepsOAuth[1].In(l, a.Address))
		step(3, stepsOAuth[2].In(l, provider))
		a.stepsTested(&b)
		return []byte(b.String()), nil
	}
	step(2, stepsWindows[1].In(l, a.Address))
	step(3, stepsWindows[2].In(l, kind))
	step(4, stepsWindows[3].In(l, a.in.Host, a.in.Port, a.in.Security.Describe(l)))
	step(5, stepsWindows[4].In(l, a.out.Host, a.out.Port, a.out.Security.Describe(l)))
	step(6, stepsWindows[5].In(l))

	ssl := func(s *probe.Server) string {
		if s.Security == probe.None {
			return textNo.In(l)
		}
		return textYes.In(l)
	}
	section(textStepsMac.In(l))
	step(1, stepsMac[0].In(l))
	step(2, stepsMac[1].In(l, a.Address, kind))
	step(3, stepsMac[2].In(l, a.in.Username))
	step(4, stepsMac[3].In(l, a.in.Host, a.in.Port, ssl(a.in)))
	step(5, stepsMac[4].In(l, a.out.Host, a.out.Port, ssl(a.out)))
	step(6, stepsMac[5].In(l))
	a.stepsTested(&b)
	return []byte(b.String()), nil
}

// stepsTested ends the steps with the latest test's verdict, if any.
func (a *account) stepsTested(b *strings.Builder) {
	if len(a.Results) > 0 && !a.TestedAt.IsZero() {
		verdict := textStepsSomeBad.In(a.Lang)
		if probe.Passed(a.Results) {
			verdict = textStepsAllOK.In(a.Lang)
		}
		b.WriteString("\n" + textStepsTest.In(a.Lang, a.TestedAt.Format("2006-01-02 15:04"), verdict) + "\n")
	}
}
