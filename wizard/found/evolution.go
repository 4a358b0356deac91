package found

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/ini.v1"

	"github.com/postino/postino/probe"
)

// evolutionSource is what postino reads of one Evolution .source file.
type evolutionSource struct {
	path, uid, name string
	// kind is "account", "transport" or "identity".
	kind                string
	backend             string
	host, user          string
	port                int
	security            string
	identity, transport string
	address             string
}

func (f *finder) evolution() {
	dirs := []string{
		filepath.Join(f.env.configHome(), "evolution", "sources"),
		filepath.Join(f.env.Home, ".var", "app", "org.gnome.Evolution", "config", "evolution", "sources"),
	}
	for _, dir := range dirs {
		f.out.Looked = append(f.out.Looked, filepath.Join(dir, "*.source"))
		entries, err := os.ReadDir(dir)
		if err != nil {
			if !os.IsNotExist(err) {
				f.problem(dir, err)
			}
			continue
		}
		var sources []evolutionSource
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".source") {
				continue
			}
			path := filepath.Join(dir, e.Name())
			data, err := readFile(path)
			if err == nil {
				var s evolutionSource
				if s, err = readEvolutionSource(path, data); err == nil && s.kind != "" {
					sources = append(sources, s)
				}
			}
			if err != nil {
				f.problem(path, err)
			}
		}
		f.add(evolutionAccounts(sources))
	}
}

// readEvolutionSource reads a .source file, a GLib key file: [Data
// Source] DisplayName; [Mail Account] BackendName and IdentityUid, or
// [Mail Transport] BackendName, or [Mail Identity] Address with [Mail
// Submission] TransportUid; [Authentication] Host, Port, User; [Security]
// Method (none, ssl-on-alternate-port, starttls-on-standard-port).
func readEvolutionSource(path string, data []byte) (evolutionSource, error) {
	cfg, err := ini.LoadSources(ini.LoadOptions{KeyValueDelimiters: "=", IgnoreInlineComment: true, UnparseableSections: nil}, data)
	if err != nil {
		return evolutionSource{}, err
	}
	get := func(section, key string) string {
		s, err := cfg.GetSection(section)
		if err != nil || !s.HasKey(key) {
			return ""
		}
		return keyfileUnescape(s.Key(key).String())
	}
	s := evolutionSource{
		path: path, uid: strings.TrimSuffix(filepath.Base(path), ".source"),
		name: get("Data Source", "DisplayName"),
		host: get("Authentication", "Host"), user: get("Authentication", "User"),
		security: get("Security", "Method"),
	}
	s.port, _ = strconv.Atoi(get("Authentication", "Port"))
	switch {
	case cfg.HasSection("Mail Account"):
		s.kind, s.backend, s.identity = "account", get("Mail Account", "BackendName"), get("Mail Account", "IdentityUid")
	case cfg.HasSection("Mail Transport"):
		s.kind, s.backend = "transport", get("Mail Transport", "BackendName")
	case cfg.HasSection("Mail Identity"):
		s.kind, s.address, s.transport = "identity", get("Mail Identity", "Address"), get("Mail Submission", "TransportUid")
	}
	return s, nil
}

// keyfileUnescape undoes a GLib key file's escapes: \s \n \t \r \\.
func keyfileUnescape(v string) string {
	if !strings.Contains(v, `\`) {
		return v
	}
	return strings.NewReplacer(`\s`, " ", `\n`, "\n", `\t`, "\t", `\r`, "\r", `\\`, `\`).Replace(v)
}

// server is the source's server, if it is one postino can test.
func (s evolutionSource) server() (Server, bool) {
	var (
		p    probe.Protocol
		role = probe.Incoming
	)
	switch s.backend {
	case "imapx", "imap":
		p = probe.IMAP
	case "pop":
		p = probe.POP3
	case "smtp":
		p, role = probe.SMTP, probe.Outgoing
	default:
		// none (On This Computer), local, maildir, mbox, ews, sendmail…
		return Server{}, false
	}
	sec := probe.None
	switch s.security {
	case "ssl-on-alternate-port":
		sec = probe.TLS
	case "starttls-on-standard-port":
		sec = probe.StartTLS
	}
	return server(role, p, s.host, s.port, sec, s.user)
}

// evolutionAccounts joins each mail account with its identity's transport
// (Evolution keeps the three in separate files); the account is the
// file of its incoming server, and a transport no account uses is an
// account of its own.
func evolutionAccounts(sources []evolutionSource) []Account {
	byUID := map[string]evolutionSource{}
	for _, s := range sources {
		byUID[s.uid] = s
	}
	used := map[string]bool{}
	var out []Account
	sort.Slice(sources, func(i, j int) bool { return sources[i].path < sources[j].path })
	for _, s := range sources {
		if s.kind != "account" {
			continue
		}
		srv, ok := s.server()
		if !ok {
			continue
		}
		a := Account{Program: Evolution, Path: s.path, Name: s.name, Servers: []Server{srv}}
		if id, ok := byUID[s.identity]; ok {
			a.Address = id.address
			if t, ok := byUID[id.transport]; ok {
				used[t.uid] = true
				if out, ok := t.server(); ok {
					a.Servers = append(a.Servers, out)
				}
			}
		}
		out = append(out, a)
	}
	for _, s := range sources {
		if s.kind != "transport" || used[s.uid] {
			continue
		}
		if srv, ok := s.server(); ok {
			out = append(out, Account{Program: Evolution, Path: s.path, Name: s.name, Servers: []Server{srv}})
		}
	}
	return out
}
