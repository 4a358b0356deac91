package ui

import (
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// qrQuiet is the quiet zone drawn around a QR code, in modules: on a dark
// terminal the light modules are the drawn ones, so the margin a scanner
// needs must be drawn too.
const qrQuiet = 2

// QRBlocks draws text as a QR code in Unicode half blocks, two modules a
// line, so that a sign-in address fits beside its instructions. Blocks
// are the terminal's foreground: on a dark background they are the light
// modules, on a light one the dark modules, so the code reads the same
// with or without colours (NO_COLOR). It is "" when text does not fit a
// QR code.
func QRBlocks(text string, dark bool) string {
	q, err := qrcode.New(text, qrcode.Low)
	if err != nil {
		return ""
	}
	q.DisableBorder = true
	bits := q.Bitmap()
	n := len(bits) + 2*qrQuiet
	// drawn reports whether the module at row y, column x of the code
	// with its quiet zone is a block; a last odd half line is empty.
	drawn := func(y, x int) bool {
		if y >= n {
			return false
		}
		y, x = y-qrQuiet, x-qrQuiet
		black := y >= 0 && x >= 0 && y < len(bits) && x < len(bits) && bits[y][x]
		return black != dark
	}
	var b strings.Builder
	for y := 0; y < n; y += 2 {
		for x := range n {
			top, bottom := drawn(y, x), drawn(y+1, x)
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteString(" ")
			}
		}
		b.WriteString("\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}
