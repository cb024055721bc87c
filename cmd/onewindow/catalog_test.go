package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// catalog export and import on real SQLite files: the sample catalogue
// goes out as CSV files and as a workbook and comes back the same; a
// broken file names its lines; misuse exits 2.
func TestCatalogExportAndImportCommands(t *testing.T) {
	dir := t.TempDir()
	source, viaCSV, viaXLSX := filepath.Join(dir, "source.db"), filepath.Join(dir, "csv.db"), filepath.Join(dir, "xlsx.db")
	sample := filepath.Join("..", "..", "demo", "data", "catalogue.json")
	if code, out, errOut := runCmd(t, "catalog", "import", "--db", source, sample); code != 0 || !strings.Contains(out, "items created") {
		t.Fatalf("import of the sample: exit %d: %s%s", code, out, errOut)
	}
	csvDir, xlsxDir := filepath.Join(dir, "csv", "2026"), filepath.Join(dir, "xlsx")
	code, out, errOut := runCmd(t, "catalog", "export", "--db", source, "--format", "csv", "--dir", csvDir)
	if code != 0 || !strings.Contains(out, filepath.Join(csvDir, "items.csv")) || !strings.Contains(out, filepath.Join(csvDir, "departments.csv")) {
		t.Fatalf("export csv: exit %d: %s%s", code, out, errOut)
	}
	if code, out, errOut := runCmd(t, "catalog", "export", "--db", source, "--format", "xlsx", "--dir", xlsxDir); code != 0 || strings.TrimSpace(out) != filepath.Join(xlsxDir, "catalogue.xlsx") {
		t.Fatalf("export xlsx: exit %d: %q%s", code, out, errOut)
	}
	// Any names and any order: the header says which file is which.
	var files []string
	for from, to := range map[string]string{"items.csv": "事项.csv", "materials.csv": "材料.CSV", "departments.csv": "bodies.csv"} {
		if err := os.Rename(filepath.Join(csvDir, from), filepath.Join(csvDir, to)); err != nil {
			t.Fatal(err)
		}
		files = append(files, filepath.Join(csvDir, to))
	}
	if code, _, errOut := runCmd(t, append([]string{"catalog", "import", "--db", viaCSV}, files...)...); code != 0 {
		t.Fatalf("import of the CSV files: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, "catalog", "import", "--db", viaXLSX, filepath.Join(xlsxDir, "catalogue.xlsx")); code != 0 {
		t.Fatalf("import of the workbook: exit %d: %s", code, errOut)
	}
	_, want, _ := runCmd(t, "catalog", "export", "--db", source)
	for _, db := range []string{viaCSV, viaXLSX} {
		if _, got, _ := runCmd(t, "catalog", "export", "--db", db); got != want || !strings.Contains(got, "营业执照") {
			t.Errorf("the catalogue imported into %s differs from the source", filepath.Base(db))
		}
	}

	broken := filepath.Join(dir, "broken.csv")
	header, _, _ := strings.Cut(string(must(os.ReadFile(filepath.Join(csvDir, "事项.csv")))), "\n")
	if err := os.WriteFile(broken, []byte(header+"\nA-3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCmd(t, "catalog", "import", "--db", viaCSV, broken)
	if lines := strings.Split(strings.TrimSpace(errOut), "\n"); code != 1 || !strings.HasPrefix(lines[0], broken+":2:") {
		t.Errorf("a broken file: exit %d, problems %q; want 1, each naming %s:2", code, lines, broken)
	}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"export as xml", []string{"export", "--db", source, "--format", "xml"}},
		{"import of an unknown kind", []string{"import", "--db", source, filepath.Join(dir, "source.db")}},
		{"import of the same file twice", []string{"import", "--db", source, files[0], files[0]}},
	} {
		if code, _, errOut := runCmd(t, append([]string{"catalog"}, tc.args...)...); code != 2 || errOut == "" {
			t.Errorf("%s: exit %d, %q; want 2 and a message", tc.name, code, errOut)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
