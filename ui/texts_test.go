package ui

import (
	"strings"
	"testing"

	"github.com/postino/postino/probe"
)

func TestWriteReport(t *testing.T) {
	ok := probe.Result{
		Role: probe.Incoming, OK: true, Code: probe.CodeOK, LoggedIn: true, Software: "Dovecot",
		Server: probe.Server{Protocol: probe.IMAP, Host: "mail.example.com", Port: 993, Security: probe.TLS},
		TLS:    &probe.TLSInfo{Version: "TLS 1.3", Verified: true},
	}
	bad := probe.Result{
		Role: probe.Outgoing, Code: probe.CodeCertificateUntrusted,
		Server:  probe.Server{Protocol: probe.SMTP, Host: "mail.example.com", Port: 587, Security: probe.StartTLS},
		TLS:     &probe.TLSInfo{Version: "TLS 1.2", Certificate: &probe.CertInfo{Subject: "CN=mail.example.com", Issuer: "CN=Home CA", SHA256: "00ff"}},
		Failure: &probe.Failure{Code: probe.CodeCertificateUntrusted, Step: "tls"},
	}
	for lang, want := range map[probe.Lang][]string{
		"en": {"✓  incoming  IMAP  mail.example.com:993  SSL/TLS  TLS 1.3  Dovecot", "✗  outgoing  SMTP  mail.example.com:587  STARTTLS  TLS 1.2", "What to do:", "--pin sha256:00ff", "SHA-256 fingerprint: 00ff", "Some settings do not work"},
		"it": {"✓  in arrivo  IMAP", "✗  in uscita  SMTP", "Cosa fare:", "Impronta SHA-256: 00ff", "Alcune impostazioni non funzionano"},
	} {
		var b strings.Builder
		WriteReport(&b, []probe.Result{ok, bad}, lang)
		for _, w := range want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("WriteReport(%s) lacks %q:\n%s", lang, w, b.String())
			}
		}
	}
}
