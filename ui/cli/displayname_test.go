package cli

import (
	"regexp"
	"testing"

	"github.com/postino/postino/probe"
)

// TestDisplayName: a saved account's display name is shown by show (and
// its JSON), carried by the report and the exports that have one, and
// kept when the account is tested and saved again.
func TestDisplayName(t *testing.T) {
	l := newAccountsEnv(t)
	url, pin := startIMAPS(t)
	if code, _, stderr := l.run(t, unitPassword+"\n", "test", unitUser, "--incoming", url, "--pin", pin, "--password-stdin", "--save"); code != 0 {
		t.Fatalf("test --save = %d: %s", code, stderr)
	}
	a := l.find(t, unitUser)
	a.DisplayName = "Niccolò Rossi"
	// Port 1 on loopback: the exports need an outgoing server, never used.
	a.Outgoing = []probe.Server{{Protocol: probe.SMTP, Host: "127.0.0.1", Port: 1, Security: probe.TLS, Username: unitUser, Auth: probe.AuthPassword}}
	l.saveAccount(t, a, unitPassword)

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"show", unitUser}, `(?m)^  name shown +Niccolò Rossi$`},
		{[]string{"show", unitUser, "--lang", "it"}, `(?m)^  nome visualizzato +Niccolò Rossi$`},
		{[]string{"show", unitUser, "--json"}, `"display_name": "Niccolò Rossi"`},
		// The report tests again: the outgoing server on port 1 fails.
		{[]string{"report", unitUser}, `(?m)^- Name: Niccolò Rossi$`},
		// net/mail, as aerc reads it, decodes the encoded word.
		{[]string{"export", unitUser, "--format", "aerc"}, `(?m)^from += =\?utf-8\?q\?Niccol=C3=B2_Rossi\?= <` + regexp.QuoteMeta(unitUser) + `>$`},
		{[]string{"export", unitUser, "--format", "neomutt"}, `(?m)^set real_name = "Niccolò Rossi"$`},
		{[]string{"export", unitUser, "--format", "himalaya"}, `(?m)^display-name = "Niccolò Rossi"$`},
	} {
		code, stdout, stderr := l.run(t, "", tt.args...)
		if code > 1 || !regexp.MustCompile(tt.want).MatchString(stdout) {
			t.Errorf("postino %v = %d, lacks %q:\n%s%s", tt.args, code, tt.want, stdout, stderr)
		}
	}
	if code, _, stderr := l.run(t, "", "test", unitUser, "--incoming", url, "--save"); code != 0 {
		t.Fatalf("test NAME --incoming URL --save = %d: %s", code, stderr)
	}
	if got := l.find(t, unitUser).DisplayName; got != "Niccolò Rossi" {
		t.Errorf("after test --save the display name is %q", got)
	}
}
