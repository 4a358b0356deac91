package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// BenchmarkFirstFrame starts the postino binary on a pseudo-terminal,
// every iteration, and times it from the fork to its first frame on the
// terminal (the welcome's title). It does the same with the smallest
// Bubble Tea program that draws one line (testdata/oneline), and reports
// postino's time against it ("x-oneline") and against the goal of 50 ms
// ("x-goal"). Nothing is warm but the operating system's page cache, as
// when a person starts postino twice.
func BenchmarkFirstFrame(b *testing.B) {
	dir := b.TempDir()
	postino, oneline := filepath.Join(dir, "postino"), filepath.Join(dir, "oneline")
	for bin, pkg := range map[string]string{postino: "github.com/postino/postino", oneline: "./testdata/oneline"} {
		if out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
			b.Fatalf("go build %s: %v\n%s", pkg, err, out)
		}
	}
	env := []string{"TERM=xterm-256color", "LANG=C.UTF-8", "HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "PATH=" + os.Getenv("PATH")}
	var ours, theirs time.Duration
	runs := 0
	for b.Loop() {
		ours += firstFrame(b, postino, env, "Welcome to postino")
		theirs += firstFrame(b, oneline, env, "Welcome to one line")
		runs++
	}
	ours, theirs = ours/time.Duration(runs), theirs/time.Duration(runs)
	b.ReportMetric(float64(ours.Microseconds())/1000, "ms/first-frame")
	b.ReportMetric(float64(theirs.Microseconds())/1000, "ms/oneline")
	b.ReportMetric(float64(ours)/float64(theirs), "x-oneline")
	b.ReportMetric(float64(ours)/float64(50*time.Millisecond), "x-goal")
}

// firstFrame runs bin on a new pseudo-terminal of 80×24 and returns the
// time from its start until want reached the terminal; then it kills it.
func firstFrame(b *testing.B, bin string, env []string, want string) time.Duration {
	b.Helper()
	master, slave := openPTY(b)
	defer master.Close()
	cmd := exec.Command(bin)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	seen := make(chan time.Time, 1)
	var out bytes.Buffer
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		buf := make([]byte, 64<<10)
		found := false
		for {
			n, err := master.Read(buf)
			if !found {
				out.Write(buf[:n])
				if bytes.Contains(out.Bytes(), []byte(want)) {
					found = true
					seen <- time.Now()
				}
			}
			if err != nil {
				return
			}
		}
	}()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	slave.Close()
	stop := func() {
		cmd.Process.Kill()
		cmd.Wait()
		master.Close()
		wg.Wait()
	}
	select {
	case at := <-seen:
		stop()
		return at.Sub(start)
	case <-time.After(10 * time.Second):
		stop()
		b.Fatalf("%s drew no %q within 10 s; it wrote:\n%q", filepath.Base(bin), want, out.String())
		return 0
	}
}

// openPTY opens a pseudo-terminal pair sized 80×24.
func openPTY(b *testing.B) (master, slave *os.File) {
	b.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		b.Fatal(err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		b.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		b.Fatal(err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		b.Fatal(err)
	}
	if err := unix.IoctlSetWinsize(int(s.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 24, Col: 80}); err != nil {
		b.Fatal(err)
	}
	return m, s
}
