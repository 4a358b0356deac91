package discover

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
)

// clientConfig is Thunderbird's autoconfig format, version 1.1, as real
// files have it: several providers and servers, and the enable and
// documentation elements inside the emailProvider or beside it.
type clientConfig struct {
	XMLName       xml.Name        `xml:"clientConfig"`
	Providers     []emailProvider `xml:"emailProvider"`
	Enable        []enableXML     `xml:"enable"`
	Documentation []docXML        `xml:"documentation"`
}

type emailProvider struct {
	ID string `xml:"id,attr"`
	providerDomains
	DisplayName     string      `xml:"displayName"`
	ShortName       string      `xml:"displayShortName"`
	Incoming        []serverXML `xml:"incomingServer"`
	Outgoing        []serverXML `xml:"outgoingServer"`
	Enable          []enableXML `xml:"enable"`
	Documentation   []docXML    `xml:"documentation"`
	InstructionsURL []docXML    `xml:"instructionsURL"`
}

// providerDomains are the domains an emailProvider serves; the index of
// postino's copy of the ISP database reads only these (clientConfigDomains).
type providerDomains struct {
	Domains []string `xml:"domain"`
}

// clientConfigDomains is a clientConfig with only its providers' domains.
type clientConfigDomains struct {
	XMLName   xml.Name          `xml:"clientConfig"`
	Providers []providerDomains `xml:"emailProvider"`
}

type serverXML struct {
	Type           string   `xml:"type,attr"`
	Hostname       string   `xml:"hostname"`
	Port           string   `xml:"port"`
	SocketType     string   `xml:"socketType"`
	Username       string   `xml:"username"`
	Authentication []string `xml:"authentication"`
}

// enableXML asks the person to switch on IMAP or POP at a web page first;
// the page is an attribute in the specification and a child in some files.
type enableXML struct {
	VisitURL      string    `xml:"visiturl,attr"`
	VisitURLChild string    `xml:"visiturl"`
	Instructions  []textXML `xml:"instruction"`
}

type docXML struct {
	URL string `xml:"url,attr"`
}

type textXML struct {
	Lang string `xml:"lang,attr"`
	Text string `xml:",chardata"`
}

// settings is what an autoconfig file says for one address.
type settings struct {
	provider *providers.Provider // ID, Name, Domains, Docs and Hints
	incoming []probe.Server
	outgoing []probe.Server
	notes    []probe.Text // about the servers: cleartext left out or kept last
	// redirectedTo is the other domain the file came from after a
	// redirect; "" when it came from the domain asked.
	redirectedTo string
}

// maxServers bounds the servers of one role, and the domains, that a file
// may make postino keep.
const maxServers = 16

var (
	errNotAutoconfig = errors.New("not an autoconfig file")
	errNoServer      = errors.New("no usable incoming server")
)

// parseAutoconfig reads an autoconfig file for addr. domain is the domain
// the file was asked for, which picks the emailProvider when there are
// several. A file with no usable incoming server is an error.
func parseAutoconfig(data []byte, addr mailbox.Address, domain string) (*settings, error) {
	cc, err := decodeAutoconfig(data)
	if err != nil {
		return nil, err
	}
	ep := cc.Providers[0]
	for _, p := range cc.Providers {
		if slices.ContainsFunc(p.Domains, func(d string) bool { return sameDomain(expand(d, addr), domain) }) {
			ep = p
			break
		}
	}
	p := &providers.Provider{
		ID:   clean(expand(firstNonEmpty(ep.ID, domain), addr)),
		Docs: docsURL(ep.Documentation, ep.InstructionsURL, cc.Documentation),
	}
	p.Name = clean(expand(firstNonEmpty(ep.DisplayName, ep.ShortName, p.ID), addr))
	for _, d := range ep.Domains {
		if ascii, _, err := mailbox.ParseDomain(expand(strings.TrimSpace(d), addr)); err == nil && len(p.Domains) < maxServers {
			p.Domains = append(p.Domains, ascii)
		}
	}
	for _, e := range append(ep.Enable, cc.Enable...) {
		if h, ok := e.hint(); ok {
			p.Hints = append(p.Hints, h)
		}
	}
	s := &settings{provider: p}
	incoming := servers(ep.Incoming, addr, true)
	s.incoming = s.secureFirst(incoming)
	s.outgoing = s.secureFirst(servers(ep.Outgoing, addr, false))
	if len(s.incoming) == 0 && len(incoming) > 0 {
		return nil, &CleartextOnlyError{Provider: p.Name, Servers: incoming}
	}
	if len(s.incoming) == 0 {
		return nil, errNoServer
	}
	return s, nil
}

// CleartextOnlyError is a file that names its provider's incoming servers
// but none with encryption: postino never proposes a server that would
// carry the password in clear, so it has no settings to offer.
type CleartextOnlyError struct {
	Provider string         // the provider's name, as the file gives it
	Servers  []probe.Server // the servers without encryption
}

func (e *CleartextOnlyError) Error() string {
	urls := make([]string, len(e.Servers))
	for i, s := range e.Servers {
		urls[i] = s.String()
	}
	return fmt.Sprintf("%s: only servers without encryption (%s)", errNoServer, strings.Join(urls, ", "))
}

// Unwrap makes the error errNoServer too.
func (e *CleartextOnlyError) Unwrap() error { return errNoServer }

// decodeAutoconfig reads an autoconfig file as it is written, with at
// least one emailProvider.
func decodeAutoconfig(data []byte) (*clientConfig, error) {
	var cc clientConfig
	if err := decodeXML(data, &cc); err != nil {
		return nil, err
	}
	if len(cc.Providers) == 0 {
		return nil, fmt.Errorf("%w: no emailProvider", errNotAutoconfig)
	}
	return &cc, nil
}

// decodeXML decodes an autoconfig file into cc, a clientConfig or a part
// of it: with or without a byte-order mark, in the encodings the files
// are written in.
func decodeXML(data []byte, cc any) error {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = charsetReader
	if err := dec.Decode(cc); err != nil {
		return fmt.Errorf("%w: %v", errNotAutoconfig, err)
	}
	return nil
}

// charsetReader decodes the encodings autoconfig files are written in
// besides UTF-8.
func charsetReader(charset string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1":
		b, err := io.ReadAll(in)
		if err != nil {
			return nil, err
		}
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return strings.NewReader(string(r)), nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", charset)
}

// servers converts one role's entries, in the file's order, leaving out
// what postino cannot use and repeats.
func servers(entries []serverXML, addr mailbox.Address, incoming bool) []probe.Server {
	var out []probe.Server
	for _, e := range entries {
		s, ok := e.server(addr, incoming)
		if !ok || slices.ContainsFunc(out, func(o probe.Server) bool { return sameServer(o, s) }) {
			continue
		}
		out = append(out, s)
		if len(out) == maxServers {
			break
		}
	}
	return out
}

func (e serverXML) server(addr mailbox.Address, incoming bool) (probe.Server, bool) {
	var s probe.Server
	switch p := probe.Protocol(strings.ToLower(strings.TrimSpace(e.Type))); {
	case incoming && (p == probe.IMAP || p == probe.POP3), !incoming && p == probe.SMTP:
		s.Protocol = p
	default:
		return s, false
	}
	switch strings.ToLower(strings.TrimSpace(e.SocketType)) {
	case "ssl":
		s.Security = probe.TLS
	case "starttls":
		s.Security = probe.StartTLS
	case "plain":
		s.Security = probe.None
	default:
		return s, false
	}
	host, ok := hostName(expand(strings.TrimSpace(e.Hostname), addr))
	if !ok {
		return s, false
	}
	s.Host = host
	s.Port = probe.DefaultPort(s.Protocol, s.Security)
	if p := strings.TrimSpace(e.Port); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return s, false
		}
		s.Port = n
	}
	s.Username = clean(expand(strings.TrimSpace(e.Username), addr))
	s.Auth, ok = authOf(e.Authentication)
	return s, ok
}

// authOf reads a server's authentication list. postino logs in with a
// password (PLAIN or LOGIN, always under TLS), so a password method wins
// over OAuth2 when both are listed; Kerberos, NTLM, client certificates and
// "none" are methods it cannot set up.
func authOf(methods []string) (probe.Auth, bool) {
	if len(methods) == 0 {
		return probe.AuthPassword, true
	}
	oauth := false
	for _, m := range methods {
		switch strings.ToLower(strings.TrimSpace(m)) {
		case "password-cleartext", "plain", "password-encrypted", "secure":
			return probe.AuthPassword, true
		case "oauth2":
			oauth = true
		}
	}
	if oauth {
		return probe.AuthOAuth2, true
	}
	return "", false
}

// secureFirst keeps cleartext servers only behind a TLS alternative, and
// says so; a role offered only in cleartext is dropped.
func (s *settings) secureFirst(list []probe.Server) []probe.Server {
	var secure, plain []probe.Server
	for _, srv := range list {
		if srv.Security == probe.None {
			plain = append(plain, srv)
		} else {
			secure = append(secure, srv)
		}
	}
	switch {
	case len(plain) == 0:
		return secure
	case len(secure) == 0:
		s.notes = append(s.notes, hint(textCleartextOnly, plain[0].String()))
		return nil
	}
	s.notes = append(s.notes, hint(textCleartextFallback, plain[0].String()))
	return append(secure, plain...)
}

// hint turns an enable element into advice: the page where IMAP or POP is
// switched on, with the provider's own words when it has them.
func (e enableXML) hint() (probe.Text, bool) {
	page, ok := webURL(firstNonEmpty(e.VisitURL, e.VisitURLChild))
	if !ok {
		return probe.Text{}, false
	}
	h := hint(textEnableAccess, page)
	if en := pick(e.Instructions, "en"); en != "" {
		h.EN = en + " " + page
	}
	if it := pick(e.Instructions, "it"); it != "" {
		h.IT = it + " " + page
	}
	return h, true
}

// pick is the text in lang; for English, a text without a language too.
func pick(texts []textXML, lang string) string {
	for _, t := range texts {
		if strings.EqualFold(strings.TrimSpace(t.Lang), lang) {
			return clean(t.Text)
		}
	}
	if lang == "en" {
		for _, t := range texts {
			if strings.TrimSpace(t.Lang) == "" {
				return clean(t.Text)
			}
		}
	}
	return ""
}

// docsURL is the provider's first documentation page.
func docsURL(lists ...[]docXML) string {
	for _, l := range lists {
		for _, d := range l {
			if u, ok := webURL(d.URL); ok {
				return u
			}
		}
	}
	return ""
}

// webURL accepts an absolute http or https URL from a file, and only when
// nothing in it could be taken by a terminal for a command.
func webURL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(raw) > 2000 {
		return "", false
	}
	s := u.String()
	return s, probe.Sanitize(s) == s
}

// clean makes a file's text fit for a terminal as a server's text is: no
// escape sequences or control characters, a bounded length, and white
// space folded.
func clean(s string) string {
	return strings.Join(strings.Fields(probe.Sanitize(s)), " ")
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

func sameServer(a, b probe.Server) bool {
	return a.Protocol == b.Protocol && a.Host == b.Host && a.Port == b.Port && a.Security == b.Security
}

func sameDomain(a, b string) bool {
	a, _, errA := mailbox.ParseDomain(strings.TrimSpace(a))
	b, _, errB := mailbox.ParseDomain(strings.TrimSpace(b))
	return errA == nil && errB == nil && a == b
}
