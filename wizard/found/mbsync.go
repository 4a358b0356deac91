package found

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/postino/postino/probe"
)

func (f *finder) mbsync() {
	read := f.expandCA(readMbsyncrc)
	f.file(filepath.Join(f.env.Home, ".mbsyncrc"), read)
	f.file(filepath.Join(f.env.configHome(), "isyncrc"), read)
}

// readMbsyncrc reads mbsync's IMAP accounts: each IMAPAccount section (or
// an IMAPStore that names its server itself) with Host, Port, User and
// TLSType (SSLType before isync 1.5: IMAPS, STARTTLS or None; STARTTLS
// when not given), CertificateFile (as written) and SystemCertificates.
// An account reached through a Tunnel command has no server to test.
func readMbsyncrc(path string, data []byte) ([]Account, error) {
	lines, err := keyLines(data)
	if err != nil {
		return nil, err
	}
	var out []Account
	var keys map[string]string
	var name string
	flush := func() {
		if keys == nil || keys["tunnel"] != "" {
			keys = nil
			return
		}
		sec := probe.StartTLS
		t := keys["tlstype"]
		if t == "" {
			t = keys["ssltype"]
		}
		switch strings.ToLower(t) {
		case "imaps":
			sec = probe.TLS
		case "none":
			sec = probe.None
		}
		port, _ := strconv.Atoi(keys["port"])
		a := Account{Program: Mbsync, Path: path, Name: name}
		if ca := keys["certificatefile"]; ca != "" {
			a.CAFile = ca
		}
		if v, ok := keys["systemcertificates"]; ok && !on(v) {
			a.NoSystemRoots = true
		}
		if s, ok := server(probe.Incoming, probe.IMAP, keys["host"], port, sec, keys["user"]); ok {
			a.Servers = append(a.Servers, s)
			out = append(out, a)
		}
		keys = nil
	}
	for _, l := range lines {
		k := strings.ToLower(l.key)
		switch k {
		case "imapaccount", "imapstore":
			flush()
			keys, name = map[string]string{}, l.value
		case "maildirstore", "channel", "group":
			flush()
		default:
			if keys != nil {
				keys[k] = l.value
			}
		}
	}
	flush()
	return out, nil
}
