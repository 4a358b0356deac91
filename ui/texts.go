// Package ui is what a person sees: the report of a test and, later, the
// wizard's screens. Every sentence exists in English and Italian.
package ui

import (
	"fmt"
	"strings"

	"github.com/postino/postino/probe"
)

// Text is one sentence in both languages; %-verbs take its arguments.
type Text struct{ EN, IT string }

// In gives the text in lang ("en" or "it").
func (t Text) In(lang string, args ...any) string {
	s := t.EN
	if lang == "it" {
		s = t.IT
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Lang picks the language: the --lang flag if given, else the locale
// (LC_ALL, LC_MESSAGES, LANG, in POSIX order), else English.
func Lang(flag string, getenv func(string) string) (string, error) {
	switch strings.ToLower(flag) {
	case "en", "it":
		return strings.ToLower(flag), nil
	case "":
	default:
		return "en", fmt.Errorf("--lang %q: choose it or en", flag)
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "it") {
				return "it", nil
			}
			return "en", nil
		}
	}
	return "en", nil
}

// Sentences of the command line.
var (
	TextUsage = Text{
		"usage: postino test ADDRESS [--incoming URL]... [--outgoing URL]... [--username U] [--password-stdin] [--ca-file PEM] [--pin sha256:HEX] [--allow-cleartext] [--timeout D] [--json] [--lang it|en]",
		"uso: postino test INDIRIZZO [--incoming URL]... [--outgoing URL]... [--username U] [--password-stdin] [--ca-file PEM] [--pin sha256:HEX] [--allow-cleartext] [--timeout D] [--json] [--lang it|en]",
	}
	TextUnknownCommand  = Text{"postino has no command %q; run postino help.", "postino non ha il comando %q; esegui postino help."}
	TextWantAddress     = Text{"postino test needs one email address, e.g. postino test anna@example.com.", "postino test richiede un indirizzo email, ad esempio postino test anna@example.com."}
	TextBadAddress      = Text{"%q is not an email address like anna@example.com.", "%q non è un indirizzo email come anna@example.com."}
	TextBadFlag         = Text{"Bad command line: %s.", "Riga di comando non valida: %s."}
	TextWrongRole       = Text{"%s is a %s server, but --%s needs %s.", "%s è un server %s, ma --%s richiede %s."}
	TextBadCAFile       = Text{"Cannot use --ca-file %s: %s.", "Impossibile usare --ca-file %s: %s."}
	TextNoCertsInCAFile = Text{"Cannot use --ca-file %s: it holds no PEM certificate.", "Impossibile usare --ca-file %s: non contiene certificati PEM."}
	TextBadPin          = Text{"%q is not a SHA-256 fingerprint: give sha256: and 64 hex digits.", "%q non è un'impronta SHA-256: indica sha256: e 64 cifre esadecimali."}
	TextPasswordStdin   = Text{"Cannot read the password from standard input: %s.", "Impossibile leggere la password dallo standard input: %s."}
	TextEmptyPassword   = Text{"The password read from standard input is empty.", "La password letta dallo standard input è vuota."}
	TextPasswordPrompt  = Text{"Password for %s (not shown): ", "Password per %s (non viene mostrata): "}
	TextNoDetection     = Text{"postino cannot find the settings for %s by itself yet: give them with --incoming and --outgoing.", "postino non sa ancora trovare da solo le impostazioni per %s: indicale con --incoming e --outgoing."}
	TextCleartextWarn   = Text{"Warning: --allow-cleartext lets the password travel unencrypted to %s.", "Attenzione: --allow-cleartext fa viaggiare la password senza cifratura verso %s."}
	TextNoTerminal      = Text{"postino needs a terminal for the wizard; in scripts use its commands, e.g. postino test ADDRESS --password-stdin.", "postino richiede un terminale per la procedura guidata; negli script usa i suoi comandi, ad esempio postino test INDIRIZZO --password-stdin."}
)

// URLTexts explain each way a server URL can be wrong.
var URLTexts = map[probe.URLProblem]Text{
	probe.URLMalformed:     {"%q is not a server URL like imaps://mail.example.com:993.", "%q non è un URL di server come imaps://mail.example.com:993."},
	probe.URLUnknownScheme: {"%q has an unknown scheme: use imaps, imap, imap+insecure, pop3s, pop3, pop3+insecure, smtps, smtp or smtp+insecure.", "%q ha uno schema sconosciuto: usa imaps, imap, imap+insecure, pop3s, pop3, pop3+insecure, smtps, smtp o smtp+insecure."},
	probe.URLHasPassword:   {"%q contains a password: never put one on the command line, use --password-stdin.", "%q contiene una password: non metterla mai sulla riga di comando, usa --password-stdin."},
	probe.URLHasPath:       {"%q has a path or query: give only scheme://host:port.", "%q ha un percorso o una query: indica solo schema://host:porta."},
	probe.URLBadPort:       {"%q has a bad port: a port is a number from 1 to 65535.", "%q ha una porta non valida: una porta è un numero da 1 a 65535."},
}
