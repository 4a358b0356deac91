package ui

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/mailbox"
)

// addressScreen takes the address and checks it as it is typed.
type addressScreen struct {
	input     textinput.Model
	submitted bool // enter was pressed: a problem is shown even mid-word
	// same asks what to do when the address is a saved account's.
	same sameAddress
}

func newAddressScreen() *addressScreen {
	return &addressScreen{input: newInput("anna@example.com")}
}

// newInput is a one-line field with a steady cursor.
func newInput(placeholder string) textinput.Model {
	in := textinput.New()
	in.Prompt = "› "
	in.Placeholder = placeholder
	in.CharLimit = 254
	st := in.Styles()
	st.Cursor.Blink = false
	in.SetStyles(st)
	return in
}

func (s *addressScreen) enter(m *Model) tea.Cmd {
	if m.flow.Email() != "" {
		s.input.SetValue(m.flow.Email())
		s.input.CursorEnd()
	}
	s.input.SetWidth(m.contentWidth() - 4)
	s.submitted = false
	return s.input.Focus()
}

func (s *addressScreen) typing(*Model) bool { return true }

func (s *addressScreen) keys(m *Model) []key.Binding {
	if _, asking := m.flow.AlreadySaved(); asking {
		return s.same.keys(m)
	}
	return []key.Binding{m.keys.Next}
}

func (s *addressScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if _, asking := m.flow.AlreadySaved(); asking {
		return s.same.update(m, msg)
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, m.keys.Next):
			s.submitted = true
			e, err := m.flow.SubmitAddress(s.input.Value())
			if errors.Is(err, wizard.ErrAlreadySaved) {
				return s.same.open(m)
			}
			return m.do(e, err)
		case key.Matches(k, m.keys.Back):
			return m.goBack()
		}
	}
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	return cmd
}

func (s *addressScreen) view(m *Model) string {
	var b strings.Builder
	b.WriteString(m.styles.Title.Render(textAddressTitle.In(m.lang)) + "\n\n")
	b.WriteString(wrap(textAddressBody.In(m.lang), m.contentWidth()) + "\n\n")
	b.WriteString(s.input.View() + "\n\n")
	if saved, asking := m.flow.AlreadySaved(); asking {
		return b.String() + s.same.view(m, saved)
	}
	value := strings.TrimSpace(s.input.Value())
	_, err := mailbox.ParseAddress(value)
	var problem *mailbox.AddressError
	switch {
	case value == "" && !s.submitted:
	case err == nil:
		b.WriteString(m.styles.OK.Render("✓ "+textAddressOK.In(m.lang)) + "\n")
	case errors.As(err, &problem) && (s.submitted || strings.Contains(value, "@")):
		// Mid-word, before the @, every address is still incomplete.
		b.WriteString(paint(m.styles.Bad, wrap("✗ "+problem.Problem.Text().In(m.lang), m.contentWidth())) + "\n")
	}
	return b.String()
}
