package export

import (
	"strings"

	"github.com/postino/postino/probe"
)

var textMuttPin = probe.Text{EN: "NeoMutt cannot trust a certificate by its fingerprint (%s): it shows the certificate and asks; accept it only if the fingerprint matches.", IT: "NeoMutt non sa fidarsi di un certificato per la sua impronta (%s): mostra il certificato e chiede; accettalo solo se l'impronta coincide."}

// NeoMutt is a muttrc for the account. The passwords are set from the
// credential command in backticks, which NeoMutt runs when it reads the
// file, so the file holds none; a server that signs in with OAuth2 gets
// its access token from the token command, which NeoMutt runs as its
// OAuth refresh command whenever it logs in.
func NeoMutt(in Input) ([]byte, error) {
	a, err := prepare(in, "neomutt", true, true, false, true)
	if err != nil {
		return nil, err
	}
	for _, s := range []*probe.Server{a.in, a.out} {
		if cmd := a.secret(s); strings.ContainsAny(cmd, "`") || hasControl(cmd) {
			return nil, a.fail(Unwritable, cmd)
		}
	}
	var b strings.Builder
	notes := append([]string{a.madeBy()}, a.secretNotes(a.in, a.out)...)
	if a.CAFile != "" {
		notes = append(notes, textCAFile.In(a.Lang, a.CAFile))
	}
	for _, p := range a.Pins {
		notes = append(notes, textMuttPin.In(a.Lang, p))
	}
	for _, s := range []*probe.Server{a.in, a.out} {
		if s.Security == probe.None {
			notes = append(notes, textCleartext.In(a.Lang, s.String()))
		}
	}
	notes = append(notes, a.ipNotes(a.in, a.out)...)
	commentLines(&b, "# ", notes...)
	set := func(name, value string) { b.WriteString("set " + name + " = " + muttQuote(value) + "\n") }
	// signIn sets how NeoMutt logs in to s, for the variables that begin
	// with prefix: the password from the credential command, or OAuth2
	// with the mechanism the server takes first.
	signIn := func(prefix string, s *probe.Server) {
		if s.Auth != probe.AuthOAuth2 {
			b.WriteString("set " + prefix + "_pass = \"`" + a.credential() + "`\"\n")
			return
		}
		mechs := "oauthbearer:xoauth2"
		if a.mechanism(s) == "XOAUTH2" {
			mechs = "xoauth2:oauthbearer"
		}
		set(prefix+"_authenticators", mechs)
		set(prefix+"_oauth_refresh_command", Token(a.Input))
	}
	if a.DisplayName != "" {
		set("real_name", a.DisplayName)
	}
	set("from", a.Address)
	switch a.in.Protocol {
	case probe.IMAP:
		set("imap_user", a.in.Username)
		signIn("imap", a.in)
		set("folder", muttURL(a.in)+"/")
		set("spool_file", "+INBOX")
		set("record", "+Sent")
		set("postponed", "+Drafts")
	case probe.POP3:
		set("pop_user", a.in.Username)
		signIn("pop", a.in)
		set("pop_host", muttURL(a.in))
		set("spool_file", muttURL(a.in)+"/")
	}
	set("smtp_url", muttURL(a.out)+"/")
	set("smtp_user", a.out.Username)
	signIn("smtp", a.out)
	tlsEverywhere := a.in.Security != probe.None && a.out.Security != probe.None
	b.WriteString("set ssl_force_tls = " + yesNo(tlsEverywhere) + "\n")
	b.WriteString("set ssl_starttls = " + yesNo(tlsEverywhere) + "\n")
	if a.CAFile != "" {
		set("ssl_ca_certificates_file", a.CAFile)
	}
	return []byte(b.String()), nil
}

// muttURL is the server's URL as NeoMutt names it: imaps, imap (STARTTLS
// once ssl_starttls is set), pops, pop, smtps, smtp.
func muttURL(s *probe.Server) string {
	scheme := map[probe.Protocol]string{probe.IMAP: "imap", probe.POP3: "pop", probe.SMTP: "smtp"}[s.Protocol]
	if s.Security == probe.TLS {
		scheme += "s"
	}
	return scheme + "://" + s.Address()
}

// muttQuote quotes a value for a muttrc: inside double quotes a backslash
// escapes, and backticks and $ would run or expand something.
func muttQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", `$`, `\$`, "\n", `\n`, "\r", `\r`, "\t", `\t`)
	return `"` + r.Replace(s) + `"`
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
