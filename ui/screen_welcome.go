package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/postino/postino/probe"
)

// welcomeScreen says what postino will do and lists the saved accounts.
type welcomeScreen struct{}

func (s *welcomeScreen) enter(*Model) tea.Cmd { return nil }
func (s *welcomeScreen) typing(*Model) bool   { return false }
func (s *welcomeScreen) keys(m *Model) []key.Binding {
	return []key.Binding{relabel(m.keys.Next, textAddAccount, m.lang)}
}

func (s *welcomeScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, m.keys.Next) {
		m.flow.Start()
	}
	return nil
}

func (s *welcomeScreen) view(m *Model) string {
	w := m.contentWidth()
	var b strings.Builder
	b.WriteString(m.styles.Title.Render(textWelcomeTitle.In(m.lang)) + "\n\n")
	b.WriteString(wrap(textWelcomeBody.In(m.lang), w) + "\n\n")
	switch {
	case m.accountsErr != nil:
		b.WriteString(paint(m.styles.Warn, wrap("! "+textAccountsUnreadable.In(m.lang, m.accountsErr), w)) + "\n")
	case len(m.flow.Accounts()) == 0:
		b.WriteString(m.styles.Subtle.Render(textNoAccounts.In(m.lang)) + "\n")
	default:
		b.WriteString(textSavedAccounts.In(m.lang) + "\n")
		for _, a := range m.flow.Accounts() {
			line := "  • " + a.Name
			if a.Address != a.Name {
				line += " <" + a.Address + ">"
			}
			b.WriteString(line + "\n")
		}
	}
	b.WriteString("\n" + m.styles.Selected.Render("› "+textAddAccount.In(m.lang)) + "\n")
	return b.String()
}

// relabel is a binding with another description in its help.
func relabel(b key.Binding, desc probe.Text, lang probe.Lang) key.Binding {
	b.SetHelp(b.Help().Key, desc.In(lang))
	return b
}
