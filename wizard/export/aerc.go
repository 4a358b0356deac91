package export

import (
	"net/mail"
	"net/url"
	"strings"

	"github.com/postino/postino/probe"
)

var textAercCA = probe.Text{EN: "aerc trusts the system's authorities; for the ones in %s, start it as SSL_CERT_FILE=%s aerc.", IT: "aerc si fida delle autorità del sistema; per quelle in %s, avvialo con SSL_CERT_FILE=%s aerc."}

// Aerc is an account section for aerc's accounts.conf. aerc reads mail
// over IMAP only; its URLs follow the same convention as postino's. A
// server that signs in with OAuth2 gets +oauthbearer or +xoauth2 in its
// URL, and its cred-cmd gives the access token (with no token_endpoint,
// aerc uses what the command prints as the token).
func Aerc(in Input) ([]byte, error) {
	a, err := prepare(in, "aerc", true, true, true, true)
	if err != nil {
		return nil, err
	}
	for _, v := range []string{a.Name, a.secret(a.in), a.secret(a.out), a.DisplayName} {
		if hasControl(v) {
			return nil, a.fail(Unwritable, v)
		}
	}
	if strings.ContainsAny(a.Name, "[]") {
		return nil, a.fail(Unwritable, a.Name)
	}
	for _, s := range []*probe.Server{a.in, a.out} {
		// aerc has no URL for OAuth2 without TLS, and a token must not
		// travel in the clear anyway.
		if s.Auth == probe.AuthOAuth2 && s.Security == probe.None {
			return nil, a.fail(Unwritable, s.String())
		}
	}
	var b strings.Builder
	notes := append([]string{a.madeBy()}, a.secretNotes(a.in, a.out)...)
	if a.CAFile != "" {
		notes = append(notes, textAercCA.In(a.Lang, a.CAFile, shellQuote(a.CAFile)))
	}
	if len(a.Pins) > 0 {
		notes = append(notes, textNoPinning.In(a.Lang, a.Pins[0]))
	}
	notes = append(notes, a.ipNotes(a.in, a.out)...)
	commentLines(&b, "# ", notes...)
	from := (&mail.Address{Name: a.DisplayName, Address: a.Address}).String()
	b.WriteString("[" + a.Name + "]\n")
	b.WriteString("source            = " + a.aercURL(a.in) + "\n")
	b.WriteString("source-cred-cmd   = " + a.secret(a.in) + "\n")
	b.WriteString("outgoing          = " + a.aercURL(a.out) + "\n")
	b.WriteString("outgoing-cred-cmd = " + a.secret(a.out) + "\n")
	b.WriteString("from              = " + from + "\n")
	b.WriteString("default           = INBOX\n")
	b.WriteString("copy-to           = Sent\n")
	return []byte(b.String()), nil
}

// aercURL is the server's URL with the user name in it, escaped, and the
// OAuth2 mechanism after the scheme.
func (a *account) aercURL(s *probe.Server) string {
	scheme := strings.SplitN(s.String(), "://", 2)[0]
	if s.Auth == probe.AuthOAuth2 {
		scheme += "+" + strings.ToLower(a.mechanism(s))
	}
	u := url.URL{Scheme: scheme, User: url.User(s.Username), Host: s.Address()}
	return u.String()
}
