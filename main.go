// Command postino sets up an email account: it finds and live-tests the
// server settings, explains what is wrong, and keeps the result.
package main

import (
	"context"
	_ "embed"
	"os"
	"os/signal"

	"github.com/postino/postino/ui/cli"
)

// providersYAML is postino's curated provider list, built into the binary.
//
//go:embed providers.yaml
var providersYAML []byte

func main() {
	cli.EmbeddedProviders = providersYAML
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	if ctx.Err() != nil {
		// Only SIGINT cancels ctx: whatever the command made of it, the
		// exit code says it was interrupted.
		code = 130
	}
	stop()
	os.Exit(code)
}
