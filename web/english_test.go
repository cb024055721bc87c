package web_test

import (
	"context"
	"database/sql"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/store"
)

// chineseRun is a run of Han characters with the Chinese punctuation
// between and after them: on an English page each must be data (a name
// from the database), never the interface's own words.
var chineseRun = regexp.MustCompile(`[\p{Han}，。：；（）、！？《》【】]+`)

// nonText is what the reader does not see as the page's words: scripts,
// styles and the names of the things the page links to.
var nonText = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|href="[^"]*"|value="[^"]*"`)

// declaredChinese is an element whose template says it is Chinese on any
// page (an official notice's title, the language switch's 中文, a
// notification template in Chinese), with the text that starts it.
var declaredChinese = regexp.MustCompile(`<\w+(?:\s[^>]*)?\slang="zh-CN"[^>]*>[^<]*`)

// Every page of every role, in English, holds no Chinese but names: each
// run of Chinese on it is found in the data the page shows (item,
// department, point and people's names, materials, comments).
func TestEnglishPagesHaveNoChinese(t *testing.T) {
	e := sqliteEnvAt(t, hallClock)
	pages := everyPage(t, e)
	data := dataText(t, e.db)
	users, of := byUser(pages)
	found := map[string][]string{}
	for _, u := range users {
		c := e.as(t, u)
		c.lang = "en"
		for _, p := range of[u] {
			body := c.get(p.path).want(200).body
			body = nonText.ReplaceAllString(body, "")
			body = declaredChinese.ReplaceAllStringFunc(body, func(tag string) string {
				if strings.HasPrefix(tag, `<span lang="zh-CN">`) || strings.HasPrefix(tag, `<option lang="zh-CN"`) {
					return tag // marked by the server, not by the template: still to be checked
				}
				return ""
			})
			for _, run := range chineseRun.FindAllString(body, -1) {
				if !strings.Contains(data, run) {
					found[run] = append(found[run], p.path)
				}
			}
		}
	}
	runs := make([]string, 0, len(found))
	for r := range found {
		runs = append(runs, r)
	}
	sort.Strings(runs)
	for _, r := range runs {
		t.Errorf("Chinese on English pages, not a name: %q on %s", r, strings.Join(uniq(found[r]), ", "))
	}
}

// dataText is every text the database holds, one value a line.
func dataText(t *testing.T, db *store.DB) string {
	t.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	var out strings.Builder
	for _, table := range tables {
		rows, err := db.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if v.Valid && chineseRun.MatchString(v.String) {
					out.WriteString(v.String)
					out.WriteByte('\n')
				}
			}
		}
		rows.Close()
	}
	return out.String()
}

func uniq(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
