package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/coverage"
)

// runCovCmd runs the command named by its first words words of args on the
// database dsn.
func runCovCmd(t *testing.T, dsn string, words int, args ...string) (int, string, string) {
	t.Helper()
	return runCmd(t, append(append(args[:words:words], "--db", dsn), args[words:]...)...)
}

func writeTempFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// The command line on a fresh database: load the divisions, place one
// street (东凤街道, 9 villages and communities) and two of its villages, load a
// point, read the coverage, plan.
func TestCoverageCommands(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "cli.db")
	if code, out, errOut := runCovCmd(t, dsn, 2, "regions", "load"); code != 0 || !strings.Contains(out, "13014") {
		t.Fatalf("regions load: %d %s %s", code, out, errOut)
	}
	// 东凤村 is 1.1 km from the street's seat, 城东村 22 km.
	locs := writeTempFile(t, "loc.csv", "code,lat,lon\n220523001,42.68,126.05\n220523001200,42.69,126.05\n220523001201,42.88,126.05\n")
	if code, out, errOut := runCovCmd(t, dsn, 2, "regions", "locations", locs); code != 0 || !strings.Contains(out, "3") {
		t.Fatalf("regions locations: %d %s %s", code, out, errOut)
	}
	bad := writeTempFile(t, "p.csv", "code,name,level,kind\nBM-1,东凤街道便民服务中心,5,clinic\n")
	if code, _, errOut := runCovCmd(t, dsn, 2, "points", "import", bad); code != 1 || !strings.Contains(errOut, "p.csv:2:kind") {
		t.Errorf("a bad import: exit %d, %s", code, errOut)
	}
	good := writeTempFile(t, "p.csv", "code,name,level,kind,region_code,lat,lon,services\n"+
		"BM-1,东凤街道便民服务中心,5,township_centre,220523001,42.68,126.05,government;medical-insurance\n")
	if code, out, errOut := runCovCmd(t, dsn, 2, "points", "import", good); code != 0 || !strings.Contains(out, "imported 1") {
		t.Fatalf("points import: %d %s %s", code, out, errOut)
	}
	code, out, errOut := runCovCmd(t, dsn, 1, "coverage", "--service", "medical-insurance", "--minutes", "15", "--region", "220523001")
	if code != 0 || !strings.Contains(out, "1/1 100.0%") || !strings.Contains(out, "1/9 11.1%") || !strings.Contains(out, "220523001201") {
		t.Errorf("coverage: %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCovCmd(t, dsn, 1, "coverage", "--region", "220523001", "--json")
	var rep coverage.Report
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil || rep.Levels[1].Covered != 1 || rep.GapsTotal != 8 {
		t.Errorf("coverage --json: %d %v %+v", code, err, rep.Levels)
	}
	code, out, errOut = runCovCmd(t, dsn, 2, "coverage", "plan", "--region", "220523001", "--townships", "100", "--villages", "20")
	if code != 0 || !strings.Contains(out, "220523001201") || !strings.Contains(out, "1 new points reach the targets") {
		t.Errorf("plan: %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runCovCmd(t, dsn, 1, "coverage", "--service", "tax"); code != 1 || !strings.Contains(errOut, "service") {
		t.Errorf("an unknown service: exit %d, %s", code, errOut)
	}
	if code, _, _ := runCmd(t, "coverage", "frobnicate", "--db", dsn); code != 2 {
		t.Errorf("an unknown subcommand: exit %d, want 2", code)
	}
	if code, _, _ := runCovCmd(t, dsn, 1, "coverage", "--minutes", "x"); code != 2 {
		t.Errorf("a bad flag: exit %d, want 2", code)
	}
	if code, out, _ := runCovCmd(t, dsn, 2, "points", "export", "--format", "geojson"); code != 0 || !strings.Contains(out, `"BM-1"`) {
		t.Errorf("points export: %d %s", code, out)
	}
}
