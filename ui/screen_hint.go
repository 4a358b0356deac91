package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/providers"
)

// hintScreen shows the provider's advice before the password: often an
// app password has to be made first.
type hintScreen struct{}

func (s *hintScreen) enter(*Model) tea.Cmd { return nil }
func (s *hintScreen) typing(*Model) bool   { return false }
func (s *hintScreen) keys(m *Model) []key.Binding {
	return []key.Binding{m.keys.Next}
}

func (s *hintScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, m.keys.Next):
			m.flow.ContinueHint()
		case key.Matches(k, m.keys.Back):
			return m.goBack()
		}
	}
	return nil
}

func (s *hintScreen) view(m *Model) string {
	p := m.flow.Provider()
	var b strings.Builder
	b.WriteString(m.styles.Title.Render(textHintTitle.In(m.lang, p.Name)) + "\n\n")
	b.WriteString(hintList(m, p.Hints))
	if providers.IsHelpPage(p.Docs) {
		b.WriteString("\n" + wrap(textHintDocs.In(m.lang, p.Docs), m.contentWidth()) + "\n")
	}
	return b.String()
}

// hintList is the hints as a bulleted list in the person's language.
func hintList(m *Model, hints []probe.Text) string {
	var b strings.Builder
	for _, h := range hints {
		text := h.In(m.lang)
		lines := strings.Split(wrap(text, m.contentWidth()-2), "\n")
		for i, l := range lines {
			mark := "  "
			if i == 0 {
				mark = "• "
			}
			b.WriteString(mark + l + "\n")
		}
	}
	return b.String()
}
