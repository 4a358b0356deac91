// Package storetest is what the tests of postino's saved accounts share:
// a keyring in memory whose calls can be made to fail, and a look at
// postino's entries in a real keyring from outside, as another program
// would see them.
package storetest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// RequireKeyring skips the test unless a real keyring was set up for the
// tests (POSTINO_TEST_KEYRING, which .ci/test sets inside the D-Bus session
// where it starts gnome-keyring), so that a developer's own keyring is never
// touched. In CI a missing or unusable keyring fails the test instead:
// skipping there would hide it.
func RequireKeyring(t testing.TB) {
	t.Helper()
	if os.Getenv("POSTINO_TEST_KEYRING") == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("POSTINO_TEST_KEYRING is not set: .ci/test runs the tests inside dbus-run-session with gnome-keyring")
		}
		t.Skip("no test keyring: run bash .ci/test")
	}
	const probe = "postino-test-probe"
	cmd := exec.Command("secret-tool", "store", "--label", probe, "service", probe, "username", probe)
	cmd.Stdin = strings.NewReader(probe)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the test keyring is unavailable: secret-tool store: %v %s", err, out)
	}
	if got, ok := lookup(t, probe, probe); !ok || got != probe {
		t.Fatalf("the test keyring is unavailable: secret-tool lookup gave %q", got)
	}
	exec.Command("secret-tool", "clear", "service", probe, "username", probe).Run()
}

// Lookup is what `secret-tool lookup service postino username ADDRESS`
// prints, and whether it found an entry.
func Lookup(t testing.TB, address string) (string, bool) {
	t.Helper()
	return lookup(t, "postino", address)
}

func lookup(t testing.TB, service, user string) (string, bool) {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command("secret-tool", "lookup", "service", service, "username", user)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 && stderr.Len() == 0 {
		return "", false
	}
	if err != nil {
		t.Fatalf("secret-tool lookup: %v %s", err, stderr.Bytes())
	}
	return string(out), true
}

// Clear removes postino's entry for address, if any.
func Clear(address string) {
	exec.Command("secret-tool", "clear", "service", "postino", "username", address).Run()
}
