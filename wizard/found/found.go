// Package found finds the mail accounts other programs have set up on this
// computer (Thunderbird, msmtp, mbsync, fetchmail, NeoMutt and Mutt, aerc,
// Evolution) and postino's own, and tests their servers. It only reads
// those programs' files: it never writes them and never reads their
// password stores.
package found

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/store"
)

// Program is the mail program an account was set up in.
type Program string

// The programs whose accounts are found.
const (
	Thunderbird Program = "thunderbird"
	Msmtp       Program = "msmtp"
	Mbsync      Program = "mbsync"
	Fetchmail   Program = "fetchmail"
	Mutt        Program = "mutt"
	Aerc        Program = "aerc"
	Evolution   Program = "evolution"
	Postino     Program = "postino"
)

// Programs is every program looked for, in the order the report shows them.
var Programs = []Program{Thunderbird, Msmtp, Mbsync, Fetchmail, Mutt, Aerc, Evolution, Postino}

// Server is one server of an account, with what it is for.
type Server struct {
	Role probe.Role `json:"role"`
	probe.Server
}

// Account is one account found: the file it came from, its name or
// address, and its servers.
type Account struct {
	Program Program
	// Path is the file the account was read from.
	Path    string
	Name    string
	Address string
	Servers []Server
	// CAFile is the file of certificate authorities the program is set to
	// trust for this account besides the system's (msmtp's tls_trust_file,
	// mbsync's CertificateFile, fetchmail's sslcertfile, Mutt's
	// ssl_ca_certificates_file), "" when none.
	CAFile string
	// NoSystemRoots is an account whose program trusts only CAFile, not
	// the system's authorities (mbsync's SystemCertificates no).
	NoSystemRoots bool
	// Saved is postino's own account, whose password postino holds.
	Saved *store.Account
}

// Problem is a file that exists but could not be read or understood.
type Problem struct {
	Path string
	Err  error
}

// Env is where to look: the operating system, the home folder and the
// environment (XDG_CONFIG_HOME, APPDATA), and postino's own accounts.
type Env struct {
	GOOS   string
	Home   string
	Getenv func(string) string
	// Store holds postino's own accounts; nil: none are looked for.
	Store *store.Store
}

func (e Env) getenv(k string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(k)
}

// configHome is $XDG_CONFIG_HOME, else ~/.config.
func (e Env) configHome() string {
	if d := e.getenv("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
		return d
	}
	return filepath.Join(e.Home, ".config")
}

// Found is what Find found.
type Found struct {
	Accounts []Account
	Problems []Problem
	// Looked is every file or folder looked at, whether it was there or not.
	Looked []string
}

// MaxFileSize bounds each file read: a prefs.js of many accounts is well
// under it.
const MaxFileSize = 8 << 20

// errTooBig is a file larger than MaxFileSize.
var errTooBig = errors.New("larger than 8 MiB")

// readFile reads a whole file, up to MaxFileSize; a missing file is
// os.ErrNotExist.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, errors.New("is a folder")
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, errTooBig
	}
	return data, nil
}

// finder collects what the readers find.
type finder struct {
	env Env
	out Found
}

// file reads path and hands it to parse; a missing file is nothing found,
// any other failure a Problem.
func (f *finder) file(path string, parse func(path string, data []byte) ([]Account, error)) {
	f.out.Looked = append(f.out.Looked, path)
	data, err := readFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err == nil {
		var accounts []Account
		accounts, err = parse(path, data)
		f.add(accounts)
	}
	if err != nil {
		f.problem(path, err)
	}
}

func (f *finder) problem(path string, err error) {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	f.out.Problems = append(f.out.Problems, Problem{Path: path, Err: err})
}

// add keeps the accounts that have a server.
func (f *finder) add(accounts []Account) {
	for _, a := range accounts {
		if len(a.Servers) > 0 {
			f.out.Accounts = append(f.out.Accounts, a)
		}
	}
}

// Find looks for every program's accounts.
func Find(env Env) Found {
	f := &finder{env: env}
	if env.Home != "" {
		f.thunderbird()
		f.msmtp()
		f.mbsync()
		f.fetchmail()
		f.mutt()
		f.aerc()
		f.evolution()
	}
	f.postino()
	return f.out
}

// expandCA is parse with each account's CAFile's ~ made the home folder,
// as msmtp and mbsync expand it.
func (f *finder) expandCA(parse func(path string, data []byte) ([]Account, error)) func(path string, data []byte) ([]Account, error) {
	return func(path string, data []byte) ([]Account, error) {
		accounts, err := parse(path, data)
		for i := range accounts {
			accounts[i].CAFile = expandHome(accounts[i].CAFile, f.env.Home)
		}
		return accounts, err
	}
}

// expandHome turns ~/x into the home folder's x.
func expandHome(p, home string) string {
	if p == "~" {
		return home
	}
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		return filepath.Join(home, rest)
	}
	return p
}

// server is a probe.Server with a missing port (0) defaulted from the
// protocol and security, or nothing when there is no host, the port is
// out of range, or the host or user name has control characters.
func server(role probe.Role, p probe.Protocol, host string, port int, sec probe.Security, user string) (Server, bool) {
	host = strings.TrimSpace(host)
	if host == "" || probe.HasControl(host) || probe.HasControl(user) || strings.ContainsAny(host, " /") || port < 0 || port > 65535 {
		return Server{}, false
	}
	if port == 0 {
		port = probe.DefaultPort(p, sec)
	}
	return Server{Role: role, Server: probe.Server{Protocol: p, Host: host, Port: port, Security: sec, Username: user, Auth: probe.AuthPassword}}, true
}

// lineError is a line of a file that could not be understood.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }
