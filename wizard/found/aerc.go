package found

import (
	"net/mail"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/ini.v1"

	"github.com/postino/postino/probe"
)

func (f *finder) aerc() {
	dir := filepath.Join(f.env.configHome(), "aerc")
	if f.env.GOOS == "darwin" {
		f.file(filepath.Join(f.env.Home, "Library", "Preferences", "aerc", "accounts.conf"), readAercAccounts)
	}
	f.file(filepath.Join(dir, "accounts.conf"), readAercAccounts)
}

// readAercAccounts reads aerc's accounts.conf, an ini file read with the
// parser aerc itself uses (go-ini) and its default options, as aerc reads
// it: a section per account, its source and outgoing URLs (a password in
// them is never kept).
func readAercAccounts(path string, data []byte) ([]Account, error) {
	cfg, err := ini.Load(data)
	if err != nil {
		return nil, err
	}
	var out []Account
	for _, s := range cfg.Sections() {
		if s.Name() == ini.DefaultSection {
			continue
		}
		a := Account{Program: Aerc, Path: path, Name: s.Name()}
		if from, err := mail.ParseAddress(s.Key("from").String()); err == nil {
			a.Address = from.Address
		}
		for _, k := range []string{"source", "outgoing"} {
			if srv, ok := aercServer(s.Key(k).String()); ok {
				a.Servers = append(a.Servers, srv)
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// aercServer is the server of an aerc source or outgoing URL: imaps,
// imap (STARTTLS), imap+insecure, smtps, smtp (STARTTLS), smtp+insecure,
// each with an optional +mechanism (smtps+plain, imaps+oauthbearer).
// Maildir, notmuch, JMAP and a sendmail command are no server to test.
func aercServer(raw string) (Server, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return Server{}, false
	}
	parts := strings.Split(strings.ToLower(u.Scheme), "+")
	base, insecure := parts[0], false
	var auth probe.Auth = probe.AuthPassword
	for _, p := range parts[1:] {
		switch p {
		case "insecure":
			insecure = true
		case "oauthbearer", "xoauth2":
			auth = probe.AuthOAuth2
		}
	}
	var (
		p    probe.Protocol
		sec  = probe.StartTLS
		role = probe.Incoming
	)
	switch base {
	case "imaps":
		p, sec = probe.IMAP, probe.TLS
	case "imap":
		p = probe.IMAP
	case "smtps":
		p, sec, role = probe.SMTP, probe.TLS, probe.Outgoing
	case "smtp":
		p, role = probe.SMTP, probe.Outgoing
	default:
		return Server{}, false
	}
	if insecure {
		sec = probe.None
	}
	port, _ := strconv.Atoi(u.Port())
	s, ok := server(role, p, u.Hostname(), port, sec, u.User.Username())
	s.Auth = auth
	return s, ok
}
