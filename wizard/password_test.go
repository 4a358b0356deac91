package wizard

import (
	"strings"
	"testing"

	"github.com/postino/postino/wizard/mailbox"
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
