package discover

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/providers"
)

// mxFamilies is one real MX host of every hosting family that
// providers.yaml recognises, with the provider and the servers detection
// must answer for a domain whose mail goes there.
var mxFamilies = []struct {
	mx, id, incoming, outgoing string
}{
	{"smtp.google.com", "google-workspace", "imaps://imap.gmail.com:993", "smtps://smtp.gmail.com:465"},
	{"aspmx2.googlemail.com", "google-workspace", "imaps://imap.gmail.com:993", "smtps://smtp.gmail.com:465"},
	{"studio-example.olc.protection.outlook.com", "outlook", "imaps://outlook.office365.com:993", "smtp://smtp-mail.outlook.com:587"},
	{"studio-example.mail.protection.outlook.com", "microsoft365", "imaps://outlook.office365.com:993", "smtp://smtp.office365.com:587"},
	{"studio-example.r-v1.mx.microsoft", "microsoft365", "imaps://outlook.office365.com:993", "smtp://smtp.office365.com:587"},
	{"mx.zoho.com", "zoho-business", "imaps://imappro.zoho.com:993", "smtps://smtppro.zoho.com:465"},
	{"mx.zoho.eu", "zoho-business-eu", "imaps://imappro.zoho.eu:993", "smtps://smtppro.zoho.eu:465"},
	{"mx.zoho.in", "zoho-business-in", "imaps://imappro.zoho.in:993", "smtps://smtppro.zoho.in:465"},
	{"mx.zoho.com.au", "zoho-business-au", "imaps://imappro.zoho.com.au:993", "smtps://smtppro.zoho.com.au:465"},
	{"mx.zoho.jp", "zoho-business-jp", "imaps://imappro.zoho.jp:993", "smtps://smtppro.zoho.jp:465"},
	{"mx.zohocloud.ca", "zoho-business-ca", "imaps://imappro.zohocloud.ca:993", "smtps://smtppro.zohocloud.ca:465"},
	{"mx.zoho.sa", "zoho-business-sa", "imaps://imappro.zoho.sa:993", "smtps://smtppro.zoho.sa:465"},
	{"mx.zoho.com.cn", "zoho-business-cn", "imaps://imappro.zoho.com.cn:993", "smtps://smtppro.zoho.com.cn:465"},
	{"mx2.mail.ovh.net", "ovh", "imaps://ssl0.ovh.net:993", "smtps://ssl0.ovh.net:465"},
	{"mx00.kundenserver.de", "ionos-de", "imaps://imap.1und1.de:993", "smtps://smtp.1und1.de:465"},
	{"mx00.ionos.de", "ionos-de", "imaps://imap.1und1.de:993", "smtps://smtp.1und1.de:465"},
	{"mx00.ionos.com", "ionos", "imaps://imap.ionos.com:993", "smtps://smtp.ionos.com:465"},
	{"mx00.1and1.com", "ionos", "imaps://imap.ionos.com:993", "smtps://smtp.ionos.com:465"},
	{"mx.perfora.net", "ionos", "imaps://imap.ionos.com:993", "smtps://smtp.ionos.com:465"},
	{"mx00.ionos.it", "ionos-it", "imaps://imap.ionos.it:993", "smtps://smtp.ionos.it:465"},
	{"mx00.1and1.it", "ionos-it", "imaps://imap.ionos.it:993", "smtps://smtp.ionos.it:465"},
	{"mx00.servercliente.it", "ionos-it", "imaps://imap.ionos.it:993", "smtps://smtp.ionos.it:465"},
	{"mx00.ionos.co.uk", "ionos-uk", "imaps://imap.ionos.co.uk:993", "smtps://smtp.ionos.co.uk:465"},
	{"mx00.1and1.co.uk", "ionos-uk", "imaps://imap.ionos.co.uk:993", "smtps://smtp.ionos.co.uk:465"},
	{"mx00.ionos.es", "ionos-es", "imaps://imap.ionos.es:993", "smtps://smtp.ionos.es:465"},
	{"mx00.1and1.es", "ionos-es", "imaps://imap.ionos.es:993", "smtps://smtp.ionos.es:465"},
	{"mx00.ionos.fr", "ionos-fr", "imaps://imap.ionos.fr:993", "smtps://smtp.ionos.fr:465"},
	{"mx00.1and1.fr", "ionos-fr", "imaps://imap.ionos.fr:993", "smtps://smtp.ionos.fr:465"},
	{"mx02.mail.icloud.com", "icloud-custom-domain", "imaps://imap.mail.me.com:993", "smtp://smtp.mail.me.com:587"},
	{"mx.yandex.net", "yandex", "imaps://imap.yandex.com:993", "smtps://smtp.yandex.com:465"},
	{"mxext2.mailbox.org", "mailbox-org", "imaps://imap.mailbox.org:993", "smtps://smtp.mailbox.org:465"},
	{"fb.mail.gandi.net", "gandi", "imaps://mail.gandi.net:993", "smtps://mail.gandi.net:465"},
	{"mta-gw.infomaniak.ch", "infomaniak", "imaps://mail.infomaniak.com:993", "smtps://mail.infomaniak.com:465"},
	{"mx2.emailsrvr.com", "rackspace", "imaps://secure.emailsrvr.com:993", "smtps://secure.emailsrvr.com:465"},
	{"smtp.secureserver.net", "godaddy", "imaps://imap.secureserver.net:993", "smtps://smtpout.secureserver.net:465"},
	{"mx2.privateemail.com", "namecheap", "imaps://mail.privateemail.com:993", "smtps://mail.privateemail.com:465"},
	{"mx2.hostinger.com", "hostinger", "imaps://imap.hostinger.com:993", "smtps://smtp.hostinger.com:465"},
	{"inbound-smtp.us-east-1.amazonaws.com", "amazon-workmail-us-east-1", "imaps://imap.mail.us-east-1.awsapps.com:993", "smtps://smtp.mail.us-east-1.awsapps.com:465"},
	{"inbound-smtp.us-west-2.amazonaws.com", "amazon-workmail-us-west-2", "imaps://imap.mail.us-west-2.awsapps.com:993", "smtps://smtp.mail.us-west-2.awsapps.com:465"},
	{"inbound-smtp.eu-west-1.amazonaws.com", "amazon-workmail-eu-west-1", "imaps://imap.mail.eu-west-1.awsapps.com:993", "smtps://smtp.mail.eu-west-1.awsapps.com:465"},
	{"mail.register.it", "register-it", "imaps://pop.securemail.pro:993", "smtps://authsmtp.securemail.pro:465"},
	{"server.pec-email.com", "register-pec", "imaps://imap.pec-email.com:993", "smtps://smtp.pec-email.com:465"},
	{"mx.aruba.it", "aruba", "imaps://imaps.aruba.it:993", "smtps://smtps.aruba.it:465"},
	{"mx.pec.aruba.it", "aruba-pec", "imaps://imaps.pec.aruba.it:993", "smtps://smtps.pec.aruba.it:465"},
	{"mx.cert.legalmail.it", "legalmail", "imaps://mbox.cert.legalmail.it:993", "smtps://sendm.cert.legalmail.it:465"},
	{"in2-smtp.messagingengine.com", "fastmail", "imaps://imap.fastmail.com:993", "smtps://smtp.fastmail.com:465"},
	{"mailsec.protonmail.ch", "proton-bridge", "imap://127.0.0.1:1143", "smtp://127.0.0.1:1025"},
	{"aspmx2.migadu.com", "migadu", "imaps://imap.migadu.com:993", "smtps://smtp.migadu.com:465"},
	{"smtpin.rzone.de", "strato", "imaps://imap.strato.de:993", "smtps://smtp.strato.de:465"},
	{"mx.your-server.de", "hetzner", "imaps://mail.your-server.de:993", "smtps://mail.your-server.de:465"},
}

// TestMXFamilies runs detection on the simulated network for a domain of
// every MX family: the domain's MX alone must lead, through the providers
// file, to the hosting provider's settings, trusted, with the hosting
// named.
func TestMXFamilies(t *testing.T) {
	t.Parallel()
	db, err := providers.LoadFile(filepath.Join("..", "..", "providers.yaml"))
	if err != nil {
		t.Fatalf("LoadFile() = %v", err)
	}
	covered := map[string]bool{}
	n := newSimnet(t, 0)
	for i, tt := range mxFamilies {
		domain := fmt.Sprintf("studio%d.example", i)
		n.mx(domain, 10, tt.mx)
		for _, p := range db.Providers() {
			for _, pattern := range p.MX {
				if p.ID == tt.id && underPattern(tt.mx, pattern) {
					covered[p.ID+" "+pattern] = true
				}
			}
		}
		t.Run(tt.mx, func(t *testing.T) {
			t.Parallel()
			addr := "anna@" + domain
			r, _, err := discover(t, n, addr, func(c *Config) { c.Catalog = db })
			if err != nil || r.Source != mailbox.SourceProviders || !r.Trusted || r.Provider == nil || r.Provider.ID != tt.id {
				t.Fatalf("Discover(%s) = %+v, %v; want %s from the providers file, trusted", addr, r, err, tt.id)
			}
			wantServers(t, "first incoming", r.Incoming[:1], tt.incoming)
			wantServers(t, "first outgoing", r.Outgoing[:1], tt.outgoing)
			if r.Incoming[0].Username != addr && r.Incoming[0].Username != "anna" {
				t.Errorf("username = %q, want the address", r.Incoming[0].Username)
			}
			hosted := textMXHosted
			hosted.EN, hosted.IT = fmt.Sprintf(hosted.EN, r.Provider.Name), fmt.Sprintf(hosted.IT, r.Provider.Name)
			if !slices.Contains(r.Hints, hosted) {
				t.Errorf("hints = %v, want %v among them", r.Hints, hosted)
			}
		})
	}
	for _, p := range db.Providers() {
		for _, pattern := range p.MX {
			if !covered[p.ID+" "+pattern] {
				t.Errorf("%s: the MX pattern %q has no domain in mxFamilies", p.ID, pattern)
			}
		}
	}
}

// underPattern reports whether host falls under a providers file's MX
// pattern: the name itself, or any name under "*.suffix".
func underPattern(host, pattern string) bool {
	if suffix, ok := strings.CutPrefix(pattern, "*."); ok {
		return strings.HasSuffix(host, "."+suffix)
	}
	return host == pattern
}
