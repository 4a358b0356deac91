package signin

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/postino/postino/probe"
)

// The pages the browser shows once the provider sends it back to postino.
var (
	pageSignedIn  = probe.Text{EN: "You are signed in. You can close this tab and go back to postino.", IT: "Accesso eseguito. Puoi chiudere questa scheda e tornare a postino."}
	pageDenied    = probe.Text{EN: "Access was not granted, so postino cannot sign in. You can close this tab.", IT: "L'accesso non è stato concesso, quindi postino non può entrare. Puoi chiudere questa scheda."}
	pageFailed    = probe.Text{EN: "The sign-in did not succeed; postino says why. You can close this tab.", IT: "L'accesso non è riuscito; postino ti dice perché. Puoi chiudere questa scheda."}
	pageWrongTab  = probe.Text{EN: "This page does not belong to the sign-in postino is waiting for. Go back to postino and open the address it shows.", IT: "Questa pagina non appartiene all'accesso che postino sta aspettando. Torna a postino e apri l'indirizzo che ti mostra."}
	pageSignInOff = probe.Text{EN: "postino is no longer waiting for this sign-in. You can close this tab.", IT: "postino non sta più aspettando questo accesso. Puoi chiudere questa scheda."}
)

// shutdownWait is how long the loopback server is given to send its last
// page once the sign-in is over.
const shutdownWait = 2 * time.Second

// callback is the provider's redirect with a matching state, handed from
// the loopback server to Browser; Browser answers with the page to show.
type callback struct {
	query url.Values
	page  chan<- probe.Text
}

// Browser signs in with the authorization code flow and PKCE: it listens
// on 127.0.0.1 for the provider's redirect, calls show with the address to
// open (always) and open with it (when given; its error is ignored, since
// show has told the person already), then trades the code for a token. A
// redirect whose state is not this sign-in's is answered with an error page
// and the wait goes on; a refusal is ErrDenied. The browser's last page is
// in lang.
func Browser(ctx context.Context, cfg Config, client *http.Client, lang probe.Lang, open func(url string) error, show func(url string)) (Token, error) {
	if err := cfg.check(cfg.AuthorizationURL, cfg.TokenURL); err != nil {
		return Token{}, fmt.Errorf("browser sign-in: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return Token{}, fmt.Errorf("browser sign-in: listening on 127.0.0.1: %w", err)
	}
	redirect := fmt.Sprintf("http://127.0.0.1:%d/", ln.Addr().(*net.TCPAddr).Port)
	state, verifier := random(), random()
	authURL, err := authorizationURL(cfg, redirect, state, verifier)
	if err != nil {
		ln.Close()
		return Token{}, fmt.Errorf("browser sign-in: %w", err)
	}

	callbacks := make(chan callback)
	over := make(chan struct{})
	srv := &http.Server{
		Handler:           loopback(state, lang, callbacks, over),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go srv.Serve(ln)
	defer func() {
		close(over)
		sctx, cancel := context.WithTimeout(context.Background(), shutdownWait)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			srv.Close()
		}
	}()

	show(authURL)
	if open != nil {
		_ = open(authURL)
	}
	var cb callback
	select {
	case <-ctx.Done():
		return Token{}, fmt.Errorf("browser sign-in: %w", ctx.Err())
	case cb = <-callbacks:
	}
	t, err := finish(ctx, cfg, client, cb.query, redirect, verifier)
	switch {
	case err == nil:
		cb.page <- pageSignedIn
	case errors.Is(err, ErrDenied):
		cb.page <- pageDenied
	default:
		cb.page <- pageFailed
	}
	if err != nil {
		return Token{}, fmt.Errorf("browser sign-in: %w", err)
	}
	return t, nil
}

// finish reads the provider's redirect and trades its code for a token.
func finish(ctx context.Context, cfg Config, client *http.Client, q url.Values, redirect, verifier string) (Token, error) {
	if code := q.Get("error"); code != "" {
		if code == "access_denied" {
			return Token{}, ErrDenied
		}
		return Token{}, fmt.Errorf("the provider answered %s", probe.Sanitize(code))
	}
	code := q.Get("code")
	if code == "" {
		return Token{}, errors.New("the provider's redirect holds no code")
	}
	t, err := token(ctx, cfg, client, url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"redirect_uri":  {redirect},
		"code_verifier": {verifier},
	})
	if err != nil {
		return Token{}, fmt.Errorf("code exchange: %w", err)
	}
	return t, nil
}

// authorizationURL is the provider's authorization endpoint with the
// request's parameters added to any it has.
func authorizationURL(cfg Config, redirect, state, verifier string) (string, error) {
	u, err := url.Parse(cfg.AuthorizationURL)
	if err != nil {
		return "", fmt.Errorf("the authorization URL: %w", err)
	}
	sum := sha256.Sum256([]byte(verifier))
	q := u.Query()
	q.Set("response_type", "code")
	q.Set("client_id", cfg.ClientID)
	q.Set("redirect_uri", redirect)
	if len(cfg.Scopes) > 0 {
		q.Set("scope", strings.Join(cfg.Scopes, " "))
	}
	q.Set("state", state)
	q.Set("code_challenge", base64.RawURLEncoding.EncodeToString(sum[:]))
	q.Set("code_challenge_method", "S256")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// random is 32 random bytes in base64url: a state or a PKCE verifier (43
// characters, RFC 7636 section 4.1).
func random() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// loopback answers the browser on the redirect address: a redirect with
// this sign-in's state goes to Browser, which says what page to show;
// anything else gets an error page and changes nothing.
func loopback(state string, lang probe.Lang, callbacks chan<- callback, over <-chan struct{}) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The address holds the code: keep it out of caches and referrers.
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		q := r.URL.Query()
		if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(state)) != 1 {
			page(w, http.StatusBadRequest, lang, pageWrongTab)
			return
		}
		reply := make(chan probe.Text, 1)
		select {
		case callbacks <- callback{query: q, page: reply}:
		case <-over:
			page(w, http.StatusGone, lang, pageSignInOff)
			return
		case <-r.Context().Done():
			return
		}
		// Browser answers every callback it takes.
		page(w, http.StatusOK, lang, <-reply)
	})
}

// page writes a short HTML page holding text in lang.
func page(w http.ResponseWriter, status int, lang probe.Lang, text probe.Text) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html>\n<html lang=%q><meta charset=\"utf-8\"><title>postino</title>\n<p>%s</p>\n</html>\n",
		string(lang), html.EscapeString(text.In(lang)))
}
