package discover

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/mailbox"
)

// Exchange Autodiscover (POX), as Thunderbird and Outlook ask it: the
// request of the 2006 schema POSTed over HTTPS, the answer read in the
// 2006a schema. No credentials are ever sent, so only servers that answer
// without a login (hosting providers' scripts, many small Exchanges) give
// settings; the others refuse, and the source finds nothing.

// maxAutodiscoverHops bounds the redirects one Autodiscover attempt
// follows: HTTP redirects, and the answers' redirectUrl and redirectAddr.
const maxAutodiscoverHops = 10

var (
	errNotAutodiscover   = errors.New("not an Autodiscover answer")
	errAutodiscoverLoop  = errors.New("the redirects of Autodiscover go round in a loop")
	errAutodiscoverHops  = fmt.Errorf("more than %d Autodiscover redirects", maxAutodiscoverHops)
	errNoHTTPSRedirect   = errors.New("no redirect to HTTPS")
	errNoAutodiscoverSRV = errors.New("no SRV record for Autodiscover")
)

// ExchangeOnlyError is an Autodiscover answer that offers only Exchange's
// own protocols, which postino does not speak, and no IMAP or POP server.
// Discover's ErrNotFound wraps it: errors.As finds it.
type ExchangeOnlyError struct {
	// Host is the Exchange server's name, "" when the answer names none.
	Host string
}

func (e *ExchangeOnlyError) Error() string {
	if e.Host == "" {
		return "an Exchange server that offers no IMAP or POP"
	}
	return "an Exchange server (" + e.Host + ") that offers no IMAP or POP"
}

// Hint is the advice for the person.
func (e *ExchangeOnlyError) Hint() probe.Text {
	if e.Host == "" {
		return textExchangeOnly
	}
	return hint(textExchangeOnlyAt, e.Host)
}

// Advice is what discovery learned although it found no settings: today,
// that the domain's mail is on an Exchange server without IMAP or POP.
func Advice(err error) []probe.Text {
	var ex *ExchangeOnlyError
	if errors.As(err, &ex) {
		return []probe.Text{ex.Hint()}
	}
	return nil
}

// autodiscoverURLs are the two places of a domain's Autodiscover service
// over HTTPS.
func autodiscoverURLs(domain string) []string {
	return []string{
		"https://autodiscover." + domain + "/autodiscover/autodiscover.xml",
		"https://" + domain + "/autodiscover/autodiscover.xml",
	}
}

// autodiscover starts the four attempts: the two HTTPS places at
// rankAutodiscover; the plain HTTP redirect and the SRV record, which
// only say where to ask over HTTPS, at rankAutodiscoverOther.
func (d *discovery) autodiscover(ctx context.Context) {
	domain := d.addr.ASCIIDomain
	for _, u := range autodiscoverURLs(domain) {
		d.run(rankAutodiscover, func() (*Result, error) {
			return d.autodiscoverAt(ctx, func(*adWalk) (string, error) { return u, nil })
		})
	}
	d.run(rankAutodiscoverOther, func() (*Result, error) {
		return d.autodiscoverAt(ctx, func(w *adWalk) (string, error) {
			return w.httpsRedirect(ctx, "http://autodiscover."+domain+"/autodiscover/autodiscover.xml")
		})
	})
	d.run(rankAutodiscoverOther, func() (*Result, error) {
		return d.autodiscoverAt(ctx, func(*adWalk) (string, error) { return d.autodiscoverSRV(ctx) })
	})
}

// autodiscoverAt asks the Autodiscover service at the URL start finds,
// and makes its answer a result. The answer is trusted only when it came,
// over HTTPS, from a host of the address's own domain; one from elsewhere
// names that host and needs the person's confirmation.
func (d *discovery) autodiscoverAt(ctx context.Context, start func(*adWalk) (string, error)) (*Result, error) {
	w := &adWalk{d: d, seen: map[string]bool{}}
	first, err := start(w)
	if err != nil {
		return nil, err
	}
	a, err := w.ask(ctx, first, d.addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", first, err)
	}
	host := a.from.Hostname()
	r := &Result{
		Address:  d.addr,
		Source:   mailbox.SourceAutodiscover,
		Trusted:  sameBase(host, d.addr.ASCIIDomain),
		Incoming: a.incoming,
		Outgoing: a.outgoing,
		Hints:    a.notes,
	}
	if a.addr.ASCII() != d.addr.ASCII() {
		r.Hints = append(r.Hints, hint(textAutodiscoverAddress, a.addr.ASCII()))
	}
	if !r.Trusted {
		r.Hints = append(r.Hints, hint(textAutodiscoverElsewhere, host))
	}
	return r, nil
}

// sameBase reports whether two hosts are in the same registrable domain
// (example.com for mail.example.com).
func sameBase(a, b string) bool {
	return baseDomain(a) == baseDomain(b)
}

// autodiscoverSRV is the URL the domain's _autodiscover._tcp record
// points to: its best target over HTTPS.
func (d *discovery) autodiscoverSRV(ctx context.Context) (string, error) {
	_, records, err := d.resolver.LookupSRV(ctx, "autodiscover", "tcp", d.addr.ASCIIDomain)
	if err != nil && len(records) == 0 {
		return "", err
	}
	for _, rec := range records { // by priority, then weighted at random
		target := strings.TrimSuffix(rec.Target, ".")
		host, ok := hostName(target)
		if target == "" || rec.Port == 0 || !ok {
			continue
		}
		if rec.Port != 443 {
			host = net.JoinHostPort(host, strconv.Itoa(int(rec.Port)))
		}
		return "https://" + host + "/autodiscover/autodiscover.xml", nil
	}
	return "", errNoAutodiscoverSRV
}

// adWalk is one attempt's way through redirects, within its bounds.
type adWalk struct {
	d    *discovery
	hops int
	seen map[string]bool // address and URL of each request
}

func (w *adWalk) hop() error {
	if w.hops++; w.hops > maxAutodiscoverHops {
		return errAutodiscoverHops
	}
	return nil
}

// client is discovery's HTTP client with redirects left to the walk, which
// follows them itself: a POST must stay a POST, and stay on HTTPS.
func (w *adWalk) client() *http.Client {
	c := *w.d.client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// redirected is where a redirect answer sends to, resolved against the
// request's URL; nil when the answer is no redirect.
func redirected(resp *http.Response) (*url.URL, error) {
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		return nil, nil
	}
	loc, err := resp.Location()
	if err != nil {
		return nil, fmt.Errorf("redirect: %w", err)
	}
	return loc, nil
}

// httpsRedirect GETs rawURL over plain HTTP only to learn where its
// redirects lead: nothing is sent but the request line, and nothing the
// server says is read but the first HTTPS address it redirects to.
func (w *adWalk) httpsRedirect(ctx context.Context, rawURL string) (string, error) {
	c := w.client()
	for {
		resp, done, err := send(ctx, c, func(ctx context.Context) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
			if err == nil {
				req.Header.Set("User-Agent", "postino")
			}
			return req, err
		})
		if err != nil {
			return "", err
		}
		done()
		next, err := redirected(resp)
		switch {
		case err != nil:
			return "", fmt.Errorf("%s: %w", rawURL, err)
		case next == nil:
			return "", fmt.Errorf("%s: %w (HTTP status %s)", rawURL, errNoHTTPSRedirect, resp.Status)
		}
		if err := w.hop(); err != nil {
			return "", err
		}
		switch next.Scheme {
		case "https":
			return next.String(), nil
		case "http":
			rawURL = next.String()
		default:
			return "", fmt.Errorf("%s: %w", rawURL, errNoHTTPSRedirect)
		}
	}
}

// ask POSTs addr's request to rawURL and follows the answer's redirects
// to its settings.
func (w *adWalk) ask(ctx context.Context, rawURL string, addr mailbox.Address) (*adAnswer, error) {
	for {
		key := addr.ASCII() + " " + rawURL
		if w.seen[key] {
			return nil, errAutodiscoverLoop
		}
		w.seen[key] = true
		body, from, err := w.post(ctx, rawURL, addr)
		if err != nil {
			return nil, err
		}
		a, err := parseAutodiscover(body, addr)
		if err != nil {
			return nil, err
		}
		switch {
		case a.redirectURL != "":
			if err := w.hop(); err != nil {
				return nil, err
			}
			rawURL = a.redirectURL
		case a.redirectAddr != nil:
			if err := w.hop(); err != nil {
				return nil, err
			}
			return w.askDomain(ctx, *a.redirectAddr)
		default:
			a.from = from
			return a, nil
		}
	}
}

// askDomain starts again for another address, at the places of its
// domain, as the answer's redirectAddr asks.
func (w *adWalk) askDomain(ctx context.Context, addr mailbox.Address) (*adAnswer, error) {
	var errs []error
	for _, u := range autodiscoverURLs(addr.ASCIIDomain) {
		a, err := w.ask(ctx, u, addr)
		if err == nil {
			return a, nil
		}
		errs = append(errs, fmt.Errorf("%s: %w", u, err))
		var ex *ExchangeOnlyError
		if errors.Is(err, errAutodiscoverHops) || errors.As(err, &ex) {
			break
		}
	}
	return nil, errors.Join(errs...)
}

// post sends the request for addr to rawURL over HTTPS, following HTTP
// redirects only to other HTTPS addresses, and reads the answer.
func (w *adWalk) post(ctx context.Context, rawURL string, addr mailbox.Address) ([]byte, *url.URL, error) {
	var request bytes.Buffer
	request.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" +
		`<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">` + "\n" +
		"  <Request>\n    <EMailAddress>")
	xml.EscapeText(&request, []byte(addr.ASCII()))
	request.WriteString("</EMailAddress>\n" +
		"    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>\n" +
		"  </Request>\n</Autodiscover>\n")
	c := w.client()
	for {
		u, err := url.Parse(rawURL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return nil, nil, fmt.Errorf("%w: %q", errLeftHTTPS, rawURL)
		}
		u.User = nil // a user and password in a redirect would go out as Basic auth
		resp, done, err := send(ctx, c, func(ctx context.Context) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(request.Bytes()))
			if err == nil {
				// outlook.com wants exactly this content type.
				req.Header.Set("Content-Type", "text/xml; charset=utf-8")
				req.Header.Set("Accept", "text/xml, application/xml;q=0.9, */*;q=0.1")
				req.Header.Set("User-Agent", "postino")
			}
			return req, err
		})
		if err != nil {
			return nil, nil, err
		}
		next, err := redirected(resp)
		if err != nil || next != nil {
			done()
			if err != nil {
				return nil, nil, err
			}
			if err := w.hop(); err != nil {
				return nil, nil, err
			}
			rawURL = next.String()
			continue
		}
		body, err := xmlBody(resp, true)
		done()
		return body, resp.Request.URL, err
	}
}

// autodiscoverXML is the answer of the 2006 response schema with the
// 2006a (Outlook) response inside. Names are matched without their
// namespaces, as servers are not all careful with them.
type autodiscoverXML struct {
	XMLName  xml.Name `xml:"Autodiscover"`
	Response struct {
		Error *struct {
			ErrorCode string `xml:"ErrorCode"`
			Message   string `xml:"Message"`
		} `xml:"Error"`
		Account *struct {
			Action       string        `xml:"Action"`
			RedirectAddr string        `xml:"RedirectAddr"`
			RedirectURL  string        `xml:"RedirectUrl"`
			Protocols    []protocolXML `xml:"Protocol"`
		} `xml:"Account"`
	} `xml:"Response"`
}

// protocolXML is one Protocol element: a mail server (IMAP, POP3, SMTP),
// or one of Exchange's own (EXCH, EXPR, EXHTTP, WEB, mapiHttp).
type protocolXML struct {
	Type           string   `xml:"Type"`
	TypeAttr       string   `xml:"Type,attr"`
	Server         string   `xml:"Server"`
	Port           string   `xml:"Port"`
	SSL            string   `xml:"SSL"`
	Encryption     string   `xml:"Encryption"`
	SPA            string   `xml:"SPA"`
	LoginName      string   `xml:"LoginName"`
	DomainRequired string   `xml:"DomainRequired"`
	DomainName     string   `xml:"DomainName"`
	EwsURL         string   `xml:"EwsUrl"`
	ASURL          string   `xml:"ASUrl"`
	OWAURL         []string `xml:"External>OWAUrl"`
	OWAURLInternal []string `xml:"Internal>OWAUrl"`
}

// adAnswer is what one Autodiscover answer says: settings, or where to
// ask next.
type adAnswer struct {
	addr         mailbox.Address // the address the settings are for
	incoming     []probe.Server
	outgoing     []probe.Server
	notes        []probe.Text
	redirectURL  string
	redirectAddr *mailbox.Address
	from         *url.URL // where the settings came from
}

// parseAutodiscover reads an Autodiscover answer for addr. An answer
// that names only Exchange's own protocols is an *ExchangeOnlyError.
func parseAutodiscover(data []byte, addr mailbox.Address) (*adAnswer, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = charsetReader
	var ad autodiscoverXML
	if err := dec.Decode(&ad); err != nil {
		return nil, fmt.Errorf("%w: %v", errNotAutodiscover, err)
	}
	if e := ad.Response.Error; e != nil {
		return nil, fmt.Errorf("the Autodiscover service answers error %s: %s", clean(e.ErrorCode), clean(e.Message))
	}
	acc := ad.Response.Account
	if acc == nil {
		return nil, fmt.Errorf("%w: no Account", errNotAutodiscover)
	}
	a := &adAnswer{addr: addr}
	switch strings.ToLower(strings.TrimSpace(acc.Action)) {
	case "redirecturl":
		u, err := url.Parse(strings.TrimSpace(acc.RedirectURL))
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return nil, fmt.Errorf("%w: redirectUrl %q", errLeftHTTPS, clean(acc.RedirectURL))
		}
		if _, ok := hostName(u.Hostname()); !ok {
			return nil, fmt.Errorf("%w: redirectUrl %q", errNotAutodiscover, clean(acc.RedirectURL))
		}
		a.redirectURL = u.String()
		return a, nil
	case "redirectaddr":
		to, err := mailbox.ParseAddress(strings.TrimSpace(acc.RedirectAddr))
		if err != nil {
			return nil, fmt.Errorf("%w: redirectAddr %q", errNotAutodiscover, clean(acc.RedirectAddr))
		}
		a.redirectAddr = &to
		return a, nil
	}
	s := &settings{}
	var in, out []probe.Server
	spa, exchange := false, false
	var exchangeHost string
	for _, p := range acc.Protocols {
		typ := strings.ToUpper(strings.TrimSpace(firstNonEmpty(p.Type, p.TypeAttr)))
		switch typ {
		case "IMAP", "POP3", "SMTP":
			srv, ok := p.server(typ, addr)
			if !ok {
				continue
			}
			list := &in
			if srv.Protocol == probe.SMTP {
				list = &out
			}
			if len(*list) < maxServers && !slices.ContainsFunc(*list, func(o probe.Server) bool { return sameServer(o, srv) }) {
				*list = append(*list, srv)
				spa = spa || strings.EqualFold(strings.TrimSpace(p.SPA), "on")
			}
		case "EXCH", "EXPR", "EXHTTP", "WEB", "MAPIHTTP":
			exchange = true
			if exchangeHost == "" {
				exchangeHost = p.exchangeHost()
			}
		}
	}
	a.incoming = s.secureFirst(in)
	a.outgoing = s.secureFirst(out)
	if len(in) == 0 && exchange {
		return nil, &ExchangeOnlyError{Host: exchangeHost}
	}
	if len(a.incoming) == 0 {
		return nil, errNoServer
	}
	a.notes = s.notes
	if spa {
		a.notes = append(a.notes, textAutodiscoverSPA)
	}
	return a, nil
}

// server is an IMAP, POP3 or SMTP Protocol element as a server. SSL says
// whether TLS is used and Encryption how: SSL for implicit TLS, TLS for
// STARTTLS; without Encryption the port decides, as Thunderbird does.
func (p protocolXML) server(typ string, addr mailbox.Address) (probe.Server, bool) {
	s := probe.Server{Protocol: probe.Protocol(strings.ToLower(typ)), Auth: probe.AuthPassword}
	host, ok := hostName(strings.TrimSpace(p.Server))
	if !ok {
		return s, false
	}
	s.Host = host
	port := 0
	if v := strings.TrimSpace(p.Port); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 65535 {
			return s, false
		}
		port = n
	}
	switch strings.ToLower(strings.TrimSpace(p.Encryption)) {
	case "none":
		s.Security = probe.None
	case "ssl":
		s.Security = probe.TLS
	case "tls":
		s.Security = probe.StartTLS
	default:
		switch {
		case strings.EqualFold(strings.TrimSpace(p.SSL), "off"):
			s.Security = probe.None
		case port == 143 || port == 110 || port == 587 || port == 25:
			s.Security = probe.StartTLS
		default:
			s.Security = probe.TLS
		}
	}
	s.Port = port
	if s.Port == 0 {
		s.Port = probe.DefaultPort(s.Protocol, s.Security)
	}
	s.Username = addr.ASCII()
	if login := clean(p.LoginName); login != "" && len(login) <= 256 {
		s.Username = login
		domain := clean(p.DomainName)
		if strings.EqualFold(strings.TrimSpace(p.DomainRequired), "on") && domain != "" && !strings.ContainsAny(login, `@\`) {
			s.Username = domain + `\` + login
		}
	}
	return s, true
}

// exchangeHost is the Exchange server's host name from one of Exchange's
// own Protocol elements: the host of its web services, else its Server
// when that is a host name (Microsoft 365 puts a mailbox GUID there).
func (p protocolXML) exchangeHost() string {
	for _, raw := range slices.Concat([]string{p.EwsURL, p.ASURL}, p.OWAURL, p.OWAURLInternal) {
		if u, err := url.Parse(strings.TrimSpace(raw)); err == nil && u.Host != "" {
			if h, ok := hostName(u.Hostname()); ok {
				return h
			}
		}
	}
	if h, ok := hostName(strings.TrimSpace(p.Server)); ok && strings.Contains(h, ".") {
		return h
	}
	return ""
}
