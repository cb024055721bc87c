package locale

import "testing"

func TestNegotiate(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"", Chinese},
		{"zh-CN", Chinese},
		{"en", English},
		// Regional and script variants match their language.
		{"en-GB", English},
		{"en-US,en;q=0.9", English},
		{"zh-TW", Chinese},
		{"zh-HK", Chinese},
		{"zh-Hans-CN", Chinese},
		{"zh-Hant-TW,en;q=0.8", Chinese},
		// Quality values order the preferences, whatever the order written.
		{"en;q=0.5,zh;q=0.9", Chinese},
		{"zh;q=0.5, en", English},
		{"zh-CN;q=0.8, en-GB;q=0.9", English},
		{"en, zh-CN;q=0.9", English},
		{"en;q=0, zh", Chinese},
		{"fr, en;q=0.5", English},
		{"ja, en-GB;q=0.7, zh;q=0.6", English},
		// Neither language, a wildcard, or nonsense: Chinese.
		{"fr", Chinese},
		{"*", Chinese},
		{"de, *;q=0.5", Chinese},
		{"garbage;;;", Chinese},
		{"en;q=abc", Chinese},
	} {
		if got := Negotiate(tc.header); got != tc.want {
			t.Errorf("Negotiate(%q) = %s, want %s", tc.header, got, tc.want)
		}
	}
}
