package ui

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/signin"
)

// withDefaults fills in what Options leave out: probe.Test and probe.Send,
// and the detection's budget.
func withDefaults(opts Options) Options {
	if opts.Tester == nil {
		opts.Tester = probe.Test
	}
	if opts.Sender == nil {
		opts.Sender = probe.Send
	}
	if opts.DetectTimeout <= 0 {
		opts.DetectTimeout = DefaultDetectTimeout
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}}
	}
	return opts
}

// signInTimeout bounds a sign-in: the person needs time to find a phone,
// and a device code expires sooner on its own.
const signInTimeout = 15 * time.Minute

// Reports of the slow work, as both front ends take them: the full screen
// as tea.Msgs, the plain one as they come.
type (
	// detectMsg is one event of a detection run: a source's progress, or
	// with progress nil its end.
	detectMsg struct {
		run      int
		progress *mailbox.SourceEvent
		result   mailbox.Detection
		err      error
	}
	// stepMsg is a step one role's test of run has finished.
	stepMsg struct {
		run  int
		role probe.Role
		step probe.Step
	}
	// tryingMsg is a server one role's test of run begins with: the
	// chosen one, then each alternative after a failure.
	tryingMsg struct {
		run    int
		role   probe.Role
		server probe.Server
	}
	// triedMsg is a server that failed, after which the role's next
	// alternative is tried.
	triedMsg struct {
		run    int
		result probe.Result
	}
	// testedMsg is the last server a role tried.
	testedMsg struct {
		run    int
		result probe.Result
	}
	// sentMsg is the outcome of test message run.
	sentMsg struct {
		run    int
		result probe.Result
	}
	// signInMsg is one event of sign-in run: the prompt, or with prompt
	// nil its end, the tokens or why there are none.
	signInMsg struct {
		run    int
		prompt *signin.DevicePrompt
		token  signin.Token
		err    error
	}
	savedMsg struct {
		err          error
		withPassword bool
	}
	// commandMsg is the end of one of postino's commands run on a saved
	// account: its output and exit code.
	commandMsg struct {
		args   []string
		output string
		code   int
	}
	// checkedMsg is DNS's answer for the domain of address check run.
	checkedMsg struct {
		run     int
		hasMail bool
		err     error
	}
)

// accountJob is the kind of work of a command on a saved account, which
// the welcome screen runs outside the set-up's steps.
const accountJob wizard.Effect = -1

// commandTimeout bounds a command on a saved account: a test, or a report's
// test, of each server and its fallbacks.
const commandTimeout = 2 * time.Minute

// command runs one of postino's commands (Options.Command) on a saved
// account, replacing the one still under way, and reports its output.
func (r *runner) command(args []string) <-chan tea.Msg {
	ctx, done := r.begin(accountJob, commandTimeout)
	run := r.opts.Command
	out := make(chan tea.Msg, 1)
	go func() {
		defer close(out)
		defer done()
		var b strings.Builder
		code := run(ctx, args, &b)
		out <- commandMsg{args, b.String(), code}
	}()
	return out
}

// checkTimeout bounds the address step's DNS question: a person waits
// for it.
const checkTimeout = 3 * time.Second

// errNoChecker is the answer of a check no MailChecker can make.
var errNoChecker = errors.New("no DNS to ask")

// runner carries out the slow work a wizard.Flow asks for with an Effect,
// for both front ends: every job is started, bounded by its time limit and
// cancelled here, and nowhere else. A job reads what it needs from the
// flow when it starts and tells what happens on its own channel, closed
// when it ends; the front end hands each report back to the flow, whose
// run numbers make the reports of abandoned work harmless.
type runner struct {
	ctx  context.Context
	opts Options

	mu   sync.Mutex
	jobs map[wizard.Effect]*job
}

// job is one running piece of work, so that the end of a replaced one
// does not forget its successor.
type job struct{ cancel context.CancelFunc }

func newRunner(ctx context.Context, opts Options) *runner {
	return &runner{ctx: ctx, opts: opts, jobs: map[wizard.Effect]*job{}}
}

// start begins the work e asks of f, in lang, replacing the same kind of
// work still under way. Effects that are no slow work (Quit) start nothing
// and return nil.
func (r *runner) start(e wizard.Effect, f *wizard.Flow, lang probe.Lang) <-chan tea.Msg {
	switch e {
	case wizard.StartDetect:
		return r.detect(f)
	case wizard.StartTest:
		return r.test(f)
	case wizard.StartSendTest:
		return r.send(f, lang)
	case wizard.StartSave:
		return r.save(f, true)
	case wizard.StartSaveWithoutPassword:
		return r.save(f, false)
	case wizard.StartSignIn:
		return r.signIn(f, lang)
	case wizard.StartCheckAddress:
		return r.checkAddress(f)
	}
	return nil
}

// checkAddress asks whether the domain of an address that looks like a
// typo receives mail.
func (r *runner) checkAddress(f *wizard.Flow) <-chan tea.Msg {
	ctx, done := r.begin(wizard.StartCheckAddress, checkTimeout)
	run, address := f.Typo().Run, f.Typo().Address
	checker, _ := r.opts.Detector.(wizard.MailChecker)
	out := make(chan tea.Msg, 1)
	go func() {
		defer close(out)
		defer done()
		if checker == nil {
			out <- checkedMsg{run: run, err: errNoChecker}
			return
		}
		a, err := mailbox.ParseAddress(address)
		if err != nil {
			out <- checkedMsg{run: run, err: err}
			return
		}
		has, err := checker.HasMail(ctx, a.ASCIIDomain)
		out <- checkedMsg{run: run, hasMail: has, err: err}
	}()
	return out
}

// begin registers a job of kind e with its time limit, cancelling the one
// before; the job calls done when it ends.
func (r *runner) begin(e wizard.Effect, timeout time.Duration) (ctx context.Context, done func()) {
	ctx, cancel := context.WithTimeout(r.ctx, timeout)
	j := &job{cancel: cancel}
	r.mu.Lock()
	if old := r.jobs[e]; old != nil {
		old.cancel()
	}
	r.jobs[e] = j
	r.mu.Unlock()
	return ctx, func() {
		cancel()
		r.mu.Lock()
		if r.jobs[e] == j {
			delete(r.jobs, e)
		}
		r.mu.Unlock()
	}
}

// cancel stops a kind of work at once.
func (r *runner) cancel(e wizard.Effect) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if j := r.jobs[e]; j != nil {
		j.cancel()
		delete(r.jobs, e)
	}
}

// cancelAll stops every work under way.
func (r *runner) cancelAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for e, j := range r.jobs {
		j.cancel()
		delete(r.jobs, e)
	}
}

// running reports whether work of kind e is under way.
func (r *runner) running(e wizard.Effect) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.jobs[e] != nil
}

// idle reports whether no work is under way.
func (r *runner) idle() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.jobs) == 0
}

// detect runs the detector, reporting each source's progress and the end.
func (r *runner) detect(f *wizard.Flow) <-chan tea.Msg {
	ctx, done := r.begin(wizard.StartDetect, r.opts.DetectTimeout)
	run, address, d := f.Detect().Run, f.Email(), r.opts.Detector
	out := make(chan tea.Msg, 64)
	go func() {
		defer close(out)
		defer done()
		if d == nil {
			out <- detectMsg{run: run}
			return
		}
		result, err := d.Detect(ctx, address, func(ev mailbox.SourceEvent) {
			select {
			case out <- detectMsg{run: run, progress: &ev}:
			case <-ctx.Done():
			}
		})
		out <- detectMsg{run: run, result: result, err: err}
	}()
	return out
}

// test tests both roles at once, each the chosen server first and, as
// postino test does (probe.TestInOrder), the next alternative after a
// failure. It reports each server begun, each finished step, so that the
// checklist ticks off connect, TLS and login as they happen, each server
// that failed and the last one tried.
func (r *runner) test(f *wizard.Flow) <-chan tea.Msg {
	run, tester := f.Tests().Run, r.opts.Tester
	servers := map[probe.Role][]probe.Server{probe.Incoming: f.TestOrder(probe.Incoming), probe.Outgoing: f.TestOrder(probe.Outgoing)}
	tries := max(len(servers[probe.Incoming]), len(servers[probe.Outgoing]))
	ctx, done := r.begin(wizard.StartTest, time.Duration(1+tries)*probe.DefaultTimeout)
	out := make(chan tea.Msg, 64)
	var roles sync.WaitGroup
	for _, role := range []probe.Role{probe.Incoming, probe.Outgoing} {
		opts := f.Options()
		opts.Progress = func(_ probe.Server, st probe.Step) {
			select {
			case out <- stepMsg{run: run, role: role, step: st}:
			case <-ctx.Done():
			}
		}
		roles.Go(func() {
			var failed *probe.Result
			results := probe.TestInOrder(ctx, servers[role], opts, func(ctx context.Context, s probe.Server, opts *probe.Options) probe.Result {
				if failed != nil {
					out <- triedMsg{run, *failed}
				}
				out <- tryingMsg{run, role, s}
				res := tester(ctx, s, opts)
				res.Role = role
				failed = &res
				return res
			})
			out <- testedMsg{run, results[len(results)-1]}
		})
	}
	go func() {
		roles.Wait()
		done()
		close(out)
	}()
	return out
}

// send sends the test message through the chosen outgoing server.
func (r *runner) send(f *wizard.Flow, lang probe.Lang) <-chan tea.Msg {
	ctx, done := r.begin(wizard.StartSendTest, probe.DefaultTimeout)
	run, server, opts, msg := f.Message().Run, f.Outgoing().Server(), f.Options(), f.TestMessage(lang)
	send := r.opts.Sender
	out := make(chan tea.Msg, 1)
	go func() {
		defer close(out)
		defer done()
		res := send(ctx, server, opts, msg)
		res.Role = probe.Outgoing
		out <- sentMsg{run, res}
	}()
	return out
}

// signIn signs in with the provider: the device flow where it offers one
// (a code to type on any device), else the browser on a loopback
// redirect, opened unless the options say not to. It reports the prompt,
// then the access token or the error.
func (r *runner) signIn(f *wizard.Flow, lang probe.Lang) <-chan tea.Msg {
	ctx, done := r.begin(wizard.StartSignIn, signInTimeout)
	run, cfg, client := f.SignIn().Run, wizard.SignInConfig(f.Provider().OAuth2), r.opts.HTTPClient
	out := make(chan tea.Msg, 2)
	prompt := func(p signin.DevicePrompt) {
		select {
		case out <- signInMsg{run: run, prompt: &p}:
		case <-ctx.Done():
		}
	}
	go func() {
		defer close(out)
		defer done()
		tok, err := signin.SignIn(ctx, cfg, client, lang, !r.opts.NoBrowser, prompt)
		out <- signInMsg{run: run, token: tok, err: err}
	}()
	return out
}

// save stores the account, with its password or without; the keyring and
// the file bound their own waits.
func (r *runner) save(f *wizard.Flow, withPassword bool) <-chan tea.Msg {
	s, account, pw, refresh := r.opts.Saver, f.Account(), f.Password(), f.RefreshToken()
	signedIn := f.SignedInWithOAuth2()
	out := make(chan tea.Msg, 1)
	go func() {
		defer close(out)
		if s == nil {
			out <- savedMsg{errNoSaver, withPassword}
			return
		}
		var err error
		switch {
		case withPassword && signedIn:
			_, err = s.SaveSignIn(account, refresh)
		case withPassword:
			_, err = s.Save(account, pw)
		default:
			_, err = s.SaveSettings(account)
		}
		out <- savedMsg{err, withPassword}
	}()
	return out
}

// lineAnswer is one line of the person's input, or why there is none.
type lineAnswer struct {
	line string
	err  error
}

// startLine waits for read, which blocks on the person's input, in the
// background; the plain front end waits for the answer or for its context
// to end, and a read left waiting answers its next question.
func startLine(read func() (string, error)) <-chan lineAnswer {
	ch := make(chan lineAnswer, 1)
	go func() {
		line, err := read()
		ch <- lineAnswer{line, err}
	}()
	return ch
}
