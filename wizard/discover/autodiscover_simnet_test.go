package discover

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/postino/postino/wizard/mailbox"
)

// adLog records what reached the Autodiscover pages, to check that only
// the POX request was sent: over HTTPS, without credentials.
type adLog struct {
	mu       sync.Mutex
	requests []string // "METHOD URL address"
	problems []string
}

func (l *adLog) add(request, problem string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.requests = append(l.requests, request)
	if problem != "" {
		l.problems = append(l.problems, request+": "+problem)
	}
}

// check fails the test for every badly sent request.
func (l *adLog) check(t *testing.T) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, p := range l.problems {
		t.Error(p)
	}
}

func (l *adLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.requests)
}

// adPage answers the POX request for want at rawURL with answer.
func (l *adLog) adPage(n *simnet, rawURL, want string, answer http.HandlerFunc) {
	n.page(rawURL, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		addr, _, _ := strings.Cut(string(body), "</EMailAddress>")
		_, addr, _ = strings.Cut(addr, "<EMailAddress>")
		var problem []string
		if r.Method != http.MethodPost || r.TLS == nil {
			problem = append(problem, "not a POST over HTTPS")
		}
		if r.Header.Get("Authorization") != "" || r.URL.User != nil {
			problem = append(problem, "credentials sent")
		}
		if r.Header.Get("Content-Type") != "text/xml; charset=utf-8" {
			problem = append(problem, "content type "+r.Header.Get("Content-Type"))
		}
		if !strings.Contains(string(body), `<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">`) ||
			!strings.Contains(string(body), "<AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>") {
			problem = append(problem, "not the 2006 request: "+string(body))
		}
		if addr != want {
			problem = append(problem, fmt.Sprintf("address %q, want %q", addr, want))
		}
		l.add(r.Method+" "+rawURL+" "+addr, strings.Join(problem, "; "))
		answer(w, r)
	})
}

// httpPage serves h at a plain HTTP rawURL, which must be asked with a
// bodiless GET.
func (l *adLog) httpPage(n *simnet, rawURL string, h http.HandlerFunc) {
	n.page(rawURL, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		problem := ""
		if r.Method != http.MethodGet || len(body) > 0 || r.URL.RawQuery != "" || r.Header.Get("Authorization") != "" {
			problem = fmt.Sprintf("plain HTTP got %s with %d bytes, query %q", r.Method, len(body), r.URL.RawQuery)
		}
		l.add(r.Method+" "+rawURL, problem)
		h(w, r)
	})
}

// xmlAnswer answers body as XML.
func xmlAnswer(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		fmt.Fprint(w, body)
	}
}

func redirectTo(to string, code int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, code) }
}

const (
	adHostURL   = "https://autodiscover.posta.example/autodiscover/autodiscover.xml"
	adDomainURL = "https://posta.example/autodiscover/autodiscover.xml"
	adHTTPURL   = "http://autodiscover.posta.example/autodiscover/autodiscover.xml"
)

func TestAutodiscoverOverHTTPS(t *testing.T) {
	t.Parallel()
	for _, at := range []string{adHostURL, adDomainURL} {
		t.Run(at, func(t *testing.T) {
			t.Parallel()
			n := newSimnet(t, 0)
			var log adLog
			log.adPage(n, at, "anna@posta.example", xmlAnswer(adSettings("posta.example")))
			r, ev, err := discover(t, n, "anna@posta.example", nil)
			if err != nil {
				t.Fatalf("Discover() = %v", err)
			}
			log.check(t)
			if r.Source != mailbox.SourceAutodiscover || !r.Trusted || r.Provider != nil {
				t.Errorf("Discover() = source %s, trusted %v, provider %v; want autodiscover, trusted", r.Source, r.Trusted, r.Provider)
			}
			wantServers(t, "incoming", r.Incoming, "imaps://imap.posta.example:993", "pop3s://pop.posta.example:995")
			wantServers(t, "outgoing", r.Outgoing, "smtp://smtp.posta.example:587")
			if len(r.Hints) != 0 {
				t.Errorf("hints = %v", r.Hints)
			}
			if got := ev.final()[mailbox.SourceAutodiscover]; got != mailbox.SourceFound {
				t.Errorf("autodiscover ended %v, want mailbox.SourceFound", got)
			}
			if log.count() != 1 {
				t.Errorf("requests %v", log.requests)
			}
		})
	}
}

// An HTTPS redirect is followed with the same POST; off the domain, the
// answer needs confirmation.
func TestAutodiscoverHTTPSRedirect(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	var log adLog
	log.adPage(n, adHostURL, "anna@posta.example", redirectTo("https://ad.hoster.example/autodiscover/autodiscover.xml", http.StatusFound))
	log.adPage(n, "https://ad.hoster.example/autodiscover/autodiscover.xml", "anna@posta.example", xmlAnswer(adSettings("hoster.example")))
	r, _, err := discover(t, n, "anna@posta.example", nil)
	if err != nil {
		t.Fatalf("Discover() = %v", err)
	}
	log.check(t)
	if r.Source != mailbox.SourceAutodiscover || r.Trusted {
		t.Errorf("Discover() = source %s, trusted %v; want autodiscover, untrusted", r.Source, r.Trusted)
	}
	if !slices.Contains(r.Hints, hint(textAutodiscoverElsewhere, "ad.hoster.example")) {
		t.Errorf("hints = %v, want the other host named", r.Hints)
	}
}

func TestAutodiscoverPlainHTTPRedirect(t *testing.T) {
	t.Parallel()
	t.Run("to a hoster", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		var log adLog
		hoster := "https://autodiscover.hoster.example/autodiscover/autodiscover.xml"
		log.httpPage(n, adHTTPURL, redirectTo("http://autodiscover.posta.example/moved", http.StatusMovedPermanently))
		log.httpPage(n, "http://autodiscover.posta.example/moved", redirectTo(hoster, http.StatusFound))
		log.adPage(n, hoster, "anna@posta.example", xmlAnswer(adSettings("hoster.example")))
		r, _, err := discover(t, n, "anna@posta.example", nil)
		if err != nil {
			t.Fatalf("Discover() = %v", err)
		}
		log.check(t)
		if r.Source != mailbox.SourceAutodiscover || r.Trusted {
			t.Errorf("Discover() = source %s, trusted %v; want autodiscover, untrusted", r.Source, r.Trusted)
		}
		wantServers(t, "incoming", r.Incoming, "imaps://imap.hoster.example:993", "pop3s://pop.hoster.example:995")
		if !slices.Contains(r.Hints, hint(textAutodiscoverElsewhere, "autodiscover.hoster.example")) {
			t.Errorf("hints = %v, want the hoster named", r.Hints)
		}
		if log.count() != 3 {
			t.Errorf("requests %v", log.requests)
		}
	})
	t.Run("to the domain's own host", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		var log adLog
		own := "https://mail.posta.example/autodiscover/autodiscover.xml"
		log.httpPage(n, adHTTPURL, redirectTo(own, http.StatusFound))
		log.adPage(n, own, "anna@posta.example", xmlAnswer(adSettings("posta.example")))
		r, _, err := discover(t, n, "anna@posta.example", nil)
		if err != nil {
			t.Fatalf("Discover() = %v", err)
		}
		log.check(t)
		if r.Source != mailbox.SourceAutodiscover || !r.Trusted || len(r.Hints) != 0 {
			t.Errorf("Discover() = source %s, trusted %v, hints %v; want autodiscover, trusted: HTTPS from the domain's host", r.Source, r.Trusted, r.Hints)
		}
	})
	t.Run("its content is never read", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		var log adLog
		log.httpPage(n, adHTTPURL, xmlAnswer(adSettings("posta.example")))
		_, _, err := discover(t, n, "anna@posta.example", nil)
		log.check(t)
		if !errors.Is(err, ErrNotFound) || !errors.Is(err, errNoHTTPSRedirect) {
			t.Errorf("Discover() = %v, want not found: no redirect to HTTPS", err)
		}
	})
}

func TestAutodiscoverSRV(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	var log adLog
	n.srv("autodiscover", "posta.example", 0, 0, 443, "ad.hoster.example.")
	log.adPage(n, "https://ad.hoster.example/autodiscover/autodiscover.xml", "anna@posta.example", xmlAnswer(adSettings("hoster.example")))
	r, _, err := discover(t, n, "anna@posta.example", nil)
	if err != nil {
		t.Fatalf("Discover() = %v", err)
	}
	log.check(t)
	if r.Source != mailbox.SourceAutodiscover || r.Trusted {
		t.Errorf("Discover() = source %s, trusted %v; want autodiscover, untrusted", r.Source, r.Trusted)
	}
	wantServers(t, "outgoing", r.Outgoing, "smtp://smtp.hoster.example:587")
	if !slices.Contains(r.Hints, hint(textAutodiscoverElsewhere, "ad.hoster.example")) {
		t.Errorf("hints = %v, want the SRV target named", r.Hints)
	}
}

func TestAutodiscoverRedirectAddr(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	var log adLog
	log.adPage(n, adHostURL, "anna@posta.example", xmlAnswer(adResponse(`<Action>redirectAddr</Action><RedirectAddr>anna.rossi@gruppo.example</RedirectAddr>`)))
	log.adPage(n, "https://autodiscover.gruppo.example/autodiscover/autodiscover.xml", "anna.rossi@gruppo.example",
		xmlAnswer(adResponse(`<Action>settings</Action><Protocol><Type>IMAP</Type><Server>imap.gruppo.example</Server><Port>993</Port><SSL>on</SSL></Protocol>`)))
	r, _, err := discover(t, n, "anna@posta.example", nil)
	if err != nil {
		t.Fatalf("Discover() = %v", err)
	}
	log.check(t)
	if r.Source != mailbox.SourceAutodiscover || r.Trusted {
		t.Errorf("Discover() = source %s, trusted %v; want autodiscover, untrusted: another domain answered", r.Source, r.Trusted)
	}
	wantServers(t, "incoming", r.Incoming, "imaps://imap.gruppo.example:993")
	if r.Incoming[0].Username != "anna.rossi@gruppo.example" {
		t.Errorf("username %q, want the address the answer was for", r.Incoming[0].Username)
	}
	if !slices.Contains(r.Hints, hint(textAutodiscoverAddress, "anna.rossi@gruppo.example")) ||
		!slices.Contains(r.Hints, hint(textAutodiscoverElsewhere, "autodiscover.gruppo.example")) {
		t.Errorf("hints = %v", r.Hints)
	}
}

func TestAutodiscoverRedirectURL(t *testing.T) {
	t.Parallel()
	t.Run("HTTPS is followed", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		var log adLog
		own := "https://mail.posta.example/ews/autodiscover.xml"
		log.adPage(n, adHostURL, "anna@posta.example", xmlAnswer(adResponse(`<Action>redirectUrl</Action><RedirectUrl>`+own+`</RedirectUrl>`)))
		log.adPage(n, own, "anna@posta.example", xmlAnswer(adSettings("posta.example")))
		r, _, err := discover(t, n, "anna@posta.example", nil)
		if err != nil {
			t.Fatalf("Discover() = %v", err)
		}
		log.check(t)
		if r.Source != mailbox.SourceAutodiscover || !r.Trusted {
			t.Errorf("Discover() = source %s, trusted %v; want autodiscover, trusted", r.Source, r.Trusted)
		}
		wantServers(t, "incoming", r.Incoming, "imaps://imap.posta.example:993", "pop3s://pop.posta.example:995")
	})
	t.Run("plain HTTP is not", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		var log adLog
		log.adPage(n, adHostURL, "anna@posta.example", xmlAnswer(adResponse(`<Action>redirectUrl</Action><RedirectUrl>http://mail.posta.example/autodiscover.xml</RedirectUrl>`)))
		log.httpPage(n, "http://mail.posta.example/autodiscover.xml", xmlAnswer(adSettings("posta.example")))
		_, _, err := discover(t, n, "anna@posta.example", nil)
		log.check(t)
		if !errors.Is(err, ErrNotFound) || !errors.Is(err, errLeftHTTPS) {
			t.Errorf("Discover() = %v, want not found: the redirect leaves HTTPS", err)
		}
		if log.count() != 1 {
			t.Errorf("requests %v", log.requests)
		}
	})
	t.Run("an HTTP redirect to plain HTTP is not", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		var log adLog
		log.adPage(n, adHostURL, "anna@posta.example", redirectTo("http://mail.posta.example/autodiscover.xml", http.StatusTemporaryRedirect))
		log.httpPage(n, "http://mail.posta.example/autodiscover.xml", xmlAnswer(adSettings("posta.example")))
		_, _, err := discover(t, n, "anna@posta.example", nil)
		log.check(t)
		if !errors.Is(err, ErrNotFound) || !errors.Is(err, errLeftHTTPS) {
			t.Errorf("Discover() = %v, want not found: the redirect leaves HTTPS", err)
		}
	})
}

func TestAutodiscoverLoops(t *testing.T) {
	t.Parallel()
	t.Run("redirectUrl", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		var log adLog
		log.adPage(n, adHostURL, "anna@posta.example", xmlAnswer(adResponse(`<Action>redirectUrl</Action><RedirectUrl>`+adDomainURL+`</RedirectUrl>`)))
		log.adPage(n, adDomainURL, "anna@posta.example", xmlAnswer(adResponse(`<Action>redirectUrl</Action><RedirectUrl>`+adHostURL+`</RedirectUrl>`)))
		_, _, err := discover(t, n, "anna@posta.example", nil)
		log.check(t)
		if !errors.Is(err, ErrNotFound) || !errors.Is(err, errAutodiscoverLoop) {
			t.Errorf("Discover() = %v, want not found: a loop", err)
		}
		if log.count() != 4 { // each attempt asks each place once
			t.Errorf("requests %v", log.requests)
		}
	})
	t.Run("redirectAddr", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		var log adLog
		log.adPage(n, adHostURL, "anna@posta.example", xmlAnswer(adResponse(`<Action>redirectAddr</Action><RedirectAddr>anna@posta.example</RedirectAddr>`)))
		_, _, err := discover(t, n, "anna@posta.example", nil)
		log.check(t)
		if !errors.Is(err, ErrNotFound) || !errors.Is(err, errAutodiscoverLoop) {
			t.Errorf("Discover() = %v, want not found: a loop", err)
		}
	})
	t.Run("HTTP redirects without end", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		var log adLog
		hops := 0
		var mu sync.Mutex
		log.adPage(n, adHostURL, "anna@posta.example", func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			hops++
			to := fmt.Sprintf("%s?hop=%d", adHostURL, hops)
			mu.Unlock()
			http.Redirect(w, r, to, http.StatusPermanentRedirect)
		})
		_, _, err := discover(t, n, "anna@posta.example", nil)
		log.check(t)
		if !errors.Is(err, ErrNotFound) || !errors.Is(err, errAutodiscoverHops) {
			t.Errorf("Discover() = %v, want not found: too many redirects", err)
		}
		if got := log.count(); got != maxAutodiscoverHops+1 {
			t.Errorf("%d requests, want %d", got, maxAutodiscoverHops+1)
		}
	})
}

func TestAutodiscoverRefusesBadAnswers(t *testing.T) {
	t.Parallel()
	huge := adResponse(`<Action>settings</Action>` + strings.Repeat("<Protocol><Type>WEB</Type></Protocol>", maxBody/30) +
		`<Protocol><Type>IMAP</Type><Server>mail.posta.example</Server><Port>993</Port></Protocol>`)
	for _, c := range []struct {
		name   string
		answer http.HandlerFunc
		want   error
	}{
		{"oversized", xmlAnswer(huge), errTooLarge},
		{"HTML", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body>Welcome to nginx!</body></html>")
		}, errNotXML},
		{"garbage", xmlAnswer("\x00\x01\x02 not XML at all"), errNotAutodiscover},
		{"unauthorized", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("WWW-Authenticate", `Basic realm="autodiscover"`)
			http.Error(w, "401 Unauthorized", http.StatusUnauthorized)
		}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			n := newSimnet(t, 0)
			var log adLog
			log.adPage(n, adHostURL, "anna@posta.example", c.answer)
			_, _, err := discover(t, n, "anna@posta.example", nil)
			log.check(t)
			if !errors.Is(err, ErrNotFound) || c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("Discover() = %v, want not found: %v", err, c.want)
			}
			if log.count() != 1 {
				t.Errorf("requests %v", log.requests)
			}
		})
	}
}

func TestAutodiscoverExchangeOnly(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	var log adLog
	log.adPage(n, "https://autodiscover.contoso.example/autodiscover/autodiscover.xml", "first.last@contoso.example",
		xmlAnswer(strings.ReplaceAll(adExchange, "contoso.com", "contoso.example")))
	_, ev, err := discover(t, n, "first.last@contoso.example", nil)
	log.check(t)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Discover() = %v, want ErrNotFound with Exchange's advice", err)
	}
	want := hint(textExchangeOnlyAt, "mail.contoso.example")
	if got := Advice(err); len(got) != 1 || got[0] != want {
		t.Errorf("Advice() = %v, want %v", got, want)
	}
	if got := ev.final()[mailbox.SourceAutodiscover]; got != mailbox.SourceNotFound {
		t.Errorf("autodiscover ended %v, want mailbox.SourceNotFound", got)
	}

	// The wizard's flow gets the advice with no servers.
	cfg := n.config()
	cfg.Catalog = catalog
	det, err := Detector{Config: *cfg}.Detect(context.Background(), "first.last@contoso.example", nil)
	if err != nil || len(det.Incoming) != 0 || len(det.Hints) != 1 || det.Hints[0] != want {
		t.Errorf("Detect() = %+v, %v; want no servers and the Exchange hint", det, err)
	}
}

// Thunderbird asks autoconfig before Autodiscover: a trusted autoconfig
// wins; Autodiscover over HTTPS wins over SRV.
func TestAutodiscoverRank(t *testing.T) {
	t.Parallel()
	t.Run("autoconfig first", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		var log adLog
		n.xmlPage("https://autoconfig.posta.example/mail/config-v1.1.xml", autoconfigXML("posta.example"))
		log.adPage(n, adHostURL, "anna@posta.example", xmlAnswer(adSettings("posta.example")))
		r, _, err := discover(t, n, "anna@posta.example", nil)
		if err != nil || r.Source != mailbox.SourceAutoconfig {
			t.Fatalf("Discover() = %v, %v; want autoconfig", r, err)
		}
	})
	t.Run("before SRV", func(t *testing.T) {
		t.Parallel()
		n := newSimnet(t, 0)
		var log adLog
		n.srv("imaps", "posta.example", 0, 0, 993, "imap.posta.example.")
		log.adPage(n, adDomainURL, "anna@posta.example", xmlAnswer(adSettings("posta.example")))
		r, _, err := discover(t, n, "anna@posta.example", nil)
		if err != nil || r.Source != mailbox.SourceAutodiscover {
			t.Fatalf("Discover() = %v, %v; want autodiscover", r, err)
		}
	})
}

// A redirect that carries a user and password does not make postino send
// them.
func TestAutodiscoverSendsNoCredentials(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	var log adLog
	own := "https://mail.posta.example/autodiscover/autodiscover.xml"
	log.adPage(n, adHostURL, "anna@posta.example", redirectTo("https://anna:secret@mail.posta.example/autodiscover/autodiscover.xml", http.StatusTemporaryRedirect))
	log.adPage(n, own, "anna@posta.example", xmlAnswer(adSettings("posta.example")))
	r, _, err := discover(t, n, "anna@posta.example", nil)
	if err != nil || r.Source != mailbox.SourceAutodiscover {
		t.Fatalf("Discover() = %v, %v; want autodiscover", r, err)
	}
	log.check(t) // no Authorization header reached either page
	if log.count() != 2 {
		t.Errorf("requests %v", log.requests)
	}
}

// An SRV record's port other than 443 is kept in the URL; the domain's own
// host answering makes the answer trusted.
func TestAutodiscoverSRVPort(t *testing.T) {
	t.Parallel()
	n := newSimnet(t, 0)
	var log adLog
	n.srv("autodiscover", "posta.example", 0, 0, 8443, "ad.posta.example.")
	log.adPage(n, "https://ad.posta.example/autodiscover/autodiscover.xml", "anna@posta.example", xmlAnswer(adSettings("posta.example")))
	n.route(n.host("ad.posta.example"), 8443, n.https.Listener.Addr().String())
	n.mu.Lock()
	delete(n.routes, n.ips["ad.posta.example"]+":443") // only the SRV's port answers
	n.mu.Unlock()
	r, _, err := discover(t, n, "anna@posta.example", nil)
	if err != nil {
		t.Fatalf("Discover() = %v", err)
	}
	log.check(t)
	if r.Source != mailbox.SourceAutodiscover || !r.Trusted || len(r.Hints) != 0 {
		t.Errorf("Discover() = source %s, trusted %v, hints %v; want autodiscover, trusted", r.Source, r.Trusted, r.Hints)
	}
}
