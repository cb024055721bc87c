// Package locale picks the language of an answer from the request's
// Accept-Language header: Chinese (zh-CN, the default) or English.
package locale

import (
	"golang.org/x/text/language"
)

// The languages onewindow answers in.
const (
	Chinese = "zh-CN"
	English = "en"
)

// supported are the tags matched against; the first is the default. Chinese
// in traditional characters (Taiwan, Hong Kong, Macao) is matched too, and
// answered in simplified Chinese: nearer to its readers than English.
var (
	supported = []language.Tag{
		language.MustParse("zh-Hans-CN"),
		language.English,
		language.MustParse("zh-Hant"),
	}
	answer  = []string{Chinese, English, Chinese}
	matcher = language.NewMatcher(supported)
)

// Negotiate returns Chinese or English for an Accept-Language header value,
// by the preferences and quality values it states (RFC 9110): a regional or
// script variant matches its language (en-GB: English; zh-TW, zh-HK,
// zh-Hans-CN: Chinese), a language weighted q=0 is refused, and a header
// that is empty, malformed or names neither language answers Chinese.
func Negotiate(acceptLanguage string) string {
	if acceptLanguage == "" {
		return Chinese
	}
	prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(prefs) == 0 {
		return Chinese
	}
	_, i, conf := matcher.Match(prefs...)
	if conf == language.No {
		return Chinese
	}
	return answer[i]
}
