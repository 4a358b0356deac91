package wizard

import (
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
