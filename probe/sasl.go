package probe

import (
	"encoding/base64"
	"errors"
	"slices"
	"strings"
)

// mechanisms postino can log in with, most preferred first. PLAIN fits in
// one round trip; LOGIN needs three and is there for servers without PLAIN.
var mechanisms = []string{"PLAIN", "LOGIN"}

// pickMechanism chooses the first mechanism of ours the server advertises.
func pickMechanism(advertised []string) string {
	for _, m := range mechanisms {
		if slices.ContainsFunc(advertised, func(a string) bool { return strings.EqualFold(a, m) }) {
			return m
		}
	}
	return ""
}

var errUnexpectedChallenge = errors.New("the server asked for more than the mechanism has to say")

// saslClient answers a SASL exchange for PLAIN or LOGIN.
type saslClient struct {
	mech, user, pass string
	step             int
}

// initial is the initial response: PLAIN says everything at once, LOGIN
// waits to be asked.
func (a *saslClient) initial() []byte {
	if a.mech == "PLAIN" {
		a.step++
		return []byte("\x00" + a.user + "\x00" + a.pass)
	}
	return nil
}

// next answers the server's challenge.
func (a *saslClient) next() ([]byte, error) {
	a.step++
	switch {
	case a.mech == "PLAIN" && a.step == 1:
		return []byte("\x00" + a.user + "\x00" + a.pass), nil
	case a.mech == "LOGIN" && a.step == 1:
		return []byte(a.user), nil
	case a.mech == "LOGIN" && a.step == 2:
		return []byte(a.pass), nil
	}
	return nil, errUnexpectedChallenge
}

// encode is base64, with "=" for an empty initial response (RFC 4954).
func encode(b []byte) string {
	if len(b) == 0 {
		return "="
	}
	return base64.StdEncoding.EncodeToString(b)
}
