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
	"github.com/onewindow/onewindow/region"
)

// cmdRegions is "onewindow regions load|locations …".
func cmdRegions(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const help = "onewindow regions load [--db DSN]             load the divisions of Jilin (2023 statistical codes) shipped with onewindow\n" +
		"onewindow regions locations [--db DSN] FILE   import coordinates, population and area (CSV or GeoJSON points by code)"
	if code, ok := subcommand(args, help, stdout, stderr, "load", "locations"); !ok {
		return code
	}
	fs := newCLI("regions "+args[0], help, stdout, stderr).withDB("")
	if code := fs.parse(args[1:]); code >= 0 {
		return code
	}
	if args[0] == "locations" && fs.NArg() != 1 {
		fmt.Fprintln(stderr, "regions locations: name one file")
		return 2
	}
	d, ok := fs.open(ctx)
	if !ok {
		return 1
	}
	defer d.Close()
	svc := coverage.NewService(d, network.NewStore(d), catalog.NewStore(d), clock.Wall())
	if args[0] == "load" {
		rs, err := region.Jilin()
		if err == nil {
			_, err = svc.LoadRegions(ctx, auth.System, rs)
		}
		if err != nil {
			printAppError(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "loaded %d divisions of Jilin (2023 statistical codes)\n", len(rs))
		return 0
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "onewindow: %v\n", err)
		return 1
	}
	res, err := svc.ImportLocations(ctx, auth.System, filepath.Base(fs.Arg(0)), data)
	if err != nil {
		printAppError(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "updated %d divisions\n", res.Imported)
	return 0
}
