package ui

import "charm.land/bubbles/v2/key"

// KeyMap is every key of the wizard. Each screen says which are live, so
// the help bar never offers a dead key.
type KeyMap struct {
	Next       key.Binding
	Back       key.Binding
	Tab        key.Binding
	ShiftTab   key.Binding
	Quit       key.Binding
	Help       key.Binding
	HelpF1     key.Binding // help where ? is text
	Up         key.Binding
	Down       key.Binding
	Left       key.Binding
	Right      key.Binding
	Reveal     key.Binding
	Edit       key.Binding
	Retry      key.Binding
	Trust      key.Binding
	NoPassword key.Binding
	Yes        key.Binding
	No         key.Binding
	PageUp     key.Binding
	PageDown   key.Binding
}

var (
	keyContinue   = Text{"continue", "continua"}
	keyBack       = Text{"back", "indietro"}
	keyNextField  = Text{"next field", "campo successivo"}
	keyPrevField  = Text{"previous field", "campo precedente"}
	keyQuit       = Text{"quit", "esci"}
	keyHelp       = Text{"help", "aiuto"}
	keyChoose     = Text{"choose", "scegli"}
	keyChange     = Text{"change", "cambia"}
	keyReveal     = Text{"show/hide", "mostra/nascondi"}
	keyEdit       = Text{"edit", "modifica"}
	keyRetry      = Text{"retry", "riprova"}
	keyTrust      = Text{"trust certificate", "fidati del certificato"}
	keySwitch     = Text{"switch", "cambia"}
	keyNoPassword = Text{"without password", "senza password"}
	keyYes        = Text{"yes", "sì"}
	keyNo         = Text{"no", "no"}
	keyScroll     = Text{"scroll", "scorri"}
)

// NewKeyMap is the keys with their help in lang.
func NewKeyMap(lang string) KeyMap {
	b := func(help string, desc Text, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc.In(lang)))
	}
	yes := "y"
	if lang == "it" {
		yes = "s"
	}
	return KeyMap{
		Next:       b("enter", keyContinue, "enter"),
		Back:       b("esc", keyBack, "esc"),
		Tab:        b("tab", keyNextField, "tab"),
		ShiftTab:   b("shift+tab", keyPrevField, "shift+tab"),
		Quit:       b("ctrl+c", keyQuit, "ctrl+c"),
		Help:       b("?", keyHelp, "?", "f1"),
		HelpF1:     b("f1", keyHelp, "f1"),
		Up:         b("↑/↓", keyChoose, "up", "k"),
		Down:       b("↓", keyChoose, "down", "j"),
		Left:       b("←/→", keyChange, "left", "h"),
		Right:      b("→", keyChange, "right", "l"),
		Reveal:     b("ctrl+r", keyReveal, "ctrl+r"),
		Edit:       b("e", keyEdit, "e"),
		Retry:      b("r", keyRetry, "r"),
		Trust:      b("t", keyTrust, "t"),
		NoPassword: b("w", keyNoPassword, "w"),
		Yes:        b(yes, keyYes, "y", "s"),
		No:         b("n", keyNo, "n", "esc"),
		PageUp:     b("pgup/pgdn", keyScroll, "pgup"),
		PageDown:   b("pgdn", keyScroll, "pgdown"),
	}
}
