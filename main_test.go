//go:build unix

package main

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// buildPostino builds the binary into a temporary directory.
func buildPostino(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "postino")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// interrupt sends SIGINT to cmd once ready is closed, and wants exit 130.
func interrupt(t *testing.T, cmd *exec.Cmd, ready <-chan struct{}) {
	t.Helper()
	select {
	case <-ready:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("postino never got to wait")
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 130 {
			t.Errorf("after SIGINT postino ended with %v, want exit status 130", err)
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("postino did not stop on SIGINT")
	}
}

// TestInterruptedExits130 interrupts postino test while it waits on a
// server that accepts and never speaks, and the plain wizard while it
// waits for an answer.
func TestInterruptedExits130(t *testing.T) {
	bin := buildPostino(t)
	t.Run("test", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		ready := make(chan struct{})
		go func() {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
			close(ready)
			time.Sleep(30 * time.Second)
		}()
		cmd := exec.Command(bin, "test", "anna@example.com", "--incoming", "imaps://"+ln.Addr().String(), "--timeout", "60s")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		interrupt(t, cmd, ready)
	})
	t.Run("plain wizard", func(t *testing.T) {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		out, err := os.CreateTemp(t.TempDir(), "out")
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "--plain", "--lang", "en")
		cmd.Stdin, cmd.Stdout, cmd.Env = r, out, append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir(), "XDG_DATA_HOME="+t.TempDir())
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		r.Close()
		ready := make(chan struct{})
		go func() {
			for range 200 {
				if fi, err := os.Stat(out.Name()); err == nil && fi.Size() > 0 {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			close(ready)
		}()
		interrupt(t, cmd, ready)
	})
}
