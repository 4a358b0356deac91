package ui

import (
	"strings"
	"testing"

	"github.com/postino/postino/probe"
)

func TestLang(t *testing.T) {
	tests := []struct {
		flag string
		env  map[string]string
		want string
		bad  bool
	}{
		{"", nil, "en", false},
		{"it", nil, "it", false},
		{"IT", map[string]string{"LANG": "en_US"}, "it", false},
		{"en", map[string]string{"LANG": "it_IT.UTF-8"}, "en", false},
		{"", map[string]string{"LANG": "it_IT.UTF-8"}, "it", false},
		{"", map[string]string{"LC_MESSAGES": "it_CH", "LANG": "en_GB"}, "it", false},
		{"", map[string]string{"LC_ALL": "C", "LANG": "it_IT"}, "en", false},
		{"de", nil, "en", true},
	}
	for _, tt := range tests {
		got, err := Lang(tt.flag, func(k string) string { return tt.env[k] })
		if got != tt.want || (err != nil) != tt.bad {
			t.Errorf("Lang(%q, %v) = %q, %v; want %q, error %v", tt.flag, tt.env, got, err, tt.want, tt.bad)
		}
	}
}

func TestEveryURLProblemHasTexts(t *testing.T) {
	for p := probe.URLMalformed; p <= probe.URLBadPort; p++ {
		tx, ok := URLTexts[p]
		if !ok || tx.EN == "" || tx.IT == "" || tx.EN == tx.IT {
			t.Errorf("URLTexts[%d] = %+v, want an English and an Italian text", p, tx)
		}
	}
}

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
	for lang, want := range map[string][]string{
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
