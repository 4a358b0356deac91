package probe

import "testing"

func TestRecognise(t *testing.T) {
	tests := []struct {
		greeting string
		caps     []string
		want     string
	}{
		{"* OK [CAPABILITY IMAP4rev1 SASL-IR] Dovecot (Debian) ready.", nil, "Dovecot"},
		{"+OK Dovecot ready.", nil, "Dovecot"},
		{"* OK [CAPABILITY IMAP4rev1 UIDPLUS] Courier-IMAP ready. Copyright 1998-2018 Double Precision, Inc.", nil, "Courier"},
		{"* OK Gimap ready for requests from 192.0.2.1 a1mb1234", nil, "Gmail"},
		{"* OK ready", []string{"IMAP4rev1", "X-GM-EXT-1"}, "Gmail"},
		{"220 smtp.gmail.com ESMTP a1sm123 - gsmtp", nil, "Gmail"},
		{"* OK The Microsoft Exchange IMAP4 service is ready.", nil, "Microsoft Exchange"},
		{"220 AM0PR01CA0001.outlook.office365.com Microsoft ESMTP MAIL Service ready", nil, "Microsoft Exchange"},
		{"220 mail.example.com ESMTP Postfix (Debian/GNU)", nil, "Postfix"},
		{"220 mx.example.com ESMTP Exim 4.96 Mon, 23 Nov 2026 10:00:00 +0000", nil, "Exim 4.96"},
		{"* OK imap.example.com Cyrus IMAP v3.8.1-Debian server ready", nil, "Cyrus 3.8.1-Debian"},
		{"220 h ESMTP Sendmail 8.17.1/8.17.1; Mon, 23 Nov 2026", nil, "Sendmail 8.17.1/8.17.1"},
		{"* OK IMAP4rev1 proxy server ready", nil, ""},
		{"", nil, ""},
	}
	for _, tt := range tests {
		if got := Recognise(tt.greeting, tt.caps).String(); got != tt.want {
			t.Errorf("Recognise(%q, %v) = %q, want %q", tt.greeting, tt.caps, got, tt.want)
		}
	}
}
