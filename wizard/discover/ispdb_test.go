package discover

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
)

var (
	xmlComment = regexp.MustCompile(`(?s)<!--.*?-->`)
	domainElem = regexp.MustCompile(`<domain>\s*([^<]*?)\s*</domain>`)
)

// snapshotDomains reads every <domain> element of every file of the
// built-in ISP database with a regular expression rather than the
// autoconfig parser, so that the index is checked against the files
// themselves. It gives each domain's files.
func snapshotDomains(t testing.TB) map[string][]string {
	t.Helper()
	entries, err := fs.ReadDir(ispdbFiles, "ispdb")
	if err != nil {
		t.Fatalf("ReadDir() = %v", err)
	}
	domains := map[string][]string{}
	for _, e := range entries {
		data, err := fs.ReadFile(ispdbFiles, path.Join("ispdb", e.Name()))
		if err != nil {
			t.Fatalf("ReadFile(%s) = %v", e.Name(), err)
		}
		for _, m := range domainElem.FindAllStringSubmatch(xmlComment.ReplaceAllString(string(data), ""), -1) {
			ascii, _, err := mailbox.ParseDomain(m[1])
			if err != nil {
				t.Errorf("%s: <domain>%s</domain> is not a domain: %v", e.Name(), m[1], err)
				continue
			}
			if !slices.Contains(domains[ascii], e.Name()) {
				domains[ascii] = append(domains[ascii], e.Name())
			}
		}
	}
	return domains
}

// sortedKeys is a map's keys in order, so that the tests' logs read the
// same on every run.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestBuiltinISPDBIndexesEveryDomain(t *testing.T) {
	want := snapshotDomains(t)
	s := &snapshot{fsys: ispdbFiles, dir: "ispdb"}
	for _, d := range sortedKeys(want) {
		files := want[d]
		if len(files) > 1 {
			t.Errorf("%s is listed by %v: which settings it gets depends on the file names", d, files)
		}
		if got, ok := s.file(d); !ok || got != files[0] {
			t.Errorf("index: %s → %q, %v; want %s", d, got, ok, files[0])
		}
	}
	if len(s.index) != len(want) {
		t.Errorf("the index has %d domains, the files %d", len(s.index), len(want))
	}
	entries, _ := fs.ReadDir(ispdbFiles, "ispdb")
	t.Logf("%d files, %d domains", len(entries), len(want))

	// The README beside the files says how many there are.
	readme, err := os.ReadFile("ispdb/README.md")
	if err != nil {
		t.Fatalf("ReadFile(README.md) = %v", err)
	}
	m := regexp.MustCompile(`(\d+) clientConfig files\s+covering (\d+) domains`).FindSubmatch(readme)
	if m == nil {
		t.Fatalf("ispdb/README.md does not say how many files and domains it holds")
	}
	if n, _ := strconv.Atoi(string(m[1])); n != len(entries) {
		t.Errorf("README.md says %d files, the folder has %d", n, len(entries))
	}
	if n, _ := strconv.Atoi(string(m[2])); n != len(want) {
		t.Errorf("README.md says %d domains, the files list %d", n, len(want))
	}
	for _, f := range []string{"ispdb/LICENSE", "ispdb/README.md"} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s must stay beside the files: %v", f, err)
		}
	}
}

// wellKnown is the protocol and security each standard port is for (RFC
// 8314, RFC 6409): a server on another's port contradicts its file.
var wellKnown = map[int]struct {
	protocol probe.Protocol
	security probe.Security
}{
	993: {probe.IMAP, probe.TLS}, 143: {probe.IMAP, probe.StartTLS},
	995: {probe.POP3, probe.TLS}, 110: {probe.POP3, probe.StartTLS},
	465: {probe.SMTP, probe.TLS}, 587: {probe.SMTP, probe.StartTLS}, 25: {probe.SMTP, probe.StartTLS},
}

// offPort are the servers on another protocol's or security's port that
// postino proposes all the same, each with its reason.
var offPort = map[string]string{
	"smtps://mobile.charter.net:587": "the file notes that Charter runs SMTP over TLS on 587, against the standard; the handshake would fail at once otherwise",
}

// saneServer says what is wrong with one server of an entry, or "". A
// server without a user name is fine: the wizard and postino test log in
// with the address then.
func saneServer(s probe.Server, incoming bool) string {
	switch {
	case incoming != s.Incoming():
		return "in the wrong role"
	case s.Port < 1 || s.Port > 65535:
		return "has no valid port"
	case !mailbox.ValidHostname(s.Host) || !strings.Contains(s.Host, "."):
		return "has no valid host name"
	}
	if k, ok := wellKnown[s.Port]; ok && (k.protocol != s.Protocol || s.Security != probe.None && k.security != s.Security) {
		if _, known := offPort[s.String()]; !known {
			return fmt.Sprintf("is on the port of %s with %s", k.protocol, k.security)
		}
	}
	return ""
}

// Every domain of every file is read through the lookup discovery uses:
// it gives at least one incoming and one outgoing server, the first of
// each encrypted, every one sane; or it is a provider that publishes only
// servers without encryption, which postino never proposes.
func TestBuiltinISPDBEveryEntry(t *testing.T) {
	domains := snapshotDomains(t)
	cleartext := map[string][]string{} // file → domains
	usable := 0
	for _, d := range sortedKeys(domains) {
		addr := mustAddress(t, "anna.rossi@"+d)
		s, err := builtinISPDB.settings(addr, d)
		var clear *CleartextOnlyError
		if errors.As(err, &clear) {
			for _, srv := range clear.Servers {
				if srv.Security != probe.None {
					t.Errorf("%s: %v is encrypted, but the entry was refused as cleartext only", d, srv)
				}
			}
			cleartext[domains[d][0]] = append(cleartext[domains[d][0]], d)
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", d, err)
			continue
		}
		usable++
		if len(s.incoming) == 0 || len(s.outgoing) == 0 {
			t.Errorf("%s: %d incoming and %d outgoing servers, want at least one of each", d, len(s.incoming), len(s.outgoing))
			continue
		}
		if s.incoming[0].Security == probe.None || s.outgoing[0].Security == probe.None {
			t.Errorf("%s: proposes %v and %v first, one of them without encryption", d, s.incoming[0], s.outgoing[0])
		}
		for _, role := range []struct {
			incoming bool
			list     []probe.Server
		}{{true, s.incoming}, {false, s.outgoing}} {
			for _, srv := range role.list {
				if why := saneServer(srv, role.incoming); why != "" {
					t.Errorf("%s (%s): %v %s", d, domains[d][0], srv, why)
				}
				if slices.Contains(ispdbLeftOut, srv.String()) {
					t.Errorf("%s: %v is proposed, but postino leaves it out", d, srv)
				}
			}
		}
		if s.provider.Name == "" || s.provider.ID == "" {
			t.Errorf("%s: provider %+v has no name or id", d, s.provider)
		}
	}
	for _, f := range sortedKeys(cleartext) {
		t.Logf("only without encryption, so nothing is proposed: %s (%s)", f, strings.Join(cleartext[f], " "))
	}
	t.Logf("%d domains with settings, %d in %d files with only servers without encryption", usable, len(domains)-usable, len(cleartext))
	if usable == 0 {
		t.Fatalf("no domain of the snapshot has settings")
	}
}

// Every domain of the snapshot is asked the way postino detect --offline
// asks (Discover, offline, with providers.yaml): each gets trusted
// settings from the providers files or the built-in database, or the
// error that names a provider known only without encryption.
func TestBuiltinISPDBDetectOffline(t *testing.T) {
	cfg := &Config{Catalog: realProviders(t), Offline: true}
	domains := snapshotDomains(t)
	count := map[string]int{}
	for _, d := range sortedKeys(domains) {
		r, err := Discover(context.Background(), mustAddress(t, "anna@"+d), cfg)
		var clear *CleartextOnlyError
		switch {
		case err == nil && r.Trusted && (r.Source == mailbox.SourceProviders || r.Source == mailbox.SourceISPDB) &&
			len(r.Incoming) > 0 && len(r.Outgoing) > 0:
			count[string(r.Source)]++
		case errors.Is(err, ErrNotFound) && errors.As(err, &clear):
			count["cleartext only"]++
		default:
			t.Errorf("%s (%s): Discover() = %+v, %v", d, domains[d][0], r, err)
		}
	}
	t.Logf("%d domains: %v", len(domains), count)
}

// Each server postino leaves out is in the snapshot, so the list stays
// true when the snapshot is refreshed; the entries keep their other
// servers.
func TestBuiltinISPDBLeftOut(t *testing.T) {
	tests := []struct {
		domain, file string
		left         string // the left-out server
		incoming     string // the first incoming server that stays
	}{
		{"arubapec.it", "arubapec.it.xml", "pop3s://pop3s.pec.aruba.it:993", "imaps://imaps.pec.aruba.it:993"},
		{"pdx.edu", "pdx.edu.xml", "imap://psumail.pdx.edu:587", "imaps://psumail.pdx.edu:993"},
	}
	if len(tests) != len(ispdbLeftOut) {
		t.Fatalf("%d left-out servers, %d tested", len(ispdbLeftOut), len(tests))
	}
	for _, tt := range tests {
		data, err := fs.ReadFile(ispdbFiles, "ispdb/"+tt.file)
		if err != nil {
			t.Fatalf("ReadFile(%s) = %v", tt.file, err)
		}
		addr := mustAddress(t, "anna@"+tt.domain)
		raw, err := parseAutoconfig(data, addr, tt.domain)
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		if !slices.ContainsFunc(append(raw.incoming, raw.outgoing...), func(s probe.Server) bool { return s.String() == tt.left }) {
			t.Errorf("%s no longer lists %s: drop it from ispdbLeftOut", tt.file, tt.left)
		}
		s, err := builtinISPDB.settings(addr, tt.domain)
		if err != nil {
			t.Fatalf("%s: %v", tt.domain, err)
		}
		for _, srv := range append(s.incoming, s.outgoing...) {
			if srv.String() == tt.left {
				t.Errorf("%s: %s is proposed", tt.domain, tt.left)
			}
		}
		if len(s.incoming) == 0 || s.incoming[0].String() != tt.incoming || len(s.outgoing) == 0 {
			t.Errorf("%s: incoming %v, outgoing %v; want %s first and an outgoing server", tt.domain, s.incoming, s.outgoing, tt.incoming)
		}
	}
}

// realProviders is providers.yaml as the binary embeds it.
func realProviders(t testing.TB) *providers.DB {
	t.Helper()
	data, err := os.ReadFile("../../providers.yaml")
	if err != nil {
		t.Fatalf("ReadFile(providers.yaml) = %v", err)
	}
	db, err := providers.LoadAll(data, nil)
	if err != nil {
		t.Fatalf("LoadAll() = %v", err)
	}
	return db
}

// The snapshot and providers.yaml are compared domain by domain; where
// they differ, the differences are listed, not hidden: providers.yaml was
// checked against the providers' own pages and wins.
func TestBuiltinISPDBAgainstProviders(t *testing.T) {
	db := realProviders(t)
	domains := snapshotDomains(t)
	urls := func(list []probe.Server) []string {
		var out []string
		for _, s := range list {
			out = append(out, s.String())
		}
		return out
	}
	shared, differ := 0, 0
	onlyISPDB := map[string][]string{} // file → domains providers.yaml lacks
	for _, d := range sortedKeys(domains) {
		file := domains[d][0]
		p, ok := db.ByDomain(d)
		if !ok {
			onlyISPDB[file] = append(onlyISPDB[file], d)
			continue
		}
		shared++
		addr := mustAddress(t, "anna@"+d)
		s, err := builtinISPDB.settings(addr, d)
		in, out := p.Servers(addr.ASCII())
		if err != nil {
			differ++
			t.Logf("DIFFERS %s: providers.yaml %s gives %v / %v; the snapshot (%s) none: %v", d, p.ID, urls(in), urls(out), file, err)
			continue
		}
		var notes []string
		for _, role := range []struct {
			name     string
			yaml, tb []probe.Server
		}{{"incoming", in, s.incoming}, {"outgoing", out, s.outgoing}} {
			y, b := urls(role.yaml), urls(role.tb)
			if len(y) > 0 && len(b) > 0 && y[0] != b[0] {
				notes = append(notes, fmt.Sprintf("first %s %s, snapshot %s", role.name, y[0], b[0]))
			}
			for _, u := range y {
				if !slices.Contains(b, u) {
					notes = append(notes, fmt.Sprintf("%s not in the snapshot", u))
				}
			}
			for _, u := range b {
				if !slices.Contains(y, u) {
					notes = append(notes, fmt.Sprintf("%s only in the snapshot", u))
				}
			}
		}
		if len(in) > 0 && len(s.incoming) > 0 && in[0].Username != s.incoming[0].Username {
			notes = append(notes, fmt.Sprintf("user name %q, snapshot %q", in[0].Username, s.incoming[0].Username))
		}
		if len(notes) > 0 {
			differ++
			t.Logf("DIFFERS %s (providers.yaml %s, snapshot %s): %s", d, p.ID, file, strings.Join(notes, "; "))
		}
	}
	var files []string
	for _, f := range sortedKeys(onlyISPDB) {
		files = append(files, fmt.Sprintf("%s (%d)", f, len(onlyISPDB[f])))
	}
	t.Logf("only in the snapshot: %d domains of %d files: %s", len(domains)-shared, len(onlyISPDB), strings.Join(files, ", "))
	t.Logf("%d domains in both, %d of them with differences; providers.yaml wins for all %d", shared, differ, shared)
	if shared == 0 {
		t.Fatalf("no domain is in both: the comparison compared nothing")
	}
}

// The built-in database ranks below the online one, whose data is newer,
// and below the domain's own autoconfig and the providers files; when the
// network gives nothing better it answers, trusted.
func TestBuiltinISPDBRank(t *testing.T) {
	t.Parallel()
	const d = "wp.pl" // in the snapshot, not in the test catalog
	ispdbURL := "https://autoconfig.thunderbird.net/v1.1/" + d
	t.Run("alone", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		start := time.Now()
		r, ev, err := discover(t, n, "anna@"+d, nil)
		if err != nil || r.Source != mailbox.SourceISPDB || !r.Trusted {
			t.Fatalf("Discover() = %+v, %v; want the built-in ISP database, trusted", r, err)
		}
		wantServers(t, "incoming", r.Incoming, "imaps://imap.wp.pl:993", "pop3s://pop3.wp.pl:995")
		wantServers(t, "outgoing", r.Outgoing, "smtps://smtp.wp.pl:465")
		if r.Incoming[0].Username != "anna" || r.Provider == nil || r.Provider.Name != "Poczta Wirtualna Polska" {
			t.Errorf("user %q, provider %+v", r.Incoming[0].Username, r.Provider)
		}
		if got := ev.final()[mailbox.SourceISPDB]; got != mailbox.SourceFound {
			t.Errorf("ispdb ended %v, want found", got)
		}
		if el := time.Since(start); el >= DefaultBudget {
			t.Errorf("Discover() took %v", el)
		}
	})
	t.Run("the online database wins", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		n.xmlPage(ispdbURL, autoconfigXML(d))
		r, _, err := discover(t, n, "anna@"+d, func(c *Config) { c.Grace = 5 * time.Second })
		if err != nil || r.Source != mailbox.SourceISPDB {
			t.Fatalf("Discover() = %+v, %v", r, err)
		}
		wantServers(t, "incoming", r.Incoming, "imaps://mail.wp.pl:993")
	})
	t.Run("a slow online database loses after the grace", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		n.page(ispdbURL, delayed(time.Minute, autoconfigXML(d)))
		r, _, err := discover(t, n, "anna@"+d, func(c *Config) { c.Grace = 200 * time.Millisecond })
		if err != nil || r.Source != mailbox.SourceISPDB {
			t.Fatalf("Discover() = %+v, %v", r, err)
		}
		wantServers(t, "incoming", r.Incoming, "imaps://imap.wp.pl:993", "pop3s://pop3.wp.pl:995")
	})
	t.Run("the domain's own autoconfig wins", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		n.xmlPage("https://autoconfig."+d+"/mail/config-v1.1.xml", autoconfigXML(d))
		r, _, err := discover(t, n, "anna@"+d, func(c *Config) { c.Grace = 5 * time.Second })
		if err != nil || r.Source != mailbox.SourceAutoconfig {
			t.Fatalf("Discover() = %+v, %v; want autoconfig", r, err)
		}
	})
	t.Run("the providers files win", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		r, _, err := discover(t, n, "anna@"+d, func(c *Config) {
			c.Catalog = fakeCatalog{domains: map[string]*providers.Provider{d: acmeMail}}
		})
		if err != nil || r.Source != mailbox.SourceProviders || r.Provider.ID != "acme" {
			t.Fatalf("Discover() = %+v, %v; want the providers files", r, err)
		}
	})
	t.Run("it beats guessing", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		guessable(n, d, map[string][]int{"imap.": {993}, "smtp.": {465}}, mailOK)
		r, _, err := discover(t, n, "anna@"+d, nil)
		if err != nil || r.Source != mailbox.SourceISPDB {
			t.Fatalf("Discover() = %+v, %v; want ispdb", r, err)
		}
	})
	t.Run("through the MX hosts", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		n.mx("studio.example", 10, "mx.wp.pl")
		r, _, err := discover(t, n, "anna@studio.example", nil)
		if err != nil || r.Source != mailbox.SourceMX || !r.Trusted {
			t.Fatalf("Discover() = %+v, %v; want mx, trusted", r, err)
		}
		wantServers(t, "incoming", r.Incoming, "imaps://imap.wp.pl:993", "pop3s://pop3.wp.pl:995")
		if !slices.ContainsFunc(r.Hints, func(h probe.Text) bool { return strings.Contains(h.EN, "wp.pl") }) {
			t.Errorf("hints %v do not say the mail goes to wp.pl", r.Hints)
		}
	})
	t.Run("only without encryption: guessing may answer", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		guessable(n, "nifty.com", map[string][]int{"pop.": {995}, "smtp.": {465}}, mailOK)
		r, _, err := discover(t, n, "anna@nifty.com", nil)
		if err != nil || r.Source != mailbox.SourceGuess {
			t.Fatalf("Discover() = %+v, %v; want a guess", r, err)
		}
	})
}

// Offline, the built-in database answers after the providers files, and
// a provider it knows only without encryption is named.
func TestBuiltinISPDBOffline(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	r, ev, err := discover(t, n, "anna@wp.pl", func(c *Config) { c.Offline = true })
	if err != nil || r.Source != mailbox.SourceISPDB || !r.Trusted {
		t.Fatalf("Discover() = %+v, %v; want the built-in ISP database", r, err)
	}
	want := []mailbox.SourceEvent{
		{Source: mailbox.SourceProviders, State: mailbox.SourceRunning},
		{Source: mailbox.SourceProviders, State: mailbox.SourceNotFound, Err: errNoProvider},
		{Source: mailbox.SourceISPDB, State: mailbox.SourceRunning},
		{Source: mailbox.SourceISPDB, State: mailbox.SourceFound},
	}
	if !slices.Equal(ev.list, want) {
		t.Errorf("events = %v, want %v", ev.list, want)
	}
	_, _, err = discover(t, n, "anna@nifty.com", func(c *Config) { c.Offline = true })
	var clear *CleartextOnlyError
	if !errors.Is(err, ErrNotFound) || !errors.As(err, &clear) || clear.Provider != "@nifty" || len(clear.Servers) == 0 {
		t.Fatalf("Discover(nifty.com) = %v; want not found, cleartext only", err)
	}
	if d, l, q := n.dials.Load(), n.lookups.Load(), n.requests.Load(); d+l+q != 0 {
		t.Errorf("dials %d, lookups %d, requests %d; want none", d, l, q)
	}
}

// Nothing of the built-in database is read before a lookup needs it: not
// when the package starts, not for a domain of the providers files. The
// check runs in a process of its own, where no other test has looked.
func TestBuiltinISPDBLazy(t *testing.T) {
	if os.Getenv("POSTINO_ISPDB_LAZY_CHILD") == "1" {
		lazyChild(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestBuiltinISPDBLazy$", "-test.v")
	cmd.Env = append(os.Environ(), "POSTINO_ISPDB_LAZY_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestBuiltinISPDBLazy") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

func lazyChild(t *testing.T) {
	if builtinISPDB.index != nil {
		t.Fatalf("the index was built before any lookup")
	}
	cfg := &Config{Catalog: realProviders(t), Offline: true}
	if r, err := Discover(context.Background(), mustAddress(t, "anna@libero.it"), cfg); err != nil || r.Source != mailbox.SourceProviders {
		t.Fatalf("Discover(libero.it) = %+v, %v", r, err)
	}
	if builtinISPDB.index != nil {
		t.Fatalf("a domain of the providers files built the index")
	}
	if r, err := Discover(context.Background(), mustAddress(t, "anna@wp.pl"), cfg); err != nil || r.Source != mailbox.SourceISPDB {
		t.Fatalf("Discover(wp.pl) = %+v, %v", r, err)
	}
	if builtinISPDB.index == nil {
		t.Fatalf("a lookup did not build the index")
	}
}

// BenchmarkBuiltinISPDBIndex is the first lookup's cost: indexing every
// domain of every file. "index-B" is the memory the index keeps.
func BenchmarkBuiltinISPDBIndex(b *testing.B) {
	for b.Loop() {
		s := &snapshot{fsys: ispdbFiles, dir: "ispdb"}
		if _, ok := s.file("wp.pl"); !ok {
			b.Fatalf("wp.pl is not in the index")
		}
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := &snapshot{fsys: ispdbFiles, dir: "ispdb"}
	s.file("wp.pl")
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(s)
	b.ReportMetric(float64(after.HeapAlloc)-float64(before.HeapAlloc), "index-B")
}

// BenchmarkBuiltinISPDBLookup is a later lookup's: its file read and
// parsed.
func BenchmarkBuiltinISPDBLookup(b *testing.B) {
	addr := mustAddress(b, "anna@wp.pl")
	builtinISPDB.file("wp.pl")
	for b.Loop() {
		if _, err := builtinISPDB.settings(addr, "wp.pl"); err != nil {
			b.Fatalf("settings() = %v", err)
		}
	}
}

// TestProvidersHelpPageFromSnapshot: an entry of providers.yaml checked
// against the ISP database names the help page the database's entry
// cites, not the database's own XML, whenever the snapshot has one for a
// domain of the entry.
func TestProvidersHelpPageFromSnapshot(t *testing.T) {
	db := realProviders(t)
	domains := snapshotDomains(t)
	documentation := regexp.MustCompile(`<documentation url="([^"]*)"`)
	for _, p := range db.Providers() {
		if providers.IsHelpPage(p.Docs) {
			continue
		}
		for _, d := range p.Domains {
			files, ok := domains[d]
			if !ok {
				continue
			}
			data, err := fs.ReadFile(ispdbFiles, "ispdb/"+files[0])
			if err != nil {
				t.Fatal(err)
			}
			if m := documentation.FindSubmatch(data); m != nil {
				t.Errorf("%s: docs %s, but the snapshot's %s cites the help page %s", p.ID, p.Docs, files[0], m[1])
			}
		}
	}
}
