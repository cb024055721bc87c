package contracttest

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// The checker must tell a kept contract from a broken one, or the suite that
// runs through it proves nothing.
func TestCheckTellsKeptFromBroken(t *testing.T) {
	c, err := Served()
	if err != nil {
		t.Fatal(err)
	}
	const user = `{"id":7,"username":"new_desk","name":"新前台","role":"frontdesk","point_code":"HNZWFW","disabled":false,"created_at":"2026-11-24T02:00:00Z"}`
	const problem = `{"type":"urn:onewindow:problem:validation_failed","title":"x","status":422,"code":"validation_failed","detail":"x","instance":"/api/v1/users"}`
	jsonCT := http.Header{"Content-Type": {"application/json"}}
	problemCT := http.Header{"Content-Type": {"application/problem+json"}}
	tests := []struct {
		name   string
		method string
		path   string
		token  bool
		body   string
		status int
		header http.Header
		answer string
		breaks string // a part of the complaint; "" when the exchange keeps the contract
	}{
		{name: "a new user without the answer's own fields", method: "POST", path: "/api/v1/users", token: true,
			body:   `{"username":"new_desk","name":"新前台","role":"frontdesk","point_code":"HNZWFW","password":"long-enough"}`,
			status: 201, header: jsonCT, answer: user},
		{name: "an answer without its id", method: "POST", path: "/api/v1/users", token: true,
			body:   `{"username":"new_desk","name":"新前台","role":"frontdesk","password":"long-enough"}`,
			status: 201, header: jsonCT, answer: strings.Replace(user, `"id":7,`, "", 1), breaks: "response"},
		{name: "a request without a required field, accepted", method: "POST", path: "/api/v1/users", token: true,
			body: `{"name":"新前台","role":"frontdesk","password":"long-enough"}`, status: 201, header: jsonCT, answer: user,
			breaks: "to a request that breaks"},
		{name: "the same request, refused", method: "POST", path: "/api/v1/users", token: true,
			body: `{"name":"新前台","role":"frontdesk","password":"long-enough"}`, status: 422, header: problemCT, answer: problem},
		{name: "no token where one is needed, accepted", method: "POST", path: "/api/v1/users",
			body:   `{"username":"new_desk","name":"新前台","role":"frontdesk","password":"long-enough"}`,
			status: 201, header: jsonCT, answer: user, breaks: "to a request that breaks"},
		{name: "an undocumented status", method: "POST", path: "/api/v1/users", token: true,
			body:   `{"username":"new_desk","name":"新前台","role":"frontdesk","password":"long-enough"}`,
			status: 418, header: problemCT, answer: problem, breaks: "not documented"},
		{name: "a refusal that is not a problem", method: "POST", path: "/api/v1/users", token: true,
			body: `{"name":"x"}`, status: 422, header: jsonCT, answer: problem, breaks: "problem"},
		{name: "an unknown route refused", method: "GET", path: "/api/v1/nothing-here", status: 404, header: problemCT, answer: problem},
		{name: "an unknown route answered", method: "GET", path: "/api/v1/nothing-here", status: 200, header: jsonCT, answer: `{}`,
			breaks: "not documented"},
		{name: "an overloaded server", method: "GET", path: "/api/v1/items", status: 503, header: problemCT, answer: problem},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, "http://127.0.0.1:1"+tt.path, bytes.NewReader([]byte(tt.body)))
			if err != nil {
				t.Fatal(err)
			}
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			if tt.token {
				req.Header.Set("Authorization", "Bearer a-token")
			}
			got := c.Check(Exchange{Request: req, RequestBody: []byte(tt.body), Status: tt.status, Header: tt.header, Body: []byte(tt.answer)})
			switch {
			case tt.breaks == "" && len(got) > 0:
				t.Errorf("the exchange keeps the document, but the checker says: %v", got)
			case tt.breaks != "" && len(got) == 0:
				t.Errorf("the exchange breaks the document (%s), but the checker says nothing", tt.breaks)
			case tt.breaks != "" && !strings.Contains(strings.Join(got, "\n"), tt.breaks):
				t.Errorf("the checker says %v, want a complaint about %q", got, tt.breaks)
			}
		})
	}
}
