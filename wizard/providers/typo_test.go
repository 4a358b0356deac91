package providers

import (
	"os"
	"testing"
)

func TestSuggest(t *testing.T) {
	data, err := os.ReadFile("../../providers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db, err := Load("providers.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ typed, want string }{
		{"gmial.com", "gmail.com"},
		{"gmail.con", "gmail.com"},
		{"gmail.cm", "gmail.com"},
		{"gmail.ocm", "gmail.com"},
		{"gmial.con", "gmail.com"},
		{"hotmial.com", "hotmail.com"},
		{"hotmial.con", "hotmail.com"},
		{"libero.ti", "libero.it"},
		{"lbero.it", "libero.it"},
		{"GMAIL.CON", "gmail.com"},
		{"gmail.com", ""},       // known
		{"libero.it", ""},       // known
		{"example.org", ""},     // far from every known domain
		{"postino.example", ""}, // likewise
		{"gmz.de", "gmx.de"},
		{"acme.com", ""}, // two edits from me.com, whose name is short
		{"", ""},
	} {
		got, ok := db.Suggest(tt.typed)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Suggest(%q) = %q, %v; want %q", tt.typed, got, ok, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "abc", 0}, {"abc", "acb", 1}, {"gmial", "gmail", 1}, {"ti", "it", 1},
		{"abc", "", 3}, {"", "ab", 2}, {"kitten", "sitting", 3}, {"gmial.con", "gmail.com", 2}, {"ca", "abc", 3},
	} {
		if got := distance(tt.a, tt.b); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := distance(tt.b, tt.a); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestUnknownTLD(t *testing.T) {
	for domain, want := range map[string]bool{
		"gmail.con": true, "libero.ti": true, "gmail.ocm": true,
		"gmail.com": false, "gmial.com": false, "libero.it": false, "gmail.cm": false, "example.co.uk": false,
	} {
		if got := UnknownTLD(domain); got != want {
			t.Errorf("UnknownTLD(%q) = %v, want %v", domain, got, want)
		}
	}
}

// TestSuggestLazy: the embedded list, read at its first question, and an
// organisation's file over it are both asked.
func TestSuggestLazy(t *testing.T) {
	data, err := os.ReadFile("../../providers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	own, err := Load("own.yaml", []byte("providers:\n  - id: corp\n    name: Corp Mail\n    domains: [corpmail.example]\n    incoming: [imaps://imap.corpmail.example]\n    outgoing: [smtps://smtp.corpmail.example]\n"))
	if err != nil {
		t.Fatal(err)
	}
	db := Lazy("providers.yaml", data).Merge(own)
	for typed, want := range map[string]string{"gmial.com": "gmail.com", "corpmial.example": "corpmail.example"} {
		if got, ok := db.Suggest(typed); !ok || got != want {
			t.Errorf("Suggest(%q) = %q, %v; want %q", typed, got, ok, want)
		}
	}
}
