// Package ui is what a person sees: the report of a test and, later, the
// wizard's screens. Every sentence exists in English and Italian.
package ui

import (
	"fmt"
	"strings"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/store"
)

// Text is one sentence in both languages; %-verbs take its arguments.
type Text = probe.Text

// Lang picks the language: the --lang flag if given, else the locale
// (LC_ALL, LC_MESSAGES, LANG, in POSIX order), else English.
func Lang(flag string, getenv func(string) string) (string, error) {
	switch strings.ToLower(flag) {
	case "en", "it":
		return strings.ToLower(flag), nil
	case "":
	default:
		return "en", fmt.Errorf("--lang %q: choose it or en", flag)
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "it") {
				return "it", nil
			}
			return "en", nil
		}
	}
	return "en", nil
}

// Sentences of the command line.
var (
	TextUsage = Text{
		EN: "usage: postino [--plain] [--providers FILE]... [--lang it|en]       the wizard\n" +
			"       postino detect ADDRESS [--offline] [--providers FILE]... [--timeout D] [--json]\n" +
			"       postino test ADDRESS|NAME [--incoming URL]... [--outgoing URL]... [--username U] [--password-stdin] [--ca-file PEM] [--pin sha256:HEX] [--allow-cleartext] [--timeout D] [--save [--name N]] [--debug] [--json]\n" +
			"       postino list [--json] | show NAME [--json] | remove NAME | password NAME\n" +
			"       postino export NAME --format F [-o FILE] [--force]",
		IT: "uso: postino [--plain] [--providers FILE]... [--lang it|en]       la procedura guidata\n" +
			"     postino detect INDIRIZZO [--offline] [--providers FILE]... [--timeout D] [--json]\n" +
			"     postino test INDIRIZZO|NOME [--incoming URL]... [--outgoing URL]... [--username U] [--password-stdin] [--ca-file PEM] [--pin sha256:HEX] [--allow-cleartext] [--timeout D] [--save [--name N]] [--debug] [--json]\n" +
			"     postino list [--json] | show NOME [--json] | remove NOME | password NOME\n" +
			"     postino export NOME --format F [-o FILE] [--force]",
	}
	TextUnknownCommand  = Text{EN: "postino has no command %q; run postino help.", IT: "postino non ha il comando %q; esegui postino help."}
	TextWantAddress     = Text{EN: "postino %[1]s needs one email address, e.g. postino %[1]s anna@example.com.", IT: "postino %[1]s richiede un indirizzo email, ad esempio postino %[1]s anna@example.com."}
	TextBadFlag         = Text{EN: "Bad command line: %s.", IT: "Riga di comando non valida: %s."}
	TextWrongRole       = Text{EN: "%s is a %s server, but --%s needs %s.", IT: "%s è un server %s, ma --%s richiede %s."}
	TextBadCAFile       = Text{EN: "Cannot use --ca-file %s: %s.", IT: "Impossibile usare --ca-file %s: %s."}
	TextNoCertsInCAFile = Text{EN: "Cannot use --ca-file %s: it holds no PEM certificate.", IT: "Impossibile usare --ca-file %s: non contiene certificati PEM."}
	TextBadPin          = Text{EN: "%q is not a SHA-256 fingerprint: give sha256: and 64 hex digits.", IT: "%q non è un'impronta SHA-256: indica sha256: e 64 cifre esadecimali."}
	TextPasswordStdin   = Text{EN: "Cannot read the password from standard input: %s.", IT: "Impossibile leggere la password dallo standard input: %s."}
	TextEmptyPassword   = Text{EN: "The password read from standard input is empty.", IT: "La password letta dallo standard input è vuota."}
	TextPasswordPrompt  = Text{EN: "Password for %s (not shown): ", IT: "Password per %s (non viene mostrata): "}
	TextCleartextWarn   = Text{EN: "Warning: --allow-cleartext lets the password travel unencrypted to %s.", IT: "Attenzione: --allow-cleartext fa viaggiare la password senza cifratura verso %s."}
	TextNoTerminal      = Text{EN: "postino needs a terminal for the wizard: run postino --plain for plain questions, or in scripts its commands, e.g. postino test ADDRESS --password-stdin.", IT: "postino richiede un terminale per la procedura guidata: esegui postino --plain per domande semplici, oppure negli script i suoi comandi, ad esempio postino test INDIRIZZO --password-stdin."}
)

// URLTexts explain each way a server URL can be wrong.
var URLTexts = map[probe.URLProblem]Text{
	probe.URLMalformed:     {EN: "%q is not a server URL like imaps://mail.example.com:993.", IT: "%q non è un URL di server come imaps://mail.example.com:993."},
	probe.URLUnknownScheme: {EN: "%q has an unknown scheme: use imaps, imap, imap+insecure, pop3s, pop3, pop3+insecure, smtps, smtp or smtp+insecure.", IT: "%q ha uno schema sconosciuto: usa imaps, imap, imap+insecure, pop3s, pop3, pop3+insecure, smtps, smtp o smtp+insecure."},
	probe.URLHasPassword:   {EN: "%q contains a password: never put one on the command line, use --password-stdin.", IT: "%q contiene una password: non metterla mai sulla riga di comando, usa --password-stdin."},
	probe.URLHasPath:       {EN: "%q has a path or query: give only scheme://host:port.", IT: "%q ha un percorso o una query: indica solo schema://host:porta."},
	probe.URLBadPort:       {EN: "%q has a bad port: a port is a number from 1 to 65535.", IT: "%q ha una porta non valida: una porta è un numero da 1 a 65535."},
}

// Sentences of the wizard's screens.
var (
	textWizardTitle = Text{EN: "add an email account", IT: "aggiungi un account email"}
	textStepOf      = Text{EN: "step %d of %d", IT: "passo %d di %d"}
	textMore        = Text{EN: "… %d of %d lines: pgup/pgdn scrolls", IT: "… %d di %d righe: pagsu/paggiù per scorrere"}

	textWelcomeTitle = Text{EN: "Welcome to postino", IT: "Benvenuto in postino"}
	textWelcomeBody  = Text{
		EN: "postino sets up an email account: it finds the server settings for your address, tests them live, keeps the password in this computer's keyring, and exports the settings for your mail program.",
		IT: "postino configura un account email: trova le impostazioni dei server per il tuo indirizzo, le prova dal vivo, conserva la password nel portachiavi di questo computer ed esporta le impostazioni per il tuo programma di posta.",
	}
	textSavedAccounts      = Text{EN: "Saved accounts:", IT: "Account salvati:"}
	textNoAccounts         = Text{EN: "No saved accounts yet.", IT: "Ancora nessun account salvato."}
	textAccountsUnreadable = Text{EN: "The saved accounts cannot be read: %s", IT: "Impossibile leggere gli account salvati: %s"}
	textAddAccount         = Text{EN: "add an account", IT: "aggiungi un account"}

	textProtocolTitle = Text{EN: "How do you want to read your mail?", IT: "Come vuoi leggere la posta?"}
	textIMAPName      = Text{EN: "IMAP (recommended)", IT: "IMAP (consigliato)"}
	textIMAPAbout     = Text{
		EN: "Keeps your mail on the server, so your phone, tablet and computer stay in step: a message read or deleted on one is read or deleted on all.",
		IT: "Tiene la posta sul server, così telefono, tablet e computer restano allineati: un messaggio letto o cancellato su uno lo è su tutti.",
	}
	textPOPName  = Text{EN: "POP", IT: "POP"}
	textPOPAbout = Text{
		EN: "Downloads your mail to one device and usually removes it from the server: no sync, other devices do not see it.",
		IT: "Scarica la posta su un solo dispositivo e di solito la toglie dal server: nessuna sincronizzazione, gli altri dispositivi non la vedono.",
	}
	textOnlyOffers = Text{EN: "%s offers only %s for reading mail.", IT: "%s offre solo %s per leggere la posta."}

	textAddressTitle = Text{EN: "Your email address", IT: "Il tuo indirizzo email"}
	textAddressBody  = Text{EN: "The address of the mailbox to set up.", IT: "L'indirizzo della casella da configurare."}
	textAddressOK    = Text{EN: "looks right", IT: "sembra corretto"}

	textHintTitle = Text{EN: "Before the password: advice for %s", IT: "Prima della password: consigli per %s"}
	textHintDocs  = Text{EN: "Your provider's instructions: %s", IT: "Le istruzioni del provider: %s"}

	textPasswordTitle = Text{EN: "Password for %s", IT: "Password per %s"}
	textPasswordBody  = Text{
		EN: "It is used to test the connection and then kept in this computer's keyring, never in a file.",
		IT: "Serve a provare la connessione e poi viene conservata nel portachiavi di questo computer, mai in un file.",
	}
	textPasswordShown = Text{EN: "The password is shown: mind who can see the screen.", IT: "La password è visibile: attenzione a chi guarda lo schermo."}
	textPasswordEmpty = Text{EN: "Type the password.", IT: "Scrivi la password."}

	textDetectTitle     = Text{EN: "Looking for the settings of %s", IT: "Ricerca delle impostazioni di %s"}
	textDetectStarting  = Text{EN: "starting…", IT: "avvio…"}
	textSourceRunning   = Text{EN: "looking…", IT: "cerco…"}
	textSourceFound     = Text{EN: "found", IT: "trovate"}
	textSourceNothing   = Text{EN: "nothing", IT: "niente"}
	textFoundFrom       = Text{EN: "Settings from %s.", IT: "Impostazioni trovate; fonte: %s."}
	textProviderIs      = Text{EN: "Provider: %s", IT: "Provider: %s"}
	textUntrustedSource = Text{
		EN: "These settings are not from a verified source: check them before you go on.",
		IT: "Queste impostazioni non vengono da una fonte verificata: controllale prima di proseguire.",
	}
	textNothingFound = Text{
		EN: "No settings found. Enter them by hand: your provider's help pages list them.",
		IT: "Nessuna impostazione trovata. Inseriscile a mano: le pagine di aiuto del provider le riportano.",
	}
	textEnterByHand = Text{EN: "enter them by hand", IT: "inseriscile a mano"}

	textReviewTitle   = Text{EN: "Settings for %s", IT: "Impostazioni per %s"}
	textFrom          = Text{EN: "from %s", IT: "fonte: %s"}
	textEnteredByHand = Text{EN: "entered by hand", IT: "inserite a mano"}
	textIncomingCap   = Text{EN: "Incoming", IT: "In arrivo"}
	textOutgoingCap   = Text{EN: "Outgoing", IT: "In uscita"}
	textAlternativeOf = Text{EN: "(choice %d of %d)", IT: "(scelta %d di %d)"}
	textAlternative   = Text{EN: "other choice", IT: "altra scelta"}
	textProtocolLabel = Text{EN: "protocol", IT: "protocollo"}
	textServerLabel   = Text{EN: "server", IT: "server"}
	textPortLabel     = Text{EN: "port", IT: "porta"}
	textSecurityLabel = Text{EN: "security", IT: "sicurezza"}
	textUsernameLabel = Text{EN: "user name", IT: "nome utente"}
	textTestThem      = Text{EN: "test them", IT: "provale"}

	textEditTitle = Text{EN: "Settings for %s, by hand", IT: "Impostazioni per %s, a mano"}
	textUseThese  = Text{EN: "use these", IT: "usa queste"}

	textTestTitle = Text{EN: "Testing the settings of %s", IT: "Prova delle impostazioni di %s"}
	textAs        = Text{EN: "as %s", IT: "come %s"}
	textSaveIt    = Text{EN: "save", IT: "salva"}
	textSending   = Text{EN: "Sending a test message to %s…", IT: "Invio di un messaggio di prova a %s…"}
	textSentOK    = Text{EN: "Test message sent to %s at %s (%s): look for “%s” in your inbox.", IT: "Messaggio di prova inviato a %s alle %s (%s): cerca “%s” nella posta in arrivo."}
	textNotSent   = Text{EN: "The test message was not sent.", IT: "Il messaggio di prova non è stato inviato."}

	textTrustTitle = Text{EN: "Trust this certificate?", IT: "Fidarsi di questo certificato?"}
	textTrustBody  = Text{
		EN: "No trusted authority vouches for the certificate of %s. If you know it is your server's own (a self-signed certificate at work, say), postino can trust exactly this certificate, by its fingerprint, for this account only.",
		IT: "Nessuna autorità fidata garantisce il certificato di %s. Se sai che è proprio quello del tuo server (per esempio un certificato autofirmato in ufficio), postino può fidarsi esattamente di questo certificato, tramite la sua impronta, solo per questo account.",
	}
	textCertSubject = Text{EN: "subject", IT: "soggetto"}
	textCertNames   = Text{EN: "valid for", IT: "valido per"}
	textCertIssuer  = Text{EN: "issued by", IT: "emesso da"}
	textCertUntil   = Text{EN: "valid until", IT: "valido fino al"}
	textTrustWarn   = Text{
		EN: "Compare the fingerprint with the one your administrator gives you. If they differ, someone may be intercepting the connection: do not trust it.",
		IT: "Confronta l'impronta con quella che ti dà l'amministratore. Se sono diverse qualcuno potrebbe intercettare la connessione: non fidarti.",
	}
	textTrustYes = Text{EN: "trust it", IT: "fidati"}

	textSaveTitle          = Text{EN: "Saving %s", IT: "Salvataggio di %s"}
	textSaving             = Text{EN: "Saving the settings and the password…", IT: "Salvataggio delle impostazioni e della password…"}
	textKeyringUnavailable = Text{EN: "The password could not be stored: the system keyring is unavailable.", IT: "Impossibile conservare la password: il portachiavi di sistema non è disponibile."}
	textKeyringChoices     = Text{
		EN: "Unlock the keyring and retry, or save the settings without the password: your mail program will then ask for it.",
		IT: "Sblocca il portachiavi e riprova, oppure salva le impostazioni senza la password: il programma di posta te la chiederà.",
	}
	textSaveFailed = Text{EN: "The settings could not be saved: %s", IT: "Impossibile salvare le impostazioni: %s"}

	textDoneTitle         = Text{EN: "%s is set up.", IT: "%s è configurato."}
	textPasswordStored    = Text{EN: "The password is in this computer's keyring.", IT: "La password è nel portachiavi di questo computer."}
	textPasswordNotStored = Text{EN: "The password was not stored: your mail program will ask for it.", IT: "La password non è stata conservata: il programma di posta la chiederà."}
	textPinsStored        = Text{EN: "The certificate you trusted is stored with the account.", IT: "Il certificato di cui ti fidi è salvato con l'account."}
	textExportChoices     = Text{EN: "To hand the settings to a mail program:", IT: "Per passare le impostazioni a un programma di posta:"}
	textShowLater         = Text{EN: "postino show %s prints the settings again.", IT: "postino show %s mostra di nuovo le impostazioni."}
	textFinish            = Text{EN: "finish", IT: "fine"}
	textFormatWord        = Text{EN: "FORMAT", IT: "FORMATO"}
	textFormatsAre        = Text{EN: "where FORMAT is one of: %s.", IT: "dove FORMATO è uno tra: %s."}

	textQuitTitle = Text{EN: "Quit without saving?", IT: "Uscire senza salvare?"}
	textQuitBody  = Text{
		EN: "The settings for %s are not saved yet. Anything still running has been stopped.",
		IT: "Le impostazioni per %s non sono ancora salvate. Quello che era in corso è stato fermato.",
	}
	textHelpTitle = Text{EN: "Keys", IT: "Tasti"}
	textHelpBody  = Text{
		EN: "The bar at the bottom shows the keys that work on each screen. Nothing is saved until the tests pass and the account is saved; ctrl+c asks before quitting.",
		IT: "La barra in basso mostra i tasti validi in ogni schermata. Nulla viene salvato finché le prove non riescono e l'account non è salvato; ctrl+c chiede conferma prima di uscire.",
	}
)

// Prompts of the plain, line by line wizard (postino --plain).
var (
	textPlainIntro = Text{
		EN: "Answer each question and press enter. Type < to go back, or q to quit.",
		IT: "Rispondi a ogni domanda e premi invio. Scrivi < per tornare indietro, oppure q per uscire.",
	}
	textPlainStart        = Text{EN: "Press enter to add an account: ", IT: "Premi invio per aggiungere un account: "}
	textPlainChoose       = Text{EN: "Choose 1 to %d [%d]: ", IT: "Scegli da 1 a %d [%d]: "}
	textPlainNumber       = Text{EN: "Type a number from 1 to %d.", IT: "Scrivi un numero da 1 a %d."}
	textPlainAddress      = Text{EN: "Email address: ", IT: "Indirizzo email: "}
	textPlainDefault      = Text{EN: "%s [%s]: ", IT: "%s [%s]: "}
	textPlainContinue     = Text{EN: "Press enter to continue: ", IT: "Premi invio per continuare: "}
	textPlainPassword     = Text{EN: "Password for %s (not shown): ", IT: "Password per %s (non viene mostrata): "}
	textPlainReview       = Text{EN: "Press enter to test these settings, or type e to edit them%s: ", IT: "Premi invio per provare queste impostazioni, oppure scrivi e per modificarle%s: "}
	textPlainAlternatives = Text{EN: ", i or o for the other incoming or outgoing choice", IT: ", i oppure o per l'altra scelta in arrivo o in uscita"}
	textPlainSend         = Text{EN: "Send a test message to yourself? y/N: ", IT: "Inviare un messaggio di prova a te stesso? s/N: "}
	textPlainSave         = Text{EN: "Press enter to save the account: ", IT: "Premi invio per salvare l'account: "}
	textPlainFailed       = Text{EN: "Type r to retry, e to edit the settings%s, or < to go back: ", IT: "Scrivi r per riprovare, e per modificare le impostazioni%s, oppure < per tornare indietro: "}
	textPlainTrustChoice  = Text{EN: ", t to trust the certificate", IT: ", t per fidarti del certificato"}
	textPlainTrust        = Text{EN: "Type yes to trust this certificate; anything else goes back: ", IT: "Scrivi sì per fidarti di questo certificato; altro per tornare indietro: "}
	textPlainSaveFailed   = Text{EN: "Type r to retry%s, or q to quit: ", IT: "Scrivi r per riprovare%s, oppure q per uscire: "}
	textPlainNoPassword   = Text{EN: ", w to save without the password", IT: ", w per salvare senza la password"}
	TextWizardFailed      = Text{EN: "The wizard stopped: %s.", IT: "La procedura guidata si è interrotta: %s."}
)

// sourceNames say where settings came from.
var sourceNames = map[mailbox.Source]Text{
	mailbox.SourceProviders:  {EN: "postino's provider list", IT: "l'elenco dei provider di postino"},
	mailbox.SourceAutoconfig: {EN: "your provider's autoconfig over HTTPS", IT: "la configurazione automatica del provider via HTTPS"},
	mailbox.SourceISPDB:      {EN: "Thunderbird's provider database", IT: "il database dei provider di Thunderbird"},
	mailbox.SourceMX:         {EN: "your domain's mail servers (MX)", IT: "i server di posta del dominio (MX)"},
	mailbox.SourceSRV:        {EN: "your domain's DNS service records (SRV)", IT: "i record di servizio DNS del dominio (SRV)"},
	mailbox.SourceGuess:      {EN: "guessed — please check", IT: "ipotizzate — controllale"},
	mailbox.SourceManual:     {EN: "entered by hand", IT: "inserite a mano"},
}

// keyringReasons say why the keyring cannot be used.
var keyringReasons = map[store.Reason]Text{
	store.KeyringFailed:   {EN: "The keyring reported an error.", IT: "Il portachiavi ha segnalato un errore."},
	store.NoSessionBus:    {EN: "There is no desktop session (D-Bus) to reach a keyring through: common on servers and in containers.", IT: "Non c'è una sessione desktop (D-Bus) attraverso cui raggiungere un portachiavi: succede spesso su server e container."},
	store.NoSecretService: {EN: "No keyring service (such as GNOME Keyring or KWallet) is running.", IT: "Nessun servizio portachiavi (come GNOME Keyring o KWallet) è in esecuzione."},
	store.KeyringLocked:   {EN: "The keyring is locked and could not be unlocked.", IT: "Il portachiavi è bloccato e non è stato possibile sbloccarlo."},
	store.KeyringNoAnswer: {EN: "The keyring did not answer in time; an unlock prompt may be waiting in another window.", IT: "Il portachiavi non ha risposto in tempo; forse una richiesta di sblocco attende in un'altra finestra."},
}

// fieldNames label the edit form's fields.
var fieldNames = map[wizard.Field]Text{
	wizard.FieldHost:     {EN: "server", IT: "server"},
	wizard.FieldPort:     {EN: "port", IT: "porta"},
	wizard.FieldSecurity: {EN: "security", IT: "sicurezza"},
	wizard.FieldUsername: {EN: "user name", IT: "nome utente"},
}

// problemTexts say what is wrong with a field of the form.
var problemTexts = map[wizard.Problem]Text{
	wizard.ProblemNotNow:          {EN: "The form cannot be used now.", IT: "Il modulo non si può usare ora."},
	wizard.ProblemHostEmpty:       {EN: "Type the server's name, e.g. mail.example.com.", IT: "Scrivi il nome del server, ad esempio mail.example.com."},
	wizard.ProblemHostInvalid:     {EN: "A server name has only letters, digits, dots and hyphens.", IT: "Un nome di server ha solo lettere, cifre, punti e trattini."},
	wizard.ProblemPortInvalid:     {EN: "A port is a number from 1 to 65535.", IT: "Una porta è un numero da 1 a 65535."},
	wizard.ProblemSecurityInvalid: {EN: "Choose SSL/TLS or STARTTLS.", IT: "Scegli SSL/TLS o STARTTLS."},
	wizard.ProblemUsernameEmpty:   {EN: "Type the user name, often the address itself.", IT: "Scrivi il nome utente, spesso l'indirizzo stesso."},
}

// Sentences of postino export.
var (
	TextExportWantName        = Text{EN: "postino export needs the name or address of one saved account and a --format: %s.", IT: "postino export richiede il nome o l'indirizzo di un account salvato e un --format: %s."}
	TextExportWantFormat      = Text{EN: "Choose a --format: %s.", IT: "Scegli un --format: %s."}
	TextExportUnknownFormat   = Text{EN: "postino cannot export as %q; the formats are: %s.", IT: "postino non sa esportare come %q; i formati sono: %s."}
	TextExportNeedIncoming    = Text{EN: "The %s export needs an incoming server, and the account has none.", IT: "L'esportazione %s richiede un server in arrivo, e l'account non ne ha."}
	TextExportNeedOutgoing    = Text{EN: "The %s export needs an outgoing server, and the account has none.", IT: "L'esportazione %s richiede un server in uscita, e l'account non ne ha."}
	TextExportNeedIMAP        = Text{EN: "%s reads mail over IMAP only, and this account uses %s: export neomutt or fetchmail instead.", IT: "%s legge la posta solo via IMAP, e questo account usa %s: esporta invece neomutt o fetchmail."}
	TextExportNeedPassword    = Text{EN: "The %s export cannot sign in to %s, which takes OAuth2 only.", IT: "L'esportazione %s non sa accedere a %s, che accetta solo OAuth2."}
	TextExportUnwritable      = Text{EN: "The %s format cannot hold %q.", IT: "Il formato %s non può contenere %q."}
	TextExportFailed          = Text{EN: "The export failed: %s.", IT: "L'esportazione non è riuscita: %s."}
	TextExportExists          = Text{EN: "%s already exists; add --force to replace it.", IT: "%s esiste già; aggiungi --force per sostituirlo."}
	TextExportWriteFailed     = Text{EN: "Cannot write %s: %s.", IT: "Impossibile scrivere %s: %s."}
	TextExportWrote           = Text{EN: "Wrote %s (%s), readable only by you.", IT: "Scritto %s (%s), leggibile solo da te."}
	TextExportThunderbirdHint = Text{EN: "Host it at https://autoconfig.%s/mail/config-v1.1.xml, or copy it into the isp folder of Thunderbird's installation.", IT: "Pubblicalo su https://autoconfig.%s/mail/config-v1.1.xml, oppure copialo nella cartella isp dell'installazione di Thunderbird."}
	TextExportFetchmailHint   = Text{EN: "Run fetchmail so that the password travels on a pipe: %s", IT: "Esegui fetchmail in modo che la password passi su una pipe: %s"}
)

// Sentences of the saved accounts: postino list, show, remove, password
// and test --save.
var (
	TextStoreWantName   = Text{EN: "postino %s needs the name or address of one saved account; postino list shows them.", IT: "postino %s richiede il nome o l'indirizzo di un account salvato; postino list li mostra."}
	TextStoreNoAccount  = Text{EN: "No saved account is called %q; postino list shows the saved accounts.", IT: "Nessun account salvato si chiama %q; postino list mostra gli account salvati."}
	TextStoreBadName    = Text{EN: "%q cannot be an account's name: use letters, digits and punctuation, not starting with - and without spaces around it.", IT: "%q non può essere il nome di un account: usa lettere, cifre e punteggiatura, senza iniziare con - e senza spazi attorno."}
	TextStoreNameTaken  = Text{EN: "The name %q already belongs to the account of %s: choose another with --name.", IT: "Il nome %q appartiene già all'account di %s: scegline un altro con --name."}
	TextStoreEmpty      = Text{EN: "No saved accounts yet: postino test ADDRESS ... --save saves one.", IT: "Ancora nessun account salvato: postino test INDIRIZZO ... --save ne salva uno."}
	TextStoreNoPassword = Text{
		EN: "No password is stored for %s; postino test %s --password-stdin --save stores one.",
		IT: "Nessuna password è salvata per %s; postino test %s --password-stdin --save ne salva una.",
	}
	TextStoreRemoved              = Text{EN: "Removed %s and its password from the keyring.", IT: "Rimosso %s insieme alla sua password nel portachiavi."}
	TextStoreRemovedNoPassword    = Text{EN: "Removed %s; its password was already gone from the keyring.", IT: "Rimosso %s; la sua password non c'era già più nel portachiavi."}
	TextStoreSaved                = Text{EN: "Saved %s; its password is in the keyring (service %s, user %s).", IT: "Salvato %s; la sua password è nel portachiavi (servizio %s, utente %s)."}
	TextStoreSavedKeptPassword    = Text{EN: "Saved %s; its password in the keyring is unchanged.", IT: "Salvato %s; la sua password nel portachiavi non è cambiata."}
	TextStoreSavedWithoutPassword = Text{
		EN: "Saved %s without a password: none was given, so the login was not tested; postino test %s --password-stdin --save stores one.",
		IT: "Salvato %s senza password: non ne è stata data una, quindi l'accesso non è stato provato; postino test %s --password-stdin --save ne salva una.",
	}
	TextStoreNotSaved = Text{EN: "Not saved: some settings do not work; fix them and test again.", IT: "Non salvato: alcune impostazioni non funzionano; correggile e prova di nuovo."}

	TextStoreDamaged = Text{
		EN: "The saved accounts file %s is damaged at line %d (%s): correct it or move it away; postino does not write over it.",
		IT: "Il file degli account salvati %s è danneggiato alla riga %d (%s): correggilo o spostalo; postino non lo sovrascrive.",
	}
	TextStoreNewer = Text{
		EN: "The saved accounts file %s (line %d) has format version %d, written by a newer postino: update postino; this one does not write over it.",
		IT: "Il file degli account salvati %s (riga %d) ha la versione di formato %d, scritta da un postino più recente: aggiorna postino; questo non lo sovrascrive.",
	}
	TextStoreFailed      = Text{EN: "Cannot use the saved accounts in %s: %s.", IT: "Impossibile usare gli account salvati in %s: %s."}
	TextStoreBusy        = Text{EN: "Another postino is changing the saved accounts in %s: try again in a moment.", IT: "Un altro postino sta modificando gli account salvati in %s: riprova tra poco."}
	TextStoreNoConfigDir = Text{EN: "postino cannot tell where to keep its settings: set HOME or XDG_CONFIG_HOME.", IT: "postino non sa dove tenere le impostazioni: imposta HOME o XDG_CONFIG_HOME."}
	TextKeyringFailed    = Text{
		EN: "The keyring is unavailable (%s): start a keyring daemon such as gnome-keyring, or run postino inside dbus-run-session (see the README, Saved accounts).",
		IT: "Il portachiavi non è disponibile (%s): avvia un servizio di portachiavi come gnome-keyring, oppure esegui postino dentro dbus-run-session (vedi il README, Saved accounts).",
	}

	// Labels of postino list and show.
	TextStorePasswordStored   = Text{EN: "password in the keyring", IT: "password nel portachiavi"}
	TextStoreNoPasswordStored = Text{EN: "no password stored", IT: "nessuna password salvata"}
	TextStoreKeyringUnknown   = Text{EN: "keyring unavailable", IT: "portachiavi non disponibile"}
	TextStoreAddress          = Text{EN: "address", IT: "indirizzo"}
	TextStoreIncoming         = Text{EN: "incoming", IT: "in arrivo"}
	TextStoreOutgoing         = Text{EN: "outgoing", IT: "in uscita"}
	TextStoreFallback         = Text{EN: "fallback", IT: "alternativa"}
	TextStoreUser             = Text{EN: "user %s", IT: "utente %s"}
	TextStorePin              = Text{EN: "trusted certificate", IT: "certificato fidato"}
	TextStorePassword         = Text{EN: "password", IT: "password"}
	TextStorePasswordWhere    = Text{EN: "in the keyring (service %s, user %s)", IT: "nel portachiavi (servizio %s, utente %s)"}
	TextStoreSavedOn          = Text{EN: "saved", IT: "salvato"}
	TextStoreSavedWhen        = Text{EN: "%s, changed %s", IT: "%s, modificato %s"}
	TextStoreFile             = Text{EN: "file", IT: "file"}
)

// KeyringTexts say what is missing when the keyring is unavailable, and
// how to get it.
var KeyringTexts = map[store.Reason]Text{
	store.NoSessionBus: {
		EN: "The keyring is unavailable: there is no D-Bus session bus to reach it through; run postino in a desktop session, or on a server without one inside dbus-run-session with gnome-keyring-daemon --unlock (see the README, Saved accounts).",
		IT: "Il portachiavi non è disponibile: non c'è un bus di sessione D-Bus per raggiungerlo; esegui postino in una sessione desktop, oppure su un server senza desktop dentro dbus-run-session con gnome-keyring-daemon --unlock (vedi il README, Saved accounts).",
	},
	store.NoSecretService: {
		EN: "The keyring is unavailable: no keyring daemon answers on the D-Bus session bus; install and start one such as gnome-keyring (or KeePassXC with its Secret Service), or on a server run postino inside dbus-run-session with gnome-keyring-daemon --unlock (see the README, Saved accounts).",
		IT: "Il portachiavi non è disponibile: nessun servizio di portachiavi risponde sul bus di sessione D-Bus; installane e avviane uno come gnome-keyring (o KeePassXC con il suo Secret Service), oppure su un server esegui postino dentro dbus-run-session con gnome-keyring-daemon --unlock (vedi il README, Saved accounts).",
	},
	store.KeyringLocked: {
		EN: "The keyring is unavailable: it is locked and postino cannot ask for its password here; unlock it (log in to the desktop, or give its password to gnome-keyring-daemon --unlock --replace) and try again.",
		IT: "Il portachiavi non è disponibile: è bloccato e postino qui non può chiederne la password; sbloccalo (accedi al desktop, oppure dai la sua password a gnome-keyring-daemon --unlock --replace) e riprova.",
	},
	store.KeyringNoAnswer: {
		EN: "The keyring did not answer: it may be waiting for you to unlock it in another window; unlock it and try again.",
		IT: "Il portachiavi non ha risposto: forse aspetta che tu lo sblocchi in un'altra finestra; sbloccalo e riprova.",
	},
}
