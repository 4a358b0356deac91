package store

import (
	"errors"
	"fmt"
	"net"
	"os/exec"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

func TestClassify(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want Reason
	}{
		{&exec.Error{Name: "dbus-launch", Err: exec.ErrNotFound}, NoSessionBus},
		{fmt.Errorf("connect: %w", &net.OpError{Op: "dial", Net: "unix", Err: errors.New("no such file or directory")}), NoSessionBus},
		{errors.New("dbus: couldn't determine address of session bus"), NoSessionBus},
		{dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown", Body: []any{"The name is not activatable"}}, NoSecretService},
		{errors.New("The name org.freedesktop.secrets was not provided by any .service files"), NoSecretService},
		{errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), KeyringLocked},
		{errors.New("Access denied"), KeyringFailed},
	} {
		if got := classify(tt.err); got != tt.want {
			t.Errorf("classify(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

func TestSystemKeyringWithGoKeyringsMock(t *testing.T) {
	keyring.MockInit()
	k := System{}
	if _, err := k.Get("a@b.c"); !errors.Is(err, ErrNoPassword) {
		t.Errorf("Get() of nothing = %v, want ErrNoPassword", err)
	}
	if err := k.Delete("a@b.c"); !errors.Is(err, ErrNoPassword) {
		t.Errorf("Delete() of nothing = %v, want ErrNoPassword", err)
	}
	if err := k.Set("a@b.c", password1); err != nil {
		t.Fatal(err)
	}
	if pw, err := k.Get("a@b.c"); pw != password1 || err != nil {
		t.Errorf("Get() = %q, %v", pw, err)
	}
	keyring.MockInitWithError(errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"))
	defer keyring.MockInit()
	var ue *UnavailableError
	if _, err := k.Get("a@b.c"); !errors.As(err, &ue) || ue.Reason != KeyringLocked {
		t.Errorf("Get() of a failing keyring = %v, want a locked keyring", err)
	}
	if err := k.Set("a@b.c", password1); !errors.As(err, &ue) {
		t.Errorf("Set() of a failing keyring = %v, want an *UnavailableError", err)
	}
}

func TestKeyringThatDoesNotAnswer(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	start := time.Now()
	_, err := within(50*time.Millisecond, func() (string, error) { <-release; return "", nil })
	var ue *UnavailableError
	if !errors.As(err, &ue) || ue.Reason != KeyringNoAnswer {
		t.Errorf("within() = %v, want no answer", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("within() took %v", d)
	}
}
