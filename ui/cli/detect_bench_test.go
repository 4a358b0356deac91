package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// benchmarkDetectOffline runs postino detect --offline for address, as a
// person would, and checks where the settings came from.
func benchmarkDetectOffline(b *testing.B, address, source string) {
	b.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(string) string { return "" }
	for b.Loop() {
		stdout.Reset()
		stderr.Reset()
		code := Run(context.Background(), []string{"detect", address, "--offline", "--json"}, strings.NewReader(""), &stdout, &stderr, getenv)
		if code != 0 || !strings.Contains(stdout.String(), `"source": "`+source+`"`) {
			b.Fatalf("detect %s --offline = %d\n%s%s", address, code, stdout.String(), stderr.String())
		}
	}
}

// A domain of the built-in providers list: answered before the ISP
// database is read at all.
func BenchmarkDetectOfflineProvider(b *testing.B) {
	benchmarkDetectOffline(b, "anna@libero.it", "providers")
}

// A domain only the built-in ISP database knows: its index is built by
// the first iteration (BenchmarkBuiltinISPDBIndex in wizard/discover
// times that alone); each run reads and parses one file.
func BenchmarkDetectOfflineISPDB(b *testing.B) {
	benchmarkDetectOffline(b, "anna@wp.pl", "ispdb")
}
