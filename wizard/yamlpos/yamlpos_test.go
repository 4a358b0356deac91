package yamlpos

import (
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestLocate(t *testing.T) {
	tests := []struct {
		name, data string
		line       int
		problem    string
	}{
		{"scanner: a tab", "a: 1\nb:\n\t- c\n", 3, "found character that cannot start any token"},
		{"parser: an unclosed flow sequence", "a: [1, 2\nb: 3\n", 2, "did not find expected ',' or ']'"},
		{"parser: a key missing", "a:\n  b: 1\n c: 2\n", 3, "did not find expected key"},
		{"a type error names its first problem", "- 1\n", 1, "cannot unmarshal !!seq into map[string]int"},
		{"past the end: the last line", "a: \"open\n", 1, "found unexpected end of stream"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v map[string]int
			err := yaml.Unmarshal([]byte(tt.data), &v)
			if err == nil {
				t.Fatalf("Unmarshal(%q) = nil", tt.data)
			}
			line, problem := Locate([]byte(tt.data), err)
			if line != tt.line || problem != tt.problem {
				t.Errorf("Locate(%v) = %d, %q; want %d, %q", err, line, problem, tt.line, tt.problem)
			}
		})
	}
}
