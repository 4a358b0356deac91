package providers

import (
	"os"
	"reflect"
	"testing"
)

// TestEntriesMatchTheTree: a file decoded one entry at a time gives what
// its whole tree gives, the embedded file and a large one alike.
func TestEntriesMatchTheTree(t *testing.T) {
	embedded, err := os.ReadFile("../../providers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"providers.yaml": embedded, "large.yaml": largeFile(50)} {
		chunks, ok := entries(data)
		if !ok {
			t.Fatalf("%s is not read one entry at a time", name)
		}
		byEntry, ok := decodeEntries(name, data, chunks)
		if !ok {
			t.Fatalf("%s: decoding one entry at a time failed", name)
		}
		whole, err := decodeTree(name, data)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(byEntry, whole) {
			t.Errorf("%s: one entry at a time differs from the whole tree", name)
		}
	}
}

// TestEntriesLayout: only the plain block layout is cut into entries;
// anything else goes through the whole tree.
func TestEntriesLayout(t *testing.T) {
	tests := []struct {
		name, data string
		chunks     int
	}{
		{"block list", "# head\nproviders: # all\n  - id: a\n    name: A\n\n  # between\n  - id: b\n", 2},
		{"no indentation", "providers:\n- id: a\n  name: A\n- id: b\n", 2},
		{"flow list", "providers: [{id: a}]\n", -1},
		{"second document", "providers:\n  - id: a\n---\nproviders: []\n", -1},
		{"another key", "providers:\n  - id: a\nextra: 1\n", -1},
		{"a tab", "providers:\n  - id: a\n\tname: A\n", -1},
		{"less indented", "providers:\n    - id: a\n  name: A\n", -1},
		{"empty", "providers:\n", -1},
		{"not an item", "providers:\n  id: a\n", -1},
	}
	for _, tt := range tests {
		chunks, ok := entries([]byte(tt.data))
		if got := len(chunks); ok != (tt.chunks >= 0) || ok && got != tt.chunks {
			t.Errorf("%s: entries() = %d chunks, %v; want %d", tt.name, got, ok, tt.chunks)
		}
	}
}

// TestEntriesFallBack: an entry that cannot be read alone (an alias of an
// anchor in another entry, which no providers file may use) or has a mistake is read through the whole
// tree, which gives the file's answer and its lines.
func TestEntriesFallBack(t *testing.T) {
	alias := "providers:\n  - id: a\n    name: A\n    domains: [a.example]\n    incoming: &in [imaps://imap.a.example]\n    outgoing: [smtps://smtp.a.example]\n" +
		"  - id: b\n    name: B\n    domains: [b.example]\n    incoming: *in\n    outgoing: [smtps://smtp.b.example]\n"
	_, err := Load("alias.yaml", []byte(alias))
	if _, want := decodeTree("alias.yaml", []byte(alias)); err == nil || want == nil || err.Error() != want.Error() {
		t.Errorf("Load() = %v, want the whole tree's %v", err, want)
	}
	dup := "providers:\n  - id: a\n    name: A\n    domains: [a.example]\n    incoming: [imaps://imap.a.example]\n    outgoing: [smtps://smtp.a.example]\n" +
		"\n  - id: b\n    name: B\n    domains: [a.example]\n    incoming: [imaps://imap.b.example]\n    outgoing: [smtps://smtp.b.example]\n"
	_, err = Load("dup.yaml", []byte(dup))
	if want := `dup.yaml:10: the domain "a.example" is already given on line 4.`; err == nil || err.Error() != want {
		t.Errorf("Load() = %v, want %s", err, want)
	}
}
