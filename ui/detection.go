package ui

import (
	"fmt"
	"io"
	"strings"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/discover"
	"github.com/postino/postino/wizard/mailbox"
)

var (
	textFoundTitle          = Text{EN: "Settings for %s", IT: "Impostazioni per %s"}
	textDetectProvider      = Text{EN: "Provider: %s", IT: "Provider: %s"}
	textDetectSource        = Text{EN: "Found in: %s", IT: "Trovate in: %s"}
	textDetectUser          = Text{EN: "user %s", IT: "utente %s"}
	textDetectAlt           = Text{EN: "alternative", IT: "alternativa"}
	textDetectTrusted       = Text{EN: "These settings come from a trusted source.", IT: "Queste impostazioni provengono da una fonte affidabile."}
	textDetectConfirm       = Text{EN: "These settings are not confirmed: check them before you type your password.", IT: "Queste impostazioni non sono confermate: controllale prima di scrivere la password."}
	textDetectHints         = Text{EN: "Before you start:", IT: "Prima di iniziare:"}
	TextDetectNone          = Text{EN: "postino found no settings for %s: ask your provider for the server names and give them with --incoming and --outgoing.", IT: "postino non ha trovato impostazioni per %s: chiedi al provider i nomi dei server e indicali con --incoming e --outgoing."}
	TextAddressProblem      = Text{EN: "%q is not a usable address: %s", IT: "%q non è un indirizzo utilizzabile: %s"}
	TextProvidersBad        = Text{EN: "A providers file is not valid: %s", IT: "Un file dei provider non è valido: %s"}
	TextTestUnconfirmed     = Text{EN: "The settings found are not confirmed, so postino tested them without your password; to test the login, give them with --incoming and --outgoing.", IT: "Le impostazioni trovate non sono confermate, quindi postino le ha provate senza la tua password; per provare l'accesso, indicale con --incoming e --outgoing."}
	TextUnconfirmedNotSaved = Text{EN: "Not saved: the settings found are not confirmed; give them with --incoming and --outgoing to test the login and save them.", IT: "Non salvato: le impostazioni trovate non sono confermate; indicale con --incoming e --outgoing per provare l'accesso e salvarle."}
	TextStoreProvider       = Text{EN: "provider", IT: "provider"}
	TextStoreSource         = Text{EN: "settings from", IT: "impostazioni da"}
	TextStoreLastTest       = Text{EN: "last test", IT: "ultima prova"}
	TextDetectOffline       = Text{EN: "postino's provider list does not know %s; without --offline postino also asks the network.", IT: "L'elenco dei provider di postino non conosce %s; senza --offline postino cerca anche in rete."}
)

// SourceName says in words where settings came from; "" for an unknown
// source.
func SourceName(s mailbox.Source, lang string) string {
	return sourceNames[s].In(lang)
}

// WriteDetection prints found settings for a person: the servers, where
// they came from, whether to trust them, and the provider's hints.
func WriteDetection(w io.Writer, r *discover.Result, lang string) {
	fmt.Fprintln(w, textFoundTitle.In(lang, r.Address))
	if r.Provider != nil {
		fmt.Fprintln(w, textDetectProvider.In(lang, r.Provider.Name))
	}
	fmt.Fprintln(w, textDetectSource.In(lang, SourceName(r.Source, lang)))
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
			fmt.Fprintf(w, "  - %s\n", h.In(lang))
		}
	}
}
