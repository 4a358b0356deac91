package wizard

import "github.com/postino/postino/wizard/mailbox"

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
