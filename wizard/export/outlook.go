package export

import (
	"strconv"
	"strings"

	"github.com/postino/postino/probe"
)

var (
	textODHost  = text{"This is an Autodiscover (POX) answer for %s. Serve it at https://autodiscover.%s/autodiscover/autodiscover.xml in answer to Outlook's POST; a server answering for several people must put each one's own LoginName.", "Questa è una risposta Autodiscover (POX) per %s. Servila su https://autodiscover.%s/autodiscover/autodiscover.xml in risposta al POST di Outlook; un server che risponde per più persone deve indicare il LoginName di ciascuna."}
	textODSteps = text{"Recent Outlook versions may skip Autodiscover for IMAP and POP accounts: then follow the steps of postino's outlook-steps export.", "Le versioni recenti di Outlook possono ignorare Autodiscover per gli account IMAP e POP: in tal caso segui i passi dell'esportazione outlook-steps di postino."}
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
	a, err := prepare(in, "outlook", true, true, false, false)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	xmlComment(&b, textMadeBy.in(a.Lang, a.Address), textODHost.in(a.Lang, a.Address, a.domain()), textODSteps.in(a.Lang))
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
	textStepsTitle   = text{"Setting up %s in Outlook", "Configurare %s in Outlook"}
	textStepsValues  = text{"The settings", "Le impostazioni"}
	textStepsWindows = text{"Outlook for Windows (classic Outlook and the new Outlook)", "Outlook per Windows (Outlook classico e il nuovo Outlook)"}
	textStepsMac     = text{"Outlook for Mac", "Outlook per Mac"}
	textStepsPwd     = text{"Type the password when Outlook asks for it; postino does not put it in this file.", "Digita la password quando Outlook la chiede; postino non la mette in questo file."}
	textStepsTest    = text{"postino tested these settings on %s: %s", "postino ha verificato queste impostazioni il %s: %s"}
	textStepsAllOK   = text{"they all work.", "funzionano tutte."}
	textStepsSomeBad = text{"some did not work; see postino export NAME --format report.", "alcune non hanno funzionato; vedi postino export NOME --format report."}

	textRowAddress  = text{"Email address", "Indirizzo email"}
	textRowType     = text{"Account type", "Tipo di account"}
	textRowIncoming = text{"Incoming mail server", "Server posta in arrivo"}
	textRowOutgoing = text{"Outgoing mail server (SMTP)", "Server posta in uscita (SMTP)"}
	textRowPort     = text{"port", "porta"}
	textRowEnc      = text{"encryption", "crittografia"}
	textRowUser     = text{"User name", "Nome utente"}
	textRowSPA      = text{"Secure Password Authentication (SPA)", "Autenticazione password di protezione (SPA)"}
	textRowSPAOff   = text{"off", "disattivata"}
	textRowAuth     = text{"The outgoing server requires authentication", "Il server della posta in uscita richiede l'autenticazione"}
	textRowAuthOn   = text{"on, same settings as the incoming server", "sì, con le stesse impostazioni del server in arrivo"}
	textRowAuthUser = text{"on, user name %s", "sì, nome utente %s"}

	stepsWindows = []text{
		{"Open Outlook and choose File, then Add Account (in the new Outlook: Settings, Accounts, Add account).", "Apri Outlook e scegli File, poi Aggiungi account (nel nuovo Outlook: Impostazioni, Account, Aggiungi account)."},
		{"Type %s, open Advanced options, tick \"Let me set up my account manually\" and choose Connect.", "Digita %s, apri Opzioni avanzate, seleziona \"Configura manualmente l'account\" e scegli Connetti."},
		{"Choose %s.", "Scegli %s."},
		{"Incoming mail: server %s, port %d, encryption method %s; leave \"Require logon using Secure Password Authentication (SPA)\" unticked.", "Posta in arrivo: server %s, porta %d, metodo di crittografia %s; lascia deselezionato \"Richiedi accesso con autenticazione password di protezione (SPA)\"."},
		{"Outgoing mail: server %s, port %d, encryption method %s; SPA unticked.", "Posta in uscita: server %s, porta %d, metodo di crittografia %s; SPA deselezionato."},
		{"Choose Next, type the password and choose Connect.", "Scegli Avanti, digita la password e scegli Connetti."},
	}
	stepsMac = []text{
		{"Open Outlook and choose Outlook, Settings, Accounts, then + and New Account.", "Apri Outlook e scegli Outlook, Impostazioni, Account, poi + e Nuovo account."},
		{"Type %s and choose Continue; if Outlook offers a provider, choose \"Not your provider?\" and then %s.", "Digita %s e scegli Continua; se Outlook propone un provider, scegli \"Non è il tuo provider?\" e poi %s."},
		{"User name %s and the password.", "Nome utente %s e la password."},
		{"Incoming server %s, port %d; \"Use SSL to connect\": %s.", "Server in arrivo %s, porta %d; \"Usa SSL per la connessione\": %s."},
		{"Outgoing server %s, port %d; \"Use SSL to connect\": %s.", "Server in uscita %s, porta %d; \"Usa SSL per la connessione\": %s."},
		{"Choose Add Account.", "Scegli Aggiungi account."},
	}
	textYes = text{"on", "sì"}
	textNo  = text{"off", "no"}
)

// OutlookSteps is step-by-step instructions for setting the account up by
// hand in Outlook for Windows and for Mac, with the values filled in.
func OutlookSteps(in Input) ([]byte, error) {
	a, err := prepare(in, "outlook-steps", true, true, false, false)
	if err != nil {
		return nil, err
	}
	l := a.Lang
	kind := strings.ToUpper(string(a.in.Protocol))
	var b strings.Builder
	title := textStepsTitle.in(l, a.Address)
	b.WriteString(title + "\n" + strings.Repeat("=", len([]rune(title))) + "\n\n")
	b.WriteString(textStepsValues.in(l) + ":\n")
	row := func(k, v string) { b.WriteString("  " + k + ": " + v + "\n") }
	row(textRowAddress.in(l), a.Address)
	row(textRowType.in(l), kind)
	row(textRowIncoming.in(l), a.in.Host+", "+textRowPort.in(l)+" "+strconv.Itoa(a.in.Port)+", "+textRowEnc.in(l)+" "+a.in.Security.Describe(l))
	row(textRowOutgoing.in(l), a.out.Host+", "+textRowPort.in(l)+" "+strconv.Itoa(a.out.Port)+", "+textRowEnc.in(l)+" "+a.out.Security.Describe(l))
	row(textRowUser.in(l), a.in.Username)
	row(textRowSPA.in(l), textRowSPAOff.in(l))
	if a.out.Username == a.in.Username {
		row(textRowAuth.in(l), textRowAuthOn.in(l))
	} else {
		row(textRowAuth.in(l), textRowAuthUser.in(l, a.out.Username))
	}
	b.WriteString("\n" + textStepsPwd.in(l) + "\n")
	for _, s := range []*probe.Server{a.in, a.out} {
		if s.Security == probe.None {
			b.WriteString(textCleartext.in(l, s.String()) + "\n")
		}
	}
	section := func(name string) { b.WriteString("\n" + name + "\n" + strings.Repeat("-", len([]rune(name))) + "\n") }
	step := func(n int, s string) { b.WriteString(strconv.Itoa(n) + ". " + s + "\n") }

	section(textStepsWindows.in(l))
	step(1, stepsWindows[0].in(l))
	step(2, stepsWindows[1].in(l, a.Address))
	step(3, stepsWindows[2].in(l, kind))
	step(4, stepsWindows[3].in(l, a.in.Host, a.in.Port, a.in.Security.Describe(l)))
	step(5, stepsWindows[4].in(l, a.out.Host, a.out.Port, a.out.Security.Describe(l)))
	step(6, stepsWindows[5].in(l))

	ssl := func(s *probe.Server) string {
		if s.Security == probe.None {
			return textNo.in(l)
		}
		return textYes.in(l)
	}
	section(textStepsMac.in(l))
	step(1, stepsMac[0].in(l))
	step(2, stepsMac[1].in(l, a.Address, kind))
	step(3, stepsMac[2].in(l, a.in.Username))
	step(4, stepsMac[3].in(l, a.in.Host, a.in.Port, ssl(a.in)))
	step(5, stepsMac[4].in(l, a.out.Host, a.out.Port, ssl(a.out)))
	step(6, stepsMac[5].in(l))

	if len(a.Results) > 0 && !a.TestedAt.IsZero() {
		verdict := textStepsSomeBad.in(l)
		if probe.Passed(a.Results) {
			verdict = textStepsAllOK.in(l)
		}
		b.WriteString("\n" + textStepsTest.in(l, a.TestedAt.Format("2006-01-02 15:04"), verdict) + "\n")
	}
	return []byte(b.String()), nil
}
