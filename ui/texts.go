// Package ui is what a person sees: the wizard's screens, full-screen and
// plain, and the reports of a test and a detection that the commands
// print. This file holds the texts the screens and reports share; every
// sentence exists in English and Italian (probe.Text).
package ui

import (
	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/store"
)

// Sentences of the wizard's screens.
var (
	textWizardTitle = probe.Text{EN: "add an email account", IT: "aggiungi un account email"}
	textStepOf      = probe.Text{EN: "step %d of %d", IT: "passo %d di %d"}
	textMore        = probe.Text{EN: "… %d of %d lines: pgup/pgdn scrolls", IT: "… %d di %d righe: pagsu/paggiù per scorrere"}

	textWelcomeTitle = probe.Text{EN: "Welcome to postino", IT: "Ti diamo il benvenuto in postino"}
	textWelcomeBody  = probe.Text{
		EN: "postino sets up an email account: it finds the server settings for your address, tests them live, keeps the password in this computer's keyring, and exports the settings for your mail program.",
		IT: "postino configura un account email: trova le impostazioni dei server per il tuo indirizzo, le prova subito, conserva la password nel portachiavi di questo computer ed esporta le impostazioni per il tuo programma di posta.",
	}
	textSavedAccounts      = probe.Text{EN: "Saved accounts:", IT: "Account salvati:"}
	textNoAccounts         = probe.Text{EN: "No saved accounts yet.", IT: "Nessun account salvato per ora."}
	textAccountsUnreadable = probe.Text{EN: "The saved accounts cannot be read: %s", IT: "Impossibile leggere gli account salvati: %s"}
	textAddAccount         = probe.Text{EN: "add an account", IT: "aggiungi un account"}

	textProtocolTitle = probe.Text{EN: "How do you want to read your mail?", IT: "Come vuoi leggere la posta?"}
	textIMAPName      = probe.Text{EN: "IMAP (recommended)", IT: "IMAP (consigliato)"}
	textIMAPAbout     = probe.Text{
		EN: "Keeps your mail on the server, so your phone, tablet and computer stay in step: a message read or deleted on one is read or deleted on all.",
		IT: "Tiene la posta sul server, così telefono, tablet e computer restano allineati: un messaggio letto o cancellato su uno lo è su tutti.",
	}
	textPOPName  = probe.Text{EN: "POP", IT: "POP"}
	textPOPAbout = probe.Text{
		EN: "Downloads your mail to one device and usually removes it from the server: no sync, other devices do not see it.",
		IT: "Scarica la posta su un solo dispositivo e di solito la toglie dal server: nessuna sincronizzazione, gli altri dispositivi non la vedono.",
	}
	textOnlyOffers = probe.Text{EN: "%s offers only %s for reading mail.", IT: "%s offre solo %s per leggere la posta."}

	textAddressTitle = probe.Text{EN: "Your email address", IT: "Il tuo indirizzo email"}
	textAddressBody  = probe.Text{EN: "The address of the mailbox to set up.", IT: "L'indirizzo della casella di posta da configurare."}
	textAddressOK    = probe.Text{EN: "looks right", IT: "sembra corretto"}
	textNameBody     = probe.Text{EN: "Your name, as the people you write to will see it (optional):", IT: "Il tuo nome, come lo vedrà chi riceve i tuoi messaggi (facoltativo):"}
	textSwitchField  = probe.Text{EN: "address/name", IT: "indirizzo/nome"}

	textCheckingDomain = probe.Text{EN: "Checking %s…", IT: "Controllo di %s…"}
	textDidYouMean     = probe.Text{EN: "Did you mean %s? %s receives no mail.", IT: "Forse intendevi %s? %s non riceve posta."}
	textUseSuggestion  = probe.Text{EN: "use it", IT: "usa questo"}
	textKeepTyped      = probe.Text{EN: "keep what I typed", IT: "lascia quello che ho scritto"}
	textPlainName      = probe.Text{EN: "Your name, as the people you write to will see it (optional): ", IT: "Il tuo nome, come lo vedrà chi riceve i tuoi messaggi (facoltativo): "}
	textPlainMeant     = probe.Text{EN: "Use %s? Y/n: ", IT: "Vuoi usare %s? S/n: "}

	textNameTooLong = probe.Text{EN: "A name has at most %d characters.", IT: "Un nome può avere al massimo %d caratteri."}
	textNameControl = probe.Text{EN: "A name cannot hold control characters such as a line break.", IT: "Un nome non può contenere caratteri di controllo come un a capo."}

	textHintTitle = probe.Text{EN: "Before the password: advice for %s", IT: "Prima della password: consigli per %s"}
	textHintDocs  = probe.Text{EN: "Your provider's instructions: %s", IT: "Le istruzioni del tuo provider: %s"}

	textPasswordTitle = probe.Text{EN: "Password for %s", IT: "Password per %s"}
	textPasswordBody  = probe.Text{
		EN: "It is used to test the connection and then kept in this computer's keyring, never in a file.",
		IT: "Serve a provare la connessione e poi viene conservata nel portachiavi di questo computer, mai in un file.",
	}
	textPasswordShown  = probe.Text{EN: "The password is shown: mind who can see the screen.", IT: "La password è visibile: attenzione a chi guarda lo schermo."}
	textPasswordEmpty  = probe.Text{EN: "Type the password.", IT: "Scrivi la password."}
	textProviderAdvice = probe.Text{EN: "Your provider's advice", IT: "Il consiglio del tuo provider"}

	// passwordProblems say why wizard.CheckPassword refused a password.
	passwordProblems = map[error]probe.Text{
		wizard.ErrEmptyPassword:   textPasswordEmpty,
		wizard.ErrPasswordTooLong: {EN: "This password is longer than 4096 bytes: no mail server takes one so long. Check what was pasted.", IT: "Questa password supera i 4096 byte: nessun server di posta ne accetta una così lunga. Controlla cosa hai incollato."},
		wizard.ErrPasswordControl: {EN: "This password contains a line break or a NUL byte, which cannot be sent to a mail server. Check what was pasted.", IT: "Questa password contiene un a capo o un byte NUL, che non si possono inviare a un server di posta. Controlla cosa hai incollato."},
	}

	textDetectTitle     = probe.Text{EN: "Looking for the settings of %s", IT: "Ricerca delle impostazioni di %s"}
	textDetectStarting  = probe.Text{EN: "starting…", IT: "avvio…"}
	textSourceRunning   = probe.Text{EN: "looking…", IT: "cerco…"}
	textSourceFound     = probe.Text{EN: "found", IT: "trovate"}
	textSourceNothing   = probe.Text{EN: "nothing", IT: "niente"}
	textFoundFrom       = probe.Text{EN: "Settings from %s.", IT: "Impostazioni trovate; fonte: %s."}
	textProviderIs      = probe.Text{EN: "Provider: %s", IT: "Provider: %s"}
	textUntrustedSource = probe.Text{
		EN: "These settings are not from a verified source: check them before you go on.",
		IT: "Queste impostazioni non vengono da una fonte verificata: controllale prima di proseguire.",
	}
	textNothingFound = probe.Text{
		EN: "No settings found. Enter them by hand: your provider's help pages list them.",
		IT: "Nessuna impostazione trovata. Inseriscile a mano: le trovi nelle pagine di assistenza del tuo provider.",
	}
	textNoNetwork = probe.Text{
		EN: "No internet connection (or DNS is not working): postino could not look for the settings. Check the connection and try again, or enter the settings by hand.",
		IT: "Nessuna connessione a internet (oppure il DNS non funziona): postino non ha potuto cercare le impostazioni. Controlla la connessione e riprova, oppure inserisci le impostazioni a mano.",
	}
	textPlainNoNetwork = probe.Text{EN: "Type r to try again, or press enter to enter the settings by hand: ", IT: "Scrivi r per riprovare, oppure premi invio per inserire le impostazioni a mano: "}
	textEnterByHand    = probe.Text{EN: "enter them by hand", IT: "inseriscile a mano"}

	textReviewTitle   = probe.Text{EN: "Settings for %s", IT: "Impostazioni per %s"}
	textFrom          = probe.Text{EN: "source: %s", IT: "fonte: %s"}
	textEnteredByHand = probe.Text{EN: "entered by hand", IT: "inserite a mano"}
	textIncomingCap   = probe.Text{EN: "Incoming", IT: "In arrivo"}
	textOutgoingCap   = probe.Text{EN: "Outgoing", IT: "In uscita"}
	textAlternativeOf = probe.Text{EN: "(choice %d of %d)", IT: "(scelta %d di %d)"}
	textAlternative   = probe.Text{EN: "other choice", IT: "altra scelta"}
	textProtocolLabel = probe.Text{EN: "protocol", IT: "protocollo"}
	textServerLabel   = probe.Text{EN: "server", IT: "server"}
	textPortLabel     = probe.Text{EN: "port", IT: "porta"}
	textSecurityLabel = probe.Text{EN: "security", IT: "sicurezza"}
	textUsernameLabel = probe.Text{EN: "user name", IT: "nome utente"}
	textTestThem      = probe.Text{EN: "test them", IT: "provale"}

	textEditTitle = probe.Text{EN: "Settings for %s, by hand", IT: "Impostazioni per %s, a mano"}
	textUseThese  = probe.Text{EN: "use these", IT: "usa queste"}

	textTestTitle = probe.Text{EN: "Testing the settings of %s", IT: "Prova delle impostazioni di %s"}
	textAs        = probe.Text{EN: "as %s", IT: "come %s"}
	textSaveIt    = probe.Text{EN: "save", IT: "salva"}
	textSending   = probe.Text{EN: "Sending a test message to %s…", IT: "Invio di un messaggio di prova a %s…"}
	textSentOK    = probe.Text{EN: "Test message sent to %s at %s (%s): look for “%s” in your inbox.", IT: "Messaggio di prova inviato a %s alle %s (%s): cerca “%s” nella posta in arrivo."}
	textNotSent   = probe.Text{EN: "The test message was not sent.", IT: "Il messaggio di prova non è stato inviato."}

	textTrustTitle = probe.Text{EN: "Trust this certificate?", IT: "Ti fidi di questo certificato?"}
	textTrustBody  = probe.Text{
		EN: "No trusted authority vouches for the certificate of %s. If you know it is your server's own (a self-signed certificate at work, say), postino can trust exactly this certificate, by its fingerprint, for this account only.",
		IT: "Nessuna autorità attendibile garantisce il certificato di %s. Se sai che è davvero quello del tuo server (per esempio un certificato autofirmato in ufficio), postino può fidarsi di questo preciso certificato, riconoscendolo dalla sua impronta, e solo per questo account.",
	}
	textCertSubject = probe.Text{EN: "subject", IT: "soggetto"}
	textCertNames   = probe.Text{EN: "valid for", IT: "valido per"}
	textCertIssuer  = probe.Text{EN: "issued by", IT: "emesso da"}
	textCertUntil   = probe.Text{EN: "valid until", IT: "valido fino al"}
	textTrustWarn   = probe.Text{
		EN: "Compare the fingerprint with the one your administrator gives you. If they differ, someone may be intercepting the connection: do not trust it.",
		IT: "Confronta l'impronta con quella che ti dà l'amministratore. Se sono diverse, qualcuno potrebbe intercettare la connessione: non fidarti.",
	}
	textTrustYes = probe.Text{EN: "trust it", IT: "fidati"}

	textSaveTitle          = probe.Text{EN: "Saving %s", IT: "Salvataggio di %s"}
	textSaving             = probe.Text{EN: "Saving the settings and the password…", IT: "Salvataggio delle impostazioni e della password…"}
	textKeyringUnavailable = probe.Text{EN: "The password could not be stored: the system keyring is unavailable.", IT: "Impossibile conservare la password: il portachiavi di sistema non è disponibile."}
	textKeyringChoices     = probe.Text{
		EN: "Unlock the keyring and retry, or save the settings without the password: your mail program will then ask for it.",
		IT: "Sblocca il portachiavi e riprova, oppure salva le impostazioni senza la password: il programma di posta te la chiederà.",
	}
	textSaveFailed = probe.Text{EN: "The settings could not be saved: %s", IT: "Impossibile salvare le impostazioni: %s"}

	textDoneTitle         = probe.Text{EN: "%s is set up.", IT: "%s è configurato."}
	textPasswordStored    = probe.Text{EN: "The password is in this computer's keyring.", IT: "La password è nel portachiavi di questo computer."}
	textPasswordNotStored = probe.Text{EN: "The password was not stored: your mail program will ask for it.", IT: "La password non è stata conservata: il programma di posta te la chiederà."}
	textPinsStored        = probe.Text{EN: "The certificate you trusted is stored with the account.", IT: "Il certificato di cui ti fidi è salvato con l'account."}
	textExportChoices     = probe.Text{EN: "To hand the settings to a mail program:", IT: "Per passare le impostazioni a un programma di posta:"}
	textShowLater         = probe.Text{EN: "postino show %s prints the settings again.", IT: "postino show %s mostra di nuovo le impostazioni."}
	textFinish            = probe.Text{EN: "finish", IT: "fine"}
	textFormatWord        = probe.Text{EN: "FORMAT", IT: "FORMATO"}
	textFormatsAre        = probe.Text{EN: "where FORMAT is one of: %s.", IT: "dove FORMATO è uno tra: %s."}

	textQuitTitle = probe.Text{EN: "Quit without saving?", IT: "Vuoi uscire senza salvare?"}
	textQuitBody  = probe.Text{
		EN: "The settings for %s are not saved yet. Anything still running has been stopped.",
		IT: "Le impostazioni di %s non sono ancora salvate. Le operazioni in corso sono state interrotte.",
	}
	textHelpTitle = probe.Text{EN: "Keys", IT: "Tasti"}
	textHelpBody  = probe.Text{
		EN: "The bar at the bottom shows the keys that work on each screen. Nothing is saved until the tests pass and the account is saved; ctrl+c asks before quitting.",
		IT: "La barra in basso mostra i tasti che funzionano in ogni schermata. Non viene salvato nulla finché le prove non riescono e non salvi l'account; ctrl+c chiede conferma prima di uscire.",
	}
)

// Prompts of the plain, line by line wizard (postino --plain).
var (
	textPlainIntro = probe.Text{
		EN: "Answer each question and press enter. Type < to go back, or q to quit.",
		IT: "Rispondi a ogni domanda e premi invio. Scrivi < per tornare indietro, oppure q per uscire.",
	}
	textPlainStart        = probe.Text{EN: "Press enter to add an account: ", IT: "Premi invio per aggiungere un account: "}
	textPlainChoose       = probe.Text{EN: "Choose %s [%d]: ", IT: "Scegli %s [%d]: "}
	textPlainNumber       = probe.Text{EN: "Choose %s.", IT: "Scegli %s."}
	textPlainOr           = probe.Text{EN: "or", IT: "o"}
	textPlainAddress      = probe.Text{EN: "Email address: ", IT: "Indirizzo email: "}
	textPlainDefault      = probe.Text{EN: "%s [%s]: ", IT: "%s [%s]: "}
	textPlainContinue     = probe.Text{EN: "Press enter to continue: ", IT: "Premi invio per continuare: "}
	textPlainPassword     = probe.Text{EN: "Password for %s (not shown): ", IT: "Password per %s (non viene mostrata): "}
	textPlainReview       = probe.Text{EN: "Press enter to test these settings, or type e to edit them%s: ", IT: "Premi invio per provare queste impostazioni, oppure scrivi «e» per modificarle%s: "}
	textPlainAlternatives = probe.Text{EN: ", i or o for the other incoming or outgoing choice", IT: ", «i» o «o» per l'altra scelta in arrivo o in uscita"}
	textPlainSend         = probe.Text{EN: "Send a test message to yourself? y/N: ", IT: "Vuoi inviare un messaggio di prova a te stesso? s/N: "}
	textPlainSave         = probe.Text{EN: "Press enter to save the account: ", IT: "Premi invio per salvare l'account: "}
	textPlainFailed       = probe.Text{EN: "Type r to retry, e to edit the settings%s, or < to go back: ", IT: "Scrivi «r» per riprovare, «e» per modificare le impostazioni%s, oppure < per tornare indietro: "}
	textPlainTrustChoice  = probe.Text{EN: ", t to trust the certificate", IT: ", t per fidarti del certificato"}
	textPlainTrust        = probe.Text{EN: "Type yes to trust this certificate; anything else goes back: ", IT: "Scrivi sì per fidarti di questo certificato, qualsiasi altra cosa per tornare indietro: "}
	textPlainSaveFailed   = probe.Text{EN: "Type r to retry%s, or q to quit: ", IT: "Scrivi r per riprovare%s, oppure q per uscire: "}
	textPlainNoPassword   = probe.Text{EN: ", w to save without the password", IT: ", w per salvare senza la password"}
)

// sourceNames say where settings came from.
var sourceNames = map[mailbox.Source]probe.Text{
	mailbox.SourceProviders:    {EN: "postino's provider list", IT: "l'elenco dei provider di postino"},
	mailbox.SourceAutoconfig:   {EN: "your provider's autoconfig over HTTPS", IT: "la configurazione automatica del provider via HTTPS"},
	mailbox.SourceISPDB:        {EN: "Thunderbird's provider database", IT: "il database dei provider di Thunderbird"},
	mailbox.SourceAutodiscover: {EN: "your domain's Exchange Autodiscover", IT: "l'Autodiscover Exchange del dominio"},
	mailbox.SourceMX:           {EN: "your domain's mail servers (MX)", IT: "i server di posta del dominio (MX)"},
	mailbox.SourceSRV:          {EN: "your domain's DNS service records (SRV)", IT: "i record di servizio DNS del dominio (SRV)"},
	mailbox.SourceGuess:        {EN: "guessed — please check", IT: "ipotizzate — controllale"},
	mailbox.SourceManual:       {EN: "entered by hand", IT: "inserite a mano"},
}

// keyringReasons say why the keyring cannot be used.
var keyringReasons = map[store.Reason]probe.Text{
	store.KeyringFailed:   {EN: "The keyring reported an error.", IT: "Il portachiavi ha segnalato un errore."},
	store.NoSessionBus:    {EN: "There is no desktop session (D-Bus) to reach a keyring through: common on servers and in containers.", IT: "Non c'è una sessione desktop (D-Bus) attraverso cui raggiungere un portachiavi: succede spesso su server e container."},
	store.NoSecretService: {EN: "No keyring service (such as GNOME Keyring or KWallet) is running.", IT: "Nessun servizio portachiavi (come GNOME Keyring o KWallet) è in esecuzione."},
	store.KeyringLocked:   {EN: "The keyring is locked and could not be unlocked.", IT: "Il portachiavi è bloccato e non è stato possibile sbloccarlo."},
	store.KeyringNoAnswer: {EN: "The keyring did not answer in time; an unlock prompt may be waiting in another window.", IT: "Il portachiavi non ha risposto in tempo; forse una richiesta di sblocco è in attesa in un'altra finestra."},
}

// fieldNames label the edit form's fields.
var fieldNames = map[wizard.Field]probe.Text{
	wizard.FieldHost:     {EN: "server", IT: "server"},
	wizard.FieldPort:     {EN: "port", IT: "porta"},
	wizard.FieldSecurity: {EN: "security", IT: "sicurezza"},
	wizard.FieldUsername: {EN: "user name", IT: "nome utente"},
}

// pinKeyFixes are the advice to trust a certificate by its fingerprint, with
// the live test's key.
var pinKeyFixes = map[probe.Code]probe.Text{
	probe.CodeCertificateUntrusted: {EN: "If you know this certificate is right (a self-signed server of your own, or Proton Mail Bridge), press t to see it and trust it by its fingerprint.", IT: "Se sai che questo certificato è corretto (un tuo server autofirmato, o Proton Mail Bridge), premi t per vederlo e fidarti della sua impronta."},
	probe.CodeCertificateChanged:   {EN: "Ask the provider or the server's administrator whether the certificate was renewed and what its fingerprint is; only if it is the one shown, press t to trust the new certificate.", IT: "Chiedi al provider o all'amministratore del server se il certificato è stato rinnovato e qual è la sua impronta; solo se coincide con quella mostrata, premi t per fidarti del nuovo certificato."},
}

// problemTexts say what is wrong with a field of the form.
var problemTexts = map[wizard.Problem]probe.Text{
	wizard.ProblemNotNow:          {EN: "The form cannot be used now.", IT: "Il modulo non si può usare ora."},
	wizard.ProblemHostEmpty:       {EN: "Type the server's name, e.g. mail.example.com.", IT: "Scrivi il nome del server, ad esempio mail.example.com."},
	wizard.ProblemHostInvalid:     {EN: "A server name has only letters, digits, dots and hyphens.", IT: "Un nome di server può contenere solo lettere, cifre, punti e trattini."},
	wizard.ProblemPortInvalid:     {EN: "A port is a number from 1 to 65535.", IT: "Una porta è un numero da 1 a 65535."},
	wizard.ProblemSecurityInvalid: {EN: "Choose SSL/TLS or STARTTLS.", IT: "Scegli SSL/TLS o STARTTLS."},
	wizard.ProblemUsernameEmpty:   {EN: "Type the user name, often the address itself.", IT: "Scrivi il nome utente: spesso è l'indirizzo stesso."},
	wizard.ProblemUsernameInvalid: {EN: "A user name cannot hold control characters such as a line break.", IT: "Un nome utente non può contenere caratteri di controllo come un a capo."},
}

// Sentences of the sign-in (OAuth2).
var (
	textSignInTitle      = probe.Text{EN: "Sign in with %s", IT: "Accedi con %s"}
	textSignInAsking     = probe.Text{EN: "Asking %s how to sign in…", IT: "Richiesta a %s delle istruzioni per accedere…"}
	textSignInOpen       = probe.Text{EN: "On any device (a phone will do), open", IT: "Su qualsiasi dispositivo (va bene anche il telefono) apri"}
	textSignInCode       = probe.Text{EN: "and enter the code", IT: "e inserisci il codice"}
	textSignInScan       = probe.Text{EN: "Or scan the QR code: it opens the page with the code filled in.", IT: "Oppure inquadra il codice QR: apre la pagina con il codice già inserito."}
	textSignInWaiting    = probe.Text{EN: "Waiting for you to sign in…", IT: "In attesa che tu acceda…"}
	textSignInExpires    = probe.Text{EN: "(the code expires at %s)", IT: "(il codice scade alle %s)"}
	textSignInBrowser    = probe.Text{EN: "Sign in to %s in your browser. If it did not open, open this address on this computer:", IT: "Accedi a %s nel browser. Se non si è aperto, apri questo indirizzo su questo computer:"}
	textSignInNoBrowser  = probe.Text{EN: "To sign in to %s, open this address in a browser on this computer:", IT: "Per accedere a %s, apri questo indirizzo in un browser su questo computer:"}
	textSignInCancelled  = probe.Text{EN: "Sign-in cancelled.", IT: "Accesso annullato."}
	textSignInFailed     = probe.Text{EN: "Signing in to %s did not work: %v.", IT: "L'accesso a %s non è riuscito: %v."}
	textSignInRetry      = probe.Text{EN: "Check the connection to the internet and try again.", IT: "Controlla la connessione a internet e riprova."}
	textSignInOrPassword = probe.Text{EN: "Or log in with an app password instead: press p.", IT: "Oppure accedi con una password per le app: premi p."}
	textOAuth2NotSaved   = probe.Text{
		EN: "The provider gave no refresh token, so no mail program could sign in as %s again later: the account is not saved. Sign in again and allow offline access, if the provider asks.",
		IT: "Il provider non ha fornito un token di aggiornamento, quindi in seguito nessun programma di posta potrebbe riaccedere come %s: l'account non viene salvato. Accedi di nuovo e consenti l'accesso offline, se il provider lo chiede.",
	}
	textSignInStored      = probe.Text{EN: "The sign-in is in this computer's keyring: postino token gives mail programs a fresh access token.", IT: "L'accesso è conservato nel portachiavi di questo computer: postino token fornisce ai programmi di posta un nuovo token di accesso."}
	textSignInNotStored   = probe.Text{EN: "The sign-in was not stored: run postino login %s once the keyring works.", IT: "L'accesso non è stato conservato: esegui postino login %s quando il portachiavi funzionerà."}
	textPlainSignInCancel = probe.Text{EN: "Waiting for the sign-in; type q and enter to cancel.", IT: "In attesa dell'accesso; scrivi q e premi invio per annullare."}
	textPlainSignInAgain  = probe.Text{EN: "Type r to try again%s, or < to go back: ", IT: "Scrivi r per riprovare%s, oppure < per tornare indietro: "}
	textPlainUsePassword  = probe.Text{EN: ", p to use a password instead", IT: ", p per usare invece una password"}
	textPlainNotSavedEnd  = probe.Text{EN: "Press enter to finish: ", IT: "Premi invio per terminare: "}
)

// Sentences of saving an account whose test failed.
var (
	textSaveAnywayHint  = probe.Text{EN: "Setting up offline, or behind a firewall that blocks these servers? Press a to save anyway: the account is marked as not verified.", IT: "Stai configurando l'account senza rete, o dietro un firewall che blocca questi server? Premi il tasto a per salvare comunque: l'account verrà segnato come non verificato."}
	textSavedUnverified = probe.Text{EN: "Saved as not verified: its test did not pass. Once the cause is fixed (servers out of reach, a setting or the password), postino test %s --save tests it again.", IT: "Salvato come non verificato: la prova non è riuscita. Risolto il problema (server non raggiungibili, un'impostazione o la password), postino test %s --save ripeterà la prova."}
	textPlainSaveAnyway = probe.Text{EN: ", a to save anyway (marked as not verified)", IT: ", «a» per salvare comunque (l'account sarà segnato come non verificato)"}
)
