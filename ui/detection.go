package ui

import (
	"fmt"
	"io"
	"strings"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/discover"
)

var (
	textFoundTitle      = Text{"Settings for %s", "Impostazioni per %s"}
	textDetectProvider  = Text{"Provider: %s", "Provider: %s"}
	textDetectSource    = Text{"Found in: %s", "Trovate in: %s"}
	textDetectUser      = Text{"user %s", "utente %s"}
	textDetectAlt       = Text{"alternative", "alternativa"}
	textDetectTrusted   = Text{"These settings come from a trusted source.", "Queste impostazioni provengono da una fonte affidabile."}
	textDetectConfirm   = Text{"These settings are not confirmed: check them before you type your password.", "Queste impostazioni non sono confermate: controllale prima di scrivere la password."}
	textDetectHints     = Text{"Before you start:", "Prima di iniziare:"}
	TextDetectNone      = Text{"postino found no settings for %s: ask your provider for the server names and give them with --incoming and --outgoing.", "postino non ha trovato impostazioni per %s: chiedi al provider i nomi dei server e indicali con --incoming e --outgoing."}
	TextAddressProblem  = Text{"%q is not a usable address: %s", "%q non è un indirizzo utilizzabile: %s"}
	TextProvidersBad    = Text{"A providers file is not valid: %s", "Un file dei provider non è valido: %s"}
	TextTestUnconfirmed = Text{"The settings found are not confirmed, so postino tested them without your password; to test the login, give them with --incoming and --outgoing.", "Le impostazioni trovate non sono confermate, quindi postino le ha provate senza la tua password; per provare l'accesso, indicale con --incoming e --outgoing."}
	TextDetectOffline   = Text{"postino's provider list does not know %s; without --offline postino also asks the network.", "L'elenco dei provider di postino non conosce %s; senza --offline postino cerca anche in rete."}
)

// WriteDetection prints found settings for a person: the servers, where
// they came from, whether to trust them, and the provider's hints.
func WriteDetection(w io.Writer, r *discover.Result, lang string) {
	fmt.Fprintln(w, textFoundTitle.In(lang, r.Address))
	if r.Provider != nil {
		fmt.Fprintln(w, textDetectProvider.In(lang, r.Provider.Name))
	}
	fmt.Fprintln(w, textDetectSource.In(lang, sourceNames[r.Source].In(lang)))
	for _, role := range []struct {
		name    Text
		servers []probe.Server
	}{{textIncoming, r.Incoming}, {textOutgoing, r.Outgoing}} {
		for i, s := range role.servers {
			label := role.name.In(lang)
			if i > 0 {
				label = strings.Repeat(" ", len([]rune(label)))
			}
			fields := []string{"  " + label, strings.ToUpper(string(s.Protocol)), s.Address(), s.Security.Describe(lang), textDetectUser.In(lang, s.Username)}
			if i > 0 {
				fields = append(fields, "("+textDetectAlt.In(lang)+")")
			}
			fmt.Fprintln(w, strings.Join(fields, "  "))
		}
	}
	if r.Trusted {
		fmt.Fprintln(w, textDetectTrusted.In(lang))
	} else {
		fmt.Fprintln(w, textDetectConfirm.In(lang))
	}
	if len(r.Hints) > 0 {
		fmt.Fprintln(w, textDetectHints.In(lang))
		for _, h := range r.Hints {
			fmt.Fprintf(w, "  - %s\n", wizard.Text(h).In(lang))
		}
	}
}
