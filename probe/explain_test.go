package probe

import (
	"strings"
	"testing"
	"time"
)

var allCodes = []Code{
	CodeOK, CodeDNSError, CodeConnectionRefused, CodeTimeout, CodeTLSHandshakeFailed,
	CodeTLSVersionTooOld, CodeCertificateUntrusted, CodeCertificateHostMismatch,
	CodeCertificateExpired, CodeStartTLSNotOffered, CodeStartTLSFailed, CodeCleartextRefused,
	CodeLoginDisabled, CodeAuthFailed, CodeAuthMechanismUnsupported, CodeUnexpectedPreauth,
	CodeServerUnavailable, CodeProtocolError, CodeCertificateChanged,
	CodeOAuthTokenRejected, CodeOAuthNotConfigured, CodeOAuthDenied, CodeOAuthExpired,
}

func failed(code Code, step string) Result {
	s := Server{Protocol: SMTP, Host: "smtp.example.com", Port: 587, Security: StartTLS, Username: "anna@example.com"}
	return Result{Server: s, Code: code, OK: code == CodeOK, Failure: &Failure{Code: code, Step: step}}
}

func TestExplainEveryCodeInBothLanguages(t *testing.T) {
	if len(texts) != len(allCodes) {
		t.Fatalf("texts has %d codes, want %d", len(texts), len(allCodes))
	}
	for _, code := range allCodes {
		r := failed(code, "login")
		en, it := Explain(r, nil, "en"), Explain(r, nil, "it")
		if en.What == "" || it.What == "" || en.What == it.What {
			t.Errorf("Explain(%s).What = %q (en), %q (it): want two different texts", code, en.What, it.What)
		}
		if strings.Contains(en.What+en.Why+strings.Join(en.Fix, ""), "%!") || strings.Contains(it.What+it.Why+strings.Join(it.Fix, ""), "%!") {
			t.Errorf("Explain(%s) has a formatting error: %+v / %+v", code, en, it)
		}
		if code != CodeOK && code != CodeAuthFailed && (en.Why == "" || it.Why == "") {
			t.Errorf("Explain(%s).Why is empty", code)
		}
		if code != CodeOK && (len(en.Fix) == 0 || len(en.Fix) != len(it.Fix)) {
			t.Errorf("Explain(%s).Fix = %d en, %d it: want the same advice in both", code, len(en.Fix), len(it.Fix))
		}
	}
}

func TestExplainUsesWhatWasObserved(t *testing.T) {
	r := failed(CodeCertificateUntrusted, "tls")
	r.TLS = &TLSInfo{Certificate: &CertInfo{Issuer: "CN=Avast Web/Mail Shield Root,O=Avast", SHA256: "ab12"}}
	if e := Explain(r, nil, "en"); !strings.Contains(e.Why, "Avast") || !strings.Contains(e.Why, "intercepting") || strings.Contains(strings.Join(e.Fix, " "), "--pin") {
		t.Errorf("untrusted Avast certificate: %+v, want interception named and no pin advice", e)
	}
	r.TLS.Certificate.Issuer = "CN=My Own CA"
	if e := Explain(r, nil, "it"); !strings.Contains(strings.Join(e.Fix, " "), "--pin sha256:ab12") {
		t.Errorf("self-signed certificate: %+v, want pin advice with the fingerprint", e)
	}

	r = failed(CodeCertificateChanged, "tls")
	r.TLS = &TLSInfo{Certificate: &CertInfo{Issuer: "CN=Kaspersky Anti-Virus Personal Root", SHA256: "cd34"}}
	if e := Explain(r, nil, "it"); !strings.Contains(e.Why, "Kaspersky") || !strings.Contains(e.Why, "sha256:cd34") || strings.Contains(strings.Join(e.Fix, " "), "--pin") {
		t.Errorf("changed certificate from Kaspersky: %+v, want interception named, the fingerprint shown and no pin advice", e)
	}
	r.TLS.Certificate.Issuer = "CN=mail.example.com"
	if e := Explain(r, nil, "en"); !strings.Contains(e.Why, "renewed") || !strings.Contains(strings.Join(e.Fix, " "), "--pin sha256:cd34") {
		t.Errorf("changed certificate: %+v, want the causes and pin advice for the new fingerprint", e)
	}

	r = failed(CodeCertificateHostMismatch, "tls")
	r.TLS = &TLSInfo{Certificate: &CertInfo{DNSNames: []string{"mail.other.net", "other.net"}, IPAddresses: []string{"192.0.2.7"}}}
	if e := Explain(r, nil, "en"); !strings.Contains(e.What, "mail.other.net, other.net, 192.0.2.7") {
		t.Errorf("hostname mismatch: %q, want the names the certificate carries", e.What)
	}

	r = failed(CodeCertificateExpired, "tls")
	r.TLS = &TLSInfo{Certificate: &CertInfo{NotAfter: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}}
	if e := Explain(r, nil, "it"); !strings.Contains(e.What, "2025-03-01") {
		t.Errorf("expired: %q, want the expiry date", e.What)
	}

	blocked := failed(CodeTimeout, "connect")
	other := Result{Server: Server{Protocol: SMTP, Host: "smtp.example.com", Port: 465, Security: TLS}, Code: CodeOK, OK: true}
	if e := Explain(blocked, []Result{blocked, other}, "en"); !strings.Contains(e.Why, "blocks port 587") || !strings.Contains(strings.Join(e.Fix, " "), "smtps://smtp.example.com:465") {
		t.Errorf("587 silent, 465 answering: %+v, want the blocked port named", e)
	}
	if e := Explain(blocked, []Result{blocked}, "en"); strings.Contains(e.Why, "blocks port") {
		t.Errorf("587 silent alone: %q, must not claim a blocked port", e.Why)
	}

	auth := failed(CodeAuthFailed, "login")
	auth.Failure.Reply = "534 5.7.9 Application-specific password required"
	e := Explain(auth, nil, "en")
	if !strings.Contains(e.Why, "Application-specific password required") || !strings.Contains(strings.Join(e.Fix, " "), "app password") {
		t.Errorf("app password reply: %+v", e)
	}
	if !strings.Contains(e.Fix[0], "anna@example.com") {
		t.Errorf("auth failed: %q, want the user name shown", e.Fix[0])
	}

	oauth := failed(CodeAuthMechanismUnsupported, "login")
	oauth.AuthMechanisms = []string{"XOAUTH2", "OAUTHBEARER"}
	if e := Explain(oauth, nil, "en"); !strings.Contains(strings.Join(e.Fix, " "), "OAuth2") {
		t.Errorf("oauth only: %+v", e)
	}

	injected := failed(CodeStartTLSFailed, "starttls")
	injected.Failure.Err = errInjected
	if e := Explain(injected, nil, "en"); !strings.Contains(e.Why, "before the encryption started") {
		t.Errorf("injection: %q", e.Why)
	}

	courier := Result{Server: Server{Protocol: IMAP, Host: "h", Port: 993, Security: TLS}, OK: true, Code: CodeOK, LoggedIn: true, Greeting: "* OK Courier-IMAP ready."}
	if e := Explain(courier, nil, "it"); len(e.Notes) != 1 || !strings.Contains(e.Notes[0], "CRM") {
		t.Errorf("Courier: notes %q, want the CRM note", e.Notes)
	}
}
