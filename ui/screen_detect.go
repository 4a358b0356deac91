package ui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/discover"
	"github.com/postino/postino/wizard/mailbox"
)

// detectScreen shows each source with a spinner, then what was found and
// where it came from.
type detectScreen struct{}

func (s *detectScreen) enter(m *Model) tea.Cmd {
	if m.flow.Detect().Running {
		return m.startSpinner()
	}
	return nil
}

func (s *detectScreen) typing(*Model) bool { return false }

func (s *detectScreen) keys(m *Model) []key.Binding {
	if m.flow.Detect().Running {
		return nil
	}
	if !m.flow.Found() {
		keys := []key.Binding{relabel(m.keys.Next, textEnterByHand, m.lang)}
		if offline(m.flow) {
			keys = append(keys, m.keys.Retry)
		}
		return keys
	}
	return []key.Binding{m.keys.Next}
}

// offline reports whether the detection failed because the network or
// DNS did not work.
func offline(f *wizard.Flow) bool {
	return errors.Is(f.Detect().Err, discover.ErrNoNetwork)
}

func (s *detectScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, m.keys.Next):
			m.flow.ContinueDetect()
		case key.Matches(k, m.keys.Retry) && offline(m.flow):
			return m.do(m.flow.RetryDetect())
		case key.Matches(k, m.keys.Back):
			return m.goBack()
		}
	}
	return nil
}

func (s *detectScreen) view(m *Model) string {
	f := m.flow
	w := m.contentWidth()
	var b strings.Builder
	b.WriteString(m.styles.Title.Render(textDetectTitle.In(m.lang, f.Email())) + "\n\n")
	if f.Detect().Running && len(f.Detect().Sources) == 0 {
		b.WriteString(m.spin.View() + " " + textDetectStarting.In(m.lang) + "\n")
	}
	column := 0
	for _, ev := range f.Detect().Sources {
		column = max(column, lipgloss.Width(sourceName(ev.Source, m.lang)))
	}
	for _, ev := range f.Detect().Sources {
		var mark, state string
		switch ev.State {
		case mailbox.SourceRunning:
			mark, state = m.spin.View(), textSourceRunning.In(m.lang)
		case mailbox.SourceFound:
			mark, state = m.styles.OK.Render("✓"), textSourceFound.In(m.lang)
		default:
			mark, state = m.styles.Subtle.Render("·"), textSourceNothing.In(m.lang)
		}
		b.WriteString(fmt.Sprintf("%s %s  %s\n", mark, padRight(sourceName(ev.Source, m.lang), column), m.styles.Subtle.Render(state)))
	}
	d := f.Detect().Result
	if f.Detect().Running || d == nil {
		return b.String()
	}
	b.WriteString("\n")
	if !f.Found() {
		for _, t := range nothingFound(f) {
			b.WriteString(paint(m.styles.Warn, wrap("! "+t.In(m.lang), w)) + "\n")
		}
		return b.String()
	}
	b.WriteString(m.styles.OK.Render("✓ ") + textFoundFrom.In(m.lang, sourceName(d.Source, m.lang)) + "\n")
	if d.Provider != "" {
		b.WriteString("  " + textProviderIs.In(m.lang, d.Provider) + "\n")
	}
	b.WriteString("\n" + serverLine(m, textIncomingCap, f.Incoming().Server()) + "\n")
	b.WriteString(serverLine(m, textOutgoingCap, f.Outgoing().Server()) + "\n")
	if !d.Trusted {
		b.WriteString("\n" + paint(m.styles.Warn, wrap("! "+textUntrustedSource.In(m.lang), w)) + "\n")
	}
	return b.String()
}

// nothingFound is what to say when detection found no usable settings:
// what it learned on the way (an Exchange server without IMAP) when it
// found no server at all, since that says more; else that nothing was
// found.
func nothingFound(f *wizard.Flow) []probe.Text {
	if offline(f) {
		return []probe.Text{textNoNetwork}
	}
	if d := f.Detect().Result; d != nil && len(d.Incoming) == 0 && len(d.Outgoing) == 0 && len(d.Hints) > 0 {
		return d.Hints
	}
	return []probe.Text{textNothingFound}
}

// sourceName says where settings came from, in words.
func sourceName(s mailbox.Source, lang probe.Lang) string {
	if t, ok := sourceNames[s]; ok {
		return t.In(lang)
	}
	return string(s)
}

// serverLine is one server in one line: role, protocol, host:port, security.
func serverLine(m *Model, role probe.Text, s probe.Server) string {
	return fmt.Sprintf("%s %s  %s  %s", m.styles.Label.Render(padRight(role.In(m.lang), 10)),
		padRight(protocolName(s.Protocol), 4), m.styles.Value.Render(s.Address()), s.Security.Describe(m.lang))
}
