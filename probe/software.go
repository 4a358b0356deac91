package probe

import (
	"regexp"
	"strings"
	"sync"
)

// Software is a server program recognised from its greeting or capabilities.
type Software struct {
	Name    string
	Version string
}

func (s Software) String() string {
	if s.Version == "" {
		return s.Name
	}
	return s.Name + " " + s.Version
}

// Courier reports whether the server is Courier, which some CRM mailbox
// integrations refuse to work with.
func (s Software) Courier() bool { return s.Name == "Courier" }

// signature recognises one program: by a pattern in the greeting (whose
// first group, if any, is the version) or by a capability only it has.
type signature struct {
	name     string
	greeting *regexp.Regexp
	caps     []string
}

// signatures are compiled at the first greeting recognised, not when
// postino starts: most runs never test a server.
var signatures = sync.OnceValue(func() []signature {
	return []signature{
		{name: "Gmail", greeting: regexp.MustCompile(`(?i)\bGimap\b|\bGpop\b|\bgsmtp\b|\bmx\.google\.com\b|\bsmtp\.gmail\.com\b`), caps: []string{"X-GM-EXT-1"}},
		{name: "Microsoft Exchange", greeting: regexp.MustCompile(`(?i)Microsoft Exchange|Microsoft ESMTP MAIL Service|outlook\.office365\.com|\.outlook\.com\b|\.protection\.outlook\.com`)},
		{name: "Dovecot", greeting: regexp.MustCompile(`(?i)\bDovecot\b(?: \(\w+\))?(?: v?(\d[\w.]*))?`)},
		{name: "Courier", greeting: regexp.MustCompile(`(?i)\bCourier-(?:IMAP|POP3)\b|\bCourier mail server\b|\bESMTP Courier\b`)},
		{name: "Cyrus", greeting: regexp.MustCompile(`(?i)\bCyrus (?:IMAP|POP3)\S*(?:[ v]+(\d[\w.-]*))?`)},
		{name: "Postfix", greeting: regexp.MustCompile(`(?i)\bESMTP Postfix\b|\bPostfix\b`)},
		{name: "Exim", greeting: regexp.MustCompile(`(?i)\bExim (\d[\w.]*)|\bExim\b`)},
		{name: "Sendmail", greeting: regexp.MustCompile(`(?i)\bSendmail (\d[\w./-]*)|\bSendmail\b`)},
		{name: "OpenSMTPD", greeting: regexp.MustCompile(`(?i)\bOpenSMTPD\b`)},
		{name: "qmail", greeting: regexp.MustCompile(`(?i)\bqmail\b`)},
		{name: "Zimbra", greeting: regexp.MustCompile(`(?i)\bZimbra\b`)},
		{name: "Stalwart", greeting: regexp.MustCompile(`(?i)\bStalwart\b`)},
		{name: "hMailServer", greeting: regexp.MustCompile(`(?i)\bhMailServer\b`)},
		{name: "MDaemon", greeting: regexp.MustCompile(`(?i)\bMDaemon (\d[\w.]*)|\bMDaemon\b`)},
		{name: "Kerio Connect", greeting: regexp.MustCompile(`(?i)\bKerio Connect (\d[\w.]*)|\bKerio\b`)},
		{name: "IceWarp", greeting: regexp.MustCompile(`(?i)\bIceWarp (\d[\w.]*)|\bIceWarp\b`)},
		{name: "Haraka", greeting: regexp.MustCompile(`(?i)\bHaraka (\d[\w.]*)|\bHaraka\b`)},
		{name: "UW IMAP", greeting: regexp.MustCompile(`(?i)\bIMAP4rev1 (\d{4}[\w.]*) at\b`)},
		{name: "Yahoo", greeting: regexp.MustCompile(`(?i)\byahoo\.com\b|\bymail\b`)},
		{name: "Yandex", greeting: regexp.MustCompile(`(?i)\bYandex\b`)},
		{name: "Zoho", greeting: regexp.MustCompile(`(?i)\bZoho\b`)},
		{name: "iCloud", greeting: regexp.MustCompile(`(?i)\bicloud\.com\b|\bme\.com\b`)},
		{name: "Fastmail", greeting: regexp.MustCompile(`(?i)\bfastmail\b|\bmessagingengine\.com\b`)},
	}
})

// Recognise names the server program behind a greeting and capabilities;
// the zero Software when nothing matches.
func Recognise(greeting string, caps []string) Software {
	if len(greeting) > maxLineLength {
		greeting = greeting[:maxLineLength]
	}
	for _, sig := range signatures() {
		for _, c := range caps {
			for _, want := range sig.caps {
				if strings.EqualFold(c, want) {
					return Software{Name: sig.name}
				}
			}
		}
		if m := sig.greeting.FindStringSubmatch(greeting); m != nil {
			s := Software{Name: sig.name}
			for _, v := range m[1:] {
				if v != "" {
					s.Version = Sanitize(v)
					break
				}
			}
			return s
		}
	}
	return Software{}
}
