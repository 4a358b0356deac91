package found

import (
	"context"
	"crypto/x509"
	"strconv"
	"sync"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/store"
)

// CodeNoTLS is a server the program is set to reach without TLS: it
// answers, but the password and the mail would travel unencrypted.
const CodeNoTLS probe.Code = "no_tls"

// CodeCAFile is an account whose program is set to trust a CA file that
// cannot be read: its servers are not tested, since the program itself
// cannot verify them either.
const CodeCAFile probe.Code = "ca_file_unreadable"

// DefaultParallel is how many servers are tested at once.
const DefaultParallel = 8

// Check is how Test tests the servers found.
type Check struct {
	// Options are the probe's (roots, time limit, dialer); no user name
	// or password is taken from them. An account's CAFile is trusted
	// besides Options.RootCAs, and with Options.SystemRoots the system's
	// authorities too unless the account has NoSystemRoots.
	Options probe.Options
	// Parallel bounds the tests running at once; zero: DefaultParallel.
	Parallel int
	// Tester is probe.Test unless set (tests).
	Tester func(context.Context, probe.Server, *probe.Options) probe.Result
	// Password is the secret postino holds for one of its own accounts,
	// "" when none: only those accounts are logged in to.
	Password func(store.Account) string
}

// Test tests every server of every account, connection and TLS, and the
// login only for postino's own accounts whose password it holds; the
// results are in the order of the accounts and their servers. A server
// several programs use with the same user name is tested once. A server
// set up without TLS that answers is CodeNoTLS.
func Test(ctx context.Context, accounts []Account, c Check) [][]Result {
	if c.Tester == nil {
		c.Tester = probe.Test
	}
	parallel := c.Parallel
	if parallel <= 0 {
		parallel = DefaultParallel
	}
	type job struct {
		server probe.Server
		opts   *probe.Options
		result probe.Result
	}
	jobs := map[string]*job{}
	var order []*job
	refs := make([][]*job, len(accounts))
	caErrs := make([]error, len(accounts))
	pools := map[string]*x509.CertPool{}
	for i, a := range accounts {
		opts := c.Options
		opts.Username, opts.Password, opts.AccessToken = "", "", ""
		key := ""
		if a.CAFile != "" || a.NoSystemRoots {
			pool, err := c.roots(a.CAFile, pools)
			if err != nil {
				caErrs[i] = err
				continue
			}
			opts.RootCAs = pool
			opts.SystemRoots = c.Options.SystemRoots && !a.NoSystemRoots
			key = "ca:" + strconv.FormatBool(opts.SystemRoots) + ":" + a.CAFile + "\x00"
		}
		if a.Saved != nil {
			opts.Pins = append(append([]probe.Pin(nil), opts.Pins...), a.Saved.Pins...)
			opts.Username = a.Saved.Address
			if c.Password != nil {
				opts.Password = c.Password(*a.Saved)
			}
			// Postino's own accounts are tested on their own: with their
			// password and pins.
			key += "postino:" + strconv.Itoa(i) + ":"
		}
		for _, s := range a.Servers {
			// An OAuth2 server gets no token: connection and TLS only.
			srv := s.Server
			k := key + string(s.Role) + " " + srv.String() + " " + srv.Username
			j := jobs[k]
			if j == nil {
				o := opts
				j = &job{server: srv, opts: &o}
				jobs[k] = j
				order = append(order, j)
			}
			refs[i] = append(refs[i], j)
		}
	}
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, j := range order {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				j.result = c.Tester(ctx, j.server, j.opts)
				return
			}
			defer func() { <-sem }()
			j.result = c.Tester(ctx, j.server, j.opts)
		}()
	}
	wg.Wait()
	out := make([][]Result, len(accounts))
	for i, a := range accounts {
		if caErrs[i] != nil {
			for _, s := range a.Servers {
				r := probe.Result{Role: s.Role, Server: s.Server, Code: CodeCAFile}
				out[i] = append(out[i], Result{Result: r, CAFile: a.CAFile, CAFileErr: caErrs[i]})
			}
			continue
		}
		for n, j := range refs[i] {
			r := j.result
			r.Role = a.Servers[n].Role
			r.Server = a.Servers[n].Server
			out[i] = append(out[i], diagnose(r))
		}
	}
	return out
}

// Result is one server's test, with its diagnosis.
type Result struct {
	probe.Result
	// LoginTested is set when a login was tried (postino's own accounts).
	LoginTested bool
	// CAFile and CAFileErr are the account's CA file and why it could not
	// be used (CodeCAFile).
	CAFile    string
	CAFileErr error
}

// roots is the pool an account with its own CA file trusts: Options.RootCAs
// (--ca-file) and the file's certificates, each file read once.
func (c Check) roots(file string, pools map[string]*x509.CertPool) (*x509.CertPool, error) {
	if p, ok := pools[file]; ok {
		return p, nil
	}
	pool := x509.NewCertPool()
	if c.Options.RootCAs != nil {
		pool = c.Options.RootCAs.Clone()
	}
	if file != "" {
		if err := probe.AppendRoots(pool, file); err != nil {
			return nil, err
		}
	}
	pools[file] = pool
	return pool, nil
}

// diagnose turns a passed test of a server without TLS into CodeNoTLS.
func diagnose(r probe.Result) Result {
	tried := r.LoggedIn || r.Code == probe.CodeAuthFailed || r.Code == probe.CodeCleartextRefused || r.Code == probe.CodeOAuthTokenRejected
	if r.OK && r.Server.Security == probe.None {
		r.OK, r.Code = false, CodeNoTLS
	}
	return Result{Result: r, LoginTested: tried}
}

// Passed reports whether every server of every account is reachable with
// TLS.
func Passed(results [][]Result) bool {
	for _, rs := range results {
		for _, r := range rs {
			if !r.OK {
				return false
			}
		}
	}
	return true
}
