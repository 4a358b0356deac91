package ui

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard"
	"github.com/postino/postino/wizard/mailbox"
)

// runPlain answers the plain wizard's questions with the lines given.
func runPlain(t *testing.T, lang probe.Lang, d *deps, answers ...string) (string, error) {
	t.Helper()
	return runPlainWidth(t, lang, d, 1000, answers...)
}

// runPlainWidth is runPlain on a terminal width columns wide.
func runPlainWidth(t *testing.T, lang probe.Lang, d *deps, width int, answers ...string) (string, error) {
	t.Helper()
	var out strings.Builder
	err := RunPlain(context.Background(), strings.NewReader(strings.Join(answers, "\n")+"\n"), &out, Options{
		Lang: lang, Detector: d.detector, Saver: d.saver, Tester: d.tester.test, Sender: d.tester.send,
		Providers:  func() (wizard.ProviderFinder, error) { return testProviders, nil },
		Formats:    []string{"thunderbird", "aerc"},
		HTTPClient: hangingClient,
		Command:    d.commands.run,
		Width:      width,
	})
	return out.String(), err
}

func TestPlain(t *testing.T) {
	tests := []struct {
		name    string
		lang    probe.Lang
		setup   func(d *deps)
		answers []string
		err     error
		want    []string
		check   func(t *testing.T, d *deps)
	}{
		{"the whole way", "en", nil,
			[]string{"", "", "anna@example.com", "", "", "pw one", "", "", ""}, nil,
			[]string{"1. IMAP (recommended)", "Example Mail needs an app password", "postino's provider list: found", "All settings work.", "anna@example.com is set up.", "--format FORMAT", "thunderbird, aerc"},
			func(t *testing.T, d *deps) {
				if d.saver.password != "pw one" || len(d.saver.saved) != 1 {
					t.Errorf("saved %v with %q", d.saver.saved, d.saver.password)
				}
			}},
		{"in Italian, with POP", "it", nil,
			[]string{"", "2", "anna@example.com", "", "", "pw", "", "n", ""}, nil,
			[]string{"Come vuoi leggere la posta?", "Tutte le impostazioni funzionano.", "POP mail.example.com:995"}, nil},
		{"a bad address is asked again", "en", nil,
			[]string{"", "", "anna@", "anna@example.com", "", "", "pw", "", "", ""}, nil,
			[]string{"The domain after the @ is missing", "is set up."}, nil},
		{"a bad choice is asked again", "en", nil,
			[]string{"", "7", "1", "anna@example.com", "", "", "pw", "", "", ""}, nil,
			[]string{"Choose 1 or 2 [1]: ", "Choose 1 or 2.\n", "is set up."}, nil},
		{"a bad choice is asked again, in Italian", "it", nil,
			[]string{"", "tre", "2", "anna@example.com", "", "", "pw", "e", "", "", "5", "", "", "", "", "", "", "", "", "", ""}, nil,
			[]string{"Scegli 1 o 2 [1]: ", "Scegli 1 o 2.\n", "In arrivo, sicurezza (1. SSL/TLS", "è configurato."}, nil},
		{"< goes back", "en", nil,
			[]string{"", "", "<", "", "anna@example.com", "", "", "pw", "", "", ""}, nil,
			[]string{"is set up."}, nil},
		{"edit by hand", "en", nil,
			[]string{"", "", "anna@example.com", "", "", "pw", "e", "imap.example.com", "", "", "", "", "2525", "", "", "", "", ""}, nil,
			[]string{"Incoming, server [mail.example.com]:", "Outgoing, port [587]:", "is set up."},
			func(t *testing.T, d *deps) {
				a := d.saver.saved[0]
				if a.Incoming[0].Host != "imap.example.com" || a.Outgoing[0].Port != 2525 || a.Source != "manual" || len(a.Tests) != 2 {
					t.Errorf("saved %+v", a)
				}
			}},
		{"an IP address for a host is saved with a warning", "en", nil,
			[]string{"", "", "anna@example.com", "", "", "pw", "e", "192.0.2.10", "", "", "", "", "", "", "", "", "", ""}, nil,
			[]string{"is set up.", "! The server 192.0.2.10 is an IP address, not a name", "mbsync refuses"},
			func(t *testing.T, d *deps) {
				if a := d.saver.saved[0]; a.Incoming[0].Host != "192.0.2.10" {
					t.Errorf("saved %+v", a)
				}
			}},
		{"trust a certificate", "en", untrustedIMAP,
			[]string{"", "", "anna@example.com", "", "", "pw", "", "t", "yes", "", ""}, nil,
			[]string{"SHA-256 fingerprint: " + strings.Repeat("c3", 32), "t to trust the certificate", "All settings work.", "The certificate you trusted is stored"}, nil},
		{"save anyway after a failure", "en", blockedSMTP,
			[]string{"", "", "anna@example.com", "", "", "pw one", "", "a"}, nil,
			[]string{"did not answer in time", "a to save anyway (marked as not verified)", "anna@example.com is set up.", "Saved as not verified: its test did not pass."},
			func(t *testing.T, d *deps) {
				if len(d.saver.saved) != 1 || !d.saver.saved[0].Unverified || d.saver.password != "pw one" {
					t.Errorf("saved %+v with %q, want it marked not verified", d.saver.saved, d.saver.password)
				}
			}},
		{"save anyway, in Italian", "it", blockedSMTP,
			[]string{"", "", "anna@example.com", "", "", "pw", "", "a"}, nil,
			[]string{"«a» per salvare comunque (l'account sarà segnato come non verificato)", "Salvato come non verificato: la prova non è riuscita."}, nil},
		{"keyring unavailable: without the password", "en", func(d *deps) { d.saver.saveErr = errNoKeyring },
			[]string{"", "", "anna@example.com", "", "", "pw", "", "", "", "w"}, nil,
			[]string{"No keyring service", "w to save without the password", "The password was not stored"}, nil},
		{"a test message, sent", "en", nil,
			[]string{"", "", "anna@example.com", "", "", "pw one", "", "y", ""}, nil,
			[]string{"Send a test message to yourself? y/N:", "Sending a test message to anna@example.com…", "Test message sent to anna@example.com at", "(420 ms): look for “postino test message” in your inbox.", "is set up."},
			func(t *testing.T, d *deps) {
				if len(d.tester.sent) != 1 || d.tester.sent[0] != (probe.Message{Address: "anna@example.com", Lang: "en"}) || d.tester.sentVia[0].Port != 587 {
					t.Errorf("sent %+v via %+v", d.tester.sent, d.tester.sentVia)
				}
			}},
		{"a test message, refused, in Italian", "it", rcptRefused,
			[]string{"", "", "anna@example.com", "", "", "pw", "", "sì", ""}, nil,
			[]string{"Vuoi inviare un messaggio di prova a te stesso? s/N:", "Il messaggio di prova non è stato inviato. mail.example.com:587 non ha accettato il messaggio di prova (al comando RCPT TO).", "550 5.7.1 Relay access denied", "è configurato."}, nil},
		{"no test message", "en", nil,
			[]string{"", "", "anna@example.com", "", "", "pw", "", "n", ""}, nil,
			[]string{"is set up."},
			func(t *testing.T, d *deps) {
				if len(d.tester.sent) != 0 {
					t.Errorf("sent %+v", d.tester.sent)
				}
			}},
		{"a blocked 465 falls back to 587", "en", blocked465,
			[]string{"", "", "anna@example.com", "", "", "pw", "o", "", "", ""}, nil,
			[]string{"(choice 2 of 2)", "✗ SMTP mail.example.com:465: mail.example.com:465 did not answer in time", "postino tried the next server.", "All settings work.", "Outgoing: SMTP mail.example.com:587"},
			func(t *testing.T, d *deps) {
				if a := d.saver.saved[0]; a.Outgoing[0].Port != 587 || len(a.Tests) != 3 || a.Unverified {
					t.Errorf("saved %+v", a)
				}
			}},
		{"a refused password typed again", "en", wrongPassword,
			[]string{"", "", "anna@example.com", "", "", "pw one", "", "p", "right pw", "", ""}, nil,
			[]string{"refused the user name or password", "p to type the password again", "The server refused the last password", "All settings work.", "is set up."},
			func(t *testing.T, d *deps) {
				if d.saver.password != "right pw" {
					t.Errorf("saved with %q", d.saver.password)
				}
			}},
		{"the summary names the next commands", "en", nil,
			[]string{"", "", "anna@example.com", "Anna Rossi", "", "pw", "", "", ""}, nil,
			[]string{"anna@example.com is set up.", "Your name in the From: Anna Rossi", "Keyring entry: service postino, user anna@example.com.", "Next:", "postino test anna@example.com", "postino report anna@example.com", "postino export anna@example.com --format FORMAT"}, nil},
		{"the summary, in Italian", "it", nil,
			[]string{"", "", "anna@example.com", "", "", "pw", "", "", ""}, nil,
			[]string{"anna@example.com è configurato.", "Voce del portachiavi: servizio postino, utente anna@example.com.", "E adesso:", "prova di nuovo i server", "postino export anna@example.com --format FORMATO"}, nil},
		{"an address saved already, replaced", "en", nil,
			[]string{"", "", "anna@work.example", "", "r", "pw", "", "", ""}, nil,
			[]string{"anna@work.example is already saved, as work.", "Type r to replace work with the new settings, or a name to keep both [work-2]:", "is set up.", "postino test work"},
			func(t *testing.T, d *deps) {
				if a := d.saver.saved[0]; a.Name != "work" || a.Beside {
					t.Errorf("saved %+v", a)
				}
			}},
		{"an address saved already, both kept", "it", nil,
			[]string{"", "", "anna@work.example", "", "work", "", "pw", "", "", ""}, nil,
			[]string{"anna@work.example è già salvato con il nome work.", "Il nome work appartiene già all'account di anna@work.example", "Nome dell'account: work-2", "postino test work-2"},
			func(t *testing.T, d *deps) {
				if a := d.saver.saved[0]; a.Name != "work-2" || !a.Beside {
					t.Errorf("saved %+v", a)
				}
			}},
		{"a saved account: report, export, then adding one", "en", nil,
			[]string{"1", "r", "x", "aerc", "<", "", "q"}, ErrAborted,
			[]string{"1. work <anna@work.example>", "type 1 to pick the saved one", "work: t tests it again", "$ postino report work", "**All settings work.**",
				"$ postino export work --format aerc -o accounts.conf", "How do you want to read your mail?"},
			func(t *testing.T, d *deps) {
				if got := d.commands.runs(); len(got) != 2 {
					t.Errorf("ran %q", got)
				}
			}},
		{"a number that is no saved account's is asked again", "en", nil,
			[]string{"5", "work", "1", "<", "", "q"}, ErrAborted,
			[]string{"type 1 to pick the saved one: Choose 1.\nPress enter to add an account, or type 1 to pick the saved one: Choose 1.\nPress enter",
				"work: t tests it again", "How do you want to read your mail?"},
			func(t *testing.T, d *deps) {
				if got := d.commands.runs(); len(got) != 0 {
					t.Errorf("ran %q", got)
				}
			}},
		{"a saved account removed after asking", "it", nil,
			[]string{"1", "d", "n", "d", "s", "q"}, ErrAborted,
			[]string{"Eliminare work e la sua password dal portachiavi?", "$ postino remove work", "Removed work"},
			func(t *testing.T, d *deps) {
				if got := d.commands.runs(); len(got) != 1 || got[0][0] != "remove" {
					t.Errorf("ran %q", got)
				}
			}},
		{"no network: r looks again", "en", noNetwork,
			[]string{"", "", "anna@example.com", "", "", "pw", "r", "", "", ""}, nil,
			[]string{"No internet connection (or DNS is not working): postino could not look for the settings.", "Type r to try again, or press enter to enter the settings by hand:", "is set up."}, nil},
		{"no network, in Italian: by hand", "it", noNetwork,
			[]string{"", "", "anna@example.com", "", "", "pw", "", "", "", "", "", "", "", "", "", "", "", "", ""}, nil,
			[]string{"Nessuna connessione a internet (oppure il DNS non funziona)", "Impostazioni per anna@example.com, a mano"}, nil},
		{"a name", "en", nil,
			[]string{"", "", "anna@example.com", "  Anna Rossi ", "", "pw", "", "y", ""}, nil,
			[]string{"Your name, as the people you write to will see it (optional): ", "is set up."},
			func(t *testing.T, d *deps) {
				if a := d.saver.saved[0]; a.DisplayName != "Anna Rossi" {
					t.Errorf("saved %+v", a)
				}
				if len(d.tester.sent) != 1 || d.tester.sent[0].Name != "Anna Rossi" {
					t.Errorf("sent %+v", d.tester.sent)
				}
			}},
		{"a name with a control character is asked again, in Italian", "it", nil,
			[]string{"", "", "anna@example.com", "Anna\x1b[2JRossi", "Anna Rossi", "", "pw", "", "", ""}, nil,
			[]string{"Un nome non può contenere caratteri di controllo", "è configurato."}, nil},
		{"a typo: did you mean", "en", nil,
			[]string{"", "", "anna@exmaple.com", "", "", "", "pw", "", "", ""}, nil,
			[]string{"Checking exmaple.com…", "Did you mean anna@example.com? exmaple.com receives no mail.", "Use anna@example.com? Y/n: ", "anna@example.com is set up."},
			func(t *testing.T, d *deps) {
				if a := d.saver.saved[0]; a.Address != "anna@example.com" {
					t.Errorf("saved %+v", a)
				}
			}},
		{"a typo kept, in Italian", "it", nil,
			[]string{"", "", "anna@exmaple.com", "", "no", "pw", "", "", ""}, nil,
			[]string{"Forse intendevi anna@example.com? exmaple.com non riceve posta.", "Vuoi usare anna@example.com? S/n: ", "anna@exmaple.com è configurato."}, nil},
		{"no typo where the domain has mail", "en", func(d *deps) { d.detector.mail = map[string]bool{"exmaple.com": true} },
			[]string{"", "", "anna@exmaple.com", "", "pw", "", "", ""}, nil,
			[]string{"Checking exmaple.com…", "anna@exmaple.com is set up."}, noGuess},
		{"without DNS, no guess for a domain that may exist", "en", func(d *deps) { d.detector.dnsDown = true },
			[]string{"", "", "anna@exmaple.com", "", "pw", "", "", ""}, nil,
			[]string{"anna@exmaple.com is set up."}, noGuess},
		{"without DNS, a domain that cannot exist", "en", func(d *deps) { d.detector.dnsDown = true },
			[]string{"", "", "anna@example.con", "", "", "", "pw", "", "", ""}, nil,
			[]string{"Did you mean anna@example.com? example.con receives no mail.", "anna@example.com is set up."}, nil},
		{"an Exchange server's advice", "it", func(d *deps) {
			d.detector.result = mailbox.Detection{Hints: []probe.Text{{EN: "This is an Exchange server: ask IT whether IMAP is on.", IT: "Questo è un server Exchange: chiedi al reparto IT se IMAP è attivo."}}}
		}, []string{"", "", "anna@example.com", "", "", "pw"}, ErrAborted,
			[]string{"Questo è un server Exchange: chiedi al reparto IT se IMAP è attivo."}, nil},
		{"q quits", "en", nil, []string{"", "q"}, ErrAborted, []string{"How do you want to read your mail?"}, nil},
		{"the end of the input quits", "en", nil, []string{"", ""}, ErrAborted, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDeps()
			if tt.setup != nil {
				tt.setup(d)
			}
			out, err := runPlain(t, tt.lang, d, tt.answers...)
			if !errors.Is(err, tt.err) {
				t.Fatalf("RunPlain() = %v, want %v\n%s", err, tt.err, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("the output lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out, "pw one") {
				t.Error("the output shows the password")
			}
			if tt.check != nil {
				tt.check(t, d)
			}
		})
	}
}

// TestPlainWraps runs the plain wizard on a narrow terminal: every line
// fits, but for a word longer than a line, and a list item's lines go on
// under its text.
// noGuess checks that the account was saved as typed.
func noGuess(t *testing.T, d *deps) {
	if a := d.saver.saved[0]; a.Address != "anna@exmaple.com" {
		t.Errorf("saved %+v", a)
	}
}

func TestPlainWraps(t *testing.T) {
	for _, lang := range []probe.Lang{probe.English, probe.Italian} {
		out, err := runPlainWidth(t, lang, newDeps(), 40, "", "", "anna@example.com", "", "", "pw", "", "", "")
		if err != nil {
			t.Fatalf("RunPlain() = %v\n%s", err, out)
		}
		for _, line := range strings.Split(out, "\n") {
			// A prompt is followed on its line by the next, as the
			// answers are not echoed.
			for _, part := range strings.SplitAfter(line, ": ") {
				if w := ansi.StringWidth(strings.TrimSpace(part)); w > 40 && strings.Contains(strings.TrimSpace(part), " ") {
					t.Errorf("%s: a line of %d cells: %q", lang, w, line)
				}
			}
		}
		if !strings.Contains(out, "\n     ") {
			t.Errorf("%s: no list item goes on under its text:\n%s", lang, out)
		}
	}
}

func TestWrapPlain(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"one two three four", "one two\nthree four"},
		{"  - one two three", "  - one\n    two\n    three"},
		{"  1. one two three", "  1. one\n     two\n     three"},
		{"a  b   c", "a  b   c"}, // fits: its columns are kept
		{"Choose 1 or 2 [1]: ", "Choose 1\nor 2 [1]: "},
		{"see https://example.com/a/long/page", "see\nhttps://example.com/a/long/page"},
		{"\nEmail address: ", "\nEmail\naddress: "},
	} {
		if got := wrapPlain(tt.in, 10); got != tt.want {
			t.Errorf("wrapPlain(%q, 10) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPlainSignIn(t *testing.T) {
	t.Run("no client ID, an app password instead", func(t *testing.T) {
		d := newDeps()
		d.detector.result = oauthSettings
		out, err := runPlain(t, probe.English, d, "", "", "anna@office.example", "", "p", "app pw", "", "", "")
		for _, want := range []string{"Sign in with Office Mail", "OAuth2 sign-in is not set up for Office Mail.", "client_id", "p to use a password instead", "is set up."} {
			if !strings.Contains(out, want) {
				t.Errorf("the output lacks %q:\n%s", want, out)
			}
		}
		if err != nil || d.saver.password != "app pw" || d.saver.saved[0].Incoming[0].Auth != probe.AuthAppPassword {
			t.Errorf("RunPlain() = %v; saved %+v", err, d.saver.saved)
		}
	})
	t.Run("q cancels the wait", func(t *testing.T) {
		out, err := runPlain(t, probe.Italian, newDeps(), "", "", "anna@oauth.example", "", "q", "<", "q")
		for _, want := range []string{"Accedi con OAuth Mail", "Accesso annullato.", "Scrivi r per riprovare, oppure < per tornare indietro"} {
			if !strings.Contains(out, want) {
				t.Errorf("the output lacks %q:\n%s", want, out)
			}
		}
		if !errors.Is(err, ErrAborted) {
			t.Errorf("RunPlain() = %v, want ErrAborted", err)
		}
	})
}

// TestExportArgsNeverReplace: the welcome screen's export writes the
// format's usual file, or the first free name beside it.
func TestExportArgsNeverReplace(t *testing.T) {
	t.Chdir(t.TempDir())
	want := func(file string) {
		t.Helper()
		args := exportArgs("work", "msmtp")
		if got := args[len(args)-1]; got != file {
			t.Fatalf("exportArgs = %q, want the file %s", args, file)
		}
		if err := os.WriteFile(file, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	want("msmtprc")
	want("msmtprc-2")
	want("msmtprc-3")
	if args := exportArgs("work", "apple"); args[len(args)-1] != "postino.mobileconfig" {
		t.Errorf("exportArgs for apple = %q, want postino.mobileconfig", args)
	}
}
