package ui

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/store"
)

// nameProblem says why a display name was refused.
func nameProblem(err error, lang probe.Lang) string {
	if errors.Is(err, store.ErrDisplayNameTooLong) {
		return textNameTooLong.In(lang, store.MaxDisplayName)
	}
	return textNameControl.In(lang)
}

// addressScreen takes the address, checked as it is typed, and the
// person's name as the people they write to see it (optional). An address
// whose domain looks like a typo of a known provider's, and receives no
// mail, gets "did you mean": y takes the suggestion, n the address as
// typed, any other key edits it.
type addressScreen struct {
	input     textinput.Model
	name      textinput.Model
	onName    bool  // the name field has the focus
	submitted bool  // enter was pressed: a problem is shown even mid-word
	nameErr   error // why the name was refused
	// same asks what to do when the address is a saved account's.
	same sameAddress
}

func newAddressScreen() *addressScreen {
	name := newInput("Anna Rossi")
	name.CharLimit = store.MaxDisplayName
	return &addressScreen{input: newInput("anna@example.com"), name: name}
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
	if m.flow.Name() != "" {
		s.name.SetValue(m.flow.Name())
	}
	s.input.SetWidth(m.contentWidth() - 4)
	s.name.SetWidth(m.contentWidth() - 4)
	s.submitted, s.nameErr = false, nil
	return s.focus(false)
}

// focus moves the cursor to the address or to the name.
func (s *addressScreen) focus(name bool) tea.Cmd {
	s.onName = name
	if name {
		s.input.Blur()
		return s.name.Focus()
	}
	s.name.Blur()
	return s.input.Focus()
}

// suggested is the address probably meant, while it is offered for the
// address typed; "" otherwise.
func (s *addressScreen) suggested(m *Model) string {
	t := m.flow.Typo()
	if t.Checking || t.Meant == "" {
		return ""
	}
	if a, err := mailbox.ParseAddress(s.input.Value()); err != nil || a.String() != t.Address {
		return ""
	}
	return t.Meant
}

func (s *addressScreen) typing(m *Model) bool { return s.suggested(m) == "" }

// useSuggestion and keepTyped answer "did you mean".
func (s *addressScreen) useSuggestion(m *Model) key.Binding {
	return relabel(m.keys.Yes, textUseSuggestion, m.lang)
}

func (s *addressScreen) keepTyped(m *Model) key.Binding {
	return key.NewBinding(key.WithKeys("n"), key.WithHelp("n", textKeepTyped.In(m.lang)))
}

func (s *addressScreen) keys(m *Model) []key.Binding {
	if _, asking := m.flow.AlreadySaved(); asking {
		return s.same.keys(m)
	}
	if s.suggested(m) != "" {
		return []key.Binding{s.useSuggestion(m), s.keepTyped(m)}
	}
	return []key.Binding{m.keys.Next, relabel(m.keys.Tab, textSwitchField, m.lang)}
}

// submit takes the name and the address.
func (s *addressScreen) submit(m *Model) tea.Cmd {
	s.submitted = true
	s.nameErr = m.flow.SetName(s.name.Value())
	if s.nameErr != nil {
		return s.focus(true)
	}
	e, err := m.flow.SubmitAddress(s.input.Value())
	if errors.Is(err, wizard.ErrAlreadySaved) {
		return s.same.open(m)
	}
	return m.do(e, err)
}

func (s *addressScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if _, asking := m.flow.AlreadySaved(); asking {
		return s.same.update(m, msg)
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if meant := s.suggested(m); meant != "" {
			switch {
			case key.Matches(k, s.useSuggestion(m)):
				s.input.SetValue(meant)
				s.input.CursorEnd()
				return s.submit(m)
			case key.Matches(k, s.keepTyped(m)):
				return s.submit(m)
			}
		}
		switch {
		case key.Matches(k, m.keys.Next):
			return s.submit(m)
		case key.Matches(k, m.keys.Tab, m.keys.ShiftTab) || k.String() == "up" || k.String() == "down":
			return s.focus(!s.onName)
		case key.Matches(k, m.keys.Back):
			return m.goBack()
		}
	}
	var cmd tea.Cmd
	if s.onName {
		s.name, cmd = s.name.Update(msg)
		s.nameErr = nil
	} else {
		s.input, cmd = s.input.Update(msg)
	}
	return cmd
}

func (s *addressScreen) view(m *Model) string {
	var b strings.Builder
	w := m.contentWidth()
	b.WriteString(m.styles.Title.Render(textAddressTitle.In(m.lang)) + "\n\n")
	b.WriteString(wrap(textAddressBody.In(m.lang), w) + "\n\n")
	b.WriteString(s.input.View() + "\n")
	if saved, asking := m.flow.AlreadySaved(); asking {
		return b.String() + "\n" + s.same.view(m, saved)
	}
	value := strings.TrimSpace(s.input.Value())
	_, err := mailbox.ParseAddress(value)
	var problem *mailbox.AddressError
	t := m.flow.Typo()
	switch {
	case t.Checking:
		_, domain, _ := strings.Cut(t.Address, "@")
		b.WriteString(m.spin.View() + " " + textCheckingDomain.In(m.lang, domain) + "\n")
	case s.suggested(m) != "":
		_, domain, _ := strings.Cut(t.Address, "@")
		b.WriteString(paint(m.styles.Warn, wrap("? "+textDidYouMean.In(m.lang, t.Meant, domain), w)) + "\n")
	case value == "" && !s.submitted:
	case err == nil:
		b.WriteString(m.styles.OK.Render("✓ "+textAddressOK.In(m.lang)) + "\n")
	case errors.As(err, &problem) && (s.submitted || strings.Contains(value, "@")):
		// Mid-word, before the @, every address is still incomplete.
		b.WriteString(paint(m.styles.Bad, wrap("✗ "+problem.Problem.Text().In(m.lang), w)) + "\n")
	}
	b.WriteString("\n" + wrap(textNameBody.In(m.lang), w) + "\n")
	b.WriteString(s.name.View() + "\n")
	if s.nameErr != nil {
		b.WriteString(paint(m.styles.Bad, wrap("✗ "+nameProblem(s.nameErr, m.lang), w)) + "\n")
	}
	return b.String()
}
