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

// English counts take the right form of their word; Chinese texts, which
// have none, are left as they are.
func TestPluralForms(t *testing.T) {
	for _, tc := range []struct {
		lang Lang
		key  string
		args []any
		want string
	}{
		{EN, "item.copies_text", []any{1, 2}, "1 original, 2 copies"},
		{EN, "item.copies_text", []any{2, 1}, "2 originals, 1 copy"},
		{EN, "item.copies_text", []any{0, 0}, "0 originals, 0 copies"},
		{EN, "item.working_days", []any{1}, "1 working day"},
		{EN, "item.working_days", []any{20}, "20 working days"},
		{EN, "extension.pending", []any{"Liu", 1}, "Liu asks for 1 more working day, waiting for a decision"},
		{EN, "counter.unlinked", []any{1}, "1 case of this visit is not yet linked to the ticket."},
		{EN, "counter.unlinked", []any{3}, "3 cases of this visit are not yet linked to the ticket."},
		{ZH, "item.copies_text", []any{1, 2}, "原件 1 份，复印件 2 份"},
	} {
		if got := tc.lang.Tf(tc.key, tc.args...); got != tc.want {
			t.Errorf("%s %s %v = %q, want %q", tc.lang, tc.key, tc.args, got, tc.want)
		}
	}
	if got := pluralForms("%[2]d of %[1]d place{|s}", []any{1, 5}); got != "%[2]d of %[1]d place" {
		t.Errorf("explicit argument index: %q", got)
	}
}

// Actions stand alone on buttons and in a case's history: capitalised in
// English.
func TestActionsCapitalised(t *testing.T) {
	if got := EN.Action("withdraw"); got != "Withdraw" {
		t.Errorf("EN withdraw = %q", got)
	}
	if got := ZH.Action("withdraw"); got != "撤回" {
		t.Errorf("ZH withdraw = %q", got)
	}
}
