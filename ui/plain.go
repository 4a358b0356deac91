package ui

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/term"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
	"github.com/postino/postino/wizard/store"
)

// ErrAborted is a plain wizard the person quit, or whose input ended,
// before the account was saved.
var ErrAborted = errors.New("the wizard was left before the account was saved")

// plain is the wizard as line prompts, for screen readers, a help desk
// reading the questions aloud, and terminals without full-screen support.
// It drives the same wizard.Flow as the full screen.
type plain struct {
	ctx    context.Context
	opts   Options
	lang   probe.Lang
	flow   *wizard.Flow
	runner *runner
	in     *bufio.Reader
	// term is the terminal's file descriptor when the input is one, for
	// reading the password without echo; -1 otherwise.
	term int
	// pending is a read of a line still waiting for the person; the next
	// question takes its answer.
	pending <-chan lineAnswer
	// offeredRun is the test run after which a test message was offered,
	// so that it is offered once a run.
	offeredRun int

	mu  sync.Mutex // a password read left waiting may still write
	out io.Writer
}

// RunPlain runs the wizard as plain line prompts on in and out. It returns
// ErrAborted when the person quits or the input ends before saving.
func RunPlain(ctx context.Context, in io.Reader, out io.Writer, opts Options) error {
	opts = withDefaults(opts)
	p := &plain{ctx: ctx, opts: opts, lang: opts.Lang, flow: wizard.New(), runner: newRunner(ctx, opts), in: bufio.NewReader(in), out: out, term: -1}
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.term = int(f.Fd())
	}
	if opts.Providers != nil {
		if finder, err := opts.Providers(); err == nil && finder != nil {
			p.flow.SetProviders(finder)
		}
	}
	return p.run()
}

// errBack is the person typing < to go back.
var errBack = errors.New("back")

// errFinished ends the plain wizard after a passed test that it cannot save
// (an account signed in with OAuth2).
var errFinished = errors.New("finished")

func (p *plain) run() error {
	p.say(textWelcomeTitle.In(p.lang))
	p.say(textWelcomeBody.In(p.lang))
	p.say(textPlainIntro.In(p.lang))
	for {
		var err error
		switch p.flow.Step() {
		case wizard.StepWelcome:
			err = p.welcome()
		case wizard.StepProtocol:
			err = p.protocol()
		case wizard.StepAddress:
			err = p.address()
		case wizard.StepHint:
			err = p.hint()
		case wizard.StepPassword:
			err = p.password()
		case wizard.StepSignIn:
			err = p.signIn()
		case wizard.StepDetect:
			err = p.detect()
		case wizard.StepReview:
			err = p.review()
		case wizard.StepEdit:
			err = p.edit()
		case wizard.StepTest:
			err = p.test()
		case wizard.StepTrust:
			err = p.trust()
		case wizard.StepSave:
			err = p.save()
		case wizard.StepDone:
			p.done()
			return nil
		}
		switch {
		case errors.Is(err, errFinished):
			return nil
		case errors.Is(err, errBack):
			p.flow.Back()
		case err != nil:
			return err
		}
	}
}

// say writes a line, or a paragraph, wrapped to the terminal's width.
func (p *plain) say(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(args) > 0 {
		format = fmt.Sprintf(format, args...)
	}
	fmt.Fprintln(p.out, wrapPlain(format, p.width()))
}

// width is the line width the plain wizard wraps to.
func (p *plain) width() int {
	if p.opts.Width > 0 {
		return p.opts.Width
	}
	return 80
}

// wrapPlain breaks each line of s that is wider than width cells between
// words into lines of at most width cells; a line that fits is left as it
// is (the test report's columns). A line's indent, with a list mark ("- ",
// "1. ") after it, indents the lines it continues on. A word longer than
// a line (an address to copy) is never cut: it overflows its line.
func wrapPlain(s string, width int) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if ansi.StringWidth(line) <= width {
			out = append(out, line)
			continue
		}
		body := strings.TrimLeft(line, " ")
		indent := len(line) - len(body)
		if mark, _, ok := strings.Cut(body, " "); ok && (mark == "-" || strings.HasSuffix(mark, ".") && strings.Trim(mark, "0123456789") == ".") {
			indent += len(mark) + 1
		}
		words := strings.Fields(body)
		cur := line[:len(line)-len(body)]
		empty := true
		for _, w := range words {
			switch {
			case empty:
				cur += w
				empty = false
			case ansi.StringWidth(cur)+1+ansi.StringWidth(w) <= width:
				cur += " " + w
			default:
				out = append(out, cur)
				cur = strings.Repeat(" ", indent) + w
			}
		}
		// A prompt's closing space stays: the answer is typed after it.
		if strings.HasSuffix(line, " ") && !empty {
			cur += " "
		}
		out = append(out, cur)
	}
	return strings.Join(out, "\n")
}

// ask prints a prompt and reads the answer: < is errBack, q quits, the
// end of the input or ctrl+c is ErrAborted.
func (p *plain) ask(prompt string) (string, error) {
	line, err := p.read(prompt, false)
	if err != nil {
		return "", err
	}
	switch strings.TrimSpace(line) {
	case "<":
		return "", errBack
	case "q":
		return "", ErrAborted
	}
	return strings.TrimSpace(line), nil
}

// read reads one line, without echo when hidden and on a terminal; a
// cancelled context ends the wait at once.
func (p *plain) read(prompt string, hidden bool) (string, error) {
	p.mu.Lock()
	fmt.Fprint(p.out, wrapPlain(prompt, p.width()))
	p.mu.Unlock()
	if p.pending == nil {
		p.pending = startLine(func() (string, error) {
			if hidden && p.term >= 0 {
				b, err := term.ReadPassword(p.term)
				p.say("")
				return string(b), err
			}
			return p.readPlain()
		})
	}
	select {
	case a := <-p.pending:
		p.pending = nil
		if a.err != nil {
			return "", ErrAborted
		}
		return a.line, nil
	case <-p.ctx.Done():
		return "", ErrAborted
	}
}

// readPlain reads one line as typed; the input's last line may lack its
// line break.
func (p *plain) readPlain() (string, error) {
	line, err := p.in.ReadString('\n')
	if errors.Is(err, io.EOF) && line != "" {
		err = nil
	}
	return strings.TrimRight(line, "\r\n"), err
}

func (p *plain) welcome() error {
	for {
		var accounts []store.Account
		if s := p.opts.Saver; s != nil {
			var err error
			if accounts, err = s.Accounts(); err != nil {
				p.say(textAccountsUnreadable.In(p.lang, err))
			} else if p.flow.SetAccounts(accounts); len(accounts) > 0 {
				p.say(textSavedAccounts.In(p.lang))
				for i, a := range accounts {
					line := a.Name
					if a.Address != a.Name {
						line += " <" + a.Address + ">"
					}
					if p.opts.Command != nil {
						p.say("  %d. %s", i+1, line)
					} else {
						p.say("  - %s", line)
					}
				}
			}
		}
		prompt := textPlainStart.In(p.lang)
		switch {
		case len(accounts) == 1 && p.opts.Command != nil:
			prompt = textPlainStartOrPickOne.In(p.lang)
		case len(accounts) > 1 && p.opts.Command != nil:
			prompt = textPlainStartOrPick.In(p.lang, len(accounts))
		}
		n, err := p.pick(prompt, len(accounts))
		if err != nil {
			return err
		}
		if n == 0 {
			return p.flow.Start()
		}
		if err := p.account(accounts[n-1]); err != nil {
			return err
		}
	}
}

// pick reads the welcome's answer: the number of a saved account, or 0
// for a new one (enter, or < where there is nothing to go back to). A
// number that is no saved account's is asked again, not taken for enter.
func (p *plain) pick(prompt string, accounts int) (int, error) {
	for {
		answer, err := p.ask(prompt)
		if errors.Is(err, errBack) {
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		if answer == "" || accounts == 0 || p.opts.Command == nil {
			return 0, nil
		}
		if n, err := strconv.Atoi(answer); err == nil && n >= 1 && n <= accounts {
			return n, nil
		}
		p.say(textPlainNumber.In(p.lang, choices(accounts, p.lang)))
	}
}

// account offers the actions on a saved account: each is postino's own
// command, run by the runner, its output printed.
func (p *plain) account(a store.Account) error {
	for {
		answer, err := p.ask("\n" + textAccountActions.In(p.lang, a.Name) + " " + textPlainActions.In(p.lang))
		if errors.Is(err, errBack) {
			return nil
		}
		if err != nil {
			return err
		}
		var args []string
		switch answer {
		case "t":
			args = []string{"test", a.Name}
		case "r":
			args = []string{"report", a.Name}
		case "x":
			format, err := p.ask(textPlainFormat.In(p.lang, strings.Join(p.opts.Formats, ", ")))
			if errors.Is(err, errBack) || !slices.Contains(p.opts.Formats, format) {
				continue
			}
			if err != nil {
				return err
			}
			args = exportArgs(a.Name, format)
		case "d":
			sure, err := p.ask(textRemoveAsk.In(p.lang, a.Name) + " ")
			if err != nil && !errors.Is(err, errBack) {
				return err
			}
			if !yes(sure) {
				continue
			}
			args = []string{"remove", a.Name}
		default:
			continue
		}
		p.say("$ postino " + strings.Join(args, " "))
		ended := (<-p.runner.command(args)).(commandMsg)
		if p.ctx.Err() != nil {
			return ErrAborted
		}
		p.say(strings.TrimRight(ended.output, "\n"))
		if args[0] == "remove" && ended.code == 0 {
			return nil
		}
	}
}

// yes reports whether an answer says yes, in English or Italian.
func yes(answer string) bool {
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes", "s", "sì", "si":
		return true
	}
	return false
}

func (p *plain) protocol() error {
	options := p.flow.Protocols()
	p.say("\n" + textProtocolTitle.In(p.lang))
	if p.flow.Reasked() && p.flow.Provider() != nil {
		p.say(textOnlyOffers.In(p.lang, p.flow.Provider().Name, protocolName(options[0])))
	}
	for i, proto := range options {
		name, about := textIMAPName, textIMAPAbout
		if proto == probe.POP3 {
			name, about = textPOPName, textPOPAbout
		}
		p.say("  %d. %s: %s", i+1, name.In(p.lang), about.In(p.lang))
	}
	def := max(0, slices.Index(options, p.flow.Protocol())) + 1
	n, err := p.choose(len(options), def)
	if err != nil {
		return err
	}
	_, err = p.flow.ChooseProtocol(options[n-1])
	return err
}

// choose asks for a number from 1 to n, def on a bare enter, until one is
// given: "Choose 1 or 2".
func (p *plain) choose(n, def int) (int, error) {
	return p.chooseWith(textPlainChoose.In(p.lang, choices(n, p.lang), def), n, def)
}

// chooseWith asks prompt until a number from 1 to n is given, def on a
// bare enter.
func (p *plain) chooseWith(prompt string, n, def int) (int, error) {
	for {
		answer, err := p.ask(prompt)
		if err != nil {
			return 0, err
		}
		if answer == "" {
			return def, nil
		}
		if c, err := strconv.Atoi(answer); err == nil && c >= 1 && c <= n {
			return c, nil
		}
		p.say(textPlainNumber.In(p.lang, choices(n, p.lang)))
	}
}

// choices names the numbers 1 to n as a person says them: "1 or 2",
// "1, 2 or 3".
func choices(n int, lang probe.Lang) string {
	nums := make([]string, n)
	for i := range nums {
		nums[i] = strconv.Itoa(i + 1)
	}
	if n < 2 {
		return strings.Join(nums, "")
	}
	return strings.Join(nums[:n-1], ", ") + " " + textPlainOr.In(lang) + " " + nums[n-1]
}

func (p *plain) address() error {
	f := p.flow
	prompt := textPlainAddress.In(p.lang)
	if f.Email() != "" {
		prompt = textPlainDefault.In(p.lang, strings.TrimSuffix(strings.TrimSpace(prompt), ":"), f.Email())
	}
	answer, err := p.ask("\n" + prompt)
	if err != nil {
		return err
	}
	if answer == "" {
		answer = f.Email()
	}
	var problem *mailbox.AddressError
	if _, err := mailbox.ParseAddress(answer); errors.As(err, &problem) {
		p.say(problem.Problem.Text().In(p.lang))
		return nil
	}
	if err := p.name(); err != nil {
		return err
	}
	e, err := f.SubmitAddress(answer)
	if errors.Is(err, wizard.ErrAlreadySaved) {
		e, err = p.sameAddress()
	}
	if err != nil || e != wizard.StartCheckAddress {
		return err
	}
	return p.checkAddress(answer)
}

// name asks for the person's display name until one is taken; a bare
// enter keeps the one given before, or none.
func (p *plain) name() error {
	for {
		prompt := textPlainName.In(p.lang)
		if p.flow.Name() != "" {
			prompt = textPlainDefault.In(p.lang, strings.TrimSuffix(strings.TrimSpace(prompt), ":"), p.flow.Name())
		}
		answer, err := p.ask(prompt)
		if err != nil {
			return err
		}
		if answer == "" {
			answer = p.flow.Name()
		}
		if err := p.flow.SetName(answer); err != nil {
			p.say(nameProblem(err, p.lang))
			continue
		}
		return nil
	}
}

// checkAddress asks DNS about an address that looks like a typo, and
// when it was probably meant otherwise, whether to use the suggestion.
func (p *plain) checkAddress(typed string) error {
	f := p.flow
	_, domain, _ := strings.Cut(f.Typo().Address, "@")
	p.say(textCheckingDomain.In(p.lang, domain))
	checked := (<-p.runner.start(wizard.StartCheckAddress, f, p.lang)).(checkedMsg)
	if p.ctx.Err() != nil {
		return ErrAborted
	}
	if _, err := f.CheckedAddress(checked.run, checked.hasMail, checked.err); err != nil || f.Step() != wizard.StepAddress {
		return err
	}
	meant := f.Typo().Meant
	p.say(textDidYouMean.In(p.lang, meant, domain))
	answer, err := p.ask(textPlainMeant.In(p.lang, meant))
	if err != nil {
		return err
	}
	switch strings.ToLower(answer) {
	case "n", "no":
	default:
		typed = meant
	}
	_, err = f.SubmitAddress(typed)
	return err
}

// sameAddress asks what to do when the address is a saved account's:
// replace it, or keep both under a name (a free one suggested).
func (p *plain) sameAddress() (wizard.Effect, error) {
	f := p.flow
	saved, _ := f.AlreadySaved()
	p.say(textAlreadySaved.In(p.lang, saved.Address, saved.Name))
	for {
		suggested := f.SuggestedName()
		answer, err := p.ask(textPlainSameAddress.In(p.lang, saved.Name, suggested))
		if errors.Is(err, errBack) {
			return wizard.NoEffect, f.ChangeAddress()
		}
		if err != nil {
			return wizard.NoEffect, err
		}
		if answer == "r" {
			return f.ReplaceSaved()
		}
		if answer == "" {
			answer = suggested
		}
		e, err := f.KeepBoth(answer)
		var taken *store.NameTakenError
		switch {
		case errors.As(err, &taken):
			p.say(textNameTaken.In(p.lang, taken.Name, taken.Address))
		case err != nil:
			p.say(textBadName.In(p.lang))
		default:
			return e, nil
		}
	}
}

func (p *plain) hint() error {
	prov := p.flow.Provider()
	p.say("\n" + textHintTitle.In(p.lang, prov.Name))
	for _, h := range prov.Hints {
		text := h.In(p.lang)
		p.say("  - " + text)
	}
	if providers.IsHelpPage(prov.Docs) {
		p.say(textHintDocs.In(p.lang, prov.Docs))
	}
	if _, err := p.ask(textPlainContinue.In(p.lang)); err != nil {
		return err
	}
	return p.flow.ContinueHint()
}

func (p *plain) password() error {
	if p.flow.PasswordRefused() {
		p.say("\n" + textPasswordRefused.In(p.lang))
	}
	p.say("\n" + textPasswordBody.In(p.lang))
	pw, err := p.read(textPlainPassword.In(p.lang, p.flow.Email()), true)
	if err != nil {
		return err
	}
	_, err = p.flow.SubmitPassword(pw)
	if problem, ok := passwordProblems[err]; ok {
		p.say(problem.In(p.lang))
	}
	return nil
}

// signIn signs in with the provider: it prints the address and the code,
// waits, and cancels on q; without a client ID, or after a failure, it
// says why and offers another try, a password where the provider takes
// one, or going back.
func (p *plain) signIn() error {
	f := p.flow
	p.say("\n" + textSignInTitle.In(p.lang, f.Provider().Name))
	if _, err := f.StartSignIn(); err == nil {
		if err := p.waitSignIn(p.runner.start(wizard.StartSignIn, f, p.lang)); err != nil || f.Step() != wizard.StepSignIn {
			return err
		}
	}
	e := signInExplanation(f, f.SignIn().Err, p.lang)
	p.say(e.Summary())
	for _, fix := range e.Fix {
		p.say("  - " + fix)
	}
	extra := ""
	if _, ok := f.PasswordAuth(); ok {
		extra = textPlainUsePassword.In(p.lang)
	}
	answer, err := p.ask(textPlainSignInAgain.In(p.lang, extra))
	if err != nil {
		return err
	}
	if answer == "p" {
		if err := f.UsePassword(); !errors.Is(err, wizard.ErrNotNow) {
			return err
		}
	}
	return nil // signs in again
}

// waitSignIn prints the sign-in's prompt and waits for its end, or for the
// person to type q or < to cancel it; another line is kept for the next
// question.
func (p *plain) waitSignIn(reports <-chan tea.Msg) error {
	f := p.flow
	if p.pending == nil {
		p.pending = startLine(p.readPlain)
	}
	input := p.pending
	for reports != nil {
		select {
		case msg, ok := <-reports:
			if !ok {
				reports = nil
				continue
			}
			ev := msg.(signInMsg)
			if ev.prompt == nil {
				f.SignedIn(ev.run, ev.token, ev.err)
				continue
			}
			f.Prompted(ev.run, *ev.prompt)
			if ev.prompt.UserCode == "" {
				p.say(textSignInNoBrowser.In(p.lang, f.Provider().Name))
				p.say("  " + ev.prompt.VerificationURI)
			} else {
				p.say(textSignInOpen.In(p.lang))
				p.say("  " + ev.prompt.VerificationURI)
				p.say(textSignInCode.In(p.lang))
				p.say("  " + ev.prompt.UserCode)
			}
			p.say(textPlainSignInCancel.In(p.lang))
		case a := <-input:
			p.pending = nil
			if t := strings.TrimSpace(a.line); a.err == nil && (t == "q" || t == "<") {
				p.runner.cancel(wizard.StartSignIn)
				f.CancelSignIn()
				return nil
			}
			kept := make(chan lineAnswer, 1)
			kept <- a
			p.pending, input = kept, nil
		case <-p.ctx.Done():
			return ErrAborted
		}
	}
	return nil
}

// detect runs the detection the address started, saying each source as
// it starts and ends.
func (p *plain) detect() error {
	f := p.flow
	if f.Detect().Running {
		p.say("\n" + textDetectTitle.In(p.lang, f.Email()))
		var end detectMsg
		for msg := range p.runner.start(wizard.StartDetect, f, p.lang) {
			ev := msg.(detectMsg)
			if ev.progress == nil {
				end = ev
				continue
			}
			state := textSourceRunning
			switch ev.progress.State {
			case mailbox.SourceFound:
				state = textSourceFound
			case mailbox.SourceNotFound, mailbox.SourceStopped:
				state = textSourceNothing
			}
			p.say("  %s: %s", sourceName(ev.progress.Source, p.lang), state.In(p.lang))
		}
		if p.ctx.Err() != nil {
			return ErrAborted
		}
		f.Detected(end.run, end.result, end.err)
	}
	if !f.Found() && offline(f) {
		p.say(textNoNetwork.In(p.lang))
		answer, err := p.ask(textPlainNoNetwork.In(p.lang))
		if err != nil {
			return err
		}
		if answer == "r" {
			_, err := f.RetryDetect()
			return err
		}
	} else if !f.Found() {
		for _, t := range nothingFound(f) {
			p.say(t.In(p.lang))
		}
	} else {
		p.say(textFoundFrom.In(p.lang, sourceName(f.Detect().Result.Source, p.lang)))
		if !f.Detect().Result.Trusted {
			p.say(textUntrustedSource.In(p.lang))
		}
	}
	return f.ContinueDetect()
}

func (p *plain) review() error {
	f := p.flow
	p.say("\n" + textReviewTitle.In(p.lang, f.Email()))
	p.servers()
	var extra string
	if len(f.Incoming().Servers) > 1 || len(f.Outgoing().Servers) > 1 {
		extra = textPlainAlternatives.In(p.lang)
	}
	answer, err := p.ask(textPlainReview.In(p.lang, extra))
	if err != nil {
		return err
	}
	switch answer {
	case "":
		_, err = f.Test()
	case "e":
		err = f.Edit()
	case "i":
		err = f.Choose(probe.Incoming, (f.Incoming().Selected+1)%len(f.Incoming().Servers))
	case "o":
		err = f.Choose(probe.Outgoing, (f.Outgoing().Selected+1)%len(f.Outgoing().Servers))
	}
	if errors.Is(err, wizard.ErrNotNow) {
		return nil
	}
	return err
}

// servers lists the chosen servers, saying when there are alternatives.
func (p *plain) servers() {
	p.say("  " + serverSummary(textIncomingCap, p.flow.Incoming(), p.lang))
	p.say("  " + serverSummary(textOutgoingCap, p.flow.Outgoing(), p.lang))
}

func (p *plain) edit() error {
	f := p.flow
	in, out := f.Form()
	p.say("\n" + textEditTitle.In(p.lang, f.Email()))
	for {
		var err error
		if in, err = p.editServer(textIncomingCap, in); err != nil {
			return err
		}
		if out, err = p.editServer(textOutgoingCap, out); err != nil {
			return err
		}
		errs := f.SubmitEdit(in, out)
		if len(errs) == 0 {
			return nil
		}
		for _, e := range errs {
			p.say(problemTexts[e.Problem].In(p.lang))
		}
	}
}

// editServer asks each field of one server, the current value as default.
func (p *plain) editServer(role probe.Text, form wizard.ServerForm) (wizard.ServerForm, error) {
	field := func(name wizard.Field, value string) (string, error) {
		answer, err := p.ask(textPlainDefault.In(p.lang, role.In(p.lang)+", "+fieldNames[name].In(p.lang), value))
		if answer == "" {
			answer = value
		}
		return answer, err
	}
	var err error
	if form.Host, err = field(wizard.FieldHost, form.Host); err != nil {
		return form, err
	}
	if form.Port, err = field(wizard.FieldPort, form.Port); err != nil {
		return form, err
	}
	names := make([]string, len(wizard.Securities))
	for i, s := range wizard.Securities {
		names[i] = fmt.Sprintf("%d. %s", i+1, s.Describe(p.lang))
	}
	def := max(0, slices.Index(wizard.Securities, form.Security)) + 1
	n, err := p.chooseWith(textPlainDefault.In(p.lang, role.In(p.lang)+", "+fieldNames[wizard.FieldSecurity].In(p.lang)+" ("+strings.Join(names, ", ")+")", strconv.Itoa(def)), len(wizard.Securities), def)
	if err != nil {
		return form, err
	}
	form.Security = wizard.Securities[n-1]
	form.Username, err = field(wizard.FieldUsername, form.Username)
	return form, err
}

// test runs the live tests, both servers at once, and prints the report.
func (p *plain) test() error {
	f := p.flow
	if !f.TestsDone() {
		p.say("\n" + textTestTitle.In(p.lang, f.Email()) + "…")
		var ended []probe.Result
		for msg := range p.runner.start(wizard.StartTest, f, p.lang) {
			switch t := msg.(type) {
			case tryingMsg:
				f.Trying(t.run, t.role, t.server)
			case triedMsg:
				f.Tried(t.run, t.result)
				p.say("  ✗ %s %s: %s %s", protocolName(t.result.Server.Protocol), t.result.Server.Address(),
					probe.Explain(t.result, nil, p.lang).What, textTriedNext.In(p.lang))
			case testedMsg:
				ended = append(ended, t.result)
			}
		}
		if p.ctx.Err() != nil {
			return ErrAborted
		}
		for _, r := range ended {
			f.Tested(f.Tests().Run, r)
		}
		var report strings.Builder
		WriteReport(&report, f.AllTries(), p.lang)
		p.say(strings.TrimSuffix(report.String(), "\n"))
	}
	if f.Passed() {
		if err := p.offerTestMessage(); err != nil {
			return err
		}
		if !f.Savable() {
			p.say(textOAuth2NotSaved.In(p.lang, f.Email()))
			if _, err := p.ask(textPlainNotSavedEnd.In(p.lang)); err != nil && !errors.Is(err, errBack) {
				return err
			}
			return errFinished
		}
		if _, err := p.ask(textPlainSave.In(p.lang)); err != nil {
			return err
		}
		_, err := f.Save()
		return err
	}
	var extra string
	if f.PasswordRefused() {
		extra = textPlainReenter.In(p.lang)
	}
	if _, ok := f.Trustable(); ok {
		extra += textPlainTrustChoice.In(p.lang)
	}
	if f.Savable() {
		extra += textPlainSaveAnyway.In(p.lang)
	}
	answer, err := p.ask(textPlainFailed.In(p.lang, extra))
	if err != nil {
		return err
	}
	switch answer {
	case "r":
		_, err = f.Test()
	case "e":
		err = f.Edit()
	case "t":
		err = f.AskTrust()
	case "a":
		_, err = f.SaveAnyway()
	case "p":
		err = f.ReenterPassword()
	}
	if errors.Is(err, wizard.ErrNotNow) {
		return nil
	}
	return err
}

// offerTestMessage asks once per passed test run whether to send a test
// message to the person's own address, and sends it on yes.
func (p *plain) offerTestMessage() error {
	f := p.flow
	if p.offeredRun == f.Tests().Run {
		return nil
	}
	p.offeredRun = f.Tests().Run
	answer, err := p.ask(textPlainSend.In(p.lang))
	if err != nil {
		return err
	}
	if !yes(answer) {
		return nil
	}
	if _, err := f.SendTest(); err != nil {
		return err
	}
	p.say(textSending.In(p.lang, f.Email()))
	sent := (<-p.runner.start(wizard.StartSendTest, f, p.lang)).(sentMsg)
	if p.ctx.Err() != nil {
		return ErrAborted
	}
	r := sent.result
	f.SentTest(sent.run, r)
	if r.OK {
		p.say(textSentOK.In(p.lang, f.Email(), f.Message().SentAt.Format(time.TimeOnly), formatDuration(r.Elapsed), probe.Subject(p.lang)))
		return nil
	}
	e := probe.Explain(r, nil, p.lang)
	p.say(textNotSent.In(p.lang) + " " + e.Summary())
	for _, fix := range e.Fix {
		p.say("  - " + fix)
	}
	return nil
}

func (p *plain) trust() error {
	f := p.flow
	c := f.TrustCertificate()
	server := f.Incoming().Server()
	if f.TrustRole() == probe.Outgoing {
		server = f.Outgoing().Server()
	}
	p.say("\n" + textTrustTitle.In(p.lang))
	p.say(textTrustBody.In(p.lang, server.Address()))
	p.say("  %s: %s", textCertSubject.In(p.lang), c.Subject)
	p.say("  %s: %s", textCertNames.In(p.lang), strings.Join(c.Names(), ", "))
	p.say("  %s: %s", textCertIssuer.In(p.lang), c.Issuer)
	p.say("  %s: %s", textCertUntil.In(p.lang), c.NotAfter.Format(time.DateOnly))
	p.say("  %s: %s", textFinger.In(p.lang), c.SHA256)
	p.say(textTrustWarn.In(p.lang))
	answer, err := p.ask(textPlainTrust.In(p.lang))
	if err != nil {
		return err
	}
	switch strings.ToLower(answer) {
	case "yes", "sì", "si":
		_, err = f.ConfirmTrust()
		return err
	}
	return errBack
}

func (p *plain) save() error {
	f := p.flow
	if f.SaveErr() == nil {
		p.say(textSaving.In(p.lang))
		saved := (<-p.runner.start(wizard.StartSave, f, p.lang)).(savedMsg)
		f.SavedResult(saved.err, saved.withPassword)
		if saved.err == nil {
			return nil
		}
	}
	keyring := wizard.KeyringUnavailable(f.SaveErr())
	extra := ""
	if keyring {
		p.say(textKeyringUnavailable.In(p.lang) + " " + keyringReason(f.SaveErr(), p.lang) + " (" + f.SaveErr().Error() + ")")
		p.say(textKeyringChoices.In(p.lang))
		extra = textPlainNoPassword.In(p.lang)
	} else {
		p.say(textSaveFailed.In(p.lang, f.SaveErr()))
	}
	answer, err := p.ask(textPlainSaveFailed.In(p.lang, extra))
	if err != nil {
		return err
	}
	switch {
	case answer == "r":
		_, err = f.RetrySave()
	case answer == "w" && keyring:
		var e wizard.Effect
		if e, err = f.SaveWithoutPassword(); err == nil {
			saved := (<-p.runner.start(e, f, p.lang)).(savedMsg)
			f.SavedResult(saved.err, saved.withPassword)
		}
	}
	if errors.Is(err, wizard.ErrNotNow) {
		return nil
	}
	return err
}

func (p *plain) done() {
	var summary strings.Builder
	WriteSummary(&summary, p.flow, p.lang, p.opts.Formats)
	p.say("\n" + strings.TrimSuffix(summary.String(), "\n"))
}

// textPlainReenter offers typing the password again after the server
// refused it.
var textPlainReenter = probe.Text{EN: ", p to type the password again", IT: ", p per riscrivere la password"}

// textPlainSameAddress asks to replace the saved account or to name the
// new one.
var textPlainSameAddress = probe.Text{EN: "Type r to replace %s with the new settings, or a name to keep both [%s]: ", IT: "Scrivi r per sostituire %s con le nuove impostazioni, oppure un nome per tenerli entrambi [%s]: "}

// Sentences of the saved accounts in the plain wizard.
var (
	textPlainStartOrPickOne = probe.Text{EN: "Press enter to add an account, or type 1 to pick the saved one: ", IT: "Premi invio per aggiungere un account, oppure scrivi 1 per scegliere quello salvato: "}
	textPlainStartOrPick    = probe.Text{EN: "Press enter to add an account, or type 1 to %d to pick a saved one: ", IT: "Premi invio per aggiungere un account, oppure scrivi un numero da 1 a %d per sceglierne uno salvato: "}
	textPlainActions        = probe.Text{EN: "Type t, r, x or d, or < to go back: ", IT: "Scrivi t, r, x o d, oppure < per tornare indietro: "}
	textPlainFormat         = probe.Text{EN: "Which format? (%s): ", IT: "Quale formato? (%s): "}
)
