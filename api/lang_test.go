package api_test

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/onewindow/onewindow/api"
)

// A problem's language: ?lang= first (en… is English, anything else
// Chinese), then Accept-Language by its quality values, regional and script
// variants matching their language; Chinese by default. Content-Language
// says which.
func TestLangOfProblems(t *testing.T) {
	h := api.New(&api.Server{}, nil).Handler()
	for _, tc := range []struct {
		query, header, want string
	}{
		{"", "", "zh-CN"},
		{"", "en", "en"},
		{"", "en-GB", "en"},
		{"", "en-GB,en;q=0.9", "en"},
		{"", "zh-TW", "zh-CN"},
		{"", "zh-TW, en;q=0.8", "zh-CN"},
		{"", "zh-Hans-CN", "zh-CN"},
		{"", "en;q=0.4, zh-CN;q=0.8", "zh-CN"},
		{"", "zh-CN;q=0.4, en-US;q=0.8", "en"},
		{"", "de, fr;q=0.9", "zh-CN"},
		{"?lang=en", "zh-CN", "en"},
		{"?lang=en-GB", "", "en"},
		{"?lang=zh", "en-GB", "zh-CN"},
		{"?lang=zh-TW", "en", "zh-CN"},
	} {
		req := httptest.NewRequest("GET", "/api/v1/no-such-thing"+tc.query, nil)
		if tc.header != "" {
			req.Header.Set("Accept-Language", tc.header)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var p struct{ Title string }
		json.Unmarshal(rec.Body.Bytes(), &p)
		wantTitle := map[string]string{"zh-CN": "没有这个地址", "en": "no such address"}[tc.want]
		if got := rec.Header().Get("Content-Language"); got != tc.want || p.Title != wantTitle {
			t.Errorf("%q with Accept-Language %q: Content-Language %q, title %q; want %s", tc.query, tc.header, got, p.Title, tc.want)
		}
	}
}
