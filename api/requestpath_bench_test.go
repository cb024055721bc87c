package api_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/store/storetest"
)

// The request path benchmarks run the two hot requests of a hall against a
// real server and database: a front desk's intake (create and accept) and a
// status read by case number (on PostgreSQL too when ONEWINDOW_TEST_POSTGRES
// is set). Run with -cpuprofile to see where the server spends its time.

const benchDesk = "hn_qiantai" // the county hall's front desk

func BenchmarkIntake(b *testing.B) {
	e := sqliteEnv(b)
	it := e.item(demo.CodeMedicalOutOfArea)
	materials := requiredTypes(it, true)
	id := applicantID("zhouming")
	b.ResetTimer()
	for b.Loop() {
		c := e.caseOf(e.call("POST", "/api/v1/cases", benchDesk, map[string]any{"item": it.Code, "materials": materials,
			"applicant": map[string]any{"kind": "person", "name": "周明", "id_number": id}}).want(201))
		e.call("POST", fmt.Sprintf("/api/v1/cases/%d/actions/accept", c.ID), benchDesk, map[string]any{"version": c.Version}).want(200)
	}
}

func BenchmarkStatusRead(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchmarkStatusRead(b, sqliteEnv(b)) })
	if storetest.PostgresURL() != "" {
		b.Run("postgres", func(b *testing.B) {
			db, _ := storetest.Postgres(b)
			benchmarkStatusRead(b, newEnv(b, db))
		})
	}
}

func benchmarkStatusRead(b *testing.B, e *env) {
	it := e.item(demo.CodeMedicalOutOfArea)
	c := e.walkIn(benchDesk, it.Code, "周明", applicantID("zhouming"))
	path := "/api/v1/case-numbers/" + url.PathEscape(c.Number)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			e.call("GET", path, benchDesk, nil).want(200)
		}
	})
}

func BenchmarkIntakeParallel(b *testing.B) {
	e := sqliteEnv(b)
	it := e.item(demo.CodeMedicalOutOfArea)
	materials := requiredTypes(it, true)
	id := applicantID("zhouming")
	e.token(benchDesk)
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c := e.caseOf(e.call("POST", "/api/v1/cases", benchDesk, map[string]any{"item": it.Code, "materials": materials,
				"applicant": map[string]any{"kind": "person", "name": "周明", "id_number": id}}).want(201))
			e.call("POST", fmt.Sprintf("/api/v1/cases/%d/actions/accept", c.ID), benchDesk, map[string]any{"version": c.Version}).want(200)
		}
	})
}
