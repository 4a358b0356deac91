// Package wizard is the account set-up as plain Go: its steps, what moves
// between them and what each step checks. It knows nothing of the terminal;
// ui drives the same Flow full-screen or line by line, and runs the slow
// work (detection, live tests, saving) that a Flow asks for with an Effect.
//
// The steps and the moves between them are written once, in stepGraph;
// going back retraces the moves made.
package wizard

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
	"github.com/postino/postino/wizard/signin"
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
	StepSignIn               // signing in with the provider (OAuth2) instead of a password
	StepDetect               // finding the settings
	StepReview               // the settings found, and their alternatives
	StepEdit                 // the settings, by hand
	StepTest                 // live tests of both servers
	StepTrust                // confirming a certificate to trust by fingerprint
	StepSave                 // saving, or what stopped it
	StepDone                 // summary
)

var stepNames = [...]string{"welcome", "protocol", "address", "hint", "password", "signin", "detect", "review", "edit", "test", "trust", "save", "done"}

func (s Step) String() string {
	if int(s) < len(stepNames) {
		return stepNames[s]
	}
	return "step?"
}

// stepGraph is every forward move of the wizard: from each step, the steps
// its actions lead to. Back retraces these moves; nothing else moves the
// flow. TestStepGraph takes every edge through the Flow's methods.
var stepGraph = map[Step][]Step{
	StepWelcome:  {StepProtocol},                                     // Start
	StepProtocol: {StepAddress},                                      // ChooseProtocol (asked again: back to the address, then on)
	StepAddress:  {StepProtocol, StepHint, StepPassword, StepSignIn}, // SubmitAddress (the provider offers another protocol; advice; none; OAuth2)
	StepHint:     {StepPassword, StepSignIn},                         // ContinueHint
	StepPassword: {StepDetect},                                       // SubmitPassword (after ReenterPassword it retraces to the test)
	StepSignIn:   {StepDetect, StepPassword},                         // SignedIn, UsePassword
	StepDetect:   {StepReview, StepEdit},                             // ContinueDetect (found; nothing usable)
	StepReview:   {StepTest, StepEdit},                               // Test, Edit
	StepEdit:     {StepReview},                                       // SubmitEdit
	StepTest:     {StepEdit, StepTrust, StepSave, StepPassword},      // Edit, AskTrust, Save, SaveAnyway, ReenterPassword
	StepTrust:    {StepTest},                                         // ConfirmTrust
	StepSave:     {StepDone},                                         // SavedResult
	StepDone:     nil,                                                // Finish quits
}

// stepNumbers count the steps as the person sees them, "step N of M": the
// provider's advice belongs to the password it comes before, the sign-in
// stands for the password, and the form and the trust question belong to
// the step they open from. TestStepNumbers walks every path of stepGraph:
// a move forward never skips a number, and every path to the summary
// passes every number.
var stepNumbers = map[Step]int{
	StepWelcome: 1, StepProtocol: 2, StepAddress: 3,
	StepHint: 4, StepPassword: 4, StepSignIn: 4,
	StepDetect: 5, StepReview: 6, StepEdit: 6,
	StepTest: 7, StepTrust: 7, StepSave: 8, StepDone: 9,
}

// Number is the step's place in the counter shown to the person.
func (s Step) Number() int { return stepNumbers[s] }

// LastNumber is the counter's last number, the summary's.
func LastNumber() int { return stepNumbers[StepDone] }

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
	StartSignIn
	// StartCheckAddress asks DNS whether a domain that looks like a typo
	// of a known provider's receives mail; the front end reports with
	// CheckedAddress.
	StartCheckAddress
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

// DetectRun is one detection: its number (so that the end of a replaced
// run is ignored), whether it still runs, each source's progress, and what
// it found or why it failed. Result is nil until it ends.
type DetectRun struct {
	Run     int
	Running bool
	Sources []mailbox.SourceEvent
	Result  *mailbox.Detection
	Err     error
}

// TestRun is one live test of both servers: its number, each role's
// outcome, every server each role tried (a server that fails is followed
// by the role's next alternative, as in postino test), the server under
// test and the steps its test has finished so far, and when both ended.
// Results is nil before the first run.
type TestRun struct {
	Run     int
	Results map[probe.Role]probe.Result
	Tries   map[probe.Role][]probe.Result
	Testing map[probe.Role]probe.Server
	Steps   map[probe.Role][]probe.Step
	EndedAt time.Time
}

// SendRun is a test message to the person's own address: its number,
// whether it is going out, and the latest outcome, sent at SentAt.
type SendRun struct {
	Run     int
	Sending bool
	Outcome *probe.Result
	SentAt  time.Time
}

// SignInRun is one OAuth2 sign-in: its number, whether it waits for the
// person, what the person must do (the address to open and, for the
// device flow, the code; nil until the provider answered) and why the
// latest one failed.
type SignInRun struct {
	Run     int
	Running bool
	Prompt  *signin.DevicePrompt
	Err     error
}

// TypoCheck is the check of an address whose domain looks like a typo of
// a known provider's (gmial.com): its number, whether DNS is being asked,
// the address checked, and the address probably meant, once the check
// found that the typed domain receives no mail.
type TypoCheck struct {
	Run      int
	Checking bool
	Address  string
	Meant    string
	// known is the provider's domain the address may be a typo of.
	known string
}

// Suggester finds the known domain a typed one is probably a typo of;
// *providers.DB is one. A ProviderFinder that is one lets the address
// step ask "did you mean".
type Suggester interface {
	Suggest(domain string) (string, bool)
}

// Flow is the state of one account set-up. It changes only through its
// methods; the front ends read it through the others.
type Flow struct {
	step Step
	back []Step // the moves that led here, retraced by Back

	accounts []store.Account
	// same is the question asked when the address is a saved account's.
	same sameAddress

	protocol probe.Protocol
	// offered is what the provider offers for reading mail; nil when the
	// provider is not known yet, meaning both.
	offered []probe.Protocol
	// reasked is set when the address's provider did not offer the chosen
	// protocol and the flow came back to ask again.
	reasked bool

	address  mailbox.Address
	email    string
	name     string // the display name, optional
	typo     TypoCheck
	provider *providers.Provider
	password string
	// token and refresh are the access and refresh tokens of an OAuth2
	// sign-in, secrets kept as the password is; usePassword is set when
	// the person chose a password at a provider that prefers OAuth2.
	token, refresh string
	usePassword    bool
	signIn         SignInRun

	detect DetectRun

	incoming, outgoing Choice
	// edited is set once the person changed the settings by hand.
	edited bool

	test TestRun
	// pins are certificates the person chose to trust; trustRole is the
	// server whose certificate StepTrust asks about.
	pins      []probe.Pin
	trustRole probe.Role

	send SendRun

	saveErr error
	saved   bool
	// passwordStored is false when the account was saved without its
	// password because the keyring was unavailable.
	passwordStored bool

	finder ProviderFinder
}

// New starts a flow at the welcome step.
func New() *Flow {
	return &Flow{step: StepWelcome, protocol: probe.IMAP}
}

// Step is where the flow is.
func (f *Flow) Step() Step { return f.step }

// SetProviders gives the flow the provider list once it is loaded.
func (f *Flow) SetProviders(p ProviderFinder) { f.finder = p }

// SetAccounts records the saved accounts once they are loaded.
func (f *Flow) SetAccounts(a []store.Account) { f.accounts = a }

// Accounts are the saved accounts, once loaded.
func (f *Flow) Accounts() []store.Account { return f.accounts }

// Protocol is the chosen way of reading mail, IMAP unless chosen otherwise.
func (f *Flow) Protocol() probe.Protocol { return f.protocol }

// Reasked reports whether the address's provider did not offer the chosen
// protocol and the flow came back to ask again.
func (f *Flow) Reasked() bool { return f.reasked }

// Address is the parsed address; Email is how a person reads it.
func (f *Flow) Address() mailbox.Address { return f.address }

// Email is the address as a person reads it; "" before one is given.
func (f *Flow) Email() string { return f.email }

// Provider is the address's provider in the list; nil when unknown.
func (f *Flow) Provider() *providers.Provider { return f.provider }

// Password is the password the person gave.
func (f *Flow) Password() string { return f.password }

// Detect is the latest detection.
func (f *Flow) Detect() DetectRun { return f.detect }

// Incoming is the incoming servers to choose from, and the one chosen.
func (f *Flow) Incoming() Choice { return f.incoming }

// Outgoing is the outgoing servers to choose from, and the one chosen.
func (f *Flow) Outgoing() Choice { return f.outgoing }

// Edited reports whether the person changed the settings by hand.
func (f *Flow) Edited() bool { return f.edited }

// Tests is the latest live test.
func (f *Flow) Tests() TestRun { return f.test }

// Pins are the certificates the person chose to trust.
func (f *Flow) Pins() []probe.Pin { return f.pins }

// TrustRole is the server whose certificate StepTrust asks about.
func (f *Flow) TrustRole() probe.Role { return f.trustRole }

// Message is the latest test message.
func (f *Flow) Message() SendRun { return f.send }

// SaveErr is why saving failed; nil while none failed.
func (f *Flow) SaveErr() error { return f.saveErr }

// Saved reports whether the account is saved.
func (f *Flow) Saved() bool { return f.saved }

// PasswordStored reports whether the saved account's password went to the
// keyring.
func (f *Flow) PasswordStored() bool { return f.passwordStored }

// Unsaved reports whether quitting now would lose what the person typed.
func (f *Flow) Unsaved() bool {
	return f.email != "" && !f.saved
}

// goTo moves forward to s, remembering where the flow was for Back. A move
// that stepGraph does not have is a bug in the flow, caught by its tests.
func (f *Flow) goTo(s Step) {
	if !slices.Contains(stepGraph[f.step], s) {
		panic(fmt.Sprintf("wizard: no move from %v to %v", f.step, s))
	}
	f.back = append(f.back, f.step)
	f.step = s
}

// retrace returns to the step the latest move came from.
func (f *Flow) retrace() {
	f.step = f.back[len(f.back)-1]
	f.back = f.back[:len(f.back)-1]
}

// rewind returns to the latest time the flow was at s, forgetting the
// moves made since.
func (f *Flow) rewind(s Step) {
	i := slices.Index(f.back, s)
	f.step, f.back = s, f.back[:i]
}

// Back returns to the previous step; at the welcome step there is none.
func (f *Flow) Back() error {
	if len(f.back) == 0 || f.step == StepDone || f.step == StepSave && f.saved {
		return ErrNotNow
	}
	f.abandonSend()
	f.abandonSignIn()
	f.abandonCheck()
	f.retrace()
	return nil
}

// abandonCheck forgets an address check under way: its late answer is
// then ignored, and the address is checked again when given again.
func (f *Flow) abandonCheck() {
	if f.typo.Checking {
		f.typo = TypoCheck{Run: f.typo.Run + 1}
	}
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
	if len(f.offered) > 0 {
		return f.offered
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
	f.protocol = p
	if f.reasked {
		f.reasked = false
		f.retrace() // to the address, which was given already
		f.afterAddress()
		return NoEffect, nil
	}
	f.goTo(StepAddress)
	return NoEffect, nil
}

// SubmitAddress takes the address, finds its provider in the list and
// starts detection. A provider that does not offer the chosen protocol
// brings the flow back to the protocol step, showing only what it offers.
// An address whose domain looks like a typo of a known provider's is
// first checked (StartCheckAddress): the flow stays at the address until
// CheckedAddress; the same address submitted again is taken as typed.
func (f *Flow) SubmitAddress(raw string) (Effect, error) {
	if f.step != StepAddress {
		return NoEffect, ErrNotNow
	}
	a, err := mailbox.ParseAddress(raw)
	if err != nil {
		return NoEffect, err
	}
	if err := f.checkSaved(a, raw); err != nil {
		return NoEffect, err
	}
	if s, ok := f.finder.(Suggester); ok && f.typo.Address != a.String() {
		if known, ok := s.Suggest(a.ASCIIDomain); ok {
			f.typo = TypoCheck{Run: f.typo.Run + 1, Checking: true, Address: a.String(), known: known}
			return StartCheckAddress, nil
		}
	}
	// Taken as typed: the question, if any, is answered.
	f.typo.Checking, f.typo.Meant = false, ""
	return f.takeAddress(a), nil
}

// Typo is the latest check of an address that looked like a typo.
func (f *Flow) Typo() TypoCheck { return f.typo }

// CheckedAddress records DNS's answer for the domain of check run: with
// no mail there (or, when DNS could not tell, a domain that cannot
// exist) the flow stays at the address and Typo().Meant is the address
// probably meant; otherwise it goes on with the address as typed.
func (f *Flow) CheckedAddress(run int, hasMail bool, dnsErr error) (Effect, error) {
	if run != f.typo.Run || !f.typo.Checking || f.step != StepAddress {
		return NoEffect, ErrNotNow
	}
	f.typo.Checking = false
	a, err := mailbox.ParseAddress(f.typo.Address)
	if err != nil {
		return NoEffect, err
	}
	if providers.OfferSuggestion(a.ASCIIDomain, hasMail, dnsErr) {
		f.typo.Meant = a.Local + "@" + f.typo.known
		return NoEffect, nil
	}
	return f.takeAddress(a), nil
}

// takeAddress takes a parsed address and moves on from the address step.
func (f *Flow) takeAddress(a mailbox.Address) Effect {
	if a.String() != f.email || f.detect.Err != nil {
		f.resetDetection()
	}
	f.address, f.email = a, a.String()
	f.provider, f.offered = nil, nil
	f.token, f.usePassword = "", false
	if f.finder != nil {
		if p, ok := f.finder.ByDomain(a.ASCIIDomain); ok {
			f.provider = p
			f.offered = offered(p)
		}
	}
	effect := NoEffect
	if !f.detect.Running && f.detect.Result == nil {
		f.detect.Run++
		f.detect.Running = true
		effect = StartDetect
	}
	if !slices.Contains(f.Protocols(), f.protocol) {
		f.protocol = f.Protocols()[0]
		f.reasked = true
		f.goTo(StepProtocol)
		return effect
	}
	f.afterAddress()
	return effect
}

// afterAddress goes to the provider's advice if it has some, else to the
// password or the sign-in.
func (f *Flow) afterAddress() {
	if f.provider != nil && len(f.provider.Hints) > 0 {
		f.goTo(StepHint)
		return
	}
	f.goTo(f.credentialStep())
}

// credentialStep is the sign-in for a provider that prefers OAuth2, else
// the password.
func (f *Flow) credentialStep() Step {
	if f.provider != nil && f.provider.Auth == probe.AuthOAuth2 {
		return StepSignIn
	}
	return StepPassword
}

func (f *Flow) resetDetection() {
	f.detect.Result, f.detect.Err, f.detect.Sources = nil, nil, nil
	f.detect.Running = false
	f.incoming, f.outgoing, f.edited = Choice{}, Choice{}, false
	f.test.Results, f.pins = nil, nil
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

// ContinueHint leaves the provider's advice for the password, or the
// sign-in.
func (f *Flow) ContinueHint() error {
	if f.step != StepHint {
		return ErrNotNow
	}
	f.goTo(f.credentialStep())
	return nil
}

// SubmitPassword takes the password and shows the detection; a password
// typed again after the server refused it (ReenterPassword) goes straight
// to a new test.
func (f *Flow) SubmitPassword(pw string) (Effect, error) {
	if f.step != StepPassword {
		return NoEffect, ErrNotNow
	}
	if err := CheckPassword(pw); err != nil {
		return NoEffect, err
	}
	f.password, f.token, f.refresh = pw, "", ""
	f.setAuth()
	if f.back[len(f.back)-1] == StepTest {
		f.retrace() // to the test that refused the password, which runs again
		f.startTest()
		return StartTest, nil
	}
	f.goTo(StepDetect)
	return NoEffect, nil
}

// PasswordRefused reports whether the latest test ended with a server
// refusing the password, which ReenterPassword then asks again.
func (f *Flow) PasswordRefused() bool {
	if !f.TestsDone() || f.token != "" {
		return false
	}
	for _, r := range f.test.Results {
		if r.Code == probe.CodeAuthFailed {
			return true
		}
	}
	return false
}

// ReenterPassword goes from a test whose password was refused to the
// password, with one key; the new password is tested at once.
func (f *Flow) ReenterPassword() error {
	if f.step != StepTest || !f.PasswordRefused() || f.send.Sending {
		return ErrNotNow
	}
	f.goTo(StepPassword)
	return nil
}

// SignInConfigured reports whether postino can sign in with the
// provider: it has a client ID for it.
func (f *Flow) SignInConfigured() bool {
	return f.provider != nil && f.provider.OAuth2 != nil && f.provider.OAuth2.ClientID != ""
}

// SignInConfig is the provider's sign-in as wizard/signin takes it.
func SignInConfig(o *providers.OAuth2) signin.Config {
	return signin.Config{
		ClientID: o.ClientID, ClientSecret: o.ClientSecret,
		DeviceAuthorizationURL: o.DeviceAuthorizationURL, AuthorizationURL: o.AuthorizationURL,
		TokenURL: o.TokenURL, Scopes: o.Scopes,
	}
}

// SignIn is the latest sign-in.
func (f *Flow) SignIn() SignInRun { return f.signIn }

// StartSignIn starts a sign-in with the provider, once none is under way
// and postino has a client ID for it.
func (f *Flow) StartSignIn() (Effect, error) {
	if f.step != StepSignIn || f.signIn.Running || !f.SignInConfigured() {
		return NoEffect, ErrNotNow
	}
	f.signIn.Run++
	f.signIn.Running = true
	f.signIn.Prompt, f.signIn.Err = nil, nil
	return StartSignIn, nil
}

// Prompted records what the person must do to approve sign-in run.
func (f *Flow) Prompted(run int, p signin.DevicePrompt) {
	if run != f.signIn.Run || !f.signIn.Running {
		return
	}
	f.signIn.Prompt = &p
}

// SignedIn records the end of sign-in run: with the access token, the
// flow goes on to the detection; with an error, it stays to say why.
func (f *Flow) SignedIn(run int, tok signin.Token, err error) {
	if run != f.signIn.Run || !f.signIn.Running || f.step != StepSignIn {
		return
	}
	f.signIn.Running = false
	if err == nil && tok.AccessToken == "" {
		err = errors.New("the provider gave no access token")
	}
	f.signIn.Err = err
	if err != nil {
		return
	}
	f.token, f.refresh, f.password = tok.AccessToken, tok.RefreshToken, ""
	f.setAuth()
	f.goTo(StepDetect)
}

// abandonSignIn forgets a sign-in under way; its late end is then ignored.
func (f *Flow) abandonSignIn() {
	if f.signIn.Running {
		f.signIn.Run++
		f.signIn.Running = false
		f.signIn.Prompt = nil
	}
}

// CancelSignIn stops waiting for the sign-in; the person may start it again.
func (f *Flow) CancelSignIn() error {
	if f.step != StepSignIn || !f.signIn.Running {
		return ErrNotNow
	}
	f.abandonSignIn()
	f.signIn.Err = context.Canceled
	return nil
}

// PasswordAuth is how the provider takes a password instead of OAuth2
// (a password or an app password), and whether it takes one at all.
func (f *Flow) PasswordAuth() (probe.Auth, bool) {
	if f.provider == nil {
		return probe.AuthPassword, true
	}
	for _, a := range f.provider.Auths {
		if a != probe.AuthOAuth2 {
			return a, true
		}
	}
	return "", false
}

// UsePassword leaves the sign-in for the password, where the provider
// also takes one.
func (f *Flow) UsePassword() error {
	if _, ok := f.PasswordAuth(); f.step != StepSignIn || !ok {
		return ErrNotNow
	}
	f.abandonSignIn()
	f.usePassword = true
	f.goTo(StepPassword)
	return nil
}

// SignedInWithOAuth2 reports whether the tests log in with an access token
// rather than a password.
func (f *Flow) SignedInWithOAuth2() bool { return f.token != "" }

// RefreshToken is the refresh token of the sign-in, saved in the keyring
// with the account.
func (f *Flow) RefreshToken() string { return f.refresh }

// Savable reports whether the account can be kept: always with a
// password; after a sign-in only with a refresh token, without which no
// program could sign in again later.
func (f *Flow) Savable() bool { return f.token == "" || f.refresh != "" }

// setAuth makes the candidate servers log in as the person chose: with
// the access token after a sign-in, else with the provider's kind of
// password where detection said OAuth2.
func (f *Flow) setAuth() {
	for _, c := range []*Choice{&f.incoming, &f.outgoing} {
		c.Servers = slices.Clone(c.Servers)
		for i := range c.Servers {
			c.Servers[i].Auth = f.loginAuth(c.Servers[i].Auth)
		}
	}
}

// loginAuth is how a server that says auth logs in, given what the person
// chose.
func (f *Flow) loginAuth(auth probe.Auth) probe.Auth {
	switch {
	case f.token != "":
		return probe.AuthOAuth2
	case auth == probe.AuthOAuth2 && (f.password != "" || f.usePassword):
		if a, ok := f.PasswordAuth(); ok {
			return a
		}
	}
	return auth
}

// Progress records a detection source starting or finishing.
func (f *Flow) Progress(run int, ev mailbox.SourceEvent) {
	if run != f.detect.Run {
		return
	}
	for i := range f.detect.Sources {
		if f.detect.Sources[i].Source == ev.Source {
			f.detect.Sources[i] = ev
			return
		}
	}
	f.detect.Sources = append(f.detect.Sources, ev)
}

// Detected records the end of detection run. The candidates are the
// servers of the chosen protocol, or every incoming server when none is of
// that protocol.
func (f *Flow) Detected(run int, d mailbox.Detection, err error) {
	if run != f.detect.Run {
		return
	}
	f.detect.Running = false
	f.detect.Err = err
	if err != nil {
		d = mailbox.Detection{}
	}
	f.detect.Result = &d
	var in []probe.Server
	for _, s := range d.Incoming {
		if s.Protocol == f.protocol {
			in = append(in, s)
		}
	}
	if len(in) == 0 {
		in = d.Incoming
	}
	f.incoming = Choice{Servers: fillUser(in, f.email)}
	f.outgoing = Choice{Servers: fillUser(d.Outgoing, f.email)}
	f.setAuth()
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
	return len(f.incoming.Servers) > 0 && len(f.outgoing.Servers) > 0
}

// ContinueDetect leaves the finished detection for the review, or for the
// form when nothing usable was found.
func (f *Flow) ContinueDetect() error {
	if f.step != StepDetect || f.detect.Running || f.detect.Result == nil {
		return ErrNotNow
	}
	if f.Found() {
		f.goTo(StepReview)
		return nil
	}
	f.goTo(StepEdit)
	return nil
}

// RetryDetect starts the detection again after it failed, such as when
// the network was down.
func (f *Flow) RetryDetect() (Effect, error) {
	if f.step != StepDetect || f.detect.Running || f.detect.Err == nil {
		return NoEffect, ErrNotNow
	}
	f.resetDetection()
	f.detect.Run++
	f.detect.Running = true
	return StartDetect, nil
}

// Choose picks one of a role's alternatives on the review step.
func (f *Flow) Choose(role probe.Role, i int) error {
	c := f.choice(role)
	if f.step != StepReview || i < 0 || i >= len(c.Servers) {
		return ErrNotNow
	}
	c.Selected = i
	f.test.Results = nil
	return nil
}

func (f *Flow) choice(role probe.Role) *Choice {
	if role == probe.Outgoing {
		return &f.outgoing
	}
	return &f.incoming
}

// Edit opens the form on the chosen settings, from the review or after a
// test.
func (f *Flow) Edit() error {
	if f.step != StepReview && !(f.step == StepTest && f.TestsDone() && !f.send.Sending) {
		return ErrNotNow
	}
	f.goTo(StepEdit)
	return nil
}

// Form is the chosen settings as the edit form shows them; when nothing was
// found, a guess from the address's domain.
func (f *Flow) Form() (in, out ServerForm) {
	domain := f.address.ASCIIDomain
	inS, outS := f.incoming.Server(), f.outgoing.Server()
	if inS.Host == "" {
		inS = probe.Server{Protocol: f.protocol, Host: hostFor(f.protocol, domain), Security: probe.TLS}
		inS.Port = probe.DefaultPort(inS.Protocol, inS.Security)
	}
	if outS.Host == "" {
		outS = probe.Server{Protocol: probe.SMTP, Host: "smtp." + domain, Port: 587, Security: probe.StartTLS}
	}
	if inS.Username == "" {
		inS.Username = f.email
	}
	if outS.Username == "" {
		outS.Username = f.email
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
	// The form does not show how to log in: an edited server logs in as
	// the one it replaces did (an app password stays one).
	inS.Auth = cmp.Or(f.incoming.Server().Auth, inS.Auth)
	outS.Auth = cmp.Or(f.outgoing.Server().Auth, outS.Auth)
	if inS != f.incoming.Server() || outS != f.outgoing.Server() {
		// Only a change makes the settings the person's own.
		f.incoming = replaceChosen(f.incoming, inS)
		f.outgoing = replaceChosen(f.outgoing, outS)
		f.edited = true
		f.test.Results = nil
	}
	// Going back from the review returns to the detection, however many
	// edits and tests came between.
	f.rewind(StepDetect)
	f.goTo(StepReview)
	return nil
}

// IncomingProtocol is the protocol of the chosen incoming server, or the
// chosen protocol when there is no server yet.
func (f *Flow) IncomingProtocol() probe.Protocol {
	if s := f.incoming.Server(); s.Protocol != "" {
		return s.Protocol
	}
	return f.protocol
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
	case f.step == StepTest && f.TestsDone() && !f.send.Sending:
	default:
		return NoEffect, ErrNotNow
	}
	f.startTest()
	return StartTest, nil
}

// startTest begins a new test run, forgetting the last one's results.
func (f *Flow) startTest() {
	f.test.Run++
	f.test.Results = map[probe.Role]probe.Result{}
	f.test.Tries = map[probe.Role][]probe.Result{}
	f.test.Testing = map[probe.Role]probe.Server{}
	f.test.Steps = map[probe.Role][]probe.Step{}
	f.abandonSend()
	f.send.Outcome = nil
}

// Stepped records a step that role's test of run has finished.
func (f *Flow) Stepped(run int, role probe.Role, st probe.Step) {
	if run != f.test.Run || f.test.Steps == nil {
		return
	}
	f.test.Steps[role] = append(f.test.Steps[role], st)
}

// Options are the probe options for the chosen servers: the password and
// the certificates trusted by fingerprint.
func (f *Flow) Options() *probe.Options {
	return &probe.Options{Username: f.email, Password: f.password, AccessToken: f.token, Pins: slices.Clone(f.pins)}
}

// TestOrder is the order role's servers are tried in: the chosen one,
// then the alternatives. The alternatives of a detection nobody vouches
// for (DNS, plain HTTP, guesses) are not tried: the person confirmed only
// the server chosen on the review, and only that one gets the password
// (MayReceivePassword).
func (f *Flow) TestOrder(role probe.Role) []probe.Server {
	order := chosenFirst(*f.choice(role))
	if len(order) > 1 && !MayReceivePassword(f.detect.Result, false) {
		return order[:1]
	}
	return order
}

// Trying records that role's test of run has begun with server s.
func (f *Flow) Trying(run int, role probe.Role, s probe.Server) {
	if run != f.test.Run || f.test.Testing == nil {
		return
	}
	f.test.Testing[role] = s
	f.test.Steps[role] = nil
}

// Tried records a server of test run that failed, after which the role's
// next alternative is tried.
func (f *Flow) Tried(run int, r probe.Result) {
	if run != f.test.Run || f.test.Tries == nil {
		return
	}
	f.test.Tries[r.Role] = append(f.test.Tries[r.Role], r)
}

// Tested records the last server a role tried in test run. The role's
// outcome is the server that passed, which becomes the chosen one; when
// none did, the one that got furthest (the earliest of those), whose
// diagnosis says the most.
func (f *Flow) Tested(run int, r probe.Result) {
	if run != f.test.Run || f.test.Results == nil {
		return
	}
	tries := append(f.test.Tries[r.Role], r)
	f.test.Tries[r.Role] = tries
	outcome := r
	if !r.OK {
		outcome = tries[0]
		for _, t := range tries[1:] {
			if reach(t) > reach(outcome) {
				outcome = t
			}
		}
	}
	c := f.choice(r.Role)
	if i := slices.IndexFunc(c.Servers, func(s probe.Server) bool { return sameServer(s, outcome.Server) }); i >= 0 {
		c.Selected = i
	}
	f.test.Results[r.Role] = outcome
	if f.TestsDone() {
		f.test.EndedAt = time.Now()
	}
}

// reach is how far a failed test got: 3 the login was refused, 2 TLS
// was up with a certificate accepted, 1 connected, 0 not even that.
func reach(r probe.Result) int {
	switch {
	case r.Failure != nil && r.Failure.Step == "login":
		return 3
	case r.TLS != nil && (r.TLS.Verified || r.TLS.Pinned):
		return 2
	case slices.ContainsFunc(r.Steps, func(st probe.Step) bool { return st.Name == "connect" }):
		return 1
	}
	return 0
}

// sameServer reports whether a and b are the same place to connect to.
func sameServer(a, b probe.Server) bool {
	return a.Protocol == b.Protocol && strings.EqualFold(a.Host, b.Host) && a.Port == b.Port && a.Security == b.Security
}

// AllTries is every server both roles tried in the latest test, incoming
// first.
func (f *Flow) AllTries() []probe.Result {
	return append(slices.Clone(f.test.Tries[probe.Incoming]), f.test.Tries[probe.Outgoing]...)
}

// TestsDone reports whether both roles have a result.
func (f *Flow) TestsDone() bool {
	return len(f.test.Results) == 2
}

// Passed reports whether both servers passed.
func (f *Flow) Passed() bool {
	return f.TestsDone() && f.test.Results[probe.Incoming].OK && f.test.Results[probe.Outgoing].OK
}

// Trustable is the role whose certificate may be trusted by fingerprint:
// one that failed only because no trusted authority issued it. The pins
// of a wizard's session are the ones the person chose in it, so another
// server's certificate that none of them matches (certificate_changed)
// is also offered.
func (f *Flow) Trustable() (probe.Role, bool) {
	if !f.TestsDone() {
		return "", false
	}
	for _, role := range []probe.Role{probe.Incoming, probe.Outgoing} {
		r := f.test.Results[role]
		if (r.Code == probe.CodeCertificateUntrusted || r.Code == probe.CodeCertificateChanged) && r.TLS != nil && r.TLS.Certificate != nil && r.TLS.Certificate.SHA256 != "" {
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
	f.trustRole = role
	f.goTo(StepTrust)
	return nil
}

// TrustCertificate is the certificate StepTrust asks about.
func (f *Flow) TrustCertificate() *probe.CertInfo {
	r, ok := f.test.Results[f.trustRole]
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
	if !slices.Contains(f.pins, pin) {
		f.pins = append(f.pins, pin)
	}
	f.retrace()
	return f.Test()
}

// SendTest sends a test message from the address to itself through the
// outgoing server, once both tests passed; the front end reports its end
// with SentTest.
func (f *Flow) SendTest() (Effect, error) {
	if f.step != StepTest || !f.Passed() || f.send.Sending {
		return NoEffect, ErrNotNow
	}
	f.send.Run++
	f.send.Sending = true
	f.send.Outcome = nil
	return StartSendTest, nil
}

// TestMessage is the message SendTest asks for, in lang.
func (f *Flow) TestMessage(lang probe.Lang) probe.Message {
	return probe.Message{Address: f.email, Name: f.name, Lang: lang}
}

// SentTest records the outcome of test message run.
func (f *Flow) SentTest(run int, r probe.Result) {
	if run != f.send.Run || !f.send.Sending {
		return
	}
	f.send.Sending = false
	f.send.Outcome = &r
	f.send.SentAt = time.Now()
}

// abandonSend forgets a test message under way; its late outcome is then
// ignored.
func (f *Flow) abandonSend() {
	if f.send.Sending {
		f.send.Run++
		f.send.Sending = false
	}
}

// Save goes on to saving once both tests passed. An account signed in
// with OAuth2 is saved with its refresh token, when the provider gave one.
func (f *Flow) Save() (Effect, error) {
	if f.step != StepTest || !f.Passed() || f.send.Sending || !f.Savable() {
		return NoEffect, ErrNotNow
	}
	f.goTo(StepSave)
	f.saveErr = nil
	return StartSave, nil
}

// SaveAnyway saves after a test that failed, for a person setting up
// offline or behind a firewall that blocks the servers from here: the
// account is kept marked as not verified (store.Account.Unverified).
func (f *Flow) SaveAnyway() (Effect, error) {
	if f.step != StepTest || !f.TestsDone() || f.Passed() || f.send.Sending || !f.Savable() {
		return NoEffect, ErrNotNow
	}
	f.goTo(StepSave)
	f.saveErr = nil
	return StartSave, nil
}

// Account is what is saved: the chosen servers first, then the
// alternatives; the provider and where the settings came from; the
// latest test, and whether it passed (an account saved anyway after a
// failed test is marked as not verified).
func (f *Flow) Account() store.Account {
	a := store.Account{
		Name:        f.AccountName(),
		Address:     f.email,
		Beside:      f.keptBeside(),
		DisplayName: f.name,
		Incoming:    chosenFirst(f.incoming),
		Outgoing:    chosenFirst(f.outgoing),
		Pins:        slices.Clone(f.pins),
	}
	var results []probe.Result
	if f.TestsDone() {
		results = f.AllTries()
	}
	if f.token != "" && f.provider != nil && f.provider.OAuth2 != nil {
		a.OAuth2 = AccountOAuth2(f.provider.OAuth2)
	}
	a.Unverified = !f.Passed()
	return SavedAccount(a, f.origin(), results, f.test.EndedAt)
}

// origin is where the chosen servers came from: the detection, while both
// are among the servers it found, else the person (typed in the form, or
// nothing was found); the provider is the detection's, else the one the
// domain names.
func (f *Flow) origin() Origin {
	o := Origin{Source: mailbox.SourceManual}
	if d := f.detect.Result; d != nil {
		o = DetectedOrigin(*d)
		found := append(fillUser(d.Incoming, f.email), fillUser(d.Outgoing, f.email)...)
		if !slices.Contains(found, f.incoming.Server()) || !slices.Contains(found, f.outgoing.Server()) {
			o = o.Given()
		}
	}
	if o.Provider.ID == "" && f.provider != nil {
		o.Provider = store.Provider{ID: f.provider.ID, Name: f.provider.Name}
	}
	return o
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
	f.saveErr = err
	if err == nil {
		f.saved = true
		f.passwordStored = withPassword
		f.goTo(StepDone)
	}
}

// RetrySave tries saving again after a failure.
func (f *Flow) RetrySave() (Effect, error) {
	if f.step != StepSave || f.saveErr == nil {
		return NoEffect, ErrNotNow
	}
	f.saveErr = nil
	return StartSave, nil
}

// SaveWithoutPassword saves the settings alone when the keyring is
// unavailable; the person gives the password to the mail program.
func (f *Flow) SaveWithoutPassword() (Effect, error) {
	if f.step != StepSave || !KeyringUnavailable(f.saveErr) {
		return NoEffect, ErrNotNow
	}
	f.saveErr = nil
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
	if f.detect.Running {
		work = append(work, StartDetect)
	}
	if f.step == StepTest && f.test.Results != nil && !f.TestsDone() {
		work = append(work, StartTest)
	}
	if f.send.Sending {
		work = append(work, StartSendTest)
	}
	if f.signIn.Running {
		work = append(work, StartSignIn)
	}
	if f.typo.Checking && f.step == StepAddress {
		work = append(work, StartCheckAddress)
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
			f.detect.Run++
			f.detect.Running = false
		case StartTest:
			f.test.Run++
		case StartSignIn:
			f.abandonSignIn()
		case StartCheckAddress:
			f.typo.Run++
			f.typo.Checking = false
		}
	}
	return work
}

// Resume starts again the work that Interrupt abandoned.
func (f *Flow) Resume(work []Effect) []Effect {
	for _, e := range work {
		switch e {
		case StartDetect:
			f.detect.Run++
			f.detect.Running = true
			f.detect.Sources = nil
		case StartTest:
			f.startTest()
		case StartSignIn:
			f.StartSignIn()
		case StartCheckAddress:
			f.typo.Run++
			f.typo.Checking = true
		}
	}
	return work
}
