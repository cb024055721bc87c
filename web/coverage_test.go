package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/coverage"
	"github.com/onewindow/onewindow/network"
)

// The administrator's coverage page shows the service's coverage per level
// as the coverage service measures it, and a map with one mark per located
// place and per point; bad input names its field.
func TestAdminCoverage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		const county = "220523" // 辉南县
		admin := e.as(t, "admin")
		admin.get("/admin/coverage").want(200).has(`id="coverage-form"`, network.ServiceMedicalInsurance).lacks("⟦", `id="coverage-map"`)

		reach := coverage.NewService(e.db, network.NewStore(e.db), e.cat, e.clock.Clock())
		q := coverage.Query{Service: network.ServiceMedicalInsurance, Minutes: 15, Region: county, Gaps: 20}
		rep, err := reach.Coverage(ctx, user(t, e, "admin"), q)
		if err != nil {
			t.Fatal(err)
		}
		fc, err := reach.GeoJSON(ctx, user(t, e, "admin"), q)
		if err != nil {
			t.Fatal(err)
		}
		places, points := 0, 0
		for _, f := range fc.Features {
			if f.Properties["feature"] == "point" {
				points++
			} else {
				places++
			}
		}
		if places == 0 || points == 0 {
			t.Fatalf("the demo county has %d located places and %d points: nothing to draw", places, points)
		}

		p := admin.get("/admin/coverage?service="+network.ServiceMedicalInsurance+"&minutes=15&region="+county).want(200).
			has(`id="coverage-levels"`, `id="coverage-map"`, rep.Region.Name).lacks("⟦")
		for _, l := range rep.Levels {
			p.has(fmt.Sprintf(`<tr data-level="%d"><td>%s</td><td>%d</td><td>%d</td><td>%d</td>`, l.Level, l.Name, l.Total, l.Located, l.Covered))
		}
		if got := strings.Count(p.body, "<circle "); got != places {
			t.Errorf("the map draws %d places, want %d", got, places)
		}
		if got := strings.Count(p.body, `<rect class="point"`); got != points {
			t.Errorf("the map draws %d points, want %d", got, points)
		}

		admin.get("/admin/coverage?service="+network.ServiceMedicalInsurance+"&minutes=abc").
			want(http.StatusUnprocessableEntity).has(`id="coverage-form"`, "分钟数须为1到240之间的数")
		e.as(t, "qz_dating").get("/admin/coverage").want(http.StatusForbidden)
	})
}
