package ui

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/postino/postino/probe"
)

var (
	textIncoming  = probe.Text{EN: "incoming", IT: "in arrivo"}
	textOutgoing  = probe.Text{EN: "outgoing", IT: "in uscita"}
	textWhy       = probe.Text{EN: "Why", IT: "Perché"}
	textToDo      = probe.Text{EN: "What to do", IT: "Cosa fare"}
	textCert      = probe.Text{EN: "Certificate", IT: "Certificato"}
	textCertLine  = probe.Text{EN: "%s, issued by %s, valid until %s", IT: "%s, emesso da %s, valido fino al %s"}
	textFinger    = probe.Text{EN: "SHA-256 fingerprint", IT: "Impronta SHA-256"}
	textAllGood   = probe.Text{EN: "All settings work.", IT: "Tutte le impostazioni funzionano."}
	textNoLogin   = probe.Text{EN: "The connection and TLS work; the login was not tested.", IT: "La connessione e il TLS funzionano; l'accesso non è stato provato."}
	textSomeBad   = probe.Text{EN: "Some settings do not work: see above.", IT: "Alcune impostazioni non funzionano: vedi sopra."}
	textFallback  = probe.Text{EN: "fallback", IT: "alternativa"}
	textRoleNames = map[probe.Role]probe.Text{probe.Incoming: textIncoming, probe.Outgoing: textOutgoing}
)

// WriteReport prints test results for a person: one line per server and, for
// a failure, what happened, why, and what to do.
func WriteReport(w io.Writer, results []probe.Result, lang probe.Lang) {
	seen := map[probe.Role]bool{}
	for _, r := range results {
		e := probe.Explain(r, results, lang)
		mark := "✓"
		if !r.OK {
			mark = "✗"
		}
		role := textRoleNames[r.Role].In(lang)
		if seen[r.Role] {
			role += " (" + textFallback.In(lang) + ")"
		}
		seen[r.Role] = true
		fields := []string{mark, role, strings.ToUpper(string(r.Server.Protocol)), r.Server.Address(), r.Server.Security.Describe(lang)}
		if r.TLS != nil && r.TLS.Version != "" {
			fields = append(fields, r.TLS.Version)
		}
		if r.Software != "" {
			fields = append(fields, r.Software)
		}
		fields = append(fields, formatDuration(r.Elapsed))
		fmt.Fprintln(w, strings.Join(fields, "  "))
		fmt.Fprintf(w, "    %s\n", e.What)
		if !r.OK {
			if e.Why != "" {
				fmt.Fprintf(w, "    %s: %s\n", textWhy.In(lang), e.Why)
			}
			if cert := certificateOf(r); cert != nil && isCertificateCode(r.Code) {
				fmt.Fprintf(w, "    %s: %s\n", textCert.In(lang), textCertLine.In(lang, cert.Subject, cert.Issuer, cert.NotAfter.Format(time.DateOnly)))
				fmt.Fprintf(w, "    %s: %s\n", textFinger.In(lang), cert.SHA256)
			}
			if len(e.Fix) > 0 {
				fmt.Fprintf(w, "    %s:\n", textToDo.In(lang))
				for i, f := range e.Fix {
					fmt.Fprintf(w, "      %d. %s\n", i+1, f)
				}
			}
		}
		for _, n := range e.Notes {
			fmt.Fprintf(w, "    %s\n", n)
		}
	}
	switch {
	case probe.Passed(results) && !probe.LoginTested(results):
		fmt.Fprintln(w, textNoLogin.In(lang))
	case probe.Passed(results):
		fmt.Fprintln(w, textAllGood.In(lang))
	default:
		fmt.Fprintln(w, textSomeBad.In(lang))
	}
}

func certificateOf(r probe.Result) *probe.CertInfo {
	if r.TLS == nil {
		return nil
	}
	return r.TLS.Certificate
}

func isCertificateCode(c probe.Code) bool {
	switch c {
	case probe.CodeCertificateUntrusted, probe.CodeCertificateChanged, probe.CodeCertificateHostMismatch, probe.CodeCertificateExpired:
		return true
	}
	return false
}

// formatDuration is milliseconds below a second, else seconds with one decimal.
func formatDuration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}
