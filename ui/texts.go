// Package ui is what a person sees: the report of a test and, later, the
// wizard's screens. Every sentence exists in English and Italian.
package ui

import (
	"fmt"
	"strings"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/store"
)

// Text is one sentence in both languages; %-verbs take its arguments.
type Text struct{ EN, IT string }

// In gives the text in lang ("en" or "it").
func (t Text) In(lang string, args ...any) string {
	s := t.EN
	if lang == "it" {
		s = t.IT
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

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
		"usage: postino test ADDRESS|NAME [--incoming URL]... [--outgoing URL]... [--username U] [--password-stdin] [--ca-file PEM] [--pin sha256:HEX] [--allow-cleartext] [--timeout D] [--save [--name N]] [--json] [--lang it|en]\n" +
			"       postino list [--json] | show NAME [--json] | remove NAME | password NAME",
		"uso: postino test INDIRIZZO|NOME [--incoming URL]... [--outgoing URL]... [--username U] [--password-stdin] [--ca-file PEM] [--pin sha256:HEX] [--allow-cleartext] [--timeout D] [--save [--name N]] [--json] [--lang it|en]\n" +
			"     postino list [--json] | show NOME [--json] | remove NOME | password NOME",
	}
	TextUnknownCommand  = Text{"postino has no command %q; run postino help.", "postino non ha il comando %q; esegui postino help."}
	TextWantAddress     = Text{"postino test needs one email address, e.g. postino test anna@example.com.", "postino test richiede un indirizzo email, ad esempio postino test anna@example.com."}
	TextBadAddress      = Text{"%q is not an email address like anna@example.com.", "%q non è un indirizzo email come anna@example.com."}
	TextBadFlag         = Text{"Bad command line: %s.", "Riga di comando non valida: %s."}
	TextWrongRole       = Text{"%s is a %s server, but --%s needs %s.", "%s è un server %s, ma --%s richiede %s."}
	TextBadCAFile       = Text{"Cannot use --ca-file %s: %s.", "Impossibile usare --ca-file %s: %s."}
	TextNoCertsInCAFile = Text{"Cannot use --ca-file %s: it holds no PEM certificate.", "Impossibile usare --ca-file %s: non contiene certificati PEM."}
	TextBadPin          = Text{"%q is not a SHA-256 fingerprint: give sha256: and 64 hex digits.", "%q non è un'impronta SHA-256: indica sha256: e 64 cifre esadecimali."}
	TextPasswordStdin   = Text{"Cannot read the password from standard input: %s.", "Impossibile leggere la password dallo standard input: %s."}
	TextEmptyPassword   = Text{"The password read from standard input is empty.", "La password letta dallo standard input è vuota."}
	TextPasswordPrompt  = Text{"Password for %s (not shown): ", "Password per %s (non viene mostrata): "}
	TextNoDetection     = Text{"postino cannot find the settings for %s by itself yet: give them with --incoming and --outgoing.", "postino non sa ancora trovare da solo le impostazioni per %s: indicale con --incoming e --outgoing."}
	TextCleartextWarn   = Text{"Warning: --allow-cleartext lets the password travel unencrypted to %s.", "Attenzione: --allow-cleartext fa viaggiare la password senza cifratura verso %s."}
	TextNoTerminal      = Text{"postino needs a terminal for the wizard: run postino --plain for plain questions, or in scripts its commands, e.g. postino test ADDRESS --password-stdin.", "postino richiede un terminale per la procedura guidata: esegui postino --plain per domande semplici, oppure negli script i suoi comandi, ad esempio postino test INDIRIZZO --password-stdin."}
)

// URLTexts explain each way a server URL can be wrong.
var URLTexts = map[probe.URLProblem]Text{
	probe.URLMalformed:     {"%q is not a server URL like imaps://mail.example.com:993.", "%q non è un URL di server come imaps://mail.example.com:993."},
	probe.URLUnknownScheme: {"%q has an unknown scheme: use imaps, imap, imap+insecure, pop3s, pop3, pop3+insecure, smtps, smtp or smtp+insecure.", "%q ha uno schema sconosciuto: usa imaps, imap, imap+insecure, pop3s, pop3, pop3+insecure, smtps, smtp o smtp+insecure."},
	probe.URLHasPassword:   {"%q contains a password: never put one on the command line, use --password-stdin.", "%q contiene una password: non metterla mai sulla riga di comando, usa --password-stdin."},
	probe.URLHasPath:       {"%q has a path or query: give only scheme://host:port.", "%q ha un percorso o una query: indica solo schema://host:porta."},
	probe.URLBadPort:       {"%q has a bad port: a port is a number from 1 to 65535.", "%q ha una porta non valida: una porta è un numero da 1 a 65535."},
}

// Sentences of the wizard's screens.
var (
	textWizardTitle = Text{"add an email account", "aggiungi un account email"}
	textStepOf      = Text{"step %d of %d", "passo %d di %d"}
	textMore        = Text{"… %d of %d lines: pgup/pgdn scrolls", "… %d di %d righe: pagsu/paggiù per scorrere"}

	textWelcomeTitle = Text{"Welcome to postino", "Benvenuto in postino"}
	textWelcomeBody  = Text{
		"postino sets up an email account: it finds the server settings for your address, tests them live, keeps the password in this computer's keyring, and exports the settings for your mail program.",
		"postino configura un account email: trova le impostazioni dei server per il tuo indirizzo, le prova dal vivo, conserva la password nel portachiavi di questo computer ed esporta le impostazioni per il tuo programma di posta.",
	}
	textSavedAccounts      = Text{"Saved accounts:", "Account salvati:"}
	textNoAccounts         = Text{"No saved accounts yet.", "Ancora nessun account salvato."}
	textAccountsUnreadable = Text{"The saved accounts cannot be read: %s", "Impossibile leggere gli account salvati: %s"}
	textAddAccount         = Text{"add an account", "aggiungi un account"}

	textProtocolTitle = Text{"How do you want to read your mail?", "Come vuoi leggere la posta?"}
	textIMAPName      = Text{"IMAP (recommended)", "IMAP (consigliato)"}
	textIMAPAbout     = Text{
		"Keeps your mail on the server, so your phone, tablet and computer stay in step: a message read or deleted on one is read or deleted on all.",
		"Tiene la posta sul server, così telefono, tablet e computer restano allineati: un messaggio letto o cancellato su uno lo è su tutti.",
	}
	textPOPName  = Text{"POP", "POP"}
	textPOPAbout = Text{
		"Downloads your mail to one device and usually removes it from the server: no sync, other devices do not see it.",
		"Scarica la posta su un solo dispositivo e di solito la toglie dal server: nessuna sincronizzazione, gli altri dispositivi non la vedono.",
	}
	textOnlyOffers = Text{"%s offers only %s for reading mail.", "%s offre solo %s per leggere la posta."}

	textAddressTitle = Text{"Your email address", "Il tuo indirizzo email"}
	textAddressBody  = Text{"The address of the mailbox to set up.", "L'indirizzo della casella da configurare."}
	textAddressOK    = Text{"looks right", "sembra corretto"}

	textHintTitle = Text{"Before the password: advice for %s", "Prima della password: consigli per %s"}
	textHintDocs  = Text{"Your provider's instructions: %s", "Le istruzioni del provider: %s"}

	textPasswordTitle = Text{"Password for %s", "Password per %s"}
	textPasswordBody  = Text{
		"It is used to test the connection and then kept in this computer's keyring, never in a file.",
		"Serve a provare la connessione e poi viene conservata nel portachiavi di questo computer, mai in un file.",
	}
	textPasswordShown = Text{"The password is shown: mind who can see the screen.", "La password è visibile: attenzione a chi guarda lo schermo."}
	textPasswordEmpty = Text{"Type the password.", "Scrivi la password."}

	textDetectTitle     = Text{"Looking for the settings of %s", "Ricerca delle impostazioni di %s"}
	textDetectStarting  = Text{"starting…", "avvio…"}
	textSourceRunning   = Text{"looking…", "cerco…"}
	textSourceFound     = Text{"found", "trovate"}
	textSourceNothing   = Text{"nothing", "niente"}
	textFoundFrom       = Text{"Settings from %s.", "Impostazioni trovate; fonte: %s."}
	textProviderIs      = Text{"Provider: %s", "Provider: %s"}
	textUntrustedSource = Text{
		"These settings are not from a verified source: check them before you go on.",
		"Queste impostazioni non vengono da una fonte verificata: controllale prima di proseguire.",
	}
	textNothingFound = Text{
		"No settings found. Enter them by hand: your provider's help pages list them.",
		"Nessuna impostazione trovata. Inseriscile a mano: le pagine di aiuto del provider le riportano.",
	}
	textEnterByHand = Text{"enter them by hand", "inseriscile a mano"}

	textReviewTitle   = Text{"Settings for %s", "Impostazioni per %s"}
	textFrom          = Text{"from %s", "fonte: %s"}
	textEnteredByHand = Text{"entered by hand", "inserite a mano"}
	textIncomingCap   = Text{"Incoming", "In arrivo"}
	textOutgoingCap   = Text{"Outgoing", "In uscita"}
	textAlternativeOf = Text{"(choice %d of %d)", "(scelta %d di %d)"}
	textAlternative   = Text{"other choice", "altra scelta"}
	textProtocolLabel = Text{"protocol", "protocollo"}
	textServerLabel   = Text{"server", "server"}
	textPortLabel     = Text{"port", "porta"}
	textSecurityLabel = Text{"security", "sicurezza"}
	textUsernameLabel = Text{"user name", "nome utente"}
	textTestThem      = Text{"test them", "provale"}

	textEditTitle = Text{"Settings for %s, by hand", "Impostazioni per %s, a mano"}
	textUseThese  = Text{"use these", "usa queste"}

	textTestTitle = Text{"Testing the settings of %s", "Prova delle impostazioni di %s"}
	textAs        = Text{"as %s", "come %s"}
	textSaveIt    = Text{"save", "salva"}

	textTrustTitle = Text{"Trust this certificate?", "Fidarsi di questo certificato?"}
	textTrustBody  = Text{
		"No trusted authority vouches for the certificate of %s. If you know it is your server's own (a self-signed certificate at work, say), postino can trust exactly this certificate, by its fingerprint, for this account only.",
		"Nessuna autorità fidata garantisce il certificato di %s. Se sai che è proprio quello del tuo server (per esempio un certificato autofirmato in ufficio), postino può fidarsi esattamente di questo certificato, tramite la sua impronta, solo per questo account.",
	}
	textCertSubject = Text{"subject", "soggetto"}
	textCertNames   = Text{"valid for", "valido per"}
	textCertIssuer  = Text{"issued by", "emesso da"}
	textCertUntil   = Text{"valid until", "valido fino al"}
	textTrustWarn   = Text{
		"Compare the fingerprint with the one your administrator gives you. If they differ, someone may be intercepting the connection: do not trust it.",
		"Confronta l'impronta con quella che ti dà l'amministratore. Se sono diverse qualcuno potrebbe intercettare la connessione: non fidarti.",
	}
	textTrustYes = Text{"trust it", "fidati"}

	textSaveTitle          = Text{"Saving %s", "Salvataggio di %s"}
	textSaving             = Text{"Saving the settings and the password…", "Salvataggio delle impostazioni e della password…"}
	textKeyringUnavailable = Text{"The password could not be stored: the system keyring is unavailable.", "Impossibile conservare la password: il portachiavi di sistema non è disponibile."}
	textKeyringChoices     = Text{
		"Unlock the keyring and retry, or save the settings without the password: your mail program will then ask for it.",
		"Sblocca il portachiavi e riprova, oppure salva le impostazioni senza la password: il programma di posta te la chiederà.",
	}
	textSaveFailed = Text{"The settings could not be saved: %s", "Impossibile salvare le impostazioni: %s"}

	textDoneTitle         = Text{"%s is set up.", "%s è configurato."}
	textPasswordStored    = Text{"The password is in this computer's keyring.", "La password è nel portachiavi di questo computer."}
	textPasswordNotStored = Text{"The password was not stored: your mail program will ask for it.", "La password non è stata conservata: il programma di posta la chiederà."}
	textPinsStored        = Text{"The certificate you trusted is stored with the account.", "Il certificato di cui ti fidi è salvato con l'account."}
	textExportChoices     = Text{"To hand the settings to a mail program:", "Per passare le impostazioni a un programma di posta:"}
	textShowLater         = Text{"postino show %s prints the settings again.", "postino show %s mostra di nuovo le impostazioni."}
	textFinish            = Text{"finish", "fine"}
	textFormatWord        = Text{"FORMAT", "FORMATO"}
	textFormatsAre        = Text{"where FORMAT is one of: %s.", "dove FORMATO è uno tra: %s."}

	textQuitTitle = Text{"Quit without saving?", "Uscire senza salvare?"}
	textQuitBody  = Text{
		"The settings for %s are not saved yet. Anything still running has been stopped.",
		"Le impostazioni per %s non sono ancora salvate. Quello che era in corso è stato fermato.",
	}
	textHelpTitle = Text{"Keys", "Tasti"}
	textHelpBody  = Text{
		"The bar at the bottom shows the keys that work on each screen. Nothing is saved until the tests pass and the account is saved; ctrl+c asks before quitting.",
		"La barra in basso mostra i tasti validi in ogni schermata. Nulla viene salvato finché le prove non riescono e l'account non è salvato; ctrl+c chiede conferma prima di uscire.",
	}
)

// Prompts of the plain, line by line wizard (postino --plain).
var (
	textPlainIntro = Text{
		"Answer each question and press enter. Type < to go back, or q to quit.",
		"Rispondi a ogni domanda e premi invio. Scrivi < per tornare indietro, oppure q per uscire.",
	}
	textPlainStart        = Text{"Press enter to add an account: ", "Premi invio per aggiungere un account: "}
	textPlainChoose       = Text{"Choose 1 to %d [%d]: ", "Scegli da 1 a %d [%d]: "}
	textPlainNumber       = Text{"Type a number from 1 to %d.", "Scrivi un numero da 1 a %d."}
	textPlainAddress      = Text{"Email address: ", "Indirizzo email: "}
	textPlainDefault      = Text{"%s [%s]: ", "%s [%s]: "}
	textPlainContinue     = Text{"Press enter to continue: ", "Premi invio per continuare: "}
	textPlainPassword     = Text{"Password for %s (not shown): ", "Password per %s (non viene mostrata): "}
	textPlainReview       = Text{"Press enter to test these settings, or type e to edit them%s: ", "Premi invio per provare queste impostazioni, oppure scrivi e per modificarle%s: "}
	textPlainAlternatives = Text{", i or o for the other incoming or outgoing choice", ", i oppure o per l'altra scelta in arrivo o in uscita"}
	textPlainSave         = Text{"Press enter to save the account: ", "Premi invio per salvare l'account: "}
	textPlainFailed       = Text{"Type r to retry, e to edit the settings%s, or < to go back: ", "Scrivi r per riprovare, e per modificare le impostazioni%s, oppure < per tornare indietro: "}
	textPlainTrustChoice  = Text{", t to trust the certificate", ", t per fidarti del certificato"}
	textPlainTrust        = Text{"Type yes to trust this certificate; anything else goes back: ", "Scrivi sì per fidarti di questo certificato; altro per tornare indietro: "}
	textPlainSaveFailed   = Text{"Type r to retry%s, or q to quit: ", "Scrivi r per riprovare%s, oppure q per uscire: "}
	textPlainNoPassword   = Text{", w to save without the password", ", w per salvare senza la password"}
	TextWizardFailed      = Text{"The wizard stopped: %s.", "La procedura guidata si è interrotta: %s."}
)

// sourceNames say where settings came from.
var sourceNames = map[wizard.Source]Text{
	wizard.SourceProviders:  {"postino's provider list", "l'elenco dei provider di postino"},
	wizard.SourceAutoconfig: {"your provider's autoconfig over HTTPS", "la configurazione automatica del provider via HTTPS"},
	wizard.SourceISPDB:      {"Thunderbird's provider database", "il database dei provider di Thunderbird"},
	wizard.SourceMX:         {"your domain's mail servers (MX)", "i server di posta del dominio (MX)"},
	wizard.SourceSRV:        {"your domain's DNS service records (SRV)", "i record di servizio DNS del dominio (SRV)"},
	wizard.SourceGuess:      {"guessed — please check", "ipotizzate — controllale"},
	wizard.SourceManual:     {"entered by hand", "inserite a mano"},
}

// keyringReasons say why the keyring cannot be used.
var keyringReasons = map[store.Reason]Text{
	store.KeyringFailed:   {"The keyring reported an error.", "Il portachiavi ha segnalato un errore."},
	store.NoSessionBus:    {"There is no desktop session (D-Bus) to reach a keyring through: common on servers and in containers.", "Non c'è una sessione desktop (D-Bus) attraverso cui raggiungere un portachiavi: succede spesso su server e container."},
	store.NoSecretService: {"No keyring service (such as GNOME Keyring or KWallet) is running.", "Nessun servizio portachiavi (come GNOME Keyring o KWallet) è in esecuzione."},
	store.KeyringLocked:   {"The keyring is locked and could not be unlocked.", "Il portachiavi è bloccato e non è stato possibile sbloccarlo."},
	store.KeyringNoAnswer: {"The keyring did not answer in time; an unlock prompt may be waiting in another window.", "Il portachiavi non ha risposto in tempo; forse una richiesta di sblocco attende in un'altra finestra."},
}

// fieldNames label the edit form's fields.
var fieldNames = map[wizard.Field]Text{
	wizard.FieldHost:     {"server", "server"},
	wizard.FieldPort:     {"port", "porta"},
	wizard.FieldSecurity: {"security", "sicurezza"},
	wizard.FieldUsername: {"user name", "nome utente"},
}

// problemTexts say what is wrong with a field of the form.
var problemTexts = map[wizard.Problem]Text{
	wizard.ProblemNotNow:          {"The form cannot be used now.", "Il modulo non si può usare ora."},
	wizard.ProblemHostEmpty:       {"Type the server's name, e.g. mail.example.com.", "Scrivi il nome del server, ad esempio mail.example.com."},
	wizard.ProblemHostInvalid:     {"A server name has only letters, digits, dots and hyphens.", "Un nome di server ha solo lettere, cifre, punti e trattini."},
	wizard.ProblemPortInvalid:     {"A port is a number from 1 to 65535.", "Una porta è un numero da 1 a 65535."},
	wizard.ProblemSecurityInvalid: {"Choose SSL/TLS or STARTTLS.", "Scegli SSL/TLS o STARTTLS."},
	wizard.ProblemUsernameEmpty:   {"Type the user name, often the address itself.", "Scrivi il nome utente, spesso l'indirizzo stesso."},
}

// Sentences of postino export.
var (
	TextExportWantName        = Text{"postino export needs the name or address of one saved account and a --format: %s.", "postino export richiede il nome o l'indirizzo di un account salvato e un --format: %s."}
	TextExportWantFormat      = Text{"Choose a --format: %s.", "Scegli un --format: %s."}
	TextExportUnknownFormat   = Text{"postino cannot export as %q; the formats are: %s.", "postino non sa esportare come %q; i formati sono: %s."}
	TextExportNeedIncoming    = Text{"The %s export needs an incoming server, and the account has none.", "L'esportazione %s richiede un server in arrivo, e l'account non ne ha."}
	TextExportNeedOutgoing    = Text{"The %s export needs an outgoing server, and the account has none.", "L'esportazione %s richiede un server in uscita, e l'account non ne ha."}
	TextExportNeedIMAP        = Text{"%s reads mail over IMAP only, and this account uses %s: export neomutt or fetchmail instead.", "%s legge la posta solo via IMAP, e questo account usa %s: esporta invece neomutt o fetchmail."}
	TextExportNeedPassword    = Text{"The %s export cannot sign in to %s, which takes OAuth2 only.", "L'esportazione %s non sa accedere a %s, che accetta solo OAuth2."}
	TextExportUnwritable      = Text{"The %s format cannot hold %q.", "Il formato %s non può contenere %q."}
	TextExportFailed          = Text{"The export failed: %s.", "L'esportazione non è riuscita: %s."}
	TextExportExists          = Text{"%s already exists; add --force to replace it.", "%s esiste già; aggiungi --force per sostituirlo."}
	TextExportWriteFailed     = Text{"Cannot write %s: %s.", "Impossibile scrivere %s: %s."}
	TextExportWrote           = Text{"Wrote %s (%s), readable only by you.", "Scritto %s (%s), leggibile solo da te."}
	TextExportThunderbirdHint = Text{"Host it at https://autoconfig.%s/mail/config-v1.1.xml, or copy it into the isp folder of Thunderbird's installation.", "Pubblicalo su https://autoconfig.%s/mail/config-v1.1.xml, oppure copialo nella cartella isp dell'installazione di Thunderbird."}
	TextExportFetchmailHint   = Text{"Run fetchmail so that the password travels on a pipe: %s", "Esegui fetchmail in modo che la password passi su una pipe: %s"}
)

// Sentences of the saved accounts: postino list, show, remove, password
// and test --save.
var (
	TextStoreWantName   = Text{"postino %s needs the name or address of one saved account; postino list shows them.", "postino %s richiede il nome o l'indirizzo di un account salvato; postino list li mostra."}
	TextStoreNoAccount  = Text{"No saved account is called %q; postino list shows the saved accounts.", "Nessun account salvato si chiama %q; postino list mostra gli account salvati."}
	TextStoreBadName    = Text{"%q cannot be an account's name: use letters, digits and punctuation, not starting with - and without spaces around it.", "%q non può essere il nome di un account: usa lettere, cifre e punteggiatura, senza iniziare con - e senza spazi attorno."}
	TextStoreNameTaken  = Text{"The name %q already belongs to the account of %s: choose another with --name.", "Il nome %q appartiene già all'account di %s: scegline un altro con --name."}
	TextStoreEmpty      = Text{"No saved accounts yet: postino test ADDRESS ... --save saves one.", "Ancora nessun account salvato: postino test INDIRIZZO ... --save ne salva uno."}
	TextStoreNoPassword = Text{
		"No password is stored for %s; postino test %s --password-stdin --save stores one.",
		"Nessuna password è salvata per %s; postino test %s --password-stdin --save ne salva una.",
	}
	TextStoreRemoved              = Text{"Removed %s and its password from the keyring.", "Rimosso %s insieme alla sua password nel portachiavi."}
	TextStoreRemovedNoPassword    = Text{"Removed %s; its password was already gone from the keyring.", "Rimosso %s; la sua password non c'era già più nel portachiavi."}
	TextStoreSaved                = Text{"Saved %s; its password is in the keyring (service %s, user %s).", "Salvato %s; la sua password è nel portachiavi (servizio %s, utente %s)."}
	TextStoreSavedKeptPassword    = Text{"Saved %s; its password in the keyring is unchanged.", "Salvato %s; la sua password nel portachiavi non è cambiata."}
	TextStoreSavedWithoutPassword = Text{
		"Saved %s without a password: none was given, so the login was not tested; postino test %s --password-stdin --save stores one.",
		"Salvato %s senza password: non ne è stata data una, quindi l'accesso non è stato provato; postino test %s --password-stdin --save ne salva una.",
	}
	TextStoreNotSaved = Text{"Not saved: some settings do not work; fix them and test again.", "Non salvato: alcune impostazioni non funzionano; correggile e prova di nuovo."}

	TextStoreDamaged = Text{
		"The saved accounts file %s is damaged at line %d (%s): correct it or move it away; postino does not write over it.",
		"Il file degli account salvati %s è danneggiato alla riga %d (%s): correggilo o spostalo; postino non lo sovrascrive.",
	}
	TextStoreNewer = Text{
		"The saved accounts file %s (line %d) has format version %d, written by a newer postino: update postino; this one does not write over it.",
		"Il file degli account salvati %s (riga %d) ha la versione di formato %d, scritta da un postino più recente: aggiorna postino; questo non lo sovrascrive.",
	}
	TextStoreFailed      = Text{"Cannot use the saved accounts in %s: %s.", "Impossibile usare gli account salvati in %s: %s."}
	TextStoreBusy        = Text{"Another postino is changing the saved accounts in %s: try again in a moment.", "Un altro postino sta modificando gli account salvati in %s: riprova tra poco."}
	TextStoreNoConfigDir = Text{"postino cannot tell where to keep its settings: set HOME or XDG_CONFIG_HOME.", "postino non sa dove tenere le impostazioni: imposta HOME o XDG_CONFIG_HOME."}
	TextKeyringFailed    = Text{
		"The keyring is unavailable (%s): start a keyring daemon such as gnome-keyring, or run postino inside dbus-run-session (see the README, Saved accounts).",
		"Il portachiavi non è disponibile (%s): avvia un servizio di portachiavi come gnome-keyring, oppure esegui postino dentro dbus-run-session (vedi il README, Saved accounts).",
	}

	// Labels of postino list and show.
	TextStorePasswordStored   = Text{"password in the keyring", "password nel portachiavi"}
	TextStoreNoPasswordStored = Text{"no password stored", "nessuna password salvata"}
	TextStoreKeyringUnknown   = Text{"keyring unavailable", "portachiavi non disponibile"}
	TextStoreAddress          = Text{"address", "indirizzo"}
	TextStoreIncoming         = Text{"incoming", "in arrivo"}
	TextStoreOutgoing         = Text{"outgoing", "in uscita"}
	TextStoreFallback         = Text{"fallback", "alternativa"}
	TextStoreUser             = Text{"user %s", "utente %s"}
	TextStorePin              = Text{"trusted certificate", "certificato fidato"}
	TextStorePassword         = Text{"password", "password"}
	TextStorePasswordWhere    = Text{"in the keyring (service %s, user %s)", "nel portachiavi (servizio %s, utente %s)"}
	TextStoreSavedOn          = Text{"saved", "salvato"}
	TextStoreSavedWhen        = Text{"%s, changed %s", "%s, modificato %s"}
	TextStoreFile             = Text{"file", "file"}
)

// KeyringTexts say what is missing when the keyring is unavailable, and
// how to get it.
var KeyringTexts = map[store.Reason]Text{
	store.NoSessionBus: {
		"The keyring is unavailable: there is no D-Bus session bus to reach it through; run postino in a desktop session, or on a server without one inside dbus-run-session with gnome-keyring-daemon --unlock (see the README, Saved accounts).",
		"Il portachiavi non è disponibile: non c'è un bus di sessione D-Bus per raggiungerlo; esegui postino in una sessione desktop, oppure su un server senza desktop dentro dbus-run-session con gnome-keyring-daemon --unlock (vedi il README, Saved accounts).",
	},
	store.NoSecretService: {
		"The keyring is unavailable: no keyring daemon answers on the D-Bus session bus; install and start one such as gnome-keyring (or KeePassXC with its Secret Service), or on a server run postino inside dbus-run-session with gnome-keyring-daemon --unlock (see the README, Saved accounts).",
		"Il portachiavi non è disponibile: nessun servizio di portachiavi risponde sul bus di sessione D-Bus; installane e avviane uno come gnome-keyring (o KeePassXC con il suo Secret Service), oppure su un server esegui postino dentro dbus-run-session con gnome-keyring-daemon --unlock (vedi il README, Saved accounts).",
	},
	store.KeyringLocked: {
		"The keyring is unavailable: it is locked and postino cannot ask for its password here; unlock it (log in to the desktop, or give its password to gnome-keyring-daemon --unlock --replace) and try again.",
		"Il portachiavi non è disponibile: è bloccato e postino qui non può chiederne la password; sbloccalo (accedi al desktop, oppure dai la sua password a gnome-keyring-daemon --unlock --replace) e riprova.",
	},
	store.KeyringNoAnswer: {
		"The keyring did not answer: it may be waiting for you to unlock it in another window; unlock it and try again.",
		"Il portachiavi non ha risposto: forse aspetta che tu lo sblocchi in un'altra finestra; sbloccalo e riprova.",
	},
}
