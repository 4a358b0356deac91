package ui

import (
	"fmt"
	"io"
	"strings"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/discover"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
)

var (
	textFoundTitle     = probe.Text{EN: "Settings for %s", IT: "Impostazioni per %s"}
	textDetectProvider = probe.Text{EN: "Provider: %s", IT: "Provider: %s"}
	textDetectSource   = probe.Text{EN: "Found in: %s", IT: "Fonte: %s"}
	textDetectUser     = probe.Text{EN: "user %s", IT: "utente %s"}
	textDetectAlt      = probe.Text{EN: "alternative", IT: "alternativa"}
	textDetectTrusted  = probe.Text{EN: "These settings come from a trusted source.", IT: "Queste impostazioni provengono da una fonte affidabile."}
	textDetectConfirm  = probe.Text{EN: "These settings are not confirmed: check them before you type your password.", IT: "Queste impostazioni non sono confermate: controllale prima di scrivere la password."}
	textDetectHints    = probe.Text{EN: "Before you start:", IT: "Prima di iniziare:"}
)

// SourceName says in words where settings came from; "" for an unknown
// source.
func SourceName(s mailbox.Source, lang probe.Lang) string {
	return sourceNames[s].In(lang)
}

// WriteDetection prints found settings for a person: the servers, where
// they came from, whether to trust them, and the provider's hints.
func WriteDetection(w io.Writer, r *discover.Result, lang probe.Lang) {
	fmt.Fprintln(w, textFoundTitle.In(lang, r.Address))
	if r.Provider != nil {
		fmt.Fprintln(w, textDetectProvider.In(lang, r.Provider.Name))
		// Only a page for people: an ISP database link is XML for mail
		// programs.
		if providers.IsHelpPage(r.Provider.Docs) {
			fmt.Fprintln(w, textHintDocs.In(lang, r.Provider.Docs))
		}
	}
	fmt.Fprintln(w, textDetectSource.In(lang, SourceName(r.Source, lang)))
	for _, role := range []struct {
		name    probe.Text
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
