package export

import "fmt"

// text is one sentence in English and Italian; %-verbs take its arguments.
// The package cannot use ui.Text: imports run from ui to wizard, not back.
type text struct{ en, it string }

func (t text) in(lang string, args ...any) string {
	s := t.en
	if lang == "it" {
		s = t.it
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Sentences several formats share.
var (
	textMadeBy      = text{"Made by postino for %s. It holds no password.", "Creato da postino per %s. Non contiene alcuna password."}
	textPasswordCmd = text{"The password is read when needed from: %s", "La password viene letta quando serve da: %s"}
	textCAFile      = text{"Certificates are checked against the authorities in %s.", "I certificati sono verificati con le autorità in %s."}
	textNoPinning   = text{"This program cannot trust a certificate by its fingerprint (%s): it will ask, or refuse the connection.", "Questo programma non sa fidarsi di un certificato per la sua impronta (%s): lo chiederà, o rifiuterà la connessione."}
	textCleartext   = text{"Warning: %s is used without encryption; the password travels in the clear.", "Attenzione: %s è usato senza cifratura; la password viaggia in chiaro."}
)
