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

// TestSecretInEither: the password and the access token are both found,
// in any form; a secret left empty is found nowhere.
func TestSecretInEither(t *testing.T) {
	const pw, token = "p@ss w0rd", "ya29.a0Token-For_Tests"
	s := newSecret(pw, "", token)
	for _, text := range []string{
		"NO " + pw,
		"NO " + token,
		"+ " + base64.StdEncoding.EncodeToString([]byte("n,a=anna,\x01auth=Bearer "+token+"\x01\x01")),
		"535 " + hex.EncodeToString([]byte(token)),
	} {
		if !s.in(text) {
			t.Errorf("in(%q) = false, want true", text)
		}
	}
	if s.in("NO [AUTHENTICATIONFAILED] AUTHENTICATE failed.") {
		t.Error("an answer without either secret is found to hold one")
	}
	if newSecret("", "") != nil {
		t.Error("newSecret() of nothing is not nil")
	}
}
