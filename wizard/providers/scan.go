package providers

import "strings"

// patternScan is the domains and MX patterns of a lazy file, read from its
// text without decoding it, so that a question none of them can answer is
// answered without reading the file. It is only ever used to say "none of
// this file's patterns matches": where its reading of a line is not
// certain, ok is false and the file is read whole.
type patternScan struct {
	ok                      bool
	domains, domainWild, mx map[string]bool
	mxWild                  map[string]bool
}

// mayMatchDomain reports whether a pattern of the file could match the
// normalised name, as lookup would.
func (s *patternScan) mayMatchDomain(name string) bool {
	return !s.ok || mayMatch(s.domains, s.domainWild, name)
}

// mayMatchMX is mayMatchDomain for MX hosts.
func (s *patternScan) mayMatchMX(hosts []string) bool {
	if !s.ok {
		return true
	}
	for _, h := range hosts {
		if name, ok := normalizeHost(h); ok && mayMatch(s.mx, s.mxWild, name) {
			return true
		}
	}
	return false
}

func mayMatch(exact, wild map[string]bool, name string) bool {
	if exact[name] {
		return true
	}
	for rest := name; ; {
		i := strings.IndexByte(rest, '.')
		if i < 0 {
			return false
		}
		rest = rest[i+1:]
		if wild[rest] {
			return true
		}
	}
}

// scanPatterns reads the domains and MX patterns of every entry of data,
// in the layout entries accepts, each entry's keys one a line at its
// keys' column: "domains:" or "mx:" followed by a one-line flow list, or
// by a block list of one pattern a line. Any other form of these keys
// (anchors, tags, quoted keys, a list over several lines, an escape in a
// quoted pattern) leaves the scan not ok.
func scanPatterns(data []byte) *patternScan {
	s := &patternScan{domains: map[string]bool{}, domainWild: map[string]bool{}, mx: map[string]bool{}, mxWild: map[string]bool{}}
	chunks, ok := entries(data)
	if !ok {
		return s
	}
	for _, c := range chunks {
		if !s.entry(data[c.start:c.end]) {
			return s
		}
	}
	s.ok = true
	return s
}

// entry scans one entry's lines; false where it is not certain.
func (s *patternScan) entry(text []byte) bool {
	lines := strings.Split(string(text), "\n")
	first := strings.TrimRight(lines[0], "\r")
	dash := strings.Index(first, "-")
	rest := strings.TrimLeft(first[dash+1:], " ")
	keyColumn := len(first) - len(rest)
	if rest == "" || rest[0] == '#' {
		keyColumn = -1 // the keys begin on the next line
		lines[0] = ""
	} else {
		lines[0] = strings.Repeat(" ", keyColumn) + rest
	}
	seen := map[string]bool{}
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r")
		content := strings.TrimLeft(line, " ")
		if content == "" || content[0] == '#' {
			continue
		}
		margin := len(line) - len(content)
		if keyColumn < 0 {
			keyColumn = margin
		}
		if margin > keyColumn {
			continue // inside a key's value
		}
		if margin < keyColumn {
			return false
		}
		key, value, found := strings.Cut(content, ":")
		if !found || !isPlainKey(key) {
			return false
		}
		if key != "domains" && key != "mx" {
			continue
		}
		if seen[key] {
			return false
		}
		seen[key] = true
		exact, wild := s.domains, s.domainWild
		if key == "mx" {
			exact, wild = s.mx, s.mxWild
		}
		value = withoutComment(value)
		var items []string
		switch {
		case strings.HasPrefix(value, "[") && strings.HasSuffix(value, "]"):
			for _, item := range strings.Split(value[1:len(value)-1], ",") {
				items = append(items, strings.TrimSpace(item))
			}
		case value == "":
			for i+1 < len(lines) {
				next := strings.TrimRight(lines[i+1], "\r")
				item := strings.TrimLeft(next, " ")
				if item != "" && item[0] != '#' && len(next)-len(item) <= keyColumn {
					break
				}
				i++
				if item == "" || item[0] == '#' {
					continue
				}
				v, ok := strings.CutPrefix(item, "- ")
				if !ok {
					return false
				}
				items = append(items, withoutComment(v))
			}
		default:
			return false
		}
		for _, item := range items {
			raw, ok := patternText(item)
			if !ok {
				return false
			}
			norm, why := normalizePattern(raw)
			if why != "" {
				return false
			}
			if suffix, ok := wildcardSuffix(norm); ok {
				wild[suffix] = true
			} else {
				exact[norm] = true
			}
		}
	}
	return true
}

// isPlainKey reports whether key is a key written as a plain word.
func isPlainKey(key string) bool {
	for _, r := range key {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return key != ""
}

// withoutComment trims a value and drops a comment after it; a "#" that
// does not follow a space is part of the value, and is then refused by
// patternText.
func withoutComment(v string) string {
	if i := strings.Index(v, " #"); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v)
}

// patternText is the value of a pattern as YAML reads it: a plain
// scalar, or a quoted one without escapes.
func patternText(item string) (string, bool) {
	if len(item) >= 2 && (item[0] == '"' || item[0] == '\'') && item[len(item)-1] == item[0] {
		inner := item[1 : len(item)-1]
		if strings.ContainsAny(inner, "\"'\\") {
			return "", false
		}
		return inner, true
	}
	if item == "" || strings.ContainsAny(item, " \t,[]{}#&*!|>'\"%@`:?") || strings.HasPrefix(item, "-") {
		return "", false
	}
	return item, true
}
