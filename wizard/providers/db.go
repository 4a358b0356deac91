package providers

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
)

// DB is a set of providers indexed by domain, domain wildcard and MX
// pattern. A DB is read-only once built, so it is safe for concurrent use.
// A lazy DB (Lazy, and what merging one gives) is built at its first use.
type DB struct {
	lazy *lazyBuild // nil for a DB built when made
	// over, for a lazy DB, is the files merged over its lazy file, built:
	// a question that none of the lazy file's patterns can answer (its
	// scan) is theirs alone.
	over *DB

	providers []*Provider          // in file order, embedded entries first
	byID      map[string]*Provider // id → provider
	domains   map[string]*Provider // exact domain → provider
	wildcards map[string]*Provider // "example.com" for "*.example.com"
	mxExact   map[string]*Provider // exact MX host → provider
	mxWild    map[string]*Provider // "example.com" for "*.example.com"
}

// Load reads one providers file's content; name is used in error messages,
// which take the form "name:line: what is wrong". Within one file an id, a
// domain or an MX pattern may appear only once.
func Load(name string, data []byte) (*DB, error) {
	list, err := decodeFile(name, data)
	if err != nil {
		return nil, err
	}
	db := newDB()
	for _, p := range list {
		db.add(p)
	}
	return db, nil
}

// lazyBuild is how a lazy DB is built, once, and the scan of its lazy
// file's patterns.
type lazyBuild struct {
	once  sync.Once
	build func() *DB
	scan  func() *patternScan
}

// Lazy is the DB of a file's content read at its first use rather than
// now: for the embedded file, which nothing may need before the first
// frame. A question that none of its domains or MX patterns can answer,
// as a scan of its text shows (scanPatterns), is answered without
// reading it at all. Its content must be a valid providers file without
// patches; the tests of the embedded file check that, and a DB that
// cannot be built is empty.
func Lazy(name string, data []byte) *DB {
	return &DB{lazy: &lazyBuild{
		build: func() *DB {
			db, err := Load(name, data)
			if err != nil || newDB().unpatched(db) != nil {
				return newDB()
			}
			return db
		},
		scan: sync.OnceValue(func() *patternScan { return scanPatterns(data) }),
	}}
}

// ready builds a lazy DB; every method that reads the indexes calls it.
func (db *DB) ready() *DB {
	if l := db.lazy; l != nil {
		l.once.Do(func() {
			built := l.build()
			db.providers, db.byID, db.domains, db.wildcards, db.mxExact, db.mxWild =
				built.providers, built.byID, built.domains, built.wildcards, built.mxExact, built.mxWild
		})
	}
	return db
}

// MaxFileSize bounds a providers file: a real one is a few hundred
// kilobytes even with thousands of entries.
const MaxFileSize = 16 << 20

// LoadFile reads a providers file from disk; errors name its path. Only a
// regular file of at most MaxFileSize is read, so that a device (/dev/zero)
// or a FIFO is refused at once rather than read without end or waited on.
func LoadFile(path string) (*DB, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, data)
}

func readFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read providers file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if fi.Size() > MaxFileSize {
		return nil, fmt.Errorf("%s is larger than %d MiB", path, MaxFileSize>>20)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read providers file: %w", err)
	}
	defer f.Close()
	// The file may have grown since Stat.
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read providers file: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s is larger than %d MiB", path, MaxFileSize>>20)
	}
	return data, nil
}

// LoadAll reads the embedded database and then each file in order; a later
// file's entry wins over an earlier one with the same id, domain or MX
// pattern, so an organisation's file can correct or extend the embedded one.
// The files are read now, so that a mistake in one is said at once; the
// embedded database is read at the first question (Lazy), unless a file
// sets the client of one of its providers, which must be there.
func LoadAll(embedded []byte, files []string) (*DB, error) {
	db := Lazy("providers.yaml", embedded)
	for _, f := range files {
		next, err := LoadFile(f)
		if err != nil {
			return nil, err
		}
		if p := db.unpatched(next); p != nil {
			return nil, &Error{File: f, Line: line(p), Problem: fmt.Sprintf("provider %q gives only an oauth2 client, but no earlier providers file has a provider %q.", p.ID, p.ID)}
		}
		db = db.Merge(next)
	}
	return db, nil
}

// Merge returns a DB holding db's providers overlaid by other's: an entry of
// other replaces db's entry with the same id, and takes over the domains and
// MX patterns it names. Neither db nor other is changed. When either is
// lazy, so is the merge.
func (db *DB) Merge(other *DB) *DB {
	switch {
	case other.lazy != nil:
		return &DB{lazy: &lazyBuild{build: func() *DB { return db.ready().merge(other.ready()) }}}
	case db.lazy != nil:
		over := other
		if db.over != nil {
			over = db.over.merge(other)
		}
		return &DB{over: over, lazy: &lazyBuild{
			build: func() *DB { return db.ready().merge(other) },
			scan:  db.lazy.scan,
		}}
	}
	return db.merge(other)
}

func (db *DB) merge(other *DB) *DB {
	merged := newDB()
	for _, p := range db.providers {
		switch q := other.byID[p.ID]; {
		case q != nil && q.patch:
			merged.add(patched(p, q.OAuth2))
		case q == nil:
			merged.add(p)
		}
	}
	for _, p := range other.providers {
		if !p.patch {
			merged.add(p)
		}
	}
	return merged
}

// unpatched is the first patch of other that no provider of db has; nil
// when every patch has its provider. Only a patch makes db be read.
func (db *DB) unpatched(other *DB) *Provider {
	for _, p := range other.ready().providers {
		if p.patch && db.ready().byID[p.ID] == nil {
			return p
		}
	}
	return nil
}

// Providers lists the providers that some domain or MX pattern still leads
// to, in the order they were read.
func (db *DB) Providers() []*Provider {
	db.ready()
	reachable := map[*Provider]bool{}
	for _, index := range []map[string]*Provider{db.domains, db.wildcards, db.mxExact, db.mxWild} {
		for _, p := range index {
			reachable[p] = true
		}
	}
	var list []*Provider
	for _, p := range db.providers {
		if reachable[p] {
			list = append(list, p)
		}
	}
	return list
}

// ByID finds a provider by its id.
func (db *DB) ByID(id string) (*Provider, bool) {
	p, ok := db.ready().byID[id]
	return p, ok
}

func newDB() *DB {
	return &DB{
		byID:      map[string]*Provider{},
		domains:   map[string]*Provider{},
		wildcards: map[string]*Provider{},
		mxExact:   map[string]*Provider{},
		mxWild:    map[string]*Provider{},
	}
}

// add indexes p; whatever p names is taken from any provider added before.
func (db *DB) add(p *Provider) {
	db.providers = append(db.providers, p)
	db.byID[p.ID] = p
	for _, d := range p.Domains {
		claim(db.domains, db.wildcards, d, p)
	}
	for _, m := range p.MX {
		claim(db.mxExact, db.mxWild, m, p)
	}
}

func claim(exact, wild map[string]*Provider, pattern string, p *Provider) {
	if suffix, ok := wildcardSuffix(pattern); ok {
		wild[suffix] = p
	} else {
		exact[pattern] = p
	}
}

// line is the line p was read from, out of its Source (file:line).
func line(p *Provider) int {
	n, _ := strconv.Atoi(p.Source[strings.LastIndex(p.Source, ":")+1:])
	return n
}
