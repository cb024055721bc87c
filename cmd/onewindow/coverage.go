package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/coverage"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/region"
)

const coverageHelp = `onewindow coverage [flags]          coverage of a service: rates per level and region, gaps
onewindow coverage plan [flags]     propose new points that reach the targets
onewindow coverage roads --name NAME FILE   import a road network (GeoJSON lines)

--service is a service (medical-insurance, legal-aid, government), a kind of
point (township_centre, …) or an item code. --minutes defaults to the
service's target, else 15. --region defaults to the whole province loaded.`

type coverageFlags struct {
	*cli
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

func newCoverageFlags(name, help string, stdout, stderr io.Writer) *coverageFlags {
	fs := newCLI(name, help, stdout, stderr).withDB("")
	d := coverage.DefaultModel()
	return &coverageFlags{cli: fs,
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

func (f *coverageFlags) model() coverage.Model {
	return coverage.Model{Detour: *f.detour, Speeds: map[string]float64{region.AreaUrban: *f.urban, region.AreaRural: *f.rural,
		region.AreaMountain: *f.mountain}}
}

// cmdCoverage is "onewindow coverage [plan|roads] …".
func cmdCoverage(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	switch sub {
	case "", "plan":
	case "roads":
		return coverageRoads(ctx, args, stdout, stderr)
	case "help":
		fmt.Fprintln(stdout, coverageHelp)
		return 0
	default:
		fmt.Fprintf(stderr, "onewindow coverage: unknown subcommand %q\n\n%s\n", sub, coverageHelp)
		return 2
	}
	name := "coverage"
	if sub != "" {
		name += " " + sub
	}
	f := newCoverageFlags(name, coverageHelp, stdout, stderr)
	townships := f.Float64("townships", -1, "plan: target share of townships in percent (default: the stored target)")
	villages := f.Float64("villages", -1, "plan: target share of villages in percent (default: the stored target)")
	maxPoints := f.Int("max", 0, "plan: at most this many new points")
	if code := f.parse(args); code >= 0 {
		return code
	}
	db, ok := f.open(ctx)
	if !ok {
		return 1
	}
	defer db.Close()
	svc := coverage.NewService(db, network.NewStore(db), catalog.NewStore(db), clock.Wall())
	if sub == "plan" {
		req := coverage.PlanRequest{Service: *f.service, Minutes: *f.minutes, Region: *f.region, MaxPoints: *maxPoints}
		m := f.model()
		req.Model = &m
		if *townships >= 0 {
			req.Targets = append(req.Targets, coverage.LevelTarget{Level: region.LevelTownship, Rate: *townships / 100})
		}
		if *villages >= 0 {
			req.Targets = append(req.Targets, coverage.LevelTarget{Level: region.LevelVillage, Rate: *villages / 100})
		}
		plan, err := svc.Plan(ctx, auth.System, req)
		if err != nil {
			printAppError(stderr, err)
			return 1
		}
		if *f.asJSON {
			return printJSON(stdout, plan)
		}
		printPlan(stdout, plan)
		return 0
	}
	rep, err := svc.Coverage(ctx, auth.System, coverage.Query{Service: *f.service, Minutes: *f.minutes, Region: *f.region, Model: f.model(), Gaps: *f.gaps})
	if err != nil {
		printAppError(stderr, err)
		return 1
	}
	if *f.asJSON {
		return printJSON(stdout, rep)
	}
	printReport(stdout, rep)
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

func levelCell(st coverage.LevelStats) string {
	mark := ""
	if st.MeetsTarget != nil {
		mark = " ✗"
		if *st.MeetsTarget {
			mark = " ✓"
		}
	}
	return fmt.Sprintf("%d/%d %s%s", st.Covered, st.Total, coverage.FormatRate(st.Rate), mark)
}

func popCell(st coverage.LevelStats) string {
	if st.PopulationRate == nil {
		return "-"
	}
	return coverage.FormatRate(*st.PopulationRate)
}

// printReport writes a coverage report as a table.
func printReport(w io.Writer, r *coverage.Report) {
	fmt.Fprintf(w, "%s %g分钟服务圈 / %s within %g minutes: %s (%s)\n", r.ServiceName, r.Minutes, r.ServiceNameEN, r.Minutes, r.Region.Name, r.Region.Code)
	how := "straight-line estimate"
	if r.Roads {
		how = "along imported roads"
	}
	fmt.Fprintf(w, "%d points (%d without location); %s; %s; %.0f ms\n\n", r.Points, r.PointsUnlocated, r.Model, how, r.ElapsedMS)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "code\ttownships 乡镇（街道）\tvillages 村（社区）\tvillages by population\tname")
	row := func(code, name string, levels []coverage.LevelStats) {
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
			targets = append(targets, fmt.Sprintf("%s %s (%d short)", st.NameEN, coverage.FormatRate(*st.Target), st.Shortfall))
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

// printPlan writes a plan as a table.
func printPlan(w io.Writer, p *coverage.Plan) {
	fmt.Fprintf(w, "plan for %s (%s) within %g minutes in %s (%s); %.0f ms\n", p.ServiceName, p.Service, p.Minutes, p.Region.Name, p.Region.Code, p.ElapsedMS)
	rates := func(ls []coverage.LevelRate) string {
		var parts []string
		for _, l := range ls {
			parts = append(parts, fmt.Sprintf("%s %d/%d %s", catalog.LevelNames[l.Level][1], l.Covered, l.Total, coverage.FormatRate(l.Rate)))
		}
		return strings.Join(parts, ", ")
	}
	var targets []string
	for _, t := range p.Targets {
		targets = append(targets, fmt.Sprintf("%s %s", catalog.LevelNames[t.Level][1], coverage.FormatRate(t.Rate)))
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

func coverageRoads(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const help = "onewindow coverage roads [--db DSN] --name NAME FILE: store a road network (GeoJSON LineString features, optional speed_kmh)"
	fs := newCLI("coverage roads", help, stdout, stderr).withDB("")
	name := fs.String("name", "", "name of the network (importing the same name again replaces it)")
	if code := fs.parse(args); code >= 0 {
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
	d, ok := fs.open(ctx)
	if !ok {
		return 1
	}
	defer d.Close()
	res, err := coverage.NewService(d, network.NewStore(d), catalog.NewStore(d), clock.Wall()).ImportRoads(ctx, auth.System, *name, data)
	if err != nil {
		printAppError(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "stored road network %q: %d lines\n", *name, res.Imported)
	return 0
}
