package export

import (
	"strconv"
	"strings"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/mailbox"
)

var (
	textMbsyncPin    = probe.Text{EN: "To trust the certificate pinned by fingerprint (%s), save the server's certificate as PEM and name it in CertificateFile: mbsync trusts a certificate listed there whatever its issuer.", IT: "Per fidarti del certificato fissato per impronta (%s), salva il certificato del server in PEM e indicalo in CertificateFile: mbsync si fida di un certificato elencato lì, chiunque l'abbia emesso."}
	textMbsyncUsage  = probe.Text{EN: "Run: mbsync -c %s %s. Mail is kept in %s; create that folder first.", IT: "Esegui: mbsync -c %s %s. La posta è tenuta in %s; crea prima quella cartella."}
	textMbsyncSyntax = probe.Text{EN: "Written for isync 1.4 (SSLType and SSLVersions; isync 1.5 reads them too).", IT: "Scritto per isync 1.4 (SSLType e SSLVersions; anche isync 1.5 li legge)."}
	textMbsyncIP     = probe.Text{EN: "isync 1.4 checks the host only against the certificate's DNS names and common name, never its IP address entries: with SSLType %s it refuses %s unless the server's own certificate (not only its authority) is listed in CertificateFile, which it then trusts whatever names it carries.", IT: "isync 1.4 confronta l'host solo con i nomi DNS e il common name del certificato, mai con gli indirizzi IP che contiene: con SSLType %s rifiuta %s a meno che il certificato del server stesso (non solo la sua autorità) sia elencato in CertificateFile, di cui allora si fida qualunque nome riporti."}
	textMbsyncOAuth  = probe.Text{EN: "mbsync signs in with XOAUTH2 through Cyrus SASL, which needs a plugin for it: on Debian and Ubuntu, install libsasl2-modules-kdexoauth2. PassCmd then gives the access token.", IT: "mbsync accede con XOAUTH2 tramite Cyrus SASL, a cui serve un modulo aggiuntivo: su Debian e Ubuntu, installa libsasl2-modules-kdexoauth2. PassCmd fornisce allora il token di accesso."}
)

// Mbsync is an mbsyncrc that copies the account's IMAP mailboxes into a
// local Maildir. The password, or the OAuth2 access token (AuthMechs
// XOAUTH2), comes from PassCmd.
func Mbsync(in Input) ([]byte, error) {
	a, err := prepare(in, "mbsync", true, false, true, true)
	if err != nil {
		return nil, err
	}
	cred := a.secret(a.in)
	for _, v := range []string{cred, a.in.Username, a.Maildir, a.CAFile} {
		if hasControl(v) {
			return nil, a.fail(Unwritable, v)
		}
	}
	name := identifier(a.Name)
	maildir := a.Maildir
	if maildir == "" {
		maildir = "~/Mail/" + name
	}
	maildir = strings.TrimRight(maildir, "/") + "/"
	s := a.in
	var b strings.Builder
	notes := append([]string{a.madeBy()}, a.secretNotes(s)...)
	notes = append(notes, textMbsyncUsage.In(a.Lang, a.path("~/.mbsyncrc"), name, maildir), textMbsyncSyntax.In(a.Lang))
	if s.Auth == probe.AuthOAuth2 {
		notes = append(notes, textMbsyncOAuth.In(a.Lang))
	}
	if a.CAFile != "" {
		notes = append(notes, textCAFile.In(a.Lang, a.CAFile))
	}
	for _, p := range a.Pins {
		notes = append(notes, textMbsyncPin.In(a.Lang, p))
	}
	if s.Security == probe.None {
		notes = append(notes, textCleartext.In(a.Lang, s.String()))
	}
	notes = append(notes, a.ipNotes(s)...)
	if s.Security != probe.None && mailbox.IsIP(s.Host) {
		notes = append(notes, textMbsyncIP.In(a.Lang, map[probe.Security]string{probe.TLS: "IMAPS", probe.StartTLS: "STARTTLS"}[s.Security], s.Host))
	}
	commentLines(&b, "# ", notes...)
	line := func(k, v string) { b.WriteString(k + " " + v + "\n") }
	line("IMAPAccount", name)
	line("Host", s.Host)
	line("Port", strconv.Itoa(s.Port))
	line("User", mbsyncQuote(s.Username))
	line("PassCmd", mbsyncQuote(cred))
	if s.Auth == probe.AuthOAuth2 {
		line("AuthMechs", "XOAUTH2")
	} else {
		// Without a list, mbsync takes any mechanism Cyrus SASL has: with
		// the XOAUTH2 plugin installed it would send the password as a
		// bearer token.
		line("AuthMechs", "PLAIN LOGIN")
	}
	line("SSLType", map[probe.Security]string{probe.TLS: "IMAPS", probe.StartTLS: "STARTTLS", probe.None: "None"}[s.Security])
	if s.Security != probe.None {
		line("SSLVersions", "TLSv1.2 TLSv1.3")
		if a.CAFile != "" {
			line("CertificateFile", mbsyncQuote(a.CAFile))
		}
	}
	b.WriteString("\n")
	line("IMAPStore", name+"-remote")
	line("Account", name)
	b.WriteString("\n")
	line("MaildirStore", name+"-local")
	line("Path", mbsyncQuote(maildir))
	line("Inbox", mbsyncQuote(maildir+"INBOX"))
	line("SubFolders", "Verbatim")
	b.WriteString("\n")
	line("Channel", name)
	line("Far", ":"+name+"-remote:")
	line("Near", ":"+name+"-local:")
	line("Patterns", "*")
	line("Create", "Near")
	line("Expunge", "None")
	line("SyncState", "*")
	return []byte(b.String()), nil
}

// mbsyncQuote quotes a value for mbsyncrc when it needs it.
func mbsyncQuote(s string) string {
	if plainWord.MatchString(s) || strings.HasPrefix(s, "~/") && plainWord.MatchString(s[2:]) {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
