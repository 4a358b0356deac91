package cli

import (
	"crypto/x509"
	"flag"
	"path/filepath"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/export"
	"github.com/postino/postino/wizard/providers"
)

// report is postino report: test an address or a saved account now, and
// print the help-desk report of what passed and what failed, passing or
// failing; nothing is saved.
func (e *env) report(args []string) int {
	c := testCommand{forReport: true}
	f := &c.flags
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.Var(&f.incoming, "incoming", "incoming server URL (repeatable: fallbacks)")
	fs.Var(&f.outgoing, "outgoing", "outgoing server URL (repeatable: fallbacks)")
	fs.BoolVar(&f.passwordStdin, "password-stdin", false, "read the password from standard input (else the saved one, if any)")
	fs.StringVar(&f.caFile, "ca-file", "", "PEM file of extra trusted roots")
	fs.BoolVar(&f.asJSON, "json", false, "machine output")
	fs.String("lang", "", "it or en")
	positional, err := e.parse(fs, args)
	if err != nil {
		return e.flagError(err)
	}
	if len(positional) != 1 {
		return e.say(exitUsage, textWantTarget, "report")
	}
	f.timeout = probe.DefaultTimeout
	c.address = positional[0]
	var roots *x509.CertPool
	if f.caFile != "" {
		var code int
		if roots, code = e.caPool(f.caFile); code != exitOK {
			return code
		}
		if abs, err := filepath.Abs(f.caFile); err == nil {
			f.caFile = abs
		}
	}
	results, code := c.freshTest(e, roots)
	if code != exitOK {
		return code
	}
	origin := c.origin()
	in := export.Input{
		Name: c.address, Address: c.address, Pins: c.opts.Pins,
		ProviderID: origin.Provider.ID, ProviderName: origin.Provider.Name, Source: string(origin.Source),
		CAFile: f.caFile, Lang: e.lang, Version: version(), Now: time.Now(),
	}
	if c.saved != nil {
		in.Name, in.Unverified = c.saved.Name, c.saved.Unverified
		in.DisplayName = c.saved.DisplayName
	}
	for _, t := range c.targets {
		if t.Role == probe.Incoming {
			in.Incoming = t.Servers
		} else {
			in.Outgoing = t.Servers
		}
	}
	in.ProviderDocs = e.providerDocs(in.ProviderID)
	c.tested(&in, results)
	render := export.Report
	if f.asJSON {
		render = export.JSON
	}
	out, err := render(in)
	if err != nil {
		return e.say(exitSystem, textExportFailed, err)
	}
	e.printedJSON = f.asJSON
	e.stdout.Write(out)
	if !probe.Passed(results) {
		return exitFailed
	}
	return exitOK
}

// freshTest tests for a report what c names, as postino test does, but
// asks for nothing: the password is the one given on standard input or
// the one postino holds, the sign-in a saved account's.
func (c *testCommand) freshTest(e *env, roots *x509.CertPool) ([]probe.Result, int) {
	if code := c.find(e, roots); code != exitOK {
		return nil, code
	}
	if code := c.options(e, roots); code != exitOK {
		return nil, code
	}
	return probe.TestAll(e.ctx, c.targets, c.opts), exitOK
}

// tested puts the results of c's fresh test, run just now, in a report.
func (c *testCommand) tested(in *export.Input, results []probe.Result) {
	in.Results, in.TestedAt, in.RoleTestedAt, in.Fresh = results, time.Now(), nil, true
	in.NoCredential = c.opts.Password == "" && c.opts.AccessToken == ""
}

// providerDocs is the help page of the provider with this ID, if the
// providers files know it.
func (e *env) providerDocs(id string) string {
	if id == "" {
		return ""
	}
	db, err := providers.LoadAll(EmbeddedProviders, e.providerFiles(nil))
	if err != nil {
		return ""
	}
	if p, ok := db.ByID(id); ok {
		return p.Docs
	}
	return ""
}
