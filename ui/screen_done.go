package ui

import (
	"fmt"
	"io"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/store"
)

// doneScreen sums up what was saved and how to export it.
type doneScreen struct{}

func (s *doneScreen) enter(*Model) tea.Cmd { return nil }
func (s *doneScreen) typing(*Model) bool   { return false }

func (s *doneScreen) keys(m *Model) []key.Binding {
	return []key.Binding{relabel(m.keys.Next, textFinish, m.lang)}
}

func (s *doneScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, m.keys.Next) {
		return m.do(m.flow.Finish())
	}
	return nil
}

func (s *doneScreen) view(m *Model) string {
	f := m.flow
	w := m.contentWidth()
	a := f.Account()
	var b strings.Builder
	b.WriteString(m.styles.OK.Render("✓ "+textDoneTitle.In(m.lang, f.Email())) + "\n\n")
	b.WriteString(serverLine(m, textIncomingCap, f.Incoming().Server()) + "\n")
	b.WriteString(serverLine(m, textOutgoingCap, f.Outgoing().Server()) + "\n\n")
	if note, stored := storedNote(f, m.lang); stored {
		b.WriteString(wrap(note, w) + "\n")
	} else {
		b.WriteString(paint(m.styles.Warn, wrap("! "+note, w)) + "\n")
	}
	if len(a.Pins) > 0 {
		b.WriteString(wrap(textPinsStored.In(m.lang), w) + "\n")
	}
	if a.Unverified {
		b.WriteString(paint(m.styles.Warn, wrap("! "+textSavedUnverified.In(m.lang, shellWord(a.Name)), w)) + "\n")
	}
	for _, note := range wizard.IPHostNotes(a, m.lang) {
		b.WriteString(paint(m.styles.Warn, wrap("! "+note, w)) + "\n")
	}
	b.WriteString("\n")
	if len(m.opts.Formats) == 0 {
		b.WriteString(wrap(textShowLater.In(m.lang, a.Name), w) + "\n")
		return b.String()
	}
	b.WriteString(textExportChoices.In(m.lang) + "\n")
	b.WriteString("  " + m.styles.Value.Render("postino export "+shellWord(a.Name)+" --format "+textFormatWord.In(m.lang)) + "\n")
	b.WriteString(indent(wrap(textFormatsAre.In(m.lang, strings.Join(m.opts.Formats, ", ")), w-2), "  ") + "\n")
	return b.String()
}

// shellWord quotes a word for a shell when it needs it.
func shellWord(s string) string {
	if strings.ContainsAny(s, " '\"$`\\!*?[]{}()<>|&;#~") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}

// storedNote says where the account's secret went, the password or the
// sign-in, and whether it reached the keyring.
func storedNote(f *wizard.Flow, lang probe.Lang) (note string, stored bool) {
	switch {
	case f.SignedInWithOAuth2() && f.PasswordStored():
		return textSignInStored.In(lang), true
	case f.SignedInWithOAuth2():
		return textSignInNotStored.In(lang, f.Email()), false
	case f.PasswordStored():
		return textPasswordStored.In(lang), true
	}
	return textPasswordNotStored.In(lang), false
}

// WriteSummary writes what the wizard set up, once the account is saved:
// the account, its servers, where its password or sign-in is kept and
// the commands to use next. The plain wizard ends with it, and the full
// screen prints it after it closed, so that it stays in the terminal.
func WriteSummary(w io.Writer, f *wizard.Flow, lang probe.Lang, formats []string) {
	a := f.Account()
	fmt.Fprintln(w, textDoneTitle.In(lang, f.Email()))
	if a.Name != a.Address {
		fmt.Fprintln(w, "  "+textSummaryName.In(lang, a.Name))
	}
	if a.DisplayName != "" {
		fmt.Fprintln(w, "  "+textSummaryDisplayName.In(lang, probe.Sanitize(a.DisplayName)))
	}
	for _, role := range []struct {
		label probe.Text
		c     wizard.Choice
	}{{textIncomingCap, f.Incoming()}, {textOutgoingCap, f.Outgoing()}} {
		fmt.Fprintln(w, "  "+serverSummary(role.label, role.c, lang))
	}
	note, stored := storedNote(f, lang)
	fmt.Fprintln(w, note)
	if stored {
		user := a.Address
		if f.SignedInWithOAuth2() {
			user = store.RefreshKey(a.Address)
		}
		fmt.Fprintln(w, "  "+textKeyringEntry.In(lang, store.Service, user))
	}
	if len(a.Pins) > 0 {
		fmt.Fprintln(w, textPinsStored.In(lang))
	}
	if a.Unverified {
		fmt.Fprintln(w, "! "+textSavedUnverified.In(lang, shellWord(a.Name)))
	}
	for _, note := range wizard.IPHostNotes(a, lang) {
		fmt.Fprintln(w, "! "+note)
	}
	name := shellWord(a.Name)
	fmt.Fprintln(w, textNextCommands.In(lang))
	fmt.Fprintf(w, "  postino test %s\n      %s\n", name, textNextTest.In(lang))
	fmt.Fprintf(w, "  postino report %s\n      %s\n", name, textNextReport.In(lang))
	fmt.Fprintf(w, "  postino show %s\n      %s\n", name, textNextShow.In(lang))
	if len(formats) > 0 {
		fmt.Fprintf(w, "  postino export %s --format %s\n      %s\n", name, textFormatWord.In(lang), textNextExport.In(lang, strings.Join(formats, ", ")))
	}
}

// serverSummary is a role's chosen server on one line, with how many
// alternatives are saved after it.
func serverSummary(label probe.Text, c wizard.Choice, lang probe.Lang) string {
	s := c.Server()
	line := fmt.Sprintf("%s: %s %s, %s, %s %s", label.In(lang), protocolName(s.Protocol), s.Address(),
		s.Security.Describe(lang), textUsernameLabel.In(lang), s.Username)
	if len(c.Servers) > 1 {
		line += " " + textAlternativeOf.In(lang, c.Selected+1, len(c.Servers))
	}
	return line
}

// Sentences of the summary left in the terminal.
var (
	textSummaryName = probe.Text{EN: "Account name: %s", IT: "Nome dell'account: %s"}
	// textSummaryDisplayName is the name the people written to see.
	textSummaryDisplayName = probe.Text{EN: "Your name in the From: %s", IT: "Il tuo nome come mittente: %s"}
	textKeyringEntry       = probe.Text{EN: "Keyring entry: service %s, user %s.", IT: "Voce del portachiavi: servizio %s, utente %s."}
	textNextCommands       = probe.Text{EN: "Next:", IT: "E adesso:"}
	textNextExport         = probe.Text{EN: "writes the settings for a mail program; FORMAT is one of: %s", IT: "scrive le impostazioni per un programma di posta; FORMATO è uno tra: %s"}
	textNextTest           = probe.Text{EN: "tests the servers again", IT: "prova di nuovo i server"}
	textNextReport         = probe.Text{EN: "tests them and prints a report for a help desk", IT: "li prova e stampa un rapporto per l'assistenza"}
	textNextShow           = probe.Text{EN: "prints the settings", IT: "mostra le impostazioni"}
)
