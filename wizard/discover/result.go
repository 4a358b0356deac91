package discover

import (
	"fmt"
	"net"
	"strings"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
)

// Result is the settings found for an address. Trusted means they came from
// a curated database or over HTTPS with a verified certificate; otherwise
// the person must confirm them before a password is sent.
type Result struct {
	Address  mailbox.Address
	Provider *providers.Provider // nil when no provider is known
	Source   mailbox.Source
	Trusted  bool
	// Incoming and Outgoing are in order of preference: the first is
	// proposed, the others are fallbacks. Incoming may mix IMAP and POP3.
	Incoming []probe.Server
	Outgoing []probe.Server
	Hints    []probe.Text
}

// Output is a Result as `postino detect --json` prints it, with the hints
// in one language.
type Output struct {
	Address  string         `json:"address"`
	Provider *ProviderName  `json:"provider"`
	Source   mailbox.Source `json:"source"`
	Trusted  bool           `json:"trusted"`
	Incoming []probe.Server `json:"incoming"`
	Outgoing []probe.Server `json:"outgoing"`
	Hints    []HintText     `json:"hints"`
}

// ProviderName identifies a provider in the JSON output.
type ProviderName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// HintText is one hint in the chosen language.
type HintText struct {
	Text string `json:"text"`
}

// JSON is the result for the JSON output, hints in lang;
// lists are never null.
func (r *Result) JSON(lang probe.Lang) Output {
	o := Output{
		Address:  r.Address.String(),
		Source:   r.Source,
		Trusted:  r.Trusted,
		Incoming: append([]probe.Server{}, r.Incoming...),
		Outgoing: append([]probe.Server{}, r.Outgoing...),
		Hints:    []HintText{},
	}
	if r.Provider != nil {
		o.Provider = &ProviderName{ID: r.Provider.ID, Name: r.Provider.Name}
	}
	for _, h := range r.Hints {
		o.Hints = append(o.Hints, HintText{h.In(lang)})
	}
	return o
}

// expand fills in the placeholders of an autoconfig file's host and user
// names for addr; the domain goes in punycode, as on the wire.
func expand(pattern string, addr mailbox.Address) string {
	return strings.NewReplacer(
		providers.EmailAddress, addr.ASCII(),
		providers.EmailLocalPart, addr.Local,
		providers.EmailDomain, addr.ASCIIDomain,
	).Replace(pattern)
}

// hostName checks a server's host name from a file or from DNS and gives
// it in lower-case ASCII; an IP address is accepted as it is.
func hostName(s string) (string, bool) {
	if ip := net.ParseIP(s); ip != nil {
		return ip.String(), true
	}
	ascii, _, err := mailbox.ParseDomain(s)
	return ascii, err == nil
}

// inDomain reports whether host is domain or one of its subdomains.
func inDomain(host, domain string) bool {
	return host == domain || strings.HasSuffix(host, "."+domain)
}

// hint fills a text's %-verbs in both languages.
func hint(t probe.Text, args ...any) probe.Text {
	return probe.Text{EN: fmt.Sprintf(t.EN, args...), IT: fmt.Sprintf(t.IT, args...)}
}

// Hints of discovery itself.
var (
	textEnableAccess = probe.Text{
		EN: "Before postino can connect, switch on access for mail programs (IMAP/POP) at %s",
		IT: "Prima che postino possa collegarsi, attiva l'accesso per i programmi di posta (IMAP/POP) da %s",
	}
	textCleartextOnly = probe.Text{
		EN: "The provider's settings also name %s, a server without encryption: postino does not propose it.",
		IT: "Le impostazioni del provider indicano anche %s, un server senza cifratura: postino non lo propone.",
	}
	textCleartextFallback = probe.Text{
		EN: "The provider also offers %s without encryption; postino lists it last and sends no password over it unless you allow it explicitly.",
		IT: "Il provider offre anche %s senza cifratura; postino lo mette per ultimo e non vi invia la password se non lo permetti esplicitamente.",
	}
	textPlainHTTP = probe.Text{
		EN: "These settings came over an unencrypted connection (HTTP) and could have been altered on the way: check them with your provider before you type your password.",
		IT: "Queste impostazioni sono arrivate su una connessione non cifrata (HTTP) e potrebbero essere state alterate: verificale con il tuo provider prima di scrivere la password.",
	}
	textRedirected = probe.Text{
		EN: "Your domain's autoconfig sent postino on to %s, which gave these settings: check that it is your provider before you type your password.",
		IT: "L'autoconfig del tuo dominio ha rimandato postino a %s, che ha fornito queste impostazioni: verifica che sia il tuo provider prima di scrivere la password.",
	}
	textMXAutoconfig = probe.Text{
		EN: "These are the settings of %s, which receives the mail of your domain according to DNS: check that it is your provider before you type your password.",
		IT: "Queste sono le impostazioni di %s, che secondo il DNS riceve la posta del tuo dominio: verifica che sia il tuo provider prima di scrivere la password.",
	}
	textMXHosted = probe.Text{
		EN: "Your domain's mail is received by %s, so these are its settings.",
		IT: "La posta del tuo dominio è ricevuta da %s, quindi queste sono le sue impostazioni.",
	}
	textSRV = probe.Text{
		EN: "These servers are published in your domain's DNS, which postino cannot verify: check them before you type your password.",
		IT: "Questi server sono pubblicati nel DNS del tuo dominio, che postino non può verificare: controllali prima di scrivere la password.",
	}
	textSRVOutside = probe.Text{
		EN: "Your domain's DNS points to servers outside your domain (%s): make sure they belong to your provider.",
		IT: "Il DNS del tuo dominio indica server fuori dal tuo dominio (%s): assicurati che appartengano al tuo provider.",
	}
	textSRVNoOutgoing = probe.Text{
		EN: "Your domain's DNS names no outgoing (SMTP) server: ask your provider for it.",
		IT: "Il DNS del tuo dominio non indica un server in uscita (SMTP): chiedilo al tuo provider.",
	}
	textAutodiscoverElsewhere = probe.Text{
		EN: "These settings came from %s, outside your domain, through its Autodiscover service: check that it is your provider before you type your password.",
		IT: "Queste impostazioni sono arrivate da %s, fuori dal tuo dominio, tramite il suo servizio Autodiscover: verifica che sia il tuo provider prima di scrivere la password.",
	}
	textAutodiscoverAddress = probe.Text{
		EN: "Your provider's Autodiscover gave the settings of %s, which it names as this mailbox's address.",
		IT: "L'Autodiscover del provider ha fornito le impostazioni di %s, che indica come indirizzo di questa casella.",
	}
	textAutodiscoverSPA = probe.Text{
		EN: "The server asks for Secure Password Authentication (SPA), which postino does not use: postino sends the password protected by TLS instead. If the login fails, ask IT whether plain login over TLS is allowed.",
		IT: "Il server chiede l'autenticazione password di protezione (SPA), che postino non usa: invia invece la password cifrata con TLS. Se l'accesso non riesce, chiedi al reparto IT se è consentito l'accesso con password semplice tramite TLS.",
	}
	textExchangeOnly = probe.Text{
		EN: "This is an Exchange server and it names no IMAP or POP server: ask IT whether IMAP is on, and for the server's name.",
		IT: "Questo è un server Exchange e non indica alcun server IMAP o POP: chiedi al reparto IT se IMAP è attivo e qual è il nome del server.",
	}
	textExchangeOnlyAt = probe.Text{
		EN: "This is an Exchange server (%s) and it names no IMAP or POP server: ask IT whether IMAP is on, and for the server's name.",
		IT: "Questo è un server Exchange (%s) e non indica alcun server IMAP o POP: chiedi al reparto IT se IMAP è attivo e qual è il nome del server.",
	}
	textGuessed = probe.Text{
		EN: "postino found these servers by trying the usual names and checked their certificates, but they are a guess: confirm them before you type your password.",
		IT: "postino ha trovato questi server provando i nomi più comuni e ne ha verificato i certificati, ma sono un'ipotesi: confermali prima di scrivere la password.",
	}
	textUsernameGuessed = probe.Text{
		EN: "The username is assumed to be your full address, %s; change it if your provider says otherwise.",
		IT: "Come nome utente si presume il tuo indirizzo completo, %s; cambialo se il tuo provider indica altro.",
	}
	textNoOutgoing = probe.Text{
		EN: "No outgoing (SMTP) server answered: this network may block ports 465 and 587. Ask your provider for the outgoing server.",
		IT: "Nessun server in uscita (SMTP) ha risposto: questa rete potrebbe bloccare le porte 465 e 587. Chiedi al tuo provider il server in uscita.",
	}
)
