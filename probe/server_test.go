package probe

import (
	"errors"
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		in   string
		want Server
	}{
		{"imaps://mail.example.com:993", Server{Protocol: IMAP, Host: "mail.example.com", Port: 993, Security: TLS, Auth: AuthPassword}},
		{"imaps://mail.example.com", Server{Protocol: IMAP, Host: "mail.example.com", Port: 993, Security: TLS, Auth: AuthPassword}},
		{"imap://mail.example.com", Server{Protocol: IMAP, Host: "mail.example.com", Port: 143, Security: StartTLS, Auth: AuthPassword}},
		{"imap+insecure://h:1143", Server{Protocol: IMAP, Host: "h", Port: 1143, Security: None, Auth: AuthPassword}},
		{"pop3s://h", Server{Protocol: POP3, Host: "h", Port: 995, Security: TLS, Auth: AuthPassword}},
		{"pop3://h", Server{Protocol: POP3, Host: "h", Port: 110, Security: StartTLS, Auth: AuthPassword}},
		{"pop3+insecure://h", Server{Protocol: POP3, Host: "h", Port: 110, Security: None, Auth: AuthPassword}},
		{"smtps://h", Server{Protocol: SMTP, Host: "h", Port: 465, Security: TLS, Auth: AuthPassword}},
		{"smtp://h", Server{Protocol: SMTP, Host: "h", Port: 587, Security: StartTLS, Auth: AuthPassword}},
		{"smtp+insecure://h:25", Server{Protocol: SMTP, Host: "h", Port: 25, Security: None, Auth: AuthPassword}},
		{"SMTPS://H:465/", Server{Protocol: SMTP, Host: "H", Port: 465, Security: TLS, Auth: AuthPassword}},
		{"imaps://[::1]:993", Server{Protocol: IMAP, Host: "::1", Port: 993, Security: TLS, Auth: AuthPassword}},
		{"imaps://anna%40example.com@h", Server{Protocol: IMAP, Host: "h", Port: 993, Security: TLS, Username: "anna@example.com", Auth: AuthPassword}},
	}
	for _, tt := range tests {
		got, err := ParseURL(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseURLRefuses(t *testing.T) {
	tests := []struct {
		in   string
		want URLProblem
	}{
		{"", URLMalformed},
		{"mail.example.com", URLMalformed},
		{"imaps://", URLMalformed},
		{"imaps://:993", URLMalformed},
		{"http://h", URLUnknownScheme},
		{"imaps://u:pw@h", URLHasPassword},
		{"imaps://h/INBOX", URLHasPath},
		{"imaps://h?x=1", URLHasPath},
		{"imaps://h:0", URLBadPort},
		{"imaps://h:70000", URLBadPort},
		{"imaps://h:x", URLMalformed},
	}
	for _, tt := range tests {
		_, err := ParseURL(tt.in)
		var ue *URLError
		if !errors.As(err, &ue) || ue.Problem != tt.want {
			t.Errorf("ParseURL(%q) = %v, want problem %d", tt.in, err, tt.want)
		}
		if ue != nil && strings.Contains(ue.URL, "pw@") {
			t.Errorf("ParseURL(%q) error keeps the password: %q", tt.in, ue.URL)
		}
	}
}

func TestServerStringRoundTrips(t *testing.T) {
	for _, raw := range []string{"imaps://h:993", "imap://h:143", "imap+insecure://h:143", "pop3s://h:995", "pop3://h:110", "pop3+insecure://h:110", "smtps://h:465", "smtp://h:587", "smtp+insecure://h:587", "imaps://[::1]:993"} {
		s, err := ParseURL(raw)
		if err != nil || s.String() != raw {
			t.Errorf("ParseURL(%q).String() = %q, %v", raw, s.String(), err)
		}
	}
}
