package wizard

import (
	"strings"
	"testing"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/mailbox"
	"github.com/postino/postino/wizard/store"
)

func TestMayReceivePassword(t *testing.T) {
	trusted := &mailbox.Detection{Source: mailbox.SourceProviders, Trusted: true}
	guessed := &mailbox.Detection{Source: mailbox.SourceGuess}
	fromDNS := &mailbox.Detection{Source: mailbox.SourceSRV}
	tests := []struct {
		name      string
		detected  *mailbox.Detection
		confirmed bool
		want      bool
	}{
		{"servers given as URLs or saved", nil, false, true},
		{"a trusted detection", trusted, false, true},
		{"a guess nobody confirmed", guessed, false, false},
		{"SRV records nobody confirmed", fromDNS, false, false},
		{"a guess the person confirmed", guessed, true, true},
		{"a trusted detection, confirmed too", trusted, true, true},
	}
	for _, tt := range tests {
		if got := MayReceivePassword(tt.detected, tt.confirmed); got != tt.want {
			t.Errorf("%s: MayReceivePassword() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		want error
	}{
		{"a password", "s3cret pw ünïcode", nil},
		{"the longest", strings.Repeat("x", MaxPassword), nil},
		{"empty", "", ErrEmptyPassword},
		{"one byte too long", strings.Repeat("x", MaxPassword+1), ErrPasswordTooLong},
		{"a NUL byte", "pass\x00word", ErrPasswordControl},
		{"a line break", "pass\r\nDELE 1", ErrPasswordControl},
	}
	for _, tt := range tests {
		if err := CheckPassword(tt.pw); err != tt.want {
			t.Errorf("%s: CheckPassword() = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestIPHostNotes(t *testing.T) {
	a := store.Account{
		Incoming: []probe.Server{
			{Protocol: probe.IMAP, Host: "192.0.2.1", Port: 993, Security: probe.TLS},
			{Protocol: probe.IMAP, Host: "192.0.2.1", Port: 143, Security: probe.StartTLS},
			{Protocol: probe.POP3, Host: "192.0.2.2", Port: 110, Security: probe.None},
		},
		Outgoing: []probe.Server{
			{Protocol: probe.SMTP, Host: "[2001:db8::1]", Port: 465, Security: probe.TLS},
			{Protocol: probe.SMTP, Host: "smtp.example.com", Port: 587, Security: probe.StartTLS},
		},
	}
	notes := IPHostNotes(a, probe.Italian)
	if len(notes) != 2 || !strings.Contains(notes[0], "192.0.2.1 è un indirizzo IP") || !strings.Contains(notes[1], "[2001:db8::1]") {
		t.Errorf("IPHostNotes = %q, want one note for 192.0.2.1 and one for 2001:db8::1 (not the host without TLS, not the name)", notes)
	}
	if notes := IPHostNotes(store.Account{Incoming: a.Incoming[2:], Outgoing: a.Outgoing[1:]}, probe.English); len(notes) != 0 {
		t.Errorf("IPHostNotes without a TLS server by address = %q", notes)
	}
}
