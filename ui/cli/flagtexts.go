package cli

import "github.com/postino/postino/probe"

// flagMeanings gives each flag's meaning, as its FlagSet states it in
// English, in both languages: help and the man page print it in the
// chosen one. TestFlagMeanings checks that every flag of every command
// has its entry.
var flagMeanings = map[string]probe.Text{}

func init() {
	for _, t := range []probe.Text{
		{EN: "it or en", IT: "it o en"},
		{EN: "machine output", IT: "risultato in JSON, per gli script"},
		{EN: "plain line prompts instead of the full screen", IT: "domande riga per riga invece dello schermo intero"},
		{EN: "OAuth2: show the sign-in address, open nothing", IT: "OAuth2: mostra l'indirizzo per l'accesso senza aprire nulla"},
		{EN: "show the sign-in address, open nothing", IT: "mostra l'indirizzo per l'accesso senza aprire nulla"},
		{EN: "extra providers file (repeatable)", IT: "un altro file dei provider (si può ripetere)"},
		{EN: "providers files and the built-in ISP database, no network", IT: "solo i file dei provider e il database ISP integrato, senza rete"},
		{EN: "time allowed for detection", IT: "tempo massimo per la ricerca"},
		{EN: "incoming server URL (repeatable: fallbacks)", IT: "URL del server in arrivo (si può ripetere: alternative)"},
		{EN: "outgoing server URL (repeatable: fallbacks)", IT: "URL del server in uscita (si può ripetere: alternative)"},
		{EN: "trust a certificate by its SHA-256 fingerprint", IT: "considera attendibile un certificato in base alla sua impronta SHA-256"},
		{EN: "user name (default: the address)", IT: "nome utente (predefinito: l'indirizzo)"},
		{EN: "read the password from standard input", IT: "legge la password dallo standard input"},
		{EN: "read the password from standard input (else the saved one, if any)", IT: "legge la password dallo standard input (altrimenti usa quella salvata, se c'è)"},
		{EN: "report and json: show the test saved with the account instead of testing now", IT: "report e json: mostra la prova salvata con l'account invece di rifarla adesso"},
		{EN: "PEM file of extra trusted roots", IT: "file PEM con altre autorità di certificazione di cui fidarsi"},
		{EN: "permit a login without TLS", IT: "consente l'accesso senza TLS"},
		{EN: "time allowed for each server", IT: "tempo massimo per ciascun server"},
		{EN: "print the conversation, secrets redacted, to stderr", IT: "stampa la conversazione su stderr, con i segreti oscurati"},
		{EN: "save the account once every test passed", IT: "salva l'account quando tutte le prove sono riuscite"},
		{EN: "the saved account's name (default: the address)", IT: "il nome dell'account salvato (predefinito: l'indirizzo)"},
		{EN: "password or oauth2 (default: what the provider needs)", IT: "password o oauth2 (predefinito: quello che chiede il provider)"},
		{EN: "time allowed for the sign-in (default: as long as its code lasts)", IT: "tempo massimo per l'accesso (predefinito: finché vale il codice)"},
		{EN: "thunderbird, outlook, apple, aerc, … (see postino export --format list)", IT: "thunderbird, outlook, apple, aerc, … (elenco completo: postino export --format list)"},
		{EN: "write to this file (mode 0600) instead of standard output", IT: "scrive in questo file (permessi 0600) invece che sullo standard output"},
		{EN: "replace the file given with -o", IT: "sostituisce il file indicato con -o"},
		{EN: "PEM file of extra roots the mail program must trust", IT: "file PEM con altre autorità di certificazione di cui il programma di posta deve fidarsi"},
		{EN: "command that prints the password (default: postino password NAME)", IT: "comando che stampa la password (predefinito: postino password NOME)"},
		{EN: "command that prints a fresh OAuth2 access token (default: postino token NAME)", IT: "comando che stampa un nuovo token di accesso OAuth2 (predefinito: postino token NOME)"},
		{EN: "where mbsync keeps the mail (default ~/Mail/NAME)", IT: "dove mbsync conserva la posta (predefinito: ~/Mail/NOME)"},
		{EN: "command fetchmail delivers each message to (default: the local mail system)", IT: "comando a cui fetchmail consegna ogni messaggio (predefinito: il sistema di posta locale)"},
		{EN: "time allowed for each server when the report runs a test", IT: "tempo massimo per ciascun server quando il rapporto esegue una prova"},
	} {
		flagMeanings[t.EN] = t
	}
}

// flagMeaning is usage, the meaning a FlagSet states in English, in lang.
func flagMeaning(usage string, lang probe.Lang) string {
	if t, ok := flagMeanings[usage]; ok {
		return t.In(lang)
	}
	return usage
}

var textFlagDefault = probe.Text{EN: "(default %s)", IT: "(predefinito: %s)"}
