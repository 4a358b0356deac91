package probe

import (
	"strings"
	"testing"
)

func TestParsePin(t *testing.T) {
	hex := strings.Repeat("ab", 32)
	colons := strings.TrimSuffix(strings.Repeat("AB:", 32), ":")
	for _, in := range []string{"sha256:" + hex, hex, "SHA256:" + strings.ToUpper(hex), "sha256:" + colons, colons} {
		p, err := ParsePin(in)
		if err != nil || p.String() != "sha256:"+hex {
			t.Errorf("ParsePin(%q) = %v, %v", in, p, err)
		}
	}
	for _, in := range []string{"", "sha256:", "sha1:" + hex, "sha256:" + hex[:62], "sha256:" + hex + "00", "sha256:zz" + hex[2:]} {
		if _, err := ParsePin(in); err == nil {
			t.Errorf("ParsePin(%q) succeeded, want an error", in)
		}
	}
}
