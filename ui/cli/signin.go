package cli

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/ui"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/providers"
	"github.com/postino/postino/wizard/signin"
	"golang.org/x/term"
)

// signIn gets an access token from the provider p's sign-in: the device
// flow where the provider offers it (a code to type on any device, a
// phone included), else the browser on a loopback redirect. Every prompt
// goes to stderr; the token goes nowhere but into the probe's options.
// A wait bounded by --timeout ends with the timeout, else with the code.
func (e *env) signIn(ctx context.Context, p *providers.Provider, roots *x509.CertPool, noBrowser bool) (signin.Token, int) {
	if p == nil || p.OAuth2 == nil {
		return signin.Token{}, e.say(exitFailed, textSignInUnknown)
	}
	cfg := wizard.SignInConfig(p.OAuth2)
	if cfg.ClientID == "" {
		x := probe.Explain(probe.Result{Code: probe.CodeOAuthNotConfigured, Failure: &probe.Failure{Code: probe.CodeOAuthNotConfigured}}, nil, e.lang)
		return signin.Token{}, e.say(exitFailed, textSignInNotConfigured, p.Name, x.Fix[0])
	}
	client := e.signinHTTP(roots)
	tok, err := signin.SignIn(ctx, cfg, client, e.lang, !noBrowser, func(d signin.DevicePrompt) {
		if d.UserCode == "" {
			e.say(exitOK, textSignInBrowser, p.Name)
			fmt.Fprintln(e.stderr, d.VerificationURI)
			return
		}
		e.say(exitOK, textSignInDevice, p.Name, d.VerificationURI, d.UserCode)
		if d.VerificationURIComplete != "" {
			e.say(exitOK, textSignInDirect, d.VerificationURIComplete)
			if f, ok := e.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
				// For a phone's camera; most terminals are dark, and
				// phones read an inverted code too.
				fmt.Fprintln(e.stderr, ui.QRBlocks(d.VerificationURIComplete, true))
			}
		}
	})
	switch {
	case err == nil:
		return tok, exitOK
	case errors.Is(err, signin.ErrDenied):
		return tok, e.say(exitFailed, textSignInDenied, p.Name)
	case errors.Is(err, signin.ErrExpired), errors.Is(err, context.DeadlineExceeded):
		return tok, e.say(exitFailed, textSignInExpired)
	case errors.Is(err, context.Canceled):
		return tok, exitInterrupted
	}
	return tok, e.say(exitFailed, textSignInFailed, p.Name, err)
}

// signinHTTP is the HTTP client of the sign-in: the test's, else one that
// trusts the system's roots and roots.
func (e *env) signinHTTP(roots *x509.CertPool) *http.Client {
	if e.signinClient != nil {
		return e.signinClient
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: probe.TLSConfig(roots, true)}}
}

// Sentences of the sign-in.
var (
	textSignInDevice         = probe.Text{EN: "To sign in to %s, open %s on any device (a phone will do) and enter the code %s.", IT: "Per accedere a %s, apri %s su qualsiasi dispositivo (va bene anche il telefono) e inserisci il codice %s."}
	textSignInDirect         = probe.Text{EN: "Or open this address, which has the code in it: %s", IT: "Oppure apri questo indirizzo, che contiene già il codice: %s"}
	textSignInBrowser        = probe.Text{EN: "Sign in to %s in your browser; if it does not open, open this address:", IT: "Accedi a %s nel browser; se non si apre, apri questo indirizzo:"}
	textSignInDenied         = probe.Text{EN: "Sign-in to %s was denied: nothing was tested with it.", IT: "L'accesso a %s è stato negato: non è stato provato nulla."}
	textSignInExpired        = probe.Text{EN: "The sign-in expired before it was completed: run the command again and sign in within the time shown.", IT: "L'accesso è scaduto prima di essere completato: esegui di nuovo il comando e accedi entro il tempo indicato."}
	textSignInFailed         = probe.Text{EN: "Sign-in to %s failed: %v.", IT: "L'accesso a %s non è riuscito: %v."}
	textSignInUnknown        = probe.Text{EN: "These servers sign in with OAuth2, but no provider in postino's list or the providers files says how: give the provider's sign-in in a providers file (docs/oauth2.md).", IT: "Questi server richiedono l'accesso OAuth2, ma nessun provider nell'elenco di postino o nei file dei provider dice come farlo: indica l'accesso del provider in un file dei provider (docs/oauth2.md)."}
	textSignInNotConfigured  = probe.Text{EN: "%s signs in with OAuth2, and postino has no client ID for it. %s", IT: "%s richiede l'accesso con OAuth2, e postino non ha un ID client per farlo. %s"}
	textStoreSavedSignIn     = probe.Text{EN: "Saved %s; its sign-in is in the keyring (service %s, user %s): postino token prints a fresh access token.", IT: "Salvato %s; il suo accesso è nel portachiavi (servizio %s, utente %s): postino token stampa un token di accesso nuovo."}
	textStoreSavedKeptSignIn = probe.Text{EN: "Saved %s; its sign-in in the keyring is kept.", IT: "Salvato %s; il suo accesso nel portachiavi resta quello di prima."}
	textStoreSavedNoRefresh  = probe.Text{EN: "Saved %s, but the provider gave no refresh token to keep: sign in with postino login %s when you need a token.", IT: "Salvato %s, ma il provider non ha fornito un token di aggiornamento da conservare: accedi con postino login %s quando ti serve un token."}
	textStoreSavedSignInDown = probe.Text{EN: "Saved %s without its sign-in: once the keyring works, sign in again with postino login %s.", IT: "Salvato %s senza il suo accesso: quando il portachiavi funziona, accedi di nuovo con postino login %s."}
)
