package export

import "github.com/postino/postino/probe"

// Sentences several formats share.
var (
	textMadeBy      = probe.Text{EN: "Made by postino for %s. It holds no password.", IT: "Creato da postino per %s. Non contiene alcuna password."}
	textHelpPage    = probe.Text{EN: "The provider's help: %s", IT: "La guida del provider: %s"}
	textSeeHelp     = probe.Text{EN: "For more, see your provider's help pages.", IT: "Per saperne di più, consulta le pagine di aiuto del tuo provider."}
	textIPHost      = probe.Text{EN: "%s is an IP address: the mail program checks that the server's certificate names it, and most certificates name only host names; if the certificate is refused, use the host name it gives.", IT: "%s è un indirizzo IP: il programma di posta verifica che il certificato del server lo riporti, e quasi tutti i certificati riportano solo nomi di host; se il certificato viene rifiutato, usa il nome di host che vi compare."}
	textPasswordCmd = probe.Text{EN: "The password is read when needed from: %s", IT: "La password viene letta quando serve da: %s"}
	textTokenCmd    = probe.Text{EN: "The OAuth2 access token, always a fresh one, is read when needed from: %s", IT: "Il token di accesso OAuth2, sempre valido, viene letto quando serve da: %s"}
	textCAFile      = probe.Text{EN: "Certificates are checked against the authorities in %s.", IT: "I certificati sono verificati con le autorità in %s."}
	textNoPinning   = probe.Text{EN: "This program cannot trust a certificate by its fingerprint (%s): it will ask, or refuse the connection.", IT: "Questo programma non sa fidarsi di un certificato per la sua impronta (%s): lo chiederà, o rifiuterà la connessione."}
	textCleartext   = probe.Text{EN: "Warning: %s is used without encryption; the password travels in the clear.", IT: "Attenzione: %s è usato senza cifratura; la password viaggia in chiaro."}
)
