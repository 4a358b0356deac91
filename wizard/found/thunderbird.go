package found

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"

	"gopkg.in/ini.v1"

	"github.com/postino/postino/probe"
)

// thunderbirdDirs are the folders that hold Thunderbird's profiles.ini.
func (e Env) thunderbirdDirs() []string {
	switch e.GOOS {
	case "windows":
		appData := e.getenv("APPDATA")
		if appData == "" {
			appData = filepath.Join(e.Home, "AppData", "Roaming")
		}
		return []string{filepath.Join(appData, "Thunderbird")}
	case "darwin":
		return []string{filepath.Join(e.Home, "Library", "Thunderbird")}
	}
	return []string{
		filepath.Join(e.Home, ".thunderbird"),
		filepath.Join(e.Home, ".mozilla-thunderbird"),
		filepath.Join(e.Home, "snap", "thunderbird", "common", ".thunderbird"),
		filepath.Join(e.Home, ".var", "app", "org.mozilla.Thunderbird", ".thunderbird"),
	}
}

func (f *finder) thunderbird() {
	for _, dir := range f.env.thunderbirdDirs() {
		var profiles []string
		f.file(filepath.Join(dir, "profiles.ini"), func(path string, data []byte) ([]Account, error) {
			var err error
			profiles, err = readProfilesINI(dir, data)
			return nil, err
		})
		for _, p := range profiles {
			f.file(filepath.Join(p, "prefs.js"), readPrefsJS)
		}
	}
}

// readProfilesINI is every profile folder profiles.ini names, relative
// ones (IsRelative=1, the folder's own separators or /) under dir.
func readProfilesINI(dir string, data []byte) ([]string, error) {
	cfg, err := ini.LoadSources(ini.LoadOptions{IgnoreInlineComment: true, KeyValueDelimiters: "=", AllowNonUniqueSections: false}, data)
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for _, s := range cfg.Sections() {
		if !strings.HasPrefix(s.Name(), "Profile") || !s.HasKey("Path") {
			continue
		}
		p := s.Key("Path").String()
		if p == "" {
			continue
		}
		if s.Key("IsRelative").String() != "0" {
			p = filepath.Join(dir, filepath.FromSlash(p))
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out, nil
}

// readPrefsJS reads the accounts of a Thunderbird profile's prefs.js.
func readPrefsJS(path string, data []byte) ([]Account, error) {
	prefs, err := parsePrefs(string(data))
	if err != nil {
		return nil, err
	}
	str := func(k string) string { return prefs[k] }
	num := func(k string) int { n, _ := strconv.Atoi(prefs[k]); return n }
	smtp := func(id string) (Server, bool) {
		k := "mail.smtpserver." + id + "."
		sock := prefs[k+"try_ssl"]
		if sock == "" {
			sock = prefs[k+"socketType"]
		}
		sec := socketType(sock)
		port := num(k + "port")
		if port <= 0 {
			port = 25
			if sec == probe.TLS {
				port = 465
			}
		}
		return server(probe.Outgoing, probe.SMTP, str(k+"hostname"), port, sec, str(k+"username"))
	}
	var accounts []Account
	for _, id := range accountIDs(prefs) {
		srv := str("mail.account." + id + ".server")
		if srv == "" {
			continue
		}
		k := "mail.server." + srv + "."
		var proto probe.Protocol
		switch str(k + "type") {
		case "imap":
			proto = probe.IMAP
		case "pop3":
			proto = probe.POP3
		default:
			// "none" is Local Folders, "rss" feeds, "nntp" news: no mailbox.
			continue
		}
		a := Account{Program: Thunderbird, Path: path, Name: str(k + "name")}
		sec := socketType(prefs[k+"socketType"])
		if in, ok := server(probe.Incoming, proto, str(k+"hostname"), num(k+"port"), sec, str(k+"userName")); ok {
			a.Servers = append(a.Servers, in)
		}
		smtpID := ""
		for _, ident := range splitList(str("mail.account." + id + ".identities")) {
			ik := "mail.identity." + ident + "."
			if a.Address == "" {
				a.Address = str(ik + "useremail")
			}
			if smtpID == "" {
				smtpID = str(ik + "smtpServer")
			}
		}
		if smtpID == "" {
			smtpID = str("mail.smtp.defaultserver")
		}
		if out, ok := smtp(smtpID); smtpID != "" && ok {
			a.Servers = append(a.Servers, out)
		}
		accounts = append(accounts, a)
	}
	return accounts, nil
}

// accountIDs are the accounts in mail.accountmanager.accounts' order, then
// any other mail.account.accountN.server, by name.
func accountIDs(prefs map[string]string) []string {
	ids := splitList(prefs["mail.accountmanager.accounts"])
	seen := map[string]bool{}
	for _, id := range ids {
		seen[id] = true
	}
	var more []string
	for k := range prefs {
		if rest, ok := strings.CutPrefix(k, "mail.account."); ok {
			if id, ok := strings.CutSuffix(rest, ".server"); ok && !seen[id] {
				seen[id] = true
				more = append(more, id)
			}
		}
	}
	sort.Strings(more)
	return append(ids, more...)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// socketType is Thunderbird's socketType (try_ssl for SMTP): 0 (or
// missing) no TLS, 1 and 2 STARTTLS, 3 SSL/TLS.
func socketType(v string) probe.Security {
	switch v {
	case "1", "2":
		return probe.StartTLS
	case "3":
		return probe.TLS
	}
	return probe.None
}

// parsePrefs reads the user_pref("name", value); lines of prefs.js (and
// user.js): strings with JavaScript escapes, numbers and booleans, all
// kept as text. Comments (// and /* */) and other statements are skipped.
func parsePrefs(src string) (map[string]string, error) {
	prefs := map[string]string{}
	p := &jsLexer{src: src, line: 1}
	for {
		p.space()
		if p.eof() {
			return prefs, nil
		}
		ident := p.ident()
		if ident != "user_pref" && ident != "pref" {
			p.skipStatement()
			continue
		}
		p.space()
		if !p.take('(') {
			return nil, p.errorf("( expected after %s", ident)
		}
		p.space()
		name, err := p.str()
		if err != nil {
			return nil, err
		}
		p.space()
		if !p.take(',') {
			return nil, p.errorf(", expected after the name %q", name)
		}
		p.space()
		var value string
		switch {
		case p.peek() == '"' || p.peek() == '\'':
			if value, err = p.str(); err != nil {
				return nil, err
			}
		default:
			value = p.word()
			if value == "" {
				return nil, p.errorf("a value expected for %q", name)
			}
		}
		p.space()
		if !p.take(')') {
			return nil, p.errorf(") expected after the value of %q", name)
		}
		p.space()
		p.take(';')
		prefs[name] = value
	}
}

type jsLexer struct {
	src  string
	pos  int
	line int
}

func (p *jsLexer) eof() bool { return p.pos >= len(p.src) }

func (p *jsLexer) peek() byte {
	if p.eof() {
		return 0
	}
	return p.src[p.pos]
}

func (p *jsLexer) take(c byte) bool {
	if p.peek() == c && !p.eof() {
		p.pos++
		return true
	}
	return false
}

func (p *jsLexer) errorf(format string, args ...any) error {
	return &lineError{line: p.line, msg: fmt.Sprintf(format, args...)}
}

// space skips white space and comments.
func (p *jsLexer) space() {
	for !p.eof() {
		c := p.src[p.pos]
		switch {
		case c == '\n':
			p.line++
			p.pos++
		case c == ' ' || c == '\t' || c == '\r':
			p.pos++
		case strings.HasPrefix(p.src[p.pos:], "//") || c == '#':
			for !p.eof() && p.src[p.pos] != '\n' {
				p.pos++
			}
		case strings.HasPrefix(p.src[p.pos:], "/*"):
			end := strings.Index(p.src[p.pos+2:], "*/")
			if end < 0 {
				end = len(p.src) - p.pos - 2
			}
			p.line += strings.Count(p.src[p.pos:p.pos+2+end], "\n")
			p.pos = min(len(p.src), p.pos+end+4)
		default:
			return
		}
	}
}

func (p *jsLexer) ident() string {
	start := p.pos
	for !p.eof() {
		c := p.src[p.pos]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			p.pos++
			continue
		}
		break
	}
	return p.src[start:p.pos]
}

// word is a number, true or false.
func (p *jsLexer) word() string {
	start := p.pos
	for !p.eof() && strings.IndexByte("-+.0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", p.src[p.pos]) >= 0 {
		p.pos++
	}
	return p.src[start:p.pos]
}

// skipStatement skips to the end of the line.
func (p *jsLexer) skipStatement() {
	if p.pos < len(p.src) && p.src[p.pos] != '\n' {
		p.pos++
	}
	for !p.eof() && p.src[p.pos] != '\n' {
		p.pos++
	}
}

// str reads a JavaScript string literal in double or single quotes.
func (p *jsLexer) str() (string, error) {
	q := p.peek()
	if q != '"' && q != '\'' {
		return "", p.errorf("a quoted string expected")
	}
	p.pos++
	var b strings.Builder
	for {
		if p.eof() || p.src[p.pos] == '\n' {
			return "", p.errorf("a string not closed")
		}
		c := p.src[p.pos]
		p.pos++
		switch c {
		case q:
			return b.String(), nil
		case '\\':
			if p.eof() {
				return "", p.errorf("a string not closed")
			}
			e := p.src[p.pos]
			p.pos++
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'u':
				r, ok := p.hex(4)
				if !ok {
					return "", p.errorf("a bad \\u escape")
				}
				if utf16.IsSurrogate(r) && strings.HasPrefix(p.src[p.pos:], "\\u") {
					p.pos += 2
					r2, ok := p.hex(4)
					if !ok {
						return "", p.errorf("a bad \\u escape")
					}
					r = utf16.DecodeRune(r, r2)
				}
				b.WriteRune(r)
			case 'x':
				r, ok := p.hex(2)
				if !ok {
					return "", p.errorf("a bad \\x escape")
				}
				b.WriteRune(r)
			default:
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
		}
	}
}

func (p *jsLexer) hex(n int) (rune, bool) {
	if p.pos+n > len(p.src) {
		return 0, false
	}
	v, err := strconv.ParseUint(p.src[p.pos:p.pos+n], 16, 32)
	if err != nil {
		return 0, false
	}
	p.pos += n
	return rune(v), true
}
