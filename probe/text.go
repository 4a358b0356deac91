package probe

import (
	"fmt"
	"strings"
)

// Lang is a language postino speaks to people in.
type Lang string

// The languages: every text exists in both.
const (
	English Lang = "en"
	Italian Lang = "it"
)

// ParseLang is the language s names, "en" or "it" in any case; ok is
// false for anything else, which the caller refuses rather than guessing.
func ParseLang(s string) (lang Lang, ok bool) {
	switch l := Lang(strings.ToLower(s)); l {
	case English, Italian:
		return l, true
	}
	return "", false
}

// LocaleLang is the language of a locale setting such as LANG's
// "it_IT.UTF-8": Italian for an Italian locale, else English.
func LocaleLang(locale string) Lang {
	if strings.HasPrefix(strings.ToLower(locale), "it") {
		return Italian
	}
	return English
}

// Text is one sentence in English and Italian; %-verbs take its arguments.
// It is postino's one bilingual text type, from the probe's explanations
// to the screens and the commands.
type Text struct{ EN, IT string }

// In gives the text in lang, English unless lang is Italian and the text
// has an Italian version.
func (t Text) In(lang Lang, args ...any) string {
	s := t.EN
	if lang == Italian && t.IT != "" {
		s = t.IT
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}
