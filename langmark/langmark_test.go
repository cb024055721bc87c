package langmark

import "testing"

func TestMark(t *testing.T) {
	for _, c := range []struct {
		name, lang, in, want string
	}{
		{"a Chinese name on an English page", English,
			`<td>Applicant</td><td>于秀兰　2201**********0420</td>`,
			`<td>Applicant</td><td><span lang="zh-CN">于秀兰　</span>2201**********0420</td>`},
		{"digits between Han characters", English,
			`<p>2026年11月24日</p>`, `<p>2026<span lang="zh-CN">年11月24日</span></p>`},
		{"English words around a Chinese item name", English,
			`<p>Item: 社会保险补贴申领 (11220523)</p>`,
			`<p>Item: <span lang="zh-CN">社会保险补贴申领</span> (11220523)</p>`},
		{"an entity inside a Chinese run", English,
			`<p>&#34;青州社区&#34;</p>`,
			`<p>&#34;<span lang="zh-CN">青州社区</span>&#34;</p>`},
		{"an English page without Chinese is unchanged", English,
			`<p>Case number QZSQ-20261124-00001</p>`, `<p>Case number QZSQ-20261124-00001</p>`},
		{"attributes, scripts, titles and textareas are left alone", English,
			`<title>受理</title><a title="受理 >" href="/x">go</a><script>var s = "<b>受理</b>";</script><textarea>受理</textarea>`,
			`<title>受理</title><a title="受理 >" href="/x">go</a><script>var s = "<b>受理</b>";</script><textarea>受理</textarea>`},
		{"an option gets the attribute itself", English,
			`<select><option value="A">A · 综合受理</option><option value="B" selected>B · Issuing</option></select>`,
			`<select><option lang="zh-CN" value="A">A · 综合受理</option><option value="B" selected>B · Issuing</option></select>`},
		{"text in an element naming its language", English,
			`<button lang="zh-CN">中文</button>`, `<button lang="zh-CN">中文</button>`},
		{"comments", English, `<!-- 注释 --><p>中</p>`, `<!-- 注释 --><p><span lang="zh-CN">中</span></p>`},
		{"an English name on a Chinese page", Chinese,
			`<li>青州社区 Qingzhou Community Service Centre, Lüyuan District</li>`,
			`<li>青州社区 <span lang="en">Qingzhou Community Service Centre, Lüyuan District</span></li>`},
		{"a phrase closing with a bracket", Chinese,
			`<p>Notice of acceptance (receipt)</p>`, `<p><span lang="en">Notice of acceptance (receipt)</span></p>`},
		{"codes, lone words and user names are no English", Chinese,
			`<p>办件编号：QZSQ-20261124-00001，上传 PDF 或 JPEG，用户 qz_quanke，HN-RSJ</p>`,
			`<p>办件编号：QZSQ-20261124-00001，上传 PDF 或 JPEG，用户 qz_quanke，HN-RSJ</p>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := string(Mark([]byte(c.in), c.lang)); got != c.want {
				t.Errorf("Mark(%s)\n got %s\nwant %s", c.in, got, c.want)
			}
		})
	}
}

// Marking is idempotent on what it marked: a page marked twice is marked once.
func TestMarkTwice(t *testing.T) {
	in := `<p>Item: 社会保险补贴申领</p><select><option>综合受理</option></select>`
	once := Mark([]byte(in), English)
	if twice := Mark(once, English); string(twice) != string(once) {
		t.Errorf("marked twice:\n%s\n%s", once, twice)
	}
}

func FuzzMark(f *testing.F) {
	f.Add([]byte(`<p title="a>b">于秀兰 <b>Qingzhou Centre</b></p><option>综合</option><script>x</script>`))
	f.Fuzz(func(t *testing.T, page []byte) {
		for _, lang := range []string{English, Chinese} {
			out := Mark(page, lang)
			if len(out) < len(page) {
				t.Fatalf("Mark lost text: %q → %q", page, out)
			}
		}
	})
}

// BenchmarkMark marks a long English list page (200 rows, each a Chinese
// item name and department), about the size of the catalogue's list.
func BenchmarkMark(b *testing.B) {
	var page []byte
	page = append(page, `<!doctype html><html lang="en"><head><title>Items</title></head><body><table>`...)
	for range 200 {
		page = append(page, `<tr><td class="mono">11220523012443466J0502801000</td><td><a href="/items/x">社会保险补贴申领</a></td><td>Human resources and social security bureau</td><td>辉南县人力资源和社会保障局</td></tr>`...)
	}
	page = append(page, `</table></body></html>`...)
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		Mark(page, English)
	}
}
