package wizard

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
	"github.com/postino/postino/wizard/signin"
	"github.com/postino/postino/wizard/store"
)

// finder is a provider list in memory.
type finder map[string]*providers.Provider

func (f finder) ByDomain(d string) (*providers.Provider, bool) {
	p, ok := f[d]
	return p, ok
}

var (
	imapIn  = probe.Server{Protocol: probe.IMAP, Host: "imap.example.com", Port: 993, Security: probe.TLS}
	popIn   = probe.Server{Protocol: probe.POP3, Host: "pop.example.com", Port: 995, Security: probe.TLS}
	smtpOut = probe.Server{Protocol: probe.SMTP, Host: "smtp.example.com", Port: 587, Security: probe.StartTLS}
	smtpAlt = probe.Server{Protocol: probe.SMTP, Host: "smtp.example.com", Port: 465, Security: probe.TLS}

	testFinder = finder{
		"gmail.com": {ID: "gmail", Name: "Gmail", Incoming: []probe.Server{imapIn, popIn}, Outgoing: []probe.Server{smtpOut},
			Hints: []probe.Text{{EN: "Turn on IMAP.", IT: "Attiva IMAP."}}},
		"imaponly.example": {ID: "imaponly", Name: "Only IMAP", Incoming: []probe.Server{imapIn}, Outgoing: []probe.Server{smtpOut}},
		"oauth.example":    oauthProvider,
		"hinted.example": {ID: "hinted", Name: "Hinted", Auth: probe.AuthOAuth2, Auths: []probe.Auth{probe.AuthOAuth2}, OAuth2: oauthProvider.OAuth2,
			Incoming: []probe.Server{imapIn}, Outgoing: []probe.Server{smtpOut}, Hints: []probe.Text{{EN: "Sign in.", IT: "Accedi."}}},
		"noclient.example": {ID: "noclient", Name: "No Client", Auth: probe.AuthOAuth2, Auths: []probe.Auth{probe.AuthOAuth2},
			OAuth2: &providers.OAuth2{TokenURL: "https://login.example/token", DeviceAuthorizationURL: "https://login.example/device"}},
	}
	oauthProvider = &providers.Provider{ID: "oauth", Name: "OAuth Mail", Auth: probe.AuthOAuth2, Auths: []probe.Auth{probe.AuthOAuth2, probe.AuthAppPassword},
		OAuth2:   &providers.OAuth2{ClientID: "postino", TokenURL: "https://login.example/token", DeviceAuthorizationURL: "https://login.example/device"},
		Incoming: []probe.Server{oauthIn}, Outgoing: []probe.Server{oauthOut}}
	oauthIn    = probe.Server{Protocol: probe.IMAP, Host: "imap.oauth.example", Port: 993, Security: probe.TLS, Auth: probe.AuthOAuth2}
	oauthOut   = probe.Server{Protocol: probe.SMTP, Host: "smtp.oauth.example", Port: 465, Security: probe.TLS, Auth: probe.AuthOAuth2}
	oauthFound = mailbox.Detection{Source: mailbox.SourceProviders, Trusted: true, Incoming: []probe.Server{oauthIn}, Outgoing: []probe.Server{oauthOut}}
	found      = mailbox.Detection{Source: mailbox.SourceProviders, Trusted: true, Incoming: []probe.Server{imapIn, popIn}, Outgoing: []probe.Server{smtpOut, smtpAlt}}
)

// op is one thing done to a flow; it fails the test when the flow refuses
// it unexpectedly.
type op struct {
	name string
	do   func(f *Flow) (Effect, error)
}

func start() op { return op{"Start", func(f *Flow) (Effect, error) { return NoEffect, f.Start() }} }
func protocol(p probe.Protocol) op {
	return op{"ChooseProtocol " + string(p), func(f *Flow) (Effect, error) { return f.ChooseProtocol(p) }}
}
func address(a string) op {
	return op{"SubmitAddress " + a, func(f *Flow) (Effect, error) { return f.SubmitAddress(a) }}
}
func hint() op {
	return op{"ContinueHint", func(f *Flow) (Effect, error) { return NoEffect, f.ContinueHint() }}
}
func password(p string) op {
	return op{"SubmitPassword", func(f *Flow) (Effect, error) { return f.SubmitPassword(p) }}
}
func reenterPassword() op {
	return op{"ReenterPassword", func(f *Flow) (Effect, error) { return NoEffect, f.ReenterPassword() }}
}

// tried is a server of role's fallbacks that failed with code, after
// which the next is tried.
func tried(role probe.Role, s probe.Server, code probe.Code) op {
	return op{"Tried " + s.Address() + " " + string(code), func(f *Flow) (Effect, error) {
		f.Trying(f.test.Run, role, s)
		f.Tried(f.test.Run, probe.Result{Role: role, Server: s, Code: code, Failure: &probe.Failure{Code: code, Step: "connect"}})
		return NoEffect, nil
	}}
}

// testedOn is the last server role tried, with code.
func testedOn(role probe.Role, s probe.Server, code probe.Code, step string) op {
	return op{"Tested " + s.Address() + " " + string(code), func(f *Flow) (Effect, error) {
		f.Trying(f.test.Run, role, s)
		r := probe.Result{Role: role, Server: s, OK: code == probe.CodeOK, Code: code}
		if code != probe.CodeOK {
			r.Failure = &probe.Failure{Code: code, Step: step}
		}
		f.Tested(f.test.Run, r)
		return NoEffect, nil
	}}
}
func detected(d mailbox.Detection, err error) op {
	return op{"Detected", func(f *Flow) (Effect, error) { f.Detected(f.detect.Run, d, err); return NoEffect, nil }}
}
func staleDetected() op {
	return op{"Detected (stale)", func(f *Flow) (Effect, error) { f.Detected(f.detect.Run-1, found, nil); return NoEffect, nil }}
}
func detectNext() op {
	return op{"ContinueDetect", func(f *Flow) (Effect, error) { return NoEffect, f.ContinueDetect() }}
}
func back() op { return op{"Back", func(f *Flow) (Effect, error) { return NoEffect, f.Back() }} }
func test() op { return op{"Test", func(f *Flow) (Effect, error) { return f.Test() }} }
func edit() op { return op{"Edit", func(f *Flow) (Effect, error) { return NoEffect, f.Edit() }} }
func save() op { return op{"Save", func(f *Flow) (Effect, error) { return f.Save() }} }
func saveAnyway() op {
	return op{"SaveAnyway", func(f *Flow) (Effect, error) { return f.SaveAnyway() }}
}
func trust() op {
	return op{"AskTrust", func(f *Flow) (Effect, error) { return NoEffect, f.AskTrust() }}
}
func confirm() op {
	return op{"ConfirmTrust", func(f *Flow) (Effect, error) { return f.ConfirmTrust() }}
}
func finish() op { return op{"Finish", func(f *Flow) (Effect, error) { return f.Finish() }} }
func choose(role probe.Role, i int) op {
	return op{"Choose", func(f *Flow) (Effect, error) { return NoEffect, f.Choose(role, i) }}
}
func submitEdit(in, out ServerForm) op {
	return op{"SubmitEdit", func(f *Flow) (Effect, error) {
		if errs := f.SubmitEdit(in, out); len(errs) > 0 {
			return NoEffect, errs[0]
		}
		return NoEffect, nil
	}}
}
func tested(role probe.Role, code probe.Code) op {
	return op{"Tested " + string(role) + " " + string(code), func(f *Flow) (Effect, error) {
		r := probe.Result{Role: role, Server: f.choice(role).Server(), OK: code == probe.CodeOK, Code: code}
		if code == probe.CodeCertificateUntrusted || code == probe.CodeCertificateChanged {
			r.TLS = &probe.TLSInfo{Certificate: &probe.CertInfo{SHA256: strings.Repeat("ab", 32)}}
		}
		f.Tested(f.test.Run, r)
		return NoEffect, nil
	}}
}
func bothOK() []op {
	return []op{tested(probe.Incoming, probe.CodeOK), tested(probe.Outgoing, probe.CodeOK)}
}
func saved(err error, withPassword bool) op {
	return op{"SavedResult", func(f *Flow) (Effect, error) { f.SavedResult(err, withPassword); return NoEffect, nil }}
}
func withFinder() op {
	return op{"SetProviders", func(f *Flow) (Effect, error) { f.SetProviders(testFinder); return NoEffect, nil }}
}
func startSignIn() op {
	return op{"StartSignIn", func(f *Flow) (Effect, error) { return f.StartSignIn() }}
}
func prompted() op {
	return op{"Prompted", func(f *Flow) (Effect, error) {
		f.Prompted(f.signIn.Run, signin.DevicePrompt{VerificationURI: "https://login.example/device", UserCode: "ABCD-EFGH"})
		return NoEffect, nil
	}}
}
func signedIn(token string, err error) op {
	return signedInWith(signin.Token{AccessToken: token}, err)
}
func signedInWith(tok signin.Token, err error) op {
	return op{"SignedIn", func(f *Flow) (Effect, error) { f.SignedIn(f.signIn.Run, tok, err); return NoEffect, nil }}
}
func usePassword() op {
	return op{"UsePassword", func(f *Flow) (Effect, error) { return NoEffect, f.UsePassword() }}
}
func cancelSignIn() op {
	return op{"CancelSignIn", func(f *Flow) (Effect, error) { return NoEffect, f.CancelSignIn() }}
}

// toSignIn is the way to the sign-in of a provider that prefers OAuth2.
func toSignIn() []op {
	return []op{withFinder(), start(), protocol(probe.IMAP), address("anna@oauth.example")}
}

func sendTest() op { return op{"SendTest", func(f *Flow) (Effect, error) { return f.SendTest() }} }
func sent(code probe.Code) op {
	return op{"SentTest", func(f *Flow) (Effect, error) {
		f.SentTest(f.send.Run, probe.Result{Role: probe.Outgoing, OK: code == probe.CodeOK, Code: code})
		return NoEffect, nil
	}}
}
func retrySave() op { return op{"RetrySave", func(f *Flow) (Effect, error) { return f.RetrySave() }} }
func withoutPassword() op {
	return op{"SaveWithoutPassword", func(f *Flow) (Effect, error) { return f.SaveWithoutPassword() }}
}

// refused expects the operation to be refused with err.
func refused(o op, err error) op {
	return op{o.name + " (refused)", func(f *Flow) (Effect, error) {
		before := f.Step()
		_, got := o.do(f)
		var ae *mailbox.AddressError
		if wantAE := (*mailbox.AddressError)(nil); errors.As(err, &wantAE) {
			if !errors.As(got, &ae) {
				return NoEffect, errors.New("got " + errString(got) + ", want an address error")
			}
		} else if !errors.Is(got, err) {
			return NoEffect, errors.New("got " + errString(got) + ", want " + err.Error())
		}
		if f.Step() != before {
			return NoEffect, errors.New("moved to " + f.Step().String() + " though refused")
		}
		return NoEffect, nil
	}}
}

func errString(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}

// form is a server's form with a user name.
func form(s probe.Server) ServerForm {
	s.Username = "anna@example.com"
	return FormOf(s)
}

func seq(groups ...[]op) []op { return slices.Concat(groups...) }

// toPassword is the way to the password for an address without hints.
func toPassword() []op {
	return []op{start(), protocol(probe.IMAP), address("anna@example.com")}
}

func toReview() []op {
	return seq(toPassword(), []op{password("secret"), detected(found, nil), detectNext()})
}

func toTest() []op { return seq(toReview(), []op{test()}) }

func TestFlow(t *testing.T) {
	keyringErr := fmt.Errorf("save account: %w", &store.UnavailableError{Reason: store.NoSecretService, Err: errors.New("no secret service")})
	tests := []struct {
		name    string
		ops     []op
		want    Step
		effects []Effect // the effects of the ops, NoEffect left out
	}{
		{"starts at welcome", nil, StepWelcome, nil},
		{"no back from welcome", []op{refused(back(), ErrNotNow)}, StepWelcome, nil},
		{"welcome to protocol", []op{start()}, StepProtocol, nil},
		{"protocol back to welcome", []op{start(), back()}, StepWelcome, nil},
		{"protocol to address", []op{start(), protocol(probe.POP3)}, StepAddress, nil},
		{"SMTP is no way of reading mail", []op{start(), refused(protocol(probe.SMTP), ErrNotNow)}, StepProtocol, nil},
		{"address without hint to password", toPassword(), StepPassword, []Effect{StartDetect}},
		{"bad address refused", []op{start(), protocol(probe.IMAP), refused(address("anna@"), &mailbox.AddressError{})}, StepAddress, nil},
		{"address with hint", []op{start(), protocol(probe.IMAP), address("anna@gmail.com")}, StepHint, []Effect{StartDetect}},
		{"hint to password", []op{start(), protocol(probe.IMAP), address("anna@gmail.com"), hint()}, StepPassword, []Effect{StartDetect}},
		{"password back to hint", []op{start(), protocol(probe.IMAP), address("anna@gmail.com"), hint(), back()}, StepHint, []Effect{StartDetect}},
		{"POP not offered: asked again", []op{start(), protocol(probe.POP3), address("anna@imaponly.example")}, StepProtocol, []Effect{StartDetect}},
		{"asked again, then past the address", []op{start(), protocol(probe.POP3), address("anna@imaponly.example"), protocol(probe.IMAP)}, StepPassword, []Effect{StartDetect}},
		{"asked again: POP still refused", []op{start(), protocol(probe.POP3), address("anna@imaponly.example"), refused(protocol(probe.POP3), ErrNotNow)}, StepProtocol, []Effect{StartDetect}},
		{"same address again: no new detection", seq(toPassword(), []op{back(), address("anna@example.com")}), StepPassword, []Effect{StartDetect}},
		{"another address: new detection", seq(toPassword(), []op{back(), address("bob@example.com")}), StepPassword, []Effect{StartDetect, StartDetect}},
		{"empty password refused", seq(toPassword(), []op{refused(password(""), ErrEmptyPassword)}), StepPassword, []Effect{StartDetect}},
		{"password to detect", seq(toPassword(), []op{password("pw")}), StepDetect, []Effect{StartDetect}},
		{"no review while detecting", seq(toPassword(), []op{password("pw"), refused(detectNext(), ErrNotNow)}), StepDetect, []Effect{StartDetect}},
		{"stale detection ignored", seq(toPassword(), []op{back(), address("bob@example.com"), password("pw"), staleDetected(), refused(detectNext(), ErrNotNow)}), StepDetect, []Effect{StartDetect, StartDetect}},
		{"detect to review", toReview(), StepReview, []Effect{StartDetect}},
		{"nothing found: the form", seq(toPassword(), []op{password("pw"), detected(mailbox.Detection{}, nil), detectNext()}), StepEdit, []Effect{StartDetect}},
		{"detection failed: the form", seq(toPassword(), []op{password("pw"), detected(found, errors.New("boom")), detectNext()}), StepEdit, []Effect{StartDetect}},
		{"review back to detect", seq(toReview(), []op{back()}), StepDetect, []Effect{StartDetect}},
		{"review alternatives", seq(toReview(), []op{choose(probe.Outgoing, 1)}), StepReview, []Effect{StartDetect}},
		{"no such alternative", seq(toReview(), []op{refused(choose(probe.Outgoing, 2), ErrNotNow)}), StepReview, []Effect{StartDetect}},
		{"review to edit", seq(toReview(), []op{edit()}), StepEdit, []Effect{StartDetect}},
		{"edit back to review", seq(toReview(), []op{edit(), back()}), StepReview, []Effect{StartDetect}},
		{"edit saved: review", seq(toReview(), []op{edit(), submitEdit(form(imapIn), form(smtpAlt))}), StepReview, []Effect{StartDetect}},
		{"edit refused", seq(toReview(), []op{edit(), refused(submitEdit(ServerForm{}, form(smtpAlt)), FieldError{Role: probe.Incoming, Field: FieldHost, Problem: ProblemHostEmpty})}), StepEdit, []Effect{StartDetect}},
		{"review to test", toTest(), StepTest, []Effect{StartDetect, StartTest}},
		{"no save while testing", seq(toTest(), []op{tested(probe.Incoming, probe.CodeOK), refused(save(), ErrNotNow)}), StepTest, []Effect{StartDetect, StartTest}},
		{"no edit while testing", seq(toTest(), []op{refused(edit(), ErrNotNow)}), StepTest, []Effect{StartDetect, StartTest}},
		{"no save after a failure", seq(toTest(), []op{tested(probe.Incoming, probe.CodeAuthFailed), tested(probe.Outgoing, probe.CodeOK), refused(save(), ErrNotNow)}), StepTest, []Effect{StartDetect, StartTest}},
		{"retry after a failure", seq(toTest(), []op{tested(probe.Incoming, probe.CodeAuthFailed), tested(probe.Outgoing, probe.CodeOK), test()}), StepTest, []Effect{StartDetect, StartTest, StartTest}},
		{"edit after a failure", seq(toTest(), []op{tested(probe.Incoming, probe.CodeAuthFailed), tested(probe.Outgoing, probe.CodeOK), edit()}), StepEdit, []Effect{StartDetect, StartTest}},
		{"edit after a test returns to review", seq(toTest(), bothOK(), []op{edit(), submitEdit(form(imapIn), form(smtpOut)), back()}), StepDetect, []Effect{StartDetect, StartTest}},
		{"test back to review", seq(toTest(), []op{back()}), StepReview, []Effect{StartDetect, StartTest}},
		{"no trust without a certificate failure", seq(toTest(), []op{tested(probe.Incoming, probe.CodeAuthFailed), tested(probe.Outgoing, probe.CodeOK), refused(trust(), ErrNotNow)}), StepTest, []Effect{StartDetect, StartTest}},
		{"trust asks", seq(toTest(), []op{tested(probe.Incoming, probe.CodeCertificateUntrusted), tested(probe.Outgoing, probe.CodeOK), trust()}), StepTrust, []Effect{StartDetect, StartTest}},
		{"trust asks for a second certificate", seq(toTest(), []op{tested(probe.Incoming, probe.CodeOK), tested(probe.Outgoing, probe.CodeCertificateChanged), trust()}), StepTrust, []Effect{StartDetect, StartTest}},
		{"trust back to test", seq(toTest(), []op{tested(probe.Incoming, probe.CodeCertificateUntrusted), tested(probe.Outgoing, probe.CodeOK), trust(), back()}), StepTest, []Effect{StartDetect, StartTest}},
		{"trust confirmed tests again", seq(toTest(), []op{tested(probe.Incoming, probe.CodeCertificateUntrusted), tested(probe.Outgoing, probe.CodeOK), trust(), confirm()}), StepTest, []Effect{StartDetect, StartTest, StartTest}},
		{"no test message before the tests end", seq(toTest(), []op{tested(probe.Incoming, probe.CodeOK), refused(sendTest(), ErrNotNow)}), StepTest, []Effect{StartDetect, StartTest}},
		{"no test message after a failure", seq(toTest(), []op{tested(probe.Incoming, probe.CodeOK), tested(probe.Outgoing, probe.CodeAuthFailed), refused(sendTest(), ErrNotNow)}), StepTest, []Effect{StartDetect, StartTest}},
		{"test message once both passed", seq(toTest(), bothOK(), []op{sendTest()}), StepTest, []Effect{StartDetect, StartTest, StartSendTest}},
		{"one test message at a time", seq(toTest(), bothOK(), []op{sendTest(), refused(sendTest(), ErrNotNow)}), StepTest, []Effect{StartDetect, StartTest, StartSendTest}},
		{"no save while sending", seq(toTest(), bothOK(), []op{sendTest(), refused(save(), ErrNotNow)}), StepTest, []Effect{StartDetect, StartTest, StartSendTest}},
		{"no new test while sending", seq(toTest(), bothOK(), []op{sendTest(), refused(test(), ErrNotNow)}), StepTest, []Effect{StartDetect, StartTest, StartSendTest}},
		{"sent, then save", seq(toTest(), bothOK(), []op{sendTest(), sent(probe.CodeOK), save()}), StepSave, []Effect{StartDetect, StartTest, StartSendTest, StartSave}},
		{"a refused message can be sent again", seq(toTest(), bothOK(), []op{sendTest(), sent(probe.CodeProtocolError), sendTest()}), StepTest, []Effect{StartDetect, StartTest, StartSendTest, StartSendTest}},
		{"no test message after saving", seq(toTest(), bothOK(), []op{save(), saved(nil, true), refused(sendTest(), ErrNotNow)}), StepDone, []Effect{StartDetect, StartTest, StartSave}},
		{"sending, back to review", seq(toTest(), bothOK(), []op{sendTest(), back()}), StepReview, []Effect{StartDetect, StartTest, StartSendTest}},
		{"test to save", seq(toTest(), bothOK(), []op{save()}), StepSave, []Effect{StartDetect, StartTest, StartSave}},
		{"saved: done", seq(toTest(), bothOK(), []op{save(), saved(nil, true)}), StepDone, []Effect{StartDetect, StartTest, StartSave}},
		{"no back from done", seq(toTest(), bothOK(), []op{save(), saved(nil, true), refused(back(), ErrNotNow)}), StepDone, []Effect{StartDetect, StartTest, StartSave}},
		{"done quits", seq(toTest(), bothOK(), []op{save(), saved(nil, true), finish()}), StepDone, []Effect{StartDetect, StartTest, StartSave, Quit}},
		{"no retry before a failure", seq(toTest(), bothOK(), []op{save(), refused(retrySave(), ErrNotNow)}), StepSave, []Effect{StartDetect, StartTest, StartSave}},
		{"keyring failed: retry", seq(toTest(), bothOK(), []op{save(), saved(keyringErr, false), retrySave()}), StepSave, []Effect{StartDetect, StartTest, StartSave, StartSave}},
		{"keyring failed: without password", seq(toTest(), bothOK(), []op{save(), saved(keyringErr, false), withoutPassword(), saved(nil, false)}), StepDone, []Effect{StartDetect, StartTest, StartSave, StartSaveWithoutPassword}},
		{"disk failed: no saving without password", seq(toTest(), bothOK(), []op{save(), saved(errors.New("disk full"), false), refused(withoutPassword(), ErrNotNow)}), StepSave, []Effect{StartDetect, StartTest, StartSave}},
		{"no finish before done", []op{refused(finish(), ErrNotNow)}, StepWelcome, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := New()
			f.SetProviders(testFinder)
			var effects []Effect
			for _, o := range tt.ops {
				e, err := o.do(f)
				if err != nil {
					t.Fatalf("%s at %s: %v", o.name, f.Step(), err)
				}
				if e != NoEffect {
					effects = append(effects, e)
				}
			}
			if f.Step() != tt.want {
				t.Errorf("step = %s, want %s", f.Step(), tt.want)
			}
			if !slices.Equal(effects, tt.effects) {
				t.Errorf("effects = %v, want %v", effects, tt.effects)
			}
		})
	}
}

func TestServerForm(t *testing.T) {
	ok := ServerForm{Host: " Mail.Example.COM. ", Port: "993", Security: probe.TLS, Username: "anna"}
	tests := []struct {
		name string
		form ServerForm
		want []FieldError
	}{
		{"valid", ok, nil},
		{"empty host", ServerForm{Port: "993", Security: probe.TLS, Username: "anna"}, []FieldError{{probe.Incoming, FieldHost, ProblemHostEmpty}}},
		{"host with a space", ServerForm{Host: "mail example.com", Port: "993", Security: probe.TLS, Username: "anna"}, []FieldError{{probe.Incoming, FieldHost, ProblemHostInvalid}}},
		{"host with a slash", ServerForm{Host: "imaps://mail.example.com", Port: "993", Security: probe.TLS, Username: "anna"}, []FieldError{{probe.Incoming, FieldHost, ProblemHostInvalid}}},
		{"double dot", ServerForm{Host: "mail..example.com", Port: "993", Security: probe.TLS, Username: "anna"}, []FieldError{{probe.Incoming, FieldHost, ProblemHostInvalid}}},
		{"port not a number", ServerForm{Host: "h", Port: "99x", Security: probe.TLS, Username: "anna"}, []FieldError{{probe.Incoming, FieldPort, ProblemPortInvalid}}},
		{"port zero", ServerForm{Host: "h", Port: "0", Security: probe.TLS, Username: "anna"}, []FieldError{{probe.Incoming, FieldPort, ProblemPortInvalid}}},
		{"port too big", ServerForm{Host: "h", Port: "65536", Security: probe.TLS, Username: "anna"}, []FieldError{{probe.Incoming, FieldPort, ProblemPortInvalid}}},
		{"no cleartext", ServerForm{Host: "h", Port: "143", Security: probe.None, Username: "anna"}, []FieldError{{probe.Incoming, FieldSecurity, ProblemSecurityInvalid}}},
		{"no user name", ServerForm{Host: "h", Port: "143", Security: probe.StartTLS, Username: "  "}, []FieldError{{probe.Incoming, FieldUsername, ProblemUsernameEmpty}}},
		{"everything wrong", ServerForm{}, []FieldError{{probe.Incoming, FieldHost, ProblemHostEmpty}, {probe.Incoming, FieldPort, ProblemPortInvalid}, {probe.Incoming, FieldSecurity, ProblemSecurityInvalid}, {probe.Incoming, FieldUsername, ProblemUsernameEmpty}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, errs := tt.form.Server(probe.IMAP, probe.Incoming)
			if !slices.Equal(errs, tt.want) {
				t.Fatalf("Server() problems = %v, want %v", errs, tt.want)
			}
			if tt.want == nil && (s.Host != "mail.example.com" || s.Port != 993 || s.Protocol != probe.IMAP || s.Username != "anna") {
				t.Errorf("Server() = %+v", s)
			}
		})
	}
}

func apply(t *testing.T, f *Flow, ops ...op) {
	t.Helper()
	for _, o := range ops {
		if _, err := o.do(f); err != nil {
			t.Fatalf("%s at %s: %v", o.name, f.Step(), err)
		}
	}
}

func TestDetectedKeepsTheChosenProtocol(t *testing.T) {
	for _, tt := range []struct {
		protocol probe.Protocol
		want     []probe.Server
	}{
		{probe.IMAP, []probe.Server{imapIn}},
		{probe.POP3, []probe.Server{popIn}},
	} {
		f := New()
		apply(t, f, start(), protocol(tt.protocol), address("anna@example.com"), password("pw"), detected(found, nil))
		got := f.incoming.Servers
		if len(got) != 1 || got[0].Host != tt.want[0].Host || got[0].Username != "anna@example.com" || got[0].Auth != probe.AuthPassword {
			t.Errorf("%s: incoming = %+v", tt.protocol, got)
		}
	}
	f := New()
	apply(t, f, start(), protocol(probe.POP3), address("anna@example.com"), password("pw"),
		detected(mailbox.Detection{Incoming: []probe.Server{imapIn}, Outgoing: []probe.Server{smtpOut}}, nil))
	if f.incoming.Server().Protocol != probe.IMAP {
		t.Errorf("with only IMAP found, incoming = %+v", f.incoming.Server())
	}
}

func TestAccountAndOptions(t *testing.T) {
	f := New()
	apply(t, seqFlow(f), choose(probe.Outgoing, 1), test(), tested(probe.Incoming, probe.CodeCertificateUntrusted), tested(probe.Outgoing, probe.CodeOK), trust(), confirm())
	opts := f.Options()
	if opts.Password != "secret" || opts.Username != "anna@example.com" || len(opts.Pins) != 1 {
		t.Errorf("Options() = %+v", opts)
	}
	a := f.Account()
	if a.Name != "anna@example.com" || a.Address != "anna@example.com" || len(a.Pins) != 1 {
		t.Errorf("Account() = %+v", a)
	}
	if len(a.Outgoing) != 2 || a.Outgoing[0].Port != 465 || a.Outgoing[1].Port != 587 {
		t.Errorf("Account().Outgoing = %+v, want the chosen one first", a.Outgoing)
	}
}

// seqFlow brings f to the review.
func seqFlow(f *Flow) *Flow {
	for _, o := range toReview() {
		o.do(f)
	}
	return f
}

func TestFormGuessesWhenNothingWasFound(t *testing.T) {
	f := New()
	apply(t, f, start(), protocol(probe.POP3), address("anna@Posta.Example.IT"), password("pw"), detected(mailbox.Detection{}, nil), detectNext())
	in, out := f.Form()
	if in.Host != "pop.posta.example.it" || in.Port != "995" || in.Security != probe.TLS || in.Username != "anna@posta.example.it" {
		t.Errorf("incoming form = %+v", in)
	}
	if out.Host != "smtp.posta.example.it" || out.Port != "587" || out.Security != probe.StartTLS {
		t.Errorf("outgoing form = %+v", out)
	}
}

func TestInterruptAndResume(t *testing.T) {
	f := New()
	apply(t, f, start(), protocol(probe.IMAP), address("anna@example.com"), password("pw"))
	run1 := f.detect.Run
	work := f.Interrupt()
	if !slices.Equal(work, []Effect{StartDetect}) || f.detect.Running {
		t.Fatalf("Interrupt() = %v, detecting %v", work, f.detect.Running)
	}
	f.Detected(run1, found, nil)
	if f.detect.Result != nil {
		t.Fatal("an interrupted detection's result was taken")
	}
	if got := f.Resume(work); !slices.Equal(got, work) || !f.detect.Running || f.detect.Run == run1 {
		t.Fatalf("Resume() = %v, detecting %v, run %d", got, f.detect.Running, f.detect.Run)
	}
	apply(t, f, detected(found, nil), detectNext(), test())
	if !slices.Equal(f.Running(), []Effect{StartTest}) {
		t.Errorf("Running() = %v, want the tests", f.Running())
	}
	apply(t, f, bothOK()...)
	if len(f.Running()) != 0 {
		t.Errorf("Running() = %v after both results", f.Running())
	}
}

func TestSentTest(t *testing.T) {
	ok := probe.Result{Role: probe.Outgoing, OK: true, Code: probe.CodeOK}
	refusedRCPT := probe.Result{Role: probe.Outgoing, Code: probe.CodeProtocolError, Failure: &probe.Failure{Code: probe.CodeProtocolError, Step: probe.StepRcpt}}
	tests := []struct {
		name    string
		do      func(f *Flow) // after the tests passed
		want    *probe.Result
		sending bool
	}{
		{"sent", func(f *Flow) { f.SendTest(); f.SentTest(f.send.Run, ok) }, &ok, false},
		{"refused", func(f *Flow) { f.SendTest(); f.SentTest(f.send.Run, refusedRCPT) }, &refusedRCPT, false},
		{"under way", func(f *Flow) { f.SendTest() }, nil, true},
		{"a stale outcome is ignored", func(f *Flow) { f.SendTest(); f.SentTest(f.send.Run-1, ok) }, nil, true},
		{"an outcome nobody asked for is ignored", func(f *Flow) { f.SentTest(f.send.Run, ok) }, nil, false},
		{"a new message forgets the last outcome", func(f *Flow) { f.SendTest(); f.SentTest(f.send.Run, refusedRCPT); f.SendTest() }, nil, true},
		{"a new test forgets the outcome", func(f *Flow) { f.SendTest(); f.SentTest(f.send.Run, ok); f.Test() }, nil, false},
		{"going back abandons it", func(f *Flow) { f.SendTest(); run := f.send.Run; f.Back(); f.SentTest(run, ok) }, nil, false},
		{"interrupted: abandoned, not resumed", func(f *Flow) {
			f.SendTest()
			run := f.send.Run
			if work := f.Interrupt(); len(work) != 0 {
				t.Errorf("Interrupt() = %v, want nothing to resume", work)
			}
			f.SentTest(run, ok)
		}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := New()
			f.SetProviders(testFinder)
			apply(t, f, seq(toTest(), bothOK())...)
			tt.do(f)
			if f.send.Sending != tt.sending {
				t.Errorf("Sending = %v, want %v", f.send.Sending, tt.sending)
			}
			if (f.send.Outcome == nil) != (tt.want == nil) || f.send.Outcome != nil && f.send.Outcome.Code != tt.want.Code {
				t.Errorf("Sent = %+v, want %+v", f.send.Outcome, tt.want)
			}
			if f.send.Outcome != nil && f.send.SentAt.IsZero() {
				t.Error("SentAt is not set")
			}
			if slices.Contains(f.Running(), StartSendTest) != tt.sending {
				t.Errorf("Running() = %v", f.Running())
			}
		})
	}
	f := New()
	apply(t, f, start(), protocol(probe.IMAP), address("anna@example.com"))
	if m := f.TestMessage("it"); m.Address != "anna@example.com" || m.Lang != "it" {
		t.Errorf("TestMessage() = %+v", m)
	}
}

func TestUnsaved(t *testing.T) {
	f := New()
	if f.Unsaved() {
		t.Error("a new flow is unsaved")
	}
	apply(t, f, seq(toTest(), bothOK(), []op{save()})...)
	if !f.Unsaved() {
		t.Error("a tested account is not unsaved")
	}
	apply(t, f, saved(nil, true))
	if f.Unsaved() || !f.passwordStored {
		t.Error("a saved account is unsaved")
	}
}

// TestStepped: the running test's finished steps are kept per role, and a
// late step of an earlier run is ignored.
func TestStepped(t *testing.T) {
	f := New()
	apply(t, seqFlow(f), test())
	run := f.test.Run
	connect, tls := probe.Step{Name: "connect", ElapsedMS: 3}, probe.Step{Name: "tls", ElapsedMS: 9}
	f.Stepped(run, probe.Incoming, connect)
	f.Stepped(run, probe.Incoming, tls)
	f.Stepped(run, probe.Outgoing, connect)
	f.Stepped(run-1, probe.Outgoing, tls)
	if got := f.test.Steps[probe.Incoming]; len(got) != 2 || got[1] != tls {
		t.Errorf("Steps[incoming] = %v, want connect, tls", got)
	}
	if got := f.test.Steps[probe.Outgoing]; len(got) != 1 || got[0] != connect {
		t.Errorf("Steps[outgoing] = %v, want connect only", got)
	}
	apply(t, f, tested(probe.Incoming, probe.CodeAuthFailed), tested(probe.Outgoing, probe.CodeOK), test())
	if len(f.test.Steps[probe.Incoming]) != 0 || len(f.test.Steps[probe.Outgoing]) != 0 {
		t.Errorf("Steps after a retry = %v, want none", f.test.Steps)
	}
}

// TestAccountProviderSourceAndTests: the saved account names its provider,
// where its settings came from, and the test that passed.
func TestAccountProviderSourceAndTests(t *testing.T) {
	withProvider := found
	withProvider.Provider, withProvider.ProviderID = "Example Mail", "example"
	toTested := func(d mailbox.Detection, more ...op) *Flow {
		f := New()
		f.SetProviders(testFinder)
		apply(t, f, seq(toPassword(), []op{password("secret"), detected(d, nil), detectNext()}, more, []op{test()}, bothOK())...)
		return f
	}
	for _, tt := range []struct {
		name     string
		f        func() *Flow
		source   mailbox.Source
		provider store.Provider
	}{
		{"detected", func() *Flow { return toTested(withProvider) }, mailbox.SourceProviders, store.Provider{ID: "example", Name: "Example Mail"}},
		{"an alternative chosen", func() *Flow { return toTested(withProvider, choose(probe.Outgoing, 1)) }, mailbox.SourceProviders, store.Provider{ID: "example", Name: "Example Mail"}},
		{"the form sent unchanged", func() *Flow {
			return toTested(withProvider, edit(), submitEdit(form(imapIn), form(smtpOut)))
		}, mailbox.SourceProviders, store.Provider{ID: "example", Name: "Example Mail"}},
		{"a host changed in the form", func() *Flow {
			other := smtpOut
			other.Host = "relay.example.com"
			return toTested(withProvider, edit(), submitEdit(form(imapIn), form(other)))
		}, mailbox.SourceManual, store.Provider{ID: "example", Name: "Example Mail"}},
		{"a user name changed in the form", func() *Flow {
			in := FormOf(imapIn)
			in.Username = "anna"
			return toTested(withProvider, edit(), submitEdit(in, form(smtpOut)))
		}, mailbox.SourceManual, store.Provider{ID: "example", Name: "Example Mail"}},
		{"nothing found", func() *Flow {
			f := New()
			apply(t, f, seq(toPassword(), []op{password("pw"), detected(mailbox.Detection{}, nil), detectNext(),
				submitEdit(form(imapIn), form(smtpOut)), test()}, bothOK())...)
			return f
		}, mailbox.SourceManual, store.Provider{}},
		{"nothing found, provider known by the domain", func() *Flow {
			f := New()
			f.SetProviders(testFinder)
			apply(t, f, seq([]op{start(), protocol(probe.IMAP), address("anna@gmail.com"), hint(), password("pw"),
				detected(mailbox.Detection{}, nil), detectNext(), submitEdit(form(imapIn), form(smtpOut)), test()}, bothOK())...)
			return f
		}, mailbox.SourceManual, store.Provider{ID: "gmail", Name: "Gmail"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := time.Now()
			f := tt.f()
			a := f.Account()
			if a.Source != string(tt.source) || a.Provider != tt.provider {
				t.Errorf("Account() source %q provider %+v, want %q %+v", a.Source, a.Provider, tt.source, tt.provider)
			}
			if len(a.Tests) != 2 || a.Tests[0].Role != probe.Incoming || a.Tests[1].Role != probe.Outgoing ||
				a.Tests[0].Server != a.Incoming[0] || a.Tests[1].Server != a.Outgoing[0] || !a.Tests[0].OK {
				t.Fatalf("Account().Tests = %+v", a.Tests)
			}
			if at := a.Tests[0].At; at.Before(before.Truncate(time.Second)) || at.After(time.Now()) || !a.Tests[1].At.Equal(at) {
				t.Errorf("tested at %v, %v; want both at the end of the run", at, a.Tests[1].At)
			}
		})
	}

	// Before both results are in, and after an edit, there is no test to
	// save.
	f := New()
	apply(t, seqFlow(f), test(), tested(probe.Incoming, probe.CodeOK))
	if a := f.Account(); a.Tests != nil {
		t.Errorf("Account().Tests with one result = %+v", a.Tests)
	}
	apply(t, f, tested(probe.Outgoing, probe.CodeOK), edit(), submitEdit(form(imapIn), form(smtpAlt)))
	if a := f.Account(); a.Tests != nil {
		t.Errorf("Account().Tests after an edit = %+v", a.Tests)
	}
}

// TestSaveAnyway: after a failed test the person may save anyway (set up
// offline or behind a firewall): the account is marked not verified and
// keeps the failed test. It is refused before the results, after a test
// that passed (that is Save), and while a test message goes out.
func TestSaveAnyway(t *testing.T) {
	f := New()
	apply(t, f, seq(toTest(), []op{tested(probe.Incoming, probe.CodeTimeout)})...)
	if _, err := f.SaveAnyway(); !errors.Is(err, ErrNotNow) {
		t.Errorf("SaveAnyway() with one result = %v, want ErrNotNow", err)
	}
	apply(t, f, tested(probe.Outgoing, probe.CodeOK))
	if _, err := f.Save(); !errors.Is(err, ErrNotNow) {
		t.Errorf("Save() after a failed test = %v, want ErrNotNow", err)
	}
	e, err := f.SaveAnyway()
	if err != nil || e != StartSave || f.Step() != StepSave {
		t.Fatalf("SaveAnyway() = %v, %v at %v", e, err, f.Step())
	}
	a := f.Account()
	if !a.Unverified || len(a.Tests) != 2 || a.Tests[0].OK || a.Tests[0].Code != probe.CodeTimeout {
		t.Errorf("Account() = unverified %v, tests %+v; want marked, with the failed test", a.Unverified, a.Tests)
	}
	apply(t, f, saved(nil, true))
	if f.Step() != StepDone || !f.Account().Unverified {
		t.Errorf("after saving: %v, unverified %v", f.Step(), f.Account().Unverified)
	}

	passed := New()
	apply(t, passed, seq(toTest(), bothOK())...)
	if _, err := passed.SaveAnyway(); !errors.Is(err, ErrNotNow) {
		t.Errorf("SaveAnyway() after a passed test = %v, want ErrNotNow", err)
	}
	if passed.Account().Unverified {
		t.Errorf("an account whose test passed is marked not verified")
	}
}

// TestEditUnchanged: opening the form and submitting it as it is changes
// nothing: the settings keep their source and their test, and an app
// password stays one.
func TestEditUnchanged(t *testing.T) {
	appIn := imapIn
	appIn.Auth = probe.AuthAppPassword
	d := found
	d.Incoming = []probe.Server{appIn}
	f := New()
	apply(t, f, seq(toPassword(), []op{password("secret"), detected(d, nil), detectNext(), test()}, bothOK())...)
	in, out := f.Form()
	apply(t, f, edit(), submitEdit(in, out))
	if f.Edited() || f.Tests().Results == nil {
		t.Errorf("an unchanged form counts as an edit: edited %v, results %v", f.Edited(), f.Tests().Results)
	}
	if a := f.Account(); a.Source != string(mailbox.SourceProviders) || a.Incoming[0].Auth != probe.AuthAppPassword {
		t.Errorf("Account() source %q, incoming %+v; want the detection's, with its app password", a.Source, a.Incoming[0])
	}
	in.Port = "143"
	in.Security = probe.StartTLS
	apply(t, f, edit(), submitEdit(in, out))
	if a := f.Account(); !f.Edited() || a.Source != string(mailbox.SourceManual) || a.Incoming[0].Auth != probe.AuthAppPassword {
		t.Errorf("after a change: edited %v, source %q, incoming %+v", f.Edited(), a.Source, a.Incoming[0])
	}
}

// TestSourcesAreTheStores: the sources the store accepts are the wizard's.
func TestSourcesAreTheStores(t *testing.T) {
	want := []mailbox.Source{mailbox.SourceProviders, mailbox.SourceAutoconfig, mailbox.SourceISPDB, mailbox.SourceAutodiscover, mailbox.SourceMX, mailbox.SourceSRV, mailbox.SourceGuess, mailbox.SourceManual}
	if len(store.Sources) != len(want) {
		t.Fatalf("store.Sources = %v, want %v", store.Sources, want)
	}
	for i, s := range want {
		if store.Sources[i] != string(s) {
			t.Errorf("store.Sources[%d] = %q, want %q", i, store.Sources[i], s)
		}
	}
}

// TestStepGraph takes every move of stepGraph through the Flow's methods,
// and only those: the graph is the wizard as it is.
func TestStepGraph(t *testing.T) {
	toProtocolAgain := []op{withFinder(), start(), protocol(probe.POP3), address("anna@imaponly.example")}
	toHint := []op{withFinder(), start(), protocol(probe.IMAP), address("anna@gmail.com")}
	nothingFound := seq(toPassword(), []op{password("secret"), detected(mailbox.Detection{}, nil)})
	toTrust := seq(toTest(), []op{tested(probe.Incoming, probe.CodeCertificateUntrusted), tested(probe.Outgoing, probe.CodeOK), trust()})
	toSave := seq(toTest(), bothOK(), []op{save()})
	moves := []struct {
		from, to Step
		ops      []op // the last one makes the move
	}{
		{StepWelcome, StepProtocol, []op{start()}},
		{StepProtocol, StepAddress, []op{start(), protocol(probe.IMAP)}},
		{StepAddress, StepProtocol, toProtocolAgain},
		{StepAddress, StepHint, toHint},
		{StepAddress, StepPassword, toPassword()},
		{StepHint, StepPassword, seq(toHint, []op{hint()})},
		{StepAddress, StepSignIn, toSignIn()},
		{StepHint, StepSignIn, []op{withFinder(), start(), protocol(probe.IMAP), address("anna@hinted.example"), hint()}},
		{StepSignIn, StepDetect, seq(toSignIn(), []op{startSignIn(), signedIn("tok", nil)})},
		{StepSignIn, StepPassword, seq(toSignIn(), []op{usePassword()})},
		{StepPassword, StepDetect, seq(toPassword(), []op{password("secret")})},
		{StepDetect, StepReview, toReview()},
		{StepDetect, StepEdit, seq(nothingFound, []op{detectNext()})},
		{StepReview, StepTest, toTest()},
		{StepReview, StepEdit, seq(toReview(), []op{edit()})},
		{StepEdit, StepReview, seq(toReview(), []op{edit(), submitEdit(form(imapIn), form(smtpAlt))})},
		{StepTest, StepEdit, seq(toTest(), bothOK(), []op{edit()})},
		{StepTest, StepTrust, toTrust},
		{StepTest, StepSave, toSave},
		{StepTest, StepSave, seq(toTest(), []op{tested(probe.Incoming, probe.CodeTimeout), tested(probe.Outgoing, probe.CodeOK), saveAnyway()})},
		{StepTrust, StepTest, seq(toTrust, []op{confirm()})},
		{StepTest, StepPassword, seq(toTest(), []op{tested(probe.Incoming, probe.CodeAuthFailed), tested(probe.Outgoing, probe.CodeOK), reenterPassword()})},
		{StepSave, StepDone, seq(toSave, []op{saved(nil, true)})},
	}
	type edge struct{ from, to Step }
	taken := map[edge]bool{}
	for _, m := range moves {
		f := New()
		for i, o := range m.ops {
			before := f.Step()
			if _, err := o.do(f); err != nil {
				t.Fatalf("%v → %v: %s at %v: %v", m.from, m.to, o.name, before, err)
			}
			if i == len(m.ops)-1 && (before != m.from || f.Step() != m.to) {
				t.Errorf("%s moved %v → %v, want %v → %v", o.name, before, f.Step(), m.from, m.to)
			}
		}
		taken[edge{m.from, m.to}] = true
	}
	for from, tos := range stepGraph {
		for _, to := range tos {
			if !taken[edge{from, to}] {
				t.Errorf("no test takes the move %v → %v of stepGraph", from, to)
			}
		}
	}
	for e := range taken {
		if !slices.Contains(stepGraph[e.from], e.to) {
			t.Errorf("the move %v → %v is not in stepGraph", e.from, e.to)
		}
	}
}

func TestSignIn(t *testing.T) {
	tests := []struct {
		name  string
		ops   []op
		step  Step
		check func(t *testing.T, f *Flow)
	}{
		{"signed in, the tests log in with the token", seq(toSignIn(), []op{startSignIn(), prompted(), signedIn("tok-123", nil), detected(oauthFound, nil), detectNext(), test()}), StepTest,
			func(t *testing.T, f *Flow) {
				if o := f.Options(); o.AccessToken != "tok-123" || o.Password != "" {
					t.Errorf("Options() = token %q, password %q", o.AccessToken, o.Password)
				}
				if a := f.Incoming().Server().Auth; a != probe.AuthOAuth2 {
					t.Errorf("incoming auth = %s", a)
				}
				if !f.SignedInWithOAuth2() {
					t.Error("SignedInWithOAuth2() = false")
				}
			}},
		{"detection ends before the sign-in", seq(toSignIn(), []op{detected(oauthFound, nil), startSignIn(), signedIn("tok", nil), detectNext()}), StepReview,
			func(t *testing.T, f *Flow) {
				if a := f.Outgoing().Server().Auth; a != probe.AuthOAuth2 {
					t.Errorf("outgoing auth = %s", a)
				}
			}},
		{"the prompt is kept", seq(toSignIn(), []op{startSignIn(), prompted()}), StepSignIn,
			func(t *testing.T, f *Flow) {
				if r := f.SignIn(); !r.Running || r.Run != 1 || r.Prompt == nil || r.Prompt.UserCode != "ABCD-EFGH" {
					t.Errorf("SignIn() = %+v", r)
				}
				if !slices.Contains(f.Running(), StartSignIn) {
					t.Errorf("Running() = %v", f.Running())
				}
			}},
		{"denied stays, and a new run starts", seq(toSignIn(), []op{startSignIn(), signedIn("", signin.ErrDenied), startSignIn()}), StepSignIn,
			func(t *testing.T, f *Flow) {
				if r := f.SignIn(); r.Run != 2 || !r.Running || r.Err != nil {
					t.Errorf("SignIn() = %+v", r)
				}
			}},
		{"cancelled, the late token is ignored", seq(toSignIn(), []op{startSignIn(), cancelSignIn(),
			{"SignedIn (late)", func(f *Flow) (Effect, error) {
				f.SignedIn(1, signin.Token{AccessToken: "late"}, nil)
				return NoEffect, nil
			}}}), StepSignIn,
			func(t *testing.T, f *Flow) {
				if r := f.SignIn(); r.Running || !errors.Is(r.Err, context.Canceled) || f.SignedInWithOAuth2() {
					t.Errorf("SignIn() = %+v, token kept: %v", r, f.SignedInWithOAuth2())
				}
			}},
		{"going back abandons it", seq(toSignIn(), []op{startSignIn(), back(),
			{"SignedIn (late)", func(f *Flow) (Effect, error) {
				f.SignedIn(1, signin.Token{AccessToken: "late"}, nil)
				return NoEffect, nil
			}}}), StepAddress,
			func(t *testing.T, f *Flow) {
				if f.SignIn().Running || f.SignedInWithOAuth2() {
					t.Errorf("SignIn() = %+v", f.SignIn())
				}
			}},
		{"a refused sign-in cannot start twice", seq(toSignIn(), []op{startSignIn(), refused(startSignIn(), ErrNotNow)}), StepSignIn, nil},
		{"no client ID", []op{withFinder(), start(), protocol(probe.IMAP), address("anna@noclient.example"), refused(startSignIn(), ErrNotNow), refused(usePassword(), ErrNotNow)}, StepSignIn,
			func(t *testing.T, f *Flow) {
				if f.SignInConfigured() {
					t.Error("SignInConfigured() = true")
				}
			}},
		{"an app password instead", seq(toSignIn(), []op{startSignIn(), usePassword(), password("app pw"), detected(oauthFound, nil), detectNext(), test()}), StepTest,
			func(t *testing.T, f *Flow) {
				if a := f.Incoming().Server().Auth; a != probe.AuthAppPassword {
					t.Errorf("incoming auth = %s", a)
				}
				if o := f.Options(); o.AccessToken != "" || o.Password != "app pw" {
					t.Errorf("Options() = %+v", o)
				}
			}},
		{"an OAuth2 account without a refresh token is not saved", seq(toSignIn(), []op{startSignIn(), signedIn("tok", nil), detected(oauthFound, nil), detectNext(), test()}, bothOK(), []op{refused(save(), ErrNotNow)}), StepTest, nil},
		{"an OAuth2 account is saved with its sign-in", seq(toSignIn(), []op{startSignIn(), signedInWith(signin.Token{AccessToken: "tok", RefreshToken: "refresh"}, nil), detected(oauthFound, nil), detectNext(), test()}, bothOK(), []op{save()}), StepSave,
			func(t *testing.T, f *Flow) {
				if a := f.Account(); a.OAuth2 == nil || a.OAuth2.TokenURL == "" || f.RefreshToken() != "refresh" {
					t.Errorf("Account().OAuth2 = %+v, refresh token %q", a.OAuth2, f.RefreshToken())
				}
			}},
		{"interrupt and resume start a new sign-in", seq(toSignIn(), []op{startSignIn(), {"Interrupt and Resume", func(f *Flow) (Effect, error) {
			work := f.Interrupt()
			if !slices.Contains(work, StartSignIn) || f.SignIn().Running {
				return NoEffect, fmt.Errorf("Interrupt() = %v, running %v", work, f.SignIn().Running)
			}
			f.Resume(work)
			return NoEffect, nil
		}}}), StepSignIn,
			func(t *testing.T, f *Flow) {
				if r := f.SignIn(); r.Run != 3 || !r.Running {
					t.Errorf("SignIn() = %+v", r)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := New()
			for _, o := range tt.ops {
				before := f.Step()
				if _, err := o.do(f); err != nil {
					t.Fatalf("%s at %v: %v", o.name, before, err)
				}
			}
			if f.Step() != tt.step {
				t.Fatalf("step = %v, want %v", f.Step(), tt.step)
			}
			if tt.check != nil {
				tt.check(t, f)
			}
		})
	}
}

// TestFallbacks: a server that fails is followed by the role's next
// alternative; the one that passes becomes the chosen one and is saved
// first, with the failures before it among the tests.
func TestFallbacks(t *testing.T) {
	smtpOutU, smtpAltU := smtpOut, smtpAlt
	smtpOutU.Username, smtpOutU.Auth = "anna@example.com", probe.AuthPassword
	smtpAltU.Username, smtpAltU.Auth = "anna@example.com", probe.AuthPassword

	t.Run("blocked 465 falls back to 587", func(t *testing.T) {
		f := New()
		apply(t, f, seq(toReview(), []op{choose(probe.Outgoing, 1), test(), tested(probe.Incoming, probe.CodeOK),
			tried(probe.Outgoing, smtpAltU, probe.CodeTimeout), testedOn(probe.Outgoing, smtpOutU, probe.CodeOK, "")})...)
		if !f.Passed() || f.Outgoing().Server() != smtpOutU {
			t.Fatalf("Passed() = %v, chosen %v; want 587 chosen", f.Passed(), f.Outgoing().Server())
		}
		if tries := f.Tests().Tries[probe.Outgoing]; len(tries) != 2 || tries[0].Code != probe.CodeTimeout || !tries[1].OK {
			t.Fatalf("tries = %+v", tries)
		}
		if order := f.TestOrder(probe.Outgoing); order[0] != smtpOutU || order[1] != smtpAltU {
			t.Errorf("TestOrder() = %v, want the server that passed first", order)
		}
		apply(t, f, save())
		a := f.Account()
		if a.Outgoing[0] != smtpOutU || len(a.Tests) != 3 || a.Tests[1].Code != probe.CodeTimeout || !a.Tests[2].OK || a.Unverified {
			t.Errorf("saved outgoing %v, tests %+v", a.Outgoing, a.Tests)
		}
	})
	t.Run("all fail: the one that got furthest", func(t *testing.T) {
		f := New()
		apply(t, f, seq(toTest(), []op{tested(probe.Incoming, probe.CodeOK),
			tried(probe.Outgoing, smtpOutU, probe.CodeTimeout), testedOn(probe.Outgoing, smtpAltU, probe.CodeAuthFailed, "login")})...)
		if r := f.Tests().Results[probe.Outgoing]; r.Code != probe.CodeAuthFailed || f.Outgoing().Server() != smtpAltU {
			t.Fatalf("outcome %s on %v, want auth_failed on 465", r.Code, f.Outgoing().Server())
		}
		if !f.PasswordRefused() {
			t.Error("PasswordRefused() = false")
		}
	})
	t.Run("all fail: the earliest of those that got furthest", func(t *testing.T) {
		other := smtpAltU
		other.Host = "relay.example.com"
		f := New()
		apply(t, f, seq(toReview(), []op{test(), tested(probe.Incoming, probe.CodeOK),
			tried(probe.Outgoing, smtpOutU, probe.CodeTimeout)})...)
		apply(t, f, op{"Tried 465 auth_failed", func(f *Flow) (Effect, error) {
			f.Tried(f.test.Run, probe.Result{Role: probe.Outgoing, Server: smtpAltU, Code: probe.CodeAuthFailed, Failure: &probe.Failure{Code: probe.CodeAuthFailed, Step: "login"}})
			return NoEffect, nil
		}}, testedOn(probe.Outgoing, other, probe.CodeAuthFailed, "login"))
		if r := f.Tests().Results[probe.Outgoing]; r.Server != smtpAltU {
			t.Fatalf("outcome on %v, want 465, the first refused login", r.Server)
		}
	})
	t.Run("all fail alike: the chosen one", func(t *testing.T) {
		f := New()
		apply(t, f, seq(toTest(), []op{tested(probe.Incoming, probe.CodeOK),
			tried(probe.Outgoing, smtpOutU, probe.CodeTimeout), testedOn(probe.Outgoing, smtpAltU, probe.CodeConnectionRefused, "connect")})...)
		if r := f.Tests().Results[probe.Outgoing]; r.Code != probe.CodeTimeout || f.Outgoing().Server() != smtpOutU {
			t.Fatalf("outcome %s on %v, want the chosen server's timeout", r.Code, f.Outgoing().Server())
		}
	})
	t.Run("an unconfirmed detection's alternatives are not tried", func(t *testing.T) {
		guessed := found
		guessed.Source, guessed.Trusted = mailbox.SourceGuess, false
		f := New()
		apply(t, f, seq(toPassword(), []op{password("secret"), detected(guessed, nil), detectNext(), test()})...)
		if order := f.TestOrder(probe.Outgoing); len(order) != 1 || order[0] != f.Outgoing().Server() {
			t.Errorf("TestOrder() = %v, want the chosen server alone", order)
		}
	})
	t.Run("late tries of an earlier run are ignored", func(t *testing.T) {
		f := New()
		apply(t, f, toTest()...)
		run := f.Tests().Run
		apply(t, f, bothOK()...)
		apply(t, f, test())
		f.Tried(run, probe.Result{Role: probe.Outgoing, Code: probe.CodeTimeout})
		f.Trying(run, probe.Outgoing, smtpAlt)
		if len(f.Tests().Tries[probe.Outgoing]) != 0 || len(f.Tests().Testing) != 0 {
			t.Errorf("tries %+v, testing %+v", f.Tests().Tries, f.Tests().Testing)
		}
	})
}

// TestReenterPassword: after a refused password one action returns to the
// password, and the new one is tested at once.
func TestReenterPassword(t *testing.T) {
	f := New()
	apply(t, f, seq(toTest(), []op{tested(probe.Incoming, probe.CodeOK), tested(probe.Outgoing, probe.CodeOK)})...)
	if err := f.ReenterPassword(); err != ErrNotNow {
		t.Fatalf("ReenterPassword() after a pass = %v", err)
	}
	f = New()
	apply(t, f, seq(toTest(), []op{tested(probe.Incoming, probe.CodeAuthFailed), tested(probe.Outgoing, probe.CodeOK), reenterPassword()})...)
	if f.Step() != StepPassword {
		t.Fatalf("step %v", f.Step())
	}
	run := f.Tests().Run
	e, err := f.SubmitPassword("right")
	if err != nil || e != StartTest || f.Step() != StepTest || f.Tests().Run != run+1 || f.Options().Password != "right" {
		t.Fatalf("SubmitPassword() = %v, %v at %v, run %d, password %q", e, err, f.Step(), f.Tests().Run, f.Options().Password)
	}
	apply(t, f, back())
	if f.Step() != StepReview {
		t.Errorf("back from the new test goes to %v, want the review as before", f.Step())
	}
}

// TestAddressAlreadySaved: an address a saved account has is asked about
// once: replace it (keeping its name), or keep both under a free name.
func TestAddressAlreadySaved(t *testing.T) {
	saved := []store.Account{{Name: "work", Address: "Anna@Example.com"}, {Name: "work-2", Address: "other@example.com"}}
	ask := func() *Flow {
		f := New()
		f.SetAccounts(saved)
		apply(t, f, start(), protocol(probe.IMAP))
		if _, err := f.SubmitAddress("anna@example.com"); !errors.Is(err, ErrAlreadySaved) || f.Step() != StepAddress {
			t.Fatalf("SubmitAddress() = %v at %v, want ErrAlreadySaved", err, f.Step())
		}
		if a, ok := f.AlreadySaved(); !ok || a.Name != "work" {
			t.Fatalf("AlreadySaved() = %+v, %v", a, ok)
		}
		return f
	}
	t.Run("replace", func(t *testing.T) {
		f := ask()
		if e, err := f.ReplaceSaved(); err != nil || e != StartDetect || f.Step() != StepPassword {
			t.Fatalf("ReplaceSaved() = %v, %v at %v", e, err, f.Step())
		}
		apply(t, f, password("pw"), detected(found, nil), detectNext(), test(), tested(probe.Incoming, probe.CodeOK), tested(probe.Outgoing, probe.CodeOK))
		if a := f.Account(); a.Name != "work" || a.Beside {
			t.Errorf("Account() = name %q, beside %v; want the saved one replaced", a.Name, a.Beside)
		}
		// Going back and on does not ask again.
		apply(t, f, back(), back(), back(), back())
		if _, err := f.SubmitAddress("anna@example.com"); err != nil {
			t.Errorf("asked again: %v", err)
		}
	})
	t.Run("keep both", func(t *testing.T) {
		f := ask()
		if got := f.SuggestedName(); got != "work-3" {
			t.Errorf("SuggestedName() = %q, want the first free one", got)
		}
		var nt *store.NameTakenError
		for _, name := range []string{"work-2", "other@example.com"} {
			if _, err := f.KeepBoth(name); !errors.As(err, &nt) {
				t.Errorf("KeepBoth(%q) = %v, want a NameTakenError", name, err)
			}
		}
		if _, err := f.KeepBoth(" -x"); err == nil {
			t.Error("KeepBoth(-x) was taken")
		}
		if _, err := f.KeepBoth("home"); err != nil || f.Step() != StepPassword {
			t.Fatalf("KeepBoth(home) = %v at %v", err, f.Step())
		}
		if a := f.Account(); a.Name != "home" || !a.Beside || a.Address != "anna@example.com" {
			t.Errorf("Account() = %+v", a)
		}
	})
	t.Run("another address forgets the answer", func(t *testing.T) {
		f := ask()
		apply(t, f, back())
		apply(t, f, protocol(probe.IMAP), address("bob@example.com"))
		if a := f.Account(); a.Name != "bob@example.com" || a.Beside {
			t.Errorf("Account() = %+v", a)
		}
		if _, ok := f.AlreadySaved(); ok {
			t.Error("still asking")
		}
	})
	t.Run("not asked", func(t *testing.T) {
		f := New()
		if _, err := f.ReplaceSaved(); err != ErrNotNow {
			t.Errorf("ReplaceSaved() = %v", err)
		}
		if _, err := f.KeepBoth("x"); err != ErrNotNow {
			t.Errorf("KeepBoth() = %v", err)
		}
	})
}

// TestStepNumbers walks every path of stepGraph from the welcome to the
// summary (each move taken at most once a path): a forward move never
// skips a number of the counter, and every path shows every number from
// 1 to LastNumber.
func TestStepNumbers(t *testing.T) {
	for s := StepWelcome; s <= StepDone; s++ {
		if s.Number() < 1 || s.Number() > LastNumber() {
			t.Errorf("%v is number %d, want 1 to %d", s, s.Number(), LastNumber())
		}
	}
	type edge struct{ from, to Step }
	paths := 0
	var walk func(at Step, seen map[int]bool, used map[edge]bool, path []Step)
	walk = func(at Step, seen map[int]bool, used map[edge]bool, path []Step) {
		if at == StepDone {
			paths++
			for n := 1; n <= LastNumber(); n++ {
				if !seen[n] {
					t.Errorf("the path %v never shows step %d of %d", path, n, LastNumber())
				}
			}
			return
		}
		for _, to := range stepGraph[at] {
			e := edge{at, to}
			if used[e] {
				continue
			}
			if to.Number() > at.Number()+1 {
				t.Errorf("%v → %v skips from step %d to step %d", at, to, at.Number(), to.Number())
			}
			used[e] = true
			seen2 := maps.Clone(seen)
			seen2[to.Number()] = true
			walk(to, seen2, used, append(slices.Clone(path), to))
			delete(used, e)
		}
	}
	walk(StepWelcome, map[int]bool{1: true}, map[edge]bool{}, []Step{StepWelcome})
	if paths == 0 {
		t.Fatal("no path from the welcome to the summary")
	}
}

// typoFinder is testFinder that takes gmial.com and gmail.con for typos
// of gmail.com, as providers.DB.Suggest does.
type typoFinder struct{ finder }

func (typoFinder) Suggest(d string) (string, bool) {
	return "gmail.com", d == "gmial.com" || d == "gmail.con"
}

// run applies ops to a new flow, failing on a refusal, and returns the
// last effect.
func run(t *testing.T, f *Flow, ops ...op) Effect {
	t.Helper()
	var e Effect
	for _, o := range ops {
		var err error
		if e, err = o.do(f); err != nil {
			t.Fatalf("%s at %v: %v", o.name, f.Step(), err)
		}
	}
	return e
}

func TestTypo(t *testing.T) {
	checked := func(hasMail bool, err error) op {
		return op{"CheckedAddress", func(f *Flow) (Effect, error) { return f.CheckedAddress(f.typo.Run, hasMail, err) }}
	}
	dnsDown := errors.New("dns: connection refused")
	for _, tt := range []struct {
		name    string
		address string
		hasMail bool
		err     error
		meant   string
	}{
		{"no mail there", "mario@gmial.com", false, nil, "mario@gmail.com"},
		{"a domain that cannot exist", "mario@gmail.con", false, nil, "mario@gmail.com"},
		{"the domain has mail", "mario@gmial.com", true, nil, ""},
		{"DNS cannot tell", "mario@gmial.com", false, dnsDown, ""},
		{"DNS cannot tell, a domain that cannot exist", "mario@gmail.con", false, dnsDown, "mario@gmail.com"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := New()
			f.SetProviders(typoFinder{testFinder})
			if e := run(t, f, start(), protocol(probe.IMAP), address(tt.address)); e != StartCheckAddress || f.Step() != StepAddress || !f.Typo().Checking {
				t.Fatalf("SubmitAddress() = %v at %v, %+v; want StartCheckAddress at the address", e, f.Step(), f.Typo())
			}
			if !slices.Contains(f.Running(), StartCheckAddress) {
				t.Errorf("Running() = %v, want the check", f.Running())
			}
			e := run(t, f, checked(tt.hasMail, tt.err))
			if f.Typo().Meant != tt.meant {
				t.Errorf("Meant = %q, want %q", f.Typo().Meant, tt.meant)
			}
			if tt.meant == "" {
				if e != StartDetect || f.Step() == StepAddress || f.Email() != tt.address {
					t.Errorf("CheckedAddress() = %v at %v with %q, want the address taken as typed", e, f.Step(), f.Email())
				}
				return
			}
			if e != NoEffect || f.Step() != StepAddress {
				t.Fatalf("CheckedAddress() = %v at %v, want to stay at the address", e, f.Step())
			}
			// A late answer of the same check changes nothing.
			if _, err := f.CheckedAddress(f.typo.Run, true, nil); !errors.Is(err, ErrNotNow) {
				t.Errorf("a second answer: %v, want ErrNotNow", err)
			}
			// The same address again is taken as typed, without asking.
			if e := run(t, f, address(tt.address)); e != StartDetect || f.Email() != tt.address || f.Typo().Meant != "" {
				t.Errorf("the same address again = %v, %q, %+v; want it taken, the question answered", e, f.Email(), f.Typo())
			}
		})
	}
	t.Run("the suggestion taken", func(t *testing.T) {
		f := New()
		f.SetProviders(typoFinder{testFinder})
		run(t, f, start(), protocol(probe.IMAP), address("mario@gmial.com"), checked(false, nil))
		if e := run(t, f, address(f.Typo().Meant)); e != StartDetect || f.Step() != StepHint || f.Provider() == nil || f.Provider().ID != "gmail" {
			t.Errorf("the suggestion = %v at %v, provider %v", e, f.Step(), f.Provider())
		}
	})
	t.Run("a stale answer", func(t *testing.T) {
		f := New()
		f.SetProviders(typoFinder{testFinder})
		run(t, f, start(), protocol(probe.IMAP), address("mario@gmial.com"))
		stale := f.typo.Run
		run(t, f, address("mario@gmail.con"))
		if _, err := f.CheckedAddress(stale, false, nil); !errors.Is(err, ErrNotNow) || f.Typo().Meant != "" {
			t.Errorf("a stale answer: %v, %+v", err, f.Typo())
		}
	})
	t.Run("back while checking", func(t *testing.T) {
		f := New()
		f.SetProviders(typoFinder{testFinder})
		run(t, f, start(), protocol(probe.IMAP), address("mario@gmial.com"))
		stale := f.typo.Run
		run(t, f, back())
		if _, err := f.CheckedAddress(stale, false, nil); !errors.Is(err, ErrNotNow) {
			t.Errorf("an answer after going back: %v", err)
		}
		if e := run(t, f, protocol(probe.IMAP), address("mario@gmial.com")); e != StartCheckAddress {
			t.Errorf("the address given again = %v, want it checked again", e)
		}
	})
	t.Run("no finder that suggests", func(t *testing.T) {
		f := New()
		f.SetProviders(testFinder)
		if e := run(t, f, start(), protocol(probe.IMAP), address("mario@gmial.com")); e != StartDetect {
			t.Errorf("SubmitAddress() = %v, want StartDetect", e)
		}
	})
}

func TestSetName(t *testing.T) {
	f := New()
	if err := f.SetName("Anna"); !errors.Is(err, ErrNotNow) {
		t.Errorf("SetName() at the welcome = %v, want ErrNotNow", err)
	}
	run(t, f, start(), protocol(probe.IMAP))
	for name, want := range map[string]error{"Anna\nBcc: x@example.com": store.ErrDisplayNameControl, strings.Repeat("a", 101): store.ErrDisplayNameTooLong} {
		if err := f.SetName(name); !errors.Is(err, want) {
			t.Errorf("SetName(%.10q) = %v, want %v", name, err, want)
		}
	}
	if err := f.SetName("  Anna Rossi "); err != nil || f.Name() != "Anna Rossi" {
		t.Fatalf("SetName() = %v, name %q", err, f.Name())
	}
	run(t, f, seq([]op{address("anna@example.com"), password("secret"), detected(found, nil), detectNext(), test()}, bothOK())...)
	if m := f.TestMessage(probe.Italian); m.Name != "Anna Rossi" || m.Address != "anna@example.com" {
		t.Errorf("TestMessage() = %+v", m)
	}
	if a := f.Account(); a.DisplayName != "Anna Rossi" {
		t.Errorf("Account().DisplayName = %q", a.DisplayName)
	}
}

func TestRetryDetect(t *testing.T) {
	f := New()
	run(t, f, toPassword()...)
	run(t, f, password("secret"))
	if _, err := f.RetryDetect(); !errors.Is(err, ErrNotNow) {
		t.Errorf("RetryDetect() while detecting = %v, want ErrNotNow", err)
	}
	run(t, f, detected(mailbox.Detection{}, errors.New("no internet connection")))
	run0 := f.Detect().Run
	if e, err := f.RetryDetect(); e != StartDetect || err != nil || f.Detect().Run != run0+1 || !f.Detect().Running || f.Detect().Err != nil {
		t.Fatalf("RetryDetect() = %v, %v; %+v", e, err, f.Detect())
	}
	run(t, f, detected(found, nil), detectNext())
	if f.Step() != StepReview {
		t.Errorf("after a retry that found settings: %v", f.Step())
	}
	if _, err := f.RetryDetect(); !errors.Is(err, ErrNotNow) {
		t.Errorf("RetryDetect() on the review = %v, want ErrNotNow", err)
	}
}
