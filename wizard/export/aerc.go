package export

import (
	"net/mail"
	"net/url"
	"strings"

	"github.com/postino/postino/probe"
)

var textAercCA = probe.Text{EN: "aerc trusts the system's authorities; for the ones in %s, start it as SSL_CERT_FILE=%s aerc.", IT: "aerc si fida delle autorità del sistema; per quelle in %s, avvialo con SSL_CERT_FILE=%s aerc."}

// Aerc is an account section for aerc's accounts.conf. aerc reads mail
// over IMAP only; its URLs follow the same convention as postino's.
func Aerc(in Input) ([]byte, error) {
	a, err := prepare(in, "aerc", true, true, true, false)
	if err != nil {
		return nil, err
	}
	cred := a.credential()
	for _, v := range []string{a.Name, cred, a.DisplayName} {
		if hasControl(v) {
			return nil, a.fail(Unwritable, v)
		}
	}
	if strings.ContainsAny(a.Name, "[]") {
		return nil, a.fail(Unwritable, a.Name)
	}
	var b strings.Builder
	notes := []string{textMadeBy.In(a.Lang, a.Address), textPasswordCmd.In(a.Lang, cred)}
	if a.CAFile != "" {
		notes = append(notes, textAercCA.In(a.Lang, a.CAFile, shellQuote(a.CAFile)))
	}
	if len(a.Pins) > 0 {
		notes = append(notes, textNoPinning.In(a.Lang, a.Pins[0]))
	}
	commentLines(&b, "# ", notes...)
	from := (&mail.Address{Name: a.DisplayName, Address: a.Address}).String()
	b.WriteString("[" + a.Name + "]\n")
	b.WriteString("source            = " + aercURL(a.in) + "\n")
	b.WriteString("source-cred-cmd   = " + cred + "\n")
	b.WriteString("outgoing          = " + aercURL(a.out) + "\n")
	b.WriteString("outgoing-cred-cmd = " + cred + "\n")
	b.WriteString("from              = " + from + "\n")
	b.WriteString("default           = INBOX\n")
	b.WriteString("copy-to           = Sent\n")
	return []byte(b.String()), nil
}

// aercURL is the server's URL with the user name in it, escaped.
func aercURL(s *probe.Server) string {
	u := url.URL{Scheme: strings.SplitN(s.String(), "://", 2)[0], User: url.User(s.Username), Host: s.Address()}
	return u.String()
}
