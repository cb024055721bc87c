package catalog_test

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

// runImport imports files the way the catalog import command does, through
// ReadImportFiles, Import and ImportNames.Lines: a misuse of the files is
// exit code 2, problems in them 1 with one line each on stderr; the report
// goes to stdout.
func runImport(ctx context.Context, s *catalog.Store, files []string, publish bool, stdout, stderr io.Writer) int {
	c, names, err := catalog.ReadImportFiles(files)
	var misuse *catalog.ImportFilesError
	if errors.As(err, &misuse) {
		fmt.Fprintln(stderr, misuse.Error())
		return 2
	}
	if err == nil {
		var rep catalog.ImportReport
		if rep, err = s.Import(ctx, auth.System, c, publish); err == nil {
			fmt.Fprintf(stdout, "%d items created, %d updated, %d published\n", rep.ItemsCreated, rep.ItemsUpdated, rep.Published)
			return 0
		}
	}
	fmt.Fprintln(stderr, strings.Join(names.Lines(err), "\n"))
	return 1
}

// runExport writes the published catalogue as the catalog export command
// does: json to stdout, csv as catalog.CSVFileNames and xlsx as
// catalog.XLSXFileName in dir, printing each file's path.
func runExport(ctx context.Context, s *catalog.Store, format, dir string, stdout io.Writer) int {
	write := func(name string, data []byte) int {
		path := filepath.Join(dir, name)
		if os.MkdirAll(dir, 0o755) != nil || os.WriteFile(path, data, 0o644) != nil {
			return 1
		}
		fmt.Fprintln(stdout, path)
		return 0
	}
	switch format {
	case "json":
		if s.Export(ctx, stdout, "json") != nil {
			return 1
		}
		return 0
	case "xlsx":
		var b bytes.Buffer
		if s.ExportXLSX(ctx, &b) != nil {
			return 1
		}
		return write(catalog.XLSXFileName, b.Bytes())
	case "csv":
		files := make([]bytes.Buffer, len(catalog.CSVFileNames))
		if s.ExportCSV(ctx, &files[0], &files[1], &files[2]) != nil {
			return 1
		}
		for i, name := range catalog.CSVFileNames {
			if code := write(name, files[i].Bytes()); code != 0 {
				return code
			}
		}
		return 0
	}
	return 2
}
