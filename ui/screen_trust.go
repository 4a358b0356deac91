package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// trustScreen shows the certificate that could not be verified and trusts
// it by fingerprint only on an explicit yes.
type trustScreen struct{}

func (s *trustScreen) enter(*Model) tea.Cmd { return nil }
func (s *trustScreen) typing(*Model) bool   { return false }

func (s *trustScreen) keys(m *Model) []key.Binding {
	return []key.Binding{relabel(m.keys.Yes, textTrustYes, m.lang)}
}

func (s *trustScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Yes):
		return m.do(m.flow.ConfirmTrust())
	case key.Matches(k, m.keys.Back):
		return m.goBack()
	}
	return nil
}

func (s *trustScreen) view(m *Model) string {
	f := m.flow
	c := f.TrustCertificate()
	w := m.contentWidth()
	server := f.Incoming().Server()
	if f.TrustRole() == "outgoing" {
		server = f.Outgoing().Server()
	}
	var b strings.Builder
	b.WriteString(m.styles.Title.Render(textTrustTitle.In(m.lang)) + "\n\n")
	b.WriteString(wrap(textTrustBody.In(m.lang, server.Address()), w) + "\n\n")
	for _, row := range [][2]string{
		{textCertSubject.In(m.lang), c.Subject},
		{textCertNames.In(m.lang), strings.Join(c.Names(), ", ")},
		{textCertIssuer.In(m.lang), c.Issuer},
		{textCertUntil.In(m.lang), c.NotAfter.Format(time.DateOnly)},
	} {
		b.WriteString("  " + m.styles.Label.Render(padRight(row[0], 16)) + row[1] + "\n")
	}
	b.WriteString("\n" + textFinger.In(m.lang) + ":\n")
	b.WriteString(paint(m.styles.Value, indent(fingerprint(c.SHA256), "  ")) + "\n\n")
	b.WriteString(paint(m.styles.Warn, wrap("! "+textTrustWarn.In(m.lang), w)) + "\n")
	return b.String()
}

// fingerprint groups hex digits in pairs with colons, the way certificate
// viewers show them, so it can be compared aloud.
func fingerprint(hex string) string {
	var pairs []string
	for i := 0; i+2 <= len(hex); i += 2 {
		pairs = append(pairs, strings.ToUpper(hex[i:i+2]))
	}
	s := strings.Join(pairs, ":")
	if len(s) > 48 {
		// Two lines of 16 pairs read better than one of 95 characters.
		return s[:47] + "\n" + s[48:]
	}
	return s
}
