package export

import (
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/postino/postino/probe"
)

// Msmtp is an msmtprc for sending with the account. The password, or the
// OAuth2 access token (auth oauthbearer or xoauth2), comes from
// passwordeval; a pinned certificate becomes tls_fingerprint, which msmtp
// trusts whatever its issuer.
func Msmtp(in Input) ([]byte, error) {
	a, err := prepare(in, "msmtp", false, true, false, true)
	if err != nil {
		return nil, err
	}
	cred := a.secret(a.out)
	for _, v := range []string{cred, a.out.Username} {
		if hasControl(v) {
			return nil, a.fail(Unwritable, v)
		}
	}
	s := a.out
	var b strings.Builder
	notes := append([]string{a.madeBy()}, a.secretNotes(s)...)
	if a.CAFile != "" {
		notes = append(notes, textCAFile.In(a.Lang, a.CAFile))
	}
	if s.Security == probe.None {
		notes = append(notes, textCleartext.In(a.Lang, s.String()))
	}
	notes = append(notes, a.ipNotes(s)...)
	commentLines(&b, "# ", notes...)
	name := identifier(a.Name)
	line := func(k, v string) { b.WriteString(k + " " + v + "\n") }
	line("account", name)
	line("host", s.Host)
	line("port", strconv.Itoa(s.Port))
	line("from", msmtpQuote(a.Address))
	auth := "on"
	if s.Auth == probe.AuthOAuth2 {
		auth = strings.ToLower(a.mechanism(s))
	}
	line("auth", auth)
	line("user", msmtpQuote(s.Username))
	line("passwordeval", msmtpQuote(cred))
	line("tls", onOff(s.Security != probe.None))
	if s.Security != probe.None {
		line("tls_starttls", onOff(s.Security == probe.StartTLS))
		if pin, ok := a.pinFor(s); ok {
			line("tls_fingerprint", colonHex(pin))
		} else if a.CAFile != "" {
			line("tls_trust_file", msmtpQuote(a.CAFile))
		}
	}
	b.WriteString("\naccount default : " + name + "\n")
	return []byte(b.String()), nil
}

// msmtpQuote quotes a value for msmtprc when it needs it.
func msmtpQuote(s string) string {
	if plainWord.MatchString(s) {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// colonHex is a fingerprint as AB:CD:..., the form msmtp reads.
func colonHex(p probe.Pin) string {
	h := strings.ToUpper(hex.EncodeToString(p[:]))
	parts := make([]string, 0, len(h)/2)
	for i := 0; i < len(h); i += 2 {
		parts = append(parts, h[i:i+2])
	}
	return strings.Join(parts, ":")
}
