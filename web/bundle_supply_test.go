package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/filestore"
)

// withCollector adds 周明 collecting in person, signing on the pad, to an
// issue form.
func withCollector(t testing.TB, form url.Values) url.Values {
	form.Set("collector_name", "周明")
	form.Set("collector_id", idOf("zhouming"))
	form.Set("collector_relation", cases.CollectorSelf)
	form.Set("signature_drawn", "data:image/png;base64,"+base64.StdEncoding.EncodeToString(signatureImage(t)))
	return form
}

// An online bundle application carries a file per merged material; a
// refused file leaves the accepted ones kept on the form that comes back.
// The desk's one-time notice asks for the rest; the applicant uploads it on
// the bundle's page (材料已补齐), the desk confirms and accepts; each member
// case holds the files its item asks for. At the window the bundle is
// issued with its collector, refused without one, recorded on every
// member case and its delivery record.
func TestBundleUploadsSupplyAndCollector(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		def, err := e.cat.PublishedBundle(ctx, demo.BundleNewborn)
		if err != nil {
			t.Fatal(err)
		}
		g, err := e.cat.Guide(ctx, def)
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Materials) < 2 {
			t.Fatalf("the newborn bundle asks for %d materials", len(g.Materials))
		}
		first, second := g.Materials[0].Type, g.Materials[1].Type
		zm := e.as(t, "zhouming")
		path := "/bundles/" + demo.BundleNewborn + "/apply"
		zm.get(path).want(200).has(`enctype="multipart/form-data"`, `name="file_`+first+`"`)
		fields := map[string]string{}
		for k, v := range bundleForm(g, nil, "") {
			if strings.HasPrefix(k, "f_") {
				fields[k] = v[0]
			}
		}
		p := zm.multipart(path, fields, map[string][]byte{"file_" + first: signatureImage(t), "file_" + second: []byte("not a document at all")}).
			want(http.StatusUnprocessableEntity).has(`id="kept-`+first+`"`, `name="kept_`+first+`"`).lacks(`id="kept-` + second + `"`)
		i := strings.Index(p.body, `name="kept_`+first+`" value="`)
		token := p.body[i+len(`name="kept_`+first+`" value="`):]
		fields["kept_"+first] = token[:strings.IndexByte(token, '"')]
		res := zm.multipart(path, fields, nil).want(http.StatusSeeOther)
		id, err := strconv.ParseInt(strings.TrimPrefix(strings.Split(res.location(), "?")[0], "/bundle-cases/"), 10, 64)
		if err != nil {
			t.Fatalf("sent to %q", res.location())
		}
		bpath := "/bundle-cases/" + strconv.FormatInt(id, 10)
		zm.get(bpath).want(200).has(`id="bundle-files"`, `data-type="`+first+`"`)
		file := zm.get(bpath + "/files/" + first).want(200)
		if file.header.Get("Content-Type") != "image/png" || file.body != string(signatureImage(t)) {
			t.Errorf("the uploaded file is served as %q", file.header.Get("Content-Type"))
		}
		e.as(t, "yuxiulan").get(bpath + "/files/" + first).want(http.StatusNotFound)

		desk := e.as(t, "hn_qiantai")
		desk.get(bpath).want(200).has(`id="bundle-check"`, `id="bundle-files"`)
		desk.post(bpath+"/check", url.Values{"decision": {"notify"}, "materials": {first}}).want(http.StatusSeeOther)
		desk.get(bpath).want(200).has(`id="bundle-supplement"`, `id="bundle-reasons"`).lacks(`id="bundle-accept"`)
		p = zm.get(bpath).want(200).has(`id="bundle-supply"`, `name="file_`+second+`"`).lacks(`name="file_` + first + `"`)
		zm.multipart(bpath+"/supply", map[string]string{}, nil).want(http.StatusUnprocessableEntity).has(`href="#file_` + second + `"`)
		supply := map[string][]byte{}
		for _, m := range g.Materials[1:] {
			if m.Requirement != catalog.Optional {
				supply["file_"+m.Type] = signatureImage(t)
			}
		}
		zm.multipart(bpath+"/supply", map[string]string{}, supply).want(http.StatusSeeOther)
		zm.get(bpath+"?done=supplement").want(200).has("补正材料已提交", `data-state="received"`).lacks(`id="bundle-supply"`)
		desk.get(bpath).want(200).has(`id="bundle-accept"`)
		desk.post(bpath+"/check", url.Values{"decision": {"accept"}}).want(http.StatusSeeOther)

		b, err := e.svc.GetBundleCase(ctx, user(t, e, "hn_qiantai"), id)
		if err != nil || b.State != cases.Accepted {
			t.Fatalf("the bundle is %s (%v)", b.State, err)
		}
		for _, m := range b.Members {
			if m.CaseID == nil {
				continue
			}
			c, err := e.svc.Get(ctx, user(t, e, "hn_qiantai"), *m.CaseID)
			if err != nil {
				t.Fatal(err)
			}
			for _, cm := range c.Materials {
				if cm.Source != cases.SourceUpload || cm.FileHash == "" {
					t.Errorf("%s: material %s is %s, want the uploaded file", m.Item, cm.Type, cm.Source)
				}
			}
			if len(c.Materials) == 0 {
				t.Errorf("%s started with no materials", m.Item)
			}
		}
		for {
			b, _ = memberStates(t, e, id)
			var next string
			for _, m := range b.Members {
				if m.CaseID != nil && m.State != cases.ReadyForIssue {
					next = m.Item
					break
				}
			}
			if next == "" {
				break
			}
			readyMember(t, e, id, next)
		}
		issuer := e.as(t, "hn_chuzheng")
		issuer.get(bpath).want(200).has(`id="bundle-issue"`, `id="signature-pad"`, `name="collector_name"`)
		issuer.post(bpath+"/issue", url.Values{"issue_method": {cases.IssueAtWindow}}).want(http.StatusUnprocessableEntity).has(`href="#name"`)
		issuer.post(bpath+"/issue", withCollector(t, url.Values{"issue_method": {cases.IssueAtWindow}})).want(http.StatusSeeOther)
		b, _ = memberStates(t, e, id)
		if b.State != cases.Issued {
			t.Fatalf("the bundle is %s, want issued", b.State)
		}
		for _, m := range b.Members {
			mp := "/cases/" + strconv.FormatInt(*m.CaseID, 10)
			issuer.get(mp).want(200).has(`id="collector-record"`, "周明")
			issuer.get(mp+"/documents/delivery").want(200).has(`id="doc-collector"`, "周明")
		}
		en := e.as(t, "zhouming")
		en.lang = "en"
		en.get(bpath).want(200).has("Files uploaded")
	})
}

// bundleAwaitingSupply is 周明's online newborn bundle application with one
// file, after the county hall's one-time notice: waiting for the rest.
func bundleAwaitingSupply(t testing.TB, e *env) int64 {
	t.Helper()
	ctx := context.Background()
	def, err := e.cat.PublishedBundle(ctx, demo.BundleNewborn)
	if err != nil {
		t.Fatal(err)
	}
	g, err := e.cat.Guide(ctx, def)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := filestore.Store{Dir: e.pages.UploadDir}.Put(signatureImage(t))
	if err != nil {
		t.Fatal(err)
	}
	answers := map[string]string{}
	for k, v := range bundleForm(g, nil, "") {
		if name, ok := strings.CutPrefix(k, "f_"); ok {
			answers[name] = v[0]
		}
	}
	form, _ := json.Marshal(answers)
	b, err := e.svc.CreateBundleCase(ctx, user(t, e, "zhouming"), cases.BundleCreateRequest{Bundle: demo.BundleNewborn, Form: form,
		Files: []cases.Material{{Type: g.Materials[0].Type, FileName: "scan.png", FileHash: hash, ContentType: "image/png", Size: int64(len(signatureImage(t)))}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ActOnBundle(ctx, user(t, e, "hn_qiantai"), b.ID, cases.BundleNotifyMissing, cases.ActRequest{}); err != nil {
		t.Fatal(err)
	}
	return b.ID
}

// At the desk, a walk-in bundle application missing materials gets the
// one-time notice; when the applicant comes back with them the desk ticks
// them and confirms 材料已补齐, which it must before accepting; a decision
// the page does not offer is refused naming the field.
func TestWalkInBundleSupplement(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		def, err := e.cat.PublishedBundle(ctx, demo.BundleNewborn)
		if err != nil {
			t.Fatal(err)
		}
		g, err := e.cat.Guide(ctx, def)
		if err != nil {
			t.Fatal(err)
		}
		var rest []string
		for _, m := range g.Materials[1:] {
			rest = append(rest, m.Type)
		}
		desk := e.as(t, "hn_qiantai")
		desk.get("/desk/bundle?bundle=" + demo.BundleNewborn).want(200)
		res := desk.post("/desk/bundle", bundleForm(g, []string{g.Materials[0].Type}, "notify")).want(http.StatusSeeOther)
		path := strings.Split(res.location(), "?")[0]
		desk.get(path).want(200).has(`data-state="supplement_required"`, `id="bundle-supplement"`, `id="bundle-supplement-hint"`).lacks(`id="bundle-accept"`)
		desk.post(path+"/check", url.Values{"decision": {"accept"}, "materials": rest}).want(http.StatusConflict)
		desk.post(path+"/check", url.Values{"decision": {"approve"}}).want(http.StatusUnprocessableEntity).has(`href="#decision"`)
		res = desk.post(path+"/check", url.Values{"decision": {"supplement"}, "materials": rest}).want(http.StatusSeeOther)
		desk.get(res.location()).want(200).has("材料已补齐", `data-state="received"`, `id="bundle-accept"`)
		desk.post(path+"/check", url.Values{"decision": {"accept"}}).want(http.StatusSeeOther)
		id, err := strconv.ParseInt(strings.TrimPrefix(path, "/bundle-cases/"), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := memberStates(t, e, id); b.State != cases.Accepted {
			t.Errorf("the bundle is %s, want accepted", b.State)
		}
		en := e.as(t, "hn_qiantai")
		en.lang = "en"
		en.get(path).want(200).has("Accepted")
	})
}
