package probe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxShown bounds a server's text shown to a person.
const maxShown = 500

// Sanitize makes a server's text safe for a terminal: escape sequences
// (CSI, OSC, DCS and the like) are dropped whole, other control characters
// and invalid UTF-8 become nothing or a space, and the text is cut to a
// readable length.
func Sanitize(s string) string {
	var b strings.Builder
	runes := 0
	for i := 0; i < len(s) && runes < maxShown; {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b || r == 0x9b || r == 0x9d || r == 0x90:
			i = skipEscape(s, i)
			continue
		case r == utf8.RuneError && size <= 1:
		case r == '\t':
			b.WriteByte(' ')
			runes++
		case unicode.IsControl(r) || r == 0x7f || unicode.In(r, unicode.Cf) && r != 0x200d:
		default:
			b.WriteRune(r)
			runes++
		}
		i += size
	}
	return strings.TrimSpace(b.String())
}

// skipEscape returns the index just past the escape sequence starting at i.
func skipEscape(s string, i int) int {
	r, size := utf8.DecodeRuneInString(s[i:])
	i += size
	kind := r
	if r == 0x1b {
		if i >= len(s) {
			return i
		}
		switch s[i] {
		case '[':
			kind = 0x9b
		case ']':
			kind = 0x9d
		case 'P', '_', '^', 'X':
			kind = 0x90
		default:
			// A two-character sequence such as ESC c (reset).
			return i + 1
		}
		i++
	}
	switch kind {
	case 0x9b:
		// CSI: parameters and intermediates, then one final byte @ to ~.
		for i < len(s) {
			c := s[i]
			i++
			if c >= 0x40 && c <= 0x7e {
				break
			}
		}
	default:
		// OSC, DCS and other strings run to BEL or ST (ESC \ or 0x9c).
		for i < len(s) {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			if r, size := utf8.DecodeRuneInString(s[i:]); r == 0x9c {
				return i + size
			}
			i++
		}
	}
	return i
}
