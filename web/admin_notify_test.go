package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// An administrator makes a reviewer the department's head on the users
// page and takes it back; a front desk cannot, and only reviewers get the button.
func TestAdminDepartmentHead(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		admin := e.as(t, "admin")
		target := user(t, e, "rs_shenpi")
		path := "/admin/users/" + strconv.FormatInt(target.ID, 10) + "/department-head"
		admin.get("/admin/users?role=reviewer").want(200).has(`action="`+path+`"`, `id="head-toggle-rs_shenpi">设为部门负责人`)
		desk := e.as(t, "hn_qiantai")
		desk.post(path, url.Values{"head": {"1"}}).want(http.StatusForbidden)
		if user(t, e, "rs_shenpi").DepartmentHead {
			t.Fatal("a front desk made a head")
		}
		p := admin.post(path, url.Values{"head": {"1"}}).want(http.StatusSeeOther)
		admin.get(p.location()).want(200).has("rs_shenpi 已设为部门负责人", `id="head-rs_shenpi"`, `id="head-toggle-rs_shenpi">取消部门负责人`)
		if !user(t, e, "rs_shenpi").DepartmentHead {
			t.Fatal("the flag was not saved")
		}
		admin.post("/admin/users/"+strconv.FormatInt(user(t, e, "hn_qiantai").ID, 10)+"/department-head", url.Values{"head": {"1"}}).
			want(http.StatusUnprocessableEntity)
		admin.post(path, url.Values{"head": {"0"}}).want(http.StatusSeeOther)
		if user(t, e, "rs_shenpi").DepartmentHead {
			t.Fatal("the flag stayed")
		}
		en := e.as(t, "admin")
		en.get("/admin/users?role=reviewer&lang=en").want(200).has("Make department head")
	})
}
