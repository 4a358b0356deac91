package store

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// TestDisplayName: a display name is kept in version 5 of the file, which
// is written only when an account has one; older files load as they are,
// and a name that cannot be kept is refused.
func TestDisplayName(t *testing.T) {
	s := newStore(t)
	if _, err := s.SaveSettings(bob()); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(s.Path()); !strings.Contains(string(data), "version: 2\n") || strings.Contains(string(data), "display_name") {
		t.Errorf("an account without a display name is not written as version 2:\n%s", data)
	}
	named := bob()
	named.DisplayName = "Bob Bianchi, Niccolò's"
	if _, err := s.SaveSettings(named); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(s.Path())
	if !strings.Contains(string(data), "version: 5\n") || !strings.Contains(string(data), "display_name: ") {
		t.Errorf("a display name is not written as version 5:\n%s", data)
	}
	if a, err := s.Find(named.Address); err != nil || a.DisplayName != named.DisplayName {
		t.Errorf("Find() = %q, %v; want %q", a.DisplayName, err, named.DisplayName)
	}
	// With the not-verified mark too, the file is still version 5.
	named.Unverified = true
	if _, err := s.SaveSettings(named); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(s.Path()); !strings.Contains(string(data), "version: 5\n") || !strings.Contains(string(data), "unverified: true") {
		t.Errorf("a display name and the mark are not written as version 5:\n%s", data)
	}
	named.DisplayName, named.Unverified = "", false
	if _, err := s.SaveSettings(named); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(s.Path()); !strings.Contains(string(data), "version: 2\n") {
		t.Errorf("without a display name the file is not version 2 again:\n%s", data)
	}

	v5 := "version: 5\naccounts:\n  - name: c\n    address: c@example.test\n    display_name: Carla Rossi\n    incoming: []\n    outgoing: []\n"
	os.WriteFile(s.Path(), []byte(v5), 0o600)
	if a, err := s.Find("c"); err != nil || a.DisplayName != "Carla Rossi" {
		t.Errorf("v5: %+v, %v", a, err)
	}
	for _, bad := range []struct{ name, file string }{
		{"in version 4", strings.Replace(v5, "version: 5", "version: 4", 1)},
		{"a line break", strings.Replace(v5, "Carla Rossi", `"Carla\nBcc: x@example.test"`, 1)},
		{"too long", strings.Replace(v5, "Carla Rossi", strings.Repeat("a", MaxDisplayName+1), 1)},
	} {
		os.WriteFile(s.Path(), []byte(bad.file), 0o600)
		var fe *FileError
		if _, err := s.Accounts(); !errors.As(err, &fe) || fe.Line != 5 {
			t.Errorf("%s: Accounts() = %v, want a FileError at line 5", bad.name, err)
		}
	}
	for name, want := range map[string]error{"": nil, "Anna Rossi": nil, "Anna\tRossi": ErrDisplayNameControl, "\xff": ErrDisplayNameControl, strings.Repeat("é", MaxDisplayName): nil, strings.Repeat("é", MaxDisplayName+1): ErrDisplayNameTooLong} {
		if err := CheckDisplayName(name); !errors.Is(err, want) {
			t.Errorf("CheckDisplayName(%.10q) = %v, want %v", name, err, want)
		}
	}
}
