package demo

import (
	"bytes"
	"cmp"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/region"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// parseSampleFile reads data/catalogue.json the way "onewindow catalog
// import" does.
func parseSampleFile(t *testing.T) *catalog.Catalogue {
	t.Helper()
	b, err := dataFiles.ReadFile("data/catalogue.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := catalog.ParseJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("data/catalogue.json does not import: %v", err)
	}
	return c
}

// The sample file holds the departments and written-out items of the demo
// exactly as Catalogue returns them, and the items the stories and bundles
// name.
func TestSampleCatalogueIsTheDemos(t *testing.T) {
	file := parseSampleFile(t)
	depts, items := demoCatalogue(t)
	specs, err := departmentSpecs(depts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(file.Departments, depts) {
		t.Errorf("the departments of data/catalogue.json differ from Catalogue's:\n%+v\n%+v", file.Departments, depts)
	}
	byCode := map[string]catalog.Item{}
	for _, it := range items {
		byCode[it.Code] = it
	}
	for _, want := range file.Items {
		got, ok := byCode[want.Code]
		if !ok {
			t.Errorf("%s %s is in the file but not in Catalogue", want.Code, want.Name)
			continue
		}
		want.Status = catalog.StatusDraft // the file leaves the status to the importer
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s %s differs from the file:\n%+v\n%+v", want.Code, want.Name, got, want)
		}
		// What every demo item shares is written out the same way as the
		// generator writes it: the department's hotline, the hall, the hours.
		probe := want
		finishItem(&probe, &specs[slices.IndexFunc(specs, func(d deptSpec) bool { return d.Code == want.DepartmentCode })])
		if !reflect.DeepEqual(probe, want) {
			t.Errorf("%s %s: location, hours, contact or supplement days differ from the department's:\n%+v\n%+v", want.Code, want.Name, want, probe)
		}
	}
	inFile := map[string]bool{}
	for _, it := range file.Items {
		inFile[it.Code] = true
	}
	named := []string{CodeBusinessLicence, CodeSocialInsuranceSubsidy, CodeFamilyPlanningConsult, CodeMedicalOutOfArea,
		CodeLegalAid, CodeRealEstateTransfer, CodeRealEstateMortgage, CodePlanningPermit, CodeFoodBusinessLicence,
		CodeConstructionPermit, CodeIDCard, CodeMarriage, CodeBirthCertificate, CodeVaccinationCertificate,
		CodeBirthRegistration, CodeResidentMedicalInsurance, CodeSocialSecurityCard, CodeSealEngraving, CodeInvoice,
		CodeEmployerSocialInsurance, CodeHousingFundEmployer, CodeDisabilityCertificate, CodeDisabilitySubsidies,
		CodeDisabilityRehabilitation}
	for _, alias := range aliases {
		named = append(named, alias)
	}
	for _, b := range Bundles() {
		for _, m := range b.Members {
			named = append(named, m.Item)
			if len(byCode[m.Item].Fields) == 0 {
				t.Errorf("bundle %s: member %s has no form fields to merge", b.Code, m.Item)
			}
		}
	}
	for _, code := range named {
		if !inFile[code] {
			t.Errorf("item %s, named by the stories or bundles, is not written out in data/catalogue.json", code)
		}
	}
}

// A province can import the sample into an empty catalogue, and exporting
// it again gives the same departments and items.
func TestSampleCatalogueImportsAlone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b, err := dataFiles.ReadFile("data/catalogue.json")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "catalogue.json")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		cat := catalog.NewStore(db)
		c, names, err := catalog.ReadImportFiles([]string{path})
		if err == nil {
			_, err = cat.Import(ctx, auth.System, c, true)
		}
		if err != nil {
			t.Fatalf("import: %v %s", err, strings.Join(names.Lines(err), "\n"))
		}
		file := parseSampleFile(t)
		counts, err := cat.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts.Published != len(file.Items) {
			t.Errorf("%d items published, the file has %d", counts.Published, len(file.Items))
		}

		var out bytes.Buffer
		if err := cat.Export(ctx, &out, "json"); err != nil {
			t.Fatal(err)
		}
		back, err := catalog.ParseJSON(&out)
		if err != nil {
			t.Fatalf("the export does not import: %v", err)
		}
		byCode := func(a, b catalog.Item) int { return cmp.Compare(a.Code, b.Code) }
		slices.SortFunc(file.Items, byCode)
		slices.SortFunc(back.Items, byCode)
		if !reflect.DeepEqual(back.Items, file.Items) {
			t.Error("the exported items differ from the imported ones")
		}
		for _, d := range file.Departments {
			if !slices.Contains(back.Departments, d) {
				t.Errorf("department %s is not exported as imported", d.Code)
			}
		}
	})
}

// Every family table reads without a problem and agrees with the catalogue:
// each department has its defaults and families, and the documents a family
// asks for are shared material types.
func TestFamilyTables(t *testing.T) {
	tables, err := readFamilies(dataFiles)
	if err != nil {
		t.Fatal(err)
	}
	depts, _ := demoCatalogue(t)
	specs, err := departmentSpecs(depts)
	if err != nil {
		t.Fatal(err)
	}
	seqs := map[int]string{}
	families := 0
	for _, d := range specs {
		if len(d.families) == 0 {
			t.Errorf("department %s has no families", d.Code)
		}
		if prev, dup := seqs[d.seq]; dup {
			t.Errorf("departments %s and %s share the position %d", prev, d.Code, d.seq)
		}
		seqs[d.seq] = d.Code
		if d.contact == "" || d.basis == "" {
			t.Errorf("department %s has no contact or legal basis for its families", d.Code)
		}
		families += len(d.families)
		for _, f := range d.families {
			if _, ok := catalog.ItemTypes[f.typ]; !ok {
				t.Errorf("%s %s: unknown item type %q", d.Code, f.base, f.typ)
			}
			for _, typ := range f.needs {
				if _, ok := materialKinds()[typ]; !ok {
					t.Errorf("%s %s needs %q, which is not in material-types.csv", d.Code, f.base, typ)
				}
			}
		}
	}
	rows := 0
	for _, fs := range tables.families {
		rows += len(fs)
	}
	if families != rows {
		t.Errorf("%d families belong to the catalogue's departments, families.csv has %d", families, rows)
	}
	for kind, pool := range materialPools {
		for _, typ := range append(slices.Clone(pool.persons), pool.enterprises...) {
			if _, ok := materialKinds()[typ]; !ok {
				t.Errorf("the %s pool names %q, which is not in material-types.csv", kind, typ)
			}
		}
	}
}

// The county seats name the counties of the divisions they place.
func TestCountySeatsTable(t *testing.T) {
	regions, err := region.Jilin()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, r := range regions {
		if r.Level == region.LevelCounty {
			names[r.Code] = r.Name
		}
	}
	rows := 0
	err = readTable(dataFiles, "county-seats.csv", []string{"code", "name", "lat", "lon", "half_km", "countryside"},
		func(cell func(string) string, bad func(col, problem string)) {
			rows++
			if got, want := cell("name"), names[cell("code")]; got != want {
				t.Errorf("county %s is named %q, the divisions say %q", cell("code"), got, want)
			}
		})
	if err != nil {
		t.Fatal(err)
	}
	if rows != len(names) {
		t.Errorf("%d county seats for %d counties", rows, len(names))
	}
}

// A problem in a table is reported with its file, line and column.
func TestDataProblemsNamed(t *testing.T) {
	header := "department,type,base,variants,serves,levels,life_events,basis,result,in_person,needs,fees\n"
	tests := []struct {
		name, defaults, families, want string
	}{
		{name: "unknown serves", defaults: "department,seq,contact,basis,life_events,serves\nHN-X,1,12345,《法》,,someone\n",
			families: header, want: "family-defaults.csv:2:serves"},
		{name: "unknown department", defaults: "department,seq,contact,basis,life_events,serves\nHN-X,1,12345,《法》,,\n",
			families: header + "HN-Y,01,某许可,,,,,,,,,\n", want: "families.csv:2:department"},
		{name: "bad level", defaults: "department,seq,contact,basis,life_events,serves\nHN-X,1,12345,《法》,,\n",
			families: header + "HN-X,01,某许可,,,4|county,,,,,,\n", want: "families.csv:2:levels"},
		{name: "bad fee", defaults: "department,seq,contact,basis,life_events,serves\nHN-X,1,12345,《法》,,\n",
			families: header + "HN-X,01,某许可,,,,,,,,,工本费:ten yuan\n", want: "families.csv:2:fees"},
		{name: "bad in person", defaults: "department,seq,contact,basis,life_events,serves\nHN-X,1,12345,《法》,,\n",
			families: header + "HN-X,01,某许可,,,,,,,sometimes,,\n", want: "families.csv:2:in_person"},
		{name: "missing column", defaults: "department,seq,contact,basis,serves\nHN-X,1,12345,《法》,\n",
			families: header, want: "family-defaults.csv:1:life_events"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"data/family-defaults.csv": {Data: []byte(tc.defaults)},
				"data/families.csv":        {Data: []byte(tc.families)},
			}
			_, err := readFamilies(fsys)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one naming %s", err, tc.want)
			}
		})
	}
	bad := fstest.MapFS{"data/county-seats.csv": {Data: []byte("code,name,lat,lon,half_km,countryside\n220523,辉南县,42.68,126.05,30,hills\n")}}
	if _, err := readCountySeats(bad); err == nil || !strings.Contains(err.Error(), "county-seats.csv:2:countryside") {
		t.Errorf("county seats: error %v, want one naming county-seats.csv:2:countryside", err)
	}
}
