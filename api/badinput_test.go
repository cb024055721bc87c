package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/ident"
)

// forTest returns a view of e whose helpers report to t, for subtests; it
// shares the server, the database and the tokens signed in so far.
func (e *env) forTest(t testing.TB) *env {
	e.mu.Lock()
	defer e.mu.Unlock()
	return &env{t: t, db: e.db, srv: e.srv, base: e.base, client: e.client, tokens: maps.Clone(e.tokens)}
}

// writtenRows counts what a refused request must not add to: cases, their
// history and materials, successful audit records, notifications, and
// uploaded files.
type writtenRows struct {
	cases, events, materials, auditOK, outbox, files int
}

func (e *env) writtenRows() writtenRows {
	e.t.Helper()
	var w writtenRows
	for _, q := range []struct {
		dst *int
		sql string
	}{
		{&w.cases, `SELECT COUNT(*) FROM cases`},
		{&w.events, `SELECT COUNT(*) FROM case_events`},
		{&w.materials, `SELECT COUNT(*) FROM case_materials`},
		{&w.auditOK, `SELECT COUNT(*) FROM audit_log WHERE outcome = 'ok'`},
		{&w.outbox, `SELECT COUNT(*) FROM outbox`},
	} {
		if err := e.db.QueryRowContext(context.Background(), q.sql).Scan(q.dst); err != nil {
			e.t.Fatalf("%s: %v", q.sql, err)
		}
	}
	err := filepath.WalkDir(e.srv.UploadDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			w.files++
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return w
}

// hasHan reports whether s holds Chinese characters.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// badCheckDigit replaces the last character of a checksummed code with
// another one of its alphabet, so that only the check fails.
func badCheckDigit(code, alphabet string) string {
	last := code[len(code)-1:]
	for _, c := range alphabet {
		if string(c) != last {
			return code[:len(code)-1] + string(c)
		}
	}
	panic("alphabet too small")
}

type badInputRow struct {
	name               string
	method, path, user string
	body               any
	headers            []string
	status             int
	code               string // the problem code, when the table cares
	field              string // a field the problem must name
	state              string // the state a 409 must report
}

// Hostile and broken requests get the right 4xx as a problem document and
// write nothing: no case, event, material, notification, file or successful
// audit record.
func TestBadInputWritesNothing(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		for _, u := range []string{"hn_qiantai", "yuxiulan", "yb_shenpi"} {
			e.token(u)
		}
		zhou := applicantID("zhouming")
		received := e.caseOf(e.call("POST", "/api/v1/cases", "hn_qiantai", map[string]any{"item": demo.CodeMedicalOutOfArea,
			"applicant": map[string]any{"kind": "person", "name": "周明", "id_number": zhou}}).want(201))
		draft := e.caseOf(e.call("POST", "/api/v1/cases", "yuxiulan", map[string]any{"item": demo.CodeSocialInsuranceSubsidy,
			"point": demo.QingzhouCentre}).want(201))
		uploadType := requiredTypes(e.item(demo.CodeSocialInsuranceSubsidy), false)[0]

		walkIn := func(edit func(body, applicant map[string]any)) map[string]any {
			applicant := map[string]any{"kind": "person", "name": "周明", "id_number": zhou}
			body := map[string]any{"item": demo.CodeMedicalOutOfArea, "applicant": applicant}
			if edit != nil {
				edit(body, applicant)
			}
			return body
		}
		validJSON := []byte(fmt.Sprintf(`{"item":%q,"applicant":{"kind":"person","name":"周明","id_number":%q}}`, demo.CodeMedicalOutOfArea, zhou))
		deep := func(levels int, open, close string) []byte {
			return []byte(strings.Repeat(open, levels) + strings.Repeat(close, levels))
		}
		caseURL := fmt.Sprintf("/api/v1/cases/%d", received.ID)
		upload := fmt.Sprintf("/api/v1/cases/%d/materials/%s", draft.ID, uploadType)
		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
		elf := append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 64)...)
		oversized := append(bytes.Clone(png), make([]byte, 10<<20)...)
		idDigits := "0123456789X"
		creditChars := "0123456789ABCDEFGHJKLMNPQRTUWXY" // GB 32100: digits and capitals without I, O, S, V, Z
		goodCredit := ident.GenerateCreditCode("91220200MA0Y1234P")

		rows := []badInputRow{
			// Bodies that are not one JSON object.
			{name: "malformed JSON", method: "POST", path: "/api/v1/cases", user: "hn_qiantai", body: []byte(`{"item": "x",`), status: 400, code: "malformed_json"},
			{name: "trailing garbage", method: "POST", path: "/api/v1/cases", user: "hn_qiantai", body: append(bytes.Clone(validJSON), "garbage"...), status: 400, code: "malformed_json"},
			{name: "two objects", method: "POST", path: "/api/v1/cases", user: "hn_qiantai", body: append(bytes.Clone(validJSON), validJSON...), status: 400, code: "malformed_json"},
			{name: "array instead of an object", method: "POST", path: "/api/v1/cases", user: "hn_qiantai", body: []byte("[" + string(validJSON) + "]"), status: 422, code: "validation_failed"},
			{name: "string instead of an object", method: "POST", path: "/api/v1/cases", user: "hn_qiantai", body: []byte(`"accept"`), status: 422, code: "validation_failed"},
			{name: "empty body to create", method: "POST", path: "/api/v1/cases", user: "hn_qiantai", body: []byte{}, status: 400, code: "malformed_json"},
			{name: "empty body to declare a material", method: "POST", path: caseURL + "/materials", user: "hn_qiantai", body: []byte{}, status: 400, code: "malformed_json"},
			{name: "invalid UTF-8", method: "POST", path: "/api/v1/cases", user: "hn_qiantai", body: []byte("{\"item\":\"\xff\xfe\"}"), status: 400, code: "malformed_json"},
			{name: "10,000 nested arrays", method: "POST", path: "/api/v1/cases", user: "hn_qiantai", body: deep(10000, "[", "]"), status: 422},
			{name: "10,000 nested objects under applicant", method: "POST", path: "/api/v1/cases", user: "hn_qiantai",
				body: []byte(`{"applicant":` + strings.Repeat(`{"a":`, 9999) + `1` + strings.Repeat(`}`, 10000)), status: 422, field: "applicant.a"},
			{name: "10,001 nested arrays", method: "POST", path: caseURL + "/actions/accept", user: "hn_qiantai", body: deep(10001, "[", "]"), status: 400, code: "malformed_json"},
			{name: "2 MiB body", method: "POST", path: "/api/v1/cases", user: "hn_qiantai",
				body: []byte(`{"item":"` + strings.Repeat("a", 2<<20) + `"}`), status: 413, code: "body_too_large"},
			{name: "text/plain", method: "POST", path: "/api/v1/cases", user: "hn_qiantai", body: validJSON,
				headers: []string{"Content-Type", "text/plain"}, status: 415, code: "unsupported_media_type"},
			{name: "text/plain action", method: "POST", path: caseURL + "/actions/accept", user: "hn_qiantai", body: []byte(`{}`),
				headers: []string{"Content-Type", "text/plain; charset=utf-8"}, status: 415, code: "unsupported_media_type"},

			// Wrong types, unknown fields, numbers no field can hold.
			{name: "item is a number", method: "POST", path: "/api/v1/cases", user: "hn_qiantai",
				body: walkIn(func(b, _ map[string]any) { b["item"] = 123 }), status: 422, field: "item"},
			{name: "applicant kind is a number", method: "POST", path: "/api/v1/cases", user: "hn_qiantai",
				body: walkIn(func(_, a map[string]any) { a["kind"] = 1 }), status: 422, field: "applicant.kind"},
			{name: "version is a string", method: "POST", path: caseURL + "/actions/accept", user: "hn_qiantai",
				body: map[string]any{"version": "x"}, status: 422, field: "version"},
			{name: "version 1e400", method: "POST", path: caseURL + "/actions/accept", user: "hn_qiantai",
				body: []byte(`{"version":1e400}`), status: 422, field: "version"},
			{name: "version 99999999999999999999", method: "POST", path: caseURL + "/actions/accept", user: "hn_qiantai",
				body: []byte(`{"version":99999999999999999999}`), status: 422, field: "version"},
			{name: "waiver days 1e9", method: "POST", path: caseURL + "/actions/accept", user: "hn_qiantai",
				body: []byte(`{"waiver_days":1000000000}`), status: 422, field: "waiver_days"},
			{name: "unknown top-level field", method: "POST", path: "/api/v1/cases", user: "hn_qiantai",
				body: walkIn(func(b, _ map[string]any) { b["foo"] = 1 }), status: 422, code: "validation_failed", field: "foo"},
			{name: "unknown nested field", method: "POST", path: "/api/v1/cases", user: "hn_qiantai",
				body: walkIn(func(_, a map[string]any) { a["foo"] = "bar" }), status: 422, code: "validation_failed", field: "applicant.foo"},
			{name: "unknown action field", method: "POST", path: caseURL + "/actions/accept", user: "hn_qiantai",
				body: map[string]any{"versoin": 1}, status: 422, field: "versoin"},

			// Values the domain refuses.
			{name: "居民身份证 with a wrong check digit", method: "POST", path: "/api/v1/cases", user: "hn_qiantai",
				body: walkIn(func(_, a map[string]any) { a["id_number"] = badCheckDigit(zhou, idDigits) }), status: 422, field: "applicant.id_number"},
			{name: "统一社会信用代码 with a wrong check character", method: "POST", path: "/api/v1/cases", user: "hn_qiantai",
				body: walkIn(func(_, a map[string]any) {
					a["kind"], a["name"], a["credit_code"] = "enterprise", "吉林示范有限公司", badCheckDigit(goodCredit, creditChars)
					delete(a, "id_number")
				}), status: 422, field: "applicant.credit_code"},
			{name: "bad mobile number", method: "POST", path: "/api/v1/cases", user: "hn_qiantai",
				body: walkIn(func(_, a map[string]any) { a["phone"] = "1390431000" }), status: 422, field: "applicant.phone"},
			{name: "name of 101 characters", method: "POST", path: "/api/v1/cases", user: "hn_qiantai",
				body: walkIn(func(_, a map[string]any) { a["name"] = strings.Repeat("周", 101) }), status: 422, field: "applicant.name"},
			{name: "NUL in the name", method: "POST", path: "/api/v1/cases", user: "hn_qiantai",
				body: walkIn(func(_, a map[string]any) { a["name"] = "周\x00明" }), status: 422, field: "applicant.name"},
			// PostgreSQL cannot hold U+0000 or compare invalid UTF-8: refused at the door.
			{name: "NUL in a note", method: "POST", path: caseURL + "/actions/accept", user: "hn_qiantai",
				body: map[string]any{"version": 999, "note": "见\x00附件"}, status: 422, field: "note"},
			{name: "NUL in a reason", method: "POST", path: caseURL + "/actions/not_accept", user: "hn_qiantai",
				body: map[string]any{"version": 999, "reasons": []string{"材料不全", "\x00"}}, status: 422, field: "reasons[1]"},
			{name: "NUL in a query parameter", method: "GET", path: "/api/v1/cases?point=%00", user: "hn_qiantai", status: 422, field: "point"},
			{name: "invalid UTF-8 in a query parameter", method: "GET", path: "/api/v1/cases?point=%FF", user: "hn_qiantai", status: 422, field: "point"},
			{name: "NUL in the path", method: "GET", path: "/api/v1/case-numbers/HNZWFW%00", user: "hn_qiantai", status: 422, field: "path"},
			{name: "invalid UTF-8 in the path", method: "GET", path: "/api/v1/items/%FF%FE", status: 422, field: "path"},
			{name: "NUL in a password", method: "POST", path: "/api/v1/auth/login", body: map[string]any{"username": "hn_qiantai", "password": "\x00"},
				status: 422, field: "password"},
			{name: "unknown item", method: "POST", path: "/api/v1/cases", user: "hn_qiantai",
				body: walkIn(func(b, _ map[string]any) { b["item"] = "NO-SUCH-ITEM" }), status: 422, field: "item"},
			{name: "Idempotency-Key too long", method: "POST", path: "/api/v1/cases", user: "hn_qiantai", body: validJSON,
				headers: []string{"Idempotency-Key", strings.Repeat("k", 201)}, status: 422, field: "Idempotency-Key"},

			// Paths and actions.
			{name: "case id abc", method: "GET", path: "/api/v1/cases/abc", user: "hn_qiantai", status: 422, field: "id"},
			{name: "case id 0", method: "GET", path: "/api/v1/cases/0", user: "hn_qiantai", status: 422, field: "id"},
			{name: "case id -1", method: "GET", path: "/api/v1/cases/-1", user: "hn_qiantai", status: 422, field: "id"},
			{name: "case id beyond int64", method: "GET", path: "/api/v1/cases/99999999999999999999", user: "hn_qiantai", status: 422, field: "id"},
			{name: "action on case abc", method: "POST", path: "/api/v1/cases/abc/actions/accept", user: "hn_qiantai", status: 422, field: "id"},
			{name: "unknown action", method: "POST", path: caseURL + "/actions/fly", user: "hn_qiantai", status: 404, code: "unknown_action"},
			{name: "approve a received case", method: "POST", path: caseURL + "/actions/approve", user: "yb_shenpi", status: 409,
				code: "illegal_transition", state: "received"},

			// Query parameters.
			{name: "limit=0", method: "GET", path: "/api/v1/cases?limit=0", user: "hn_qiantai", status: 422, field: "limit"},
			{name: "limit=999", method: "GET", path: "/api/v1/cases?limit=999", user: "hn_qiantai", status: 422, field: "limit"},
			{name: "limit=ten", method: "GET", path: "/api/v1/cases?limit=ten", user: "hn_qiantai", status: 422, field: "limit"},
			{name: "offset=-1", method: "GET", path: "/api/v1/cases?offset=-1", user: "hn_qiantai", status: 422, field: "offset"},
			{name: "sort=x", method: "GET", path: "/api/v1/cases?sort=x", user: "hn_qiantai", status: 422, field: "sort"},
			{name: "state=nope", method: "GET", path: "/api/v1/cases?state=nope", user: "hn_qiantai", status: 422, field: "state"},
			{name: "state=received,nope", method: "GET", path: "/api/v1/cases?state=received,nope", user: "hn_qiantai", status: 422, field: "state"},
			{name: "level=9", method: "GET", path: "/api/v1/items?level=9", status: 422, field: "level"},
			{name: "fully_online=maybe", method: "GET", path: "/api/v1/items?fully_online=maybe", status: 422, field: "fully_online"},

			// Uploads.
			{name: "upload named ../../etc/passwd", method: "PUT", path: upload + "?name=..%2F..%2Fetc%2Fpasswd", user: "yuxiulan", body: png,
				status: 422, field: "name"},
			{name: `upload named ..\..\boot.ini`, method: "PUT", path: upload + "?name=..%5C..%5Cboot.ini", user: "yuxiulan", body: png,
				status: 422, field: "name"},
			{name: "upload name with NUL", method: "PUT", path: upload + "?name=scan%00.png", user: "yuxiulan", body: png, status: 422, field: "name"},
			{name: "upload of an executable", method: "PUT", path: upload + "?name=scan.png", user: "yuxiulan", body: elf, status: 415, code: "upload_type"},
			{name: "upload of a shell script", method: "PUT", path: upload, user: "yuxiulan", body: []byte("#!/bin/sh\nrm -rf /\n"), status: 415, code: "upload_type"},
			{name: "upload over 10 MiB", method: "PUT", path: upload, user: "yuxiulan", body: oversized, status: 413, code: "upload_too_large"},
			{name: "empty upload", method: "PUT", path: upload, user: "yuxiulan", body: []byte{}, status: 422, field: "body"},
		}
		for _, row := range rows {
			t.Run(row.name, func(t *testing.T) {
				e := e.forTest(t)
				before := e.writtenRows()
				res := e.call(row.method, row.path, row.user, row.body, row.headers...)
				p := res.problem(row.status, row.code)
				if p.Code == "" || p.Title == "" || p.Status != row.status {
					t.Errorf("problem %s lacks a code, a title or the status", res.body)
				}
				if !hasHan(p.Title) || res.header.Get("Content-Language") != "zh-CN" {
					t.Errorf("the default language is Chinese; title %q, Content-Language %q", p.Title, res.header.Get("Content-Language"))
				}
				if row.field != "" && !p.hasField(row.field) {
					t.Errorf("problem should name the field %q: %s", row.field, res.body)
				}
				if row.state != "" && p.State != row.state {
					t.Errorf("409 reports state %q, want %q", p.State, row.state)
				}
				if after := e.writtenRows(); after != before {
					t.Errorf("a refused request wrote something: before %+v, after %+v", before, after)
				}
			})
		}
	})
}

// A problem is told in Chinese by default and in English when asked, the
// per-field messages included.
func TestBadInputLanguage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		zh := e.call("POST", "/api/v1/cases", "hn_qiantai", []byte{}).problem(400, "malformed_json")
		en := e.call("POST", "/api/v1/cases", "hn_qiantai", []byte{}, "Accept-Language", "en-GB,en;q=0.9").problem(400, "malformed_json")
		if zh.Title != "请求体为空" || en.Title != "the request body is empty" {
			t.Errorf("empty body: titles %q and %q, want the Chinese and the English message", zh.Title, en.Title)
		}
		body := map[string]any{"item": demo.CodeMedicalOutOfArea,
			"applicant": map[string]any{"kind": "person", "name": "周明", "id_number": badCheckDigit(applicantID("zhouming"), "0123456789X")}}
		for _, tt := range []struct {
			headers []string
			han     bool
		}{{nil, true}, {[]string{"Accept-Language", "zh-CN"}, true}, {[]string{"Accept-Language", "en"}, false}} {
			p := e.call("POST", "/api/v1/cases", "hn_qiantai", body, tt.headers...).problem(422, "validation_failed")
			var msg string
			for _, f := range p.Errors {
				if f.Field == "applicant.id_number" {
					msg = f.Message
				}
			}
			if msg == "" || hasHan(msg) != tt.han || hasHan(p.Title) != tt.han {
				t.Errorf("with %v: title %q, id_number message %q; want Chinese: %v", tt.headers, p.Title, msg, tt.han)
			}
		}
	})
}

// Names that look like SQL, HTML, templates or paths are data: stored and
// returned exactly, never executed, and escaped on the printable notice.
func TestHostileNamesStoredVerbatim(t *testing.T) {
	long := strings.Repeat("龘𠮷e\u0301", 25) // 100 runes: CJK, a character beyond the BMP, a combining accent
	if n := utf8.RuneCountInString(long); n != 100 {
		t.Fatalf("the long name has %d runes", n)
	}
	names := []string{
		`'; DROP TABLE cases; --`,
		`Robert'); DELETE FROM audit_log WHERE ('1'='1`,
		`<script>alert(1)</script>`,
		`{{.}}`,
		`../../etc/passwd`,
		long,
	}
	eachEnv(t, func(t *testing.T, e *env) {
		ids := map[string]int64{}
		for _, name := range names {
			c := e.walkIn("hn_qiantai", demo.CodeMedicalOutOfArea, name, applicantID("zhouming"))
			if c.Applicant.Name != name {
				t.Errorf("created with name %q, answered %q", name, c.Applicant.Name)
			}
			ids[name] = c.ID
		}
		for _, name := range names {
			got := e.caseOf(e.call("GET", fmt.Sprintf("/api/v1/cases/%d", ids[name]), "hn_qiantai", nil).want(200))
			if got.Applicant.Name != name {
				t.Errorf("stored %q, read back %q", name, got.Applicant.Name)
			}
		}
		// The tables are all still there and hold what was put in.
		var cases, audits int
		if err := e.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM cases`).Scan(&cases); err != nil {
			t.Fatal(err)
		}
		if err := e.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log`).Scan(&audits); err != nil {
			t.Fatal(err)
		}
		if cases != len(names) || audits == 0 {
			t.Errorf("%d cases and %d audit records after creating %d cases", cases, audits, len(names))
		}
		var v struct{ Intact bool }
		e.call("GET", "/api/v1/audit/verify", "admin", nil).want(200).decode(&v)
		if !v.Intact {
			t.Error("the audit chain is broken")
		}

		doc := func(name string) string {
			res := e.call("GET", fmt.Sprintf("/api/v1/cases/%d/documents/acceptance?format=html", ids[name]), "hn_qiantai", nil).want(200)
			return string(res.body)
		}
		if html := doc(`<script>alert(1)</script>`); strings.Contains(html, "<script>") || !strings.Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("the notice does not escape the applicant's name: %s", html)
		}
		if html := doc(`{{.}}`); !strings.Contains(html, "{{.}}") {
			t.Errorf("the notice should print {{.}} as text: %s", html)
		}
		if html := doc(long); !strings.Contains(html, long) {
			t.Error("the notice does not carry the long name whole")
		}
	})
}
