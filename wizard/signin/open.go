package signin

import (
	"os/exec"
	"runtime"
)

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
