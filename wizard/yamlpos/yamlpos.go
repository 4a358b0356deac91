// Package yamlpos says where in a file an error of the yaml package is.
// The package puts the line in its message, and counts it from zero for
// its parser's errors but from one for its scanner's; both the providers
// files and accounts.yaml name the line a person must look at.
package yamlpos

import (
	"bytes"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// lineOf finds "line N: what" in the yaml package's errors.
var lineOf = regexp.MustCompile(`line (\d+): (.*)`)

// parserProblems are the errors of the yaml package's parser (parserc.go),
// as opposed to its scanner's: the ones whose line counts from zero.
var parserProblems = []string{
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected '-' indicator",
	"did not find expected <document start>",
	"did not find expected <stream-start>",
	"did not find expected key",
	"did not find expected node content",
	"found duplicate %TAG directive",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found undefined tag handle",
}

// Locate is where err, an error of the yaml package about data, is: a
// one-based line within data (an error past the end is on its last line),
// and what it says without the "yaml: line N:" around it. The first of a
// *yaml.TypeError's errors stands for all.
func Locate(data []byte, err error) (line int, problem string) {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	problem = strings.TrimPrefix(msg, "yaml: ")
	if m := lineOf.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		problem = m[2]
	}
	if slices.ContainsFunc(parserProblems, func(p string) bool { return strings.HasPrefix(problem, p) }) {
		line++
	}
	lines := bytes.Count(bytes.TrimRight(data, "\n"), []byte("\n")) + 1
	return min(max(line, 1), lines), problem
}
