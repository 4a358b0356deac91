package store

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// TestUnverifiedMark: an account saved although its test failed is
// written as version 4 with unverified: true and read back marked; the
// file goes back to version 2 once no account carries the mark, and a
// version 3 file with the mark is refused.
func TestUnverifiedMark(t *testing.T) {
	s := newStore(t)
	a := alice()
	a.Unverified = true
	if _, err := s.Save(a, password1); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(s.Path())
	if !strings.Contains(string(data), "\nversion: 4\n") || !strings.Contains(string(data), "\n    unverified: true\n") {
		t.Errorf("a marked account is not written as version 4 with the mark:\n%s", data)
	}
	if strings.Contains(string(data), headerOAuth2) {
		t.Errorf("a file without sign-in settings has the OAuth2 header:\n%s", data)
	}
	got, err := s.Find(a.Address)
	if err != nil || !got.Unverified {
		t.Fatalf("Find() = %+v, %v: want the mark kept", got, err)
	}

	// Saved again after a test that passed: the mark goes, and so does
	// the need for version 4.
	got.Unverified = false
	if _, err := s.SaveSettings(got); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(s.Path())
	if !strings.Contains(string(data), "\nversion: 2\n") || strings.Contains(string(data), "unverified") {
		t.Errorf("an account no longer marked keeps version 4 or the mark:\n%s", data)
	}
	if got, _ := s.Find(a.Address); got.Unverified {
		t.Errorf("Find() = %+v: the mark came back", got)
	}

	// An older version never had the key.
	old := strings.Replace(strings.Replace(string(data), "version: 2", "version: 3", 1), "    outgoing:", "    unverified: true\n    outgoing:", 1)
	os.WriteFile(s.Path(), []byte(old), 0o600)
	var fe *FileError
	if _, err := s.Accounts(); !errors.As(err, &fe) || !strings.Contains(fe.Detail, "unverified is not in schema version 3") {
		t.Errorf("a version 3 file with the mark: Accounts() = %v, want it refused", err)
	}
}
