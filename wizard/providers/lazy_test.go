package providers

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLazyEmbedded: LoadAll reads the organisation's files at once and
// the embedded file only when first asked, unless a file sets the client
// of one of its providers.
func TestLazyEmbedded(t *testing.T) {
	embedded, err := os.ReadFile(realFile)
	if err != nil {
		t.Fatal(err)
	}
	if db, err := Load("providers.yaml", embedded); err != nil || newDB().unpatched(db) != nil {
		t.Fatalf("the embedded file cannot be read lazily: %v, or it gives only a client", err)
	}
	dir := t.TempDir()
	org := filepath.Join(dir, "org.yaml")
	os.WriteFile(org, []byte("providers:\n  - id: acme\n    name: ACME\n    domains: [acme.example]\n    incoming: [imaps://imap.acme.example]\n    outgoing: [smtps://smtp.acme.example]\n"), 0o600)
	db, err := LoadAll(embedded, []string{org})
	if err != nil {
		t.Fatal(err)
	}
	if db.lazy == nil || db.providers != nil {
		t.Fatal("LoadAll read the embedded file before any question")
	}
	if p, ok := db.ByDomain("ACME.example."); !ok || p.Source != org+":2" {
		t.Errorf("ByDomain(acme.example) = %v, %v", p, ok)
	}
	if db.providers != nil {
		t.Error("the last file's exact domain read the embedded file")
	}
	if p, ok := db.ByDomain("gmail.com"); !ok || p.ID != "gmail" {
		t.Errorf("ByDomain(gmail.com) = %v, %v", p, ok)
	}
	if p, ok := db.ByDomain("acme.example"); !ok || p.Source != org+":2" {
		t.Errorf("ByDomain(acme.example) = %v, %v once built", p, ok)
	}

	// An exact domain of the last file answers as the built merge does,
	// over the embedded entry that had it.
	takeover := filepath.Join(dir, "takeover.yaml")
	os.WriteFile(takeover, []byte("providers:\n  - id: acme\n    name: ACME\n    domains: [googlemail.com]\n    incoming: [imaps://imap.acme.example]\n    outgoing: [smtps://smtp.acme.example]\n"), 0o600)
	db, err = LoadAll(embedded, []string{takeover})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := db.ByDomain("googlemail.com")
	db.ByDomain("gmail.com")
	if after, _ := db.ByDomain("googlemail.com"); before == nil || before != after || before.ID != "acme" {
		t.Errorf("ByDomain(googlemail.com) = %v before the embedded file is read, %v after; want acme's", before, after)
	}

	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("providers:\n  - id: acme\n    name: ACME\n"), 0o600)
	if _, err := LoadAll(embedded, []string{bad}); err == nil || err.Error() != bad+`:2: provider "acme" has no "incoming".` {
		t.Errorf("LoadAll(bad) = %v, want the file's mistake at once", err)
	}

	patch := filepath.Join(dir, "patch.yaml")
	os.WriteFile(patch, []byte("providers:\n  - id: gmail\n    oauth2: {client_id: org-client}\n"), 0o600)
	db, err = LoadAll(embedded, []string{patch})
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := db.ByDomain("gmail.com"); !ok || p.OAuth2 == nil || p.OAuth2.ClientID != "org-client" {
		t.Errorf("ByDomain(gmail.com) = %+v, %v; want the organisation's client", p, ok)
	}
	if _, err := LoadAll(embedded, []string{patch, patch}); err != nil {
		t.Errorf("LoadAll(patch, patch) = %v", err)
	}

	// A lazy DB whose content cannot be read is empty, never a panic.
	if _, ok := Lazy("broken.yaml", []byte("providers: [")).ByDomain("gmail.com"); ok {
		t.Error("a broken lazy file answered")
	}
}
