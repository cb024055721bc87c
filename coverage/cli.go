package coverage

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/region"
	"github.com/onewindow/onewindow/store"
)

// operator is who the command line acts as: whoever can open the database
// administers it.
var operator = auth.User{Username: "cli", Role: auth.RoleAdmin}

const coverageHelp = `onewindow coverage [flags]          coverage of a service: rates per level and region, gaps
onewindow coverage plan [flags]     propose new points that reach the targets
onewindow coverage roads --name NAME FILE   import a road network (GeoJSON lines)

--service is a service (medical-insurance, legal-aid, government), a kind of
point (township_centre, …) or an item code. --minutes defaults to the
service's target, else 15. --region defaults to the whole province loaded.`

type cliFlags struct {
	fs       *flag.FlagSet
	dsn      *string
	service  *string
	minutes  *float64
	region   *string
	asJSON   *bool
	gaps     *int
	detour   *float64
	urban    *float64
	rural    *float64
	mountain *float64
}

func newCLIFlags(name, help, dsn string, stderr io.Writer) *cliFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\n\nFlags:\n", help)
		fs.PrintDefaults()
	}
	d := DefaultModel()
	return &cliFlags{fs: fs,
		dsn:      fs.String("db", dsn, "SQLite file or postgres:// URL (env ONEWINDOW_DB)"),
		service:  fs.String("service", network.ServiceMedicalInsurance, "service, kind of point or item code"),
		minutes:  fs.Float64("minutes", 0, "threshold in minutes (default: the service's target, else 15)"),
		region:   fs.String("region", "", "division code (default: the province)"),
		asJSON:   fs.Bool("json", false, "print JSON instead of a table"),
		gaps:     fs.Int("gaps", 20, "how many gaps to list"),
		detour:   fs.Float64("detour", d.Detour, "road distance ÷ straight-line distance"),
		urban:    fs.Float64("speed-urban", d.Speeds[region.AreaUrban], "km/h in towns"),
		rural:    fs.Float64("speed-rural", d.Speeds[region.AreaRural], "km/h in the countryside"),
		mountain: fs.Float64("speed-mountain", d.Speeds[region.AreaMountain], "km/h in the mountains"),
	}
}

func (f *cliFlags) model() Model {
	return Model{Detour: *f.detour, Speeds: map[string]float64{region.AreaUrban: *f.urban, region.AreaRural: *f.rural,
		region.AreaMountain: *f.mountain}}
}

// parseFlags returns the exit code when parsing ends the command, else -1.
func parseFlags(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	return -1
}

func openDB(ctx context.Context, dsn string, stderr io.Writer) (*store.DB, bool) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		fmt.Fprintf(stderr, "onewindow: %v\n", err)
		return nil, false
	}
	if err := db.Migrate(ctx); err != nil {
		fmt.Fprintf(stderr, "onewindow: %v\n", err)
		db.Close()
		return nil, false
	}
	return db, true
}

// printError writes an application error with its field errors.
func printError(w io.Writer, err error) {
	ae := apperr.As(err)
	fmt.Fprintf(w, "onewindow: %s / %s\n", ae.Message.ZH, ae.Message.EN)
	for _, f := range ae.Fields {
		fmt.Fprintf(w, "  %s: %s / %s\n", f.Field, f.Message.ZH, f.Message.EN)
	}
	if ae.Code == apperr.Internal && ae.Err != nil {
		fmt.Fprintf(w, "  %v\n", ae.Err)
	}
}

// RunCLI runs "onewindow coverage …" on the database dsn (unless --db says otherwise).
func RunCLI(ctx context.Context, args []string, dsn string, stdout, stderr io.Writer) int {
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	switch sub {
	case "", "plan":
	case "roads":
		return runRoads(ctx, args, dsn, stdout, stderr)
	case "help":
		fmt.Fprintln(stdout, coverageHelp)
		return 0
	default:
		fmt.Fprintf(stderr, "onewindow coverage: unknown subcommand %q\n\n%s\n", sub, coverageHelp)
		return 2
	}
	f := newCLIFlags("coverage "+sub, coverageHelp, dsn, stderr)
	townships := f.fs.Float64("townships", -1, "plan: target share of townships in percent (default: the stored target)")
	villages := f.fs.Float64("villages", -1, "plan: target share of villages in percent (default: the stored target)")
	maxPoints := f.fs.Int("max", 0, "plan: at most this many new points")
	if code := parseFlags(f.fs, args); code >= 0 {
		return code
	}
	db, ok := openDB(ctx, *f.dsn, stderr)
	if !ok {
		return 1
	}
	defer db.Close()
	svc := NewService(db, network.NewStore(db), catalog.NewStore(db), clock.Wall())
	if sub == "plan" {
		req := PlanRequest{Service: *f.service, Minutes: *f.minutes, Region: *f.region, MaxPoints: *maxPoints}
		m := f.model()
		req.Model = &m
		if *townships >= 0 {
			req.Targets = append(req.Targets, LevelTarget{Level: region.LevelTownship, Rate: *townships / 100})
		}
		if *villages >= 0 {
			req.Targets = append(req.Targets, LevelTarget{Level: region.LevelVillage, Rate: *villages / 100})
		}
		plan, err := svc.Plan(ctx, operator, req)
		if err != nil {
			printError(stderr, err)
			return 1
		}
		if *f.asJSON {
			return printJSON(stdout, plan)
		}
		PrintPlan(stdout, plan)
		return 0
	}
	rep, err := svc.Coverage(ctx, operator, Query{Service: *f.service, Minutes: *f.minutes, Region: *f.region, Model: f.model(), Gaps: *f.gaps})
	if err != nil {
		printError(stderr, err)
		return 1
	}
	if *f.asJSON {
		return printJSON(stdout, rep)
	}
	PrintReport(stdout, rep)
	return 0
}

func printJSON(w io.Writer, v any) int {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return 1
	}
	return 0
}

func levelCell(st LevelStats) string {
	mark := ""
	if st.MeetsTarget != nil {
		mark = " ✗"
		if *st.MeetsTarget {
			mark = " ✓"
		}
	}
	return fmt.Sprintf("%d/%d %s%s", st.Covered, st.Total, FormatRate(st.Rate), mark)
}

func popCell(st LevelStats) string {
	if st.PopulationRate == nil {
		return "-"
	}
	return FormatRate(*st.PopulationRate)
}

// PrintReport writes a coverage report as a table.
func PrintReport(w io.Writer, r *Report) {
	fmt.Fprintf(w, "%s %g分钟服务圈 / %s within %g minutes: %s (%s)\n", r.ServiceName, r.Minutes, r.ServiceNameEN, r.Minutes, r.Region.Name, r.Region.Code)
	how := "straight-line estimate"
	if r.Roads {
		how = "along imported roads"
	}
	fmt.Fprintf(w, "%d points (%d without location); %s; %s; %.0f ms\n\n", r.Points, r.PointsUnlocated, r.Model, how, r.ElapsedMS)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "code\ttownships 乡镇（街道）\tvillages 村（社区）\tvillages by population\tname")
	row := func(code, name string, levels []LevelStats) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", code, levelCell(levels[0]), levelCell(levels[1]), popCell(levels[1]), name)
	}
	row(r.Region.Code, r.Region.Name, r.Levels)
	for _, c := range r.Children {
		row(c.Code, "  "+c.Name, c.Levels)
	}
	tw.Flush()
	var targets []string
	for _, st := range r.Levels {
		if st.Target != nil {
			targets = append(targets, fmt.Sprintf("%s %s (%d short)", st.NameEN, FormatRate(*st.Target), st.Shortfall))
		}
	}
	if len(targets) > 0 {
		fmt.Fprintf(w, "\ntargets: %s\n", strings.Join(targets, ", "))
	}
	fmt.Fprintf(w, "\ngaps: %d beyond %g minutes, farthest first\n", r.GapsTotal, r.Minutes)
	if len(r.Gaps) == 0 {
		return
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "minutes\tkm\tcode\tnearest point\tplace")
	for _, g := range r.Gaps {
		mins, km := "no location", ""
		if g.Minutes != nil {
			mins, km = fmt.Sprintf("%.1f", *g.Minutes), fmt.Sprintf("%.1f", *g.DistanceKm)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s %s\n", mins, km, g.Code, g.NearestPoint, g.Where, g.Name)
	}
	tw.Flush()
}

// PrintPlan writes a plan as a table.
func PrintPlan(w io.Writer, p *Plan) {
	fmt.Fprintf(w, "plan for %s (%s) within %g minutes in %s (%s); %.0f ms\n", p.ServiceName, p.Service, p.Minutes, p.Region.Name, p.Region.Code, p.ElapsedMS)
	rates := func(ls []LevelRate) string {
		var parts []string
		for _, l := range ls {
			parts = append(parts, fmt.Sprintf("%s %d/%d %s", catalog.LevelNames[l.Level][1], l.Covered, l.Total, FormatRate(l.Rate)))
		}
		return strings.Join(parts, ", ")
	}
	var targets []string
	for _, t := range p.Targets {
		targets = append(targets, fmt.Sprintf("%s %s", catalog.LevelNames[t.Level][1], FormatRate(t.Rate)))
	}
	fmt.Fprintf(w, "targets: %s\nnow:     %s\n\n", strings.Join(targets, ", "), rates(p.Before))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tcode\tnewly covered\tafter\tplace")
	for _, pt := range p.Points {
		var newly []string
		for _, n := range pt.NewlyCovered {
			newly = append(newly, fmt.Sprintf("+%d %s", n.Covered, catalog.LevelNames[n.Level][1]))
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s %s\n", pt.N, pt.Code, strings.Join(newly, " "), rates(pt.After), pt.Where, pt.Name)
	}
	tw.Flush()
	if p.Reached {
		fmt.Fprintf(w, "\n%d new points reach the targets.\n", len(p.Points))
	} else {
		fmt.Fprintf(w, "\nthe targets are not reached with %d new points (no candidate place helps further, or --max was hit).\n", len(p.Points))
	}
}

func runRoads(ctx context.Context, args []string, dsn string, stdout, stderr io.Writer) int {
	const help = "onewindow coverage roads [--db DSN] --name NAME FILE: store a road network (GeoJSON LineString features, optional speed_kmh)"
	fs := flag.NewFlagSet("coverage roads", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintf(stderr, "%s\n\nFlags:\n", help); fs.PrintDefaults() }
	db := fs.String("db", dsn, "SQLite file or postgres:// URL (env ONEWINDOW_DB)")
	name := fs.String("name", "", "name of the network (importing the same name again replaces it)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, help)
		return 2
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "onewindow: %v\n", err)
		return 1
	}
	if *name == "" {
		*name = strings.TrimSuffix(filepath.Base(fs.Arg(0)), filepath.Ext(fs.Arg(0)))
	}
	d, ok := openDB(ctx, *db, stderr)
	if !ok {
		return 1
	}
	defer d.Close()
	res, err := NewService(d, network.NewStore(d), catalog.NewStore(d), clock.Wall()).ImportRoads(ctx, operator, *name, data)
	if err != nil {
		printError(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "stored road network %q: %d lines\n", *name, res.Imported)
	return 0
}

// RunPointsCLI runs "onewindow points import|export …".
func RunPointsCLI(ctx context.Context, args []string, dsn string, stdout, stderr io.Writer) int {
	const help = "onewindow points import [--db DSN] FILE             import service points from CSV or GeoJSON (all or nothing)\n" +
		"onewindow points export [--db DSN] [--format csv|geojson]   write every point to standard output"
	if len(args) == 0 || args[0] != "import" && args[0] != "export" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
			fmt.Fprintln(stdout, help)
			return 0
		}
		fmt.Fprintln(stderr, help)
		return 2
	}
	fs := flag.NewFlagSet("points "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintf(stderr, "%s\n\nFlags:\n", help); fs.PrintDefaults() }
	db := fs.String("db", dsn, "SQLite file or postgres:// URL (env ONEWINDOW_DB)")
	format := fs.String("format", "csv", "export format: csv or geojson")
	if code := parseFlags(fs, args[1:]); code >= 0 {
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
	d, ok := openDB(ctx, *db, stderr)
	if !ok {
		return 1
	}
	defer d.Close()
	points := network.NewStore(d)
	if args[0] == "export" {
		ps, err := points.List(ctx)
		if err != nil {
			printError(stderr, err)
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
	res, err := NewService(d, points, catalog.NewStore(d), clock.Wall()).ImportPoints(ctx, operator, filepath.Base(fs.Arg(0)), data)
	if err != nil {
		printError(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "imported %d service points\n", res.Imported)
	return 0
}

// RunRegionsCLI runs "onewindow regions load|locations …".
func RunRegionsCLI(ctx context.Context, args []string, dsn string, stdout, stderr io.Writer) int {
	const help = "onewindow regions load [--db DSN]             load the divisions of Jilin (2023 statistical codes) shipped with onewindow\n" +
		"onewindow regions locations [--db DSN] FILE   import coordinates, population and area (CSV or GeoJSON points by code)"
	if len(args) == 0 || args[0] != "load" && args[0] != "locations" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
			fmt.Fprintln(stdout, help)
			return 0
		}
		fmt.Fprintln(stderr, help)
		return 2
	}
	fs := flag.NewFlagSet("regions "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintf(stderr, "%s\n\nFlags:\n", help); fs.PrintDefaults() }
	db := fs.String("db", dsn, "SQLite file or postgres:// URL (env ONEWINDOW_DB)")
	if code := parseFlags(fs, args[1:]); code >= 0 {
		return code
	}
	if args[0] == "locations" && fs.NArg() != 1 {
		fmt.Fprintln(stderr, "regions locations: name one file")
		return 2
	}
	d, ok := openDB(ctx, *db, stderr)
	if !ok {
		return 1
	}
	defer d.Close()
	svc := NewService(d, network.NewStore(d), catalog.NewStore(d), clock.Wall())
	if args[0] == "load" {
		rs, err := region.Jilin()
		if err == nil {
			err = svc.Regions.Load(ctx, rs)
		}
		if err != nil {
			printError(stderr, err)
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
	res, err := svc.ImportLocations(ctx, operator, filepath.Base(fs.Arg(0)), data)
	if err != nil {
		printError(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "updated %d divisions\n", res.Imported)
	return 0
}
