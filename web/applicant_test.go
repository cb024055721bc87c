package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/workday"
)

var pngFile = append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)

// The guide says whom an item serves; a person is told on the guide and on
// the application page, which then has no upload control, that an item for
// enterprises is not theirs to apply for, and sending the form anyway is
// refused before any file is read and opens no case.
func TestEnterpriseOnlyItemRefusedBeforeUpload(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		guide := "/items/" + demo.CodeBusinessLicence
		e.client(t).get(guide).want(200).has(`id="audience"`, "服务对象", "企业法人")
		e.client(t).get("/items/" + demo.CodeFamilyPlanningConsult).want(200).has("<dd id=\"audience\">自然人</dd>")
		yu := e.as(t, "yuxiulan")
		yu.get(guide).want(200).has(`id="not-for-you"`).lacks(`id="apply-online"`)
		e.as(t, "jlhx").get(guide).want(200).has(`id="apply-online"`).lacks(`id="not-for-you"`)
		yu.get("/apply/"+demo.CodeBusinessLicence).want(200).has(`id="apply-refused"`, "个人账号不能申请").lacks(`type="file"`)
		_, before, err := e.svc.List(context.Background(), user(t, e, "yuxiulan"), cases.Filter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		yu.multipart("/apply/"+demo.CodeBusinessLicence, map[string]string{"submit": "1"}, map[string][]byte{"file_id_card": pngFile}).
			want(http.StatusUnprocessableEntity).has("个人账号不能申请").lacks(`name="kept_id_card"`)
		_, after, err := e.svc.List(context.Background(), user(t, e, "yuxiulan"), cases.Filter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Errorf("a refused application opened a case: %d cases, then %d", before, after)
		}
		en := e.as(t, "yuxiulan")
		en.lang = "en"
		en.get("/apply/" + demo.CodeBusinessLicence).want(200).has("a personal account cannot apply for it")
	})
}

var keptToken = regexp.MustCompile(`name="kept_id_card" value="([^"]+)"`)

// A file accepted on a form that is refused for something else (another
// file, a point that does not exist) is kept: the form shows it, and sending
// the form again without choosing it attaches it. A token from another
// session keeps nothing. Sending leads to the confirmation: the number, the
// due date if accepted today, what is missing (linked to its upload
// control) and what happens next.
func TestUploadsKeptAndConfirmation(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		path := "/apply/" + demo.CodeSocialInsuranceSubsidy
		yu := e.as(t, "yuxiulan")
		yu.get(path).want(200)
		res := yu.multipart(path, map[string]string{"point": demo.QingzhouCentre, "submit": "1"},
			map[string][]byte{"file_id_card": pngFile, "file_employment_certificate": []byte("#!/bin/sh\n")}).
			want(http.StatusUnprocessableEntity).has("只接受PDF、JPEG或PNG文件", `id="kept-id_card"`, "file.png")
		m := keptToken.FindStringSubmatch(res.body)
		if m == nil {
			t.Fatalf("the refused form does not keep the ID card:\n%s", res.body)
		}
		token := html.UnescapeString(m[1])
		// Refused again, for the point: the kept file is still held.
		yu.multipart(path, map[string]string{"point": "NO-SUCH-POINT", "submit": "1", "kept_id_card": token}, nil).
			want(http.StatusUnprocessableEntity).has(`id="kept-id_card"`, "file.png")
		// Another applicant cannot use the token.
		zm := e.as(t, "zhouming")
		zm.get(path).want(200)
		other := zm.multipart(path, map[string]string{"point": demo.QingzhouCentre, "submit": "0", "kept_id_card": token}, nil).want(http.StatusSeeOther)
		if c := caseAt(t, e, "zhouming", other.location()); len(c.Materials) != 0 {
			t.Errorf("a token of another session attached %+v", c.Materials)
		}
		sent := yu.multipart(path, map[string]string{"point": demo.QingzhouCentre, "submit": "1", "kept_id_card": token}, nil).want(http.StatusSeeOther)
		if !strings.HasSuffix(sent.location(), "/submitted") {
			t.Fatalf("sending leads to %s, want the confirmation", sent.location())
		}
		c := caseAt(t, e, "yuxiulan", sent.location())
		if len(c.Materials) != 1 || c.Materials[0].Type != "id_card" || c.Materials[0].FileName != "file.png" {
			t.Errorf("the sent case holds %+v, want the kept ID card", c.Materials)
		}
		if c.State != cases.Submitted {
			t.Errorf("state %s, want submitted", c.State)
		}
		yu.get(fmt.Sprintf("/cases/%d/files/id_card", c.ID)).want(200)
		it, err := e.cat.Published(context.Background(), demo.CodeSocialInsuranceSubsidy)
		if err != nil {
			t.Fatal(err)
		}
		cal, err := workday.NewOfficial()
		if err != nil {
			t.Fatal(err)
		}
		due, _ := cal.Add(e.clock.Clock().Today(), it.PromisedLimitDays)
		page := yu.get(sent.location()).want(200)
		page.has(`id="confirmation"`, c.Number, `<dd id="confirm-due">`+workday.FormatDate(due)+`</dd>`, "接下来会怎样",
			fmt.Sprintf(`href="/cases/%d#up-employment_certificate"`, c.ID))
		en := e.as(t, "yuxiulan")
		en.lang = "en"
		en.get(sent.location()).want(200).has("Application sent", "What happens next", "Due by, if accepted today")
		// Others do not see it; a draft's confirmation is its case page.
		zm.get(sent.location()).want(http.StatusNotFound)
		draft := yu.multipart(path, map[string]string{"submit": "0"}, nil).want(http.StatusSeeOther)
		id := strings.TrimPrefix(strings.SplitN(draft.location(), "?", 2)[0], "/cases/")
		if loc := yu.get("/cases/" + id + "/submitted").want(http.StatusSeeOther).location(); loc != "/cases/"+id {
			t.Errorf("a draft's confirmation leads to %s", loc)
		}
		// The case page's one-time notice links each missing material to its upload control.
		yu.get(fmt.Sprintf("/cases/%d", c.ID)).want(200).has(`href="#up-employment_certificate"`, `id="up-employment_certificate"`)
	})
}

// caseAt reads the case a page address (/cases/7, /cases/7/submitted, /cases/7?done=…) names.
func caseAt(t *testing.T, e *env, username, loc string) cases.Case {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(strings.TrimPrefix(loc, "/cases/"), "%d", &id); err != nil {
		t.Fatalf("no case in %q", loc)
	}
	c, err := e.svc.Get(context.Background(), user(t, e, username), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
