package export

import (
	"strconv"
	"strings"

	"github.com/postino/postino/probe"
)

var (
	textFetchmailRun  = probe.Text{EN: "fetchmail cannot ask a program for the password, and this file holds none: run fetchmail so that the password is added to the settings on a pipe, never on disk or on a command line:", IT: "fetchmail non sa chiedere la password a un programma, e questo file non ne contiene: esegui fetchmail come qui sotto, così la password viene aggiunta alle impostazioni attraverso una pipe, senza mai finire su disco o sulla riga di comando:"}
	textFetchmailKeep = probe.Text{EN: "keep leaves the messages on the server; remove it to delete them after download. Without mda, mail is handed to the local mail system on port 25.", IT: "keep lascia i messaggi sul server; toglilo per cancellarli dopo averli scaricati. Senza mda, la posta viene consegnata al sistema di posta locale sulla porta 25."}
	textFetchmailPin  = probe.Text{EN: "fetchmail pins certificates by MD5 only, so the SHA-256 fingerprint %s cannot be used here.", IT: "fetchmail fissa i certificati solo con MD5, quindi l'impronta SHA-256 %s qui non si può usare."}
)

// Fetchmail is a fetchmailrc that fetches the account's mail over POP3 or
// IMAP. fetchmail has no password command, so the file holds no password
// and its comment gives the command line that supplies one through
// fetchmail's -f - (settings read from standard input).
//
// fetchmail 6 (Debian 12 ships 6.4.37) cannot sign in with OAuth2: its
// OAUTHBEARER is in the development branch for fetchmail 7 (some
// distributions patch it in), so an incoming server that takes only
// OAuth2 is refused.
func Fetchmail(in Input) ([]byte, error) {
	a, err := prepare(in, "fetchmail", true, false, false, false)
	if err != nil {
		return nil, err
	}
	cred := a.credential()
	for _, v := range []string{cred, a.in.Username, a.MDA, a.CAFile} {
		if hasControl(v) {
			return nil, a.fail(Unwritable, v)
		}
	}
	s := a.in
	var b strings.Builder
	notes := []string{a.madeBy(), textFetchmailRun.In(a.Lang), "    " + FetchmailCommand(a.path("~/.fetchmailrc"), cred), textFetchmailKeep.In(a.Lang)}
	if a.CAFile != "" {
		notes = append(notes, textCAFile.In(a.Lang, a.CAFile))
	}
	for _, p := range a.Pins {
		notes = append(notes, textFetchmailPin.In(a.Lang, p))
	}
	if s.Security == probe.None {
		notes = append(notes, textCleartext.In(a.Lang, s.String()))
	}
	notes = append(notes, a.ipNotes(a.in)...)
	commentLines(&b, "# ", notes...)
	b.WriteString("poll " + fetchmailQuote(s.Host) + " proto " + strings.ToUpper(string(s.Protocol)) + " service " + strconv.Itoa(s.Port) + "\n")
	b.WriteString("  user " + fetchmailQuote(s.Username) + " there\n")
	switch s.Security {
	case probe.TLS:
		b.WriteString("  ssl\n  sslproto \"TLS1.2+\"\n  sslcertck\n")
	case probe.StartTLS:
		b.WriteString("  sslproto \"TLS1.2+\"\n  sslcertck\n")
	case probe.None:
		b.WriteString("  sslproto \"\"\n")
	}
	if a.CAFile != "" && s.Security != probe.None {
		b.WriteString("  sslcertfile " + fetchmailQuote(a.CAFile) + "\n")
	}
	b.WriteString("  keep\n")
	if a.MDA != "" {
		b.WriteString("  mda " + fetchmailQuote(a.MDA) + "\n")
	}
	return []byte(b.String()), nil
}

// FetchmailCommand is the shell command that runs fetchmail with the
// settings in file and the password printed by cred, escaped for
// fetchmail's quoted strings as fetchmailQuote does, joined on a pipe.
func FetchmailCommand(file, cred string) string {
	return `{ cat ` + shellPath(file) + `; ` + cred + ` | sed 's/\\/\\\\/g; s/"/\\x22/g; s/^/  password "/; s/$/"/'; } | fetchmail -f -`
}

// fetchmailQuote is a fetchmailrc string. fetchmail's lexer ends a double
// quoted string at the first ", even after a backslash, and only then
// reads the escapes in it: a backslash is written \\ and a quote \x22.
func fetchmailQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\x22`).Replace(s) + `"`
}

// shellPath quotes a file name for the shell, leaving a leading ~/ outside
// the quotes so that the shell still expands it.
func shellPath(file string) string {
	if rest, ok := strings.CutPrefix(file, "~/"); ok {
		return "~/" + shellQuote(rest)
	}
	return shellQuote(file)
}
