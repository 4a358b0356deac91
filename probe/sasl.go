package probe

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The mechanisms postino can log in with, most preferred first. PLAIN
// fits in one round trip; LOGIN needs three and is there for servers
// without PLAIN. OAUTHBEARER (RFC 7628) is the standard for an OAuth2
// access token; XOAUTH2 is Google's and Microsoft's older form of it.
var (
	passwordMechanisms = []string{"PLAIN", "LOGIN"}
	tokenMechanisms    = []string{"OAUTHBEARER", "XOAUTH2"}
)

// pickMechanism chooses the first of ours the server advertises.
func pickMechanism(ours, advertised []string) string {
	for _, m := range ours {
		if slices.ContainsFunc(advertised, func(a string) bool { return strings.EqualFold(a, m) }) {
			return m
		}
	}
	return ""
}

var errUnexpectedChallenge = errors.New("the server asked for more than the mechanism has to say")

// saslClient answers a SASL exchange for PLAIN, LOGIN, OAUTHBEARER or
// XOAUTH2: with the password, or with the access token when token is set.
type saslClient struct {
	mech, user, secret string
	token              bool
	step               int
	// rejected is set once the server answered the token with an error
	// challenge: the token was refused, whatever reply ends the exchange.
	// status is what the challenge said ("invalid_token",
	// "insufficient_scope"), sanitised; "" if nothing.
	rejected bool
	status   string
}

// login is the SASL client for this conversation's credential: the access
// token for a server that takes OAuth2, else the password. Its mech is ""
// when the server advertises none of the credential's mechanisms.
func (c *conversation) login() *saslClient {
	a := &saslClient{user: c.server.Username, secret: c.opts.Password}
	ours := passwordMechanisms
	if c.server.Auth == AuthOAuth2 {
		a.secret, a.token, ours = c.opts.AccessToken, true, tokenMechanisms
	}
	a.mech = pickMechanism(ours, c.mechs)
	c.sasl = a
	return a
}

// credential is what the login would send: the access token for a server
// that takes OAuth2, else the password; "" means no login is tested.
func (c *conversation) credential() string {
	if c.server.Auth == AuthOAuth2 {
		return c.opts.AccessToken
	}
	return c.opts.Password
}

// loginRefused is the server's refusal of the credential: auth_failed for
// a password, oauth_token_rejected for a token, with the reason the
// server's error challenge gave, if any.
func (c *conversation) loginRefused(reply string) *Failure {
	f := refused(CodeAuthFailed, c.step, reply)
	if a := c.sasl; a != nil && a.token {
		f.Code = CodeOAuthTokenRejected
		if a.status != "" {
			f.Err = &tokenRejection{status: a.status}
		}
	}
	return f
}

// tokenRefused reports whether the server answered the token with an
// error challenge.
func (c *conversation) tokenRefused() bool {
	return c.sasl != nil && c.sasl.rejected
}

// tokenRejection is the reason a server gave for refusing a token.
type tokenRejection struct{ status string }

func (e *tokenRejection) Error() string {
	return fmt.Sprintf("the server refused the token (status %q)", e.status)
}

// credentials is everything the mechanism says in one message; nil for
// LOGIN, which is asked for the user name and the password in turn.
func (a *saslClient) credentials() []byte {
	switch a.mech {
	case "PLAIN":
		return []byte("\x00" + a.user + "\x00" + a.secret)
	case "OAUTHBEARER":
		// The GS2 header names the user (RFC 7628 3.1, RFC 5801 4).
		user := strings.NewReplacer("=", "=3D", ",", "=2C").Replace(a.user)
		return []byte("n,a=" + user + ",\x01auth=Bearer " + a.secret + "\x01\x01")
	case "XOAUTH2":
		return []byte("user=" + a.user + "\x01auth=Bearer " + a.secret + "\x01\x01")
	}
	return nil
}

// initial is the initial response: all but LOGIN say everything at once,
// LOGIN waits to be asked.
func (a *saslClient) initial() []byte {
	if b := a.credentials(); b != nil {
		a.step++
		return b
	}
	return nil
}

// next answers the server's decoded challenge; secret reports whether the
// answer carries the credential.
func (a *saslClient) next(challenge []byte) (resp []byte, secret bool, err error) {
	a.step++
	switch {
	case a.mech == "LOGIN" && a.step == 1:
		return []byte(a.user), true, nil
	case a.mech == "LOGIN" && a.step == 2:
		return []byte(a.secret), true, nil
	case a.step == 1:
		return a.credentials(), true, nil
	case a.token && a.step == 2:
		// A refused token gets a JSON error challenge, to be answered
		// with a lone ^A before the server gives its final refusal (RFC
		// 7628 3.2.2; Google and Microsoft do the same for XOAUTH2).
		a.rejected, a.status = true, tokenStatus(challenge)
		return []byte{0x01}, false, nil
	}
	return nil, false, errUnexpectedChallenge
}

// tokenStatus is the status of an OAuth2 error challenge, such as
// {"status":"invalid_token","scope":"..."}: short, and sanitised, since
// it is the server's text; "" if the challenge has none.
func tokenStatus(challenge []byte) string {
	var e struct {
		Status any `json:"status"`
	}
	if json.Unmarshal(challenge, &e) != nil {
		return ""
	}
	// Google says 401 or "401", others "invalid_token".
	var status string
	switch v := e.Status.(type) {
	case string:
		status = v
	case float64:
		status = strconv.FormatFloat(v, 'f', -1, 64)
	}
	if len(status) > 64 {
		return ""
	}
	return Sanitize(status)
}

// saslExchange runs a SASL exchange from its opening command (AUTHENTICATE
// or AUTH, with the initial response or not). roundTrip sends a line and
// returns the server's reply, with its base64 challenge when it asks for
// more. A challenge the mechanism has no answer to is cancelled with "*".
func saslExchange[R any](c *conversation, a *saslClient, open, shown string, roundTrip func(line, shown string) (R, string, bool, error)) (R, error) {
	r, challenge, more, err := roundTrip(open, shown)
	for rounds := 0; err == nil && more; rounds++ {
		decoded, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(challenge))
		resp, secret, nextErr := a.next(decoded)
		if nextErr != nil || rounds > 3 {
			if r, _, _, err = roundTrip("*", "*"); err == nil {
				err = refused(CodeProtocolError, c.step, challenge)
			}
			return r, err
		}
		line := encode(resp)
		shown := line
		if secret {
			shown = "[redacted]"
		}
		r, challenge, more, err = roundTrip(line, shown)
	}
	return r, err
}

// open is the command that opens the exchange: verb and mechanism, with
// the initial response when withInitial.
func (a *saslClient) open(verb string, withInitial bool) (line, shown string) {
	line = verb + " " + a.mech
	shown = line
	if withInitial {
		if ir := a.initial(); ir != nil {
			line, shown = line+" "+encode(ir), shown+" [redacted]"
		}
	}
	return line, shown
}

// encode is base64, with "=" for an empty initial response (RFC 4954).
func encode(b []byte) string {
	if len(b) == 0 {
		return "="
	}
	return base64.StdEncoding.EncodeToString(b)
}
