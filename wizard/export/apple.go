package export

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/postino/postino/probe"
)

var (
	textAppleProfile = probe.Text{EN: "Email account %s", IT: "Account email %s"}
	textAppleCAName  = probe.Text{EN: "Authority %s", IT: "Autorità %s"}
	textAppleCADescr = probe.Text{EN: "Trusts the authority %s for the mail servers. On iPhone and iPad, also turn on full trust for it in Settings, General, About, Certificate Trust Settings.", IT: "Rende attendibile l'autorità %s per i server di posta. Su iPhone e iPad, attiva anche l'attendibilità completa in Impostazioni, Generali, Info, Impostazioni certificati attendibili."}
	textAppleDescr   = probe.Text{EN: "Sets up %s in Mail on iPhone, iPad and Mac. The device asks for the password; the profile holds none.", IT: "Configura %s in Mail su iPhone, iPad e Mac. Il dispositivo chiede la password; il profilo non ne contiene."}
)

// Apple is the account as a configuration profile (.mobileconfig) with one
// com.apple.mail.managed payload, for Mail on iOS, iPadOS and macOS. It
// holds no password, so the device asks for it when the profile is
// installed. Its identifiers derive from the address and the servers, so a
// profile exported again replaces the one installed instead of adding a
// second account. A com.apple.mail.managed payload signs in with a
// password only (EmailAuthPassword and the like): it cannot carry OAuth2,
// so an account whose servers take only OAuth2 is refused.
func Apple(in Input) ([]byte, error) {
	a, err := prepare(in, "apple", true, true, false, false)
	if err != nil {
		return nil, err
	}
	accountType := "EmailTypeIMAP"
	if a.in.Protocol == probe.POP3 {
		accountType = "EmailTypePOP"
	}
	seed := strings.ToLower(a.Address) + "\x00" + a.in.String() + "\x00" + a.out.String()
	profileUUID := nameUUID("profile\x00" + seed)
	mailUUID := nameUUID("mail\x00" + seed)
	identifier := "com.github.postino.account." + strings.ToLower(profileUUID)
	description := a.ProviderName
	if description == "" {
		description = a.Address
	}
	mail := plistDict{
		"EmailAccountDescription":                description,
		"EmailAccountType":                       accountType,
		"EmailAddress":                           a.Address,
		"IncomingMailServerAuthentication":       "EmailAuthPassword",
		"IncomingMailServerHostName":             a.in.Host,
		"IncomingMailServerPortNumber":           a.in.Port,
		"IncomingMailServerUseSSL":               a.in.Security != probe.None,
		"IncomingMailServerUsername":             a.in.Username,
		"OutgoingMailServerAuthentication":       "EmailAuthPassword",
		"OutgoingMailServerHostName":             a.out.Host,
		"OutgoingMailServerPortNumber":           a.out.Port,
		"OutgoingMailServerUseSSL":               a.out.Security != probe.None,
		"OutgoingMailServerUsername":             a.out.Username,
		"OutgoingPasswordSameAsIncomingPassword": a.out.Username == a.in.Username,
		"PayloadDescription":                     textAppleDescr.In(a.Lang, a.Address),
		"PayloadDisplayName":                     textAppleProfile.In(a.Lang, a.Address),
		"PayloadIdentifier":                      identifier + ".mail",
		"PayloadType":                            "com.apple.mail.managed",
		"PayloadUUID":                            mailUUID,
		"PayloadVersion":                         1,
	}
	if a.DisplayName != "" {
		mail["EmailAccountName"] = a.DisplayName
	}
	payloads := []any{mail}
	if a.CAFile != "" && len(a.CACerts) == 0 {
		// The caller reads the file; without its certificates the profile
		// would silently trust less than the other formats.
		return nil, a.fail(Unwritable, a.CAFile)
	}
	for _, der := range a.CACerts {
		name := a.CAFile
		if c, err := x509.ParseCertificate(der); err == nil && c.Subject.CommonName != "" {
			name = c.Subject.CommonName
		}
		sum := sha256.Sum256(der)
		id := nameUUID("root\x00" + seed + "\x00" + hex.EncodeToString(sum[:]))
		payloads = append(payloads, plistDict{
			"PayloadCertificateFileName": filepath.Base(a.CAFile),
			"PayloadContent":             der,
			"PayloadDescription":         textAppleCADescr.In(a.Lang, name),
			"PayloadDisplayName":         textAppleCAName.In(a.Lang, name),
			"PayloadIdentifier":          identifier + ".root." + strings.ToLower(id),
			"PayloadType":                "com.apple.security.root",
			"PayloadUUID":                id,
			"PayloadVersion":             1,
		})
	}
	profile := plistDict{
		"PayloadContent":           payloads,
		"PayloadDescription":       textAppleDescr.In(a.Lang, a.Address),
		"PayloadDisplayName":       textAppleProfile.In(a.Lang, a.Address),
		"PayloadIdentifier":        identifier,
		"PayloadOrganization":      "postino",
		"PayloadRemovalDisallowed": false,
		"PayloadType":              "Configuration",
		"PayloadUUID":              profileUUID,
		"PayloadVersion":           1,
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	b.WriteString(`<plist version="1.0">` + "\n")
	writePlist(&b, 0, profile)
	b.WriteString("</plist>\n")
	return []byte(b.String()), nil
}

// nameUUID is a name-based UUID (version 5, RFC 9562) in postino's own
// namespace, in the upper case Apple's tools write.
func nameUUID(name string) string {
	namespace := [16]byte{0x4e, 0x1c, 0x7a, 0x52, 0x9b, 0x0d, 0x4f, 0x3e, 0x8a, 0x51, 0x70, 0x6f, 0x73, 0x74, 0x69, 0x6e}
	h := sha1.New()
	h.Write(namespace[:])
	h.Write([]byte(name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return strings.ToUpper(fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16]))
}

// plistDict is a property-list dictionary; its keys are written sorted,
// as Apple's tools write them.
type plistDict map[string]any

func writePlist(b *strings.Builder, depth int, v any) {
	pad := strings.Repeat("\t", depth)
	switch v := v.(type) {
	case plistDict:
		b.WriteString(pad + "<dict>\n")
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			b.WriteString(pad + "\t<key>" + xmlEscape(k) + "</key>\n")
			writePlist(b, depth+1, v[k])
		}
		b.WriteString(pad + "</dict>\n")
	case []any:
		b.WriteString(pad + "<array>\n")
		for _, e := range v {
			writePlist(b, depth+1, e)
		}
		b.WriteString(pad + "</array>\n")
	case []byte:
		b.WriteString(pad + "<data>\n")
		enc := base64.StdEncoding.EncodeToString(v)
		for len(enc) > 0 {
			n := min(len(enc), 68)
			b.WriteString(pad + enc[:n] + "\n")
			enc = enc[n:]
		}
		b.WriteString(pad + "</data>\n")
	case string:
		b.WriteString(pad + "<string>" + xmlEscape(v) + "</string>\n")
	case int:
		b.WriteString(pad + fmt.Sprintf("<integer>%d</integer>\n", v))
	case bool:
		if v {
			b.WriteString(pad + "<true/>\n")
		} else {
			b.WriteString(pad + "<false/>\n")
		}
	default:
		panic(fmt.Sprintf("plist: unsupported type %T", v))
	}
}
