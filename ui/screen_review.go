package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/postino/postino/probe"
)

// reviewScreen shows the settings to be tested, lets the person pick an
// alternative for either server, or open the form.
type reviewScreen struct {
	role probe.Role // the server tab has moved to
}

func (s *reviewScreen) enter(*Model) tea.Cmd {
	s.role = probe.Incoming
	return nil
}

func (s *reviewScreen) typing(*Model) bool { return false }

func (s *reviewScreen) keys(m *Model) []key.Binding {
	keys := []key.Binding{relabel(m.keys.Next, textTestThem, m.lang), m.keys.Edit}
	if s.alternatives(m, probe.Incoming) || s.alternatives(m, probe.Outgoing) {
		keys = append(keys, relabel(m.keys.Tab, keySwitch, m.lang))
	}
	if s.alternatives(m, s.role) {
		keys = append(keys, relabel(m.keys.Left, textAlternative, m.lang))
	}
	return keys
}

func (s *reviewScreen) alternatives(m *Model, role probe.Role) bool {
	if role == probe.Outgoing {
		return len(m.flow.Outgoing().Servers) > 1
	}
	return len(m.flow.Incoming().Servers) > 1
}

func (s *reviewScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	c := m.flow.Incoming()
	if s.role == probe.Outgoing {
		c = m.flow.Outgoing()
	}
	switch {
	case key.Matches(k, m.keys.Next):
		return m.do(m.flow.Test())
	case key.Matches(k, m.keys.Edit):
		m.flow.Edit()
	case key.Matches(k, m.keys.Tab, m.keys.ShiftTab, m.keys.Up, m.keys.Down):
		if s.role == probe.Incoming {
			s.role = probe.Outgoing
		} else {
			s.role = probe.Incoming
		}
	case key.Matches(k, m.keys.Left) && len(c.Servers) > 1:
		m.flow.Choose(s.role, (c.Selected+len(c.Servers)-1)%len(c.Servers))
	case key.Matches(k, m.keys.Right) && len(c.Servers) > 1:
		m.flow.Choose(s.role, (c.Selected+1)%len(c.Servers))
	case key.Matches(k, m.keys.Back):
		return m.goBack()
	}
	return nil
}

func (s *reviewScreen) view(m *Model) string {
	f := m.flow
	var b strings.Builder
	b.WriteString(m.styles.Title.Render(textReviewTitle.In(m.lang, f.Email())) + "\n")
	from := textEnteredByHand.In(m.lang)
	if !f.Edited() && f.Detect().Result != nil {
		from = sourceName(f.Detect().Result.Source, m.lang)
	}
	b.WriteString(m.styles.Subtle.Render(textFrom.In(m.lang, from)) + "\n\n")
	for _, role := range []probe.Role{probe.Incoming, probe.Outgoing} {
		c, label := f.Incoming(), textIncomingCap
		if role == probe.Outgoing {
			c, label = f.Outgoing(), textOutgoingCap
		}
		mark, style := "  ", m.styles.Label
		if role == s.role && (s.alternatives(m, probe.Incoming) || s.alternatives(m, probe.Outgoing)) {
			mark, style = "› ", m.styles.Selected
		}
		title := label.In(m.lang)
		if len(c.Servers) > 1 {
			title += "  " + textAlternativeOf.In(m.lang, c.Selected+1, len(c.Servers))
		}
		b.WriteString(style.Render(mark+title) + "\n")
		sv := c.Server()
		for _, row := range [][2]string{
			{textProtocolLabel.In(m.lang), protocolName(sv.Protocol)},
			{textServerLabel.In(m.lang), sv.Host},
			{textPortLabel.In(m.lang), fmt.Sprint(sv.Port)},
			{textSecurityLabel.In(m.lang), sv.Security.Describe(m.lang)},
			{textUsernameLabel.In(m.lang), sv.Username},
		} {
			b.WriteString("    " + m.styles.Label.Render(padRight(row[0], 14)) + m.styles.Value.Render(row[1]) + "\n")
		}
		b.WriteString("\n")
	}
	if d := f.Detect().Result; d != nil && len(d.Hints) > 0 && f.Provider() == nil {
		b.WriteString(hintList(m, d.Hints))
	}
	return b.String()
}
