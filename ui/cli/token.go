package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/providers"
	"github.com/postino/postino/wizard/signin"
	"github.com/postino/postino/wizard/store"
)

// token is postino token NAME: a fresh access token and a newline on
// stdout, for other mail clients' credential commands. It refreshes with
// the stored refresh token every time: no access token is kept on disk.
func (e *env) token(args []string) int {
	st, a, _, code := e.namedAccount("token", args)
	if code != exitOK {
		return code
	}
	if a.OAuth2 == nil {
		return e.say(exitFailed, textTokenNoSignIn, a.Name)
	}
	tok, code := e.refresh(e.ctx, st, a)
	if code != exitOK {
		return code
	}
	fmt.Fprintln(e.stdout, tok.AccessToken)
	return exitOK
}

// refresh gets a new access token for the saved account a with its
// refresh token, and stores a rotated one, under the store's lock so that
// two postino processes refreshing at once take turns.
func (e *env) refresh(ctx context.Context, st *store.Store, a store.Account) (signin.Token, int) {
	var tok signin.Token
	var signErr error // the provider's answer, as opposed to the store's
	err := st.UpdateRefreshToken(a.Name, func(a store.Account, current string) (string, error) {
		if current == "" {
			signErr = store.ErrNoRefreshToken
			return "", signErr
		}
		tok, signErr = signin.Refresh(ctx, savedConfig(a.OAuth2), e.signinHTTP(nil), current)
		return tok.RefreshToken, signErr
	})
	switch {
	case err == nil:
		return tok, exitOK
	case signErr == nil:
		return tok, e.storeFailed(st, err)
	case errors.Is(signErr, store.ErrNoRefreshToken), errors.Is(signErr, signin.ErrRevoked):
		return tok, e.say(exitFailed, textSignInAgain, a.Name)
	case errors.Is(signErr, context.Canceled):
		return tok, exitInterrupted
	}
	return tok, e.say(exitFailed, textSignInFailed, providerName(a), signErr)
}

// login is postino login NAME: sign in again to a saved account that signs
// in with OAuth2, and keep the new refresh token.
func (e *env) login(args []string) int {
	fs := flag.NewFlagSet("login", flag.ContinueOnError)
	noBrowser := fs.Bool("no-browser", false, "show the sign-in address, open nothing")
	timeout := fs.Duration("timeout", 0, "time allowed for the sign-in (default: as long as its code lasts)")
	fs.String("lang", "", "it or en")
	positional, err := e.parse(fs, args)
	if err != nil {
		return e.flagError(err)
	}
	if len(positional) != 1 {
		return e.say(exitUsage, textStoreWantName, "login")
	}
	if *timeout < 0 {
		return e.say(exitUsage, textBadFlag, "--timeout must be positive")
	}
	st, a, code := e.account(positional[0])
	if code != exitOK {
		return code
	}
	if a.OAuth2 == nil {
		return e.say(exitFailed, textTokenNoSignIn, a.Name)
	}
	ctx := e.ctx
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	p := &providers.Provider{Name: providerName(a), OAuth2: providerOAuth2(a.OAuth2)}
	tok, code := e.signIn(ctx, p, nil, *noBrowser)
	if code != exitOK {
		return code
	}
	if tok.RefreshToken == "" {
		return e.say(exitFailed, textSignInNoRefresh, p.Name)
	}
	err = st.UpdateRefreshToken(a.Name, func(store.Account, string) (string, error) { return tok.RefreshToken, nil })
	if err != nil {
		return e.storeFailed(st, err)
	}
	return e.say(exitOK, textLoginDone, a.Name, store.Service, store.RefreshKey(a.Address))
}

// providerName is how the sign-in names a saved account's provider.
func providerName(a store.Account) string {
	if a.Provider.Name != "" {
		return a.Provider.Name
	}
	return a.Address
}

// savedConfig is a saved account's sign-in settings as the sign-in takes
// them.
func savedConfig(o *store.OAuth2) signin.Config {
	return wizard.SignInConfig(providerOAuth2(o))
}

// providerOAuth2 is a saved account's sign-in settings as a provider's.
func providerOAuth2(o *store.OAuth2) *providers.OAuth2 {
	return &providers.OAuth2{
		ClientID: o.ClientID, ClientSecret: o.ClientSecret, TokenURL: o.TokenURL,
		DeviceAuthorizationURL: o.DeviceAuthorizationURL, AuthorizationURL: o.AuthorizationURL, Scopes: o.Scopes,
	}
}

// Sentences of token and login.
var (
	textSignInAgain     = probe.Text{EN: "The sign-in of %[1]s is no longer valid: sign in again: postino login %[1]s", IT: "L'accesso di %[1]s non è più valido: accedi di nuovo: postino login %[1]s"}
	textTokenNoSignIn   = probe.Text{EN: "%s does not sign in with OAuth2, or was saved without its sign-in settings: save it again with postino test ADDRESS --save.", IT: "%s non accede con OAuth2, oppure è stato salvato senza le impostazioni di accesso: salvalo di nuovo con postino test INDIRIZZO --save."}
	textSignInNoRefresh = probe.Text{EN: "%s gave no refresh token, so postino cannot sign in for you later: check that the scopes include offline access.", IT: "%s non ha fornito un token di aggiornamento, quindi postino non potrà accedere per te in seguito: controlla che gli ambiti includano l'accesso offline."}
	textLoginDone       = probe.Text{EN: "Signed in to %s again; the sign-in is in the keyring (service %s, user %s).", IT: "Accesso a %s rinnovato; l'accesso è nel portachiavi (servizio %s, utente %s)."}
)
