package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/postino/postino/probe"
)

// protocolScreen asks IMAP or POP, with IMAP preselected and explained.
type protocolScreen struct {
	cursor int
}

func (s *protocolScreen) enter(m *Model) tea.Cmd {
	s.cursor = max(0, slices.Index(m.flow.Protocols(), m.flow.Protocol()))
	return nil
}

func (s *protocolScreen) typing(*Model) bool { return false }

func (s *protocolScreen) keys(m *Model) []key.Binding {
	keys := []key.Binding{m.keys.Next}
	if len(m.flow.Protocols()) > 1 {
		keys = append([]key.Binding{m.keys.Up}, keys...)
	}
	return keys
}

func (s *protocolScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	options := m.flow.Protocols()
	switch {
	case key.Matches(k, m.keys.Up):
		s.cursor = max(0, s.cursor-1)
	case key.Matches(k, m.keys.Down):
		s.cursor = min(len(options)-1, s.cursor+1)
	case key.Matches(k, m.keys.Next):
		return m.do(m.flow.ChooseProtocol(options[s.cursor]))
	case key.Matches(k, m.keys.Back):
		return m.goBack()
	}
	return nil
}

func (s *protocolScreen) view(m *Model) string {
	w := m.contentWidth()
	var b strings.Builder
	b.WriteString(m.styles.Title.Render(textProtocolTitle.In(m.lang)) + "\n\n")
	if m.flow.Reasked() && m.flow.Provider() != nil {
		b.WriteString(paint(m.styles.Warn, wrap("! "+textOnlyOffers.In(m.lang, m.flow.Provider().Name, protocolName(m.flow.Protocols()[0])), w)) + "\n\n")
	}
	for i, p := range m.flow.Protocols() {
		name, about := textIMAPName, textIMAPAbout
		if p == probe.POP3 {
			name, about = textPOPName, textPOPAbout
		}
		mark, style := "  ", m.styles.Body
		if i == s.cursor {
			mark, style = "› ", m.styles.Selected
		}
		b.WriteString(style.Render(mark+name.In(m.lang)) + "\n")
		for _, l := range strings.Split(wrap(about.In(m.lang), w-4), "\n") {
			b.WriteString("    " + m.styles.Subtle.Render(l) + "\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func protocolName(p probe.Protocol) string {
	if p == probe.POP3 {
		return "POP"
	}
	return strings.ToUpper(string(p))
}
