package main

import (
	"context"
	"fmt"
	"io"

	"github.com/onewindow/onewindow/catalog"
)

func cmdCatalog(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const help = "onewindow catalog import [--db DSN] [--publish] FILE...   import items.json, catalogue.xlsx, or items.csv [materials.csv] [departments.csv]\n" +
		"onewindow catalog export [--db DSN] [--format json|csv|xlsx] [--dir DIR]   export the published catalogue\n" +
		"The CSV columns and the workbook's sheets are described in docs/CATALOG-FORMAT.md. A file with any error imports nothing."
	if len(args) == 0 || (args[0] != "import" && args[0] != "export") {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(stdout, help)
			return 0
		}
		fmt.Fprintln(stderr, help)
		return 2
	}
	fs := newFlags("catalog "+args[0], help, stderr)
	dsn := fs.String("db", defaultDBPath, dbUsage)
	publish := fs.Bool("publish", true, "publish the imported versions at once")
	format := fs.String("format", "json", "export format: json (to standard output), csv (three files in --dir) or xlsx (catalogue.xlsx in --dir)")
	dir := fs.String("dir", ".", "folder for the CSV and Excel exports")
	if code := parse(fs, args[1:]); code >= 0 {
		return code
	}
	if args[0] == "import" && fs.NArg() == 0 {
		fmt.Fprintln(stderr, "catalog import: name at least one file")
		return 2
	}
	db, ok := openDB(ctx, *dsn, stderr)
	if !ok {
		return 1
	}
	defer db.Close()
	s := catalog.NewStore(db)
	if args[0] == "import" {
		return catalog.RunImport(ctx, s, fs.Args(), *publish, stdout, stderr)
	}
	return catalog.RunExport(ctx, s, *format, *dir, stdout)
}
