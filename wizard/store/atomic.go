package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// DefaultLockWait bounds how long a change waits for another postino's.
const DefaultLockWait = 30 * time.Second

// ErrBusy is a lock that another postino held for longer than LockWait.
var ErrBusy = errors.New("another postino is changing the saved accounts")

// lock takes the store's lock file, creating the directory if needed. The
// lock is the operating system's (flock, LockFileEx), so a process that
// dies releases it.
func (s *Store) lock() (unlock func(), err error) {
	if err := s.makeDir(); err != nil {
		return nil, err
	}
	name := s.Path() + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock accounts: %w", err)
	}
	wait := s.LockWait
	if wait <= 0 {
		wait = DefaultLockWait
	}
	deadline := time.Now().Add(wait)
	for delay := time.Millisecond; ; delay = min(2*delay, 50*time.Millisecond) {
		locked, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", name, err)
		}
		if locked {
			break
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", name, ErrBusy)
		}
		time.Sleep(delay)
	}
	return func() {
		unlockFile(f)
		f.Close()
	}, nil
}

// makeDir creates the store's directory, readable by its owner only.
func (s *Store) makeDir() error {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", s.Dir, err)
	}
	info, err := os.Stat(s.Dir)
	if err != nil {
		return fmt.Errorf("create %s: %w", s.Dir, err)
	}
	if info.Mode().Perm() != 0o700 {
		if err := os.Chmod(s.Dir, 0o700); err != nil {
			return fmt.Errorf("protect %s: %w", s.Dir, err)
		}
	}
	return nil
}

// write replaces the file with accounts, keeping old, the bytes it held,
// as accounts.yaml.bak. It runs under the lock.
func (s *Store) write(accounts []Account, old []byte) error {
	data, err := encode(accounts)
	if err != nil {
		return err
	}
	s.removeStale()
	if old != nil {
		if err := writeAtomic(s.Path()+".bak", bytesTo(old), os.Rename); err != nil {
			return fmt.Errorf("keep the previous accounts: %w", err)
		}
	}
	if err := writeAtomic(s.Path(), bytesTo(data), os.Rename); err != nil {
		return fmt.Errorf("save accounts: %w", err)
	}
	return nil
}

func bytesTo(data []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}
}

// tempPattern names the temporary files of writeAtomic for path.
func tempPattern(path string) string { return "." + filepath.Base(path) + "-*.tmp" }

// removeStale deletes what writers killed half-way left behind: under the
// lock no other writer can be using them.
func (s *Store) removeStale() {
	for _, base := range []string{s.Path(), s.Path() + ".bak", s.pendingPath()} {
		stale, _ := filepath.Glob(filepath.Join(s.Dir, tempPattern(base)))
		for _, name := range stale {
			os.Remove(name)
		}
	}
}

// WriteFile writes data to path, mode 0600, whole or not at all: into a
// temporary file in the same directory, synced, then put in place and the
// directory synced. An existing path is replaced only when replace is
// set; otherwise it is left as it is and the error is fs.ErrExist.
func WriteFile(path string, data []byte, replace bool) error {
	put := os.Rename
	if !replace {
		// A hard link fails when path exists, where a rename would not.
		put = func(tmp, path string) error {
			if err := os.Link(tmp, path); err != nil {
				return err
			}
			return os.Remove(tmp)
		}
	}
	return writeAtomic(path, bytesTo(data), put)
}

// writeAtomic puts what fill writes at path with put (a rename, or a
// link that refuses an existing path): into a temporary file in the same
// directory, synced, put in place, and the directory synced, so that path
// is always either the old file or the whole new one.
func writeAtomic(path string, fill func(io.Writer) error, put func(tmp, path string) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil && !errors.Is(err, fs.ErrPermission) {
		return err
	}
	if err := fill(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := put(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}
