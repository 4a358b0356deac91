package wizard

import (
	"errors"
	"fmt"
	"strings"

	"github.com/postino/postino/wizard/mailbox"
)

// MaxPassword is the longest password postino takes, in bytes; a longer
// one is refused, never cut, so that what is tested and saved is what was
// typed.
const MaxPassword = 4096

// What CheckPassword refuses.
var (
	ErrEmptyPassword   = errors.New("the password is empty")
	ErrPasswordTooLong = fmt.Errorf("the password is longer than %d bytes", MaxPassword)
	// ErrPasswordControl is a NUL byte, which SASL PLAIN uses to separate
	// its fields, or a line break, which ends a command of IMAP, POP3 and
	// SMTP: either would change what the server is told.
	ErrPasswordControl = errors.New("the password contains a NUL byte or a line break")
)

// CheckPassword refuses a password that cannot be sent as it is: empty,
// over MaxPassword bytes, or with a NUL byte or a line break.
func CheckPassword(pw string) error {
	switch {
	case pw == "":
		return ErrEmptyPassword
	case len(pw) > MaxPassword:
		return ErrPasswordTooLong
	case strings.ContainsAny(pw, "\x00\r\n"):
		return ErrPasswordControl
	}
	return nil
}

// MayReceivePassword is the rule for who gets the person's password: the
// servers of settings the person vouches for (given as URLs, typed in the
// form, saved with an account, or chosen on the review: confirmed), and
// those of a trusted detection (the providers files, the ISP database, the
// domain's own autoconfig over HTTPS). Settings that rest on what anyone on
// the network could plant (DNS, plain HTTP, guesses) get no password until
// the person confirms them; nor are they saved. detected is nil when no
// detection was involved.
func MayReceivePassword(detected *mailbox.Detection, confirmed bool) bool {
	return confirmed || detected == nil || detected.Trusted
}
