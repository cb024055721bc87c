package demo

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"sync"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/region"
)

// The demo's tables, kept as data (see data/README.md):
//
//   - catalogue.json: the 32 departments and the items written out in full,
//     in the format "onewindow catalog import" reads and "catalog export"
//     writes; a sample a province can copy.
//   - families.csv and family-defaults.csv: the item families the generator
//     expands into the long tail, and each department's defaults for them.
//   - material-types.csv: the documents the generated items ask for.
//   - county-seats.csv: where the network generator places each county.
//   - aliases.csv: the words people search items by (营业执照, 社保卡).
//
//go:embed data/*.json data/*.csv
var dataFiles embed.FS

// listSeparator separates the values of a list cell, as in the catalogue's
// own CSV files.
const listSeparator = "|"

// must stops on an error in the embedded data: it is part of the program,
// and the package's tests read every file.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func readData(fsys fs.FS, name string) ([]byte, error) {
	b, err := fs.ReadFile(fsys, "data/"+name)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return b, nil
}

// sampleCatalogue reads data/catalogue.json with the catalogue's importer,
// afresh on every call so that callers may change what they get.
func sampleCatalogue() (*catalog.Catalogue, error) {
	b, err := readData(dataFiles, "catalogue.json")
	if err != nil {
		return nil, err
	}
	c, err := catalog.ParseJSON(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("demo: data/catalogue.json: %w", err)
	}
	return c, nil
}

// readTable reads one of the demo's CSV files: a header naming the columns
// (all of them required), then one record a row. Problems name the file,
// line and column.
func readTable(fsys fs.FS, name string, columns []string, row func(cell func(string) string, bad func(col, problem string))) error {
	b, err := readData(fsys, name)
	if err != nil {
		return err
	}
	cols := make([]region.Column, len(columns))
	for i, c := range columns {
		cols[i] = region.Column{Name: c, Required: true}
	}
	var problems apperr.Fields
	region.ReadCSV(name, bytes.NewReader(b), cols, &problems, func(line int, cell func(string) string) {
		row(cell, func(col, problem string) {
			problems.Add(fmt.Sprintf("%s:%d:%s", name, line, col), "invalid", apperr.M(problem, problem))
		})
	})
	if err := problems.Err(); err != nil {
		return fmt.Errorf("demo: data/%s: %w", name, err)
	}
	return nil
}

// list splits a list cell; an empty cell is no list.
func list(cell string) []string {
	if cell == "" {
		return nil
	}
	return strings.Split(cell, listSeparator)
}

func number(cell, col string, bad func(col, problem string)) int {
	n, err := strconv.Atoi(cell)
	if err != nil {
		bad(col, fmt.Sprintf("%q is not a whole number", cell))
	}
	return n
}

// servesCodes are the values of a "serves" cell.
var servesCodes = map[string]byte{"": 0, "persons": forPersons, "enterprises": forEnterprises, "both": forBoth}

func serves(cell string, bad func(col, problem string)) byte {
	who, ok := servesCodes[cell]
	if !ok {
		bad("serves", fmt.Sprintf("%q is not persons, enterprises, both or empty", cell))
	}
	return who
}

// materialKinds are the material types shared across items, so that one
// 居民身份证 or one 营业执照 serves every item of a bundle (data/material-types.csv).
var materialKinds = sync.OnceValue(func() map[string]catalog.Material {
	return must(readMaterialTypes(dataFiles))
})

func readMaterialTypes(fsys fs.FS) (map[string]catalog.Material, error) {
	kinds := map[string]catalog.Material{}
	err := readTable(fsys, "material-types.csv", []string{"type", "name", "originals", "copies", "form", "source", "description", "sample"},
		func(cell func(string) string, bad func(col, problem string)) {
			m := catalog.Material{Name: cell("name"), Originals: number(cell("originals"), "originals", bad),
				Copies: number(cell("copies"), "copies", bad), Form: cell("form"), Source: cell("source"),
				Description: cell("description"), Sample: cell("sample")}
			if _, dup := kinds[cell("type")]; dup {
				bad("type", "the type is listed twice")
			}
			kinds[cell("type")] = m
		})
	return kinds, err
}

// readAliases reads data/aliases.csv: the words people search items by,
// by the item's name.
func readAliases(fsys fs.FS) (map[string][]string, error) {
	out := map[string][]string{}
	err := readTable(fsys, "aliases.csv", []string{"item", "aliases"}, func(cell func(string) string, bad func(col, problem string)) {
		if _, dup := out[cell("item")]; dup {
			bad("item", "the item is listed twice")
		}
		out[cell("item")] = list(cell("aliases"))
	})
	return out, err
}

// familyData is data/family-defaults.csv and data/families.csv, read once:
// the generator only reads it.
var familyData = sync.OnceValues(func() (familyTables, error) { return readFamilies(dataFiles) })

type familyTables struct {
	defaults map[string]deptSpec // by department code, without the Department
	families map[string][]family // by department code, in the file's order
}

func readFamilies(fsys fs.FS) (familyTables, error) {
	t := familyTables{defaults: map[string]deptSpec{}, families: map[string][]family{}}
	err := readTable(fsys, "family-defaults.csv", []string{"department", "seq", "contact", "basis", "life_events", "serves"},
		func(cell func(string) string, bad func(col, problem string)) {
			code := cell("department")
			if _, dup := t.defaults[code]; dup {
				bad("department", "the department is listed twice")
			}
			t.defaults[code] = deptSpec{seq: number(cell("seq"), "seq", bad), contact: cell("contact"), basis: cell("basis"),
				events: list(cell("life_events")), who: serves(cell("serves"), bad)}
		})
	if err != nil {
		return t, err
	}
	err = readTable(fsys, "families.csv", []string{"department", "type", "base", "variants", "serves", "levels", "life_events",
		"basis", "result", "in_person", "needs", "fees"},
		func(cell func(string) string, bad func(col, problem string)) {
			code := cell("department")
			if _, ok := t.defaults[code]; !ok {
				bad("department", fmt.Sprintf("%q is not in family-defaults.csv", code))
			}
			f := family{typ: cell("type"), base: cell("base"), variants: strings.Split(cell("variants"), listSeparator),
				who: serves(cell("serves"), bad), events: list(cell("life_events")), basis: cell("basis"),
				result: cell("result"), needs: list(cell("needs"))}
			for _, l := range list(cell("levels")) {
				f.levels = append(f.levels, number(l, "levels", bad))
			}
			switch cell("in_person") {
			case "yes":
				f.offline = true
			case "":
			default:
				bad("in_person", "write yes or leave the cell empty")
			}
			for _, fee := range list(cell("fees")) {
				parts := strings.SplitN(fee, ":", 3)
				if len(parts) < 2 {
					bad("fees", fmt.Sprintf("%q is not name:amount_fen or name:amount_fen:basis", fee))
					continue
				}
				fen, err := strconv.ParseInt(parts[1], 10, 64)
				if err != nil {
					bad("fees", fmt.Sprintf("%q is not an amount in fen", parts[1]))
				}
				f.fees = append(f.fees, catalog.Fee{Name: parts[0], AmountFen: fen, Basis: strings.Join(parts[2:], "")})
			}
			t.families[code] = append(t.families[code], f)
		})
	return t, err
}

// departmentSpecs joins the departments of the catalogue with their family
// defaults and families, in the catalogue's order.
func departmentSpecs(depts []catalog.Department) ([]deptSpec, error) {
	t, err := familyData()
	if err != nil {
		return nil, err
	}
	specs := make([]deptSpec, len(depts))
	for i, d := range depts {
		spec, ok := t.defaults[d.Code]
		if !ok {
			return nil, fmt.Errorf("demo: department %s of data/catalogue.json has no row in data/family-defaults.csv", d.Code)
		}
		spec.Department = d
		spec.families = t.families[d.Code]
		specs[i] = spec
	}
	if len(t.defaults) != len(depts) {
		return nil, fmt.Errorf("demo: data/family-defaults.csv has %d departments, data/catalogue.json %d", len(t.defaults), len(depts))
	}
	return specs, nil
}

// readCountySeats reads data/county-seats.csv. The countryside column is
// the kind of area of the county's towns and villages: rural or mountain.
func readCountySeats(fsys fs.FS) (map[string]seat, error) {
	seats := map[string]seat{}
	err := readTable(fsys, "county-seats.csv", []string{"code", "name", "lat", "lon", "half_km", "countryside"},
		func(cell func(string) string, bad func(col, problem string)) {
			decimal := func(col string) float64 {
				v, err := strconv.ParseFloat(cell(col), 64)
				if err != nil {
					bad(col, fmt.Sprintf("%q is not a number", cell(col)))
				}
				return v
			}
			st := seat{lat: decimal("lat"), lon: decimal("lon"), halfKm: decimal("half_km")}
			switch cell("countryside") {
			case region.AreaMountain:
				st.mountain = true
			case region.AreaRural:
			default:
				bad("countryside", fmt.Sprintf("%q is not rural or mountain", cell("countryside")))
			}
			if _, dup := seats[cell("code")]; dup {
				bad("code", "the county is listed twice")
			}
			seats[cell("code")] = st
		})
	return seats, err
}
