package store

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/postino/postino/wizard/store/storetest"
)

// The tests below run the test binary again as a second postino process:
// childEnv names what the child does, the other variables what it does it
// with.
const (
	childEnv        = "POSTINO_STORE_CHILD"
	childDirEnv     = "POSTINO_STORE_DIR"
	childAddressEnv = "POSTINO_STORE_ADDRESS"
	childCountEnv   = "POSTINO_STORE_COUNT"
	childKeyringEnv = "POSTINO_STORE_KEYRING"
)

// dirKeyring is a keyring two processes share: a file a password, in dir.
// afterSet, if set, runs once a password is stored.
type dirKeyring struct {
	dir      string
	afterSet func()
}

func (k dirKeyring) Get(address string) (string, error) {
	b, err := os.ReadFile(filepath.Join(k.dir, address))
	if errors.Is(err, os.ErrNotExist) {
		return "", ErrNoPassword
	}
	return string(b), err
}

func (k dirKeyring) Set(address, password string) error {
	if err := os.WriteFile(filepath.Join(k.dir, address), []byte(password), 0o600); err != nil {
		return err
	}
	if k.afterSet != nil {
		k.afterSet()
	}
	return nil
}

func (k dirKeyring) Delete(address string) error {
	err := os.Remove(filepath.Join(k.dir, address))
	if errors.Is(err, os.ErrNotExist) {
		return ErrNoPassword
	}
	return err
}

// orphans are the keyring's passwords that no account of s names.
func orphans(t *testing.T, s *Store, keyringDir string) []string {
	t.Helper()
	accounts, err := s.Accounts()
	if err != nil {
		t.Fatalf("Accounts() = %v", err)
	}
	entries, _ := os.ReadDir(keyringDir)
	var out []string
	for _, e := range entries {
		if !slices.ContainsFunc(accounts, func(a Account) bool { return a.Address == e.Name() }) {
			out = append(out, e.Name())
		}
	}
	return out
}

// startChild runs the child and waits for it to say it is ready.
func startChild(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- line
	}()
	select {
	case line := <-ready:
		if line != "ready\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the child said %q: %s", line, stderr.Bytes())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the child never got ready: %s", stderr.Bytes())
	}
}

// killableStore is a store whose keyring a child process shares, in the
// folder kr, for the tests that kill the child.
func killableStore(t *testing.T) (s *Store, kr string) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a Unix signal")
	}
	s, kr = newStore(t), t.TempDir()
	s.Keyring = dirKeyring{dir: kr}
	return s, kr
}

// TestKilledAfterTheKeyring: a postino killed between storing a password
// and writing the file that names its account leaves a password no
// account has; the next postino deletes it, so remove's job is never
// left undone.
func TestKilledAfterTheKeyring(t *testing.T) {
	s, kr := killableStore(t)
	cmd := childCommand("killed-after-keyring", s.Dir, "carol@example.test", childKeyringEnv+"="+kr)
	startChild(t, cmd)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if _, err := os.Stat(filepath.Join(kr, "carol@example.test")); err != nil {
		t.Fatalf("the child stored no password before it was killed: %v", err)
	}
	if left := orphans(t, s, kr); len(left) != 0 {
		t.Errorf("passwords without an account after the next run: %v", left)
	}
	if _, err := os.Stat(s.pendingPath()); !os.IsNotExist(err) {
		t.Errorf("the note of the pending password is still there: %v", err)
	}
}

// TestKilledAtAnyMoment: a postino saving and removing accounts killed at
// any moment leaves no password that the next run does not give an
// account or delete.
func TestKilledAtAnyMoment(t *testing.T) {
	s, kr := killableStore(t)
	for try := range 15 {
		cmd := childCommand("save-loop", s.Dir, "dave", childKeyringEnv+"="+kr)
		startChild(t, cmd)
		time.Sleep(time.Duration(1+try*3) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if left := orphans(t, s, kr); len(left) != 0 {
			t.Fatalf("try %d: passwords without an account: %v", try, left)
		}
	}
}

// child is the second process. Modes starting with "system-" use the
// system keyring, the others go-keyring's in-memory one.
func child(mode string) int {
	s := &Store{Dir: os.Getenv(childDirEnv), Keyring: System{Timeout: 20 * time.Second}}
	address := os.Getenv(childAddressEnv)
	if !strings.HasPrefix(mode, "system-") {
		s.Keyring = newKeyring()
	}
	fail := func(err error) int {
		var ue *UnavailableError
		if errors.As(err, &ue) {
			fmt.Fprintf(os.Stderr, "reason=%d ", ue.Reason)
		}
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	switch mode {
	case "half-write":
		// Take the lock, write half of a new file, say so, and wait to be
		// killed.
		if _, err := s.lock(); err != nil {
			return fail(err)
		}
		data, err := encode([]Account{alice(), bob()})
		if err != nil {
			return fail(err)
		}
		writeAtomic(s.Path(), func(w io.Writer) error {
			w.Write(data[:len(data)/2])
			w.(*os.File).Sync()
			fmt.Println("ready")
			time.Sleep(time.Minute)
			return errors.New("not killed")
		}, os.Rename)
		return 1
	case "killed-after-keyring":
		// Store the password, say so, and wait to be killed before the
		// file is written.
		s.Keyring = dirKeyring{dir: os.Getenv(childKeyringEnv), afterSet: func() {
			fmt.Println("ready")
			time.Sleep(time.Minute)
		}}
		a := alice()
		a.Address = address
		s.Save(a, password1)
		return 1
	case "save-loop":
		// Save and remove, over and over, until killed.
		s.Keyring = dirKeyring{dir: os.Getenv(childKeyringEnv)}
		fmt.Println("ready")
		for i := 0; ; i++ {
			a := bob()
			a.Address = address + strconv.Itoa(i%3) + "@example.test"
			if _, err := s.Save(a, password1); err != nil {
				return fail(err)
			}
			if i%2 == 1 {
				s.Remove(a.Address)
			}
		}
	case "save-many":
		n, _ := strconv.Atoi(os.Getenv(childCountEnv))
		for i := range n {
			a := bob()
			a.Address = address + strconv.Itoa(i) + "@example.test"
			if _, err := s.Save(a, password1); err != nil {
				return fail(err)
			}
		}
		return 0
	case "system-save":
		pw, _ := io.ReadAll(os.Stdin)
		a := alice()
		a.Address = address
		if _, err := s.Save(a, string(pw)); err != nil {
			return fail(err)
		}
		return 0
	case "system-password":
		a, err := s.Find(address)
		if err != nil {
			return fail(err)
		}
		pw, err := s.Password(a)
		if err != nil {
			return fail(err)
		}
		fmt.Print(pw)
		return 0
	case "system-remove":
		_, had, err := s.Remove(address)
		if err != nil {
			return fail(err)
		}
		fmt.Printf("had password: %v", had)
		return 0
	}
	return fail(fmt.Errorf("unknown child mode %q", mode))
}

// childCommand is the test binary run as a child in mode on dir.
func childCommand(mode, dir, address string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, childDirEnv+"="+dir, childAddressEnv+"="+address)
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

func TestKilledWriterLeavesTheOldFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a Unix signal")
	}
	s := newStore(t)
	if _, err := s.SaveSettings(alice()); err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(s.Path())

	cmd := childCommand("half-write", s.Dir, "")
	startChild(t, cmd)

	// Half-way: the lock is held and a partial temporary file exists.
	partial, _ := filepath.Glob(filepath.Join(s.Dir, tempPattern(s.Path())))
	if len(partial) != 1 {
		t.Errorf("temporary files %v, want the child's one", partial)
	}
	busy := &Store{Dir: s.Dir, Keyring: s.Keyring, LockWait: 50 * time.Millisecond}
	if _, err := busy.SaveSettings(bob()); !errors.Is(err, ErrBusy) {
		t.Errorf("SaveSettings() while the child holds the lock = %v, want ErrBusy", err)
	}

	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	if data, _ := os.ReadFile(s.Path()); !bytes.Equal(data, old) {
		t.Errorf("after the kill the file is\n%s\nwant the old one\n%s", data, old)
	}
	accounts, err := s.Accounts()
	if err != nil || len(accounts) != 1 || accounts[0].Address != "alice@example.test" {
		t.Fatalf("Accounts() after the kill = %+v, %v", accounts, err)
	}
	// The kernel released the dead writer's lock; the next writer clears
	// its leftovers.
	if _, err := s.SaveSettings(bob()); err != nil {
		t.Fatalf("SaveSettings() after the kill = %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(s.Dir, "*.tmp")); len(left) != 0 {
		t.Errorf("leftover temporary files: %v", left)
	}
	if accounts, _ := s.Accounts(); len(accounts) != 2 {
		t.Errorf("Accounts() = %+v, want alice and bob", accounts)
	}
}

func TestConcurrentProcesses(t *testing.T) {
	s := newStore(t)
	const processes, each = 2, 10
	var cmds []*exec.Cmd
	var outputs []*bytes.Buffer
	for p := range processes {
		cmd := childCommand("save-many", s.Dir, "p"+strconv.Itoa(p)+"-", childCountEnv+"="+strconv.Itoa(each))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
		outputs = append(outputs, &out)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("process %d: %v %s", i, err, outputs[i])
		}
	}
	accounts, err := s.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range accounts {
		seen[a.Address] = true
	}
	for p := range processes {
		for i := range each {
			if address := fmt.Sprintf("p%d-%d@example.test", p, i); !seen[address] {
				t.Errorf("%s was lost", address)
			}
		}
	}
	if len(accounts) != processes*each {
		t.Errorf("%d accounts, want %d", len(accounts), processes*each)
	}
}

// TestRealKeyring saves, reads and removes an account with the system
// keyring in a child process, and checks the keyring from outside with
// secret-tool, as another mail client would.
func TestRealKeyring(t *testing.T) {
	storetest.RequireKeyring(t)
	s := newStore(t)
	address := fmt.Sprintf("store-test-%d@example.test", os.Getpid())
	t.Cleanup(func() { storetest.Clear(address) })
	run := func(mode, stdin string) (string, error) {
		t.Helper()
		cmd := childCommand(mode, s.Dir, address)
		cmd.Stdin = strings.NewReader(stdin)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			err = fmt.Errorf("%v: %s", err, stderr.Bytes())
		}
		return string(out), err
	}

	if _, err := run("system-save", password1); err != nil {
		t.Fatalf("save: %v", err)
	}
	if got, ok := storetest.Lookup(t, address); !ok || got != password1 {
		t.Errorf("secret-tool lookup = %q, %v; want the password", got, ok)
	}
	if got, err := run("system-password", ""); got != password1 || err != nil {
		t.Errorf("Password() = %q, %v", got, err)
	}

	// A save whose file write fails puts the old password back.
	breakWrites(t, s)
	if _, err := run("system-save", password2); err == nil {
		t.Errorf("a save succeeded with a directory in the backup's place")
	}
	if got, _ := storetest.Lookup(t, address); got != password1 {
		t.Errorf("after a failed save secret-tool lookup = %q, want the previous password", got)
	}
	os.RemoveAll(s.Path() + ".bak")

	if out, err := run("system-remove", ""); out != "had password: true" || err != nil {
		t.Errorf("remove = %q, %v", out, err)
	}
	if got, ok := storetest.Lookup(t, address); ok {
		t.Errorf("after remove secret-tool lookup = %q, want nothing", got)
	}
	if _, err := run("system-remove", ""); err == nil || !strings.Contains(err.Error(), "no saved account") {
		t.Errorf("a second remove = %v, want no such account", err)
	}
}

// TestUnreachableKeyring is a Secret Service keyring that is not there: the
// session bus's address leads nowhere, or a bus has no keyring daemon on
// it. Each is told apart, so that a person is told what is missing.
func TestUnreachableKeyring(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the Secret Service is the keyring of Linux")
	}
	s := newStore(t)
	save := func(cmd *exec.Cmd) string {
		t.Helper()
		cmd.Stdin = strings.NewReader(password1)
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Fatalf("saving succeeded with no keyring")
		}
		if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the file was written without the keyring: %v", err)
		}
		return string(out)
	}
	out := save(childCommand("system-save", s.Dir, "a@example.test", "DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(s.Dir, "no-bus")))
	if want := fmt.Sprintf("reason=%d ", NoSessionBus); !strings.HasPrefix(out, want) {
		t.Errorf("with no session bus: %q, want %q", out, want)
	}

	storetest.RequireKeyring(t)
	// A private bus that can start no service at all.
	conf := filepath.Join(t.TempDir(), "bus.conf")
	os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=/tmp</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>
`), 0o600)
	bin, _ := os.Executable()
	cmd := exec.Command("dbus-run-session", "--config-file="+conf, "--", bin, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=system-save", childDirEnv+"="+s.Dir, childAddressEnv+"=a@example.test")
	out = save(cmd)
	if want := fmt.Sprintf("reason=%d ", NoSecretService); !strings.Contains(out, want) {
		t.Errorf("with no keyring daemon: %q, want %q", out, want)
	}
	// A bus whose keyring daemon has no unlocked keyring and no way to ask
	// for its password.
	cmd = exec.Command("dbus-run-session", "--", bin, "-test.run=^$")
	// Its own data and runtime directories keep its daemon from finding
	// and joining the keyring the other tests use.
	cmd.Env = append(os.Environ(), childEnv+"=system-save", childDirEnv+"="+s.Dir, childAddressEnv+"=a@example.test",
		"XDG_DATA_HOME="+t.TempDir(), "XDG_RUNTIME_DIR="+t.TempDir())
	out = save(cmd)
	if want := fmt.Sprintf("reason=%d ", KeyringLocked); !strings.Contains(out, want) {
		t.Errorf("with a locked keyring: %q, want %q", out, want)
	}
}
