package ui

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/export"
	"github.com/postino/postino/wizard/store"
)

// welcomeScreen says what postino will do and lists the saved accounts.
// A saved account can be picked to test it again, print its report,
// export it or remove it: each is postino's own command
// (Options.Command), run by the runner, its output shown here.
type welcomeScreen struct {
	// cursor is 0 on "add an account", else the saved account at
	// cursor-1; "add" comes last on the screen and is where it starts.
	cursor int
	mode   welcomeMode
	format int // the export format under the cursor
	// running is the command under way; result the latest one's end.
	running []string
	result  *commandMsg
}

// welcomeMode is what the welcome screen asks of the account picked.
type welcomeMode int

const (
	welcomeList          welcomeMode = iota // the accounts, and adding one
	welcomeActions                          // what to do with the account picked
	welcomeFormats                          // which format to export it in
	welcomeConfirmRemove                    // remove it? yes or no
)

func (s *welcomeScreen) enter(*Model) tea.Cmd { return nil }
func (s *welcomeScreen) typing(*Model) bool   { return false }

// picked is the saved account under the cursor, if any.
func (s *welcomeScreen) picked(m *Model) (store.Account, bool) {
	accounts := m.flow.Accounts()
	if s.cursor < 1 || s.cursor > len(accounts) {
		return store.Account{}, false
	}
	return accounts[s.cursor-1], true
}

// accountKeys are the keys of the actions on a saved account.
type accountKeys struct {
	Test, Report, Export, Remove key.Binding
}

func newAccountKeys(lang probe.Lang) accountKeys {
	b := func(k string, desc probe.Text) key.Binding {
		return key.NewBinding(key.WithKeys(k), key.WithHelp(k, desc.In(lang)))
	}
	return accountKeys{
		Test:   b("t", keyTestAgain),
		Report: b("r", keyReport),
		Export: b("x", keyExport),
		Remove: b("d", keyRemove),
	}
}

func (s *welcomeScreen) keys(m *Model) []key.Binding {
	back := relabel(m.keys.Back, keyBack, m.lang)
	if s.running != nil {
		return []key.Binding{relabel(m.keys.Cancel, keyCancel, m.lang)}
	}
	switch s.mode {
	case welcomeActions:
		if m.opts.Command == nil {
			return []key.Binding{back}
		}
		a := newAccountKeys(m.lang)
		return []key.Binding{a.Test, a.Report, a.Export, a.Remove, back}
	case welcomeFormats:
		return []key.Binding{m.keys.Up, relabel(m.keys.Next, keyExport, m.lang), back}
	case welcomeConfirmRemove:
		return []key.Binding{m.keys.Yes, m.keys.No}
	}
	next := relabel(m.keys.Next, textAddAccount, m.lang)
	if s.cursor > 0 {
		next = relabel(m.keys.Next, keyPick, m.lang)
	}
	if len(m.flow.Accounts()) == 0 {
		return []key.Binding{next}
	}
	return []key.Binding{m.keys.Up, next}
}

func (s *welcomeScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	if s.running != nil {
		if key.Matches(k, m.keys.Cancel) {
			m.runner.cancel(accountJob)
			s.running = nil
			s.result = &commandMsg{code: -1}
		}
		return nil
	}
	a, picked := s.picked(m)
	acts := newAccountKeys(m.lang)
	switch s.mode {
	case welcomeActions:
		switch {
		case key.Matches(k, m.keys.Back):
			s.mode, s.result = welcomeList, nil
		case m.opts.Command == nil || !picked:
		case key.Matches(k, acts.Test):
			return s.run(m, "test", a.Name)
		case key.Matches(k, acts.Report):
			return s.run(m, "report", a.Name)
		case key.Matches(k, acts.Export):
			s.mode, s.result = welcomeFormats, nil
		case key.Matches(k, acts.Remove):
			s.mode, s.result = welcomeConfirmRemove, nil
		}
		return nil
	case welcomeFormats:
		formats := m.opts.Formats
		switch {
		case key.Matches(k, m.keys.Back):
			s.mode = welcomeActions
		case key.Matches(k, m.keys.Up):
			s.format = max(0, s.format-1)
		case key.Matches(k, m.keys.Down):
			s.format = min(len(formats)-1, s.format+1)
		case key.Matches(k, m.keys.Next) && picked && s.format < len(formats):
			s.mode = welcomeActions
			return s.run(m, exportArgs(a.Name, formats[s.format])...)
		}
		return nil
	case welcomeConfirmRemove:
		switch {
		case key.Matches(k, m.keys.Yes) && picked:
			s.mode = welcomeActions
			return s.run(m, "remove", a.Name)
		case key.Matches(k, m.keys.No):
			s.mode = welcomeActions
		}
		return nil
	}
	n := len(m.flow.Accounts())
	switch {
	case key.Matches(k, m.keys.Up) && n > 0:
		if s.cursor == 0 {
			s.cursor = n
		} else {
			s.cursor = max(1, s.cursor-1)
		}
	case key.Matches(k, m.keys.Down) && n > 0:
		if s.cursor > 0 {
			s.cursor = (s.cursor + 1) % (n + 1)
		}
	case key.Matches(k, m.keys.Next) && picked:
		s.mode, s.result = welcomeActions, nil
	case key.Matches(k, m.keys.Next):
		m.flow.Start()
	}
	return nil
}

// run starts one of postino's commands on the account picked.
func (s *welcomeScreen) run(m *Model, args ...string) tea.Cmd {
	s.running, s.result = args, nil
	return tea.Batch(listen(m.runner.command(args)), m.startSpinner())
}

// ended shows the output of the command that ended; after a removal the
// list is read again and the cursor goes back to adding an account.
func (s *welcomeScreen) ended(m *Model, msg commandMsg) tea.Cmd {
	if s.running == nil {
		return nil // cancelled
	}
	s.running, s.result = nil, nil
	if msg.args[0] == "remove" && msg.code == 0 {
		s.mode, s.cursor, s.result = welcomeList, 0, &msg
		return m.loadAccounts()
	}
	// The output begins at the top of the screen, the actions just above.
	m.scroll = strings.Count(strings.TrimRight(s.view(m), "\n"), "\n")
	s.result = &msg
	return nil
}

func (s *welcomeScreen) view(m *Model) string {
	w := m.contentWidth()
	var b strings.Builder
	b.WriteString(m.styles.Title.Render(textWelcomeTitle.In(m.lang)) + "\n\n")
	b.WriteString(wrap(textWelcomeBody.In(m.lang), w) + "\n\n")
	switch {
	case m.accountsErr != nil:
		b.WriteString(paint(m.styles.Warn, wrap("! "+textAccountsUnreadable.In(m.lang, m.accountsErr), w)) + "\n")
	case len(m.flow.Accounts()) == 0:
		b.WriteString(m.styles.Subtle.Render(textNoAccounts.In(m.lang)) + "\n")
	default:
		b.WriteString(textSavedAccounts.In(m.lang) + "\n")
		for i, a := range m.flow.Accounts() {
			line := a.Name
			if a.Address != a.Name {
				line += " <" + a.Address + ">"
			}
			if s.cursor == i+1 {
				b.WriteString(m.styles.Selected.Render("› "+line) + "\n")
			} else {
				b.WriteString("  " + line + "\n")
			}
		}
	}
	add := textAddAccount.In(m.lang)
	if s.cursor == 0 {
		b.WriteString("\n" + m.styles.Selected.Render("› "+add) + "\n")
	} else {
		b.WriteString("\n  " + add + "\n")
	}
	if a, ok := s.picked(m); ok {
		b.WriteString(s.account(m, a))
	} else if r := s.result; r != nil && r.code >= 0 {
		// What removing an account said.
		b.WriteString("\n" + keepIndent(strings.TrimRight(r.output, "\n"), w) + "\n")
	}
	return b.String()
}

// account is what the screen shows of the account picked: the actions,
// the formats, the question before removing, the command under way or
// its output.
func (s *welcomeScreen) account(m *Model, a store.Account) string {
	w := m.contentWidth()
	var b strings.Builder
	b.WriteString("\n")
	switch {
	case s.running != nil:
		b.WriteString(m.spin.View() + " " + m.styles.Value.Render("postino "+strings.Join(s.running, " ")) + "\n")
		return b.String()
	case s.mode == welcomeList:
		return ""
	case m.opts.Command == nil:
		b.WriteString(wrap(textShowLater.In(m.lang, shellWord(a.Name)), w) + "\n")
		return b.String()
	case s.mode == welcomeFormats:
		b.WriteString(textExportTo.In(m.lang, a.Name) + "\n")
		for i, f := range m.opts.Formats {
			if i == s.format {
				b.WriteString(m.styles.Selected.Render("› "+f) + "\n")
			} else {
				b.WriteString("  " + f + "\n")
			}
		}
		return b.String()
	case s.mode == welcomeConfirmRemove:
		b.WriteString(paint(m.styles.Warn, wrap("! "+textRemoveAsk.In(m.lang, a.Name), w)) + "\n")
		return b.String()
	}
	b.WriteString(wrap(textAccountActions.In(m.lang, a.Name), w) + "\n")
	if r := s.result; r != nil {
		b.WriteString("\n")
		if r.code < 0 {
			b.WriteString(m.styles.Subtle.Render(textCommandCancelled.In(m.lang)) + "\n")
			return b.String()
		}
		b.WriteString(m.styles.Value.Render("$ postino "+strings.Join(r.args, " ")) + "\n")
		b.WriteString(keepIndent(strings.TrimRight(r.output, "\n"), w) + "\n")
	}
	return b.String()
}

// keepIndent fits a command's output to width, wrapping a long line under
// its own indentation and leaving the others as they are.
func keepIndent(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if ansi.StringWidth(l) <= width {
			continue
		}
		body := strings.TrimLeft(l, " ")
		pad := strings.Repeat(" ", min(len(l)-len(body), width/2))
		lines[i] = indent(wrap(body, width-len(pad)), pad)
	}
	return strings.Join(lines, "\n")
}

// exportArgs is the export command for a saved account picked on the
// welcome screen: into the format's usual file in the current directory,
// or, when that file exists, the first free name-2, name-3, … beside it,
// so that nothing is replaced and no flag is needed.
func exportArgs(name, format string) []string {
	args := []string{"export", name, "--format", format}
	f, ok := export.Lookup(format)
	if !ok || f.File == "" {
		return args
	}
	file := f.File
	ext := filepath.Ext(file)
	for i := 2; i < 1000; i++ {
		if _, err := os.Lstat(file); errors.Is(err, fs.ErrNotExist) {
			break
		}
		file = strings.TrimSuffix(f.File, ext) + "-" + strconv.Itoa(i) + ext
	}
	return append(args, "-o", file)
}

// relabel is a binding with another description in its help.
func relabel(b key.Binding, desc probe.Text, lang probe.Lang) key.Binding {
	b.SetHelp(b.Help().Key, desc.In(lang))
	return b
}

// Sentences and keys of the saved accounts on the welcome screen.
var (
	keyPick              = probe.Text{EN: "pick", IT: "scegli"}
	keyTestAgain         = probe.Text{EN: "test again", IT: "prova di nuovo"}
	keyReport            = probe.Text{EN: "report", IT: "rapporto"}
	keyExport            = probe.Text{EN: "export", IT: "esporta"}
	keyRemove            = probe.Text{EN: "remove", IT: "elimina"}
	textAccountActions   = probe.Text{EN: "%s: t tests it again, r prints a report for a help desk, x exports it for a mail program, d removes it.", IT: "%s: t lo prova di nuovo, r stampa un rapporto per l'assistenza, x lo esporta per un programma di posta, d lo elimina."}
	textExportTo         = probe.Text{EN: "Export %s for:", IT: "Esporta %s per:"}
	textRemoveAsk        = probe.Text{EN: "Remove %s and its password from the keyring? Mail programs that get the password from postino will no longer get it. y removes it, n keeps it.", IT: "Eliminare %s e la sua password dal portachiavi? I programmi di posta che chiedono la password a postino non la riceveranno più. s per eliminarlo, n per tenerlo."}
	textCommandCancelled = probe.Text{EN: "Stopped.", IT: "Interrotto."}
)
