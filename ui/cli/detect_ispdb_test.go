package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// ispdbFileDomains is the first <domain> element, outside comments, of
// every file of the ISP database postino embeds, read from the files
// themselves. (wizard/discover's tests ask for every domain of every file
// the way detect does; here each file goes through the command.)
func ispdbFileDomains(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("../../wizard/discover/ispdb/*.xml")
	if err != nil || len(files) == 0 {
		t.Fatalf("Glob() = %v, %v", files, err)
	}
	comment := regexp.MustCompile(`(?s)<!--.*?-->`)
	elem := regexp.MustCompile(`<domain>\s*([^<]*?)\s*</domain>`)
	var domains []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("ReadFile() = %v", err)
		}
		m := elem.FindStringSubmatch(comment.ReplaceAllString(string(data), ""))
		if m == nil {
			t.Errorf("%s lists no domain", f)
			continue
		}
		domains = append(domains, strings.ToLower(m[1]))
	}
	return domains
}

// postino detect --offline knows every file of the ISP database it
// embeds: it gives settings from the providers files or the ISP
// database, or, for a provider that publishes only servers without
// encryption, says so and names them.
func TestDetectOfflineEveryISPDBFile(t *testing.T) {
	domains := ispdbFileDomains(t)
	bySource := map[string]int{}
	var cleartext []string
	for _, d := range domains {
		code, stdout, stderr := runCLI(t, "", nil, "detect", "anna@"+d, "--offline", "--json")
		var out struct {
			Schema int    `json:"schema"`
			Found  bool   `json:"found"`
			Source string `json:"source"`
			detectJSON
		}
		if err := json.Unmarshal([]byte(stdout), &out); err != nil || out.Schema != 1 {
			t.Errorf("%s: stdout is not the JSON of detect: %v\n%s", d, err, stdout)
			continue
		}
		switch {
		case code == 0 && out.Found && (out.Source == "providers" || out.Source == "ispdb") && out.Trusted &&
			len(out.Incoming) > 0 && len(out.Outgoing) > 0 && out.Incoming[0].Security != "none" && out.Outgoing[0].Security != "none":
			bySource[out.Source]++
		case code == 1 && !out.Found && strings.Contains(stderr, "only servers without encryption (") && strings.Contains(stderr, "+insecure://"):
			cleartext = append(cleartext, d)
		default:
			t.Errorf("detect anna@%s --offline = %d, found %v, source %q, %d/%d servers\n%s", d, code, out.Found, out.Source, len(out.Incoming), len(out.Outgoing), stderr)
		}
	}
	t.Logf("%d files, by their first domain: %d from the providers files, %d from the ISP database, %d known only without encryption: %s",
		len(domains), bySource["providers"], bySource["ispdb"], len(cleartext), strings.Join(cleartext, " "))
	if bySource["ispdb"] == 0 {
		t.Errorf("no domain was answered by the ISP database")
	}
}

func TestDetectOfflineISPDB(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", nil, "detect", "jan.kowalski@wp.pl", "--offline")
	if code != 0 || stderr != "" || !strings.Contains(stdout, "Poczta Wirtualna Polska") ||
		!strings.Contains(stdout, "imap.wp.pl:993") || !strings.Contains(stdout, "Thunderbird's provider database") {
		t.Errorf("detect jan.kowalski@wp.pl --offline = %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "", nil, "detect", "anna@nifty.com", "--offline", "--lang", "it")
	if code != 1 || stdout != "" || !strings.Contains(stderr, "solo server senza cifratura (pop3+insecure://pop.nifty.com:110)") {
		t.Errorf("detect anna@nifty.com --offline = %d %q %q", code, stdout, stderr)
	}
}
