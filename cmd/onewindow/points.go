package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/coverage"
	"github.com/onewindow/onewindow/network"
)

// cmdPoints is "onewindow points import|export …".
func cmdPoints(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const help = "onewindow points import [--db DSN] FILE             import service points from CSV or GeoJSON (all or nothing)\n" +
		"onewindow points export [--db DSN] [--format csv|geojson]   write every point to standard output"
	if code, ok := subcommand(args, help, stdout, stderr, "import", "export"); !ok {
		return code
	}
	fs := newCLI("points "+args[0], help, stdout, stderr).withDB("")
	format := fs.String("format", "csv", "export format: csv or geojson")
	if code := fs.parse(args[1:]); code >= 0 {
		return code
	}
	if args[0] == "import" && fs.NArg() != 1 {
		fmt.Fprintln(stderr, "points import: name one file")
		return 2
	}
	if args[0] == "export" && *format != "csv" && *format != "geojson" {
		fmt.Fprintln(stderr, "points export: --format is csv or geojson")
		return 2
	}
	d, ok := fs.open(ctx)
	if !ok {
		return 1
	}
	defer d.Close()
	points := network.NewStore(d)
	if args[0] == "export" {
		ps, err := points.List(ctx)
		if err != nil {
			printAppError(stderr, err)
			return 1
		}
		if *format == "geojson" {
			err = network.WriteGeoJSON(stdout, ps)
		} else {
			err = network.WriteCSV(stdout, ps)
		}
		if err != nil {
			fmt.Fprintf(stderr, "onewindow: %v\n", err)
			return 1
		}
		return 0
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "onewindow: %v\n", err)
		return 1
	}
	res, err := coverage.NewService(d, points, catalog.NewStore(d), clock.Wall()).ImportPoints(ctx, auth.System, filepath.Base(fs.Arg(0)), data)
	if err != nil {
		printAppError(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "imported %d service points\n", res.Imported)
	return 0
}
