package providers

import "testing"

func TestIsHelpPage(t *testing.T) {
	for link, want := range map[string]bool{
		"https://support.google.com/mail/answer/7126229":    true,
		"https://autoconfig.thunderbird.net/v1.1/yahoo.com": false,
		"https://example.com/mail/config-v1.1.xml":          false,
		"": false,
	} {
		if got := IsHelpPage(link); got != want {
			t.Errorf("IsHelpPage(%q) = %v, want %v", link, got, want)
		}
	}
}
