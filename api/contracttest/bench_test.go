package contracttest

import (
	"bytes"
	"net/http"
	"testing"
)

func BenchmarkCheckLogin(b *testing.B) {
	c, err := Served()
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"username":"admin","password":"wrong-password"}`)
	problem := []byte(`{"type":"urn:onewindow:problem:x","title":"x","status":401,"code":"x","detail":"x","instance":"/api/v1/auth/login"}`)
	for b.Loop() {
		req, _ := http.NewRequest("POST", "http://127.0.0.1:1/api/v1/auth/login", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if p := c.Check(Exchange{Request: req, RequestBody: body, Status: 401, Header: http.Header{"Content-Type": {"application/problem+json"}}, Body: problem}); len(p) > 0 {
			b.Fatal(p)
		}
	}
}
