package wizard

import (
	"context"

	"github.com/postino/postino/probe"
	"github.com/postino/postino/wizard/providers"
)

// Source is where a detection's settings came from, as DESIGN.md's JSON
// names it.
type Source string

// The sources, in order of trust.
const (
	SourceProviders  Source = "providers"
	SourceAutoconfig Source = "autoconfig"
	SourceISPDB      Source = "ispdb"
	SourceMX         Source = "mx"
	SourceSRV        Source = "srv"
	SourceGuess      Source = "guess"
	SourceManual     Source = "manual"
)

// SourceState is how far one source has got.
type SourceState int

// A source runs, then finds settings or does not.
const (
	SourceRunning SourceState = iota
	SourceFound
	SourceNotFound
)

// SourceEvent reports a source starting or finishing.
type SourceEvent struct {
	Source Source
	State  SourceState
}

// Detection is the settings found for an address.
type Detection struct {
	Source  Source
	Trusted bool
	// Provider and ProviderID name the provider the settings belong to;
	// both "" when unknown.
	Provider   string
	ProviderID string
	Incoming   []probe.Server
	Outgoing   []probe.Server
	Hints      []providers.Hint
}

// Detector finds the settings for an address. It calls progress, from any
// goroutine, as each source starts and ends, and stops when ctx is done.
type Detector interface {
	Detect(ctx context.Context, address string, progress func(SourceEvent)) (Detection, error)
}
