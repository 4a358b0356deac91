package providers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/yamlpos"
)

// Error is a providers file that cannot be used, located by file and line
// so that whoever maintains the file can go straight to the mistake.
type Error struct {
	File    string
	Line    int
	Problem string // one sentence, without the location
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Problem)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Problem)
}

// decoder walks the YAML tree by hand, rather than through yaml's struct
// decoding, so that every mistake is caught with the line it is on.
type decoder struct {
	file string
	err  *Error // the first mistake; decoding stops there
	// offset is added to the lines of the nodes: the line before the
	// entry being decoded on its own (see entries).
	offset int
	// strings holds one copy of each hint and user name: a large file
	// repeats them in every entry.
	strings map[string]string
}

// intern is the one copy of v.
func (d *decoder) intern(v string) string {
	if s, ok := d.strings[v]; ok {
		return s
	}
	if d.strings == nil {
		d.strings = map[string]string{}
	}
	d.strings[v] = v
	return v
}

func (d *decoder) fail(n *yaml.Node, format string, args ...any) {
	if d.err == nil {
		d.err = &Error{File: d.file, Line: d.line(n), Problem: fmt.Sprintf(format, args...)}
	}
}

// line is the line of n in the file.
func (d *decoder) line(n *yaml.Node) int { return n.Line + d.offset }

// syntaxError turns an error of the yaml package about data into an
// *Error with the line.
func syntaxError(name string, data []byte, err error) *Error {
	line, problem := yamlpos.Locate(data, err)
	return &Error{File: name, Line: line, Problem: "the file is not valid YAML: " + problem + "."}
}

// decodeFile reads one file's providers, stopping at the first mistake.
// A file laid out as providers files are (see entries) is decoded one
// entry at a time, so that only one entry's YAML tree is ever held: a
// tree costs several kilobytes an entry, the provider it becomes about
// one. Any mistake sends it through the whole file's tree, which names
// the first mistake of the file as a whole.
func decodeFile(name string, data []byte) ([]*Provider, error) {
	if chunks, ok := entries(data); ok {
		if list, ok := decodeEntries(name, data, chunks); ok {
			return list, nil
		}
	}
	return decodeTree(name, data)
}

// chunk is one entry's lines of a providers file: data[start:end], which
// begins on line first.
type chunk struct {
	start, end, first int
}

// entries finds the entries of a file written as block YAML: a single
// line "providers:" at the left margin, then list items each starting
// with "- " at one indentation, everything else of an item indented
// deeper, comments and blank lines anywhere. Anything else (flow style,
// tabs, a second document, other top-level lines) is not ok and is left
// to the whole tree.
func entries(data []byte) ([]chunk, bool) {
	var (
		chunks []chunk
		list   bool // "providers:" was seen
		indent = -1
	)
	line := 0
	for pos := 0; pos < len(data); {
		end := bytes.IndexByte(data[pos:], '\n') + pos + 1
		if end == pos {
			end = len(data)
		}
		line++
		text := bytes.TrimRight(data[pos:end], "\r\n")
		content := bytes.TrimLeft(text, " ")
		margin := len(text) - len(content)
		switch {
		case bytes.IndexByte(text, '\t') >= 0:
			return nil, false
		case len(content) == 0 || content[0] == '#':
			// Blank or a comment: part of whatever surrounds it.
		case margin == 0 && !list:
			if !isListKey(content) {
				return nil, false
			}
			list = true
		case !list:
			return nil, false
		case indent < 0 || margin == indent:
			if !bytes.HasPrefix(content, []byte("- ")) && !bytes.Equal(content, []byte("-")) {
				return nil, false
			}
			indent = margin
			if n := len(chunks); n > 0 {
				chunks[n-1].end = pos
			}
			chunks = append(chunks, chunk{start: pos, first: line})
		case margin < indent || len(chunks) == 0:
			return nil, false
		}
		pos = end
	}
	if len(chunks) == 0 {
		return nil, false
	}
	chunks[len(chunks)-1].end = len(data)
	return chunks, true
}

// isListKey reports whether a line at the margin is "providers:", with
// nothing after it but a comment.
func isListKey(content []byte) bool {
	rest, ok := bytes.CutPrefix(content, []byte("providers:"))
	rest = bytes.TrimLeft(rest, " ")
	return ok && (len(rest) == 0 || rest[0] == '#')
}

// decodeEntries decodes each chunk on its own; not ok at the first
// mistake of any kind.
func decodeEntries(name string, data []byte, chunks []chunk) ([]*Provider, bool) {
	d := &decoder{file: name}
	s := newUsedNames()
	list := make([]*Provider, 0, len(chunks))
	for _, c := range chunks {
		var doc yaml.Node
		if err := yaml.Unmarshal(data[c.start:c.end], &doc); err != nil {
			return nil, false
		}
		if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.SequenceNode || len(doc.Content[0].Content) != 1 {
			return nil, false
		}
		d.offset = c.first - 1
		p := d.provider(doc.Content[0].Content[0], s)
		if d.err != nil {
			return nil, false
		}
		list = append(list, p)
	}
	return list, true
}

// decodeTree reads one file's providers through the whole file's tree.
func decodeTree(name string, data []byte) ([]*Provider, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return nil, syntaxError(name, data, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &Error{File: name, Line: extra.Line, Problem: "the file holds a second YAML document; put every provider in one \"providers:\" list."}
	} else if err != io.EOF {
		return nil, syntaxError(name, data, err)
	}
	d := &decoder{file: name}
	list := d.document(&doc)
	if d.err != nil {
		return nil, d.err
	}
	return list, nil
}

func (d *decoder) document(doc *yaml.Node) []*Provider {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		d.err = &Error{File: d.file, Problem: "the file is empty; it needs a \"providers:\" list."}
		return nil
	}
	top := doc.Content[0]
	var list []*Provider
	d.mapping(top, "the file", map[string]func(*yaml.Node){
		"providers": func(v *yaml.Node) { list = d.providers(v) },
	}, "providers")
	return list
}

// mapping checks that n is a mapping whose keys are all known and none is
// repeated, hands each value to its field function, and reports a missing
// required key at the mapping's own line.
func (d *decoder) mapping(n *yaml.Node, what string, fields map[string]func(*yaml.Node), required ...string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, "%s must be a mapping of keys to values.", what)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content) && d.err == nil; i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		field, ok := fields[k.Value]
		switch {
		case k.Kind != yaml.ScalarNode:
			d.fail(k, "%s has a key that is not a plain word.", what)
		case !ok:
			d.fail(k, "%s has an unknown key %q; the keys are %s.", what, k.Value, keyList(fields))
		case seen[k.Value]:
			d.fail(k, "%s gives the key %q twice.", what, k.Value)
		default:
			seen[k.Value] = true
			field(v)
		}
	}
	for _, r := range required {
		if !seen[r] && d.err == nil {
			d.fail(n, "%s has no %q.", what, r)
		}
	}
}

func keyList(fields map[string]func(*yaml.Node)) string {
	return strings.Join(slices.Sorted(maps.Keys(fields)), ", ")
}

// usedNames records the line where each id, domain and MX pattern was first
// given in the file, so that a second use can point back to the first.
type usedNames struct {
	ids, domains, mx map[string]int // → line of first use
}

func newUsedNames() *usedNames {
	return &usedNames{ids: map[string]int{}, domains: map[string]int{}, mx: map[string]int{}}
}

func (d *decoder) providers(n *yaml.Node) []*Provider {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		d.fail(n, "\"providers\" must be a list with at least one provider.")
		return nil
	}
	s := newUsedNames()
	var list []*Provider
	for _, item := range n.Content {
		p := d.provider(item, s)
		if d.err != nil {
			return nil
		}
		list = append(list, p)
	}
	return list
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func (d *decoder) provider(n *yaml.Node, s *usedNames) *Provider {
	p := &Provider{Source: d.file + ":" + strconv.Itoa(d.line(n)), Auth: probe.AuthPassword}
	username := EmailAddress
	var incoming, outgoing []serverEntry
	what := "the provider"
	if id := findKey(n, "id"); id != nil {
		what = fmt.Sprintf("provider %q", id.Value)
	}
	id := func(v *yaml.Node) {
		p.ID = d.scalar(v, "id")
		switch {
		case d.err != nil:
		case !idPattern.MatchString(p.ID):
			d.fail(v, "the id %q must be lower-case letters and digits, joined by single hyphens.", p.ID)
		case s.ids[p.ID] != 0:
			d.fail(v, "the id %q is already used by the provider on line %d.", p.ID, s.ids[p.ID])
		default:
			s.ids[p.ID] = d.line(v)
		}
	}
	if isPatch(n) {
		// An organisation's client for a provider of an earlier file.
		p.patch = true
		d.mapping(n, what, map[string]func(*yaml.Node){
			"id":     id,
			"oauth2": func(v *yaml.Node) { p.OAuth2 = d.oauth2(v, what, true) },
		}, "id", "oauth2")
		if d.err != nil {
			return nil
		}
		return p
	}
	d.mapping(n, what, map[string]func(*yaml.Node){
		"id":       id,
		"oauth2":   func(v *yaml.Node) { p.OAuth2 = d.oauth2(v, what, false) },
		"name":     func(v *yaml.Node) { p.Name = d.scalar(v, "name") },
		"domains":  func(v *yaml.Node) { p.Domains = d.patterns(v, what, "domain", s.domains) },
		"mx":       func(v *yaml.Node) { p.MX = d.patterns(v, what, "MX pattern", s.mx) },
		"incoming": func(v *yaml.Node) { incoming = d.servers(v, what, "incoming") },
		"outgoing": func(v *yaml.Node) { outgoing = d.servers(v, what, "outgoing") },
		"username": func(v *yaml.Node) { username = d.username(v) },
		"auth":     func(v *yaml.Node) { p.Auths = d.auths(v) },
		"hints":    func(v *yaml.Node) { p.Hints = d.hints(v, what) },
		"docs":     func(v *yaml.Node) { p.Docs = d.docs(v) },
		"pec":      func(v *yaml.Node) { p.PEC = d.boolean(v, "pec") },
	}, "id", "name", "incoming", "outgoing")
	if d.err != nil {
		return nil
	}
	if len(p.Domains) == 0 && len(p.MX) == 0 {
		d.fail(n, "%s has neither \"domains\" nor \"mx\", so no address would ever reach it.", what)
		return nil
	}
	if len(p.Auths) == 0 {
		p.Auths = []probe.Auth{probe.AuthPassword}
	}
	p.Auth = p.Auths[0]
	switch oauth := slices.Contains(p.Auths, probe.AuthOAuth2); {
	case oauth && p.OAuth2 == nil:
		d.fail(n, "%s signs in with oauth2 but has no \"oauth2\" block with its endpoints and scopes.", what)
		return nil
	case !oauth && p.OAuth2 != nil:
		d.fail(n, "%s has an \"oauth2\" block but its auth does not name oauth2.", what)
		return nil
	}
	p.Incoming = resolve(incoming, username, p.Auth)
	p.Outgoing = resolve(outgoing, username, p.Auth)
	return p
}

// findKey returns the value of key in mapping n, or nil.
func findKey(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key && n.Content[i+1].Kind == yaml.ScalarNode {
			return n.Content[i+1]
		}
	}
	return nil
}

// lineBreaks drops the line breaks and tabs a hint may hold.
var lineBreaks = strings.NewReplacer("\n", "", "\t", "")

// scalar returns a non-empty string value.
func (d *decoder) scalar(n *yaml.Node, key string) string {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, "%q must be a single value.", key)
		return ""
	}
	if n.Tag == "!!null" {
		d.fail(n, "the value of %q is empty.", key)
		return ""
	}
	v := strings.TrimSpace(n.Value)
	switch {
	case v == "":
		d.fail(n, "the value of %q is empty.", key)
	case probe.HasControl(lineBreaks.Replace(v)) || (key != "en" && key != "it" && probe.HasControl(v)):
		// A hint may run over lines; nothing else may hold a control
		// character, which would end a command or drive a terminal.
		d.fail(n, "the value of %q contains control characters.", key)
	}
	return v
}

func (d *decoder) boolean(n *yaml.Node, key string) bool {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		d.fail(n, "%q must be true or false.", key)
		return false
	}
	b, _ := strconv.ParseBool(strings.ToLower(n.Value))
	return b
}

func (d *decoder) list(n *yaml.Node, what, key string) []*yaml.Node {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		d.fail(n, "%s needs %q to be a list with at least one entry.", what, key)
		return nil
	}
	return n.Content
}

// patterns reads domains or MX patterns, normalised and unique in the file.
func (d *decoder) patterns(n *yaml.Node, what, kind string, used map[string]int) []string {
	var out []string
	key := "domains"
	if kind != "domain" {
		key = "mx"
	}
	for _, item := range d.list(n, what, key) {
		raw := d.scalar(item, key)
		if d.err != nil {
			return nil
		}
		norm, why := normalizePattern(raw)
		if why != "" {
			d.fail(item, "the %s %q is not usable: %s.", kind, raw, why)
			return nil
		}
		if line := used[norm]; line != 0 {
			d.fail(item, "the %s %q is already given on line %d.", kind, raw, line)
			return nil
		}
		used[norm] = d.line(item)
		out = append(out, norm)
	}
	return out
}

// serverEntry is a server as written, before the provider's defaults apply.
type serverEntry struct {
	server   probe.Server
	username string // "" takes the provider's pattern
}

// servers reads a list of server URLs, each either a plain aerc-style URL
// or a mapping {url: ..., username: ...}.
func (d *decoder) servers(n *yaml.Node, what, role string) []serverEntry {
	var out []serverEntry
	for _, item := range d.list(n, what, role) {
		var e serverEntry
		raw := ""
		switch item.Kind {
		case yaml.ScalarNode:
			raw = d.scalar(item, role)
		case yaml.MappingNode:
			d.mapping(item, "a server of "+what, map[string]func(*yaml.Node){
				"url":      func(v *yaml.Node) { raw = d.scalar(v, "url") },
				"username": func(v *yaml.Node) { e.username = d.username(v) },
			}, "url")
		default:
			d.fail(item, "each %s server must be a URL such as imaps://imap.example.com:993, or a mapping with \"url\" and \"username\".", role)
		}
		if d.err != nil {
			return nil
		}
		e.server = d.serverURL(item, raw, role)
		if d.err != nil {
			return nil
		}
		out = append(out, e)
	}
	return out
}

func (d *decoder) serverURL(n *yaml.Node, raw, role string) probe.Server {
	s, err := probe.ParseURL(raw)
	var ue *probe.URLError
	if errors.As(err, &ue) {
		switch ue.Problem {
		case probe.URLUnknownScheme:
			d.fail(n, "the server URL %q has an unknown scheme; use imaps, imap, pop3s, pop3, smtps or smtp (\"+insecure\" for no TLS).", raw)
		case probe.URLBadPort:
			d.fail(n, "the server URL %q has a bad port; a port is a number from 1 to 65535.", raw)
		case probe.URLHasPassword:
			d.fail(n, "the server URL %q holds a password, which has no place in a providers file.", ue.URL)
		case probe.URLHasPath:
			d.fail(n, "the server URL %q has a path, query or fragment; give only scheme://host:port.", raw)
		case probe.URLControl:
			d.fail(n, "the server URL %q has control characters in its host or user name.", raw)
		default:
			d.fail(n, "the server URL %q is not a URL such as imaps://imap.example.com:993.", raw)
		}
		return s
	}
	if err != nil {
		d.fail(n, "the server URL %q is not usable: %v.", raw, err)
		return s
	}
	if s.Username != "" {
		d.fail(n, "the server URL %q holds a user name; write it as {url: ..., username: ...} instead.", raw)
		return s
	}
	if host, why := normalizePattern(s.Host); net.ParseIP(s.Host) == nil && (why != "" || strings.HasPrefix(host, "*.")) {
		d.fail(n, "the server URL %q has an unusable host name.", raw)
		return s
	}
	incoming := role == "incoming"
	if s.Incoming() != incoming {
		want := "imap or pop3"
		if !incoming {
			want = "smtp"
		}
		d.fail(n, "the %s server %q must use %s.", role, raw, want)
	}
	return s
}

func (d *decoder) username(n *yaml.Node) string {
	u := d.intern(d.scalar(n, "username"))
	if d.err == nil {
		if w := unknownPlaceholder(u); w != "" {
			d.fail(n, "the user name %q has an unknown placeholder %s; use %s, %s or %s.", u, w, EmailAddress, EmailLocalPart, EmailDomain)
		}
	}
	return u
}

// isPatch reports whether an entry gives only an id and an oauth2 block.
func isPatch(n *yaml.Node) bool {
	if n.Kind != yaml.MappingNode || len(n.Content) != 4 {
		return false
	}
	keys := []string{n.Content[0].Value, n.Content[2].Value}
	slices.Sort(keys)
	return keys[0] == "id" && keys[1] == "oauth2"
}

// auths reads auth: one kind of credential, or a list of them, preferred
// first.
func (d *decoder) auths(n *yaml.Node) []probe.Auth {
	if n.Kind != yaml.SequenceNode {
		return []probe.Auth{d.auth(n)}
	}
	var out []probe.Auth
	for _, item := range d.list(n, "auth", "auth") {
		a := d.auth(item)
		if d.err == nil && slices.Contains(out, a) {
			d.fail(item, "the auth %q is given twice.", a)
		}
		out = append(out, a)
	}
	return out
}

func (d *decoder) auth(n *yaml.Node) probe.Auth {
	v := d.scalar(n, "auth")
	switch a := probe.Auth(v); a {
	case probe.AuthPassword, probe.AuthAppPassword, probe.AuthOAuth2:
		return a
	}
	if d.err == nil {
		d.fail(n, "the auth %q is unknown; use password, app-password or oauth2.", v)
	}
	return ""
}

func (d *decoder) hints(n *yaml.Node, what string) []probe.Text {
	var out []probe.Text
	for _, item := range d.list(n, what, "hints") {
		var h probe.Text
		d.mapping(item, "a hint of "+what, map[string]func(*yaml.Node){
			"en": func(v *yaml.Node) { h.EN = d.intern(d.scalar(v, "en")) },
			"it": func(v *yaml.Node) { h.IT = d.intern(d.scalar(v, "it")) },
		}, "en", "it")
		if d.err != nil {
			return nil
		}
		out = append(out, h)
	}
	return out
}

func (d *decoder) docs(n *yaml.Node) string {
	v := d.scalar(n, "docs")
	if d.err != nil {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		d.fail(n, "the docs link %q must be an http or https URL.", v)
	}
	return v
}

// resolve applies the provider's user name pattern and kind of credential.
func resolve(entries []serverEntry, username string, auth probe.Auth) []probe.Server {
	out := make([]probe.Server, 0, len(entries))
	for _, e := range entries {
		s := e.server
		s.Username = username
		if e.username != "" {
			s.Username = e.username
		}
		s.Auth = auth
		out = append(out, s)
	}
	return out
}
