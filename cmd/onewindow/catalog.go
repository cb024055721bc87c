package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
)

const catalogHelp = "onewindow catalog import [--db DSN] [--publish] FILE...   import items.json, catalogue.xlsx, or items.csv [materials.csv] [departments.csv]\n" +
	"onewindow catalog export [--db DSN] [--format json|csv|xlsx] [--dir DIR]   export the published catalogue\n" +
	"The CSV columns and the workbook's sheets are described in docs/CATALOG-FORMAT.md. A file with any error imports nothing."

// cmdCatalog is "onewindow catalog import|export".
func cmdCatalog(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "import" && args[0] != "export") {
		if len(args) > 0 && isHelp(args[0]) {
			fmt.Fprintln(stdout, catalogHelp)
			return 0
		}
		fmt.Fprintln(stderr, catalogHelp)
		return 2
	}
	c := newCLI("catalog "+args[0], catalogHelp, stdout, stderr).withDB("")
	publish := c.Bool("publish", true, "publish the imported versions at once")
	format := c.String("format", "json", "export format: json (to standard output), csv (three files in --dir) or xlsx (catalogue.xlsx in --dir)")
	dir := c.String("dir", ".", "folder for the CSV and Excel exports")
	if code := c.parse(args[1:]); code >= 0 {
		return code
	}
	if args[0] == "import" && c.NArg() == 0 {
		fmt.Fprintln(stderr, "catalog import: name at least one file")
		return 2
	}
	db, ok := c.open(ctx)
	if !ok {
		return 1
	}
	defer db.Close()
	s := catalog.NewStore(db)
	if args[0] == "import" {
		return catalogImport(ctx, s, c.Args(), *publish, stdout, stderr)
	}
	return catalogExport(ctx, s, *format, *dir, stdout, stderr)
}

// catalogImport imports the files and prints the report, or every problem
// one per line, and returns the exit code: 0 on success, 1 when the files
// have errors (nothing was written), 2 on misuse.
func catalogImport(ctx context.Context, s *catalog.Store, files []string, publish bool, stdout, stderr io.Writer) int {
	c, names, err := catalog.ReadImportFiles(files)
	var misuse *catalog.ImportFilesError
	switch {
	case errors.As(err, &misuse):
		fmt.Fprintln(stderr, misuse.Error())
		return 2
	case err != nil:
		printImportErrors(stderr, names, err)
		return 1
	}
	rep, err := s.Import(ctx, auth.System, c, publish)
	if err != nil {
		printImportErrors(stderr, names, err)
		return 1
	}
	fmt.Fprintf(stdout, "导入完成：部门 %d 个，新增事项 %d 个，更新 %d 个，未变 %d 个，发布 %d 个\n",
		rep.Departments, rep.ItemsCreated, rep.ItemsUpdated, rep.ItemsUnchanged, rep.Published)
	fmt.Fprintf(stdout, "imported: %d departments, %d items created, %d updated, %d unchanged, %d published\n",
		rep.Departments, rep.ItemsCreated, rep.ItemsUpdated, rep.ItemsUnchanged, rep.Published)
	return 0
}

func printImportErrors(w io.Writer, names catalog.ImportNames, err error) {
	for _, line := range names.Lines(err) {
		fmt.Fprintln(w, line)
	}
}

// catalogExport writes the published catalogue: "json" to stdout, "csv" as
// items.csv, materials.csv and departments.csv into dir, "xlsx" as the
// workbook catalogue.xlsx into dir. It returns the exit code.
func catalogExport(ctx context.Context, s *catalog.Store, format, dir string, stdout, stderr io.Writer) int {
	if dir == "" {
		dir = "."
	}
	switch strings.ToLower(format) {
	case "", "json":
		if err := s.Export(ctx, stdout, "json"); err != nil {
			printImportErrors(stderr, nil, err)
			return 1
		}
		return 0
	case "csv":
	case "xlsx":
		var b bytes.Buffer
		if err := s.ExportXLSX(ctx, &b); err != nil {
			printImportErrors(stderr, nil, err)
			return 1
		}
		return writeExport(stdout, stderr, filepath.Join(dir, catalog.XLSXFileName), b.Bytes())
	default:
		fmt.Fprintf(stderr, "导出格式应为 json、csv 或 xlsx，而不是 %q\nthe export format must be json, csv or xlsx, not %q\n", format, format)
		return 2
	}
	files := make([]bytes.Buffer, len(catalog.CSVFileNames))
	if err := s.ExportCSV(ctx, &files[0], &files[1], &files[2]); err != nil {
		printImportErrors(stderr, nil, err)
		return 1
	}
	for i, name := range catalog.CSVFileNames {
		if code := writeExport(stdout, stderr, filepath.Join(dir, name), files[i].Bytes()); code != 0 {
			return code
		}
	}
	return 0
}

// writeExport writes one exported file and prints its path. A folder that
// does not exist yet is made, as an operator naming one would expect.
func writeExport(stdout, stderr io.Writer, path string, data []byte) int {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		fmt.Fprintf(stderr, "无法创建目录 %s: %v\ncannot create the folder %s: %v\n", filepath.Dir(path), err, filepath.Dir(path), err)
		return 1
	}
	if err := writeFileAtomic(path, data); err != nil {
		fmt.Fprintf(stderr, "无法写入 %s: %v\ncannot write %s: %v\n", path, err, path, err)
		return 1
	}
	fmt.Fprintln(stdout, path)
	return 0
}

// writeFileAtomic replaces path only once the new content is complete, so an
// interrupted export never leaves half a file behind.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
