package ui

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/store"
)

// errNoSaver is saving in a wizard run without a store.
var errNoSaver = errors.New("no place to save accounts")

// saveScreen stores the account; when the keyring is unavailable it says
// why and offers to retry or to save without the password.
type saveScreen struct{}

func (s *saveScreen) enter(*Model) tea.Cmd { return nil }
func (s *saveScreen) typing(*Model) bool   { return false }

func (s *saveScreen) keys(m *Model) []key.Binding {
	err := m.flow.SaveErr()
	if err == nil || m.saving {
		return nil
	}
	keys := []key.Binding{m.keys.Retry}
	if wizard.KeyringUnavailable(err) {
		keys = append(keys, m.keys.NoPassword)
	}
	return keys
}

func (s *saveScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || m.saving {
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Retry):
		return m.do(m.flow.RetrySave())
	case key.Matches(k, m.keys.NoPassword):
		return m.do(m.flow.SaveWithoutPassword())
	case key.Matches(k, m.keys.Back) && m.canGoBack():
		return m.goBack()
	}
	return nil
}

// keyringReason says in words why the keyring cannot be used.
func keyringReason(err error, lang probe.Lang) string {
	var ue *store.UnavailableError
	if !errors.As(err, &ue) {
		return ""
	}
	return keyringReasons[ue.Reason].In(lang)
}

func (s *saveScreen) view(m *Model) string {
	w := m.contentWidth()
	err := m.flow.SaveErr()
	var b strings.Builder
	b.WriteString(m.styles.Title.Render(textSaveTitle.In(m.lang, m.flow.Email())) + "\n\n")
	switch {
	case err == nil:
		b.WriteString(m.spin.View() + " " + textSaving.In(m.lang) + "\n")
	case wizard.KeyringUnavailable(err):
		b.WriteString(paint(m.styles.Bad, wrap("✗ "+textKeyringUnavailable.In(m.lang), w)) + "\n")
		b.WriteString(wrap(keyringReason(err, m.lang), w) + "\n")
		b.WriteString(paint(m.styles.Subtle, wrap(err.Error(), w)) + "\n\n")
		b.WriteString(wrap(textKeyringChoices.In(m.lang), w) + "\n")
	default:
		b.WriteString(paint(m.styles.Bad, wrap("✗ "+textSaveFailed.In(m.lang, err), w)) + "\n")
	}
	return b.String()
}
