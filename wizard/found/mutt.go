package found

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/postino/postino/probe"
)

// Limits on the files a muttrc sources: how deep, and how many in all.
const (
	muttMaxDepth = 8
	muttMaxFiles = 64
)

// muttrcs are the files NeoMutt and Mutt read at start, in the order
// they look for them.
func (e Env) muttrcs() []string {
	c := e.configHome()
	return []string{
		filepath.Join(c, "neomutt", "neomuttrc"),
		filepath.Join(e.Home, ".neomuttrc"),
		filepath.Join(c, "mutt", "muttrc"),
		filepath.Join(e.Home, ".mutt", "muttrc"),
		filepath.Join(e.Home, ".muttrc"),
	}
}

// muttReader follows a muttrc and the files it sources: the variables as
// set so far, the files read.
type muttReader struct {
	f     *finder
	home  string
	vars  map[string]string
	read  map[string]bool
	files int
}

func (f *finder) mutt() {
	r := &muttReader{f: f, home: f.env.Home, vars: map[string]string{}, read: map[string]bool{}}
	first := len(f.out.Accounts)
	for _, p := range f.env.muttrcs() {
		r.source(p, 0)
	}
	// ssl_ca_certificates_file is one setting for every account: its
	// last value, as Mutt has it once every file is read.
	if ca := muttPath(r.vars["ssl_ca_certificates_file"], r.home); ca != "" {
		for i := first; i < len(f.out.Accounts); i++ {
			f.out.Accounts[i].CAFile = ca
		}
	}
}

// muttPath is a path setting as Mutt expands it: ~ and $HOME (or ${HOME})
// at its start for the home folder.
func muttPath(p, home string) string {
	for _, v := range []string{"$HOME", "${HOME}"} {
		if rest, ok := strings.CutPrefix(p, v); ok && (rest == "" || rest[0] == '/') {
			p = "~" + rest
		}
	}
	return expandHome(p, home)
}

// source reads one file and the files it sources, within the limits; each
// file that names servers is an account of its own.
func (r *muttReader) source(path string, depth int) {
	if r.read[path] {
		return
	}
	r.f.out.Looked = append(r.f.out.Looked, path)
	data, err := readFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	r.read[path] = true
	r.files++
	if err != nil {
		r.f.problem(path, err)
		return
	}
	own := map[string]string{}
	for i, raw := range muttLines(string(data)) {
		for _, cmd := range raw {
			if len(cmd) == 0 {
				continue
			}
			switch cmd[0] {
			case "set":
				for name, value := range muttAssignments(cmd[1:]) {
					name = strings.ReplaceAll(name, "spool_file", "spoolfile")
					name = strings.ReplaceAll(name, "real_name", "realname")
					r.vars[name] = value
					own[name] = value
				}
			case "source":
				for _, p := range cmd[1:] {
					if strings.HasSuffix(p, "|") {
						continue // a command's output: never run
					}
					p = expandHome(p, r.home)
					if !filepath.IsAbs(p) {
						p = filepath.Join(filepath.Dir(path), p)
					}
					if depth+1 > muttMaxDepth || r.files >= muttMaxFiles {
						r.f.problem(p, &lineError{line: i + 1, msg: "sourced too deep or too many files: not read"})
						continue
					}
					r.source(p, depth+1)
				}
			}
		}
	}
	a := Account{Program: Mutt, Path: path, Address: own["from"]}
	seen := map[string]bool{}
	for _, v := range []string{"folder", "spoolfile", "smtp_url"} {
		u, ok := own[v]
		if !ok {
			continue
		}
		if s, ok := muttServer(u, r.vars); ok && !seen[s.String()+s.Username] {
			seen[s.String()+s.Username] = true
			a.Servers = append(a.Servers, s)
		}
	}
	if len(a.Servers) > 0 {
		r.f.add([]Account{a})
	}
}

// muttServer is the server of a mailbox or smtp_url URL: imaps://, imap://
// (STARTTLS), pops://, pop://, smtps://, smtp://; the user name from the URL,
// else imap_user, pop_user or smtp_user.
func muttServer(raw string, vars map[string]string) (Server, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return Server{}, false
	}
	var (
		p    probe.Protocol
		sec  = probe.StartTLS
		role = probe.Incoming
		uv   string
	)
	switch strings.ToLower(u.Scheme) {
	case "imaps":
		p, sec, uv = probe.IMAP, probe.TLS, "imap_user"
	case "imap":
		p, uv = probe.IMAP, "imap_user"
	case "pops":
		p, sec, uv = probe.POP3, probe.TLS, "pop_user"
	case "pop":
		p, uv = probe.POP3, "pop_user"
	case "smtps":
		p, sec, role, uv = probe.SMTP, probe.TLS, probe.Outgoing, "smtp_user"
	case "smtp":
		p, role, uv = probe.SMTP, probe.Outgoing, "smtp_user"
	default:
		return Server{}, false
	}
	user := u.User.Username()
	if user == "" {
		user = vars[uv]
	}
	port, _ := strconv.Atoi(u.Port())
	if p == probe.SMTP && port == 0 && sec == probe.StartTLS {
		port = 25 // Mutt's default for smtp://
	}
	return server(role, p, u.Hostname(), port, sec, user)
}

// muttLines splits a muttrc into lines (a backslash at the end goes on
// with the next), each line into commands (;), each command into words
// as Mutt reads them: 'single' quotes literal, "double" quotes and bare
// words with backslash escapes, # a comment outside quotes. A word in
// backticks (a command's output) is left empty: it is never run.
func muttLines(src string) [][][]string {
	src = strings.ReplaceAll(src, "\\\r\n", "")
	src = strings.ReplaceAll(src, "\\\n", "")
	var out [][][]string
	for _, line := range strings.Split(src, "\n") {
		var cmds [][]string
		var cmd []string
		var w strings.Builder
		inWord := false
		end := func() {
			if inWord {
				cmd = append(cmd, w.String())
				w.Reset()
				inWord = false
			}
		}
	scan:
		for i := 0; i < len(line); i++ {
			c := line[i]
			switch {
			case c == ' ' || c == '\t' || c == '\r':
				end()
			case c == '#':
				break scan
			case c == ';':
				end()
				cmds, cmd = append(cmds, cmd), nil
			case c == '=' && len(cmd) > 0 && cmd[0] != "source":
				end()
				cmd = append(cmd, "=")
			case c == '\'' || c == '"' || c == '`':
				inWord = true
				j := i + 1
				for ; j < len(line) && line[j] != c; j++ {
					if c == '"' && line[j] == '\\' && j+1 < len(line) {
						j++
					}
					if c != '`' {
						w.WriteByte(line[j])
					}
				}
				i = j
			case c == '\\' && i+1 < len(line):
				inWord = true
				i++
				w.WriteByte(line[i])
			default:
				inWord = true
				w.WriteByte(c)
			}
		}
		end()
		cmds = append(cmds, cmd)
		out = append(out, cmds)
	}
	return out
}

// muttAssignments reads set's words: name = value, name=value, or a bare
// name (a boolean, ignored).
func muttAssignments(words []string) map[string]string {
	out := map[string]string{}
	for i := 0; i < len(words); i++ {
		if i+2 < len(words) && words[i+1] == "=" {
			out[strings.ToLower(words[i])] = words[i+2]
			i += 2
		}
	}
	return out
}
