package providers

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/postino/postino/probe"
)

const oauthEntry = `providers:
  - id: oauth
    name: OAuth Mail
    domains: [oauth.test]
    incoming: [imaps://imap.oauth.test]
    outgoing: [smtp://smtp.oauth.test]
`

func TestOAuth2Block(t *testing.T) {
	for _, tt := range []struct {
		name, yaml string
		line       int
		want       string
	}{
		{"oauth2 without a block", "    auth: oauth2\n", 2, `signs in with oauth2 but has no "oauth2" block`},
		{"a block without oauth2", "    oauth2: {token_url: \"https://id.test/token\", authorization_url: \"https://id.test/auth\", scopes: [mail]}\n", 2, `does not name oauth2`},
		{"plain HTTP", "    auth: oauth2\n    oauth2: {token_url: \"http://id.test/token\", authorization_url: \"https://id.test/auth\", scopes: [mail]}\n", 8, `must be an https URL`},
		{"no scopes", "    auth: oauth2\n    oauth2: {token_url: \"https://id.test/token\", authorization_url: \"https://id.test/auth\"}\n", 8, `has no "scopes"`},
		{"no way to sign in", "    auth: oauth2\n    oauth2: {token_url: \"https://id.test/token\", scopes: [mail]}\n", 8, `needs device_authorization_url or authorization_url`},
		{"unknown key", "    auth: oauth2\n    oauth2: {token_url: \"https://id.test/token\", scope: [mail]}\n", 8, `unknown key "scope"`},
		{"auth twice", "    auth: [oauth2, oauth2]\n", 7, `given twice`},
	} {
		_, err := Load("p.yaml", []byte(oauthEntry+tt.yaml))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "p.yaml:"+strconv.Itoa(tt.line)+":") {
			t.Errorf("%s: Load() = %v, want p.yaml:%d: …%s", tt.name, err, tt.line, tt.want)
		}
	}
	db, err := Load("p.yaml", []byte(oauthEntry+"    auth: [oauth2, password]\n    oauth2:\n      device_authorization_url: https://id.test/device\n      token_url: https://id.test/token\n      scopes: [mail, offline_access]\n"))
	if err != nil {
		t.Fatalf("Load() = %v", err)
	}
	p, _ := db.ByDomain("oauth.test")
	if p.Auth != probe.AuthOAuth2 || !slices.Equal(p.Auths, []probe.Auth{probe.AuthOAuth2, probe.AuthPassword}) || p.OAuth2 == nil ||
		p.OAuth2.DeviceAuthorizationURL != "https://id.test/device" || !slices.Equal(p.OAuth2.Scopes, []string{"mail", "offline_access"}) || p.OAuth2.ClientID != "" {
		t.Errorf("provider = %+v, oauth2 %+v", p, p.OAuth2)
	}
}

// TestOAuth2ClientPatch: an organisation's file sets the client of a
// built-in provider without copying the entry; a client for a provider
// nobody defined is an error naming the line.
func TestOAuth2ClientPatch(t *testing.T) {
	embedded, err := os.ReadFile("../../providers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	org := filepath.Join(t.TempDir(), "org.yaml")
	os.WriteFile(org, []byte("providers:\n  - id: microsoft365\n    oauth2: {client_id: \"11111111-2222-3333-4444-555555555555\"}\n"), 0o600)
	db, err := LoadAll(embedded, []string{org})
	if err != nil {
		t.Fatalf("LoadAll() = %v", err)
	}
	p, _ := db.ByMX([]string{"contoso-com.mail.protection.outlook.com"})
	if p == nil || p.ID != "microsoft365" || p.OAuth2 == nil || p.OAuth2.ClientID != "11111111-2222-3333-4444-555555555555" ||
		p.OAuth2.TokenURL != "https://login.microsoftonline.com/common/oauth2/v2.0/token" || len(p.Incoming) == 0 {
		t.Fatalf("the patched provider = %+v", p)
	}
	if o, _ := db.ByDomain("outlook.com"); o.OAuth2.ClientID != "" {
		t.Errorf("the patch reached another provider: %+v", o.OAuth2)
	}
	base, _ := Load("providers.yaml", embedded)
	if q, _ := base.ByMX([]string{"contoso-com.mail.protection.outlook.com"}); q.OAuth2.ClientID != "" {
		t.Error("the patch changed the embedded list")
	}
	orphan := filepath.Join(t.TempDir(), "orphan.yaml")
	os.WriteFile(orphan, []byte("providers:\n  - id: nowhere\n    oauth2: {client_id: abc}\n"), 0o600)
	if _, err := LoadAll(embedded, []string{orphan}); err == nil || !strings.HasPrefix(err.Error(), orphan+":2: ") || !strings.Contains(err.Error(), `no earlier providers file has a provider "nowhere"`) {
		t.Errorf("LoadAll(orphan patch) = %v", err)
	}
}

// TestBuiltInOAuth2: the providers that sign in with OAuth2 carry their
// endpoints and mail scopes, and no other program's client ID.
func TestBuiltInOAuth2(t *testing.T) {
	embedded, err := os.ReadFile("../../providers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db, err := Load("providers.yaml", embedded)
	if err != nil {
		t.Fatal(err)
	}
	for id, scope := range map[string]string{
		"outlook": "https://outlook.office.com/IMAP.AccessAsUser.All", "microsoft365": "https://outlook.office.com/SMTP.Send",
		"gmail": "https://mail.google.com/", "google-workspace": "https://mail.google.com/", "yahoo": "mail-w", "aol": "mail-w",
	} {
		p := db.byID[id]
		if p == nil || p.OAuth2 == nil || !slices.Contains(p.OAuth2.Scopes, scope) || p.OAuth2.ClientID != "" || p.OAuth2.ClientSecret != "" {
			t.Errorf("%s: oauth2 %+v, want the scope %s and no client", id, p.OAuth2, scope)
		}
	}
}
