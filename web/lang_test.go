package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// A page's language: ?lang= first, then the switch kept in the cookie, then
// Accept-Language by its quality values and with regional and script
// variants matching their language; Chinese otherwise.
func TestLangNegotiation(t *testing.T) {
	for _, tc := range []struct {
		query, cookie, header string
		want                  Lang
	}{
		{"", "", "", ZH},
		{"", "", "en-GB", EN},
		{"", "", "en-US,en;q=0.9", EN},
		{"", "", "zh-TW", ZH},
		{"", "", "zh-TW,en;q=0.8", ZH},
		{"", "", "zh-Hans-CN", ZH},
		{"", "", "en;q=0.5, zh;q=0.9", ZH},
		{"", "", "zh;q=0.5, en-GB", EN},
		{"", "", "fr, en;q=0.3", EN},
		{"", "", "fr", ZH},
		{"", "en", "zh-CN", EN},
		{"", "zh", "en-GB", ZH},
		{"", "xx", "en-GB", EN},
		{"en", "zh", "zh-CN", EN},
		{"zh", "en", "en-GB", ZH},
		{"fr", "", "en-GB;q=0.9", EN},
	} {
		target := "/"
		if tc.query != "" {
			target += "?lang=" + tc.query
		}
		r := httptest.NewRequest("GET", target, nil)
		if tc.cookie != "" {
			r.AddCookie(&http.Cookie{Name: langCookie, Value: tc.cookie})
		}
		if tc.header != "" {
			r.Header.Set("Accept-Language", tc.header)
		}
		if got := langOf(r); got != tc.want {
			t.Errorf("?lang=%q, cookie %q, Accept-Language %q: %s, want %s", tc.query, tc.cookie, tc.header, got, tc.want)
		}
	}
}
