package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
)

// passwordScreen takes the password, masked unless shown on request;
// pasting works as typing does.
type passwordScreen struct {
	input textinput.Model
	err   error
}

func newPasswordScreen() *passwordScreen {
	in := newInput("")
	in.EchoMode = textinput.EchoPassword
	in.EchoCharacter = '•'
	// No limit: a longer paste is refused whole, never cut.
	in.CharLimit = 0
	return &passwordScreen{input: in}
}

func (s *passwordScreen) enter(m *Model) tea.Cmd {
	s.input.SetValue(m.flow.Password())
	if m.flow.PasswordRefused() {
		s.input.SetValue("") // typed anew, not edited
	}
	s.input.CursorEnd()
	s.input.SetWidth(m.contentWidth() - 4)
	s.err = nil
	return s.input.Focus()
}

func (s *passwordScreen) typing(*Model) bool { return true }

func (s *passwordScreen) keys(m *Model) []key.Binding {
	return []key.Binding{m.keys.Next, m.keys.Reveal}
}

func (s *passwordScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, m.keys.Next):
			var e wizard.Effect
			e, s.err = m.flow.SubmitPassword(s.input.Value())
			return m.do(e, s.err)
		case key.Matches(k, m.keys.Reveal):
			if s.input.EchoMode == textinput.EchoPassword {
				s.input.EchoMode = textinput.EchoNormal
			} else {
				s.input.EchoMode = textinput.EchoPassword
			}
			return nil
		case key.Matches(k, m.keys.Back):
			return m.goBack()
		}
	}
	s.err = nil
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	return cmd
}

func (s *passwordScreen) view(m *Model) string {
	var b strings.Builder
	b.WriteString(m.styles.Title.Render(textPasswordTitle.In(m.lang, m.flow.Email())) + "\n\n")
	if m.flow.PasswordRefused() {
		b.WriteString(paint(m.styles.Warn, wrap("! "+textPasswordRefused.In(m.lang), m.contentWidth())) + "\n\n")
	}
	b.WriteString(wrap(textPasswordBody.In(m.lang), m.contentWidth()) + "\n\n")
	b.WriteString(s.input.View() + "\n\n")
	if s.input.EchoMode == textinput.EchoNormal {
		b.WriteString(m.styles.Warn.Render("! "+textPasswordShown.In(m.lang)) + "\n")
	}
	if problem, ok := passwordProblems[s.err]; ok {
		b.WriteString(paint(m.styles.Bad, wrap("✗ "+problem.In(m.lang), m.contentWidth())) + "\n")
	}
	return b.String()
}

// textPasswordRefused heads the password when the server refused the
// last one.
var textPasswordRefused = probe.Text{EN: "The server refused the last password. Type it again: postino tests it at once.", IT: "Il server ha rifiutato l'ultima password. Riscrivila: postino la prova subito."}
