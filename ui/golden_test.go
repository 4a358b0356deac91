package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/postino/postino/probe"
)

// trimLines drops the blanks that end lines: text fields pad themselves to
// their width, and a golden file reads better without them.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// TestGolden draws every screen at 80×24 in both languages through a real
// Bubble Tea program and compares it, colours left out, with
// testdata/TestGolden/LANG/SCREEN.golden; go test -update rewrites them.
// The fakes are fixed and the spinner stands still, so a screen is the
// same on every run.
func TestGolden(t *testing.T) {
	for _, lang := range []probe.Lang{probe.English, probe.Italian} {
		for _, p := range paths {
			t.Run(string(lang)+"/"+p.name, func(t *testing.T) {
				d := newDeps()
				if p.setup != nil {
					p.setup(d)
				}
				m := newTestModel(t, lang, d)
				p.keys(m)
				tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
				teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("postino")) },
					teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
				if err := tm.Quit(); err != nil {
					t.Fatal(err)
				}
				final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
				requireStep(t, final, p.want)
				golden.RequireEqual(t, trimLines(ansi.Strip(final.View().Content))+"\n")
			})
		}
	}
}
