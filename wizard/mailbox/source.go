package mailbox

import (
	"github.com/postino/postino/probe"
)

// Source is where a detection's settings came from, as DESIGN.md's JSON
// names it.
type Source string

// The sources, in order of trust.
const (
	SourceProviders  Source = "providers"
	SourceAutoconfig Source = "autoconfig"
	SourceISPDB      Source = "ispdb"
	// SourceAutodiscover is Exchange Autodiscover (POX).
	SourceAutodiscover Source = "autodiscover"
	SourceMX           Source = "mx"
	SourceSRV          Source = "srv"
	SourceGuess        Source = "guess"
	SourceManual       Source = "manual"
)

// SourceState is how far one source has got.
type SourceState int

// A source runs, then finds settings, finds none, or is stopped because a
// better source answered first.
const (
	SourceRunning SourceState = iota
	SourceFound
	SourceNotFound
	SourceStopped
)

// SourceEvent reports a source starting or ending; Err says why it found
// nothing.
type SourceEvent struct {
	Source Source
	State  SourceState
	Err    error
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
	Hints      []probe.Text
}
