// Command postino sets up an email account: it finds and live-tests the
// server settings, explains what is wrong, and keeps the result.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/postino/postino/ui/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
