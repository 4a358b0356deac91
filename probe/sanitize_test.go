package probe

import (
	"strings"
	"testing"
)

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Dovecot ready.", "Dovecot ready."},
		{"\x1b[2JDovecot\x1b[31m ready", "Dovecot ready"},
		{"\x1b]0;pwned\x07hello", "hello"},
		{"\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"},
		{"\x1bPq#0;2;0;0;0\x1b\\after", "after"},
		{"bell\x07 and\rcr\nlf", "bell andcrlf"},
		{"tab\there", "tab here"},
		{"c1 \u009b31mred", "c1 red"},
		{"invalid \xff\xfe utf8", "invalid  utf8"},
		{"Benvenuto è già pronto", "Benvenuto è già pronto"},
		{"bidi \u202eevil", "bidi evil"},
		{"\x1bcreset", "reset"},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := Sanitize(strings.Repeat("x", 10000))
	if len([]rune(long)) != maxShown {
		t.Errorf("Sanitize(10000 x) has %d runes, want %d", len([]rune(long)), maxShown)
	}
}
