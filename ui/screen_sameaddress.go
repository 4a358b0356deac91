package ui

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/store"
)

// sameAddress is the address screen's question when the address is a
// saved account's: replace that account, or keep both, the new one under
// a name of its own (a free one suggested, which can be changed).
type sameAddress struct {
	keepBoth bool
	name     textinput.Model
	err      error
}

// open asks the question about the account the flow found.
func (q *sameAddress) open(m *Model) tea.Cmd {
	q.keepBoth, q.err = false, nil
	q.name = newInput("")
	q.name.Prompt = ""
	q.name.SetValue(m.flow.SuggestedName())
	q.name.CursorEnd()
	q.name.SetWidth(max(8, m.contentWidth()-ansi.StringWidth(textKeepBoth.In(m.lang))-6))
	return nil
}

func (q *sameAddress) keys(m *Model) []key.Binding {
	return []key.Binding{m.keys.Up, relabel(m.keys.Next, keyConfirm, m.lang), relabel(m.keys.Back, keyChangeAddress, m.lang)}
}

func (q *sameAddress) update(m *Model, msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		// Only the arrows choose: k and j are letters of a name.
		case k.String() == "up":
			q.keepBoth = false
			q.name.Blur()
			return nil
		case k.String() == "down":
			q.keepBoth = true
			return q.name.Focus()
		case key.Matches(k, m.keys.Next) && q.keepBoth:
			e, err := m.flow.KeepBoth(q.name.Value())
			q.err = err
			return m.do(e, err)
		case key.Matches(k, m.keys.Next):
			return m.do(m.flow.ReplaceSaved())
		case key.Matches(k, m.keys.Back):
			m.flow.ChangeAddress()
			return nil
		}
	}
	if !q.keepBoth {
		return nil
	}
	q.err = nil
	var cmd tea.Cmd
	q.name, cmd = q.name.Update(msg)
	return cmd
}

func (q *sameAddress) view(m *Model, saved store.Account) string {
	w := m.contentWidth()
	var b strings.Builder
	b.WriteString(paint(m.styles.Warn, wrap("! "+textAlreadySaved.In(m.lang, saved.Address, saved.Name), w)) + "\n\n")
	replace := textReplaceSaved.In(m.lang, saved.Name)
	keep := textKeepBoth.In(m.lang) + " " + q.name.View()
	if q.keepBoth {
		b.WriteString("  " + replace + "\n" + m.styles.Selected.Render("› ") + keep + "\n")
	} else {
		b.WriteString(m.styles.Selected.Render("› "+replace) + "\n  " + keep + "\n")
	}
	var taken *store.NameTakenError
	switch {
	case errors.As(q.err, &taken):
		b.WriteString("\n" + paint(m.styles.Bad, wrap("✗ "+textNameTaken.In(m.lang, taken.Name, taken.Address), w)) + "\n")
	case q.err != nil:
		b.WriteString("\n" + paint(m.styles.Bad, wrap("✗ "+textBadName.In(m.lang), w)) + "\n")
	}
	return b.String()
}

// Sentences of an address that is saved already.
var (
	keyConfirm       = probe.Text{EN: "confirm", IT: "conferma"}
	keyChangeAddress = probe.Text{EN: "change the address", IT: "cambia indirizzo"}
	textAlreadySaved = probe.Text{EN: "%s is already saved, as %s.", IT: "%s è già salvato con il nome %s."}
	textReplaceSaved = probe.Text{EN: "Replace %s with the new settings", IT: "Sostituisci %s con le nuove impostazioni"}
	textKeepBoth     = probe.Text{EN: "Keep both; name the new one:", IT: "Tienili entrambi; il nuovo si chiamerà:"}
	textNameTaken    = probe.Text{EN: "The name %s already belongs to the account of %s: choose another.", IT: "Il nome %s appartiene già all'account di %s: scegline un altro."}
	textBadName      = probe.Text{EN: "A name is letters, digits and punctuation, not starting with - and without spaces around it.", IT: "Un nome può contenere lettere, cifre e punteggiatura, ma non può iniziare con - né avere spazi all'inizio o alla fine."}
)
