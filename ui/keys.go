package ui

import (
	"charm.land/bubbles/v2/key"
	"github.com/postino/postino/probe"
)

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
	Send       key.Binding
	SaveAnyway key.Binding
	NoPassword key.Binding
	Cancel     key.Binding
	Password   key.Binding
	Yes        key.Binding
	No         key.Binding
	PageUp     key.Binding
	PageDown   key.Binding
}

var (
	keyContinue   = probe.Text{EN: "continue", IT: "continua"}
	keyBack       = probe.Text{EN: "back", IT: "indietro"}
	keyNextField  = probe.Text{EN: "next field", IT: "campo successivo"}
	keyPrevField  = probe.Text{EN: "previous field", IT: "campo precedente"}
	keyQuit       = probe.Text{EN: "quit", IT: "esci"}
	keyHelp       = probe.Text{EN: "help", IT: "aiuto"}
	keyChoose     = probe.Text{EN: "choose", IT: "scegli"}
	keyChange     = probe.Text{EN: "change", IT: "cambia"}
	keyReveal     = probe.Text{EN: "show/hide", IT: "mostra/nascondi"}
	keyEdit       = probe.Text{EN: "edit", IT: "modifica"}
	keyRetry      = probe.Text{EN: "retry", IT: "riprova"}
	keyTrust      = probe.Text{EN: "trust certificate", IT: "fidati del certificato"}
	keySend       = probe.Text{EN: "send test message", IT: "invia messaggio di prova"}
	keySaveAnyway = probe.Text{EN: "save anyway", IT: "salva comunque"}
	keySwitch     = probe.Text{EN: "switch", IT: "cambia"}
	keyNoPassword = probe.Text{EN: "without password", IT: "senza password"}
	keyCancel     = probe.Text{EN: "cancel", IT: "annulla"}
	keyPassword   = probe.Text{EN: "use a password", IT: "usa una password"}
	keyYes        = probe.Text{EN: "yes", IT: "sì"}
	keyNo         = probe.Text{EN: "no", IT: "no"}
	keyScroll     = probe.Text{EN: "scroll", IT: "scorri"}
)

// NewKeyMap is the keys with their help in lang.
func NewKeyMap(lang probe.Lang) KeyMap {
	b := func(help string, desc probe.Text, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc.In(lang)))
	}
	yes := "y"
	if lang == probe.Italian {
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
		Send:       b("m", keySend, "m"),
		SaveAnyway: b("a", keySaveAnyway, "a"),
		NoPassword: b("w", keyNoPassword, "w"),
		Cancel:     b("esc", keyCancel, "esc"),
		Password:   b("p", keyPassword, "p"),
		Yes:        b(yes, keyYes, "y", "s"),
		No:         b("n", keyNo, "n", "esc"),
		PageUp:     b("pgup/pgdn", keyScroll, "pgup"),
		PageDown:   b("pgdn", keyScroll, "pgdown"),
	}
}
