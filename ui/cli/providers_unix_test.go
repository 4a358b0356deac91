//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestProvidersFileBounded: a device, a FIFO and an oversized file are
// refused at once (exit 2, one sentence), never read without end or
// waited on.
func TestProvidersFileBounded(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file: its size is all that counts.
	if err := f.Truncate(17 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, tt := range []struct{ file, want string }{
		{"/dev/zero", "/dev/zero is not a regular file"},
		{fifo, "fifo.yaml is not a regular file"},
		{dir, "is not a regular file"},
		{big, "big.yaml is larger than 16 MiB"},
	} {
		code, stdout, stderr := runCLI(t, "", nil, "detect", "alice@libero.it", "--offline", "--providers", tt.file)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("--providers %s: exit %d, stdout %q, stderr %q; want 2 and one sentence with %q", tt.file, code, stdout, stderr, tt.want)
		}
	}
}
