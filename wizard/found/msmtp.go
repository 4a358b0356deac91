package found

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/postino/postino/probe"
)

func (f *finder) msmtp() {
	read := f.expandCA(readMsmtprc)
	f.file(filepath.Join(f.env.Home, ".msmtprc"), read)
	f.file(filepath.Join(f.env.configHome(), "msmtp", "config"), read)
}

// keyLine is one "keyword argument" line of a configuration file.
type keyLine struct {
	line       int
	key, value string
}

// keyLines splits a file of "keyword argument" lines (msmtp, mbsync): #
// starts a comment line, an argument may be in double quotes with \" and
// \\ escapes.
func keyLines(data []byte) ([]keyLine, error) {
	var out []keyLine
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || line[0] == '#' {
			continue
		}
		key, rest, _ := strings.Cut(line, " ")
		if k, r, ok := strings.Cut(key, "\t"); ok {
			key, rest = k, r+" "+rest
		}
		value, err := unquote(strings.TrimSpace(rest))
		if err != nil {
			return nil, &lineError{line: i + 1, msg: err.Error()}
		}
		out = append(out, keyLine{line: i + 1, key: key, value: value})
	}
	return out, nil
}

// unquote removes the double quotes around a whole argument and its \"
// and \\ escapes; an argument not starting with a quote is as written.
func unquote(s string) (string, error) {
	if !strings.HasPrefix(s, `"`) {
		return s, nil
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case '"':
			return b.String(), nil
		default:
			b.WriteByte(c)
		}
	}
	return "", &quoteError{}
}

type quoteError struct{}

func (*quoteError) Error() string { return "a quote not closed" }

// readMsmtprc reads msmtp's accounts: defaults, each account's own lines,
// and "account NAME : PARENT, …" inheriting its parents' in order;
// tls_trust_file as written ("system", or empty, is the system's
// authorities alone).
func readMsmtprc(path string, data []byte) ([]Account, error) {
	lines, err := keyLines(data)
	if err != nil {
		return nil, err
	}
	type account struct {
		name    string
		parents []string
		keys    map[string]string
	}
	defaults := map[string]string{}
	byName := map[string]*account{}
	var order []*account
	cur := defaults
	for _, l := range lines {
		switch l.key {
		case "defaults":
			cur = defaults
		case "account":
			name, parents, _ := strings.Cut(l.value, ":")
			a := &account{name: strings.TrimSpace(name), keys: map[string]string{}}
			for _, p := range strings.Split(parents, ",") {
				if p = strings.TrimSpace(p); p != "" {
					a.parents = append(a.parents, p)
				}
			}
			// An account takes defaults as they are when it begins.
			for k, v := range defaults {
				a.keys[k] = v
			}
			for _, p := range a.parents {
				if pa := byName[p]; pa != nil {
					for k, v := range pa.keys {
						a.keys[k] = v
					}
				}
			}
			if byName[a.name] == nil {
				order = append(order, a)
			}
			byName[a.name] = a
			cur = a.keys
		default:
			cur[l.key] = l.value
		}
	}
	var out []Account
	for _, a := range order {
		// "account default : gmail" names the default, no other account.
		if a.name == "default" && len(a.parents) == 1 && byName[a.parents[0]] != nil && sameKeys(a.keys, byName[a.parents[0]].keys) {
			continue
		}
		k := a.keys
		sec := probe.None
		if v, ok := k["tls"]; ok && on(v) {
			sec = probe.StartTLS
			if v, ok := k["tls_starttls"]; ok && !on(v) {
				sec = probe.TLS
			}
		}
		port, _ := strconv.Atoi(k["port"])
		if port == 0 {
			port = 25
			if sec == probe.TLS {
				port = 465
			}
		}
		user := k["user"]
		acc := Account{Program: Msmtp, Path: path, Name: a.name, Address: k["from"]}
		if ca := k["tls_trust_file"]; ca != "" && ca != "system" {
			acc.CAFile = ca
		}
		if s, ok := server(probe.Outgoing, probe.SMTP, k["host"], port, sec, user); ok {
			acc.Servers = append(acc.Servers, s)
		}
		out = append(out, acc)
	}
	return out, nil
}

func sameKeys(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// on is msmtp's and mbsync's on: on, yes, true or an empty argument.
func on(v string) bool {
	switch strings.ToLower(v) {
	case "", "on", "yes", "true":
		return true
	}
	return false
}
