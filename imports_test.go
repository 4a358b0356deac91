package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/postino/postino"

// imports maps each package of the module, by folder, to the folders of
// the module's packages its non-test files import.
func imports(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != ".") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		if _, ok := out[dir]; !ok {
			out[dir] = nil
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == module {
				p = "."
			} else if rest, ok := strings.CutPrefix(p, module+"/"); ok {
				p = rest
			} else {
				continue
			}
			if !slices.Contains(out[dir], p) {
				out[dir] = append(out[dir], p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestImportsOneWay keeps the dependency rule of docs/ARCHITECTURE.md:
// main → ui → wizard → probe, and between a folder's package and its
// sub-packages one direction only.
func TestImportsOneWay(t *testing.T) {
	pkgs := imports(t)
	if len(pkgs) < 10 {
		t.Fatalf("found %d packages; the walk missed the module", len(pkgs))
	}
	layer := func(dir string) int {
		for i, top := range []string{"probe", "wizard", "ui", "."} {
			if dir == top || strings.HasPrefix(dir, top+"/") || top == "." {
				return i
			}
		}
		return -1
	}
	for dir, deps := range pkgs {
		for _, dep := range deps {
			if layer(dep) > layer(dir) {
				t.Errorf("%s imports %s: imports run main → ui → wizard → probe", dir, dep)
			}
		}
	}
	for parent, parentDeps := range pkgs {
		var down, up []string
		for child, childDeps := range pkgs {
			if !strings.HasPrefix(child, parent+"/") {
				continue
			}
			if slices.Contains(parentDeps, child) {
				down = append(down, child)
			}
			if slices.Contains(childDeps, parent) {
				up = append(up, child)
			}
		}
		if len(down) > 0 && len(up) > 0 {
			t.Errorf("%s imports %v and is imported by %v: between a package and its sub-packages imports run one way", parent, down, up)
		}
	}
}
