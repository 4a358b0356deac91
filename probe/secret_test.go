package probe

import (
	"encoding/base64"
	"encoding/hex"
	"testing"
)

func TestSecretIn(t *testing.T) {
	const pw = "p@ss w0rd"
	plain := base64.StdEncoding.EncodeToString([]byte("\x00anna@example.com\x00" + pw))
	login := base64.StdEncoding.EncodeToString([]byte(pw))
	s := newSecret(pw)
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"NO [AUTHENTICATIONFAILED] wrong: " + pw, true},
		{"NO bad credentials " + plain, true},
		{"535 5.7.8 " + login + " rejected", true},
		{"-ERR " + base64.RawURLEncoding.EncodeToString([]byte("user=anna\x01auth=Bearer "+pw+"\x01\x01")), true},
		{"NO " + hex.EncodeToString([]byte(pw)), true},
		{"NO [AUTHENTICATIONFAILED] Authentication failed.", false},
		{"535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6", false},
		{"", false},
	} {
		if got := s.in(tt.text); got != tt.want {
			t.Errorf("in(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
	if newSecret("").in("anything") {
		t.Error("no password is found everywhere")
	}
}
