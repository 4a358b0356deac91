package ui

import (
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
)

// editField is one field of the form: text, or a choice of security.
type editField struct {
	role     probe.Role
	field    wizard.Field
	input    textinput.Model
	security probe.Security
}

// editScreen is the settings by hand, for an Exchange server on a custom
// port or whatever detection could not know.
type editScreen struct {
	fields []editField
	focus  int
	errs   []wizard.FieldError
}

func newEditScreen() *editScreen {
	s := &editScreen{}
	for _, role := range []probe.Role{probe.Incoming, probe.Outgoing} {
		for _, field := range []wizard.Field{wizard.FieldHost, wizard.FieldPort, wizard.FieldSecurity, wizard.FieldUsername} {
			in := newInput("")
			in.Prompt = ""
			s.fields = append(s.fields, editField{role: role, field: field, input: in})
		}
	}
	return s
}

func (s *editScreen) enter(m *Model) tea.Cmd {
	in, out := m.flow.Form()
	for i := range s.fields {
		f := &s.fields[i]
		form := in
		if f.role == probe.Outgoing {
			form = out
		}
		switch f.field {
		case wizard.FieldHost:
			f.input.SetValue(form.Host)
		case wizard.FieldPort:
			f.input.SetValue(form.Port)
		case wizard.FieldUsername:
			f.input.SetValue(form.Username)
		case wizard.FieldSecurity:
			f.security = form.Security
		}
		f.input.SetWidth(m.contentWidth() - 22)
		f.input.CursorEnd()
	}
	s.errs = nil
	return s.focusOn(0)
}

func (s *editScreen) focusOn(i int) tea.Cmd {
	s.fields[s.focus].input.Blur()
	s.focus = (i + len(s.fields)) % len(s.fields)
	if s.fields[s.focus].field == wizard.FieldSecurity {
		return nil
	}
	return s.fields[s.focus].input.Focus()
}

func (s *editScreen) typing(*Model) bool { return true }

func (s *editScreen) keys(m *Model) []key.Binding {
	keys := []key.Binding{relabel(m.keys.Next, textUseThese, m.lang), m.keys.Tab}
	if s.fields[s.focus].field == wizard.FieldSecurity {
		keys = append(keys, m.keys.Left)
	}
	return keys
}

func (s *editScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	f := &s.fields[s.focus]
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, m.keys.Next):
			s.errs = m.flow.SubmitEdit(s.form(probe.Incoming), s.form(probe.Outgoing))
			if len(s.errs) > 0 {
				return s.focusOn(s.index(s.errs[0]))
			}
			return nil
		case key.Matches(k, m.keys.Tab, m.keys.Down):
			return s.focusOn(s.focus + 1)
		case key.Matches(k, m.keys.ShiftTab, m.keys.Up):
			return s.focusOn(s.focus - 1)
		case key.Matches(k, m.keys.Back):
			return m.goBack()
		case f.field == wizard.FieldSecurity && (key.Matches(k, m.keys.Left, m.keys.Right) || k.String() == "space"):
			i := slices.Index(wizard.Securities, f.security)
			f.security = wizard.Securities[(i+1)%len(wizard.Securities)]
			s.followPort(m, f)
			return nil
		}
	}
	if f.field == wizard.FieldSecurity {
		return nil
	}
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	return cmd
}

// followPort moves the port with the security while it is a standard one,
// so that choosing STARTTLS for IMAP gives 143 rather than a wrong 993.
func (s *editScreen) followPort(m *Model, f *editField) {
	p := probe.SMTP
	if f.role == probe.Incoming {
		p = m.flow.IncomingProtocol()
	}
	port := &s.fields[s.index(wizard.FieldError{Role: f.role, Field: wizard.FieldPort})].input
	for _, sec := range wizard.Securities {
		if port.Value() == strconv.Itoa(probe.DefaultPort(p, sec)) {
			port.SetValue(strconv.Itoa(probe.DefaultPort(p, f.security)))
			return
		}
	}
}

func (s *editScreen) index(e wizard.FieldError) int {
	for i, f := range s.fields {
		if f.role == e.Role && f.field == e.Field {
			return i
		}
	}
	return 0
}

func (s *editScreen) form(role probe.Role) wizard.ServerForm {
	var form wizard.ServerForm
	for _, f := range s.fields {
		if f.role != role {
			continue
		}
		switch f.field {
		case wizard.FieldHost:
			form.Host = f.input.Value()
		case wizard.FieldPort:
			form.Port = f.input.Value()
		case wizard.FieldSecurity:
			form.Security = f.security
		case wizard.FieldUsername:
			form.Username = f.input.Value()
		}
	}
	return form
}

func (s *editScreen) view(m *Model) string {
	var b strings.Builder
	b.WriteString(m.styles.Title.Render(textEditTitle.In(m.lang, m.flow.Email())) + "\n")
	for i, f := range s.fields {
		if f.field == wizard.FieldHost {
			label := textIncomingCap
			if f.role == probe.Outgoing {
				label = textOutgoingCap
			}
			b.WriteString("\n" + m.styles.Label.Render(label.In(m.lang)) + "\n")
		}
		mark, style := "  ", m.styles.Label
		if i == s.focus {
			mark, style = "› ", m.styles.Selected
		}
		value := f.input.View()
		if f.field == wizard.FieldSecurity {
			value = "‹ " + f.security.Describe(m.lang) + " ›"
		}
		b.WriteString(style.Render(mark+padRight(fieldNames[f.field].In(m.lang), 16)) + value + "\n")
		for _, e := range s.errs {
			if e.Role == f.role && e.Field == f.field {
				b.WriteString(m.styles.Bad.Render("    ✗ "+problemTexts[e.Problem].In(m.lang)) + "\n")
			}
		}
	}
	return b.String()
}
