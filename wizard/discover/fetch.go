package discover

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"time"

	"github.com/postino/postino/wizard/mailbox"
	"golang.org/x/net/publicsuffix"
)

// Bounds on one autoconfig answer.
const (
	maxBody      = 1 << 20
	maxRedirects = 5
)

var (
	errTooLarge         = errors.New("answer larger than 1 MiB")
	errNotXML           = errors.New("answer is not XML")
	errTooManyRedirects = fmt.Errorf("more than %d redirects", maxRedirects)
	errLeftHTTPS        = errors.New("redirected to plain HTTP")
	errNoConnection     = fmt.Errorf("no connection within %v", connectWithin+greetWithin)
)

func limitRedirects(_ *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects {
		return errTooManyRedirects
	}
	return nil
}

// autoconfigURLs are the two places of a domain's own autoconfig file.
// Over plain HTTP the address is left out of the query, so that it does not
// cross the network in clear.
func autoconfigURLs(domain string, addr mailbox.Address, secure bool) []string {
	scheme, query := "https://", "?emailaddress="+url.QueryEscape(addr.ASCII())
	if !secure {
		scheme, query = "http://", ""
	}
	return []string{
		scheme + "autoconfig." + domain + "/mail/config-v1.1.xml" + query,
		scheme + domain + "/.well-known/autoconfig/mail/config-v1.1.xml" + query,
	}
}

// autoconfig asks both places of domain's autoconfig file at once, each an
// attempt at rank r; wrap makes a file's settings a result.
func (d *discovery) autoconfig(ctx context.Context, domain string, secure bool, r rank, wrap func(*settings) *Result) {
	for _, u := range autoconfigURLs(domain, d.addr, secure) {
		d.run(r, func() (*Result, error) {
			s, err := d.fetchSettings(ctx, u, domain, secure)
			if err != nil {
				return nil, err
			}
			return wrap(s), nil
		})
	}
}

// ispdb asks Thunderbird's ISP database about domain.
func (d *discovery) ispdb(ctx context.Context, domain string) (*settings, error) {
	return d.fetchSettings(ctx, ispdbURL+domain, domain, true)
}

// fetchSettings fetches and reads one autoconfig file. With secure, the
// answer must have come over HTTPS to the end; one that came from another
// domain than rawURL's, after a redirect, names it in the settings.
func (d *discovery) fetchSettings(ctx context.Context, rawURL, domain string, secure bool) (*settings, error) {
	body, from, err := d.fetch(ctx, rawURL, secure)
	if err == nil {
		var s *settings
		if s, err = parseAutoconfig(body, d.addr, domain); err == nil {
			s.redirectedTo = otherDomain(rawURL, from)
			return s, nil
		}
	}
	return nil, fmt.Errorf("%s: %w", rawURL, err)
}

// otherDomain is the registrable domain (example.net) of the URL an answer
// came from when it differs from the one asked's, else "".
func otherDomain(asked string, from *url.URL) string {
	u, err := url.Parse(asked)
	if err != nil || from == nil {
		return ""
	}
	if b := baseDomain(from.Hostname()); b != baseDomain(u.Hostname()) {
		return b
	}
	return ""
}

// baseDomain is host's registrable domain (example.com for
// mail.example.com), or host itself when it has none.
func baseDomain(host string) string {
	if b, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return b
	}
	return host
}

// fetch GETs rawURL, refusing an answer that is not a success, is HTML or
// another kind that is not XML, or is over maxBody; from is where the
// answer came from, after any redirects.
func (d *discovery) fetch(ctx context.Context, rawURL string, secure bool) (body []byte, from *url.URL, err error) {
	resp, done, err := send(ctx, d.client, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
		if err == nil {
			req.Header.Set("Accept", "application/xml, text/xml;q=0.9, */*;q=0.1")
			req.Header.Set("User-Agent", "postino")
		}
		return req, err
	})
	if err != nil {
		return nil, nil, err
	}
	defer done()
	if body, err = xmlBody(resp, secure); err != nil {
		return nil, nil, err
	}
	return body, resp.Request.URL, nil
}

// send sends the request newRequest makes for its context through c. The
// connection (and its TLS handshake) has the deadlines of a mail server's,
// whatever the HTTP client's own. done closes the answer once it is read.
func send(ctx context.Context, c *http.Client, newRequest func(context.Context) (*http.Request, error)) (resp *http.Response, done func(), err error) {
	ctx, cancel := context.WithCancelCause(ctx)
	slow := time.AfterFunc(connectWithin+greetWithin, func() { cancel(errNoConnection) })
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { slow.Stop() }})
	end := func() {
		slow.Stop()
		cancel(nil)
	}
	req, err := newRequest(ctx)
	if err != nil {
		end()
		return nil, nil, err
	}
	resp, err = c.Do(req)
	if err != nil {
		if context.Cause(ctx) == errNoConnection {
			err = errNoConnection
		}
		end()
		return nil, nil, err
	}
	return resp, func() {
		resp.Body.Close()
		end()
	}, nil
}

// xmlBody reads an answer that must be a success, XML and at most maxBody,
// and with secure must have come over HTTPS.
func xmlBody(resp *http.Response, secure bool) ([]byte, error) {
	switch {
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("HTTP status %s", resp.Status)
	case secure && (resp.Request.URL.Scheme != "https" || resp.TLS == nil):
		return nil, errLeftHTTPS
	case !xmlLike(resp.Header.Get("Content-Type")):
		return nil, fmt.Errorf("%w: %s", errNotXML, resp.Header.Get("Content-Type"))
	case resp.ContentLength > maxBody:
		return nil, errTooLarge
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxBody {
		return nil, errTooLarge
	}
	return body, nil
}

// xmlLike accepts the content types autoconfig files are served with:
// XML, and the vague ones of servers that do not know the file.
func xmlLike(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "text/xml" || mt == "application/xml" || strings.HasSuffix(mt, "+xml") && mt != "application/xhtml+xml" ||
		mt == "text/plain" || mt == "application/octet-stream"
}
