package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
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
