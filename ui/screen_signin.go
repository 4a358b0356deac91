package ui

import (
	"context"
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/signin"
)

// signInScreen signs in with the provider instead of asking a password:
// the address and code to approve on any device with a QR code of the
// address, or the address the browser opens, and a live wait that esc
// cancels. Without a client ID it says why and how to get one.
type signInScreen struct{}

// enter starts the sign-in on arrival, when nothing stops it.
func (s *signInScreen) enter(m *Model) tea.Cmd {
	if m.flow.SignIn().Running || m.flow.SignIn().Err != nil {
		return nil
	}
	return m.do(m.flow.StartSignIn())
}

func (s *signInScreen) typing(*Model) bool { return false }

func (s *signInScreen) keys(m *Model) []key.Binding {
	f := m.flow
	if f.SignIn().Running {
		return []key.Binding{m.keys.Cancel}
	}
	var keys []key.Binding
	if f.SignInConfigured() {
		keys = append(keys, m.keys.Retry)
	}
	if _, ok := f.PasswordAuth(); ok {
		keys = append(keys, m.keys.Password)
	}
	return keys
}

func (s *signInScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	f := m.flow
	switch {
	case f.SignIn().Running && key.Matches(k, m.keys.Cancel):
		m.runner.cancel(wizard.StartSignIn)
		f.CancelSignIn()
	case key.Matches(k, m.keys.Retry):
		return m.do(f.StartSignIn())
	case key.Matches(k, m.keys.Password):
		f.UsePassword()
	case key.Matches(k, m.keys.Back):
		return m.goBack()
	}
	return nil
}

func (s *signInScreen) view(m *Model) string {
	f, w := m.flow, m.contentWidth()
	name := f.Provider().Name
	var b strings.Builder
	b.WriteString(m.styles.Title.Render(textSignInTitle.In(m.lang, name)) + "\n\n")
	run := f.SignIn()
	switch {
	case !f.SignInConfigured():
		b.WriteString(s.problem(m, nil))
	case run.Running && run.Prompt == nil:
		b.WriteString(m.spin.View() + " " + textSignInAsking.In(m.lang, name) + "\n")
	case run.Running && run.Prompt.UserCode == "":
		text := textSignInBrowser
		if m.opts.NoBrowser {
			text = textSignInNoBrowser
		}
		b.WriteString(wrap(text.In(m.lang, name), w) + "\n\n")
		b.WriteString(paint(m.styles.Value, wrap(run.Prompt.VerificationURI, w)) + "\n\n")
		b.WriteString(m.spin.View() + " " + textSignInWaiting.In(m.lang) + "\n")
	case run.Running:
		b.WriteString(s.device(m, *run.Prompt))
	default:
		b.WriteString(s.problem(m, run.Err))
	}
	return b.String()
}

// device is the code to approve on another device: the instructions on the
// left, the QR code of the address with the code on the right.
func (s *signInScreen) device(m *Model, p signin.DevicePrompt) string {
	target := p.VerificationURIComplete
	if target == "" {
		target = p.VerificationURI
	}
	qr := QRBlocks(target, m.dark)
	w := m.contentWidth()
	if qr != "" {
		w -= lipgloss.Width(qr) + 2
	}
	var b strings.Builder
	b.WriteString(wrap(textSignInOpen.In(m.lang), w) + "\n")
	b.WriteString(paint(m.styles.Value, wrap(p.VerificationURI, w)) + "\n\n")
	b.WriteString(wrap(textSignInCode.In(m.lang), w) + "\n")
	b.WriteString(m.styles.Value.Render(p.UserCode) + "\n\n")
	if qr != "" {
		b.WriteString(wrap(textSignInScan.In(m.lang), w) + "\n\n")
	}
	wait := textSignInWaiting.In(m.lang)
	if !p.ExpiresAt.IsZero() {
		wait += " " + textSignInExpires.In(m.lang, p.ExpiresAt.Local().Format("15:04"))
	}
	b.WriteString(m.spin.View() + " " + wrap(wait, w-2))
	if qr == "" {
		return b.String() + "\n"
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, lipgloss.NewStyle().Width(w+2).Render(b.String()), qr) + "\n"
}

// problem says why there is no sign-in and what to do.
func (s *signInScreen) problem(m *Model, err error) string {
	f, w := m.flow, m.contentWidth()
	e := signInExplanation(f, err, m.lang)
	mark, st := "✗ ", m.styles.Bad
	if errors.Is(err, context.Canceled) {
		mark, st = "! ", m.styles.Warn
	}
	var b strings.Builder
	b.WriteString(paint(st, wrap(mark+e.What, w)) + "\n")
	if e.Why != "" {
		b.WriteString(wrap(e.Why, w) + "\n")
	}
	for _, fix := range e.Fix {
		b.WriteString("\n" + wrap("› "+fix, w))
	}
	return b.String() + "\n"
}

// signInExplanation puts a failed or impossible sign-in into words with the
// probe's OAuth2 diagnoses: no client ID, refused, expired; a cancelled
// one says so, any other failure says what went wrong. The advice to use
// an app password stays only where the provider takes one.
func signInExplanation(f *wizard.Flow, err error, lang probe.Lang) probe.Explanation {
	name := f.Provider().Name
	code := probe.Code("")
	switch {
	case !f.SignInConfigured() || errors.Is(err, signin.ErrNotConfigured):
		code = probe.CodeOAuthNotConfigured
	case errors.Is(err, signin.ErrDenied):
		code = probe.CodeOAuthDenied
	case errors.Is(err, signin.ErrExpired), errors.Is(err, context.DeadlineExceeded):
		code = probe.CodeOAuthExpired
	case errors.Is(err, context.Canceled):
		return probe.Explanation{What: textSignInCancelled.In(lang), PinFix: -1}
	default:
		return probe.Explanation{What: textSignInFailed.In(lang, name, err), Fix: []string{textSignInRetry.In(lang)}, PinFix: -1}
	}
	e := probe.Explain(probe.Result{Server: probe.Server{Host: name}, Code: code, Failure: &probe.Failure{Code: code}}, nil, lang)
	if code == probe.CodeOAuthNotConfigured {
		e.Fix = e.Fix[:1]
		if _, ok := f.PasswordAuth(); ok {
			e.Fix = append(e.Fix, textSignInOrPassword.In(lang))
		}
	}
	return e
}
