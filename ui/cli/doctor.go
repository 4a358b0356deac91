package cli

import (
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/found"
	"github.com/postino/postino/wizard/store"
)

// doctor is postino doctor: find the mail accounts the programs on this
// computer are set up with, and test each server's connection and TLS
// (and the login of postino's own accounts, whose password it holds).
func (e *env) doctor(args []string) int {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "machine output")
	caFile := fs.String("ca-file", "", "PEM file of extra trusted roots")
	fs.String("lang", "", "it or en")
	positional, err := e.parse(fs, args)
	if err != nil {
		return e.flagError(err)
	}
	if len(positional) > 0 {
		return e.say(exitUsage, textDoctorNoArgs, positional[0])
	}
	var roots *x509.CertPool
	if *caFile != "" {
		var code int
		if roots, code = e.caPool(*caFile); code != exitOK {
			return code
		}
	}
	env := found.Env{GOOS: runtime.GOOS, Home: e.home(), Getenv: e.getenv}
	if st, err := e.store(); err == nil {
		env.Store = st
	}
	got := found.Find(env)
	keyringSaid := false
	results := found.Test(e.ctx, got.Accounts, found.Check{
		Options: probe.Options{RootCAs: roots, SystemRoots: true, Timeout: probe.DefaultTimeout},
		Password: func(a store.Account) string {
			pw, err := env.Store.Password(a)
			if err != nil && !errors.Is(err, store.ErrNoPassword) && !keyringSaid {
				keyringSaid = true
				e.storeFailed(env.Store, err)
			}
			return pw
		},
	})
	if e.ctx.Err() != nil {
		return exitInterrupted
	}
	ok := len(got.Accounts) > 0 && found.Passed(results)
	if *asJSON {
		e.printJSON(doctorJSON(got, results, ok, e.lang))
	} else {
		e.writeDoctor(e.stdout, got, results)
	}
	if !ok {
		return exitFailed
	}
	return exitOK
}

// home is the home folder as the environment given says: HOME, and on
// Windows USERPROFILE.
func (e *env) home() string {
	if runtime.GOOS == "windows" {
		if h := e.getenv("USERPROFILE"); h != "" {
			return h
		}
	}
	return e.getenv("HOME")
}

// programNames are the programs as the report names them.
var programNames = map[found.Program]string{
	found.Thunderbird: "Thunderbird", found.Msmtp: "msmtp", found.Mbsync: "mbsync (isync)",
	found.Fetchmail: "fetchmail", found.Mutt: "NeoMutt/Mutt", found.Aerc: "aerc",
	found.Evolution: "Evolution", found.Postino: "postino",
}

// writeDoctor prints the report for a person: per account the program,
// the file, its servers and each result with what to do.
func (e *env) writeDoctor(w io.Writer, got found.Found, results [][]found.Result) {
	lang := e.lang
	if len(got.Accounts) == 0 {
		fmt.Fprintln(w, textDoctorNothing.In(lang))
	}
	servers, failed, untested := 0, 0, 0
	for i, a := range got.Accounts {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s: %s\n", programNames[a.Program], a.Path)
		if who := accountLabel(a); who != "" {
			fmt.Fprintf(w, "  %s\n", who)
		}
		if a.CAFile != "" {
			fmt.Fprintf(w, "  %s\n", textDoctorCAFile.In(lang, probe.Sanitize(a.CAFile)))
		}
		var all []probe.Result
		for _, r := range results[i] {
			all = append(all, r.Result)
		}
		for _, r := range results[i] {
			servers++
			if !r.OK {
				failed++
			}
			// A server that could not be reached was never going to be
			// logged in to: its own diagnosis says so.
			if !r.LoginTested && (a.Saved == nil || r.OK) {
				untested++
			}
			writeDoctorServer(w, a.Program, r, all, lang)
		}
	}
	for i, p := range got.Problems {
		if i == 0 && len(got.Accounts) > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, textDoctorUnreadable.In(lang, p.Path, problemText(p.Err)))
	}
	if len(got.Accounts) == 0 {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, textDoctorSummary.In(lang, len(got.Accounts), servers, servers-failed, failed))
	if untested > 0 {
		fmt.Fprintln(w, textDoctorNoLogin.In(lang))
	}
}

// accountLabel is the account's name and address, as far as known.
func accountLabel(a found.Account) string {
	switch {
	case a.Name == "" || strings.EqualFold(a.Name, a.Address):
		return a.Address
	case a.Address == "":
		return a.Name
	}
	return a.Name + " <" + a.Address + ">"
}

// problemText is why a file could not be read, made safe for a terminal:
// a parser may quote the file's line, its line break and whatever else
// the file holds with it.
func problemText(err error) string {
	return probe.Sanitize(err.Error())
}

// writeDoctorServer prints one server's line and its diagnosis.
func writeDoctorServer(w io.Writer, program found.Program, r found.Result, all []probe.Result, lang probe.Lang) {
	mark := "✓"
	if !r.OK {
		mark = "✗"
	}
	s := r.Server
	fields := []string{mark, doctorRoles[r.Role].In(lang), strings.ToUpper(string(s.Protocol)), s.Address(), s.Security.Describe(lang)}
	if s.Username != "" {
		fields = append(fields, textDoctorUser.In(lang, s.Username))
	}
	if r.TLS != nil && r.TLS.Version != "" {
		fields = append(fields, r.TLS.Version)
	}
	if r.Software != "" {
		fields = append(fields, r.Software)
	}
	fmt.Fprintln(w, "  "+strings.Join(fields, "  "))
	what, why, fix := doctorExplain(program, r, all, lang)
	fmt.Fprintf(w, "      %s\n", what)
	if r.OK {
		return
	}
	if why != "" {
		fmt.Fprintf(w, "      %s: %s\n", textDoctorWhy.In(lang), why)
	}
	if cert := r.TLS; cert != nil && cert.Certificate != nil && r.Code != found.CodeNoTLS && strings.HasPrefix(string(r.Code), "certificate_") {
		fmt.Fprintf(w, "      %s: %s\n", textDoctorFinger.In(lang), cert.Certificate.SHA256)
	}
	if len(fix) > 0 {
		fmt.Fprintf(w, "      %s:\n", textDoctorToDo.In(lang))
		for i, f := range fix {
			fmt.Fprintf(w, "        %d. %s\n", i+1, f)
		}
	}
}

// doctorExplain is what happened, why and what to do: the probe's
// explanation, and for a server reached without TLS the doctor's own.
// The advice to trust a certificate by its fingerprint is postino's
// --pin only for postino's own accounts; another program is told to
// trust it in its own settings.
func doctorExplain(program found.Program, r found.Result, all []probe.Result, lang probe.Lang) (what, why string, fix []string) {
	if r.Code == found.CodeCAFile {
		name, why := programNames[program], problemText(r.CAFileErr)
		if errors.Is(r.CAFileErr, probe.ErrNoCertificates) {
			why = textDoctorCANoCerts.In(lang)
		}
		return textDoctorCAUnreadable.In(lang, name, probe.Sanitize(r.CAFile), why), "", []string{textDoctorCAUnreadableFix.In(lang, name)}
	}
	if r.Code == found.CodeNoTLS {
		return textDoctorNoTLS.In(lang, r.Server.Address()), textDoctorNoTLSWhy.In(lang), []string{textDoctorNoTLSFix.In(lang, probe.DefaultPort(r.Server.Protocol, probe.TLS))}
	}
	x := probe.Explain(r.Result, all, lang)
	if program != found.Postino && x.PinFix >= 0 && x.PinFix < len(x.Fix) && r.TLS != nil && r.TLS.Certificate != nil {
		x.Fix[x.PinFix] = textDoctorPinFix.In(lang, programNames[program], r.TLS.Certificate.SHA256)
	}
	what = x.What
	if r.OK && !r.LoginTested {
		what = textDoctorReached.In(lang)
	}
	return what, x.Why, x.Fix
}

// doctorReport is the JSON of postino doctor.
type doctorReport struct {
	Schema   int             `json:"schema"`
	OK       bool            `json:"ok"`
	Accounts []doctorAccount `json:"accounts"`
	Problems []doctorProblem `json:"problems"`
	Looked   []string        `json:"looked"`
	Tested   time.Time       `json:"tested_at"`
}

type doctorAccount struct {
	Program string         `json:"program"`
	Path    string         `json:"path"`
	Name    string         `json:"name"`
	Address string         `json:"address"`
	CAFile  string         `json:"ca_file"`
	Servers []doctorServer `json:"servers"`
}

type doctorServer struct {
	Role        probe.Role     `json:"role"`
	URL         string         `json:"url"`
	Protocol    probe.Protocol `json:"protocol"`
	Host        string         `json:"host"`
	Port        int            `json:"port"`
	Security    probe.Security `json:"security"`
	Username    string         `json:"username"`
	OK          bool           `json:"ok"`
	Code        probe.Code     `json:"code"`
	Message     string         `json:"message"`
	Advice      []string       `json:"advice,omitempty"`
	LoginTested bool           `json:"login_tested"`
	ElapsedMS   int64          `json:"elapsed_ms"`
	TLS         *probe.TLSInfo `json:"tls"`
	Software    string         `json:"software"`
}

type doctorProblem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

func doctorJSON(got found.Found, results [][]found.Result, ok bool, lang probe.Lang) doctorReport {
	rep := doctorReport{Schema: jsonSchema, OK: ok, Accounts: []doctorAccount{}, Problems: []doctorProblem{}, Looked: got.Looked, Tested: time.Now().UTC().Truncate(time.Second)}
	for i, a := range got.Accounts {
		da := doctorAccount{Program: string(a.Program), Path: a.Path, Name: a.Name, Address: a.Address, CAFile: a.CAFile, Servers: []doctorServer{}}
		var all []probe.Result
		for _, r := range results[i] {
			all = append(all, r.Result)
		}
		for _, r := range results[i] {
			what, why, fix := doctorExplain(a.Program, r, all, lang)
			msg := what
			if why != "" && !r.OK {
				msg += " " + why
			}
			s := r.Server
			da.Servers = append(da.Servers, doctorServer{
				Role: r.Role, URL: s.String(), Protocol: s.Protocol, Host: s.Host, Port: s.Port, Security: s.Security, Username: s.Username,
				OK: r.OK, Code: r.Code, Message: msg, Advice: fix, LoginTested: r.LoginTested,
				ElapsedMS: r.Elapsed.Milliseconds(), TLS: r.TLS, Software: r.Software,
			})
		}
		rep.Accounts = append(rep.Accounts, da)
	}
	for _, p := range got.Problems {
		rep.Problems = append(rep.Problems, doctorProblem{Path: p.Path, Message: problemText(p.Err)})
	}
	return rep
}

// Sentences of postino doctor.
var (
	textDoctorNoArgs          = probe.Text{EN: "postino doctor takes no address or name (%q): it looks for every account on this computer.", IT: "postino doctor non accetta indirizzi né nomi (%q): cerca tutti gli account presenti su questo computer."}
	textDoctorNothing         = probe.Text{EN: "No mail account was found on this computer: postino looked in the settings of Thunderbird, msmtp, mbsync, fetchmail, NeoMutt and Mutt, aerc and Evolution, and in its own.", IT: "Su questo computer non è stato trovato nessun account di posta: postino ha cercato nelle impostazioni di Thunderbird, msmtp, mbsync, fetchmail, NeoMutt e Mutt, aerc ed Evolution, e nelle sue."}
	textDoctorUnreadable      = probe.Text{EN: "Could not read %s: %s.", IT: "Impossibile leggere %s: %s."}
	textDoctorSummary         = probe.Text{EN: "Accounts: %d. Servers tested: %d; working: %d; not working: %d.", IT: "Account: %d. Server provati: %d; funzionanti: %d; non funzionanti: %d."}
	textDoctorPinFix          = probe.Text{EN: "If you know this certificate is right (a self-signed server of your own), have %s trust it: its SHA-256 fingerprint is %s. Otherwise the server needs a certificate from a trusted authority.", IT: "Se sai che questo certificato è quello giusto (un tuo server con certificato autofirmato), fai in modo che %s se ne fidi: la sua impronta SHA-256 è %s. Altrimenti al server serve un certificato rilasciato da un'autorità attendibile."}
	textDoctorNoLogin         = probe.Text{EN: "The login was not tested where postino holds no password (the other programs' accounts): only the connection and TLS.", IT: "Dove postino non ha la password (gli account degli altri programmi) non è stato provato l'accesso, ma solo la connessione e il TLS."}
	textDoctorReached         = probe.Text{EN: "The connection and TLS work; the login was not tested.", IT: "La connessione e il TLS funzionano; l'accesso non è stato provato."}
	textDoctorUser            = probe.Text{EN: "user %s", IT: "utente %s"}
	textDoctorWhy             = probe.Text{EN: "Why", IT: "Perché"}
	textDoctorToDo            = probe.Text{EN: "What to do", IT: "Cosa fare"}
	textDoctorFinger          = probe.Text{EN: "SHA-256 fingerprint", IT: "Impronta SHA-256"}
	textDoctorNoTLS           = probe.Text{EN: "%s answers, but the program is set to use it without encryption.", IT: "%s risponde, ma il programma è impostato per usarlo senza cifratura."}
	textDoctorNoTLSWhy        = probe.Text{EN: "Without TLS the password and the mail travel in the clear: anyone on the network can read them.", IT: "Senza TLS la password e la posta viaggiano in chiaro: chiunque sulla rete può leggerle."}
	textDoctorCAFile          = probe.Text{EN: "Trusted certificate authorities: %s", IT: "Autorità di certificazione attendibili: %s"}
	textDoctorCAUnreadable    = probe.Text{EN: "%s is set to trust the certificate authorities in %s, but that file cannot be used (%s): the server was not tested.", IT: "%s è impostato per fidarsi delle autorità di certificazione in %s, ma quel file non si può usare (%s): il server non è stato provato."}
	textDoctorCANoCerts       = probe.Text{EN: "it holds no PEM certificate", IT: "non contiene certificati PEM"}
	textDoctorCAUnreadableFix = probe.Text{EN: "Correct the file's path in the settings of %s, or make the file readable.", IT: "Correggi il percorso del file nelle impostazioni di %s, oppure rendi il file leggibile."}
	textDoctorNoTLSFix        = probe.Text{EN: "Set the program to SSL/TLS (port %d) or STARTTLS, and check that the server accepts it with postino test.", IT: "Imposta il programma su SSL/TLS (porta %d) o STARTTLS, e verifica con postino test che il server lo accetti."}
)

// doctorRoles name a server's role.
var doctorRoles = map[probe.Role]probe.Text{
	probe.Incoming: {EN: "incoming", IT: "in arrivo"},
	probe.Outgoing: {EN: "outgoing", IT: "in uscita"},
}
