package probe

import (
	"errors"
	"strings"
	"time"
)

// Explanation is a diagnosis in words for a person: what happened, why, and
// what to do, in English or Italian.
type Explanation struct {
	What  string
	Why   string
	Fix   []string
	Notes []string
	// PinFix is where in Fix the advice to trust the certificate by its
	// fingerprint is, worded for the command line (--pin); -1 when there
	// is none. A front end with a key of its own words it its way.
	PinFix int
}

// Summary is What and Why in one paragraph.
func (e Explanation) Summary() string {
	if e.Why == "" {
		return e.What
	}
	return e.What + " " + e.Why
}

// The classic checklist, repeated where it fits.
var (
	fixInternet = Text{EN: "Check that this computer is connected to the internet.", IT: "Controlla che questo computer sia connesso a internet."}
	fixSettings = Text{EN: "Check the server settings: name %s, port %d, encryption %s.", IT: "Controlla le impostazioni del server: nome %s, porta %d, cifratura %s."}
	fixPassword = Text{EN: "Check the user name (%s) and the password; mind caps lock.", IT: "Controlla il nome utente (%s) e la password; attenzione al blocco maiuscole."}
	fixFirewall = Text{EN: "Check that no firewall or antivirus blocks port %d.", IT: "Controlla che nessun firewall o antivirus blocchi la porta %d."}
)

var texts = map[Code]struct{ what, why Text }{
	CodeOK: {
		Text{EN: "%s works: logged in as %s.", IT: "%s funziona: accesso eseguito come %s."}, Text{},
	},
	CodeDNSError: {
		Text{EN: "The server name %s could not be found.", IT: "Il nome del server %s non è stato trovato."},
		Text{EN: "Either the name is misspelt or there is no working internet connection.", IT: "Il nome è scritto male oppure manca una connessione a internet funzionante."},
	},
	CodeConnectionRefused: {
		Text{EN: "Nothing answered at %s.", IT: "Nessuna risposta da %s."},
		Text{EN: "The server refused the connection: the port is probably wrong, or the service is down.", IT: "Il server ha rifiutato la connessione: probabilmente la porta è sbagliata, oppure il servizio non è attivo."},
	},
	CodeTimeout: {
		Text{EN: "%s did not answer in time (during %s).", IT: "%s non ha risposto in tempo (durante: %s)."},
		Text{EN: "A firewall may be silently dropping the connection, or the server is overloaded.", IT: "Un firewall potrebbe bloccare la connessione in silenzio, oppure il server è sovraccarico."},
	},
	CodeTLSHandshakeFailed: {
		Text{EN: "The encrypted connection to %s could not be set up.", IT: "Non è stato possibile stabilire la connessione cifrata con %s."},
		Text{EN: "The server may expect another kind of encryption on this port (SSL/TLS or STARTTLS).", IT: "Il server potrebbe usare un altro tipo di cifratura su questa porta (SSL/TLS o STARTTLS)."},
	},
	CodeTLSVersionTooOld: {
		Text{EN: "%s offers only an old, insecure TLS version.", IT: "%s offre solo una versione di TLS vecchia e insicura."},
		Text{EN: "TLS 1.0 and 1.1 are broken and no longer allowed (RFC 8996); postino needs TLS 1.2 or newer.", IT: "TLS 1.0 e 1.1 sono insicuri e non più ammessi (RFC 8996); postino richiede TLS 1.2 o più recente."},
	},
	CodeCertificateUntrusted: {
		Text{EN: "The certificate of %s is not from a trusted authority (issued by %s).", IT: "Il certificato di %s non proviene da un'autorità attendibile (emesso da %s)."},
		Text{EN: "It may be self-signed, or someone may be intercepting the connection.", IT: "Potrebbe essere autofirmato, oppure qualcuno sta intercettando la connessione."},
	},
	CodeCertificateChanged: {
		Text{EN: "The certificate of %s is not the one trusted by its fingerprint.", IT: "Il certificato di %s non è quello di cui avevi scelto di fidarti tramite l'impronta."},
		Text{EN: "Either the server's certificate was renewed, or something is intercepting the connection.", IT: "Può darsi che il certificato del server sia stato rinnovato, oppure che qualcosa stia intercettando la connessione."},
	},
	CodeCertificateHostMismatch: {
		Text{EN: "The certificate of %s is not valid for that name; it is for: %s.", IT: "Il certificato di %s non è valido per quel nome; vale per: %s."},
		Text{EN: "The server name in the settings is probably not the one the provider documents.", IT: "Probabilmente il nome del server nelle impostazioni non è quello indicato dal provider."},
	},
	CodeCertificateExpired: {
		Text{EN: "The certificate of %s expired on %s.", IT: "Il certificato di %s è scaduto il %s."},
		Text{EN: "The provider must renew it; until then the connection cannot be trusted. Also check this computer's date and time.", IT: "Il provider deve rinnovarlo; fino ad allora la connessione non è affidabile. Controlla anche la data e l'ora di questo computer."},
	},
	CodeStartTLSNotOffered: {
		Text{EN: "%s does not offer STARTTLS encryption.", IT: "%s non offre la cifratura STARTTLS."},
		Text{EN: "Without it the password would travel in the clear, so postino stopped before sending it.", IT: "Senza di essa la password viaggerebbe in chiaro, quindi postino si è fermato prima di inviarla."},
	},
	CodeStartTLSFailed: {
		Text{EN: "%s did not switch to encryption when asked (STARTTLS).", IT: "%s non è passato alla cifratura quando richiesto (STARTTLS)."},
		Text{EN: "postino stopped before sending the password.", IT: "postino si è fermato prima di inviare la password."},
	},
	CodeCleartextRefused: {
		Text{EN: "Logging in to %s would send the password without encryption.", IT: "L'accesso a %s invierebbe la password senza cifratura."},
		Text{EN: "postino does not do that unless explicitly allowed.", IT: "postino non lo fa senza il tuo permesso esplicito."},
	},
	CodeLoginDisabled: {
		Text{EN: "%s does not accept a login with a password here.", IT: "%s qui non accetta l'accesso con password."},
		Text{EN: "The server has turned password login off on this connection.", IT: "Il server ha disattivato l'accesso con password su questa connessione."},
	},
	CodeAuthFailed: {
		Text{EN: "%s refused the user name or password.", IT: "%s ha rifiutato il nome utente o la password."},
		Text{}, // the server's own words serve as the why
	},
	CodeAuthMechanismUnsupported: {
		Text{EN: "%s offers no login method postino can use (it offers: %s).", IT: "%s non offre un metodo di accesso utilizzabile da postino (offre: %s)."},
		Text{EN: "postino logs in with a password by PLAIN or LOGIN, and with OAuth2 by OAUTHBEARER or XOAUTH2.", IT: "postino accede con una password tramite PLAIN o LOGIN, e con OAuth2 tramite OAUTHBEARER o XOAUTH2."},
	},
	CodeUnexpectedPreauth: {
		Text{EN: "%s claimed the session was already logged in before any password or encryption.", IT: "%s ha dichiarato la sessione già autenticata prima di qualsiasi password o cifratura."},
		Text{EN: "This is a known way to keep a client off encryption; postino stopped.", IT: "È un trucco noto per impedire al client di attivare la cifratura; postino si è fermato."},
	},
	CodeServerUnavailable: {
		Text{EN: "%s is not available right now.", IT: "%s al momento non è disponibile."},
		Text{EN: "The server closed the connection or said it cannot serve now.", IT: "Il server ha chiuso la connessione o ha detto di non poter rispondere ora."},
	},
	CodeProtocolError: {
		Text{EN: "%s answered something postino did not understand.", IT: "%s ha dato una risposta che postino non capisce."},
		Text{EN: "It may not be a %s server, or it is misbehaving.", IT: "Potrebbe non essere un server %s, oppure non funziona correttamente."},
	},
	CodeOAuthTokenRejected: {
		Text{EN: "%s refused the sign-in token (OAuth2).", IT: "%s ha rifiutato il token di accesso (OAuth2)."},
		Text{EN: "The token may have expired or may not grant access to mail, or the mailbox does not allow this sign-in: in Microsoft 365 an administrator must turn on IMAP, POP or authenticated SMTP for each mailbox.", IT: "Il token potrebbe essere scaduto o non dare accesso alla posta, oppure la casella non consente questo tipo di accesso: in Microsoft 365 un amministratore deve attivare IMAP, POP o SMTP autenticato per ogni casella."},
	},
	CodeOAuthNotConfigured: {
		Text{EN: "OAuth2 sign-in is not set up for %s.", IT: "L'accesso con OAuth2 non è configurato per %s."},
		Text{EN: "Signing in with OAuth2 needs a client ID registered with the provider, and postino knows none for this one.", IT: "Per accedere con OAuth2 serve un ID client registrato presso il provider, ma postino non ne conosce nessuno per il tuo."},
	},
	CodeOAuthDenied: {
		Text{EN: "The OAuth2 sign-in for %s was refused.", IT: "L'accesso con OAuth2 per %s è stato rifiutato."},
		Text{EN: "On the provider's sign-in page, permission to read and send mail was not granted to postino.", IT: "Nella pagina di accesso del provider non è stato concesso a postino il permesso di leggere e inviare la posta."},
	},
	CodeOAuthExpired: {
		Text{EN: "The OAuth2 sign-in for %s took too long and expired.", IT: "L'accesso con OAuth2 per %s ha richiesto troppo tempo ed è scaduto."},
		Text{EN: "The code for signing in on another device is valid for a few minutes only.", IT: "Il codice per accedere da un altro dispositivo vale solo per pochi minuti."},
	},
}

// tokenStatuses say what the status of a refused token's error challenge
// means (RFC 6750 3.1; Google says 401 for an invalid token).
var tokenStatuses = map[string]Text{
	"invalid_token":      {EN: "The token is not valid, or has expired.", IT: "Il token non è valido, oppure è scaduto."},
	"401":                {EN: "The token is not valid, or has expired.", IT: "Il token non è valido, oppure è scaduto."},
	"insufficient_scope": {EN: "The token does not grant access to mail: it was issued for too narrow a scope.", IT: "Il token non dà accesso alla posta: è stato rilasciato per un ambito (scope) troppo ristretto."},
}

var (
	textNeedsAppPassword = Text{EN: "This provider lets mail programs in only with an app password, not with the password you use on its website.", IT: "Questo provider fa entrare i programmi di posta solo con una password per le app, non con la password che usi sul suo sito."}
	textServerSaid       = Text{EN: "The server said: %q.", IT: "Il server ha detto: %q."}
	textWithheld         = Text{EN: "The server's answer is not shown: it repeats your password, in some form.", IT: "La risposta del server non viene mostrata: ripete la tua password, in qualche forma."}
	textInterception     = Text{EN: "The certificate was issued by %s: that program is intercepting encrypted connections on this computer or network.", IT: "Il certificato è stato emesso da %s: quel programma sta intercettando le connessioni cifrate su questo computer o rete."}
	textInjected         = Text{EN: "The server sent data before the encryption started, which could have been forged by anyone on the way.", IT: "Il server ha inviato dati prima dell'avvio della cifratura, che chiunque lungo il percorso avrebbe potuto falsificare."}
	textPortBlocked      = Text{EN: "Port %d does not answer but port %d does: the network you are on probably blocks port %d.", IT: "La porta %d non risponde, ma la %d sì: probabilmente la rete a cui sei collegato blocca la porta %d."}
	textReachable        = Text{EN: "%s answers with working encryption.", IT: "%s risponde con cifratura funzionante."}
	textNoLogin          = Text{EN: "(No password given: connection and encryption only.)", IT: "(Nessuna password: verificate solo connessione e cifratura.)"}
	textNoToken          = Text{EN: "(Not signed in with OAuth2: connection and encryption only.)", IT: "(Accesso con OAuth2 non eseguito: verificate solo connessione e cifratura.)"}
	textWithheldToken    = Text{EN: "The server's answer is not shown: it repeats your sign-in token, in some form.", IT: "La risposta del server non viene mostrata: ripete il tuo token di accesso, in qualche forma."}
	textTokenCleartext   = Text{EN: "Logging in to %s would send the sign-in token without encryption.", IT: "L'accesso a %s invierebbe il token di accesso senza cifratura."}
	textTokenReason      = Text{EN: "The server gave the reason %q.", IT: "Il server ha indicato il motivo %q."}
	textNoOAuthMechanism = Text{EN: "This account signs in with OAuth2, and the server offers neither OAUTHBEARER nor XOAUTH2.", IT: "Questo account accede con OAuth2, e il server non offre né OAUTHBEARER né XOAUTH2."}
	textNoMechanisms     = Text{EN: "none", IT: "nessuno"}
	fixSignInAgain       = Text{EN: "Sign in again with OAuth2 to get a new token.", IT: "Accedi di nuovo con OAuth2 per ottenere un nuovo token."}
	fixTokenUser         = Text{EN: "Check that the user name (%s) is the account you signed in with.", IT: "Controlla che il nome utente (%s) sia l'account con cui hai eseguito l'accesso."}
	fixEnableMailbox     = Text{EN: "Microsoft 365: ask the administrator to turn on IMAP, POP or authenticated SMTP for this mailbox (Microsoft 365 admin center, the mailbox's email apps).", IT: "Microsoft 365: chiedi all'amministratore di attivare IMAP, POP o SMTP autenticato per questa casella (interfaccia di amministrazione di Microsoft 365, app di posta della casella)."}
	fixClientID          = Text{EN: "You or your organisation can register a client ID with the provider (an app in Microsoft Entra or Google Cloud) and put it in a providers file as oauth2: {client_id: ...} under the provider's id, given with --providers FILE or POSTINO_PROVIDERS (docs/oauth2.md says how).", IT: "Tu o la tua organizzazione potete registrare un ID client presso il provider (un'app in Microsoft Entra o Google Cloud) e scriverlo in un file dei provider come oauth2: {client_id: ...} sotto l'id del provider, da indicare con --providers FILE o POSTINO_PROVIDERS (docs/oauth2.md spiega come)."}
	fixAppPasswordOAuth  = Text{EN: "If the provider offers app passwords, log in with one instead of OAuth2.", IT: "Se il provider offre le password per le app, accedi con una di quelle invece che con OAuth2."}
	fixConsent           = Text{EN: "Sign in again and allow access when asked; if your organisation blocks it, ask its administrator to approve postino.", IT: "Accedi di nuovo e consenti l'accesso quando richiesto; se la tua organizzazione lo blocca, chiedi all'amministratore di approvare postino."}
	fixSignInPromptly    = Text{EN: "Sign in again, and enter the new code promptly.", IT: "Accedi di nuovo e inserisci subito il nuovo codice."}
	textCourier          = Text{EN: "This is a Courier server: some CRM mailbox integrations refuse to work with it.", IT: "Si tratta di un server Courier: alcune integrazioni di posta dei CRM non funzionano con questo server."}
	textAlert            = Text{EN: "Message from the server: %s", IT: "Messaggio dal server: %s"}
	textServerWantsTLS   = Text{EN: "%s accepts a password only over an encrypted connection.", IT: "%s accetta la password solo su una connessione cifrata."}
	textPinned           = Text{EN: "The certificate is trusted by its fingerprint, not by an authority.", IT: "Il certificato è ritenuto attendibile per la sua impronta, non perché lo garantisca un'autorità."}
	fixPin               = Text{EN: "If you know this certificate is right (a self-signed server of your own, or Proton Mail Bridge), trust it by its fingerprint: --pin sha256:%s", IT: "Se sai che questo certificato è corretto (un tuo server autofirmato, o Proton Mail Bridge), fidati della sua impronta: --pin sha256:%s"}
	fixPinUnsafe         = Text{EN: "Do not trust this certificate; turn off the program's mail or HTTPS scanning, or ask the network's administrator.", IT: "Non fidarti di questo certificato; disattiva la scansione della posta o di HTTPS di quel programma, o chiedi all'amministratore della rete."}
	fixUseName           = Text{EN: "Use the server name the certificate carries, if it is your provider's.", IT: "Usa il nome del server presente nel certificato, se è quello del tuo provider."}
	fixOtherPort         = Text{EN: "Try %s instead.", IT: "Prova invece %s."}
	fixAskProvider       = Text{EN: "Tell your provider; meanwhile do not use this server.", IT: "Segnala il problema al tuo provider; nel frattempo non usare questo server."}
	fixAllowCleartext    = Text{EN: "Use an encrypted port instead; only on a network you fully trust, --allow-cleartext permits it.", IT: "Usa invece una porta cifrata; solo su una rete di cui ti fidi completamente puoi consentire l'accesso in chiaro con --allow-cleartext."}
	fixMakeAppPassword   = Text{EN: "Create an app password in your provider's security settings and type it here instead of your usual password.", IT: "Crea una password per le app nelle impostazioni di sicurezza del tuo provider e scrivila qui al posto della password abituale."}
	fixAppPassword       = Text{EN: "Your provider may require an app password: create one in its security settings and use it instead of your usual password.", IT: "Il tuo provider potrebbe richiedere una password per le app: creane una nelle impostazioni di sicurezza e usala al posto della password abituale."}
	fixOAuth             = Text{EN: "This server accepts only OAuth2 sign-in: sign in with OAuth2 instead of a password, or use an app password if the provider offers one.", IT: "Questo server accetta solo l'accesso con OAuth2: accedi con OAuth2 invece che con una password, o usa una password per le app se il provider la offre."}
	fixEnablePassword    = Text{EN: "Check in the provider's web settings that IMAP/POP/SMTP access with a password is turned on.", IT: "Controlla nelle impostazioni web del provider che l'accesso IMAP/POP/SMTP con password sia attivo."}
	textNotAccepted      = Text{EN: "%s did not accept the test message (at %s).", IT: "%s non ha accettato il messaggio di prova (al comando %s)."}
	fixSender            = Text{EN: "Check that the server lets %s send from this address; some accept only the address you log in with.", IT: "Controlla che il server consenta all'utente %s di inviare da questo indirizzo; alcuni accettano solo l'indirizzo con cui accedi."}
	fixRetryLater        = Text{EN: "Try again in a few minutes.", IT: "Riprova tra qualche minuto."}
	fixClockAndRetry     = Text{EN: "Check this computer's date and time.", IT: "Controlla la data e l'ora di questo computer."}
	fixRaiseTimeout      = Text{EN: "If the connection is slow, allow more time with --timeout.", IT: "Se la connessione è lenta, concedi più tempo con --timeout."}
	fixUpgradeServer     = Text{EN: "Ask the provider to enable TLS 1.2 or 1.3.", IT: "Chiedi al provider di attivare TLS 1.2 o 1.3."}
	fixNotAMailService   = Text{EN: "Check that the port belongs to this protocol (IMAP 993/143, POP3 995/110, SMTP 465/587).", IT: "Controlla che la porta sia quella del protocollo (IMAP 993/143, POP3 995/110, SMTP 465/587)."}
	textFingerprints     = Text{EN: "Trusted fingerprint: %s; the server now presents %s.", IT: "Impronta ritenuta attendibile: %s; ora il server presenta %s."}
	textPresented        = Text{EN: "The server now presents %s.", IT: "Ora il server presenta %s."}
	fixCompareRenewed    = Text{EN: "Ask the provider or the server's administrator whether the certificate was renewed and what its fingerprint is; only if it is the one the server presents now, trust it: --pin %s", IT: "Chiedi al provider o all'amministratore del server se il certificato è stato rinnovato e qual è la sua impronta; solo se coincide con quella presentata ora, fidati del nuovo certificato: --pin %s"}
	fixNotRenewed        = Text{EN: "If it was not renewed, do not use this connection: someone may be reading it.", IT: "Se non è stato rinnovato, non usare questa connessione: qualcuno potrebbe leggerla."}
	textPlaintextPort    = Text{EN: "%s answered in plain text instead of setting up SSL/TLS.", IT: "%s ha risposto in chiaro invece di avviare SSL/TLS."}
	textPlaintextWhy     = Text{EN: "Port %d starts without encryption and turns it on with STARTTLS: it is not an SSL/TLS port.", IT: "La porta %d parte senza cifratura e la attiva con STARTTLS: non è una porta SSL/TLS."}
	textTLSPort          = Text{EN: "%s sent no greeting, but accepted an encrypted connection: it expects SSL/TLS from the start.", IT: "%s non ha inviato il saluto iniziale, ma ha accettato una connessione cifrata: si aspetta SSL/TLS fin dall'inizio."}
	textTLSPortWhy       = Text{EN: "Port %d is an SSL/TLS port: encryption starts as soon as the connection opens, without STARTTLS.", IT: "La porta %d è una porta SSL/TLS: la cifratura parte appena si apre la connessione, senza STARTTLS."}
	fixSamePort          = Text{EN: "Use %s (%s) instead.", IT: "Usa invece %s (%s)."}
)

// Describe names the security as mail programs' settings do.
func (s Security) Describe(lang Lang) string { return securityNames[s].In(lang) }

var securityNames = map[Security]Text{
	TLS:      {EN: "SSL/TLS", IT: "SSL/TLS"},
	StartTLS: {EN: "STARTTLS", IT: "STARTTLS"},
	None:     {EN: "none", IT: "nessuna"},
}

// interceptors are products that re-sign TLS connections with their own
// authority; a certificate issued by one means the connection is being
// inspected, not that the server is wrong.
var interceptors = []string{
	"Avast", "AVG", "Kaspersky", "ESET", "Bitdefender", "Fortinet", "FortiGate", "Zscaler",
	"Sophos", "Norton", "Symantec", "McAfee", "Trend Micro", "Palo Alto", "Cisco Umbrella",
	"Netskope", "Check Point", "WatchGuard", "SonicWall", "Blue Coat", "Forcepoint",
	"Barracuda", "Cloudflare Gateway", "Webroot", "Dr.Web", "G DATA", "F-Secure", "Panda",
}

// interceptor names the TLS-inspecting product that issued a certificate.
func interceptor(c *CertInfo) string {
	if c == nil {
		return ""
	}
	issuer := strings.ToLower(c.Issuer)
	for _, name := range interceptors {
		if strings.Contains(issuer, strings.ToLower(name)) {
			return name
		}
	}
	return ""
}

// Explain puts a result into words. others are the other results of the
// same run: a failure reads differently when another port of the same
// server answered.
func Explain(r Result, others []Result, lang Lang) Explanation {
	s := r.Server
	addr := s.Address()
	entry := texts[r.Code]
	e := Explanation{PinFix: -1}
	add := func(t Text, args ...any) { e.Fix = append(e.Fix, t.In(lang, args...)) }
	checklist := func() {
		add(fixInternet)
		add(fixSettings, s.Host, s.Port, s.Security.Describe(lang))
		add(fixFirewall, s.Port)
	}
	what := func(args ...any) { e.What = entry.what.In(lang, args...) }
	e.Why = entry.why.In(lang)

	switch r.Code {
	case CodeOK:
		what(s.String(), s.Username)
		if !r.LoggedIn {
			e.What = textReachable.In(lang, s.String())
			e.Notes = append(e.Notes, pick(s.Auth == AuthOAuth2, textNoToken, textNoLogin).In(lang))
		}
		if r.TLS != nil && r.TLS.Pinned && !r.TLS.Verified {
			e.Notes = append(e.Notes, textPinned.In(lang))
		}
	case CodeDNSError:
		what(s.Host)
		add(fixInternet)
		add(fixSettings, s.Host, s.Port, s.Security.Describe(lang))
	case CodeServerUnavailable, CodeProtocolError:
		if command, ok := sendCommands[failedStep(r)]; ok {
			// The server took the login but not the message.
			e.What, e.Why = textNotAccepted.In(lang, addr, command), ""
			if r.Code == CodeServerUnavailable {
				add(fixRetryLater)
			} else {
				add(fixSender, s.Username)
			}
			break
		}
		what(addr)
		if r.Code == CodeProtocolError && r.Failure != nil && errors.Is(r.Failure.Err, errTLSPort) {
			e.What, e.Why = textTLSPort.In(lang, addr), textTLSPortWhy.In(lang, s.Port)
			add(fixSamePort, s.withSecurity(TLS).String(), TLS.Describe(lang))
			break
		}
		if r.Code == CodeProtocolError {
			e.Why = entry.why.In(lang, strings.ToUpper(string(s.Protocol)))
			add(fixNotAMailService)
			break
		}
		add(fixRetryLater)
		checklist()
	case CodeConnectionRefused:
		what(addr)
		checklist()
	case CodeTimeout:
		step := "connect"
		if r.Failure != nil {
			step = r.Failure.Step
		}
		what(addr, step)
		if alt, ok := answeringSibling(r, others); ok {
			e.Why = textPortBlocked.In(lang, s.Port, alt.Server.Port, s.Port)
			add(fixOtherPort, alt.Server.String())
		}
		checklist()
		add(fixRaiseTimeout)
	case CodeTLSHandshakeFailed:
		what(addr)
		if r.Failure != nil && errors.Is(r.Failure.Err, errPlaintextPort) {
			e.What, e.Why = textPlaintextPort.In(lang, addr), textPlaintextWhy.In(lang, s.Port)
			add(fixSamePort, s.withSecurity(StartTLS).String(), StartTLS.Describe(lang))
			break
		}
		other := TLS
		if s.Security == TLS {
			other = StartTLS
		}
		add(fixOtherPort, s.with(other).String())
		checklist()
	case CodeTLSVersionTooOld:
		what(addr)
		add(fixUpgradeServer)
	case CodeCertificateUntrusted:
		cert := r.certificate()
		what(addr, cert.Issuer)
		if product := interceptor(cert); product != "" {
			e.Why = textInterception.In(lang, product)
			add(fixPinUnsafe)
		} else if cert.SHA256 != "" {
			add(fixPin, cert.SHA256)
			e.PinFix = len(e.Fix) - 1
		} else {
			add(fixSettings, s.Host, s.Port, s.Security.Describe(lang))
		}
	case CodeCertificateChanged:
		what(addr)
		cert := r.certificate()
		presented := ""
		if cert.SHA256 != "" {
			presented = "sha256:" + cert.SHA256
		}
		product := interceptor(cert)
		if product != "" {
			e.Why = textInterception.In(lang, product)
		}
		var pm *pinMismatch
		switch {
		case r.Failure != nil && errors.As(r.Failure.Err, &pm) && presented != "":
			e.Why = textFingerprints.In(lang, joinPins(pm.pinned), presented) + " " + e.Why
		case presented != "":
			e.Why = textPresented.In(lang, presented) + " " + e.Why
		}
		switch {
		case product != "":
			add(fixPinUnsafe)
		case presented != "":
			add(fixCompareRenewed, presented)
			e.PinFix = len(e.Fix) - 1
			add(fixNotRenewed)
		default:
			add(fixNotRenewed)
		}
	case CodeCertificateHostMismatch:
		cert := r.certificate()
		what(s.Host, strings.Join(cert.Names(), ", "))
		if product := interceptor(cert); product != "" {
			e.Why = textInterception.In(lang, product)
			add(fixPinUnsafe)
		} else {
			add(fixUseName)
		}
	case CodeCertificateExpired:
		cert := r.certificate()
		what(s.Host, cert.NotAfter.Format(time.DateOnly))
		add(fixClockAndRetry)
		add(fixAskProvider)
	case CodeStartTLSNotOffered, CodeUnexpectedPreauth:
		what(addr)
		add(fixOtherPort, s.with(TLS).String())
		add(fixAskProvider)
	case CodeStartTLSFailed:
		what(addr)
		if r.Failure != nil && errors.Is(r.Failure.Err, errInjected) {
			e.Why = textInjected.In(lang) + " " + e.Why
		}
		add(fixOtherPort, s.with(TLS).String())
		add(fixFirewall, s.Port)
	case CodeCleartextRefused:
		what(addr)
		if hasCap(r.Capabilities, "STARTTLS") || hasCap(r.Capabilities, "STLS") {
			add(fixOtherPort, s.withSecurity(StartTLS).String())
		}
		if r.Failure != nil && (r.Failure.Reply != "" || errors.Is(r.Failure.Err, errServerWantsTLS)) {
			e.What, e.Why = textServerWantsTLS.In(lang, addr), ""
			add(fixOtherPort, s.with(TLS).String())
		} else {
			if s.Auth == AuthOAuth2 {
				e.What = textTokenCleartext.In(lang, addr)
			}
			add(fixAllowCleartext)
		}
	case CodeLoginDisabled:
		what(addr)
		add(fixEnablePassword)
		add(fixSettings, s.Host, s.Port, s.Security.Describe(lang))
	case CodeAuthFailed:
		what(addr)
		switch {
		case s.Auth == AuthAppPassword:
			// The provider is known to take only app passwords.
			e.Why = textNeedsAppPassword.In(lang)
			add(fixMakeAppPassword)
			add(fixPassword, s.Username)
		case r.Failure != nil && wantsAppPassword(r.Failure.Reply):
			add(fixPassword, s.Username)
			add(fixAppPassword)
		default:
			add(fixPassword, s.Username)
		}
		add(fixEnablePassword)
	case CodeAuthMechanismUnsupported:
		offered := strings.Join(r.AuthMechanisms, ", ")
		if offered == "" {
			offered = textNoMechanisms.In(lang)
		}
		what(addr, offered)
		switch {
		case s.Auth == AuthOAuth2:
			e.Why = textNoOAuthMechanism.In(lang)
			add(fixSettings, s.Host, s.Port, s.Security.Describe(lang))
			add(fixAppPasswordOAuth)
		case onlyOAuth(r.AuthMechanisms):
			add(fixOAuth)
		default:
			add(fixSettings, s.Host, s.Port, s.Security.Describe(lang))
		}
	case CodeOAuthTokenRejected:
		what(addr)
		var tr *tokenRejection
		if r.Failure != nil && errors.As(r.Failure.Err, &tr) {
			e.Why = textTokenReason.In(lang, tr.status)
			if meaning, ok := tokenStatuses[strings.ToLower(tr.status)]; ok {
				e.Why += " " + meaning.In(lang)
			}
		}
		add(fixSignInAgain)
		add(fixTokenUser, s.Username)
		add(fixEnableMailbox)
	case CodeOAuthNotConfigured:
		what(s.Host)
		add(fixClientID)
		add(fixAppPasswordOAuth)
	case CodeOAuthDenied:
		what(s.Host)
		add(fixConsent)
	case CodeOAuthExpired:
		what(s.Host)
		add(fixSignInPromptly)
	}
	if r.Failure != nil && r.Failure.Reply != "" {
		said := textServerSaid.In(lang, r.Failure.Reply)
		e.Why = strings.TrimSpace(e.Why + " " + said)
	}
	if r.Withheld {
		e.Notes = append(e.Notes, pick(s.Auth == AuthOAuth2, textWithheldToken, textWithheld).In(lang))
	}
	for _, a := range r.Alerts {
		e.Notes = append(e.Notes, textAlert.In(lang, a))
	}
	if Recognise(r.Greeting, r.Capabilities).Courier() {
		e.Notes = append(e.Notes, textCourier.In(lang))
	}
	return e
}

// pick is a when cond holds, else b.
func pick(cond bool, a, b Text) Text {
	if cond {
		return a
	}
	return b
}

// sendCommands are the commands of Send's steps, as a person may look
// them up.
var sendCommands = map[string]string{StepMail: "MAIL FROM", StepRcpt: "RCPT TO", StepData: "DATA"}

func failedStep(r Result) string {
	if r.Failure == nil {
		return ""
	}
	return r.Failure.Step
}

// with is the same host on the standard port for another security.
func (s Server) with(sec Security) Server {
	return Server{Protocol: s.Protocol, Host: s.Host, Port: DefaultPort(s.Protocol, sec), Security: sec}
}

// withSecurity is the same host and port with another security.
func (s Server) withSecurity(sec Security) Server {
	return Server{Protocol: s.Protocol, Host: s.Host, Port: s.Port, Security: sec}
}

// certificate is the server's certificate, or an empty description.
func (r Result) certificate() *CertInfo {
	if r.TLS != nil && r.TLS.Certificate != nil {
		return r.TLS.Certificate
	}
	return &CertInfo{}
}

// answeringSibling finds another result for the same host and protocol
// that got past connecting: then the timed-out port, not the server, is
// what is blocked.
func answeringSibling(r Result, others []Result) (Result, bool) {
	if r.Failure == nil || r.Failure.Step != "connect" {
		return Result{}, false
	}
	for _, o := range others {
		if o.Server.Host == r.Server.Host && o.Server.Protocol == r.Server.Protocol &&
			o.Server.Port != r.Server.Port && o.Code != CodeTimeout && o.Code != CodeConnectionRefused && o.Code != CodeDNSError {
			return o, true
		}
	}
	return Result{}, false
}

func wantsAppPassword(reply string) bool {
	reply = strings.ToLower(reply)
	for _, hint := range []string{"application-specific", "app password", "app-specific", "apppassword", "web login required", "webloginrequired", "invalidsecondfactor"} {
		if strings.Contains(reply, hint) {
			return true
		}
	}
	return false
}

func onlyOAuth(mechs []string) bool {
	for _, m := range mechs {
		if m != "XOAUTH2" && m != "OAUTHBEARER" && m != "XOAUTH" {
			return false
		}
	}
	return len(mechs) > 0
}
