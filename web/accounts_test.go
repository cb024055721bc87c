package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/otp"
)

var smsCode = regexp.MustCompile(`\d{6}`)

// smsTo reads the newest code sent to phone from the development mailbox.
func (e *env) smsTo(phone string) string {
	e.t.Helper()
	msgs, err := otp.NewDevMailbox(e.db, nil).Messages(context.Background(), phone, 1)
	if err != nil || len(msgs) == 0 {
		e.t.Fatalf("no message to %s: %v", phone, err)
	}
	return smsCode.FindString(msgs[0].TextZH)
}

// A resident who was served at a window registers on their own: code by
// SMS, account, signed in, and the walk-in case is in My applications. A
// walk-in case the desk recorded with another phone stays out: the account
// proves the phone, not that its holder is the person the ID number names.
func TestRegisterAndFindWalkInCases(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := ident.GenerateIDCard("220204", time.Date(1990, 5, 6, 0, 0, 0, 0, time.UTC), 55)
		c := e.walkInWithPhone("qz_quanke", demo.CodeSocialInsuranceSubsidy, "李晓明", id, "13904319999")
		otherPhone := e.walkInWithPhone("qz_quanke", demo.CodeLegalAid, "李晓明", id, "13904310000")

		v := e.client(t)
		v.get("/login").want(200).has(`href="/register"`, `href="/forgot"`)
		v.get("/register").want(200).has(`id="register-start"`)
		// Every wrong field at once.
		v.post("/register/code", url.Values{"id_number": {"220204199005060000"}, "phone": {"123"}}).
			want(http.StatusUnprocessableEntity).has(`id="id_number-error"`, `id="phone-error"`)
		v.post("/register/code", url.Values{"id_number": {id}, "phone": {"13904319999"}}).want(200).has(`id="register-finish"`, "139****9999")
		code := e.smsTo("13904319999")
		form := url.Values{"id_number": {id}, "phone": {"13904319999"}, "name": {"李晓明"}, "code": {code},
			"password": {"my own password"}, "password2": {"my own passwrod"}}
		v.post("/register", form).want(http.StatusUnprocessableEntity).has(`id="password2-error"`)
		form.Set("password2", "my own password")
		res := v.post("/register", form).want(http.StatusSeeOther)
		if !strings.HasPrefix(res.location(), "/my") {
			t.Fatalf("after registering: %s", res.location())
		}
		v.get("/my").want(200).has(c.Number, "李晓明").lacks(otherPhone.Number)
		v.get(fmt.Sprintf("/cases/%d", otherPhone.ID)).want(http.StatusNotFound)

		// Signing in later with the ID number.
		again := e.client(t)
		again.get("/login").want(200)
		again.post("/login", url.Values{"username": {strings.ToLower(id)}, "password": {"my own password"}}).want(http.StatusSeeOther)
		again.get("/my").want(200).has(c.Number)

		// A second registration of the same number looks the same but makes no account.
		w := e.client(t)
		w.get("/register").want(200)
		w.post("/register/code", url.Values{"id_number": {id}, "phone": {"13904318888"}}).want(200).has(`id="register-finish"`, "139****8888")
		if got := e.smsTo("13904318888"); got != "" {
			t.Fatalf("a code %s was sent for a registered ID number", got)
		}
	})
}

// A forgotten password is reset by SMS; the account page lists the
// sessions, revokes one, and signs out everywhere.
func TestResetPasswordAndKeepTheAccount(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := idOf("yuxiulan")
		phone := user(t, e, "yuxiulan").Phone
		other := e.as(t, "yuxiulan") // another device

		v := e.client(t)
		v.get("/forgot").want(200)
		v.post("/forgot/code", url.Values{"id_number": {id}, "phone": {phone}}).want(200).has(`id="forgot-finish"`)
		code := e.smsTo(phone)
		v.post("/forgot", url.Values{"id_number": {id}, "phone": {phone}, "code": {"000000"}, "password": {"brand new secret"}, "password2": {"brand new secret"}})
		res := v.post("/forgot", url.Values{"id_number": {id}, "phone": {phone}, "code": {code}, "password": {"brand new secret"}, "password2": {"brand new secret"}})
		if res.status != http.StatusSeeOther {
			// The wrong try before may only have counted; the right code still works.
			t.Fatalf("reset: %d\n%.800s", res.status, res.body)
		}
		if res.location() != "/login?done=reset" {
			t.Fatalf("after reset: %s", res.location())
		}
		// The old sessions are gone.
		other.get("/my").want(http.StatusSeeOther)

		me := e.client(t)
		me.get("/login?done=reset").want(200).has("密码已重设")
		me.post("/login", url.Values{"username": {"yuxiulan"}, "password": {"brand new secret"}}).want(http.StatusSeeOther)
		second := e.client(t)
		second.get("/login").want(200)
		second.post("/login", url.Values{"username": {"yuxiulan"}, "password": {"brand new secret"}}).want(http.StatusSeeOther)

		page := me.get("/account").want(200)
		page.has(`id="sessions"`, "本设备", "浏览器登录", ident.MaskPhone(phone))
		ids := regexp.MustCompile(`data-session="([0-9a-f]{16})"`).FindAllStringSubmatch(page.body, -1)
		if len(ids) != 2 {
			t.Fatalf("%d sessions listed, want 2", len(ids))
		}
		// Revoke the one that is not this one.
		var otherID string
		for _, m := range ids {
			if !strings.Contains(page.body, `action="/account/sessions/`+m[1]+`/revoke"`) {
				continue
			}
			otherID = m[1]
		}
		me.post("/account/sessions/"+otherID+"/revoke", url.Values{}).want(http.StatusSeeOther)
		second.get("/my").want(http.StatusSeeOther)
		me.get("/my").want(200)

		// Change the mobile number, confirmed by a code to the new one.
		me.get("/account").want(200)
		me.post("/account/phone/code", url.Values{"phone": {"13904317777"}}).want(200).has(`id="phone-finish"`)
		me.post("/account/phone", url.Values{"phone": {"13904317777"}, "code": {e.smsTo("13904317777")}}).want(http.StatusSeeOther)
		me.get("/account?done=phone").want(200).has("139****7777")

		me.post("/account/sign-out-everywhere", url.Values{}).want(http.StatusSeeOther)
		me.get("/my").want(http.StatusSeeOther)

		// The development mailbox, for administrators.
		e.as(t, "admin").get("/admin/sms?phone=13904317777").want(200).has("开发用短信信箱", "13904317777")
	})
}
