package cli

import (
	"flag"
	"fmt"
	"runtime/debug"
)

// stampedVersion is set at release time:
//
//	go build -ldflags "-X github.com/postino/postino/ui/cli.stampedVersion=1.2.3"
var stampedVersion string

// version is postino's version: the one stamped at release, else the
// module version and commit the build recorded ("(devel)" for a build from
// a work tree).
func version() string {
	if stampedVersion != "" {
		return stampedVersion
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += fmt.Sprintf(" (%s)", s.Value[:12])
		}
	}
	return v
}

// version is postino version, or postino --version.
func (e *env) version(args []string) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.String("lang", "", "it or en")
	positional, err := e.parse(fs, args)
	if err != nil {
		return e.flagError(err)
	}
	if len(positional) > 0 {
		return e.say(exitUsage, textBadFlag, "postino version takes no argument")
	}
	fmt.Fprintf(e.stdout, "postino %s\n", version())
	return exitOK
}
