package cli

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/export"
	"github.com/postino/postino/wizard/store"
)

// exportTexts explain why a format cannot express an account.
var exportTexts = map[export.Problem]probe.Text{
	export.NeedIncoming: textExportNeedIncoming,
	export.NeedOutgoing: textExportNeedOutgoing,
	export.NeedIMAP:     textExportNeedIMAP,
	export.NeedPassword: textExportNeedPassword,
	export.Unwritable:   textExportUnwritable,
}

// export is postino export: a saved account's settings in another mail
// program's format, or a help-desk report.
func (e *env) export(args []string) int {
	flags := flag.NewFlagSet("export", flag.ContinueOnError)
	format := flags.String("format", "", "thunderbird, outlook, apple, aerc, … (see postino export --format list)")
	output := flags.String("o", "", "write to this file (mode 0600) instead of standard output")
	force := flags.Bool("force", false, "replace the file given with -o")
	caFile := flags.String("ca-file", "", "PEM file of extra roots the mail program must trust")
	passwordCmd := flags.String("password-command", "", "command that prints the password (default: postino password NAME)")
	tokenCmd := flags.String("token-command", "", "command that prints a fresh OAuth2 access token (default: postino token NAME)")
	maildir := flags.String("maildir", "", "where mbsync keeps the mail (default ~/Mail/NAME)")
	mda := flags.String("mda", "", "command fetchmail delivers each message to (default: the local mail system)")
	timeout := flags.Duration("timeout", probe.DefaultTimeout, "time allowed for each server when the report runs a test")
	noTest := flags.Bool("no-test", false, "report and json: show the test saved with the account instead of testing now")
	flags.String("lang", "", "it or en")
	positional, err := e.parse(flags, args)
	if err != nil {
		return e.flagError(err)
	}
	names := strings.Join(export.Formats(), ", ")
	if len(positional) != 1 {
		return e.say(exitUsage, textExportWantName, names)
	}
	f, ok := export.Lookup(*format)
	if !ok {
		if *format == "" || *format == "list" {
			return e.say(exitUsage, textExportWantFormat, names)
		}
		return e.say(exitUsage, textExportUnknownFormat, *format, names)
	}
	if *timeout <= 0 {
		return e.say(exitUsage, textBadFlag, "--timeout must be positive")
	}
	report := f.Name == "report" || f.Name == "json"
	if *noTest && !report {
		return e.say(exitUsage, textBadFlag, "--no-test goes with --format report or json")
	}
	var (
		caCerts [][]byte
		roots   *x509.CertPool
	)
	if *caFile != "" {
		var code int
		if roots, code = e.caPool(*caFile); code != exitOK {
			return code
		}
		// The mail program may run from anywhere.
		if abs, err := filepath.Abs(*caFile); err == nil {
			*caFile = abs
		}
		caCerts = pemCertificates(*caFile)
	}

	_, account, code := e.account(positional[0])
	if code != exitOK {
		return code
	}

	in := export.Input{
		Name: account.Name, Address: account.Address, DisplayName: account.DisplayName,
		Incoming: account.Incoming, Outgoing: account.Outgoing, Pins: account.Pins,
		ProviderID: account.Provider.ID, ProviderName: account.Provider.Name, Source: account.Source,
		CAFile: *caFile, CACerts: caCerts, CredentialCommand: *passwordCmd, TokenCommand: *tokenCmd, Program: e.program(),
		Maildir: *maildir, MDA: *mda, Unverified: account.Unverified,
		Path: *output, Lang: e.lang, Version: version(), Now: time.Now(),
	}
	if in.Path != "" {
		if abs, err := filepath.Abs(in.Path); err == nil {
			in.Path = abs
		}
	}
	in.ProviderDocs = e.providerDocs(account.Provider.ID)
	savedTests(account, &in)
	if report && !*noTest {
		// The report is of the account as it works now, tested as
		// postino report NAME tests it.
		c := testCommand{forReport: true, address: account.Name, flags: testFlags{caFile: *caFile, timeout: *timeout}}
		results, code := c.freshTest(e, roots)
		if code != exitOK {
			return code
		}
		c.tested(&in, results)
	}
	out, err := f.Render(in)
	var ee *export.Error
	if errors.As(err, &ee) {
		args := []any{f.Name, ee.Detail}
		if ee.Problem == export.NeedIncoming || ee.Problem == export.NeedOutgoing {
			args = args[:1]
		}
		return e.say(exitUsage, exportTexts[ee.Problem], args...)
	}
	if err != nil {
		return e.say(exitSystem, textExportFailed, err)
	}

	if *output == "" {
		e.stdout.Write(out)
		return exitOK
	}
	if err := store.WriteFile(in.Path, out, *force); errors.Is(err, fs.ErrExist) {
		return e.say(exitUsage, textExportExists, *output)
	} else if err != nil {
		// The file named is the one written through a temporary file
		// beside it: the reason, not the temporary name, is news.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return e.say(exitSystem, textExportWriteFailed, *output, err)
	}
	e.say(exitOK, textExportWrote, *output, f.Name)
	switch f.Name {
	case "thunderbird":
		_, domain, _ := strings.Cut(account.Address, "@")
		e.say(exitOK, textExportThunderbirdHint, strings.ToLower(domain))
	case "fetchmail":
		e.say(exitOK, textExportFetchmailHint, export.FetchmailCommand(in.Path, export.Credential(in)))
	}
	return exitOK
}

// program is how the exported credential and token commands run postino:
// empty (plain postino) when the postino found on the PATH of postino's
// environment is this very binary, else this binary's absolute path, so
// that the mail program runs the postino that wrote its file.
func (e *env) program() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	self, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	for _, dir := range filepath.SplitList(e.getenv("PATH")) {
		if dir == "" || !filepath.IsAbs(dir) {
			// The mail program may run from any directory.
			continue
		}
		fi, err := os.Stat(filepath.Join(dir, "postino"))
		if err != nil || fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			continue
		}
		// The first postino on PATH is the one a shell runs.
		if os.SameFile(fi, self) {
			return ""
		}
		break
	}
	return exe
}

// pemCertificates are the DER bytes of the certificates in a PEM file
// (caPool has checked that it holds some).
func pemCertificates(file string) [][]byte {
	data, _ := os.ReadFile(file)
	var certs [][]byte
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return certs
		}
		if block.Type == "CERTIFICATE" {
			certs = append(certs, block.Bytes)
		}
	}
}

// savedTests gives in the tests saved with the account: the reports show
// them, and the formats that pin one certificate pick it by them.
func savedTests(a store.Account, in *export.Input) {
	times := map[probe.Role]time.Time{}
	for _, t := range a.Tests {
		in.Results = append(in.Results, t.Result)
		times[t.Role] = t.At
		if t.At.After(in.TestedAt) {
			in.TestedAt = t.At
		}
	}
	if len(times) > 1 && !times[probe.Incoming].Equal(times[probe.Outgoing]) {
		in.RoleTestedAt = times
	}
}

// Sentences of postino export.
var (
	textExportExists          = probe.Text{EN: "%s already exists; add --force to replace it.", IT: "%s esiste già; aggiungi --force per sostituirlo."}
	textExportFailed          = probe.Text{EN: "The export failed: %s.", IT: "L'esportazione non è riuscita: %s."}
	textExportFetchmailHint   = probe.Text{EN: "Run fetchmail so that the password travels on a pipe: %s", IT: "Esegui fetchmail in modo che la password passi su una pipe: %s"}
	textExportNeedIMAP        = probe.Text{EN: "%s reads mail over IMAP only, and this account uses %s: export neomutt or fetchmail instead.", IT: "%s legge la posta solo via IMAP, e questo account usa %s: esporta invece neomutt o fetchmail."}
	textExportNeedIncoming    = probe.Text{EN: "The %s export needs an incoming server, and the account has none.", IT: "L'esportazione %s richiede un server in arrivo, e l'account non ne ha."}
	textExportNeedOutgoing    = probe.Text{EN: "The %s export needs an outgoing server, and the account has none.", IT: "L'esportazione %s richiede un server in uscita, e l'account non ne ha."}
	textExportNeedPassword    = probe.Text{EN: "The %s format cannot sign in with OAuth2, which %s requires.", IT: "Il formato %s non sa accedere con OAuth2, che %s richiede."}
	textExportThunderbirdHint = probe.Text{EN: "Host it at https://autoconfig.%s/mail/config-v1.1.xml, or copy it into the isp folder of Thunderbird's installation.", IT: "Pubblicalo su https://autoconfig.%s/mail/config-v1.1.xml, oppure copialo nella cartella isp dell'installazione di Thunderbird."}
	textExportUnknownFormat   = probe.Text{EN: "postino cannot export as %q; the formats are: %s.", IT: "postino non sa esportare come %q; i formati sono: %s."}
	textExportUnwritable      = probe.Text{EN: "The %s format cannot hold %q.", IT: "Il formato %s non può contenere %q."}
	textExportWantFormat      = probe.Text{EN: "Choose a --format: %s.", IT: "Scegli un --format: %s."}
	textExportWantName        = probe.Text{EN: "postino export needs the name or address of one saved account and a --format: %s.", IT: "postino export richiede il nome o l'indirizzo di un account salvato e un --format: %s."}
	textExportWriteFailed     = probe.Text{EN: "Cannot write %s: %s.", IT: "Impossibile scrivere %s: %s."}
	textExportWrote           = probe.Text{EN: "Wrote %s (%s), readable only by you.", IT: "Scritto %s (%s), leggibile solo da te."}
)
