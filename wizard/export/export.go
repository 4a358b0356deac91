// Package export writes an account's settings in the formats other mail
// programs read: Thunderbird's autoconfig, Outlook's Autodiscover and
// set-up steps, an Apple configuration profile, the configuration files of
// aerc, NeoMutt, msmtp, mbsync, fetchmail and himalaya, and a help-desk
// report in Markdown or JSON.
//
// Every format is a pure function from an Input to bytes: no file, network
// or keyring is touched here. No format ever holds a password or a token:
// the mail programs read the password through a credential command (by
// default postino password NAME) and, for a server that signs in with
// OAuth2, a fresh access token through a token command (by default postino
// token NAME); the Apple profile leaves the password to the device to ask.
package export

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
)

// Input is everything a format may need, as plain values.
type Input struct {
	// Name is the account's name in postino; Address its email address;
	// DisplayName the person's name, if known.
	Name        string
	Address     string
	DisplayName string
	// Incoming and Outgoing are the servers, the preferred one first.
	Incoming []probe.Server
	Outgoing []probe.Server
	// Pins are certificates trusted by fingerprint for this account.
	Pins []probe.Pin
	// CAFile is a PEM file of extra roots the mail program must trust
	// (a private CA); empty means the system's trust store.
	CAFile string
	// CACerts are the certificates in CAFile, DER-encoded, for the
	// formats that carry them (the Apple profile); the caller reads them.
	CACerts [][]byte
	// ProviderID and ProviderName name the provider the settings belong
	// to, if one was recognised; Source is where the settings came from
	// (providers, autoconfig, ispdb, autodiscover, mx, srv, guess, manual).
	ProviderID   string
	ProviderName string
	Source       string
	// ProviderDocs is the provider's documentation link
	// (providers.Provider.Docs); only a help page is shown, never an
	// autoconfig XML file.
	ProviderDocs string
	// Results are the latest test of the servers, without secrets, taken
	// at TestedAt; Fresh says they were taken for this export, rather
	// than saved with the account. When the roles were tested at
	// different times (one of them tested again alone), RoleTestedAt has
	// each role's time.
	Results      []probe.Result
	TestedAt     time.Time
	RoleTestedAt map[probe.Role]time.Time
	Fresh        bool
	// Unverified marks an account saved although its test failed.
	Unverified bool
	// NoCredential says that the test had no password or token to give,
	// so it tested the connection and TLS but not the login.
	NoCredential bool
	// CredentialCommand prints the password on its standard output; empty
	// means postino password NAME.
	CredentialCommand string
	// TokenCommand prints a fresh OAuth2 access token on its standard
	// output, for the servers that sign in with OAuth2; empty means
	// postino token NAME.
	TokenCommand string
	// Program is the file that runs postino in the default credential and
	// token commands (shell-quoted there): the absolute path of the
	// running binary when the postino on PATH is another program or
	// missing; empty means postino, found on PATH.
	Program string
	// Maildir is where mbsync keeps the mail; empty means ~/Mail/NAME.
	Maildir string
	// MDA is the command fetchmail delivers each message to; empty means
	// fetchmail's default, the local mail system on port 25.
	MDA string
	// Path is where the output will be written, named in the instructions
	// that need it; empty means the format's usual file name.
	Path string
	// Lang is the language of comments, steps and reports; English unless
	// Italian.
	Lang probe.Lang
	// Version is postino's version and Now the time, for reports.
	Version string
	Now     time.Time
}

// Format is one kind of export.
type Format struct {
	Name string
	// File is the name the output usually has.
	File   string
	render func(Input) ([]byte, error)
}

// formats are in the order they are listed to a person.
var formats = []Format{
	{"thunderbird", "config-v1.1.xml", Thunderbird},
	{"outlook", "autodiscover.xml", Outlook},
	{"outlook-steps", "outlook-steps.txt", OutlookSteps},
	{"apple", "postino.mobileconfig", Apple},
	{"aerc", "accounts.conf", Aerc},
	{"neomutt", "muttrc", NeoMutt},
	{"msmtp", "msmtprc", Msmtp},
	{"mbsync", "mbsyncrc", Mbsync},
	{"fetchmail", "fetchmailrc", Fetchmail},
	{"himalaya", "config.toml", Himalaya},
	{"report", "postino-report.md", Report},
	{"json", "postino-report.json", JSON},
}

// Formats is every format's name.
func Formats() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.Name
	}
	return names
}

// Lookup finds a format by name.
func Lookup(name string) (Format, bool) {
	i := slices.IndexFunc(formats, func(f Format) bool { return f.Name == name })
	if i < 0 {
		return Format{}, false
	}
	return formats[i], true
}

// Render exports in in this format.
func (f Format) Render(in Input) ([]byte, error) { return f.render(in) }

// Problem is why an account cannot be exported in a format.
type Problem int

// What a format can refuse.
const (
	// NeedIncoming: the account has no server to read mail from.
	NeedIncoming Problem = iota
	// NeedOutgoing: the account has no server to send mail with.
	NeedOutgoing
	// NeedIMAP: the program reads mail over IMAP only, and the account
	// uses POP3.
	NeedIMAP
	// NeedPassword: the server takes OAuth2 sign-in only, which the
	// format cannot carry (an Apple profile) or the program cannot do
	// (fetchmail 6).
	NeedPassword
	// Unwritable: a value (in Detail) cannot be written in the format.
	Unwritable
)

// Error is an account that a format cannot express; the person-facing
// sentence is the caller's, in the person's language.
type Error struct {
	Format  string
	Problem Problem
	Detail  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("export %s: problem %d %s", e.Format, e.Problem, e.Detail)
}

// account is an Input with its preferred servers picked and its defaults
// filled in, shared by the formats.
type account struct {
	Input
	in, out *probe.Server
	format  string
}

// prepare checks what the format needs: which roles, whether POP3 will
// do, whether OAuth2 can be expressed.
func prepare(in Input, format string, needIn, needOut, imapOnly, oauthOK bool) (*account, error) {
	a := &account{Input: in, format: format}
	if a.Lang != probe.Italian {
		a.Lang = probe.English
	}
	if len(in.Incoming) > 0 {
		s := withUser(in.Incoming[0], in.Address)
		a.in = &s
	}
	if len(in.Outgoing) > 0 {
		s := withUser(in.Outgoing[0], in.Address)
		a.out = &s
	}
	switch {
	case needIn && a.in == nil:
		return nil, a.fail(NeedIncoming, "")
	case needOut && a.out == nil:
		return nil, a.fail(NeedOutgoing, "")
	case imapOnly && a.in != nil && a.in.Protocol != probe.IMAP:
		return nil, a.fail(NeedIMAP, strings.ToUpper(string(a.in.Protocol)))
	}
	if !oauthOK {
		for _, s := range a.servers(needIn, needOut) {
			if s.Auth == probe.AuthOAuth2 {
				return nil, a.fail(NeedPassword, s.String())
			}
		}
	}
	return a, nil
}

func (a *account) fail(p Problem, detail string) error {
	return &Error{Format: a.format, Problem: p, Detail: detail}
}

// withUser fills in the user name: the address unless the server says.
func withUser(s probe.Server, address string) probe.Server {
	if s.Username == "" {
		s.Username = address
	}
	return s
}

// servers are the preferred incoming and outgoing servers the format
// uses, of those the account has.
func (a *account) servers(in, out bool) []*probe.Server {
	var list []*probe.Server
	if in && a.in != nil {
		list = append(list, a.in)
	}
	if out && a.out != nil {
		list = append(list, a.out)
	}
	return list
}

// oauth reports whether any of the account's servers signs in with OAuth2.
func (a *account) oauth() bool {
	isOAuth := func(s probe.Server) bool { return s.Auth == probe.AuthOAuth2 }
	return slices.ContainsFunc(a.Incoming, isOAuth) || slices.ContainsFunc(a.Outgoing, isOAuth)
}

// Credential is the command that prints the account's password: the
// Input's, else postino password NAME.
func Credential(in Input) string {
	return postinoCommand(in.CredentialCommand, in.Program, "password", in.Name)
}

// Token is the command that prints a fresh OAuth2 access token for the
// account: the Input's, else postino token NAME.
func Token(in Input) string { return postinoCommand(in.TokenCommand, in.Program, "token", in.Name) }

func postinoCommand(given, program, verb, name string) string {
	if given != "" {
		return given
	}
	if program == "" {
		program = "postino"
	}
	return shellQuote(program) + " " + verb + " " + shellQuote(name)
}

func (a *account) credential() string { return Credential(a.Input) }

// secret is the command that gives what s signs in with: the access
// token for an OAuth2 server, else the password.
func (a *account) secret(s *probe.Server) string {
	if s.Auth == probe.AuthOAuth2 {
		return Token(a.Input)
	}
	return a.credential()
}

// secretNotes say which commands give the password and the token for
// servers.
func (a *account) secretNotes(servers ...*probe.Server) []string {
	var pw, token bool
	for _, s := range servers {
		if s.Auth == probe.AuthOAuth2 {
			token = true
		} else {
			pw = true
		}
	}
	var notes []string
	if pw {
		notes = append(notes, textPasswordCmd.In(a.Lang, a.credential()))
	}
	if token {
		notes = append(notes, textTokenCmd.In(a.Lang, Token(a.Input)))
	}
	return notes
}

// mechanism is the SASL mechanism an OAuth2 server takes the token by:
// what the latest test saw it offer, OAUTHBEARER (RFC 7628) first; else
// XOAUTH2 for Microsoft's servers, which offer only that; else
// OAUTHBEARER.
func (a *account) mechanism(s *probe.Server) string {
	for _, r := range a.Results {
		if r.Server.Host != s.Host || r.Server.Port != s.Port || len(r.AuthMechanisms) == 0 {
			continue
		}
		for _, m := range []string{"OAUTHBEARER", "XOAUTH2"} {
			if slices.ContainsFunc(r.AuthMechanisms, func(o string) bool { return strings.EqualFold(o, m) }) {
				return m
			}
		}
	}
	h := strings.ToLower(strings.TrimSuffix(s.Host, "."))
	for _, d := range []string{"outlook.com", "office365.com", "hotmail.com", "live.com"} {
		if h == d || strings.HasSuffix(h, "."+d) {
			return "XOAUTH2"
		}
	}
	return "OAUTHBEARER"
}

// helpPage is the provider's documentation link if it is a page for
// people: a link to Thunderbird's autoconfig database is XML for mail
// programs, and ok is false for it (say "see your provider's help pages").
// An empty link is no page, and ok is true: there is nothing to say.
func (a *account) helpPage() (page string, ok bool) {
	if a.ProviderDocs == "" {
		return "", true
	}
	if !providers.IsHelpPage(a.ProviderDocs) {
		return "", false
	}
	return a.ProviderDocs, true
}

// madeBy is the first paragraph of a file's comment: who made it, for
// which address, and where the provider's help is.
func (a *account) madeBy() string {
	s := textMadeBy.In(a.Lang, a.Address)
	switch page, ok := a.helpPage(); {
	case !ok:
		s += " " + textSeeHelp.In(a.Lang)
	case page != "":
		s += " " + textHelpPage.In(a.Lang, page)
	}
	return s
}

// ipNotes say, for each server given that uses TLS with an IP address for
// a host, that the program checks the certificate's names against it.
func (a *account) ipNotes(servers ...*probe.Server) []string {
	var given []probe.Server
	for _, s := range servers {
		if s != nil {
			given = append(given, *s)
		}
	}
	var notes []string
	for _, host := range mailbox.IPHosts(given...) {
		notes = append(notes, textIPHost.In(a.Lang, host))
	}
	return notes
}

// path is where the output goes, as its instructions name it.
func (a *account) path(usual string) string {
	if a.Path != "" {
		return a.Path
	}
	return usual
}

// domain is the part of the address after the @, in lower case.
func (a *account) domain() string {
	_, d, _ := strings.Cut(a.Address, "@")
	return strings.ToLower(d)
}

// localPart is the part of the address before the @.
func (a *account) localPart() string {
	l, _, _ := strings.Cut(a.Address, "@")
	return l
}

// pinFor is the pin a program that trusts one certificate per server
// should use for s: the one matching the certificate the latest test saw
// there, else the only pin there is.
func (a *account) pinFor(s *probe.Server) (probe.Pin, bool) {
	for _, r := range a.Results {
		if r.Server.Host != s.Host || r.Server.Port != s.Port || r.TLS == nil || r.TLS.Certificate == nil {
			continue
		}
		for _, p := range a.Pins {
			if strings.EqualFold(strings.TrimPrefix(p.String(), "sha256:"), r.TLS.Certificate.SHA256) {
				return p, true
			}
		}
	}
	if len(a.Pins) == 1 {
		return a.Pins[0], true
	}
	return probe.Pin{}, false
}

// testedAt is when role's results were taken.
func (a *account) testedAt(role probe.Role) time.Time {
	if t, ok := a.RoleTestedAt[role]; ok {
		return t
	}
	return a.TestedAt
}

// plainWord matches what needs no quoting in a shell or a config file.
var plainWord = regexp.MustCompile(`^[A-Za-z0-9@%+=:,./_-]+$`)

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	if plainWord.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// identifier turns an account name into a word that config files whose
// section names cannot be quoted accept: letters, digits and ._@+-.
func identifier(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("._@+-", r):
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "account"
	}
	return b.String()
}

// hasControl reports whether s holds a control character, which no line
// based format can carry.
func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

// isASCIIHost reports whether a host name is plain ASCII, as Thunderbird
// and several terminal programs require (an internationalised name must be
// given in its xn-- form).
func isASCIIHost(h string) bool {
	return !strings.ContainsFunc(h, func(r rune) bool { return r > 0x7e || r <= 0x20 })
}

// commentLines writes each paragraph as comment lines with prefix, wrapped
// at about 76 columns; a paragraph indented by four spaces (a command to
// copy) is written as it is.
func commentLines(b *strings.Builder, prefix string, paragraphs ...string) {
	for _, p := range paragraphs {
		if p == "" || strings.HasPrefix(p, "    ") {
			b.WriteString(strings.TrimRight(prefix+p, " ") + "\n")
			continue
		}
		line := prefix
		for _, w := range strings.Fields(p) {
			if len(line) > len(prefix) && len(line)+1+len(w) > 76 {
				b.WriteString(line + "\n")
				line = prefix + "  "
			}
			if len(line) > len(prefix) && !strings.HasSuffix(line, "  ") {
				line += " "
			}
			line += w
		}
		b.WriteString(line + "\n")
	}
}
