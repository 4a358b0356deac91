package ui

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/store"
)

// Tester live-tests one server; probe.Test is the real one.
type Tester func(ctx context.Context, s probe.Server, opts *probe.Options) probe.Result

// Sender sends a test message through an outgoing server; probe.Send is
// the real one.
type Sender func(ctx context.Context, s probe.Server, opts *probe.Options, msg probe.Message) probe.Result

// Options are what a wizard runs with. A nil Tester is probe.Test, a nil
// Sender probe.Send; nil
// Providers means no provider list; nil Saver lists no accounts and
// cannot save.
type Options struct {
	Lang     probe.Lang
	Detector wizard.Detector
	Saver    wizard.Saver
	Tester   Tester
	Sender   Sender
	// Providers loads the provider list; it runs as a command, off the
	// screen's way, since it may read files.
	Providers func() (wizard.ProviderFinder, error)
	// Formats are the export formats there are, for the summary.
	Formats []string
	// DetectTimeout bounds a detection; zero means DefaultDetectTimeout.
	DetectTimeout time.Duration
	// HTTPClient reaches the provider's sign-in (OAuth2); nil trusts the
	// system's roots.
	HTTPClient *http.Client
	// NoBrowser shows the browser sign-in's address without opening it.
	NoBrowser bool
	// Width is the terminal's width in cells, to which the plain wizard
	// wraps its lines; zero means 80.
	Width int
	// Command runs one of postino's commands in-process (such as
	// "report", NAME) with its output written to out, and returns its
	// exit code: the welcome screen's actions on a saved account are
	// the commands themselves. nil offers no actions.
	Command func(ctx context.Context, args []string, out io.Writer) int
}

// DefaultDetectTimeout is the overall budget of a detection.
const DefaultDetectTimeout = 10 * time.Second

// screen is one page of the wizard: it handles the keys the app does not
// take itself, draws its content and names its live keys.
type screen interface {
	// enter prepares the screen each time the flow arrives at it.
	enter(m *Model) tea.Cmd
	update(m *Model, msg tea.Msg) tea.Cmd
	view(m *Model) string
	keys(m *Model) []key.Binding
	// typing reports whether printable keys are text here (so ? is not
	// help).
	typing(m *Model) bool
}

// Model is the full-screen wizard.
type Model struct {
	ctx    context.Context
	opts   Options
	lang   probe.Lang
	flow   *wizard.Flow
	keys   KeyMap
	styles Styles
	spin   spinner.Model
	// dark is the terminal's background, for the QR code's blocks.
	dark bool

	width, height int
	screens       map[wizard.Step]screen
	shown         wizard.Step // the step the screens were last prepared for
	scroll        int         // first content line shown, when it overflows

	showHelp    bool
	confirmQuit bool
	interrupted []wizard.Effect
	runner      *runner
	spinning    bool
	// still keeps the spinner on its first frame, for tests that compare
	// screens.
	still       bool
	saving      bool
	accountsErr error
	// Aborted is set when the person quit before the account was saved.
	Aborted bool
	// Interrupted is set when the person quit with ctrl+c, at once or
	// after answering the question it asked: the command exits 130.
	Interrupted bool
}

// NewModel is a wizard at its welcome screen. ctx bounds all its work.
func NewModel(ctx context.Context, opts Options) *Model {
	opts = withDefaults(opts)
	m := &Model{
		ctx:    ctx,
		opts:   opts,
		lang:   opts.Lang,
		flow:   wizard.New(),
		keys:   NewKeyMap(opts.Lang),
		styles: DefaultStyles(true),
		dark:   true,
		spin:   spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		width:  80,
		height: 24,
		runner: newRunner(ctx, opts),
		shown:  -1,
	}
	m.spin.Style = m.styles.Spinner
	m.screens = map[wizard.Step]screen{
		wizard.StepWelcome:  &welcomeScreen{},
		wizard.StepProtocol: &protocolScreen{},
		wizard.StepAddress:  newAddressScreen(),
		wizard.StepHint:     &hintScreen{},
		wizard.StepPassword: newPasswordScreen(),
		wizard.StepSignIn:   &signInScreen{},
		wizard.StepDetect:   &detectScreen{},
		wizard.StepReview:   &reviewScreen{},
		wizard.StepEdit:     newEditScreen(),
		wizard.StepTest:     &testScreen{},
		wizard.StepTrust:    &trustScreen{},
		wizard.StepSave:     &saveScreen{},
		wizard.StepDone:     &doneScreen{},
	}
	return m
}

// Flow is the wizard's state, for the caller once the program ended.
func (m *Model) Flow() *wizard.Flow { return m.flow }

// Messages of the background work not the runner's.
type (
	accountsMsg struct {
		accounts []store.Account
		err      error
	}
	providersMsg struct {
		finder wizard.ProviderFinder
		err    error
	}
	// reportMsg is one report of the runner's work, with the channel the
	// next comes on, so that Update can listen again.
	reportMsg struct {
		report tea.Msg
		next   <-chan tea.Msg
	}
)

// Init loads the saved accounts and the provider list in the background
// and asks the terminal for its background colour.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, m.arrive()}
	cmds = append(cmds, m.loadAccounts())
	if load := m.opts.Providers; load != nil {
		cmds = append(cmds, func() tea.Msg {
			f, err := load()
			return providersMsg{f, err}
		})
	}
	return tea.Batch(cmds...)
}

// loadAccounts reads the saved accounts in the background.
func (m *Model) loadAccounts() tea.Cmd {
	s := m.opts.Saver
	if s == nil {
		return nil
	}
	return func() tea.Msg {
		a, err := s.Accounts()
		return accountsMsg{a, err}
	}
}

// Update handles one message; slow work leaves as commands.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	return m, tea.Batch(cmd, m.arrive())
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return nil
	case tea.BackgroundColorMsg:
		m.setStyles(DefaultStyles(msg.IsDark()))
		m.dark = msg.IsDark()
		return nil
	case accountsMsg:
		m.flow.SetAccounts(msg.accounts)
		m.accountsErr = msg.err
		return nil
	case providersMsg:
		if msg.err == nil && msg.finder != nil {
			m.flow.SetProviders(msg.finder)
		}
		return nil
	case reportMsg:
		return tea.Batch(m.update(msg.report), listen(msg.next))
	case detectMsg:
		if msg.progress != nil {
			m.flow.Progress(msg.run, *msg.progress)
			return nil
		}
		m.flow.Detected(msg.run, msg.result, msg.err)
		return nil
	case stepMsg:
		m.flow.Stepped(msg.run, msg.role, msg.step)
		return nil
	case tryingMsg:
		m.flow.Trying(msg.run, msg.role, msg.server)
		return nil
	case triedMsg:
		m.flow.Tried(msg.run, msg.result)
		return nil
	case testedMsg:
		m.flow.Tested(msg.run, msg.result)
		return nil
	case sentMsg:
		m.flow.SentTest(msg.run, msg.result)
		return nil
	case signInMsg:
		if msg.prompt != nil {
			m.flow.Prompted(msg.run, *msg.prompt)
			return nil
		}
		m.flow.SignedIn(msg.run, msg.token, msg.err)
		return nil
	case commandMsg:
		return m.screens[wizard.StepWelcome].(*welcomeScreen).ended(m, msg)
	case checkedMsg:
		return m.do(m.flow.CheckedAddress(msg.run, msg.hasMail, msg.err))
	case savedMsg:
		m.saving = false
		m.flow.SavedResult(msg.err, msg.withPassword)
		return nil
	case spinner.TickMsg:
		if !m.busy() && !m.runner.running(accountJob) {
			m.spinning = false
			return nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return cmd
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.PasteMsg:
		if m.showHelp || m.confirmQuit {
			return nil
		}
		return m.screen().update(m, msg)
	}
	return nil
}

// key handles the keys that mean the same on every screen, then hands the
// rest to the screen.
func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Quit):
		return m.quit()
	case m.confirmQuit:
		switch {
		case key.Matches(msg, m.keys.Yes):
			m.Aborted, m.Interrupted = true, true
			return tea.Quit
		case key.Matches(msg, m.keys.No):
			m.confirmQuit = false
			return m.resume()
		}
		return nil
	case m.showHelp:
		if key.Matches(msg, m.keys.Help, m.keys.Back) {
			m.showHelp = false
		}
		return nil
	case key.Matches(msg, m.helpKey()):
		m.showHelp = true
		return nil
	case key.Matches(msg, m.keys.PageUp) && m.overflows():
		m.scroll = max(0, m.scroll-m.contentHeight()/2)
		return nil
	case key.Matches(msg, m.keys.PageDown) && m.overflows():
		m.scroll += m.contentHeight() / 2
		return nil
	}
	return m.screen().update(m, msg)
}

// helpKey is ? and f1, or f1 alone where ? is text.
func (m *Model) helpKey() key.Binding {
	if m.screen().typing(m) {
		return m.keys.HelpF1
	}
	return m.keys.Help
}

// quit quits at once when nothing would be lost; otherwise it stops the
// work under way and asks first. A second ctrl+c quits.
func (m *Model) quit() tea.Cmd {
	if m.confirmQuit || !m.flow.Unsaved() && !m.busy() {
		m.Aborted, m.Interrupted = !m.flow.Saved(), true
		m.runner.cancelAll()
		return tea.Quit
	}
	m.interrupted = m.flow.Interrupt()
	m.runner.cancelAll()
	m.confirmQuit = true
	m.showHelp = false
	return nil
}

// resume starts again what quit stopped, since the person stays.
func (m *Model) resume() tea.Cmd {
	var cmds []tea.Cmd
	for _, e := range m.flow.Resume(m.interrupted) {
		cmds = append(cmds, m.run(e))
	}
	m.interrupted = nil
	return tea.Batch(cmds...)
}

// arrive prepares the screen when the flow has moved to another step.
func (m *Model) arrive() tea.Cmd {
	if m.flow.Step() == m.shown {
		return nil
	}
	m.shown = m.flow.Step()
	m.scroll = 0
	return m.screen().enter(m)
}

func (m *Model) screen() screen { return m.screens[m.flow.Step()] }

func (m *Model) setStyles(s Styles) {
	m.styles = s
	m.spin.Style = s.Spinner
}

// run starts the work an effect of the flow asks for.
func (m *Model) run(e wizard.Effect) tea.Cmd {
	switch e {
	case wizard.Quit:
		return tea.Quit
	case wizard.StartSave, wizard.StartSaveWithoutPassword:
		m.saving = true
	}
	reports := m.runner.start(e, m.flow, m.lang)
	if reports == nil {
		return nil
	}
	return tea.Batch(listen(reports), m.startSpinner())
}

// listen waits for the next report of a piece of work; nil once it ended.
func listen(reports <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-reports
		if !ok {
			return nil
		}
		return reportMsg{msg, reports}
	}
}

// do applies a transition that may ask for work.
func (m *Model) do(e wizard.Effect, err error) tea.Cmd {
	if err != nil {
		return nil
	}
	return m.run(e)
}

func (m *Model) busy() bool {
	return len(m.flow.Running()) > 0 || m.saving
}

func (m *Model) startSpinner() tea.Cmd {
	if m.spinning || m.still {
		return nil
	}
	m.spinning = true
	return m.spin.Tick
}

// View draws the header, the screen, and the help bar at the bottom.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "postino"
	return v
}

// margin is the blank columns left of the content.
const margin = 2

func (m *Model) contentWidth() int { return max(20, min(m.width, 100)-2*margin) }

// layout is the screen's content, the help bar, and the lines the content
// may fill; the scroll keys join the bar when the content overflows.
func (m *Model) layout() (body, bar []string, height int) {
	body = m.content()
	bar = m.helpBar(m.liveKeys(false))
	height = max(3, m.height-4-len(bar))
	if len(body) > height {
		bar = m.helpBar(m.liveKeys(true))
		height = max(3, m.height-4-len(bar))
	}
	return body, bar, height
}

func (m *Model) contentHeight() int {
	_, _, h := m.layout()
	return h
}

func (m *Model) overflows() bool {
	body, _, h := m.layout()
	return len(body) > h
}

// helpBar is the live keys, on as many lines as they need: every key that
// works is shown, none that does not.
func (m *Model) helpBar(keys []key.Binding) []string {
	sep := m.styles.Help.ShortSeparator.Render(" • ")
	var lines []string
	line, width := "", 0
	for _, k := range keys {
		h := k.Help()
		item := m.styles.Help.ShortKey.Render(h.Key) + " " + m.styles.Help.ShortDesc.Render(h.Desc)
		w := ansi.StringWidth(h.Key) + 1 + ansi.StringWidth(h.Desc)
		switch {
		case width == 0:
			line, width = item, w
		case width+3+w <= m.contentWidth():
			line, width = line+sep+item, width+3+w
		default:
			lines = append(lines, line)
			line, width = item, w
		}
	}
	return append(lines, line)
}

func (m *Model) content() []string {
	var body string
	switch {
	case m.confirmQuit:
		body = m.viewQuit()
	case m.showHelp:
		body = m.viewHelp()
	default:
		body = m.screen().view(m)
	}
	return strings.Split(strings.TrimRight(body, "\n"), "\n")
}

func (m *Model) render() string {
	w := m.contentWidth()
	pad := strings.Repeat(" ", margin)
	title := m.styles.Title.Render("postino") + m.styles.Header.Render(" · "+textWizardTitle.In(m.lang))
	step := m.styles.Header.Render(textStepOf.In(m.lang, m.flow.Step().Number(), wizard.LastNumber()))
	gap := max(1, w-lipgloss.Width(title)-lipgloss.Width(step))
	lines := []string{pad + title + strings.Repeat(" ", gap) + step, pad + m.styles.Header.Render(strings.Repeat("─", w)), ""}

	body, bar, h := m.layout()
	if len(body) > h {
		m.scroll = min(m.scroll, len(body)-h+1)
		shown := body[m.scroll : m.scroll+h-1]
		body = append(shown, m.styles.Subtle.Render(textMore.In(m.lang, m.scroll+len(shown), len(body))))
	}
	for _, l := range body {
		if l != "" {
			l = pad + l
		}
		lines = append(lines, l)
	}
	for len(lines) < m.height-len(bar) {
		lines = append(lines, "")
	}
	for _, l := range bar {
		lines = append(lines, pad+l)
	}
	return strings.Join(lines, "\n")
}

// liveKeys is what the help bar offers now; scroll adds the scroll keys.
func (m *Model) liveKeys(scroll bool) []key.Binding {
	switch {
	case m.confirmQuit:
		return []key.Binding{m.keys.Yes, m.keys.No, m.keys.Quit}
	case m.showHelp:
		return []key.Binding{m.keys.Back, m.keys.Quit}
	}
	keys := m.screen().keys(m)
	if scroll {
		keys = append(keys, m.keys.PageUp)
	}
	if m.canGoBack() {
		keys = append(keys, m.keys.Back)
	}
	return append(keys, m.helpKey(), m.keys.Quit)
}

func (m *Model) canGoBack() bool {
	switch m.flow.Step() {
	case wizard.StepWelcome, wizard.StepDone:
		return false
	case wizard.StepSave:
		return !m.saving && !m.flow.Saved()
	case wizard.StepSignIn:
		return !m.flow.SignIn().Running
	case wizard.StepAddress:
		_, asking := m.flow.AlreadySaved()
		return !asking // esc changes the address instead
	}
	return true
}

// goBack is esc on most screens; work of the step left is stopped.
func (m *Model) goBack() tea.Cmd {
	if m.flow.Step() == wizard.StepTest {
		m.runner.cancel(wizard.StartTest)
		m.runner.cancel(wizard.StartSendTest)
	}
	m.runner.cancel(wizard.StartSignIn)
	m.flow.Back()
	return nil
}

func (m *Model) viewQuit() string {
	return m.styles.Warn.Render("! "+textQuitTitle.In(m.lang)) + "\n\n" +
		wrap(textQuitBody.In(m.lang, m.flow.Email()), m.contentWidth())
}

func (m *Model) viewHelp() string {
	var b strings.Builder
	b.WriteString(m.styles.Title.Render(textHelpTitle.In(m.lang)) + "\n\n")
	for _, k := range m.screen().keys(m) {
		b.WriteString(helpLine(m, k))
	}
	if m.canGoBack() {
		b.WriteString(helpLine(m, m.keys.Back))
	}
	b.WriteString(helpLine(m, m.helpKey()))
	b.WriteString(helpLine(m, m.keys.Quit))
	b.WriteString("\n" + wrap(textHelpBody.In(m.lang), m.contentWidth()))
	return b.String()
}

func helpLine(m *Model, k key.Binding) string {
	h := k.Help()
	return "  " + m.styles.Value.Render(padRight(h.Key, 12)) + " " + h.Desc + "\n"
}

func padRight(s string, n int) string {
	if w := lipgloss.Width(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

// wrap breaks plain text into lines of at most width cells, between
// words; only a word longer than a line is cut. It is not ansi.Wrap (nor
// lipgloss's Width, built on it) because those always break after a
// hyphen, which splits dates (2027-03- / 01) and host names.
func wrap(s string, width int) string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			switch {
			case line == "":
				line = word
			case ansi.StringWidth(line)+1+ansi.StringWidth(word) <= width:
				line += " " + word
			default:
				lines = append(lines, line)
				line = word
			}
			for ansi.StringWidth(line) > width {
				cut := ansi.Truncate(line, width, "")
				lines = append(lines, cut)
				line = line[len(cut):]
			}
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// paint styles each line of s on its own, so that no line is padded to
// the width of the longest.
func paint(st lipgloss.Style, s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = st.Render(l)
	}
	return strings.Join(lines, "\n")
}

// Run runs the full-screen wizard on a terminal until the person finishes
// or quits; the model tells how it ended. Once an account was saved, its
// summary is printed to out after the full screen closed.
func Run(ctx context.Context, in io.Reader, out io.Writer, opts Options) (*Model, error) {
	// The renderer measures cells with go-runewidth, which builds a
	// 2.2 MB table at the first character past U+02FF (the header's
	// rule): built here on another core, it is ready, or nearly, by the
	// first frame instead of delaying it.
	go ansi.StringWidthWc("─")
	m := NewModel(ctx, opts)
	_, err := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out)).Run()
	if err == nil && m.flow.Saved() {
		// The full screen is gone: what was set up stays in the terminal.
		WriteSummary(out, m.flow, m.lang, m.opts.Formats)
	}
	return m, err
}
