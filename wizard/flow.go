// Package wizard is the account set-up as plain Go: its steps, what moves
// between them and what each step checks. It knows nothing of the terminal;
// ui drives the same Flow full-screen or line by line, and runs the slow
// work (detection, live tests, saving) that a Flow asks for with an Effect.
package wizard

import (
	"errors"
	"slices"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
	"github.com/postino/postino/wizard/store"
)

// Step is one page of the wizard.
type Step int

// The steps, in the order a person meets them.
const (
	StepWelcome  Step = iota // what postino does; saved accounts
	StepProtocol             // IMAP or POP
	StepAddress              // the email address
	StepHint                 // the provider's advice, before the password
	StepPassword             // the password
	StepDetect               // finding the settings
	StepReview               // the settings found, and their alternatives
	StepEdit                 // the settings, by hand
	StepTest                 // live tests of both servers
	StepTrust                // confirming a certificate to trust by fingerprint
	StepSave                 // saving, or what stopped it
	StepDone                 // summary
)

var stepNames = [...]string{"welcome", "protocol", "address", "hint", "password", "detect", "review", "edit", "test", "trust", "save", "done"}

func (s Step) String() string {
	if int(s) < len(stepNames) {
		return stepNames[s]
	}
	return "step?"
}

// Effect is slow work a transition asks the front end to start; the front
// end reports its end with the matching method (Detected, Tested,
// SavedResult, SentTest).
type Effect int

// The kinds of work.
const (
	NoEffect Effect = iota
	StartDetect
	StartTest
	StartSave
	StartSaveWithoutPassword
	StartSendTest
	Quit
)

// ErrNotNow is returned by a transition that the current step does not
// allow, such as continuing while a test still runs.
var ErrNotNow = errors.New("not possible at this step")

// Choice is a role's candidate servers, best first, and the one chosen.
type Choice struct {
	Servers  []probe.Server
	Selected int
}

// Server is the chosen server; the zero Server when there is none.
func (c Choice) Server() probe.Server {
	if c.Selected < 0 || c.Selected >= len(c.Servers) {
		return probe.Server{}
	}
	return c.Servers[c.Selected]
}

// ProviderFinder finds a provider by an address's domain, from memory: it
// decides before the password whether there is advice to show.
type ProviderFinder interface {
	ByDomain(domain string) (*providers.Provider, bool)
}

// Flow is the state of one account set-up. Its exported fields are for
// reading; they change only through its methods.
type Flow struct {
	step Step
	back []Step // the steps that led here, for going back

	// Accounts are the saved accounts, once loaded.
	Accounts []store.Account

	// Protocol is the chosen way of reading mail, IMAP unless chosen
	// otherwise.
	Protocol probe.Protocol
	// Offered is what the provider offers for reading mail; nil when the
	// provider is not known yet, meaning both.
	Offered []probe.Protocol
	// Reasked is set when the address's provider did not offer the chosen
	// protocol and the flow came back to ask again.
	Reasked bool

	// Address is the parsed address; Email is how a person reads it.
	Address  mailbox.Address
	Email    string
	Provider *providers.Provider
	Password string

	// DetectRun and TestRun number the runs, so that the end of a run
	// that was replaced is ignored.
	DetectRun int
	TestRun   int

	Sources   []mailbox.SourceEvent
	Detecting bool
	Detection *mailbox.Detection
	DetectErr error

	Incoming Choice
	Outgoing Choice
	// Edited is set once the person changed the settings by hand.
	Edited bool

	Results map[probe.Role]probe.Result
	// TestedAt is when the latest test run ended.
	TestedAt time.Time
	// Steps are the steps each role's running test has finished so far.
	Steps map[probe.Role][]probe.Step
	// Pins are certificates the person chose to trust.
	Pins []probe.Pin
	// TrustRole is the server whose certificate StepTrust asks about.
	TrustRole probe.Role

	// SendRun numbers the test messages sent to the person's own address,
	// so that the end of an abandoned one is ignored; Sending is set while
	// one goes out, and Sent is the latest outcome, sent at SentAt.
	SendRun int
	Sending bool
	Sent    *probe.Result
	SentAt  time.Time

	SaveErr error
	Saved   bool
	// PasswordStored is false when the account was saved without its
	// password because the keyring was unavailable.
	PasswordStored bool

	finder ProviderFinder
}

// New starts a flow at the welcome step.
func New() *Flow {
	return &Flow{step: StepWelcome, Protocol: probe.IMAP}
}

// Step is where the flow is.
func (f *Flow) Step() Step { return f.step }

// SetProviders gives the flow the provider list once it is loaded.
func (f *Flow) SetProviders(p ProviderFinder) { f.finder = p }

// SetAccounts records the saved accounts once they are loaded.
func (f *Flow) SetAccounts(a []store.Account) { f.Accounts = a }

// Unsaved reports whether quitting now would lose what the person typed.
func (f *Flow) Unsaved() bool {
	return f.Email != "" && !f.Saved
}

func (f *Flow) goTo(s Step) {
	f.back = append(f.back, f.step)
	f.step = s
}

// Back returns to the previous step; at the welcome step there is none.
func (f *Flow) Back() error {
	if len(f.back) == 0 || f.step == StepDone || f.step == StepSave && f.Saved {
		return ErrNotNow
	}
	f.abandonSend()
	f.step = f.back[len(f.back)-1]
	f.back = f.back[:len(f.back)-1]
	return nil
}

// Start leaves the welcome step for the choice of protocol.
func (f *Flow) Start() error {
	if f.step != StepWelcome {
		return ErrNotNow
	}
	f.goTo(StepProtocol)
	return nil
}

// Protocols are the ways of reading mail the protocol step offers: what the
// provider offers, else both, IMAP first.
func (f *Flow) Protocols() []probe.Protocol {
	if len(f.Offered) > 0 {
		return f.Offered
	}
	return []probe.Protocol{probe.IMAP, probe.POP3}
}

// ChooseProtocol takes IMAP or POP3 and moves on to the address, or past it
// when the address was already given.
func (f *Flow) ChooseProtocol(p probe.Protocol) (Effect, error) {
	if f.step != StepProtocol {
		return NoEffect, ErrNotNow
	}
	if !slices.Contains(f.Protocols(), p) {
		return NoEffect, ErrNotNow
	}
	f.Protocol = p
	if f.Reasked {
		f.Reasked = false
		f.step = StepAddress // going back from here returns to the address
		f.afterAddress()
		return NoEffect, nil
	}
	f.goTo(StepAddress)
	return NoEffect, nil
}

// SubmitAddress takes the address, finds its provider in the list and
// starts detection. A provider that does not offer the chosen protocol
// brings the flow back to the protocol step, showing only what it offers.
func (f *Flow) SubmitAddress(raw string) (Effect, error) {
	if f.step != StepAddress {
		return NoEffect, ErrNotNow
	}
	a, err := mailbox.ParseAddress(raw)
	if err != nil {
		return NoEffect, err
	}
	if a.String() != f.Email || f.DetectErr != nil {
		f.resetDetection()
	}
	f.Address, f.Email = a, a.String()
	f.Provider, f.Offered = nil, nil
	if f.finder != nil {
		if p, ok := f.finder.ByDomain(a.ASCIIDomain); ok {
			f.Provider = p
			f.Offered = offered(p)
		}
	}
	effect := NoEffect
	if !f.Detecting && f.Detection == nil {
		f.DetectRun++
		f.Detecting = true
		effect = StartDetect
	}
	if !slices.Contains(f.Protocols(), f.Protocol) {
		f.Protocol = f.Protocols()[0]
		f.Reasked = true
		f.goTo(StepProtocol)
		return effect, nil
	}
	f.afterAddress()
	return effect, nil
}

// afterAddress goes to the provider's advice if it has some, else to the
// password.
func (f *Flow) afterAddress() {
	if f.Provider != nil && len(f.Provider.Hints) > 0 {
		f.goTo(StepHint)
		return
	}
	f.goTo(StepPassword)
}

func (f *Flow) resetDetection() {
	f.Detection, f.DetectErr, f.Sources = nil, nil, nil
	f.Detecting = false
	f.Incoming, f.Outgoing, f.Edited = Choice{}, Choice{}, false
	f.Results, f.Pins = nil, nil
}

// offered is the protocols among a provider's incoming servers, IMAP first.
func offered(p *providers.Provider) []probe.Protocol {
	var out []probe.Protocol
	for _, want := range []probe.Protocol{probe.IMAP, probe.POP3} {
		for _, s := range p.Incoming {
			if s.Protocol == want {
				out = append(out, want)
				break
			}
		}
	}
	return out
}

// ContinueHint leaves the provider's advice for the password.
func (f *Flow) ContinueHint() error {
	if f.step != StepHint {
		return ErrNotNow
	}
	f.goTo(StepPassword)
	return nil
}

// ErrEmptyPassword refuses an empty password.
var ErrEmptyPassword = errors.New("the password is empty")

// SubmitPassword takes the password and shows the detection.
func (f *Flow) SubmitPassword(pw string) error {
	if f.step != StepPassword {
		return ErrNotNow
	}
	if pw == "" {
		return ErrEmptyPassword
	}
	f.Password = pw
	f.goTo(StepDetect)
	return nil
}

// Progress records a detection source starting or finishing.
func (f *Flow) Progress(run int, ev mailbox.SourceEvent) {
	if run != f.DetectRun {
		return
	}
	for i := range f.Sources {
		if f.Sources[i].Source == ev.Source {
			f.Sources[i] = ev
			return
		}
	}
	f.Sources = append(f.Sources, ev)
}

// Detected records the end of detection run. The candidates are the
// servers of the chosen protocol, or every incoming server when none is of
// that protocol.
func (f *Flow) Detected(run int, d mailbox.Detection, err error) {
	if run != f.DetectRun {
		return
	}
	f.Detecting = false
	f.DetectErr = err
	if err != nil {
		d = mailbox.Detection{}
	}
	f.Detection = &d
	var in []probe.Server
	for _, s := range d.Incoming {
		if s.Protocol == f.Protocol {
			in = append(in, s)
		}
	}
	if len(in) == 0 {
		in = d.Incoming
	}
	f.Incoming = Choice{Servers: fillUser(in, f.Email)}
	f.Outgoing = Choice{Servers: fillUser(d.Outgoing, f.Email)}
}

// fillUser gives the address as user name to servers without one.
func fillUser(servers []probe.Server, email string) []probe.Server {
	out := slices.Clone(servers)
	for i := range out {
		if out[i].Username == "" {
			out[i].Username = email
		}
		if out[i].Auth == "" {
			out[i].Auth = probe.AuthPassword
		}
	}
	return out
}

// Found reports whether detection found both an incoming and an outgoing
// server.
func (f *Flow) Found() bool {
	return len(f.Incoming.Servers) > 0 && len(f.Outgoing.Servers) > 0
}

// ContinueDetect leaves the finished detection for the review, or for the
// form when nothing usable was found.
func (f *Flow) ContinueDetect() error {
	if f.step != StepDetect || f.Detecting || f.Detection == nil {
		return ErrNotNow
	}
	if f.Found() {
		f.goTo(StepReview)
		return nil
	}
	f.goTo(StepEdit)
	return nil
}

// Choose picks one of a role's alternatives on the review step.
func (f *Flow) Choose(role probe.Role, i int) error {
	c := f.choice(role)
	if f.step != StepReview || i < 0 || i >= len(c.Servers) {
		return ErrNotNow
	}
	c.Selected = i
	f.Results = nil
	return nil
}

func (f *Flow) choice(role probe.Role) *Choice {
	if role == probe.Outgoing {
		return &f.Outgoing
	}
	return &f.Incoming
}

// Edit opens the form on the chosen settings, from the review or after a
// test.
func (f *Flow) Edit() error {
	if f.step != StepReview && !(f.step == StepTest && f.TestsDone() && !f.Sending) {
		return ErrNotNow
	}
	f.goTo(StepEdit)
	return nil
}

// Form is the chosen settings as the edit form shows them; when nothing was
// found, a guess from the address's domain.
func (f *Flow) Form() (in, out ServerForm) {
	domain := f.Address.ASCIIDomain
	inS, outS := f.Incoming.Server(), f.Outgoing.Server()
	if inS.Host == "" {
		inS = probe.Server{Protocol: f.Protocol, Host: hostFor(f.Protocol, domain), Security: probe.TLS}
		inS.Port = probe.DefaultPort(inS.Protocol, inS.Security)
	}
	if outS.Host == "" {
		outS = probe.Server{Protocol: probe.SMTP, Host: "smtp." + domain, Port: 587, Security: probe.StartTLS}
	}
	if inS.Username == "" {
		inS.Username = f.Email
	}
	if outS.Username == "" {
		outS.Username = f.Email
	}
	return FormOf(inS), FormOf(outS)
}

func hostFor(p probe.Protocol, domain string) string {
	if p == probe.POP3 {
		return "pop." + domain
	}
	return "imap." + domain
}

// SubmitEdit takes the form; with every field valid it replaces the chosen
// servers and returns to the review.
func (f *Flow) SubmitEdit(in, out ServerForm) []FieldError {
	if f.step != StepEdit {
		return []FieldError{{Field: FieldNone, Problem: ProblemNotNow}}
	}
	inS, errs := in.Server(f.IncomingProtocol(), probe.Incoming)
	outS, outErrs := out.Server(probe.SMTP, probe.Outgoing)
	errs = append(errs, outErrs...)
	if len(errs) > 0 {
		return errs
	}
	f.Incoming = replaceChosen(f.Incoming, inS)
	f.Outgoing = replaceChosen(f.Outgoing, outS)
	f.Edited = true
	f.Results = nil
	// Going back from the review returns to the detection, however many
	// edits and tests came between.
	f.back = f.back[:slices.Index(f.back, StepDetect)+1]
	f.step = StepReview
	return nil
}

// IncomingProtocol is the protocol of the chosen incoming server, or the
// chosen protocol when there is no server yet.
func (f *Flow) IncomingProtocol() probe.Protocol {
	if s := f.Incoming.Server(); s.Protocol != "" {
		return s.Protocol
	}
	return f.Protocol
}

func replaceChosen(c Choice, s probe.Server) Choice {
	if len(c.Servers) == 0 {
		return Choice{Servers: []probe.Server{s}}
	}
	c.Servers = slices.Clone(c.Servers)
	c.Servers[c.Selected] = s
	return c
}

// Test starts the live tests of the chosen servers.
func (f *Flow) Test() (Effect, error) {
	switch {
	case f.step == StepReview && f.Found():
		f.goTo(StepTest)
	case f.step == StepTest && f.TestsDone() && !f.Sending:
	default:
		return NoEffect, ErrNotNow
	}
	f.startTest()
	return StartTest, nil
}

// startTest begins a new test run, forgetting the last one's results.
func (f *Flow) startTest() {
	f.TestRun++
	f.Results = map[probe.Role]probe.Result{}
	f.Steps = map[probe.Role][]probe.Step{}
	f.abandonSend()
	f.Sent = nil
}

// Stepped records a step that role's test of run has finished.
func (f *Flow) Stepped(run int, role probe.Role, st probe.Step) {
	if run != f.TestRun || f.Steps == nil {
		return
	}
	f.Steps[role] = append(f.Steps[role], st)
}

// Options are the probe options for the chosen servers: the password and
// the certificates trusted by fingerprint.
func (f *Flow) Options() *probe.Options {
	return &probe.Options{Username: f.Email, Password: f.Password, Pins: slices.Clone(f.Pins)}
}

// Tested records one role's result of test run.
func (f *Flow) Tested(run int, r probe.Result) {
	if run != f.TestRun || f.Results == nil {
		return
	}
	f.Results[r.Role] = r
	if f.TestsDone() {
		f.TestedAt = time.Now()
	}
}

// TestsDone reports whether both roles have a result.
func (f *Flow) TestsDone() bool {
	return len(f.Results) == 2
}

// Passed reports whether both servers passed.
func (f *Flow) Passed() bool {
	return f.TestsDone() && f.Results[probe.Incoming].OK && f.Results[probe.Outgoing].OK
}

// Trustable is the role whose certificate may be trusted by fingerprint:
// one that failed only because no trusted authority issued it.
func (f *Flow) Trustable() (probe.Role, bool) {
	if !f.TestsDone() {
		return "", false
	}
	for _, role := range []probe.Role{probe.Incoming, probe.Outgoing} {
		r := f.Results[role]
		if r.Code == probe.CodeCertificateUntrusted && r.TLS != nil && r.TLS.Certificate != nil && r.TLS.Certificate.SHA256 != "" {
			return role, true
		}
	}
	return "", false
}

// AskTrust shows the certificate that failed and asks to trust it.
func (f *Flow) AskTrust() error {
	role, ok := f.Trustable()
	if f.step != StepTest || !ok {
		return ErrNotNow
	}
	f.TrustRole = role
	f.goTo(StepTrust)
	return nil
}

// TrustCertificate is the certificate StepTrust asks about.
func (f *Flow) TrustCertificate() *probe.CertInfo {
	r, ok := f.Results[f.TrustRole]
	if !ok || r.TLS == nil {
		return nil
	}
	return r.TLS.Certificate
}

// ConfirmTrust pins the certificate, to be stored with the account, and
// tests again.
func (f *Flow) ConfirmTrust() (Effect, error) {
	cert := f.TrustCertificate()
	if f.step != StepTrust || cert == nil {
		return NoEffect, ErrNotNow
	}
	pin, err := probe.ParsePin(cert.SHA256)
	if err != nil {
		return NoEffect, err
	}
	if !slices.Contains(f.Pins, pin) {
		f.Pins = append(f.Pins, pin)
	}
	f.step = f.back[len(f.back)-1]
	f.back = f.back[:len(f.back)-1]
	return f.Test()
}

// SendTest sends a test message from the address to itself through the
// outgoing server, once both tests passed; the front end reports its end
// with SentTest.
func (f *Flow) SendTest() (Effect, error) {
	if f.step != StepTest || !f.Passed() || f.Sending {
		return NoEffect, ErrNotNow
	}
	f.SendRun++
	f.Sending = true
	f.Sent = nil
	return StartSendTest, nil
}

// TestMessage is the message SendTest asks for, in lang.
func (f *Flow) TestMessage(lang string) probe.Message {
	return probe.Message{Address: f.Email, Lang: lang}
}

// SentTest records the outcome of test message run.
func (f *Flow) SentTest(run int, r probe.Result) {
	if run != f.SendRun || !f.Sending {
		return
	}
	f.Sending = false
	f.Sent = &r
	f.SentAt = time.Now()
}

// abandonSend forgets a test message under way; its late outcome is then
// ignored.
func (f *Flow) abandonSend() {
	if f.Sending {
		f.SendRun++
		f.Sending = false
	}
}

// Save goes on to saving once both tests passed.
func (f *Flow) Save() (Effect, error) {
	if f.step != StepTest || !f.Passed() || f.Sending {
		return NoEffect, ErrNotNow
	}
	f.goTo(StepSave)
	f.SaveErr = nil
	return StartSave, nil
}

// Account is what is saved: the chosen servers first, then the
// alternatives; the provider and where the settings came from; the
// latest test.
func (f *Flow) Account() store.Account {
	a := store.Account{
		Name:     f.Email,
		Address:  f.Email,
		Incoming: chosenFirst(f.Incoming),
		Outgoing: chosenFirst(f.Outgoing),
		Pins:     slices.Clone(f.Pins),
		Source:   string(f.source()),
	}
	switch d := f.Detection; {
	case d != nil && d.ProviderID != "":
		a.Provider = store.Provider{ID: d.ProviderID, Name: d.Provider}
	case f.Provider != nil:
		a.Provider = store.Provider{ID: f.Provider.ID, Name: f.Provider.Name}
	}
	if f.TestsDone() {
		a.Record([]probe.Result{f.Results[probe.Incoming], f.Results[probe.Outgoing]}, f.TestedAt)
	}
	return a
}

// source is where the chosen servers came from: the detection's source
// when both are among the servers it found, else mailbox.SourceManual (typed in
// the form, or nothing was found).
func (f *Flow) source() mailbox.Source {
	d := f.Detection
	if d == nil || d.Source == "" {
		return mailbox.SourceManual
	}
	found := append(fillUser(d.Incoming, f.Email), fillUser(d.Outgoing, f.Email)...)
	for _, s := range []probe.Server{f.Incoming.Server(), f.Outgoing.Server()} {
		if !slices.Contains(found, s) {
			return mailbox.SourceManual
		}
	}
	return d.Source
}

func chosenFirst(c Choice) []probe.Server {
	if len(c.Servers) == 0 {
		return nil
	}
	out := []probe.Server{c.Server()}
	for i, s := range c.Servers {
		if i != c.Selected {
			out = append(out, s)
		}
	}
	return out
}

// SavedResult records the end of saving. withPassword says whether the password
// went to the keyring.
func (f *Flow) SavedResult(err error, withPassword bool) {
	if f.step != StepSave {
		return
	}
	f.SaveErr = err
	if err == nil {
		f.Saved = true
		f.PasswordStored = withPassword
		f.goTo(StepDone)
	}
}

// RetrySave tries saving again after a failure.
func (f *Flow) RetrySave() (Effect, error) {
	if f.step != StepSave || f.SaveErr == nil {
		return NoEffect, ErrNotNow
	}
	f.SaveErr = nil
	return StartSave, nil
}

// SaveWithoutPassword saves the settings alone when the keyring is
// unavailable; the person gives the password to the mail program.
func (f *Flow) SaveWithoutPassword() (Effect, error) {
	if f.step != StepSave || !KeyringUnavailable(f.SaveErr) {
		return NoEffect, ErrNotNow
	}
	f.SaveErr = nil
	return StartSaveWithoutPassword, nil
}

// Finish ends the flow from the summary.
func (f *Flow) Finish() (Effect, error) {
	if f.step != StepDone {
		return NoEffect, ErrNotNow
	}
	return Quit, nil
}

// Running is the slow work under way: a detection, or tests still without
// both results.
func (f *Flow) Running() []Effect {
	var work []Effect
	if f.Detecting {
		work = append(work, StartDetect)
	}
	if f.step == StepTest && f.Results != nil && !f.TestsDone() {
		work = append(work, StartTest)
	}
	if f.Sending {
		work = append(work, StartSendTest)
	}
	return work
}

// Interrupt abandons the work under way, whose late results are then
// ignored, and returns what Resume may start again: not a test message,
// which the server may have taken already and which is sent again only
// when the person asks.
func (f *Flow) Interrupt() []Effect {
	var work []Effect
	for _, e := range f.Running() {
		if e != StartSendTest {
			work = append(work, e)
		}
	}
	f.abandonSend()
	for _, e := range work {
		switch e {
		case StartDetect:
			f.DetectRun++
			f.Detecting = false
		case StartTest:
			f.TestRun++
		}
	}
	return work
}

// Resume starts again the work that Interrupt abandoned.
func (f *Flow) Resume(work []Effect) []Effect {
	for _, e := range work {
		switch e {
		case StartDetect:
			f.DetectRun++
			f.Detecting = true
			f.Sources = nil
		case StartTest:
			f.startTest()
		}
	}
	return work
}
