package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const (
	idNumber = "220102199003071234" // 18 digits
	idWithX  = "22010219900307123X"
	oldID    = "220102900307123" // 15 digits, first generation
	mobile   = "13812345678"
)

func TestScrub(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{idNumber, "2201**********1234"},
		{idWithX, "2201**********123X"},
		{strings.ToLower(idWithX), "2201**********123x"},
		{oldID, "2201*******7123"},
		{mobile, "138****5678"},
		{"+86" + mobile, "+86138****5678"},
		{"86" + mobile, "86138****5678"},
		{"138-1234-5678", "138-****-5678"},
		{"call 138 1234 5678 or 139-8765-4321.", "call 138 **** 5678 or 139-****-4321."},
		{`{"id_number":"` + idNumber + `","phone":"` + mobile + `"}`, `{"id_number":"2201**********1234","phone":"138****5678"}`},
		{"/api/v1/users/" + idNumber + "?q=" + mobile, "/api/v1/users/2201**********1234?q=138****5678"},
		{"身份证" + idNumber + "，电话" + mobile, "身份证2201**********1234，电话138****5678"},
		{"a bad check digit: 220102199003071235", "a bad check digit: 2201**********1235"},
		{"card 6222021234567890123", "card 6222***********0123"},
		// Left alone: short numbers, numbers joined to letters, hashes,
		// an 11-digit number that is no mobile number, 12 digits.
		{"case 42, point HNZWFW, 2026-11-24T10:00:00+08:00", "case 42, point HNZWFW, 2026-11-24T10:00:00+08:00"},
		{"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
		{"token abc" + idNumber, "token abc" + idNumber},
		{"12345678901", "12345678901"},
		{"/api/v1/items/1122052301244519762003804000", "/api/v1/items/1122052301244519762003804000"},
		{"123456789012", "123456789012"},
		{"9138-1234-5678", "9138-1234-5678"},
	} {
		if got := Scrub(tc.in); got != tc.want {
			t.Errorf("Scrub(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

type person struct{ Name, IDNumber string }

type phoneNumber string

func (p phoneNumber) String() string { return string(p) }

// Nothing logged through New, in either format, holds an identity or a
// mobile number: not the message, strings, errors (also wrapped), values
// printed with fmt, integers, groups, or the attributes of With.
func TestNewMasksEverything(t *testing.T) {
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			log, err := New(&buf, format, slog.LevelDebug)
			if err != nil {
				t.Fatal(err)
			}
			log.With("applicant", idNumber).WithGroup("g").With("phone", mobile).
				Error("lookup of "+idNumber+" failed",
					"err", fmt.Errorf("store: %w", errors.New("no user with id_number "+idNumber)),
					"who", person{"张三", idWithX},
					"stringer", phoneNumber(mobile),
					"int", int64(13812345678),
					"bytes", []byte(oldID),
					slog.Group("nested", "id", idNumber, "n", 7),
					"count", 3)
			out := buf.String()
			for _, raw := range []string{idNumber, idWithX, oldID, mobile, "1234567"} {
				if strings.Contains(out, raw) {
					t.Errorf("%s log holds %q:\n%s", format, raw, out)
				}
			}
			for _, masked := range []string{"2201**********1234", "2201**********123X", "138****5678", "2201*******7123"} {
				if !strings.Contains(out, masked) {
					t.Errorf("%s log lacks %q:\n%s", format, masked, out)
				}
			}
			if format == "json" {
				var m map[string]any
				if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
					t.Fatalf("not one JSON object: %v\n%s", err, out)
				}
				g, _ := m["g"].(map[string]any)
				if g == nil || g["count"] != float64(3) {
					t.Errorf("a number that needs no masking is no longer a number: %s", out)
				}
			}
		})
	}
	if _, err := New(&bytes.Buffer{}, "xml", slog.LevelInfo); err == nil {
		t.Error("an unknown format was accepted")
	}
}

// A line logged with a request's context names the request; the level is kept.
func TestRequestIDInEveryLine(t *testing.T) {
	var buf bytes.Buffer
	log, _ := New(&buf, "json", slog.LevelInfo)
	rq := NewRequest("")
	ctx := WithRequest(context.Background(), rq)
	log.DebugContext(ctx, "not shown")
	log.WarnContext(ctx, "shown")
	log.Info("no request")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("lines: %q", lines)
	}
	var first, second map[string]any
	json.Unmarshal([]byte(lines[0]), &first)
	json.Unmarshal([]byte(lines[1]), &second)
	if first["request_id"] != rq.ID || first["level"] != "WARN" {
		t.Errorf("line with the request's context: %s", lines[0])
	}
	if _, ok := second["request_id"]; ok {
		t.Errorf("line without one: %s", lines[1])
	}
}

func TestRequestIDs(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := NewRequestID()
		if len(id) != 16 || !SafeRequestID(id) || seen[id] {
			t.Fatalf("fresh id %q: bad or repeated", id)
		}
		seen[id] = true
	}
	for _, kept := range []string{"abc-123", "0f8fad5b-d9cb-469f-a165-70867728950e", "lb.7:42_x", strings.Repeat("a", MaxRequestIDLength)} {
		if rq := NewRequest(kept); rq.ID != kept {
			t.Errorf("X-Request-ID %q replaced by %q", kept, rq.ID)
		}
	}
	for _, replaced := range []string{"", strings.Repeat("a", MaxRequestIDLength+1), "a b", "a\nlevel=ERROR", `a"b`, "请求", "x=1", idNumber, "req-" + mobile} {
		if rq := NewRequest(replaced); rq.ID == replaced || !SafeRequestID(rq.ID) {
			t.Errorf("X-Request-ID %q kept as %q", replaced, rq.ID)
		}
	}
	rq := NewRequest("")
	ctx := WithRequest(context.Background(), rq)
	if _, ok := rq.User(); ok {
		t.Error("a user before any signed in")
	}
	SetUser(ctx, 42)
	SetRoute(ctx, "GET /api/v1/cases/{id}")
	SetUser(context.Background(), 7) // no record: nothing happens
	if u, ok := rq.User(); !ok || u != 42 || rq.Route() != "GET /api/v1/cases/{id}" {
		t.Errorf("user %d %v, route %q", u, ok, rq.Route())
	}
}
