package providers

import (
	"strings"
	"testing"

	"github.com/postino/postino/probe"
)

// mxHosts is, for every MX pattern of providers.yaml, an MX host a
// provider really gives its customers' domains, with what postino must
// answer for it: the provider and its preferred servers.
var mxHosts = []struct {
	host     string
	id       string
	incoming string // first incoming server, as a URL
	outgoing string // first outgoing server, as a URL
	auth     probe.Auth
}{
	{"smtp.google.com", "google-workspace", "imaps://imap.gmail.com:993", "smtps://smtp.gmail.com:465", probe.AuthAppPassword},
	{"alt1.aspmx.l.google.com", "google-workspace", "imaps://imap.gmail.com:993", "smtps://smtp.gmail.com:465", probe.AuthAppPassword},
	{"aspmx2.googlemail.com", "google-workspace", "imaps://imap.gmail.com:993", "smtps://smtp.gmail.com:465", probe.AuthAppPassword},
	{"contoso-com.olc.protection.outlook.com", "outlook", "imaps://outlook.office365.com:993", "smtp://smtp-mail.outlook.com:587", probe.AuthOAuth2},
	{"contoso-com.mail.protection.outlook.com", "microsoft365", "imaps://outlook.office365.com:993", "smtp://smtp.office365.com:587", probe.AuthOAuth2},
	{"contoso-com.p-v1.mx.microsoft", "microsoft365", "imaps://outlook.office365.com:993", "smtp://smtp.office365.com:587", probe.AuthOAuth2},
	{"mx.zoho.com", "zoho-business", "imaps://imappro.zoho.com:993", "smtps://smtppro.zoho.com:465", probe.AuthPassword},
	{"mx2.zoho.eu", "zoho-business-eu", "imaps://imappro.zoho.eu:993", "smtps://smtppro.zoho.eu:465", probe.AuthPassword},
	{"mx.zoho.in", "zoho-business-in", "imaps://imappro.zoho.in:993", "smtps://smtppro.zoho.in:465", probe.AuthPassword},
	{"mx3.zoho.com.au", "zoho-business-au", "imaps://imappro.zoho.com.au:993", "smtps://smtppro.zoho.com.au:465", probe.AuthPassword},
	{"mx.zoho.jp", "zoho-business-jp", "imaps://imappro.zoho.jp:993", "smtps://smtppro.zoho.jp:465", probe.AuthPassword},
	{"mx.zohocloud.ca", "zoho-business-ca", "imaps://imappro.zohocloud.ca:993", "smtps://smtppro.zohocloud.ca:465", probe.AuthPassword},
	{"mx.zoho.sa", "zoho-business-sa", "imaps://imappro.zoho.sa:993", "smtps://smtppro.zoho.sa:465", probe.AuthPassword},
	{"mx.zoho.com.cn", "zoho-business-cn", "imaps://imappro.zoho.com.cn:993", "smtps://smtppro.zoho.com.cn:465", probe.AuthPassword},
	{"mx1.mail.ovh.net", "ovh", "imaps://ssl0.ovh.net:993", "smtps://ssl0.ovh.net:465", probe.AuthPassword},
	{"mx00.kundenserver.de", "ionos-de", "imaps://imap.1und1.de:993", "smtps://smtp.1und1.de:465", probe.AuthPassword},
	{"mx01.ionos.de", "ionos-de", "imaps://imap.1und1.de:993", "smtps://smtp.1und1.de:465", probe.AuthPassword},
	{"mx00.ionos.com", "ionos", "imaps://imap.ionos.com:993", "smtps://smtp.ionos.com:465", probe.AuthPassword},
	{"mx01.1and1.com", "ionos", "imaps://imap.ionos.com:993", "smtps://smtp.ionos.com:465", probe.AuthPassword},
	{"mx.perfora.net", "ionos", "imaps://imap.ionos.com:993", "smtps://smtp.ionos.com:465", probe.AuthPassword},
	{"mx00.ionos.it", "ionos-it", "imaps://imap.ionos.it:993", "smtps://smtp.ionos.it:465", probe.AuthPassword},
	{"mx00.1and1.it", "ionos-it", "imaps://imap.ionos.it:993", "smtps://smtp.ionos.it:465", probe.AuthPassword},
	{"mx01.servercliente.it", "ionos-it", "imaps://imap.ionos.it:993", "smtps://smtp.ionos.it:465", probe.AuthPassword},
	{"mx00.ionos.co.uk", "ionos-uk", "imaps://imap.ionos.co.uk:993", "smtps://smtp.ionos.co.uk:465", probe.AuthPassword},
	{"mx00.1and1.co.uk", "ionos-uk", "imaps://imap.ionos.co.uk:993", "smtps://smtp.ionos.co.uk:465", probe.AuthPassword},
	{"mx00.ionos.es", "ionos-es", "imaps://imap.ionos.es:993", "smtps://smtp.ionos.es:465", probe.AuthPassword},
	{"mx01.1and1.es", "ionos-es", "imaps://imap.ionos.es:993", "smtps://smtp.ionos.es:465", probe.AuthPassword},
	{"mx00.ionos.fr", "ionos-fr", "imaps://imap.ionos.fr:993", "smtps://smtp.ionos.fr:465", probe.AuthPassword},
	{"mx00.1and1.fr", "ionos-fr", "imaps://imap.ionos.fr:993", "smtps://smtp.ionos.fr:465", probe.AuthPassword},
	{"mx01.mail.icloud.com", "icloud-custom-domain", "imaps://imap.mail.me.com:993", "smtp://smtp.mail.me.com:587", probe.AuthAppPassword},
	{"mx.yandex.net", "yandex", "imaps://imap.yandex.com:993", "smtps://smtp.yandex.com:465", probe.AuthAppPassword},
	{"mxext1.mailbox.org", "mailbox-org", "imaps://imap.mailbox.org:993", "smtps://smtp.mailbox.org:465", probe.AuthPassword},
	{"spool.mail.gandi.net", "gandi", "imaps://mail.gandi.net:993", "smtps://mail.gandi.net:465", probe.AuthPassword},
	{"mta-gw.infomaniak.ch", "infomaniak", "imaps://mail.infomaniak.com:993", "smtps://mail.infomaniak.com:465", probe.AuthPassword},
	{"mx1.emailsrvr.com", "rackspace", "imaps://secure.emailsrvr.com:993", "smtps://secure.emailsrvr.com:465", probe.AuthPassword},
	{"mailstore1.secureserver.net", "godaddy", "imaps://imap.secureserver.net:993", "smtps://smtpout.secureserver.net:465", probe.AuthPassword},
	{"mx1.privateemail.com", "namecheap", "imaps://mail.privateemail.com:993", "smtps://mail.privateemail.com:465", probe.AuthPassword},
	{"mx1.hostinger.com", "hostinger", "imaps://imap.hostinger.com:993", "smtps://smtp.hostinger.com:465", probe.AuthPassword},
	{"inbound-smtp.us-east-1.amazonaws.com", "amazon-workmail-us-east-1", "imaps://imap.mail.us-east-1.awsapps.com:993", "smtps://smtp.mail.us-east-1.awsapps.com:465", probe.AuthPassword},
	{"inbound-smtp.us-west-2.amazonaws.com", "amazon-workmail-us-west-2", "imaps://imap.mail.us-west-2.awsapps.com:993", "smtps://smtp.mail.us-west-2.awsapps.com:465", probe.AuthPassword},
	{"inbound-smtp.eu-west-1.amazonaws.com", "amazon-workmail-eu-west-1", "imaps://imap.mail.eu-west-1.awsapps.com:993", "smtps://smtp.mail.eu-west-1.awsapps.com:465", probe.AuthPassword},
	{"mail.register.it", "register-it", "imaps://pop.securemail.pro:993", "smtps://authsmtp.securemail.pro:465", probe.AuthPassword},
	{"server.pec-email.com", "register-pec", "imaps://imap.pec-email.com:993", "smtps://smtp.pec-email.com:465", probe.AuthPassword},
	{"mx.aruba.it", "aruba", "imaps://imaps.aruba.it:993", "smtps://smtps.aruba.it:465", probe.AuthPassword},
	{"mx.pec.aruba.it", "aruba-pec", "imaps://imaps.pec.aruba.it:993", "smtps://smtps.pec.aruba.it:465", probe.AuthPassword},
	{"mx.cert.legalmail.it", "legalmail", "imaps://mbox.cert.legalmail.it:993", "smtps://sendm.cert.legalmail.it:465", probe.AuthPassword},
	{"in1-smtp.messagingengine.com", "fastmail", "imaps://imap.fastmail.com:993", "smtps://smtp.fastmail.com:465", probe.AuthAppPassword},
	{"mail.protonmail.ch", "proton-bridge", "imap://127.0.0.1:1143", "smtp://127.0.0.1:1025", probe.AuthPassword},
	{"aspmx1.migadu.com", "migadu", "imaps://imap.migadu.com:993", "smtps://smtp.migadu.com:465", probe.AuthPassword},
	{"smtpin.rzone.de", "strato", "imaps://imap.strato.de:993", "smtps://smtp.strato.de:465", probe.AuthPassword},
	{"mx.your-server.de", "hetzner", "imaps://mail.your-server.de:993", "smtps://mail.your-server.de:465", probe.AuthPassword},
}

func TestRealFileMXHosts(t *testing.T) {
	db := loadReal(t)
	for _, tt := range mxHosts {
		p, ok := db.ByMX([]string{"mx.unknown.example", strings.ToUpper(tt.host) + "."})
		if !ok || p.ID != tt.id {
			t.Errorf("ByMX(%s) = %v, %v; want %s", tt.host, p, ok, tt.id)
			continue
		}
		in, out := p.Servers("anna@studio.example")
		if got := in[0].String(); got != tt.incoming {
			t.Errorf("%s: first incoming = %s, want %s", tt.host, got, tt.incoming)
		}
		if got := out[0].String(); got != tt.outgoing {
			t.Errorf("%s: first outgoing = %s, want %s", tt.host, got, tt.outgoing)
		}
		if in[0].Auth != tt.auth || out[0].Auth != tt.auth {
			t.Errorf("%s: auth %q, %q; want %q", tt.host, in[0].Auth, out[0].Auth, tt.auth)
		}
		if !IsHelpPage(p.Docs) {
			t.Errorf("%s (%s): docs %s is not a page for people", tt.host, p.ID, p.Docs)
		}
	}
}

// TestRealFileEveryMXPatternTested fails for an MX pattern of
// providers.yaml that no host of mxHosts exercises, so that a new pattern
// comes with its test.
func TestRealFileEveryMXPatternTested(t *testing.T) {
	db := loadReal(t)
	n := 0
	for _, p := range db.Providers() {
		for _, pattern := range p.MX {
			n++
			tested := false
			for _, tt := range mxHosts {
				tested = tested || tt.id == p.ID && matchesPattern(tt.host, pattern)
			}
			if !tested {
				t.Errorf("%s (%s): the MX pattern %q has no host in mxHosts", p.ID, p.Source, pattern)
			}
		}
	}
	if n < 40 {
		t.Errorf("providers.yaml has %d MX patterns, want at least 40", n)
	}
}

// matchesPattern reports whether host falls under a normalised domain or
// MX pattern: the name itself, or any name under "*.suffix".
func matchesPattern(host, pattern string) bool {
	if suffix, ok := wildcardSuffix(pattern); ok {
		return strings.HasSuffix(host, "."+suffix)
	}
	return host == pattern
}

func TestGoogleWorkspaceRelay(t *testing.T) {
	p, ok := loadReal(t).ByID("google-workspace")
	if !ok {
		t.Fatal("no google-workspace provider")
	}
	var urls []string
	for _, s := range p.Outgoing {
		urls = append(urls, s.String())
	}
	if got, want := strings.Join(urls, " "), "smtps://smtp.gmail.com:465 smtp://smtp.gmail.com:587 smtp://smtp-relay.gmail.com:587 smtps://smtp-relay.gmail.com:465"; got != want {
		t.Errorf("outgoing = %s, want %s", got, want)
	}
	var en, it bool
	for _, h := range p.Hints {
		en = en || strings.Contains(h.EN, "smtp-relay.gmail.com") && strings.Contains(h.EN, "Admin console > Apps > Google Workspace > Gmail > Routing > SMTP relay service") &&
			strings.Contains(h.EN, "IP addresses") && strings.Contains(h.EN, "SMTP authentication")
		it = it || strings.Contains(h.IT, "smtp-relay.gmail.com") && strings.Contains(h.IT, "Console di amministrazione > App > Google Workspace > Gmail > Routing") &&
			strings.Contains(h.IT, "indirizzi IP") && strings.Contains(h.IT, "autenticazione SMTP")
	}
	if !en || !it {
		t.Errorf("hints = %+v; want the relay, the administrator's steps and what it accepts, in English and Italian", p.Hints)
	}
}
