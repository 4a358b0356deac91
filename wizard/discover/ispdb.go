package discover

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/mailbox"
)

// ispdbFiles is the ISP database built into postino: the clientConfig
// files of Thunderbird's ISP database (the repository thunderbird/autoconfig,
// folder ispdb/, under the Mozilla Public License 2.0, whose notice is
// ispdb/LICENSE). ispdb/README.md names the commit they were copied from;
// ispdb/refresh.sh copies a newer one.
//
//go:embed ispdb/*.xml
var ispdbFiles embed.FS

// builtinISPDB answers from ispdbFiles. It is ranked below the providers
// files and below the online ISP database, whose data is newer, and it is
// the only source besides the providers files that works offline.
var builtinISPDB = &snapshot{fsys: ispdbFiles, dir: "ispdb"}

var errNotInSnapshot = errors.New("not in postino's copy of the ISP database")

// ispdbLeftOut are the servers of postino's copy that it never proposes:
// each contradicts its provider's own pages or the port it is on, and was
// checked against those pages (docs/ARCHITECTURE.md, Finding settings).
var ispdbLeftOut = []string{
	// arubapec.it.xml lists POP3 over TLS on 993, the port of IMAP over
	// TLS. Aruba PEC's guide for mail programs
	// (https://guide.pec.it/posta-pec/configurare-casella-pec/bozza.aspx)
	// recommends IMAP and requires smtps.pec.aruba.it for sending; the
	// POP3 port could not be confirmed there, so the server is left out
	// rather than moved to 995 (providers.yaml's aruba-pec entry, checked
	// against the same page, lists no POP3 either). The file's IMAP and
	// SMTP servers stay.
	"pop3s://pop3s.pec.aruba.it:993",
	// pdx.edu.xml lists IMAP with STARTTLS on 587, the port of mail
	// submission, as an alternative to IMAP over TLS on 993, which stays.
	// Portland State's settings page named by the file
	// (http://oit.pdx.edu/psu-email-settings-advanced-users) could not be
	// read; its stored summary names no IMAP port.
	"imap://psumail.pdx.edu:587",
}

// snapshot is an ISP database kept as files. Nothing is read before the
// first lookup, which indexes the domains of every file once; a lookup
// then reads and parses its own file only, so the settings of a thousand
// domains cost a map of their names.
type snapshot struct {
	fsys  fs.FS
	dir   string
	once  sync.Once
	index map[string]string // domain in lower-case ASCII → file name
}

// settings is what the snapshot says for addr, asked for domain: the
// address's own domain, or the base domain of its MX hosts.
func (s *snapshot) settings(addr mailbox.Address, domain string) (*settings, error) {
	name, ok := s.file(domain)
	if !ok {
		return nil, errNotInSnapshot
	}
	data, err := fs.ReadFile(s.fsys, path.Join(s.dir, name))
	if err != nil {
		return nil, err
	}
	st, err := parseAutoconfig(data, addr, domain)
	if err != nil {
		return nil, fmt.Errorf("postino's copy of the ISP database, %s: %w", name, err)
	}
	st.incoming = withoutLeftOut(st.incoming)
	st.outgoing = withoutLeftOut(st.outgoing)
	if len(st.incoming) == 0 {
		return nil, fmt.Errorf("postino's copy of the ISP database, %s: %w", name, errNoServer)
	}
	return st, nil
}

// withoutLeftOut drops the servers of ispdbLeftOut from list.
func withoutLeftOut(list []probe.Server) []probe.Server {
	return slices.DeleteFunc(list, func(s probe.Server) bool { return slices.Contains(ispdbLeftOut, s.String()) })
}

// file is the name of the file that lists domain.
func (s *snapshot) file(domain string) (string, bool) {
	s.once.Do(s.load)
	name, ok := s.index[domain]
	return name, ok
}

// load indexes every <domain> of every file, read by the autoconfig
// parser's own decoder and types (the domains alone, which halves the
// time). A domain listed by two files belongs to the first in name order;
// a file that does not parse is left out (the tests read every file).
func (s *snapshot) load() {
	s.index = map[string]string{}
	entries, err := fs.ReadDir(s.fsys, s.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".xml") {
			continue
		}
		data, err := fs.ReadFile(s.fsys, path.Join(s.dir, e.Name()))
		if err != nil {
			continue
		}
		var cc clientConfigDomains
		if decodeXML(data, &cc) != nil {
			continue
		}
		for _, p := range cc.Providers {
			for _, d := range p.Domains {
				ascii, _, err := mailbox.ParseDomain(strings.TrimSpace(d))
				if _, taken := s.index[ascii]; err == nil && !taken {
					s.index[ascii] = e.Name()
				}
			}
		}
	}
}
