package signin

import (
	"context"
	"net/http"
	"os/exec"
	"runtime"

	"github.com/postino/postino/probe"
)

// SignIn signs in the way the provider allows: the device flow where cfg
// has a device URL (a code to type on any device, a phone included), else
// the browser on a loopback redirect, opened when browser is set. show
// gets the prompt: for the browser, only VerificationURI, the address to
// open, with no UserCode.
func SignIn(ctx context.Context, cfg Config, client *http.Client, lang probe.Lang, browser bool, show func(DevicePrompt)) (Token, error) {
	if cfg.DeviceAuthorizationURL != "" {
		return Device(ctx, cfg, client, show)
	}
	var open func(string) error
	if browser {
		open = OpenBrowser
	}
	return Browser(ctx, cfg, client, lang, open, func(u string) { show(DevicePrompt{VerificationURI: u}) })
}

// OpenBrowser opens u in the person's browser, where there is one; Browser
// takes it as its open function.
func OpenBrowser(u string) error {
	name, args := "xdg-open", []string{u}
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		name, args = "rundll32", []string{"url.dll,FileProtocolHandler", u}
	}
	return exec.Command(name, args...).Start()
}
