package export

import (
	"fmt"
	"strings"

	"github.com/postino/postino/probe"
)

var (
	textHimalayaVersion = probe.Text{EN: "Written for himalaya 2, the release after 1.2.0: its keys (imap.server and smtp.server as URLs, *.starttls, *.tls.cert, *.sasl.plain.password.command, *.sasl.oauthbearer and *.sasl.xoauth2 with token.command) are those of config.sample.toml in pimalaya/himalaya; himalaya 1 reads other keys (backend.*, message.send.backend.*).", IT: "Scritto per himalaya 2, la versione successiva alla 1.2.0: le chiavi (imap.server e smtp.server come URL, *.starttls, *.tls.cert, *.sasl.plain.password.command, *.sasl.oauthbearer e *.sasl.xoauth2 con token.command) sono quelle di config.sample.toml in pimalaya/himalaya; himalaya 1 usa altre chiavi (backend.*, message.send.backend.*)."}
	textHimalayaToken   = probe.Text{EN: "himalaya 2 signs in with OAuth2 by the SASL mechanism named in the key (oauthbearer or xoauth2) and takes token.command as a list of arguments: sh -c runs the token command in it.", IT: "himalaya 2 accede con OAuth2 tramite il meccanismo SASL indicato nella chiave (oauthbearer o xoauth2) e vuole token.command come elenco di argomenti: sh -c vi esegue il comando del token."}
)

// Himalaya is an account table for himalaya's config.toml, in the syntax
// of himalaya 2: server URLs, SASL PLAIN with the password from a command,
// or, for a server that signs in with OAuth2, SASL OAUTHBEARER or XOAUTH2
// with the access token from a command.
func Himalaya(in Input) ([]byte, error) {
	a, err := prepare(in, "himalaya", true, true, true, true)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	notes := append([]string{a.madeBy()}, a.secretNotes(a.in, a.out)...)
	notes = append(notes, textHimalayaVersion.In(a.Lang))
	if a.in.Auth == probe.AuthOAuth2 || a.out.Auth == probe.AuthOAuth2 {
		notes = append(notes, textHimalayaToken.In(a.Lang))
	}
	if len(a.Pins) > 0 {
		notes = append(notes, textNoPinning.In(a.Lang, a.Pins[0]))
	}
	notes = append(notes, a.ipNotes(a.in, a.out)...)
	commentLines(&b, "# ", notes...)
	b.WriteString("[accounts." + tomlKey(a.Name) + "]\n")
	b.WriteString("default = true\n")
	b.WriteString("email = " + tomlString(a.Address) + "\n")
	if a.DisplayName != "" {
		b.WriteString("display-name = " + tomlString(a.DisplayName) + "\n")
	}
	for _, s := range []*probe.Server{a.in, a.out} {
		p := string(s.Protocol)
		b.WriteString("\n")
		if s.Security == probe.None {
			commentLines(&b, "# ", textCleartext.In(a.Lang, s.String()))
		}
		b.WriteString(p + ".server = " + tomlString(himalayaURL(s)) + "\n")
		if s.Security == probe.StartTLS {
			b.WriteString(p + ".starttls = true\n")
		}
		if a.CAFile != "" && s.Security != probe.None {
			b.WriteString(p + ".tls.cert = " + tomlString(a.CAFile) + "\n")
		}
		if s.Auth == probe.AuthOAuth2 {
			mech := p + ".sasl." + strings.ToLower(a.mechanism(s))
			b.WriteString(mech + ".username = " + tomlString(s.Username) + "\n")
			b.WriteString(mech + ".token.command = [\"sh\", \"-c\", " + tomlString(a.secret(s)) + "]\n")
			continue
		}
		b.WriteString(p + ".sasl.plain.username = " + tomlString(s.Username) + "\n")
		b.WriteString(p + ".sasl.plain.password.command = " + tomlString(a.credential()) + "\n")
	}
	return []byte(b.String()), nil
}

// himalayaURL: imaps/smtps for implicit TLS, imap/smtp otherwise (with
// starttls set for STARTTLS).
func himalayaURL(s *probe.Server) string {
	scheme := string(s.Protocol)
	if s.Security == probe.TLS {
		scheme += "s"
	}
	return scheme + "://" + s.Address()
}

// tomlKey is a bare key when it can be, else a quoted one.
func tomlKey(s string) string {
	bare := s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
	})
	if bare {
		return s
	}
	return tomlString(s)
}

// tomlString is a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
