package ui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Styles are every style of the wizard's screens, in one place. Meaning is
// never carried by colour alone: marks (›, ✓, ✗, !) say the same, so the
// screens read as well with NO_COLOR, where the renderer drops colours.
type Styles struct {
	Title    lipgloss.Style
	Header   lipgloss.Style
	Subtle   lipgloss.Style
	Body     lipgloss.Style
	Selected lipgloss.Style
	Label    lipgloss.Style
	Value    lipgloss.Style
	OK       lipgloss.Style
	Bad      lipgloss.Style
	Warn     lipgloss.Style
	Spinner  lipgloss.Style
	Box      lipgloss.Style
	Help     help.Styles
}

// DefaultStyles are the styles for a dark or a light terminal background.
func DefaultStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#B5A8FF"))
	subtle := ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#9A9A9A"))
	return Styles{
		Title:    lipgloss.NewStyle().Bold(true).Foreground(accent),
		Header:   lipgloss.NewStyle().Foreground(subtle),
		Subtle:   lipgloss.NewStyle().Foreground(subtle),
		Body:     lipgloss.NewStyle(),
		Selected: lipgloss.NewStyle().Bold(true).Foreground(accent),
		Label:    lipgloss.NewStyle().Foreground(subtle),
		Value:    lipgloss.NewStyle().Bold(true),
		OK:       lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#1A7F37"), lipgloss.Color("#56D364"))),
		Bad:      lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#CF222E"), lipgloss.Color("#FF7B72"))),
		Warn:     lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#9A6700"), lipgloss.Color("#E3B341"))),
		Spinner:  lipgloss.NewStyle().Foreground(accent),
		Box:      lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(subtle).Padding(0, 1),
		Help:     help.DefaultStyles(isDark),
	}
}
