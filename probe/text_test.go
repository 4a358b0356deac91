package probe

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// verbs finds fmt's verbs, with their flags, width, precision and index.
var verbs = regexp.MustCompile(`%[-+# 0]*(\[\d+\])?(\d+|\*)?(\.(\d+|\*)?)?[a-zA-Z%]`)

// TestEveryTextComplete reads every Go file of postino (tests aside) and
// checks each probe.Text written there: an English and an Italian text,
// with the same %-verbs in the same order, so that neither language
// prints %!s(MISSING) or drops an argument.
func TestEveryTextComplete(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("the module's root is not %s: %v", root, err)
	}
	count := 0
	defer func() { t.Logf("%d texts", count) }()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != root) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, lit := range textLiterals(f) {
			count++
			en, it := field(lit, "EN"), field(lit, "IT")
			where := fset.Position(lit.Pos())
			switch {
			case en == "" && it == "":
				// Text{} is "nothing to say", as an Explanation without a why.
			case en == "" || it == "":
				t.Errorf("%s: a text in one language only: %q / %q", where, en, it)
			case !slices.Equal(verbs.FindAllString(en, -1), verbs.FindAllString(it, -1)):
				t.Errorf("%s: the verbs differ: %q has %q, %q has %q", where, en, verbs.FindAllString(en, -1), it, verbs.FindAllString(it, -1))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// postino has some 500 texts; far fewer means the search missed them.
	if count < 400 {
		t.Errorf("found %d texts; the search missed some", count)
	}
}

// textLiterals are the composite literals of type Text in f: written
// Text{…} or probe.Text{…}, or with the type left out inside a slice or
// map of Texts, or a struct whose fields are Texts.
func textLiterals(f *ast.File) []*ast.CompositeLit {
	var out []*ast.CompositeLit
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		if isText(lit.Type) {
			out = append(out, lit)
			return true
		}
		// Elements whose type is left out: []Text{{…}}, map[K]Text{k: {…}}.
		var elem ast.Expr
		switch typ := lit.Type.(type) {
		case *ast.ArrayType:
			elem = typ.Elt
		case *ast.MapType:
			elem = typ.Value
		}
		if elem == nil || !isText(elem) {
			return true
		}
		for _, e := range lit.Elts {
			if kv, ok := e.(*ast.KeyValueExpr); ok {
				e = kv.Value
			}
			if c, ok := e.(*ast.CompositeLit); ok && c.Type == nil {
				out = append(out, c)
			}
		}
		return true
	})
	return out
}

// isText reports whether a type expression is Text or probe.Text.
func isText(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "Text"
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		return ok && x.Name == "probe" && e.Sel.Name == "Text"
	}
	return false
}

// field is the string a Text literal gives EN or IT: by name, or by
// position (EN first); "" when it gives none.
func field(lit *ast.CompositeLit, name string) string {
	for i, e := range lit.Elts {
		var v ast.Expr
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); !ok || k.Name != name {
				continue
			}
			v = kv.Value
		} else if i == map[string]int{"EN": 0, "IT": 1}[name] {
			v = e
		}
		if v != nil {
			return stringOf(v)
		}
	}
	return ""
}

// stringOf is the value of a string literal, or of literals joined with +.
func stringOf(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.BasicLit:
		s, _ := strconv.Unquote(e.Value)
		return s
	case *ast.BinaryExpr:
		return stringOf(e.X) + stringOf(e.Y)
	case *ast.ParenExpr:
		return stringOf(e.X)
	}
	return ""
}
