package mailbox

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/postino/postino/probe"
)

func TestParseAddress(t *testing.T) {
	tests := []struct {
		in                         string
		local, domain, asciiDomain string
	}{
		{"mario.rossi@example.com", "mario.rossi", "example.com", "example.com"},
		{"  Mario.Rossi@Example.COM  ", "Mario.Rossi", "example.com", "example.com"},
		{"mario+posta@example.com.", "mario+posta", "example.com", "example.com"},
		{"anna@posta.città.it", "anna", "posta.città.it", "posta.xn--citt-3na.it"},
		{"anna@posta.xn--citt-3na.it", "anna", "posta.città.it", "posta.xn--citt-3na.it"},
		{"anna@POSTA.CITTÀ.IT", "anna", "posta.città.it", "posta.xn--citt-3na.it"},
		{"用户@例子.广告", "用户", "例子.广告", "xn--fsqu00a.xn--4rr70v"},
		{"o'brien@example.ie", "o'brien", "example.ie", "example.ie"},
		{"x@a-b.c0", "x", "a-b.c0", "a-b.c0"},
		{strings.Repeat("a", 64) + "@example.com", strings.Repeat("a", 64), "example.com", "example.com"},
	}
	for _, tt := range tests {
		a, err := ParseAddress(tt.in)
		if err != nil {
			t.Errorf("ParseAddress(%q) = %v", tt.in, err)
			continue
		}
		if a.Local != tt.local || a.Domain != tt.domain || a.ASCIIDomain != tt.asciiDomain {
			t.Errorf("ParseAddress(%q) = %+v, want %s / %s / %s", tt.in, a, tt.local, tt.domain, tt.asciiDomain)
		}
	}
}

func TestParseAddressStrings(t *testing.T) {
	a, err := ParseAddress("anna@posta.città.it")
	if err != nil {
		t.Fatalf("ParseAddress() = %v", err)
	}
	if got := a.String(); got != "anna@posta.città.it" {
		t.Errorf("String() = %q", got)
	}
	if got := a.ASCII(); got != "anna@posta.xn--citt-3na.it" {
		t.Errorf("ASCII() = %q", got)
	}
}

func TestParseAddressProblems(t *testing.T) {
	long := strings.Repeat("a", 60) + "@" + strings.Repeat("b", 60) + "." + strings.Repeat("c", 60) + "." + strings.Repeat("d", 60) + "." + strings.Repeat("e", 10) + ".com"
	tests := []struct {
		in   string
		want AddressProblem
	}{
		{"", AddressEmpty},
		{"   ", AddressEmpty},
		{"mario.rossi", AddressNoAt},
		{"mario.rossi.example.com", AddressNoAt},
		{"mario@rossi@example.com", AddressTwoAt},
		{"mario rossi@example.com", AddressSpace},
		{"mario@example .com", AddressSpace},
		{"mario\t@example.com", AddressSpace},
		{"mario@exa\u00a0mple.com", AddressSpace},
		{"@example.com", AddressEmptyLocal},
		{"mario@", AddressEmptyDomain},
		{"mario@.", AddressBadDomain},
		{long, AddressTooLong},
		{strings.Repeat("é", 255), AddressTooLong},
		{strings.Repeat("a", 65) + "@example.com", AddressLocalTooLong},
		{"ma<rio@example.com", AddressBadLocal},
		{"\"mario\"@example.com", AddressBadLocal},
		{"ma\x00rio@example.com", AddressBadLocal},
		{"ma\x1b[31mrio@example.com", AddressBadLocal},
		{"ma\xffrio@example.com", AddressBadLocal},
		{"mario@localhost", AddressBadDomain},
		{"mario@192.0.2.1", AddressBadDomain},
		{"mario@[192.0.2.1]", AddressBadDomain},
		{"mario@example..com", AddressBadDomain},
		{"mario@.example.com", AddressBadDomain},
		{"mario@-example.com", AddressBadDomain},
		{"mario@example-.com", AddressBadDomain},
		{"mario@exa_mple.com", AddressBadDomain},
		{"mario@exa/mple.com", AddressBadDomain},
		{"mario@example.123", AddressBadDomain},
		{"mario@" + strings.Repeat("a", 64) + ".com", AddressBadDomain},
		{"mario@xn--zz.com", AddressBadDomain},
		{"mario@ex\xffample.com", AddressBadDomain},
	}
	for _, tt := range tests {
		_, err := ParseAddress(tt.in)
		var ae *AddressError
		if !errors.As(err, &ae) {
			t.Errorf("ParseAddress(%q) = %v, want problem %d", tt.in, err, tt.want)
			continue
		}
		if ae.Problem != tt.want {
			t.Errorf("ParseAddress(%q) problem = %d, want %d", tt.in, ae.Problem, tt.want)
		}
	}
}

func TestAddressProblemTexts(t *testing.T) {
	for p := AddressEmpty; p <= AddressBadDomain; p++ {
		tx := p.Text()
		if tx.EN == tx.IT {
			t.Errorf("problem %d has texts %+v", p, tx)
		}
		if tx.In(probe.Italian) != tx.IT || tx.In(probe.English) != tx.EN {
			t.Errorf("problem %d: In() picks the wrong language", p)
		}
	}
	if len(AddressProblemTexts) != int(AddressBadDomain)+1 {
		t.Errorf("AddressProblemTexts has %d entries, want one per problem", len(AddressProblemTexts))
	}
}

func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{
		"mario.rossi@example.com", "anna@posta.città.it", "anna@posta.xn--citt-3na.it",
		"a@b", "@", "a@@b", "a b@c.d", "x@xn--zz.com", "用户@例子.广告", "x@EXAMPLE.COM.",
		"x@a.b.c.d.e.f.g", "ma\x1b[31mrio@example.com", "x@1.2.3.4",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAddress(s)
		if err != nil {
			var ae *AddressError
			if !errors.As(err, &ae) {
				t.Fatalf("ParseAddress(%q) = %v, not an *AddressError", s, err)
			}
			if ae.Problem.Text().EN == "" {
				t.Fatalf("ParseAddress(%q): problem %d has no text", s, ae.Problem)
			}
			return
		}
		if len(a.ASCII()) > maxAddress || len(a.Local) > maxLocal {
			t.Fatalf("ParseAddress(%q) = %+v: over the limits", s, a)
		}
		for i := 0; i < len(a.ASCIIDomain); i++ {
			if a.ASCIIDomain[i] >= utf8.RuneSelf {
				t.Fatalf("ParseAddress(%q): ASCIIDomain %q is not ASCII", s, a.ASCIIDomain)
			}
		}
		again, err := ParseAddress(a.String())
		if err != nil || again != a {
			t.Fatalf("ParseAddress(%q) = %+v, but its String() reads back as %+v, %v", s, a, again, err)
		}
		again, err = ParseAddress(a.ASCII())
		if err != nil || again != a {
			t.Fatalf("ParseAddress(%q) = %+v, but its ASCII() reads back as %+v, %v", s, a, again, err)
		}
	})
}
