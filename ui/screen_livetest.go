package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/postino/postino/probe"
)

// testScreen is the live test: a checklist per server with spinners and
// times, the TLS session and certificate, and for a failure what happened,
// why and what to do.
type testScreen struct{}

func (s *testScreen) enter(m *Model) tea.Cmd { return m.startSpinner() }
func (s *testScreen) typing(*Model) bool     { return false }

func (s *testScreen) keys(m *Model) []key.Binding {
	f := m.flow
	if !f.TestsDone() {
		return nil
	}
	if f.Passed() {
		if f.Message().Sending {
			return nil
		}
		if !f.Savable() {
			return []key.Binding{m.keys.Send}
		}
		return []key.Binding{relabel(m.keys.Next, textSaveIt, m.lang), m.keys.Send}
	}
	keys := []key.Binding{m.keys.Retry, m.keys.Edit}
	if f.PasswordRefused() {
		keys = append([]key.Binding{relabel(m.keys.Password, keyReenter, m.lang)}, keys...)
	}
	if _, ok := f.Trustable(); ok {
		keys = append(keys, m.keys.Trust)
	}
	if f.Savable() {
		keys = append(keys, m.keys.SaveAnyway)
	}
	return keys
}

func (s *testScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	f := m.flow
	switch {
	case key.Matches(k, m.keys.Next):
		return m.do(f.Save())
	case key.Matches(k, m.keys.Send):
		return m.do(f.SendTest())
	case key.Matches(k, m.keys.Retry):
		return m.do(f.Test())
	case key.Matches(k, m.keys.Edit):
		f.Edit()
	case key.Matches(k, m.keys.Trust):
		f.AskTrust()
	case key.Matches(k, m.keys.SaveAnyway):
		return m.do(f.SaveAnyway())
	case key.Matches(k, m.keys.Password):
		f.ReenterPassword()
	case key.Matches(k, m.keys.Back):
		return m.goBack()
	}
	return nil
}

// item is one line of a server's checklist.
type item int

const (
	itemConnect item = iota
	itemTLS
	itemLogin
)

var itemNames = [...]probe.Text{
	{EN: "connect", IT: "connessione"},
	{EN: "TLS", IT: "TLS"},
	{EN: "login", IT: "accesso"},
}

// itemOf places a probe step in the checklist; the capabilities are asked
// as part of whatever comes next.
func itemOf(step string, current item) item {
	switch step {
	case "dns", "connect", "greeting":
		return itemConnect
	case "starttls", "tls":
		return itemTLS
	case "login":
		return itemLogin
	}
	return current
}

func (s *testScreen) view(m *Model) string {
	f := m.flow
	var b strings.Builder
	b.WriteString(m.styles.Title.Render(textTestTitle.In(m.lang, f.Email())) + "\n")
	for _, role := range []probe.Role{probe.Incoming, probe.Outgoing} {
		sv, label := f.Incoming().Server(), textIncomingCap
		if role == probe.Outgoing {
			sv, label = f.Outgoing().Server(), textOutgoingCap
		}
		r, done := f.Tests().Results[role]
		if t, ok := f.Tests().Testing[role]; ok && !done {
			sv = t
		}
		b.WriteString(s.tries(m, role, r, done))
		if f.TestsDone() && r.OK && (!f.Passed() || f.Message().Sending || f.Message().Outcome != nil) {
			// A failure or the test message needs the room: a server that
			// works takes a line.
			b.WriteString("\n" + m.styles.OK.Render("✓ ") + serverLine(m, label, sv) + "  " + m.styles.Subtle.Render(formatDuration(r.Elapsed)) + "\n")
			continue
		}
		b.WriteString("\n" + serverLine(m, label, sv) + "\n")
		if !done {
			b.WriteString(s.running(m, f.Tests().Steps[role]))
			continue
		}
		b.WriteString(s.checklist(m, r))
	}
	if !f.TestsDone() {
		return b.String()
	}
	b.WriteString("\n")
	if f.Passed() {
		b.WriteString(m.styles.OK.Render("✓ "+textAllGood.In(m.lang)) + "\n")
		if !f.Savable() {
			b.WriteString(wrap(textOAuth2NotSaved.In(m.lang, f.Email()), m.contentWidth()) + "\n")
		}
		b.WriteString(s.sent(m))
		return b.String()
	}
	all := f.AllTries()
	for _, role := range []probe.Role{probe.Incoming, probe.Outgoing} {
		if r := f.Tests().Results[role]; !r.OK {
			b.WriteString(s.diagnosis(m, r, all))
		}
	}
	if f.PasswordRefused() {
		b.WriteString("\n" + paint(m.styles.Subtle, wrap(textReenterHint.In(m.lang), m.contentWidth())) + "\n")
	}
	if f.Savable() {
		b.WriteString("\n" + paint(m.styles.Subtle, wrap(textSaveAnywayHint.In(m.lang), m.contentWidth())) + "\n")
	}
	return b.String()
}

// tries are the servers of role that failed before the one shown below
// them, one line each: what happened, then the next alternative was
// tried. outcome is the role's result once it ended.
func (s *testScreen) tries(m *Model, role probe.Role, outcome probe.Result, done bool) string {
	var b strings.Builder
	all := m.flow.AllTries()
	tries := m.flow.Tests().Tries[role]
	for i, t := range tries {
		if done && t.Server == outcome.Server {
			continue
		}
		label := textIncomingCap
		if role == probe.Outgoing {
			label = textOutgoingCap
		}
		b.WriteString("\n" + m.styles.Bad.Render("✗ ") + serverLine(m, label, t.Server) + "\n")
		what := probe.Explain(t, all, m.lang).What
		if !done || i < len(tries)-1 {
			what += " " + textTriedNext.In(m.lang)
		}
		b.WriteString(paint(m.styles.Subtle, indent(wrap(what, m.contentWidth()-4), "    ")) + "\n")
	}
	return b.String()
}

// sent is the test message under way, or what became of it.
func (s *testScreen) sent(m *Model) string {
	f, w := m.flow, m.contentWidth()
	switch {
	case f.Message().Sending:
		return "\n" + m.spin.View() + " " + wrap(textSending.In(m.lang, f.Email()), w-2) + "\n"
	case f.Message().Outcome == nil:
		return ""
	case f.Message().Outcome.OK:
		line := textSentOK.In(m.lang, f.Email(), f.Message().SentAt.Format(time.TimeOnly), formatDuration(f.Message().Outcome.Elapsed), probe.Subject(m.lang))
		return "\n" + paint(m.styles.OK, wrap("✓ "+line, w)) + "\n"
	}
	return "\n" + paint(m.styles.Bad, wrap(textNotSent.In(m.lang), w)) + "\n" + s.diagnosis(m, *f.Message().Outcome, nil)
}

// running is the checklist of a test under way: connect is ticked off
// once connected, TLS once the handshake is done, and what is still to
// come spins.
func (s *testScreen) running(m *Model, steps []probe.Step) string {
	took, _ := itemTimes(steps)
	var finished [3]bool
	for _, st := range steps {
		switch st.Name {
		case "connect":
			finished[itemConnect] = true
		case "tls":
			finished[itemTLS] = true
		}
	}
	var b strings.Builder
	for _, it := range []item{itemConnect, itemTLS, itemLogin} {
		if finished[it] {
			b.WriteString(fmt.Sprintf("  %s %s %s\n", m.styles.OK.Render("✓"), padRight(itemNames[it].In(m.lang), 12), m.styles.Subtle.Render(formatDuration(took[it]))))
			continue
		}
		b.WriteString("  " + m.spin.View() + " " + itemNames[it].In(m.lang) + "\n")
	}
	return b.String()
}

// itemTimes adds up the steps' times per checklist line.
func itemTimes(steps []probe.Step) (took [3]time.Duration, seen [3]bool) {
	current := itemConnect
	for _, st := range steps {
		current = itemOf(st.Name, current)
		took[current] += time.Duration(st.ElapsedMS) * time.Millisecond
		seen[current] = true
	}
	return took, seen
}

// checklist is connect → TLS → login for one tested server, with the time
// each took.
func (s *testScreen) checklist(m *Model, r probe.Result) string {
	var b strings.Builder
	took, seen := itemTimes(r.Steps)
	current := itemConnect
	for _, st := range r.Steps {
		current = itemOf(st.Name, current)
	}
	failed := item(-1)
	if r.Failure != nil {
		failed = itemOf(r.Failure.Step, current)
		// A failure once TLS worked (a server that closes, or says
		// nothing useful, before the login) is neither the connection's
		// nor TLS's.
		if failed < itemLogin && r.TLS != nil && r.TLS.Version != "" && !isCertificateCode(r.Code) &&
			r.Code != probe.CodeTLSHandshakeFailed && r.Code != probe.CodeTLSVersionTooOld {
			failed = itemLogin
		}
	}
	for _, it := range []item{itemConnect, itemTLS, itemLogin} {
		mark, detail := m.styles.OK.Render("✓"), ""
		switch {
		case it == failed:
			mark = m.styles.Bad.Render("✗")
		case failed >= 0 && it > failed, it == itemTLS && !seen[itemTLS] && r.Server.Security == probe.None,
			it == itemLogin && !r.LoggedIn:
			mark = m.styles.Subtle.Render("–")
		}
		if seen[it] {
			detail = formatDuration(took[it])
		}
		switch {
		case it == itemTLS && r.TLS != nil && r.TLS.Version != "":
			detail = strings.TrimSpace(detail + "  " + r.TLS.Version)
		case it == itemLogin && r.LoggedIn:
			detail = strings.TrimSpace(detail + "  " + textAs.In(m.lang, r.Server.Username))
		}
		line := fmt.Sprintf("  %s %s", mark, itemNames[it].In(m.lang))
		if detail != "" {
			line = fmt.Sprintf("  %s %s %s", mark, padRight(itemNames[it].In(m.lang), 12), m.styles.Subtle.Render(detail))
		}
		b.WriteString(line + "\n")
	}
	if c := certificateOf(r); c != nil && !isCertificateCode(r.Code) {
		line := textCertLine.In(m.lang, certName(c), nameIn(c.Issuer), c.NotAfter.Format(time.DateOnly))
		b.WriteString(paint(m.styles.Subtle, indent(wrap(line, m.contentWidth()-4), "    ")) + "\n")
	}
	return b.String()
}

// diagnosis is what happened, why, and what to do, for a failed server.
func (s *testScreen) diagnosis(m *Model, r probe.Result, all []probe.Result) string {
	w := m.contentWidth()
	e := probe.Explain(r, all, m.lang)
	if e.PinFix >= 0 {
		// Here the key t trusts a certificate, not the command line's --pin.
		e.Fix[e.PinFix] = pinKeyFixes[r.Code].In(m.lang)
	}
	var b strings.Builder
	b.WriteString(paint(m.styles.Bad, wrap("✗ "+e.What, w)) + "\n")
	if e.Why != "" {
		b.WriteString(wrap(textWhy.In(m.lang)+": "+e.Why, w) + "\n")
	}
	if c := certificateOf(r); c != nil && isCertificateCode(r.Code) {
		b.WriteString(textFinger.In(m.lang) + ":\n  " + m.styles.Value.Render(c.SHA256) + "\n")
	}
	if len(e.Fix) > 0 {
		b.WriteString(textToDo.In(m.lang) + ":\n")
		for i, fix := range e.Fix {
			number := fmt.Sprintf("  %d. ", i+1)
			b.WriteString(number + indent(wrap(fix, w-len(number)), strings.Repeat(" ", len(number)))[len(number):] + "\n")
		}
	}
	// A provider that takes only app passwords says how to make one: its
	// advice, shown before the password, is worth repeating here.
	if p := m.flow.Provider(); p != nil && len(p.Hints) > 0 && r.Code == probe.CodeAuthFailed && r.Server.Auth == probe.AuthAppPassword {
		b.WriteString(textProviderAdvice.In(m.lang) + ":\n" + hintList(m, p.Hints))
	}
	return b.String()
}

// certName is what a certificate is for: its first name, else its
// subject's common name.
func certName(c *probe.CertInfo) string {
	if names := c.Names(); len(names) > 0 {
		return names[0]
	}
	return nameIn(c.Subject)
}

// nameIn is the common name of a distinguished name such as
// "CN=R11,O=Let's Encrypt,C=US", with its organisation when it has one.
func nameIn(dn string) string {
	var cn, o string
	for _, part := range strings.Split(dn, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "CN":
			cn = v
		case "O":
			o = v
		}
	}
	switch {
	case cn == "":
		return dn
	case o != "" && o != cn:
		return cn + " (" + o + ")"
	}
	return cn
}

// indent puts prefix before every line of s.
func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// Sentences of trying the next server and of a refused password.
var (
	textTriedNext   = probe.Text{EN: "postino tried the next server.", IT: "postino è passato al server successivo."}
	textReenterHint = probe.Text{EN: "Press p to type the password again: postino tests it at once.", IT: "Premi p per riscrivere la password: postino la prova subito."}
	keyReenter      = probe.Text{EN: "type the password again", IT: "riscrivi la password"}
)
