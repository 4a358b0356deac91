package store

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/yamlpos"
)

// SchemaVersion is the version of accounts.yaml this postino writes. It
// reads every version up to this one; a file of a newer version is
// refused, never rewritten, so that an older postino cannot lose what a
// newer one saved. Version 2 added each account's provider, source and
// tests; version 3 the sign-in settings (oauth2) of an account that signs
// in with OAuth2; version 4 the mark of an account saved although its test
// failed (unverified); version 5 the person's display name (display_name);
// version 6 two accounts of the same address under different names (kept
// both). A file is written in the lowest version that holds its accounts
// (2 when none has sign-in settings, the mark, a display name or a shared
// address), so that an older postino still reads a file that needs
// nothing newer.
const SchemaVersion = 6

// vNKeys are an account's keys that version N-1 does not have.
var (
	v2Keys = []string{"provider", "source", "tests"}
	v3Keys = []string{"oauth2"}
	v4Keys = []string{"unverified"}
	v5Keys = []string{"display_name"}
)

// FileError is an accounts file postino refuses to read: damaged, or of a
// newer schema. The file is left as it is.
type FileError struct {
	Path string
	Line int // 1-based; the line where the problem was found
	// Version is the file's schema version when it is newer than
	// SchemaVersion, else zero.
	Version int
	Detail  string // what is wrong, in English, for the error string
}

func (e *FileError) Error() string {
	if e.Version > 0 {
		return fmt.Sprintf("%s:%d: schema version %d is newer than %d", e.Path, e.Line, e.Version, SchemaVersion)
	}
	return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Detail)
}

// Newer reports whether the file was written by a newer postino.
func (e *FileError) Newer() bool { return e.Version > 0 }

// header opens every file postino writes.
const header = "# postino's saved accounts. No password is kept here: passwords are in\n" +
	"# the system keyring (service \"postino\", user the account's address).\n"

// headerOAuth2 opens a file that holds sign-in settings.
const headerOAuth2 = "# Refresh tokens of OAuth2 accounts are in the keyring too (service\n" +
	"# \"postino\", user \"oauth2:\" and the address).\n"

// document is accounts.yaml as it is on disk.
type document struct {
	Version  int           `yaml:"version"`
	Accounts []fileAccount `yaml:"accounts"`
}

type fileAccount struct {
	Name        string        `yaml:"name"`
	Address     string        `yaml:"address"`
	DisplayName string        `yaml:"display_name,omitempty"`
	Provider    *fileProvider `yaml:"provider,omitempty"`
	Source      string        `yaml:"source,omitempty"`
	Incoming    []fileServer  `yaml:"incoming"`
	Outgoing    []fileServer  `yaml:"outgoing"`
	Pins        []string      `yaml:"pins,omitempty"`
	Tests       []fileTest    `yaml:"tests,omitempty"`
	OAuth2      *fileOAuth2   `yaml:"oauth2,omitempty"`
	// Unverified marks an account saved although its test failed.
	Unverified bool      `yaml:"unverified,omitempty"`
	Created    time.Time `yaml:"created"`
	Updated    time.Time `yaml:"updated"`
}

// fileOAuth2 is an account's sign-in settings.
type fileOAuth2 struct {
	TokenURL               string   `yaml:"token_url"`
	DeviceAuthorizationURL string   `yaml:"device_authorization_url,omitempty"`
	AuthorizationURL       string   `yaml:"authorization_url,omitempty"`
	ClientID               string   `yaml:"client_id"`
	ClientSecret           string   `yaml:"client_secret,omitempty"`
	Scopes                 []string `yaml:"scopes"`
}

type fileProvider struct {
	ID   string `yaml:"id"`
	Name string `yaml:"name"`
}

// fileTest spells out the kept fields of probe.Result, as fileServer does
// those of probe.Server.
type fileTest struct {
	Role           string     `yaml:"role"`
	TestedAt       time.Time  `yaml:"tested_at"`
	Server         fileServer `yaml:"server"`
	OK             bool       `yaml:"ok"`
	Code           string     `yaml:"code"`
	Step           string     `yaml:"step,omitempty"`  // where a failure happened
	Reply          string     `yaml:"reply,omitempty"` // the server's answer to it
	ElapsedMS      int64      `yaml:"elapsed_ms"`
	LoggedIn       bool       `yaml:"logged_in"`
	TLS            *fileTLS   `yaml:"tls,omitempty"`
	Software       string     `yaml:"software,omitempty"`
	AuthMechanisms []string   `yaml:"auth_mechanisms,omitempty"`
	Alerts         []string   `yaml:"alerts,omitempty"`
}

type fileTLS struct {
	Version     string    `yaml:"version"`
	Cipher      string    `yaml:"cipher"`
	Verified    bool      `yaml:"verified"`
	Pinned      bool      `yaml:"pinned"`
	Certificate *fileCert `yaml:"certificate,omitempty"`
}

type fileCert struct {
	Subject     string    `yaml:"subject"`
	Issuer      string    `yaml:"issuer"`
	NotAfter    time.Time `yaml:"not_after"`
	SHA256      string    `yaml:"sha256"`
	DNSNames    []string  `yaml:"dns_names,omitempty"`
	IPAddresses []string  `yaml:"ip_addresses,omitempty"`
}

// fileServer spells out the fields of probe.Server so that the file's
// format does not change when probe's type does.
type fileServer struct {
	Protocol string `yaml:"protocol"`
	Host     string `yaml:"host"`
	Port     int    `yaml:"port"`
	Security string `yaml:"security"`
	Username string `yaml:"username"`
	Auth     string `yaml:"auth"`
}

// encode is the file's content for accounts.
func encode(accounts []Account) ([]byte, error) {
	doc := document{Version: 2, Accounts: []fileAccount{}}
	signsIn := false
	for _, a := range accounts {
		fa := fileAccount{
			Name: a.Name, Address: a.Address, DisplayName: a.DisplayName, Source: a.Source,
			Incoming: fileServers(a.Incoming), Outgoing: fileServers(a.Outgoing),
			Unverified: a.Unverified, Created: a.Created.UTC(), Updated: a.Updated.UTC(),
		}
		if a.Unverified {
			doc.Version = max(doc.Version, 4)
		}
		if a.Provider != (Provider{}) {
			fa.Provider = &fileProvider{ID: a.Provider.ID, Name: a.Provider.Name}
		}
		for _, p := range a.Pins {
			fa.Pins = append(fa.Pins, p.String())
		}
		for _, t := range a.Tests {
			fa.Tests = append(fa.Tests, fileTestOf(t))
		}
		if a.DisplayName != "" {
			doc.Version = 5
		}
		if o := a.OAuth2; o != nil {
			doc.Version = max(doc.Version, 3)
			signsIn = true
			fa.OAuth2 = &fileOAuth2{
				TokenURL: o.TokenURL, DeviceAuthorizationURL: o.DeviceAuthorizationURL, AuthorizationURL: o.AuthorizationURL,
				ClientID: o.ClientID, ClientSecret: o.ClientSecret, Scopes: o.Scopes,
			}
		}
		doc.Accounts = append(doc.Accounts, fa)
	}
	if sharesAddress(accounts) {
		doc.Version = 6
	}
	var b bytes.Buffer
	b.WriteString(header)
	if signsIn {
		b.WriteString(headerOAuth2)
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode accounts: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode accounts: %w", err)
	}
	return b.Bytes(), nil
}

func fileServers(servers []probe.Server) []fileServer {
	out := []fileServer{}
	for _, s := range servers {
		out = append(out, fileServerOf(s))
	}
	return out
}

func fileServerOf(s probe.Server) fileServer {
	return fileServer{
		Protocol: string(s.Protocol), Host: s.Host, Port: s.Port,
		Security: string(s.Security), Username: s.Username, Auth: string(s.Auth),
	}
}

func (fs fileServer) server() probe.Server {
	return probe.Server{
		Protocol: probe.Protocol(fs.Protocol), Host: fs.Host, Port: fs.Port,
		Security: probe.Security(fs.Security), Username: fs.Username, Auth: probe.Auth(fs.Auth),
	}
}

func fileTestOf(t Test) fileTest {
	ft := fileTest{
		Role: string(t.Role), TestedAt: t.At.UTC(), Server: fileServerOf(t.Server),
		OK: t.OK, Code: string(t.Code), ElapsedMS: t.ElapsedMS, LoggedIn: t.LoggedIn,
		Software: t.Software, AuthMechanisms: t.AuthMechanisms, Alerts: t.Alerts,
	}
	if f := t.Failure; f != nil {
		ft.Step, ft.Reply = f.Step, f.Reply
	}
	if tls := t.TLS; tls != nil {
		ft.TLS = &fileTLS{Version: tls.Version, Cipher: tls.Cipher, Verified: tls.Verified, Pinned: tls.Pinned}
		if c := tls.Certificate; c != nil {
			ft.TLS.Certificate = &fileCert{
				Subject: c.Subject, Issuer: c.Issuer, NotAfter: c.NotAfter.UTC(), SHA256: c.SHA256,
				DNSNames: c.DNSNames, IPAddresses: c.IPAddresses,
			}
		}
	}
	return ft
}

func (ft fileTest) test() Test {
	r := probe.Result{
		Role: probe.Role(ft.Role), Server: ft.Server.server(), OK: ft.OK, Code: probe.Code(ft.Code),
		ElapsedMS: ft.ElapsedMS, LoggedIn: ft.LoggedIn, Software: ft.Software,
		AuthMechanisms: ft.AuthMechanisms, Alerts: ft.Alerts,
	}
	if ft.Step != "" || ft.Reply != "" {
		r.Failure = &probe.Failure{Code: r.Code, Step: ft.Step, Reply: ft.Reply}
	}
	if t := ft.TLS; t != nil {
		r.TLS = &probe.TLSInfo{Version: t.Version, Cipher: t.Cipher, Verified: t.Verified, Pinned: t.Pinned}
		if c := t.Certificate; c != nil {
			r.TLS.Certificate = &probe.CertInfo{
				Subject: c.Subject, Issuer: c.Issuer, NotAfter: c.NotAfter, SHA256: c.SHA256,
				DNSNames: c.DNSNames, IPAddresses: c.IPAddresses,
			}
		}
	}
	return TestOf(r, ft.TestedAt)
}

// decode reads the content of the file at path. An empty file holds no
// accounts. Unknown keys, wrong types, impossible values and a newer schema
// are each a *FileError naming the line.
func decode(path string, data []byte) ([]Account, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(path, data, err)
	}
	top := &root
	if top.Kind == yaml.DocumentNode && len(top.Content) == 1 {
		top = top.Content[0]
	}
	if top.Kind != yaml.MappingNode {
		return nil, &FileError{Path: path, Line: max(top.Line, 1), Detail: "the file is not a mapping of version and accounts"}
	}
	// The version decides how to read the rest, so it is checked first:
	// a newer file may have keys this postino does not know.
	versionNode := valueOf(top, "version")
	if versionNode == nil {
		return nil, &FileError{Path: path, Line: max(top.Line, 1), Detail: "no schema version (version: 1)"}
	}
	version, err := strconv.Atoi(versionNode.Value)
	if err != nil || versionNode.Kind != yaml.ScalarNode || version < 1 {
		return nil, &FileError{Path: path, Line: versionNode.Line, Detail: fmt.Sprintf("schema version %q is not a positive whole number", versionNode.Value)}
	}
	if version > SchemaVersion {
		return nil, &FileError{Path: path, Line: versionNode.Line, Version: version}
	}

	var doc document
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, yamlError(path, data, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, &FileError{Path: path, Line: max(extra.Line, 1), Detail: "more than one YAML document"}
	}

	accountsNode := valueOf(top, "accounts")
	var accounts []Account
	for i, fa := range doc.Accounts {
		node := item(accountsNode, i)
		var newer []string
		if version < 2 {
			newer = append(newer, v2Keys...)
		}
		if version < 3 {
			newer = append(newer, v3Keys...)
		}
		if version < 4 {
			newer = append(newer, v4Keys...)
		}
		if version < 5 {
			newer = append(newer, v5Keys...)
		}
		for _, key := range newer {
			if n := keyOf(node, key); n != nil {
				return nil, &FileError{Path: path, Line: n.Line, Detail: fmt.Sprintf("field %s is not in schema version %d", key, version)}
			}
		}
		a, err := fa.account(path, node)
		if err != nil {
			return nil, err
		}
		accounts = append(accounts, a)
	}
	if err := checkUnique(accounts, version >= 6); err != nil {
		var de *duplicateError
		errors.As(err, &de)
		line := 1
		if n := item(accountsNode, de.index); n != nil {
			line = n.Line
		}
		return nil, &FileError{Path: path, Line: line, Detail: err.Error()}
	}
	return accounts, nil
}

// account checks one entry of the file; node is its place in the file.
func (fa fileAccount) account(path string, node *yaml.Node) (Account, error) {
	bad := func(n *yaml.Node, format string, args ...any) (Account, error) {
		if n == nil {
			n = node
		}
		line := 1
		if n != nil {
			line = n.Line
		}
		return Account{}, &FileError{Path: path, Line: line, Detail: fmt.Sprintf(format, args...)}
	}
	a := Account{Name: fa.Name, Address: fa.Address, DisplayName: fa.DisplayName, Source: fa.Source, Unverified: fa.Unverified, Created: fa.Created, Updated: fa.Updated}
	if err := CheckName(a.Name); err != nil {
		return bad(valueOf(node, "name"), "%v", err)
	}
	if err := CheckDisplayName(a.DisplayName); err != nil {
		return bad(valueOf(node, "display_name"), "display_name: %v", err)
	}
	if err := checkAddress(a.Address); err != nil {
		return bad(valueOf(node, "address"), "%v", err)
	}
	if fa.Provider != nil {
		a.Provider = Provider{ID: fa.Provider.ID, Name: fa.Provider.Name}
		if err := checkProvider(a.Provider); err != nil || a.Provider == (Provider{}) {
			return bad(valueOf(node, "provider"), "provider needs an id and a name without control characters")
		}
	}
	if err := checkSource(a.Source); err != nil {
		return bad(valueOf(node, "source"), "%v", err)
	}
	for _, role := range []struct {
		key      string
		incoming bool
		from     []fileServer
		to       *[]probe.Server
	}{{"incoming", true, fa.Incoming, &a.Incoming}, {"outgoing", false, fa.Outgoing, &a.Outgoing}} {
		list := valueOf(node, role.key)
		for i, fs := range role.from {
			s := fs.server()
			if err := checkServer(s, role.incoming); err != nil {
				return bad(item(list, i), "%s server: %v", role.key, err)
			}
			*role.to = append(*role.to, s)
		}
	}
	pins := valueOf(node, "pins")
	for i, raw := range fa.Pins {
		p, err := probe.ParsePin(raw)
		if err != nil {
			return bad(item(pins, i), "pin %q is not sha256: and 64 hex digits", raw)
		}
		a.Pins = append(a.Pins, p)
	}
	tests := valueOf(node, "tests")
	for i, ft := range fa.Tests {
		t := ft.test()
		if err := checkTest(t); err != nil {
			return bad(item(tests, i), "test of %s: %v", t.Server, err)
		}
		a.Tests = append(a.Tests, t)
	}
	if o := fa.OAuth2; o != nil {
		a.OAuth2 = &OAuth2{
			TokenURL: o.TokenURL, DeviceAuthorizationURL: o.DeviceAuthorizationURL, AuthorizationURL: o.AuthorizationURL,
			ClientID: o.ClientID, ClientSecret: o.ClientSecret, Scopes: o.Scopes,
		}
		if err := checkOAuth2(*a.OAuth2); err != nil {
			return bad(valueOf(node, "oauth2"), "oauth2: %v", err)
		}
	}
	return a, nil
}

// valueOf is the value of key in mapping node m, or nil.
func valueOf(m *yaml.Node, key string) *yaml.Node {
	if i := keyIndex(m, key); i >= 0 {
		return m.Content[i+1]
	}
	return nil
}

// keyOf is the node of key itself in mapping node m, or nil.
func keyOf(m *yaml.Node, key string) *yaml.Node {
	if i := keyIndex(m, key); i >= 0 {
		return m.Content[i]
	}
	return nil
}

func keyIndex(m *yaml.Node, key string) int {
	if m == nil || m.Kind != yaml.MappingNode {
		return -1
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// item is the i-th element of sequence node s, or nil.
func item(s *yaml.Node, i int) *yaml.Node {
	if s == nil || s.Kind != yaml.SequenceNode || i >= len(s.Content) {
		return nil
	}
	return s.Content[i]
}

// yamlError turns an error of the yaml package about data into a
// *FileError.
func yamlError(path string, data []byte, err error) error {
	line, problem := yamlpos.Locate(data, err)
	return &FileError{Path: path, Line: line, Detail: problem}
}
