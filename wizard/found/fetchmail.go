package found

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/postino/postino/probe"
)

func (f *finder) fetchmail() {
	f.file(filepath.Join(f.env.Home, ".fetchmailrc"), readFetchmailrc)
}

// fmToken is one token of a .fetchmailrc: a word, or a quoted string
// (never a keyword, as in fetchmail's lexer).
type fmToken struct {
	text   string
	quoted bool
	line   int
}

// fetchmailTokens splits a .fetchmailrc as fetchmail's lexer does: #
// comments, strings in double or single quotes with backslash escapes,
// and the noise words and punctuation (and, with, has, wants, options,
// ; : ,) dropped.
func fetchmailTokens(src string) ([]fmToken, error) {
	var out []fmToken
	line := 1
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == ';' || c == ':' || c == ',':
			i++
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '"' || c == '\'':
			var b strings.Builder
			start := line
			i++
			for {
				if i >= len(src) {
					return nil, &lineError{line: start, msg: "a quote not closed"}
				}
				d := src[i]
				if d == c {
					i++
					break
				}
				if d == '\n' {
					line++
				}
				if d == '\\' && i+1 < len(src) {
					i++
					switch e := src[i]; e {
					case 'n':
						b.WriteByte('\n')
					case 't':
						b.WriteByte('\t')
					case 'b':
						b.WriteByte('\b')
					case 'r':
						b.WriteByte('\r')
					case 'x':
						n := 0
						v := 0
						for n < 2 && i+1 < len(src) && strings.IndexByte("0123456789abcdefABCDEF", src[i+1]) >= 0 {
							d, _ := strconv.ParseUint(src[i+1:i+2], 16, 8)
							v = v*16 + int(d)
							i++
							n++
						}
						b.WriteByte(byte(v))
					default:
						if e >= '0' && e <= '7' {
							v := int(e - '0')
							for n := 0; n < 2 && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '7'; n++ {
								i++
								v = v*8 + int(src[i]-'0')
							}
							b.WriteByte(byte(v))
						} else {
							b.WriteByte(e)
						}
					}
					i++
					continue
				}
				b.WriteByte(d)
				i++
			}
			out = append(out, fmToken{text: b.String(), quoted: true, line: start})
		default:
			start := i
			for i < len(src) && !strings.ContainsRune(" \t\r\n;:,#\"'", rune(src[i])) {
				i++
			}
			w := src[start:i]
			switch strings.ToLower(w) {
			case "and", "with", "has", "wants", "options":
				continue
			}
			out = append(out, fmToken{text: w, line: line})
		}
	}
	return out, nil
}

// fmServer is what a poll (or the defaults) says about its server.
type fmServer struct {
	host, via, proto, port string
	ssl                    bool
	sslproto               *string
	users                  []string
	sslcertfile            string
}

// readFetchmailrc reads the servers fetchmail polls: poll HOST [via
// REALHOST] proto P [port N] user U … [ssl] [sslproto S]; defaults apply
// to the polls after them, and a skipped server (skip) is not polled.
func readFetchmailrc(path string, data []byte) ([]Account, error) {
	tokens, err := fetchmailTokens(string(data))
	if err != nil {
		return nil, err
	}
	var defaults fmServer
	var polls []fmServer
	var cur *fmServer
	var skipped fmServer // a skip entry, read and dropped
	next := func(i int) (string, bool) {
		if i+1 < len(tokens) {
			return tokens[i+1].text, true
		}
		return "", false
	}
	for i := 0; i < len(tokens); i++ {
		t := tokens[i]
		if t.quoted {
			continue
		}
		kw := strings.ToLower(t.text)
		switch kw {
		case "set":
			// set daemon 300, set logfile …, set no syslog: one value at most.
			if v, ok := next(i); ok && strings.ToLower(v) == "no" {
				i++
			}
			i++
			if i+1 < len(tokens) && !isFetchmailKeyword(tokens[i+1]) {
				i++
			}
		case "defaults":
			cur = &defaults
		case "poll", "skip", "server":
			host, ok := next(i)
			if !ok {
				return nil, &lineError{line: t.line, msg: "poll without a server"}
			}
			i++
			if kw == "skip" {
				skipped = fmServer{}
				cur = &skipped
				continue
			}
			polls = append(polls, defaults)
			cur = &polls[len(polls)-1]
			cur.host, cur.users = host, nil
		case "via", "proto", "protocol", "port", "service", "user", "username", "sslproto",
			"password", "pass", "passwd", "sslcert", "sslkey", "sslcertfile", "sslcertpath", "sslfingerprint",
			"mda", "bsmtp", "smtphost", "smtpname", "folder", "preconnect", "postconnect", "plugin", "plugout",
			"timeout", "limit", "fetchlimit", "batchlimit", "expunge", "interface", "monitor", "auth", "authenticate",
			"envelope", "qvirtual", "principal", "esmtpname", "esmtppassword", "lmtp", "antispam", "warnings",
			"fetchsizelimit", "fastuidl", "tracepolls", "sslcommonname", "idle":
			v, ok := next(i)
			if !ok {
				return nil, &lineError{line: t.line, msg: t.text + " without a value"}
			}
			i++
			if cur == nil {
				continue
			}
			switch kw {
			case "via":
				cur.via = v
			case "proto", "protocol":
				cur.proto = strings.ToLower(v)
			case "port", "service":
				cur.port = v
			case "user", "username":
				cur.users = append(cur.users, v)
			case "sslproto":
				cur.sslproto = &v
			case "sslcertfile":
				cur.sslcertfile = v
			}
			// Any other value, the password among them, is passed over.
		case "ssl":
			if cur != nil {
				cur.ssl = true
			}
		case "no":
			// "no ssl" and the like.
			if v, ok := next(i); ok && strings.ToLower(v) == "ssl" && cur != nil {
				cur.ssl = false
				i++
			}
		}
	}
	var out []Account
	for _, p := range polls {
		var proto probe.Protocol
		switch p.proto {
		case "imap", "auto", "":
			proto = probe.IMAP
		case "pop3", "apop", "rpop", "kpop", "sdps":
			proto = probe.POP3
		default:
			continue // ETRN, ODMR: no mailbox read
		}
		sec := probe.StartTLS
		switch {
		case p.ssl:
			sec = probe.TLS
		case p.sslproto != nil && *p.sslproto == "":
			sec = probe.None
		}
		host := p.host
		if p.via != "" {
			host = p.via
		}
		port, _ := strconv.Atoi(p.port)
		users := p.users
		if len(users) == 0 {
			users = []string{""}
		}
		for _, u := range users {
			a := Account{Program: Fetchmail, Path: path, Name: p.host, CAFile: p.sslcertfile}
			if s, ok := server(probe.Incoming, proto, host, port, sec, u); ok {
				a.Servers = append(a.Servers, s)
			}
			out = append(out, a)
		}
	}
	return out, nil
}

// isFetchmailKeyword reports whether t begins a new statement.
func isFetchmailKeyword(t fmToken) bool {
	if t.quoted {
		return false
	}
	switch strings.ToLower(t.text) {
	case "set", "poll", "skip", "server", "defaults":
		return true
	}
	return false
}
