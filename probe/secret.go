package probe

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// secret is the password and the access token as a server may say them
// back: as typed, as Sanitize would show them, or inside base64 or hex,
// which is how the SASL PLAIN and LOGIN exchanges (and the XOAUTH2 and
// OAUTHBEARER ones) carry them. A server's answer that holds one in any
// of these forms is withheld whole: hiding only the match would let the
// reader guess the secret from what is around it.
type secret struct {
	forms [][]byte
}

// minDecoded is the shortest run of base64 or hex worth decoding: shorter
// runs are words, not encodings.
const minDecoded = 8

// newSecret is the secrets given, the empty ones left out; nil if none.
func newSecret(secrets ...string) *secret {
	s := &secret{}
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		s.forms = append(s.forms, []byte(sec))
		if shown := Sanitize(sec); shown != "" && shown != sec {
			s.forms = append(s.forms, []byte(shown))
		}
	}
	if len(s.forms) == 0 {
		return nil
	}
	return s
}

// in reports whether text holds a secret in any form.
func (s *secret) in(text string) bool {
	if s == nil || text == "" {
		return false
	}
	if s.holds([]byte(text)) {
		return true
	}
	for _, run := range encodedRuns(text) {
		for _, decoded := range decodings(run) {
			if s.holds(decoded) {
				return true
			}
		}
	}
	return false
}

func (s *secret) holds(b []byte) bool {
	for _, f := range s.forms {
		if bytes.Contains(b, f) {
			return true
		}
	}
	return false
}

// encodedRuns are the runs of text that could be base64 (either alphabet)
// or hex.
func encodedRuns(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("+/=-_", r))
	})
}

// decodings are what a run decodes to as base64 or hex; a run cut short of
// its last group still decodes up to there.
func decodings(run string) [][]byte {
	if len(run) < minDecoded {
		return nil
	}
	var out [][]byte
	trimmed := strings.TrimRight(run, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		for cut := 0; cut < 4 && cut < len(trimmed); cut++ {
			if b, err := enc.DecodeString(trimmed[:len(trimmed)-cut]); err == nil {
				out = append(out, b)
				break
			}
		}
	}
	if b, err := hex.DecodeString(run[:len(run)&^1]); err == nil {
		out = append(out, b)
	}
	return out
}

// Repeats reports whether text holds credential (a password or an access
// token) in any form a server could say it back in, or a program could
// leak it in: as typed, or inside base64 or hex. Tests search every
// output with it.
func Repeats(text, credential string) bool {
	return newSecret(credential).in(text)
}
