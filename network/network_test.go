package network_test

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/region"
	"github.com/onewindow/onewindow/region/regiontest"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

func fieldsOf(err error) []string {
	var out []string
	for _, f := range apperr.As(err).Fields {
		out = append(out, f.Field)
	}
	return out
}

func ptr(v float64) *float64 { return &v }

func TestPutGetListWithLocationAndServices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := network.NewStore(db)
		// A point as the first callers write it: no location, no services.
		hall, err := s.Put(ctx, auth.System, network.Point{Code: "HNZWFW", Name: "辉南县政务服务中心", Level: 4, Kind: network.KindCountyHall})
		if err != nil {
			t.Fatal(err)
		}
		wantHall := []string{network.ServiceGovernment, network.ServiceLegalAid, network.ServiceMedicalInsurance}
		if !slices.Equal(hall.Services, wantHall) {
			t.Errorf("a county hall's default services %v, want %v", hall.Services, wantHall)
		}
		station := network.Point{Code: "YB-1", Name: "东凤村便民服务站", Level: 6, Kind: network.KindVillageStation, RegionCode: "220523001200",
			Lat: ptr(42.69), Lon: ptr(126.04), LocationGenerated: true,
			Services: []string{network.ServiceMedicalInsurance, " government ", network.ServiceMedicalInsurance}}
		if _, err := s.Put(ctx, auth.System, station); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, nil, "YB-1")
		if err != nil {
			t.Fatal(err)
		}
		if !got.Located() || *got.Lat != 42.69 || *got.Lon != 126.04 || !got.LocationGenerated || got.RegionCode != "220523001200" {
			t.Errorf("location not kept: %+v", got)
		}
		if !slices.Equal(got.Services, []string{network.ServiceGovernment, network.ServiceMedicalInsurance}) {
			t.Errorf("services %v, want government and medical-insurance once each", got.Services)
		}
		if !got.Offers(network.ServiceMedicalInsurance) || got.Offers(network.ServiceLegalAid) {
			t.Error("Offers disagrees with the services")
		}
		// Replacing keeps the creation time and drops what the new version leaves out.
		station.Lat, station.Lon, station.Services = nil, nil, []string{network.ServiceLegalAid}
		if _, err := s.Put(ctx, auth.System, station); err != nil {
			t.Fatal(err)
		}
		again, _ := s.Get(ctx, nil, "YB-1")
		if again.Located() || !slices.Equal(again.Services, []string{network.ServiceLegalAid}) || !again.CreatedAt.Equal(got.CreatedAt) {
			t.Errorf("after replacing: %+v (created %v, first %v)", again, again.CreatedAt, got.CreatedAt)
		}
		list, err := s.List(ctx)
		if err != nil || len(list) != 2 || list[0].Code != "HNZWFW" || !slices.Equal(list[0].Services, wantHall) {
			t.Errorf("List = %+v, %v", list, err)
		}
	})
}

func TestValidateLocationAndServices(t *testing.T) {
	base := network.Point{Code: "P-1", Name: "网点", Level: 5, Kind: network.KindTownshipCentre}
	tests := []struct {
		name  string
		edit  func(p *network.Point)
		field string
	}{
		{"lat without lon", func(p *network.Point) { p.Lat = ptr(43) }, "lat"},
		{"latitude out of range", func(p *network.Point) { p.Lat, p.Lon = ptr(95), ptr(125) }, "lat"},
		{"longitude out of range", func(p *network.Point) { p.Lat, p.Lon = ptr(43), ptr(-181) }, "lon"},
		{"unknown service", func(p *network.Point) { p.Services = []string{"government", "tax"} }, "services[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base
			tt.edit(&p)
			if err := p.Validate(); !slices.Contains(fieldsOf(err), tt.field) {
				t.Errorf("Validate = %v, want an error at %s", fieldsOf(err), tt.field)
			}
		})
	}
	if err := base.Validate(); err != nil {
		t.Errorf("a point without location is valid: %v", err)
	}
}

func TestParsePointsReportsLines(t *testing.T) {
	tests := []struct {
		name, data string
		fields     []string
	}{
		{"csv", "code,name,level,kind,region_code,lat,lon,services\n" +
			"BM-1,东凤街道便民服务中心,5,township_centre,220523001,42.68,126.05,government;medical-insurance\n" +
			"BM-2,样子哨镇便民服务中心,five,township_centre,,,,\n" + // line 3: level
			"bm-3,小写,5,township_centre,,,,\n" + // line 4: code
			"BM-4,某中心,5,clinic,,,,\n" + // line 5: kind
			"BM-5,某中心,5,township_centre,,42.1,,\n" + // line 6: lat without lon
			"BM-6,某中心,5,township_centre,,42.1,126,tax\n" + // line 7: services
			"BM-1,重复,5,township_centre,,,,\n", // line 8: duplicate code
			[]string{"points.csv:3:level", "points.csv:4:code", "points.csv:5:kind", "points.csv:6:lat", "points.csv:7:services[0]", "points.csv:8:code"}},
		{"csv with a short row", "code,name,level,kind\nBM-1,中心,5\n", []string{"points.csv:2"}},
		{"csv with an unknown column", "code,name,level,kind,colour\n", []string{"points.csv:1:colour"}},
		{"geojson", `{"type":"FeatureCollection","features":[
			{"type":"Feature","geometry":{"type":"Point","coordinates":[126.05,42.68]},"properties":{"code":"BM-1","name":"中心","level":5,"kind":"township_centre","services":["medical-insurance"]}},
			{"type":"Feature","geometry":{"type":"Point","coordinates":[126.05,42.68]},"properties":{"code":"BM-2","name":"中心","kind":"township_centre"}},
			{"type":"Feature","geometry":{"type":"Polygon","coordinates":[]},"properties":{"code":"BM-3","name":"中心","level":5,"kind":"township_centre","services":[1]}}]}`,
			[]string{"points.csv:features[1]:properties.level", "points.csv:features[2]:geometry", "points.csv:features[2]:properties.services"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := network.ParsePoints("points.csv", []byte(tt.data))
			got := fieldsOf(err)
			for _, f := range tt.fields {
				if !slices.Contains(got, f) {
					t.Errorf("no error at %s: %v", f, got)
				}
			}
			if len(got) != len(tt.fields) {
				t.Errorf("%d errors %v, want %d", len(got), got, len(tt.fields))
			}
		})
	}
}

func TestImportChecksRegionsAndExportRoundTrips(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := regiontest.Load(ctx, db, []region.Region{
			{Code: "220000", Name: "吉林省", Level: 2},
			{Code: "220500", Name: "通化市", Level: 3, ParentCode: "220000"},
			{Code: "220523", Name: "辉南县", Level: 4, ParentCode: "220500"},
		}); err != nil {
			t.Fatal(err)
		}
		s := network.NewStore(db)
		bad, err := network.ParsePoints("p.csv", []byte("code,name,level,kind,region_code\nZW-1,辉南县政务服务中心,4,county_hall,220523\nZW-2,某县中心,4,county_hall,220599\n"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Import(ctx, auth.System, bad); !slices.Contains(fieldsOf(err), "p.csv:3:region_code") {
			t.Errorf("an unknown region: %v", fieldsOf(err))
		}
		if list, _ := s.List(ctx); len(list) != 0 {
			t.Errorf("a failed import stored %d points", len(list))
		}
		points := []network.Point{
			{Code: "ZW-1", Name: "辉南县政务服务中心", NameEN: "Huinan hall", Level: 4, Kind: network.KindCountyHall, RegionCode: "220523",
				Address: "朝阳镇, \"东\"街", Hours: "8:30–17:00", Lat: ptr(42.68), Lon: ptr(126.05)},
			{Code: "FY-1", Name: "法律援助联络点", Level: 6, Kind: network.KindLegalAidPoint, Lat: ptr(42.6812345), Lon: ptr(126.0412345),
				LocationGenerated: true},
			{Code: "BM-1", Name: "无位置的中心", Level: 5, Kind: network.KindTownshipCentre,
				Services: []string{network.ServiceGovernment, network.ServiceMedicalInsurance}},
		}
		if n, err := s.Import(ctx, auth.System, points); err != nil || n != 3 {
			t.Fatalf("Import = %d, %v", n, err)
		}
		stored, _ := s.List(ctx)
		for _, format := range []string{"csv", "geojson"} {
			var buf bytes.Buffer
			if format == "csv" {
				err = network.WriteCSV(&buf, stored)
			} else {
				err = network.WriteGeoJSON(&buf, stored)
			}
			if err != nil {
				t.Fatal(err)
			}
			back, err := network.ParsePoints("export."+format, buf.Bytes())
			if err != nil {
				t.Fatalf("%s: the export does not read back: %v", format, fieldsOf(err))
			}
			if len(back) != len(stored) {
				t.Fatalf("%s: %d points back, want %d", format, len(back), len(stored))
			}
			for i, p := range back {
				w := stored[i]
				same := p.Code == w.Code && p.Name == w.Name && p.NameEN == w.NameEN && p.Level == w.Level && p.Kind == w.Kind &&
					p.RegionCode == w.RegionCode && p.Address == w.Address && p.Hours == w.Hours && p.LocationGenerated == w.LocationGenerated &&
					slices.Equal(p.Services, w.Services) && p.Located() == w.Located() && (!p.Located() || *p.Lat == *w.Lat && *p.Lon == *w.Lon)
				if !same {
					t.Errorf("%s: %+v came back as %+v", format, w, p)
				}
			}
		}
	})
}
